"""Ed25519 keys: key files, did:key identifiers and offline resolution.

A signing key is read from any of the formats people and other tools write:

* PKCS#8 PEM (``mcred keygen``), optionally passphrase-encrypted;
* a raw 32-byte seed in hex (64 hex digits);
* a Multikey JSON key pair, as Digital Bazaar's tools and the W3C test vectors
  write it: ``publicKeyMultibase`` plus ``secretKeyMultibase`` or
  ``privateKeyMultibase`` (multicodec 0x1300, 32-byte seed or 64-byte
  seed-and-public-key).

``did:key`` identifiers are resolved offline in :mod:`mcred.keys.did_key`.
"""

from __future__ import annotations

import json
import os
import re
from functools import cached_property
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from mcred._files import open_regular, write_new_file
from mcred.errors import InputError, KeyFileError, UsageError
from mcred.keys import multibase

_HEX_SEED = re.compile(r"^(0[xX])?[0-9a-fA-F]{64}$")
_MAX_KEY_FILE = 64 * 1024


class PublicKey(multibase.DidKeyNamed):
    """An Ed25519 public key with its did:key names."""

    def __init__(self, key: Ed25519PublicKey) -> None:
        self._key = key
        self.raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @classmethod
    def from_raw(cls, raw: bytes) -> PublicKey:
        return cls(Ed25519PublicKey.from_public_bytes(raw))

    @cached_property  # the key never changes, and issuing names it several times per credential
    def multibase(self) -> str:
        """``publicKeyMultibase``: 'z' + base58btc(0xed01 + 32 bytes), e.g. ``z6Mk...``."""
        return multibase.encode(multibase.ED25519_PUB + self.raw)

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when the signature is valid for the data."""
        try:
            self._key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and other.raw == self.raw

    def __hash__(self) -> int:
        return hash(self.raw)

    def __repr__(self) -> str:
        return f"PublicKey({self.multibase})"


class SigningKey:
    """An Ed25519 private key. Its repr and str never show secret material."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public_key = PublicKey(key.public_key())

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> SigningKey:
        if len(seed) != 32:
            raise KeyFileError(f"an Ed25519 seed is 32 bytes, got {len(seed)}")
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @property
    def did(self) -> str:
        return self.public_key.did

    @property
    def verification_method(self) -> str:
        return self.public_key.verification_method

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def private_seed(self) -> bytes:
        """The 32-byte seed: only for handing the key to mcred's own worker processes."""
        return self._key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                       serialization.NoEncryption())

    def to_pem(self, passphrase: bytes | None = None) -> bytes:
        """PKCS#8 PEM, encrypted with the passphrase when one is given."""
        encryption = (
            serialization.BestAvailableEncryption(passphrase)
            if passphrase
            else serialization.NoEncryption()
        )
        return self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def __repr__(self) -> str:
        return f"SigningKey(public={self.public_key.multibase}, secret=<hidden>)"

    __str__ = __repr__


def read_key_file(path: Path, *, what: str = "key file", limit: int = _MAX_KEY_FILE) -> bytes:
    """The bytes of a key (or certificate) file, read with a bound, from a regular file only: a FIFO would
    block for ever, a device may never end. KeyFileError when it cannot be read or is over ``limit`` bytes."""
    try:
        with open_regular(path, what=f"the {what}") as handle:
            data = handle.read(limit + 1)
    except InputError as exc:  # a folder, FIFO, socket or device
        raise KeyFileError(exc.message, file=str(path), code=exc.code, hint=exc.hint, params=exc.params) from None
    except OSError as exc:
        raise KeyFileError(f"cannot read {what}: {exc.strerror}", file=str(path)) from None
    if len(data) > limit:
        raise KeyFileError(f"too large to be a {what}", file=str(path))
    return data


def load_signing_key(path: str | Path, passphrase: bytes | None = None) -> SigningKey:
    """Read a signing key file in any supported format (see the module docstring)."""
    path = Path(path)
    data = read_key_file(path)
    text = data.decode("utf-8", errors="replace").strip()
    if _is_public_key(text):
        raise KeyFileError("this is a public key; signing needs the private key file written by `mcred keygen`",
                           file=str(path), code="KEY_FILE_PUBLIC_ONLY",
                           hint="give the private key file (-----BEGIN PRIVATE KEY-----) of the same key pair; "
                           "a public key, did:key or publicKeyMultibase only names a key, it cannot sign")
    if text.startswith("-----BEGIN"):
        return _from_pem(data, passphrase, str(path))
    if _HEX_SEED.match(text):
        return SigningKey.from_seed(bytes.fromhex(text[2:] if text[:2].lower() == "0x" else text))
    if text.startswith("{"):
        return _from_multikey_json(text, str(path))
    raise KeyFileError(
        "not a key file mcred understands",
        file=str(path),
        hint="use a PKCS#8 PEM file (`mcred keygen`), a 32-byte seed in hex, "
        "or a Multikey JSON key pair",
    )


# Ed25519 z6Mk..., P-256 zDn..., P-384 z82...
_MULTIKEY = r"(z6Mk|zDn|z82)[1-9A-HJ-NP-Za-km-z]+"
_PUBLIC_MULTIKEY = re.compile(rf"^(did:key:)?{_MULTIKEY}(#{_MULTIKEY})?$")


def _is_public_key(text: str) -> bool:
    """A public key where a private one belongs: a PEM PUBLIC KEY, a did:key or publicKeyMultibase, or a
    Multikey JSON document with no secret in it."""
    if text.startswith("-----BEGIN PUBLIC KEY-----") or _PUBLIC_MULTIKEY.match(text):
        return True
    if text.startswith("{") and '"publicKeyMultibase"' in text:
        try:
            doc = json.loads(text)
        except ValueError:  # malformed, or a number too long: _from_multikey_json says so
            return False
        return isinstance(doc, dict) and not ({"secretKeyMultibase", "privateKeyMultibase"} & doc.keys())
    return False


def _from_pem(data: bytes, passphrase: bytes | None, file: str) -> SigningKey:
    try:
        key = serialization.load_pem_private_key(data, password=passphrase)
    except TypeError:
        # cryptography raises TypeError both for "encrypted, no password" and the reverse
        if passphrase is None:
            raise KeyFileError(
                "the key file is encrypted",
                file=file,
                hint="pass the name of an environment variable holding the passphrase "
                "with --passphrase-env",
            ) from None
        raise KeyFileError(
            "a passphrase was given but the key file is not encrypted", file=file
        ) from None
    except ValueError:
        raise KeyFileError(
            "cannot decrypt or parse the PEM key (wrong passphrase, or not a PKCS#8 key)",
            file=file,
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        curve = getattr(getattr(key, "curve", None), "name", None)
        raise _wrong_type(_EC_NAMES.get(curve, type(key).__name__.removeprefix("_")), file)
    return SigningKey(key)


#: what a wrong-type key is called in an error
_EC_NAMES = {"secp256r1": "P-256", "secp384r1": "P-384"}


def _wrong_type(key_type: str, file: str) -> KeyFileError:
    """A key of another type where an Ed25519 key is needed: say what it is and which command takes it."""
    return KeyFileError(
        f"the key is a {key_type} key, not Ed25519: this command signs with Ed25519 keys only", file=file,
        code="KEY_FILE_WRONG_TYPE", params={"key_type": key_type},
        hint="use an Ed25519 key (mcred keygen, or --type ed25519); a P-256 or P-384 key signs with "
        "mcred sign --suite ecdsa-rdfc-2019 (or ecdsa-jcs-2019), not yet with issue, stack or status lists")


def _from_multikey_json(text: str, file: str) -> SigningKey:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):  # malformed, nested too deeply, or a number too long for Python
        raise KeyFileError("the key file is not valid JSON", file=file) from None
    if not isinstance(doc, dict):
        raise KeyFileError("a Multikey key file must be a JSON object", file=file)
    field = "secretKeyMultibase" if "secretKeyMultibase" in doc else "privateKeyMultibase"
    if field not in doc:
        raise KeyFileError(
            "the JSON has no secretKeyMultibase or privateKeyMultibase",
            file=file,
            hint="a public key alone cannot sign",
        )
    try:
        secret = multibase.decode(doc[field])
    except multibase.MultibaseError as exc:
        raise KeyFileError(f"{field} is not base58btc multibase: {exc}", file=file) from None
    if secret[:2] in _EC_PRIVATE_HEADERS:
        raise _wrong_type(_EC_PRIVATE_HEADERS[secret[:2]], file)
    if not secret.startswith(multibase.ED25519_PRIV) or len(secret) not in (34, 66):
        raise KeyFileError(
            f"{field} is not an Ed25519 private key (multicodec 0x1300, 32 or 64 bytes)",
            file=file,
        )
    key = SigningKey.from_seed(secret[2:34])
    if len(secret) == 66 and secret[34:] != key.public_key.raw:
        raise KeyFileError(f"{field} holds a public half that does not match its seed", file=file)
    if "publicKeyMultibase" in doc and doc["publicKeyMultibase"] != key.public_key.multibase:
        raise KeyFileError(
            "publicKeyMultibase does not belong to the private key in the same file", file=file
        )
    return key


#: multicodec headers of EC private keys (p256-priv 0x1306, p384-priv 0x1307), to name them when refused
_EC_PRIVATE_HEADERS = {b"\x86\x26": "P-256", b"\x87\x26": "P-384"}


def save_signing_key(
    key: SigningKey, path: str | Path, *, passphrase: bytes | None = None, force: bool = False
) -> None:
    """Write the key as PKCS#8 PEM, mode 0600, atomically; refuse to overwrite unless forced."""
    write_new_file(Path(path), key.to_pem(passphrase), mode=0o600, force=force)


_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def passphrase_from_env(variable: str | None) -> bytes | None:
    """The passphrase held in an environment variable (never passed on the command line).

    A value that cannot be a variable's name is most likely the passphrase itself, typed
    where the name goes: it is refused without being repeated (UsageError, exit 2), so
    that it reaches no terminal log.
    """
    if variable is None:
        return None
    if not _VARIABLE_NAME.fullmatch(variable):
        raise UsageError("the value of --passphrase-env is not an environment variable name (it is not shown, "
                         "in case it is a passphrase)", code="PASSPHRASE_ENV_NOT_A_NAME",
                         hint="put the passphrase in a variable and give its name: export MCRED_PASSPHRASE=... "
                         "then --passphrase-env MCRED_PASSPHRASE")
    value = os.environ.get(variable)
    if value is None:
        raise KeyFileError(
            f"environment variable {variable} is not set",
            hint=f"export {variable}=... before running mcred",
        )
    if not value:
        raise KeyFileError(f"environment variable {variable} is empty")
    return value.encode("utf-8")
