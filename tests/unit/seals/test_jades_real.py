"""Real Europass credentials sealed by EDC through a qualified CA, and what a sealed payload may leave unread.

The six MyNextID credentials (tests/assets/realworld/edc-mynextid, see its PROVENANCE.md) write the
issuer's eIDAS identifier as the bare number with its country, use terms no context defines, and carry
StatusList2021 entries: they verify given their CA's root as an anchor (a TEST-ONLY trust file), with
warnings that say what was not read. The crafted seals below try what a forger would.
"""

from __future__ import annotations

import json

import pytest

from mcred.report import Status, VerifyOptions
from mcred.seals.jades import make_seal, sign_bytes
from mcred.verify.runner import verify_credential, verify_file
from mcred.verify.trust import load_trust_list
from tests.conftest import ASSETS, NOW, load_json
from tests.pki import seal_pki

REAL = ASSETS / "realworld" / "edc-mynextid"
REAL_FILES = sorted(REAL.glob("*-signed.jsonld"))
TRUST = ASSETS / "jades" / "real" / "TEST-ONLY-halcom-root.trust.yaml"
EXAMPLES = ASSETS.parent.parent / "examples"
WHEN = "2026-07-01T09:00:00Z"
#: what a real EDC credential may warn about: its content (Annex I), what mcred cannot read, nothing forged
ALLOWED_WARNINGS = {"JADES_TERM_UNDEFINED", "JADES_STATUS_UNREAD"}


def codes(report, status: Status) -> list[str]:
    return [c.code for c in report.checks if c.status == status]


def test_there_are_six_real_edc_credentials():
    assert len(REAL_FILES) == 6


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name.split("__")[0])
def test_a_real_edc_credential_verifies_with_its_qualified_ca_as_the_anchor(path):
    report = verify_file(path, options=VerifyOptions(now=NOW, trust=load_trust_list(TRUST)))
    assert report.outcome == "verified-with-warnings", [(c.code, c.message) for c in report.failures]
    assert report.seal["trusted"] and report.seal["chain"][-1] == "Halcom Root Certificate Authority"
    assert "JADES_ISSUER_SEALED" in codes(report, Status.PASSED)
    assert {c for c in codes(report, Status.WARNING) if not c.startswith("ANNEX_")} <= ALLOWED_WARNINGS
    assert "JADES_TERM_UNDEFINED" in codes(report, Status.WARNING)
    assert codes(report, Status.WARNING).count("JADES_STATUS_UNREAD") == 2  # revocation and suspension
    assert report.to_dict()["issuer_name"] == "VELOCERT OU"


def test_without_the_anchor_the_seal_is_valid_but_untrusted():
    report = verify_file(REAL_FILES[0], options=VerifyOptions(now=NOW))
    assert report.outcome == "verified-with-warnings"
    assert "JADES_CHAIN_UNTRUSTED" in codes(report, Status.WARNING)


def test_the_undefined_terms_are_named_in_both_languages():
    report = verify_file(REAL_FILES[0], options=VerifyOptions(now=NOW))
    warning = next(c for c in report.checks if c.code == "JADES_TERM_UNDEFINED")
    assert "cnf" in warning.message and "StatusList2021Entry" in warning.message
    italian = next(c for c in report.to_dict("it")["checks"] if c["code"] == "JADES_TERM_UNDEFINED")
    assert "cnf" in italian["message"] and "sigillati" in italian["message"]


def test_a_changed_byte_of_a_real_seal_fails():
    sealed = load_json(REAL_FILES[0])
    sealed["payload"] = sealed["payload"].replace("17207834", "17207835", 1)
    report = verify_credential(sealed, options=VerifyOptions(now=NOW, trust=load_trust_list(TRUST)))
    assert report.failures[0].code == "JADES_SIGNATURE_INVALID"


# -- crafted seals: mcred's test PKI, whose seal certificate is VATIT-00000000000 -----------------------


@pytest.fixture(scope="module")
def pki():
    return seal_pki()


def seal(pki, document: dict) -> dict:
    payload = json.dumps(document).encode()
    return make_seal(payload, lambda data: sign_bytes(pki.seal.key, "RS256", data), "RS256",
                     [pki.seal.cert, pki.ca.cert], WHEN)


def check(document):
    return verify_credential(document, options=VerifyOptions(now=NOW))


def with_identifier(notation: str, country: str | None = "ITA", scheme: str | None = None) -> dict:
    document = load_json(EXAMPLES / "elm-microcredential.json")
    identifier = document["issuer"]["eIDASIdentifier"]
    identifier["notation"] = notation
    if country is None:
        del identifier["spatial"]
    else:
        identifier["spatial"]["id"] = f"http://publications.europa.eu/resource/authority/country/{country}"
    if scheme is not None:
        identifier["schemeName"] = scheme
    return document


def issuer_result(report):
    return next(c for c in report.checks if c.check == "issuer")


def test_the_bare_number_with_its_country_is_the_sealer(pki):
    assert issuer_result(check(seal(pki, with_identifier("00000000000")))).code == "JADES_ISSUER_SEALED"


@pytest.mark.parametrize("notation,country,scheme", [
    ("00000000000", "FRA", None),        # another country
    ("00000000001", "ITA", None),        # another number
    ("00000000000", "ITA", "NTR"),       # another type of identifier
    ("NTRIT-00000000000", "ITA", None),  # the same, in the ETSI form
])
def test_another_organisation_is_not_the_sealer(pki, notation, country, scheme):
    report = check(seal(pki, with_identifier(notation, country, scheme)))
    assert report.failures[0].code == "JADES_ISSUER_NOT_SEALER"
    assert report.failures[0].path == "$.issuer.eIDASIdentifier"


def test_a_bare_number_with_no_country_is_a_warning_not_a_match(pki):
    result = issuer_result(check(seal(pki, with_identifier("00000000000", country=None))))
    assert (result.status, result.code) == (Status.WARNING, "JADES_ISSUER_UNBOUND")


def test_an_undefined_term_in_a_sealed_payload_is_a_warning(pki):
    document = load_json(EXAMPLES / "elm-microcredential.json")
    document["cnf"] = {"jwk": {"kty": "EC"}}
    report = check(seal(pki, document))
    assert report.outcome == "verified-with-warnings"
    warning = next(c for c in report.checks if c.code == "JADES_TERM_UNDEFINED")
    assert warning.status == Status.WARNING and "cnf" in warning.message


def test_an_undefined_term_under_a_data_integrity_proof_inside_a_seal_stays_a_failure(pki):
    document = load_json(EXAMPLES / "elm-microcredential.signed.json")
    document["cnf"] = {"jwk": {"kty": "EC"}}  # a term the proof's graph would not cover
    report = check(seal(pki, document))
    assert "JSONLD_UNDEFINED_TERM" in codes(report, Status.FAILED)
    assert "JADES_TERM_UNDEFINED" not in codes(report, Status.WARNING)


def test_an_undefined_term_in_an_unsealed_credential_stays_a_failure():
    document = load_json(EXAMPLES / "elm-microcredential.signed.json")
    document["cnf"] = {"jwk": {"kty": "EC"}}
    assert check(document).failures[0].code == "JSONLD_UNDEFINED_TERM"


def test_a_status_entry_mcred_cannot_read_is_a_warning_not_no_status(pki):
    document = load_json(EXAMPLES / "elm-microcredential.json")
    document["status"] = [{"id": "https://example.org/status/1#7", "type": "StatusList2021Entry",
                           "statusPurpose": "revocation"}]
    report = check(seal(pki, document))
    status = [c for c in report.checks if c.check == "status"]
    assert [(c.status, c.code) for c in status] == [(Status.WARNING, "JADES_STATUS_UNREAD")]
    assert "https://example.org/status/1#7" in status[0].message


def test_a_malformed_credential_status_in_a_sealed_payload_is_unread_not_failed(pki):
    document = load_json(EXAMPLES / "elm-microcredential.json")
    document["@context"].append("https://w3id.org/vc/status-list/2021/v1")
    document["credentialStatus"] = {"id": "https://example.org/status/1#7", "type": "StatusList2021Entry",
                                    "statusPurpose": "revocation"}  # no statusListCredential: which list?
    report = check(seal(pki, document))
    status = [(c.status, c.code) for c in report.checks if c.check == "status"]
    assert status == [(Status.WARNING, "JADES_STATUS_UNREAD")]
    unsealed = verify_credential(document, options=VerifyOptions(now=NOW))  # no seal: the usual failure stays
    assert "STATUS_ENTRY_MALFORMED" not in codes(report, Status.FAILED)
    assert unsealed.outcome == "invalid"
