"""Mangled seals never crash the verifier (every one gets a report: exit 0, 1 or 3, valid against the schema),
nor `mcred show` / `mcred render` (a view, and a page or a refusal)."""

from __future__ import annotations

import base64
import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcred._schema import schema_errors
from mcred.errors import InputError
from mcred.present.page import render_page
from mcred.present.view import credential_view
from mcred.verify.runner import verify_credential
from tests.conftest import ASSETS, NOW, load_json

SAMPLE = load_json(ASSETS / "jades" / "ec-Sample-MC-Annex1-signed-jades.jsonld")
HEADER_NAMES = ["alg", "crit", "b64", "x5c", "x5t#S256", "x5t", "kid", "sigT", "iat", "adoTst", "typ", "cty", "sigD"]
ETSIU_NAMES = ["sigTst", "xVals", "rVals", "arcTst"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | st.text(max_size=20)
    | st.sampled_from(["RS256", "none", "b64", "AAAA", "MIIB", "2023-09-27T11:54:17Z"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["val", "tstTokens", "x509Cert", "crlVals", "ocspVals", "timeStamped", "canonAlg", "x"]),
        inner, max_size=3),
    max_leaves=10)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _decode(text: str):
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def _check(document) -> None:
    report = verify_credential(document, now=NOW)
    assert report.exit_code in (0, 1, 3)
    assert schema_errors(report.to_dict(), "mcred-report-1.schema.json") == []
    # what `mcred show` and `mcred render` make of it: a view always; a page, or a refusal that says why
    for lang in ("en", "it"):
        view = credential_view(document, report, lang=lang, checked_at=NOW)
        try:
            render_page(view)
        except InputError as exc:
            assert exc.code in ("PAGE_NO_DIGEST", "PAGE_NO_QR"), exc.code


settings_ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings_
@given(name=st.sampled_from(HEADER_NAMES), value=json_values)
def test_any_protected_header_value(name, value):
    document = copy.deepcopy(SAMPLE)
    header = _decode(document["signatures"][0]["protected"])
    header[name] = value
    document["signatures"][0]["protected"] = _b64url(json.dumps(header).encode())
    _check(document)


@settings_
@given(index=st.integers(min_value=0, max_value=3), name=st.sampled_from(ETSIU_NAMES), value=json_values)
def test_any_unsigned_component(index, name, value):
    document = copy.deepcopy(SAMPLE)
    etsiu = document["signatures"][0]["header"]["etsiU"]
    etsiu[index] = _b64url(json.dumps({name: value}).encode())
    _check(document)


@settings_
@given(where=st.sampled_from(["payload", "signatures", "signature", "protected", "header"]), value=json_values)
def test_any_structure(where, value):
    document = copy.deepcopy(SAMPLE)
    if where in ("payload", "signatures"):
        document[where] = value
    else:
        document["signatures"][0][where] = value
    _check(document)


@settings_
@given(position=st.integers(min_value=0, max_value=10**6), char=st.sampled_from("A/+_-=x"))
def test_any_character_of_a_token_or_certificate(position, char):
    document = copy.deepcopy(SAMPLE)
    header = _decode(document["signatures"][0]["protected"])
    token = header["adoTst"]["tstTokens"][0]["val"]
    at = position % len(token)
    header["adoTst"]["tstTokens"][0]["val"] = token[:at] + char + token[at + 1:]
    cert = header["x5c"][0]
    at = position % len(cert)
    if position % 2:
        header["x5c"][0] = cert[:at] + char + cert[at + 1:]
    document["signatures"][0]["protected"] = _b64url(json.dumps(header).encode())
    _check(document)
