"""Public keys of every type: Multikey and JWK decoding, ECDSA verification, did:key for P-256 and P-384.

The expected keys are derived independently of the code under test: from the secret keys the W3C
vc-di-ecdsa test vectors and the vc-jose-cose test suite publish, with pyca/cryptography's own derivation.
"""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from mcred.keys import multibase
from mcred.keys.did_key import ResolutionError, resolve_verification_method
from mcred.keys.ed25519 import PublicKey
from mcred.keys.multikey import (
    EcPublicKey,
    KeyDecodeError,
    key_type_name,
    public_key_from_jwk,
    public_key_from_multibase,
)

# w3c/vc-di-ecdsa, TestVectors/p256KeyPair.json and p384KeyPair.json (commit in tests/vectors/PROVENANCE.md
# of the ECDSA vectors; copied here as the two strings of each file)
P256_PUBLIC = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
P256_SECRET = "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"
P384_PUBLIC = "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ"
P384_SECRET = "z2fanyY7zgwNpZGxX5fXXibvScNaUWNprHU9dKx7qpVj7mws9J8LLt4mDB5TyH2GLHWkUc"
# multicodec p256-priv 0x1306, p384-priv 0x1307
SECRET_HEADERS = {"P-256": (b"\x86\x26", ec.SECP256R1()), "P-384": (b"\x87\x26", ec.SECP384R1())}

# w3c/vc-jose-cose-test-suite, tests/input/vm-p256.json (commit ff6be51d)
JOSE_P256_PUBLIC = {"kty": "EC", "crv": "P-256", "x": "WfTi93YuhsQxKbD0ftnjOXJndqhnJ5kgDV-ZDGyrhBQ",
                    "y": "qUd_55EjX0mjKZ6W6mF4UXVYTQ41K6jfdnYFwN5uPyk"}
JOSE_P256_D = "J_a5KH6A2Ru7iOAzvUkQEjKCJQCdxUXVajaW3CaPORs"


def private_from_secret_multibase(curve: str, secret: str) -> ec.EllipticCurvePrivateKey:
    header, cryptography_curve = SECRET_HEADERS[curve]
    decoded = multibase.decode(secret)
    assert decoded[:2] == header
    return ec.derive_private_key(int.from_bytes(decoded[2:], "big"), cryptography_curve)


def compressed(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def p1363(private: ec.EllipticCurvePrivateKey, data: bytes, algorithm) -> bytes:
    r, s = decode_dss_signature(private.sign(data, ec.ECDSA(algorithm)))
    size = (private.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


@pytest.mark.parametrize(("curve", "public", "secret"),
                         [("P-256", P256_PUBLIC, P256_SECRET), ("P-384", P384_PUBLIC, P384_SECRET)])
def test_the_w3c_key_pairs_decode_to_the_public_key_of_their_secret(curve, public, secret):
    key = public_key_from_multibase(public)
    assert isinstance(key, EcPublicKey)
    assert key.curve == curve and key_type_name(key) == curve
    assert key.raw == compressed(private_from_secret_multibase(curve, secret))
    assert key.multibase == public  # and it names itself as the vectors do
    assert key.did == f"did:key:{public}"


@pytest.mark.parametrize(("curve", "public", "secret", "algorithm"),
                         [("P-256", P256_PUBLIC, P256_SECRET, hashes.SHA256),
                          ("P-384", P384_PUBLIC, P384_SECRET, hashes.SHA384)])
def test_an_ecdsa_signature_verifies_with_the_curve_hash_and_nothing_else(curve, public, secret, algorithm):
    private = private_from_secret_multibase(curve, secret)
    key = public_key_from_multibase(public)
    signature = p1363(private, b"hash data", algorithm())
    assert key.verify(signature, b"hash data")
    assert not key.verify(signature, b"hash datA")
    other_hash = hashes.SHA384() if algorithm is hashes.SHA256 else hashes.SHA256()
    assert not key.verify(p1363(private, b"hash data", other_hash), b"hash data")
    assert not key.verify(signature[:-1], b"hash data")  # r || s of the wrong length
    der = private.sign(b"hash data", ec.ECDSA(algorithm()))
    assert not key.verify(der, b"hash data")  # DER is not the form Data Integrity and JOSE write


def test_a_jwk_decodes_to_the_key_of_its_secret():
    key = public_key_from_jwk(JOSE_P256_PUBLIC)
    d = int.from_bytes(base64.urlsafe_b64decode(JOSE_P256_D + "="), "big")
    assert key.raw == compressed(ec.derive_private_key(d, ec.SECP256R1()))
    assert public_key_from_multibase(key.multibase) == key


def test_an_ed25519_jwk_and_multikey_are_the_same_public_key():
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}
    from_jwk = public_key_from_jwk(jwk)
    assert isinstance(from_jwk, PublicKey) and key_type_name(from_jwk) == "Ed25519"
    assert from_jwk == public_key_from_multibase(multibase.encode(multibase.ED25519_PUB + raw))


@pytest.mark.parametrize(("jwk", "reason"), [
    (JOSE_P256_PUBLIC | {"d": JOSE_P256_D}, "holds a private key"),
    (JOSE_P256_PUBLIC | {"crv": "P-521"}, "is not Ed25519 (OKP), P-256 or P-384"),
    ({"kty": "RSA", "n": "AQAB", "e": "AQAB"}, "is not Ed25519 (OKP), P-256 or P-384"),
    (JOSE_P256_PUBLIC | {"y": JOSE_P256_PUBLIC["x"]}, "are not a point on P-256"),
    (JOSE_P256_PUBLIC | {"x": "AAAA"}, "are 32 bytes each"),
    (JOSE_P256_PUBLIC | {"x": JOSE_P256_PUBLIC["x"] + "="}, "unpadded base64url"),
    ({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}, "is 32 bytes"),
    (["not", "an", "object"], "must be a JSON object"),
])
def test_a_jwk_that_is_not_a_usable_public_key_is_refused_with_the_reason(jwk, reason):
    with pytest.raises(KeyDecodeError, match=re.escape(reason)):
        public_key_from_jwk(jwk)


def test_a_multikey_that_is_not_a_key_mcred_uses_is_refused_with_the_reason():
    raw = multibase.decode(P256_PUBLIC)
    with pytest.raises(KeyDecodeError, match="0x1301 is not an Ed25519, P-256 or P-384"):
        public_key_from_multibase(multibase.encode(b"\x13\x01" + raw[2:]))
    with pytest.raises(KeyDecodeError, match="a compressed P-256 key is 33 bytes"):
        public_key_from_multibase(multibase.encode(raw + b"\0"))
    with pytest.raises(KeyDecodeError, match="not a point on P-256"):
        public_key_from_multibase(multibase.encode(raw[:2] + b"\x05" + raw[3:]))
    with pytest.raises(KeyDecodeError, match="not a multibase key"):
        public_key_from_multibase("uAAAA")


@pytest.mark.parametrize("public", [P256_PUBLIC, P384_PUBLIC])
def test_did_key_resolves_p256_and_p384_keys_offline(public):
    method = resolve_verification_method(f"did:key:{public}#{public}")
    assert method.id == f"did:key:{public}#{public}" and method.controller == f"did:key:{public}"
    assert method.public_key == public_key_from_multibase(public)
    with pytest.raises(ResolutionError, match="fragment does not match"):
        resolve_verification_method(f"did:key:{public}#{P256_PUBLIC if public != P256_PUBLIC else P384_PUBLIC}")
