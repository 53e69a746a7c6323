"""IETF Token Status Lists kept by an issuer, as local files: create, allocate indexes, revoke, suspend, reinstate.

The list is a Status List Token (draft-ietf-oauth-status-list -20): a compact JWT, header ``typ``
``statuslist+jwt``, ``alg`` ES256 (a P-256 key: HAIP's and IT-Wallet's baseline), ``kid`` (the RFC 7638
thumbprint of the key) and, with ``--cert CHAIN.pem``, ``x5c`` (leaf first, as HAIP asks); claims
``sub`` (the list's URI, which credentials name), ``iat``, optional ``exp`` and ``ttl``, and
``status_list`` ``{bits, lst}`` (:mod:`mcred.status_tokens`: ZLIB, least-significant bits first; the
W3C Bitstring list of :mod:`mcred.issue.status_lists` is GZIP and most-significant bit first).

A credential points into it with :func:`token_status_entry`:
``"status": {"status_list": {"idx": 5678, "uri": "https://..."}}``.

Statuses (the draft's registry): 0 VALID, 1 INVALID (revoked, final), 2 SUSPENDED (``bits`` 2 or more;
``reinstate`` sets it back to 0). One list serves both revocation and suspension.

**Files, allocation, locking** are those of the Bitstring lists (:mod:`mcred.issue.status_lists`): the
private sidecar ``LIST.alloc`` (``mcred-status-alloc/1``, mode 0600, never published) records how many
indexes were handed out and the key of the permutation that makes them unpredictable (HAIP asks for
random indices), the count is written before an index is returned, changes hold ``LIST.lock`` and
replace the list atomically. Every change re-signs the whole list with a new ``iat`` (and an ``exp``
as far after it as before).
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from mcred._files import write_new_file
from mcred.errors import InputError, KeyFileError, OutputExistsError, SigningError, UsageError
from mcred.keys.jose import MAX_HEADER, read_compact_unverified, sign_compact_es256, thumbprint
from mcred.status_tokens import INVALID, SUSPENDED, VALID, check_bits, empty_list, encode_status_list, set_status
from mcred.verify.token_status import StatusListToken, TokenStatusError, read_status_token

from .status_lists import (
    ALLOC_FORMAT,
    Allocation,
    UpdateResult,
    _check_list_id,
    _interrupted_init,
    _locked,
    _read_sidecar,
    _sync_folder,
    _write_sidecar,
    alloc_path,
    shuffled_index,
    unshuffled_position,
)

FORMAT = "token-status-list"
TYP = "statuslist+jwt"
#: the smallest list mcred makes: small lists tell who is revoked by elimination (draft "Herd Privacy")
MIN_SIZE = 1024
#: the largest: 2^24 statuses (at 8 bits, 16 MiB inflated, what the verifier reads)
MAX_SIZE = 1 << 24
#: what each action writes, and the statuses it may change
_TARGET = {"revoke": INVALID, "suspend": SUSPENDED, "reinstate": VALID}


def token_status_entry(uri: str, index: int) -> dict:
    """The ``status`` claim of a credential whose status is ``index`` in the list ``uri``."""
    return {"status_list": {"idx": index, "uri": uri}}


def is_token_status_list(path: str | Path) -> bool:
    """True when the file holds a Status List Token (a compact JWT, ``typ`` statuslist+jwt)."""
    # only the header is read (a few KiB at most, x5c included): the list itself may be megabytes
    try:
        with open(path, "rb") as handle:
            head = handle.read(2 * MAX_HEADER).lstrip().split(b".", 1)  # base64url: 4/3 of the header
        if len(head) != 2:
            return False
        header = json.loads(base64.urlsafe_b64decode(head[0] + b"=" * (-len(head[0]) % 4)))
    except (OSError, ValueError):
        return False
    return isinstance(header, dict) and header.get("typ") == TYP


def init_token_status_list(path: str | Path, key, uri: str, *, size: int = 1 << 17, bits: int = 2,
                           cert_chain: Path | None = None, ttl: int | None = None, lifetime: int | None = None,
                           now: int | None = None) -> str:
    """Create an empty signed Status List Token at ``path`` and its allocation sidecar; return the JWT.

    ``key`` is a P-256 :class:`mcred.keys.ecdsa.EcSigningKey`; ``cert_chain`` a PEM file whose first
    certificate is the key's (checked: its key, not a CA, fit for signing, valid now). ``ttl`` and
    ``lifetime`` (``exp`` = ``iat`` + lifetime) are in seconds.
    """
    path = Path(path)
    _check_list_id(uri)
    _check_key(key)
    check_size(size, bits)
    now = int(time.time()) if now is None else now
    header = {"typ": TYP, "kid": thumbprint(_public_jwk(key))}
    if cert_chain is not None:
        header["x5c"] = _x5c(cert_chain, key, datetime.fromtimestamp(now, UTC))
    claims = _claims(uri, now, ttl, lifetime, empty_list(size, bits), bits)
    with _locked(path):
        if path.exists():
            raise OutputExistsError("the status list already exists", file=str(path),
                                    hint="a list is changed with `mcred status revoke/suspend/reinstate`, "
                                    "never re-created (its indexes are in use)")
        sidecar = {"format": ALLOC_FORMAT, "list": uri, "size": size, "shuffle_key": secrets.token_hex(32),
                   "allocated": 0}
        _write_sidecar(path, sidecar, replace=_interrupted_init(path))
        token = _sign(header, claims, key)
        write_new_file(path, (token + "\n").encode("ascii"))
        _sync_folder(path)
    return token


def check_size(size: int, bits: int) -> None:
    """UsageError unless ``bits`` is 1, 2, 4 or 8 and the list fills whole bytes within mcred's bounds."""
    if bits not in (1, 2, 4, 8):
        raise UsageError(f"--bits {bits}: the draft allows 1, 2, 4 or 8")
    if size * bits % 8 or not MIN_SIZE <= size <= MAX_SIZE:
        raise UsageError(f"--size {size}: a Token Status List here has from {MIN_SIZE} to {MAX_SIZE} entries "
                         "filling whole bytes", hint="e.g. --size 131072")


def allocate_token_indexes(path: str | Path, count: int, key) -> list[Allocation]:
    """Hand out ``count`` never-used, unpredictable indexes of the list (verified with the issuer's ``key``),
    recording them durably before returning them; the purpose is "token-status" (revoke or suspend)."""
    path = Path(path)
    with _locked(path):
        token = _read_own(path, key)
        sidecar = _read_sidecar(path, _as_list(token))
        start = sidecar["allocated"]
        if start + count > token.size:
            raise InputError(f"the status list is full: {start} of {token.size} indexes are in use", file=str(path),
                             code="STATUS_LIST_FULL", hint="create another list with `mcred status init` "
                             "and issue with that one")
        shuffle = bytes.fromhex(sidecar["shuffle_key"])
        indexes = [shuffled_index(shuffle, n, token.size) for n in range(start, start + count)]
        _write_sidecar(path, {**sidecar, "allocated": start + count}, replace=True)
    return [Allocation(token.uri, index, "token-status") for index in indexes]


def update_token_status_list(path: str | Path, key, indexes: Iterable[int], action: str, *,
                             now: int | None = None) -> UpdateResult:
    """Revoke (1), suspend (2) or reinstate (0) indexes, re-sign the list and replace it atomically.

    Refuses a list that this key did not sign (or that was changed), suspending in a 1-bit list,
    suspending or reinstating what was revoked (revocation is final), and an index outside the list
    or (with the sidecar) never handed out.
    """
    if action not in _TARGET:
        raise UsageError(f"unknown action {action!r}")
    path = Path(path)
    with _locked(path):
        token = _read_own(path, key)
        target = _TARGET[action]
        if target >= 1 << token.bits:
            raise UsageError(f"cannot {action} in a list of {token.bits}-bit statuses", file=str(path),
                             hint="suspension needs --bits 2 or more: create such a list with `mcred status init`")
        indexes = sorted(set(indexes))
        _check_indexes(indexes, token, path)
        data = bytearray(token.data)
        result = UpdateResult()
        for index in indexes:
            current = token.status(index)
            if current == INVALID and target != INVALID:
                raise UsageError(f"index {index} is revoked: revocation is final", file=str(path),
                                 hint="a suspended credential can be reinstated; a revoked one cannot")
            (result.changed if current != target else result.unchanged).append(index)
            set_status(data, index, token.bits, target)
        if not result.changed:
            return result
        now = int(time.time()) if now is None else now
        claims = token.claims
        lifetime = claims["exp"] - claims["iat"] if claims.get("exp") is not None else None
        new_claims = _claims(token.uri, now, claims.get("ttl"), lifetime, data, token.bits)
        header = {name: token.header[name] for name in ("typ", "kid", "x5c") if name in token.header}
        signed = _sign(header, new_claims, key)
        result.document = {"iat": now, "token": signed}
        write_new_file(path, (signed + "\n").encode("ascii"), force=True)
        _sync_folder(path)
    return result


def read_own_token(path: str | Path, key) -> StatusListToken:
    """The issuer's own list, verified with its key (times not checked: it is about to be re-signed)."""
    return _read_own(Path(path), key)


# --- helpers --------------------------------------------------------------------------------------


def _read_own(path: Path, key) -> StatusListToken:
    _check_key(key)
    try:
        text = path.read_text(encoding="ascii").strip()
        _, payload = read_compact_unverified(text)
        uri = json.loads(payload).get("sub")
    except FileNotFoundError:
        raise InputError("the status list does not exist", file=str(path),
                         hint="create it with `mcred status init --format token-status-list`") from None
    except (OSError, UnicodeError, ValueError, AttributeError) as exc:
        raise InputError(f"not a Status List Token: {exc}", file=str(path), code="TSL_JWT_MALFORMED") from None
    try:
        # the issuer's own file: an expired or stale copy is still re-signed; its signature must hold
        return read_status_token(text, expected_uri=uri, issuer_keys=[key.public_key], check_times=False)
    except TokenStatusError as exc:
        if exc.code == "TSL_SIGNATURE_INVALID":
            raise SigningError("this key did not sign the status list, or the list was changed after it was signed",
                               file=str(path), code="TSL_SIGNATURE_INVALID",
                               hint="use the key the list was created with; restore the list from a backup if it "
                               "was changed (mcred will not re-sign a list that may have been tampered with)") from None
        exc.file = str(path)
        raise


def _as_list(token: StatusListToken) -> SimpleNamespace:
    """What the Bitstring sidecar reader compares the sidecar with: the list's id and size."""
    return SimpleNamespace(id=token.uri, size=token.size)


def _check_indexes(indexes: list[int], token: StatusListToken, path: Path) -> None:
    if not indexes:
        raise UsageError("give at least one index")
    outside = [i for i in indexes if not 0 <= i < token.size]
    if outside:
        raise UsageError(f"index {outside[0]} is outside the list (0 to {token.size - 1})", file=str(path))
    if not alloc_path(path).exists():
        return  # a copy of the list without its sidecar: nothing to check against
    sidecar = _read_sidecar(path, _as_list(token))
    shuffle = bytes.fromhex(sidecar["shuffle_key"])
    never = [i for i in indexes if unshuffled_position(shuffle, i, token.size) >= sidecar["allocated"]]
    if never:
        raise UsageError(f"index {never[0]} was never handed out from this list", file=str(path),
                         hint="check the index in the issuing manifest (status_index)")


def _claims(uri: str, now: int, ttl: int | None, lifetime: int | None, data: bytes | bytearray, bits: int) -> dict:
    claims: dict = {"sub": uri, "iat": now}
    if lifetime is not None:
        claims["exp"] = now + lifetime
    if ttl is not None:
        claims["ttl"] = ttl
    claims["status_list"] = encode_status_list(data, check_bits(bits))
    return claims


def _sign(header: dict, claims: dict, key) -> str:
    payload = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return sign_compact_es256(header, payload, key)


def _check_key(key) -> None:
    if getattr(key, "curve", None) != "P-256":
        raise KeyFileError("a Token Status List is signed ES256: give a P-256 key",
                           hint="make one with `mcred keygen --type p256`", code="KEY_FILE_WRONG_TYPE")


def _public_jwk(key) -> dict:
    numbers = key.public_key.key.public_numbers()

    def b64(n: int) -> str:
        return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode("ascii")

    return {"kty": "EC", "crv": "P-256", "x": b64(numbers.x), "y": b64(numbers.y)}


def _x5c(chain_file: Path, key, now: datetime) -> list[str]:
    """``x5c`` from a PEM chain whose first certificate certifies ``key`` and may sign (checked before signing)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from mcred.keys.ed25519 import read_key_file
    from mcred.seals.x509 import can_seal, der, is_ca, seal_usages_refused, valid_at

    try:
        certs = x509.load_pem_x509_certificates(read_key_file(chain_file, what="certificate file", limit=1 << 20))
    except ValueError:
        raise KeyFileError("no PEM certificate could be read (-----BEGIN CERTIFICATE-----)",
                           file=str(chain_file)) from None
    leaf = certs[0]
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if leaf.public_key().public_bytes(*spki) != key.public_key.key.public_bytes(*spki):
        raise KeyFileError("the first certificate is not for this key", file=str(chain_file),
                           hint="give the key's own certificate first, then its CA certificates")
    if is_ca(leaf) or not can_seal(leaf) or seal_usages_refused(leaf):
        raise SigningError("the key's certificate is not fit for signing (a CA certificate, or key usages for "
                           "something else)", file=str(chain_file), hint="use a signing certificate (CA:FALSE, "
                           "digitalSignature)")
    if not valid_at(leaf, now):
        raise SigningError(f"the key's certificate is not valid now (from {leaf.not_valid_before_utc} to "
                           f"{leaf.not_valid_after_utc})", file=str(chain_file))
    return [base64.b64encode(der(cert)).decode("ascii") for cert in certs]


def describe_token_status_list(path: str | Path, *, key=None, index: int | None = None, cap: int = 10_000) -> dict:
    """What ``mcred status show`` reports of a Token Status List (``mcred-status/1`` JSON, with ``bits``,
    ``exp``, ``ttl`` and each set index's ``status``).

    The signature is checked with ``key`` (the issuer's signing key) when given, else with the key of the
    list's own ``x5c`` leaf (which says the list is intact, not who may be trusted: the chain is not
    checked here); with neither, the list is shown as not verified.
    """
    import contextlib

    from mcred.status_tokens import StatusListFormatError, decode_status_list, get_status, nonzero_statuses

    from .status_lists import SHOW_FORMAT

    path = Path(path)
    try:
        text = path.read_text(encoding="ascii").strip()
        header, payload = read_compact_unverified(text, max_payload=MAX_SIZE * 2)
        claims = json.loads(payload)
        bits, data = decode_status_list(claims.get("status_list"))
    except (OSError, UnicodeError, ValueError, AttributeError, StatusListFormatError) as exc:
        raise InputError(f"not a Status List Token mcred can read: {exc}", file=str(path),
                         code="TSL_JWT_MALFORMED") from None
    signer, keys = _show_keys(header, key)
    problem = None
    try:
        read_status_token(text, expected_uri=claims.get("sub"), issuer_keys=keys, check_times=False)
    except TokenStatusError as exc:
        problem = exc.message if keys else "no key to check the signature with: give --key (or a list with x5c)"
    size = len(data) * 8 // bits
    nonzero = dict(nonzero_statuses(data, bits))
    shown = list(nonzero)[:cap]
    info = {
        "format": SHOW_FORMAT, "file": str(path), "id": claims.get("sub"), "kind": "TokenStatusList",
        "issuer": signer, "purpose": "revocation/suspension" if bits > 1 else "revocation",
        "valid_from": _iso(claims.get("iat")), "expires": _iso(claims.get("exp")), "ttl": claims.get("ttl"),
        "bits": bits, "size": size, "verified": problem is None, "problem": problem,
        "set_count": len(nonzero), "set": shown, "set_truncated": len(nonzero) > cap,
        "statuses": {str(i): nonzero[i] for i in shown}, "allocated": None,
    }
    with contextlib.suppress(InputError):
        info["allocated"] = _read_sidecar(path, SimpleNamespace(id=info["id"], size=size))["allocated"]
    if index is not None:
        if not 0 <= index < size:
            raise UsageError(f"--index {index} is outside the list (0 to {size - 1})", file=str(path))
        value = get_status(data, index, bits)
        info["index"] = {"index": index, "set": value != 0, "status": value}
    return info


def _show_keys(header: dict, key) -> tuple[str | None, list]:
    """Who signed, as the header says, and the keys to check that with."""
    if key is not None:
        _check_key(key)
        return header.get("kid"), [key.public_key]
    if isinstance(header.get("x5c"), list) and header["x5c"]:
        from cryptography import x509

        from mcred.keys.multikey import EcPublicKey, KeyDecodeError

        try:
            leaf = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0], validate=True))
            return leaf.subject.rfc4514_string(), [EcPublicKey(leaf.public_key())]
        except (ValueError, TypeError, KeyDecodeError):
            return None, []
    return header.get("kid"), []


def _iso(seconds) -> str | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None
