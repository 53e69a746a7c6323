"""Public keys of every type mcred verifies with: Ed25519, P-256 and P-384.

A key arrives as a Multikey ``publicKeyMultibase`` (a multicodec header then the key: ``z6Mk…`` Ed25519,
``zDn…`` P-256, ``z82…`` P-384, the form did:key uses) or as a JWK (``OKP``/``Ed25519``, ``EC``/``P-256``,
``EC``/``P-384``). Both decode here, once, to an object with the interface of
:class:`mcred.keys.ed25519.PublicKey`, so that a proof verifier asks a key to verify without caring which
curve it is on. The curve arithmetic is pyca/cryptography's; nothing here does any.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import cached_property

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from mcred.keys import multibase
from mcred.keys.ed25519 import PublicKey

#: multicodec varint headers of compressed EC public keys (p256-pub 0x1200, p384-pub 0x1201)
P256_PUB = b"\x80\x24"
P384_PUB = b"\x81\x24"

#: per curve: the cryptography curve, the multicodec header, the compressed point's length, the hash ECDSA uses
_CURVES = {
    "P-256": (ec.SECP256R1(), P256_PUB, 33, hashes.SHA256),
    "P-384": (ec.SECP384R1(), P384_PUB, 49, hashes.SHA384),
}
_CURVE_BY_HEADER = {header: name for name, (_, header, _, _) in _CURVES.items()}
_CURVE_BY_CRYPTOGRAPHY_NAME = {"secp256r1": "P-256", "secp384r1": "P-384"}


class KeyDecodeError(ValueError):
    """A Multikey or JWK that is not a public key mcred can use; the message says which part is wrong."""


class EcPublicKey(multibase.DidKeyNamed):
    """A P-256 or P-384 public key, with the names did:key gives it.

    ``verify`` takes an IEEE P1363 signature (r || s, as Data Integrity and JOSE write it) and lets ECDSA
    hash the data with the curve's own hash (SHA-256 for P-256, SHA-384 for P-384), as the ECDSA
    cryptosuites and ES256/ES384 require.
    """

    def __init__(self, key: ec.EllipticCurvePublicKey) -> None:
        curve = _CURVE_BY_CRYPTOGRAPHY_NAME.get(key.curve.name)
        if curve is None:
            raise KeyDecodeError(f"curve {key.curve.name} is not one mcred uses (P-256 or P-384)")
        self.key = key
        self.curve = curve
        self.raw = key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)

    @classmethod
    def from_compressed(cls, curve: str, raw: bytes) -> EcPublicKey:
        cryptography_curve, _, length, _ = _CURVES[curve]
        if len(raw) != length:
            raise KeyDecodeError(f"a compressed {curve} key is {length} bytes, got {len(raw)}")
        try:
            return cls(ec.EllipticCurvePublicKey.from_encoded_point(cryptography_curve, raw))
        except ValueError:
            raise KeyDecodeError(f"the bytes are not a point on {curve}") from None

    @property
    def hash_algorithm(self) -> hashes.HashAlgorithm:
        return _CURVES[self.curve][3]()

    @property
    def signature_length(self) -> int:
        """Bytes in an r || s signature: twice the curve's coordinate size."""
        return 2 * (_CURVES[self.curve][2] - 1)

    @cached_property
    def multibase(self) -> str:
        """``publicKeyMultibase``: 'z' + base58btc(multicodec header + compressed point)."""
        return multibase.encode(_CURVES[self.curve][1] + self.raw)

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when ``signature`` (r || s) is this key's ECDSA signature of ``data``."""
        half = self.signature_length // 2
        if len(signature) != self.signature_length:
            return False
        der = encode_dss_signature(int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big"))
        try:
            self.key.verify(der, data, ec.ECDSA(self.hash_algorithm))
        except InvalidSignature:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EcPublicKey) and other.curve == self.curve and other.raw == self.raw

    def __hash__(self) -> int:
        return hash((self.curve, self.raw))

    def __repr__(self) -> str:
        return f"EcPublicKey({self.curve}, {self.multibase})"


AnyPublicKey = PublicKey | EcPublicKey


def key_type_name(key: AnyPublicKey) -> str:
    """'Ed25519', 'P-256' or 'P-384': what a report or an error calls the key."""
    return key.curve if isinstance(key, EcPublicKey) else "Ed25519"


def public_key_from_multibase(value: str) -> AnyPublicKey:
    """The key a ``publicKeyMultibase`` (or a did:key's identifier) holds."""
    try:
        decoded = multibase.decode(value)
    except multibase.MultibaseError as exc:
        raise KeyDecodeError(f"not a multibase key: {exc}") from None
    header, body = decoded[:2], decoded[2:]
    if header == multibase.ED25519_PUB:
        if len(body) != 32:
            raise KeyDecodeError(f"an Ed25519 key is 32 bytes, got {len(body)}")
        try:
            return PublicKey.from_raw(body)
        except ValueError:
            raise KeyDecodeError("the bytes are not an Ed25519 public key") from None
    curve = _CURVE_BY_HEADER.get(header)
    if curve is None:
        raise KeyDecodeError(f"multicodec header 0x{header.hex()} is not an Ed25519, P-256 or P-384 public key "
                             "(z6Mk…, zDn…, z82…)")
    return EcPublicKey.from_compressed(curve, body)


def _b64url(jwk: Mapping, member: str) -> bytes:
    value = jwk.get(member)
    if not isinstance(value, str) or not value or "=" in value:
        raise KeyDecodeError(f"JWK member {member!r} must be unpadded base64url text")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        raise KeyDecodeError(f"JWK member {member!r} is not base64url") from None


def public_key_from_jwk(jwk: Mapping) -> AnyPublicKey:
    """The public key a JWK holds (RFC 7517 / 8037). A JWK carrying a private part is refused: a document or a
    header that publishes one has leaked its key, and using it would bless the leak."""
    if not isinstance(jwk, Mapping):
        raise KeyDecodeError("a JWK must be a JSON object")
    if "d" in jwk:
        raise KeyDecodeError("the JWK holds a private key ('d'): publish only the public part")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty == "OKP" and crv == "Ed25519":
        x = _b64url(jwk, "x")
        if len(x) != 32:
            raise KeyDecodeError(f"an Ed25519 'x' is 32 bytes, got {len(x)}")
        return PublicKey.from_raw(x)
    if kty == "EC" and crv in _CURVES:
        size = _CURVES[crv][2] - 1
        x, y = _b64url(jwk, "x"), _b64url(jwk, "y")
        if len(x) != size or len(y) != size:
            raise KeyDecodeError(f"a {crv} key's 'x' and 'y' are {size} bytes each")
        try:
            numbers = ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"),
                                                    _CURVES[crv][0])
            return EcPublicKey(numbers.public_key())
        except ValueError:
            raise KeyDecodeError(f"'x' and 'y' are not a point on {crv}") from None
    raise KeyDecodeError(f"JWK kty {kty!r} / crv {crv!r} is not Ed25519 (OKP), P-256 or P-384 (EC)")
