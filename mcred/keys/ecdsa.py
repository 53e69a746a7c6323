"""P-256 and P-384 signing keys, for the ECDSA cryptosuites (ecdsa-rdfc-2019, ecdsa-jcs-2019).

A key is read from the formats people and other tools write, like an Ed25519 one
(mcred.keys.ed25519):

* PKCS#8 PEM (``mcred keygen --type p256|p384``), optionally passphrase-encrypted;
* a Multikey JSON key pair, as the W3C vc-di-ecdsa vectors and Digital Bazaar's
  ``ecdsa-multikey`` write it: ``secretKeyMultibase`` = 'z' + base58btc(multicodec
  p256-priv 0x1306 or p384-priv 0x1307 + the private scalar), optionally with the
  ``publicKeyMultibase`` it must match.

Signatures are IEEE P1363 (r || s, fixed length), the form Data Integrity writes;
cryptography signs in DER, which is converted here. ECDSA hashes the data with the
curve's hash: SHA-256 for P-256, SHA-384 for P-384.

``load_any_signing_key`` reads a key file of any type mcred signs with and returns an
Ed25519 ``SigningKey`` or an ``EcSigningKey``.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from mcred._files import write_new_file
from mcred.errors import KeyFileError
from mcred.keys import multibase
from mcred.keys.ed25519 import SigningKey, load_signing_key, read_key_file
from mcred.keys.multikey import EcPublicKey
from mcred.messages import register

#: multicodec varint headers of EC private keys (p256-priv 0x1306, p384-priv 0x1307)
P256_PRIV = b"\x86\x26"
P384_PRIV = b"\x87\x26"

#: per curve: cryptography's curve, the private-key multicodec header, the scalar's length, ECDSA's hash
_CURVES = {
    "P-256": (ec.SECP256R1, P256_PRIV, 32, hashes.SHA256),
    "P-384": (ec.SECP384R1, P384_PRIV, 48, hashes.SHA384),
}
_CURVE_BY_NAME = {"secp256r1": "P-256", "secp384r1": "P-384"}
_CURVE_BY_HEADER = {header: curve for curve, (_, header, _, _) in _CURVES.items()}

#: what ``mcred keygen --type`` names each key type
KEY_TYPES = {"ed25519": "Ed25519", "p256": "P-256", "p384": "P-384"}


class EcSigningKey:
    """A P-256 or P-384 private key. Its repr and str never show secret material."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        curve = _CURVE_BY_NAME.get(key.curve.name)
        if curve is None:
            raise KeyFileError(f"curve {key.curve.name} is not one mcred signs with (P-256 or P-384)")
        self._key = key
        self.curve = curve
        self.public_key = EcPublicKey(key.public_key())

    @classmethod
    def generate(cls, curve: str = "P-256") -> EcSigningKey:
        return cls(ec.generate_private_key(_CURVES[curve][0]()))

    @classmethod
    def from_scalar(cls, curve: str, secret: bytes) -> EcSigningKey:
        """The key with this private scalar (big-endian, the curve's size), as a Multikey holds it."""
        curve_class, _, length, _ = _CURVES[curve]
        if len(secret) != length:
            raise KeyFileError(f"a {curve} private key is {length} bytes, got {len(secret)}")
        try:
            return cls(ec.derive_private_key(int.from_bytes(secret, "big"), curve_class()))
        except ValueError:
            raise KeyFileError(f"the bytes are not a {curve} private key") from None

    @property
    def did(self) -> str:
        return self.public_key.did

    @property
    def verification_method(self) -> str:
        return self.public_key.verification_method

    def sign(self, data: bytes) -> bytes:
        """ECDSA over ``data`` with the curve's hash, as r || s (IEEE P1363)."""
        _, _, length, hash_class = _CURVES[self.curve]
        r, s = decode_dss_signature(self._key.sign(data, ec.ECDSA(hash_class())))
        return r.to_bytes(length, "big") + s.to_bytes(length, "big")

    def to_pem(self, passphrase: bytes | None = None) -> bytes:
        """PKCS#8 PEM, encrypted with the passphrase when one is given."""
        encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                      else serialization.NoEncryption())
        return self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)

    def __repr__(self) -> str:
        return f"EcSigningKey({self.curve}, public={self.public_key.multibase}, secret=<hidden>)"

    __str__ = __repr__


AnySigningKey = SigningKey | EcSigningKey


def signing_key_type(key: AnySigningKey) -> str:
    """'Ed25519', 'P-256' or 'P-384'."""
    return key.curve if isinstance(key, EcSigningKey) else "Ed25519"


def generate(key_type: str) -> AnySigningKey:
    """A new key of a ``mcred keygen --type`` (ed25519, p256, p384)."""
    name = KEY_TYPES[key_type]
    return SigningKey.generate() if name == "Ed25519" else EcSigningKey.generate(name)


def save_any_signing_key(key: AnySigningKey, path: str | Path, *, passphrase: bytes | None = None,
                         force: bool = False) -> None:
    """Write the key as PKCS#8 PEM, mode 0600, atomically; refuse to overwrite unless forced."""
    write_new_file(Path(path), key.to_pem(passphrase), mode=0o600, force=force)


def load_any_signing_key(path: str | Path, passphrase: bytes | None = None) -> AnySigningKey:
    """Read a signing key file of any type mcred signs with: an EC key (PEM or Multikey JSON) is an
    EcSigningKey, anything else goes to the Ed25519 reader (which names what is wrong with it)."""
    path = Path(path)
    data = read_key_file(path)
    text = data.decode("utf-8", errors="replace").strip()
    if text.startswith("-----BEGIN") and "PUBLIC KEY" not in text.split("\n", 1)[0]:
        key = _pem_private_key(data, passphrase)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return _ec_key(key, str(path))
    elif text.startswith("{"):
        ec_key = _from_multikey_json(text, str(path))
        if ec_key is not None:
            return ec_key
    return load_signing_key(path, passphrase)


def _pem_private_key(data: bytes, passphrase: bytes | None):
    """The private key in a PEM, or None when it cannot be read here: the Ed25519 reader then says why."""
    try:
        return serialization.load_pem_private_key(data, password=passphrase)
    except (TypeError, ValueError):
        return None


def _ec_key(key: ec.EllipticCurvePrivateKey, file: str) -> EcSigningKey:
    """The signing key, or KeyFileError for a curve mcred does not sign with (P-521, secp256k1)."""
    try:
        return EcSigningKey(key)
    except KeyFileError as exc:
        raise KeyFileError(exc.message, file=file,
                           hint="mcred signs with Ed25519, P-256 and P-384 keys: "
                           "make one with mcred keygen --type ed25519|p256|p384") from None



def _from_multikey_json(text: str, file: str) -> EcSigningKey | None:
    """An EC key from a Multikey JSON key pair; None when the JSON does not hold an EC private key."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None  # the Ed25519 reader names the problem
    if not isinstance(doc, dict) or not isinstance(doc.get("secretKeyMultibase"), str):
        return None
    try:
        secret = multibase.decode(doc["secretKeyMultibase"])
    except multibase.MultibaseError:
        return None
    curve = _CURVE_BY_HEADER.get(secret[:2])
    if curve is None:
        return None
    key = EcSigningKey.from_scalar(curve, secret[2:])
    if "publicKeyMultibase" in doc and doc["publicKeyMultibase"] != key.public_key.multibase:
        raise KeyFileError("publicKeyMultibase does not belong to the private key in the same file", file=file)
    return key


register({
    # raised here and by mcred.keys.ed25519, which names an EC key where only Ed25519 is taken
    "KEY_FILE_WRONG_TYPE": ("la chiave è di tipo {key_type}, non Ed25519: questo comando firma solo con chiavi "
                            "Ed25519",
                            "issue, stack e le liste di stato firmano con chiavi Ed25519 (mcred keygen); una chiave "
                            "P-256 o P-384 firma con mcred sign --suite ecdsa-rdfc-2019 (o ecdsa-jcs-2019)"),
})
