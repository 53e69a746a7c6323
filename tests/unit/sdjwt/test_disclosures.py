"""Disclosures, the compact form and the disclosed claims, on the IETF SD-JWT VC examples (tests/assets)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mcred.keys.jose import verify_compact
from mcred.keys.multikey import public_key_from_jwk
from mcred.sdjwt.compact import is_sd_jwt, parse_sd_jwt
from mcred.sdjwt.disclosures import decode_disclosure, disclosure_digest, encode_disclosure
from mcred.sdjwt.errors import SdJwtError
from mcred.sdjwt.keybinding import check_key_binding
from mcred.sdjwt.reveal import reveal

ASSETS = Path(__file__).parents[2] / "assets" / "sd-jwt-vc"
#: the issuer's public key of tests/assets/sd-jwt-vc/settings.yml
ISSUER = {"kty": "EC", "crv": "P-256", "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
          "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"}
KB_TIME = datetime.fromtimestamp(1683000000, timezone.utc) + timedelta(minutes=1)


def test_the_draft_s_disclosure_and_digest():
    # SD-JWT VC draft / docs: ["2GLC42sKQveCfGfryNRN9w", "given_name", "John"] and its digest in example 01
    encoded = "WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd"
    assert decode_disclosure(encoded) == ["2GLC42sKQveCfGfryNRN9w", "given_name", "John"]
    assert disclosure_digest(encoded) == "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4"


def test_encoding_round_trips_claims_and_array_elements():
    assert decode_disclosure(encode_disclosure("salt", "name", {"a": [1]})) == ["salt", "name", {"a": [1]}]
    assert decode_disclosure(encode_disclosure("salt", None, "IT")) == ["salt", "IT"]


@pytest.mark.parametrize("example", ["01", "02", "03-pid"])
def test_the_ietf_examples_verify(example):
    text = (ASSETS / example / "sd_jwt_presentation.txt").read_text(encoding="ascii")
    assert is_sd_jwt(text.encode("ascii"))
    sd = parse_sd_jwt(text)
    verify_compact(sd.issuer_jwt.text, public_key_from_jwk(ISSUER), "ES256")
    revealed = reveal(sd.issuer_jwt.payload, sd.disclosures)
    assert revealed.claims == json.loads((ASSETS / example / "verified_contents.json").read_text(encoding="utf-8"))
    assert revealed.withheld > 0
    if sd.kb_jwt is not None:
        bound = check_key_binding(sd, sd.issuer_jwt.payload, nonce="1234567890",
                                  audience="https://example.com/verifier", now=KB_TIME, skew=timedelta(minutes=5))
        assert bound.nonce == "1234567890"


def _example():
    return (ASSETS / "01" / "sd_jwt_presentation.txt").read_text(encoding="ascii")


def _code(call) -> str:
    with pytest.raises(SdJwtError) as caught:
        call()
    return caught.value.code


def test_a_changed_disclosure_is_unreferenced():
    sd = parse_sd_jwt(_example())
    changed = encode_disclosure("lklxF5jMYlGTPUovMNIvCA", "is_over_65", False)
    assert _code(lambda: reveal(sd.issuer_jwt.payload, [changed, *sd.disclosures[1:]])) == \
        "SDJWT_DISCLOSURE_UNREFERENCED"


def test_an_added_disclosure_is_unreferenced():
    sd = parse_sd_jwt(_example())
    added = encode_disclosure("fresh-salt", "nationality", "IT")
    assert _code(lambda: reveal(sd.issuer_jwt.payload, [*sd.disclosures, added])) == "SDJWT_DISCLOSURE_UNREFERENCED"


def test_a_repeated_disclosure_is_refused():
    sd = parse_sd_jwt(_example())
    assert _code(lambda: reveal(sd.issuer_jwt.payload, [*sd.disclosures, sd.disclosures[0]])) == \
        "SDJWT_DISCLOSURE_REPEATED"


def test_a_digest_signed_twice_is_refused():
    sd = parse_sd_jwt(_example())
    payload = dict(sd.issuer_jwt.payload)
    payload["_sd"] = [*payload["_sd"], payload["_sd"][0]]
    assert _code(lambda: reveal(payload, sd.disclosures)) == "SDJWT_DIGEST_REPEATED"


def test_a_removed_digest_leaves_its_disclosure_unreferenced():
    sd = parse_sd_jwt(_example())
    payload = dict(sd.issuer_jwt.payload)
    payload["_sd"] = [d for d in payload["_sd"] if d != disclosure_digest(sd.disclosures[0])]
    assert _code(lambda: reveal(payload, sd.disclosures)) == "SDJWT_DISCLOSURE_UNREFERENCED"


@pytest.mark.parametrize("name", ["_sd", "..."])
def test_reserved_names_are_refused(name):
    disclosure = encode_disclosure("salt", name, ["x"])
    payload = {"_sd": [disclosure_digest(disclosure)]}
    assert _code(lambda: reveal(payload, [disclosure])) == "SDJWT_RESERVED_NAME"


def test_a_claim_the_payload_already_has_is_refused():
    disclosure = encode_disclosure("salt", "iss", "https://evil.example")
    payload = {"iss": "https://its.example", "_sd": [disclosure_digest(disclosure)]}
    assert _code(lambda: reveal(payload, [disclosure])) == "SDJWT_CLAIM_CLASH"


def test_vct_may_not_be_selectively_disclosed():
    disclosure = encode_disclosure("salt", "vct", "urn:x")
    assert _code(lambda: reveal({"_sd": [disclosure_digest(disclosure)]}, [disclosure])) == \
        "SDJWT_CLAIM_NOT_DISCLOSABLE"


def test_array_elements_and_their_kind():
    element = encode_disclosure("salt", None, "DE")
    payload = {"nationalities": ["IT", {"...": disclosure_digest(element)}, {"...": "withheld-digest"}]}
    revealed = reveal(payload, [element])
    assert revealed.claims == {"nationalities": ["IT", "DE"]} and revealed.withheld == 1
    claim = encode_disclosure("salt", "name", "DE")
    assert _code(lambda: reveal({"n": [{"...": disclosure_digest(claim)}]}, [claim])) == \
        "SDJWT_DISCLOSURE_MISPLACED"


def test_only_sha_256():
    assert _code(lambda: reveal({"_sd_alg": "sha-512", "_sd": []}, ["WyJhIiwgImIiXQ"])) == "SDJWT_SD_ALG_UNSUPPORTED"


@pytest.mark.parametrize("bad", ["not base64!", "WyJhIl0", "eyJhIjogMX0"])   # garbage, ["a"], {"a": 1}
def test_unreadable_disclosures(bad):
    assert _code(lambda: reveal({"_sd": []}, [bad])) == "SDJWT_DISCLOSURE_MALFORMED"


@pytest.mark.parametrize("text", ["no tilde here", "a.b~", "e30.e30.sig~~x~", "W10.e30.sig~"])
def test_malformed_compact_forms(text):
    assert _code(lambda: parse_sd_jwt(text)) == "SDJWT_MALFORMED"


def test_hostile_nesting_is_refused_before_the_walk():
    deep = encode_disclosure("salt", "x", json.loads("[" * 300 + "]" * 300))
    assert _code(lambda: reveal({"_sd": [disclosure_digest(deep)]}, [deep])) == "SDJWT_DISCLOSURE_MALFORMED"
    from mcred.sdjwt.compact import decode_part

    body = base64.urlsafe_b64encode(("[" * 300 + "]" * 300).join(['{"a": ', "}"]).encode()).decode()
    assert _code(lambda: decode_part(body.rstrip("="), "payload")) == "SDJWT_MALFORMED"
