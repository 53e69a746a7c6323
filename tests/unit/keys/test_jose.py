"""mcred.keys.jose.ParsedJwsVerifier: the signature of a compact JWS whose header and payload the caller has
read, checked by joserfc's ES256 with one key; each way a signature can be wrong is refused."""

from __future__ import annotations

import base64

import pytest

from mcred.keys.ecdsa import EcSigningKey
from mcred.keys.jose import JoseSignatureError, ParsedJwsVerifier, sign_compact_ec, verify_compact


@pytest.fixture(scope="module")
def signed():
    key = EcSigningKey.generate("P-256")
    return key, sign_compact_ec({"typ": "dc+sd-jwt"}, b'{"vct": "urn:x"}', key)


def test_a_good_signature_verifies_as_with_verify_compact(signed):
    key, text = signed
    verify_compact(text, key.public_key, "ES256")  # the library's full path agrees
    ParsedJwsVerifier(key.public_key, "ES256").verify(text)


def test_a_changed_payload_is_refused(signed):
    key, text = signed
    head, _, signature = text.split(".")
    other = base64.urlsafe_b64encode(b'{"vct": "urn:y"}').rstrip(b"=").decode()
    with pytest.raises(JoseSignatureError, match="bad signature"):
        ParsedJwsVerifier(key.public_key, "ES256").verify(f"{head}.{other}.{signature}")


def test_another_key_is_refused(signed):
    _, text = signed
    with pytest.raises(JoseSignatureError, match="bad signature"):
        ParsedJwsVerifier(EcSigningKey.generate("P-256").public_key, "ES256").verify(text)


@pytest.mark.parametrize("mangle, reason", [
    (lambda s: s[:-4], "the signature cut short (not the 64 bytes of ES256)"),
    (lambda s: s + "==", "padding, which base64url in JWS never has"),
    (lambda s: s.replace("-", "+").replace("_", "/") if ("-" in s or "_" in s) else "+" + s[1:],
     "standard base64 instead of base64url"),
])
def test_a_malformed_signature_is_refused(signed, mangle, reason):
    key, text = signed
    head, payload, signature = text.split(".")
    with pytest.raises(JoseSignatureError):
        ParsedJwsVerifier(key.public_key, "ES256").verify(f"{head}.{payload}.{mangle(signature)}"), reason


def test_a_text_that_is_not_three_parts_is_refused(signed):
    key, text = signed
    with pytest.raises(JoseSignatureError, match="not a compact JWS"):
        ParsedJwsVerifier(key.public_key, "ES256").verify("x." + text)


def test_a_key_of_another_curve_is_refused_when_made():
    with pytest.raises(JoseSignatureError, match="P-256"):
        ParsedJwsVerifier(EcSigningKey.generate("P-384").public_key, "ES256")
