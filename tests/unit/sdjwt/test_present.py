"""A holder's SD-JWT presentation (mcred.sdjwt.present): the chosen disclosures, nested ones, and the KB-JWT."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from mcred.sdjwt.compact import parse_sd_jwt
from mcred.sdjwt.errors import SdJwtError
from mcred.sdjwt.keybinding import check_key_binding
from mcred.sdjwt.present import make_presentation
from mcred.sdjwt.reveal import reveal

ASSETS = Path(__file__).parents[2] / "assets" / "sd-jwt-vc"
#: the holder key of tests/assets/sd-jwt-vc/settings.yml (the cnf key of the IETF examples)
HOLDER_D = "5K5SCos8zf9zRemGGUl6yfok-_NiiryNZsvANWMhF-I"
NOW = datetime(2026, 6, 2, tzinfo=timezone.utc)


def _holder():
    d = int.from_bytes(base64.urlsafe_b64decode(HOLDER_D + "="), "big")
    return ec.derive_private_key(d, ec.SECP256R1())


def _pid() -> str:
    return (ASSETS / "03-pid" / "sd_jwt_issuance.txt").read_text(encoding="ascii")


def _check(text: str):
    sd = parse_sd_jwt(text)
    check_key_binding(sd, sd.issuer_jwt.payload, nonce="n1", audience="https://v.example", now=NOW,
                      skew=timedelta(minutes=5))
    return reveal(sd.issuer_jwt.payload, sd.disclosures)


def test_a_nested_claim_brings_the_disclosures_it_is_in():
    made = make_presentation(_pid(), ["address.country", "given_name"], _holder(), nonce="n1",
                             audience="https://v.example", now=NOW)
    claims = _check(made.text).claims
    assert claims["given_name"] and claims["address"] == {"country": claims["address"]["country"]}
    assert "family_name" not in claims and "birthdate" not in claims
    assert sorted(made.shown) == ["address", "address.country", "given_name"]


def test_an_object_brings_what_is_inside_it():
    made = make_presentation(_pid(), ["address"], _holder(), nonce="n1", audience="https://v.example", now=NOW)
    assert set(_check(made.text).claims["address"]) == {"postal_code", "street_address", "locality", "country"}


def test_plain_claims_are_always_shown_and_unknown_ones_refused():
    made = make_presentation(_pid(), ["iss"], _holder(), nonce="n1", audience="https://v.example", now=NOW)
    assert made.shown == [] and _check(made.text).claims["iss"] == "https://pid-issuer.aendgard.example"
    with pytest.raises(SdJwtError) as caught:
        make_presentation(_pid(), ["shoe_size"], _holder(), nonce="n1", audience="https://v.example", now=NOW)
    assert caught.value.code == "SDJWT_CLAIM_UNKNOWN" and "given_name" in caught.value.params["names"]


def test_another_holder_key_is_refused():
    with pytest.raises(SdJwtError) as caught:
        make_presentation(_pid(), ["given_name"], ec.generate_private_key(ec.SECP256R1()), nonce="n1",
                          audience="https://v.example", now=NOW)
    assert caught.value.code == "SDJWT_KB_SIGNATURE_INVALID"
