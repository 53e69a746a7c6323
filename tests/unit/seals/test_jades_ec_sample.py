"""The European Commission's own sealed sample (JAdES B-LTA, RS256) verifies offline, check by check."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest

from mcred._schema import schema_errors
from mcred.report import Status, VerifyOptions
from mcred.seals.jades import sealed_payload
from mcred.verify.runner import verify_credential, verify_file
from mcred.verify.trust import load_trust_list
from tests.conftest import ASSETS, NOW, load_json

SAMPLE = ASSETS / "jades" / "ec-Sample-MC-Annex1-signed-jades.jsonld"
TEST_TRUST = ASSETS / "jades" / "TEST-ONLY-ec-test-ca.trust.yaml"
SCHEMA = "mcred-report-1.schema.json"


def codes(report, status: Status | None = None) -> list[str]:
    return [c.code for c in report.checks if status is None or c.status == status]


def first_failure(report) -> str:
    return report.failures[0].code


@pytest.fixture(scope="module")
def sample() -> dict:
    return load_json(SAMPLE)


def test_untrusted_the_seal_is_valid_the_certificate_expired_since_and_the_issuer_is_not_trusted():
    report = verify_file(SAMPLE, options=VerifyOptions(now=NOW))
    assert report.outcome == "verified-with-warnings"
    passed = codes(report, Status.PASSED)
    for code in ("JADES_FORMAT_OK", "JADES_HEADER_OK", "JADES_SIGNATURE_OK", "JADES_CERT_VALID_EXPIRED_NOW",
                 "JADES_QC_CLAIMED", "JADES_REVOCATION_GOOD", "JADES_ISSUER_SEALED", "CONTEXTS_OK", "JSONLD_OK",
                 "VALIDITY_OK"):
        assert code in passed, code
    assert codes(report, Status.WARNING) == ["JADES_CHAIN_UNTRUSTED", "ANNEX_QUALITY_ASSURANCE"]
    assert codes(report).count("TST_OK") == 3
    seal = report.seal
    assert seal["valid"] is True and seal["trusted"] is False and seal["level"] == "B-LTA"
    assert seal["sealer"] == {"organisation": "ORGANIZACION TEST", "identifier": "VATES-A00000000",
                              "common_name": "TEST SEAL", "country": "ES"}
    assert seal["qualified"]["qualified"] is True and seal["qualified"]["types"] == ["eseal"]
    assert seal["signing_time"] == "2023-09-27T11:54:17Z"
    assert seal["certificate"]["not_after"] == "2025-05-10T14:31:15Z"
    assert report.issuer_names == {}  # no trusted chain: no name to show but the credential's own claim


def test_with_the_test_ca_trusted_it_verifies_fully():
    report = verify_file(SAMPLE, options=VerifyOptions(now=NOW, trust=load_trust_list(TEST_TRUST)))
    assert "JADES_CHAIN_TRUSTED" in codes(report, Status.PASSED)
    # the one warning left is the sample's own: it states no quality assurance (Annex I)
    assert codes(report, Status.WARNING) == ["ANNEX_QUALITY_ASSURANCE"]
    assert report.verified and report.exit_code == 0
    assert report.seal["trusted"] is True and report.seal["anchor"].startswith("TEST ONLY")
    assert all(t["tsa_trusted"] and t["imprint_matches"] for t in report.seal["timestamps"])
    assert report.to_dict()["issuer_name"] == "ORGANIZACION TEST"


def test_while_the_certificate_was_still_valid_it_says_so():
    report = verify_file(SAMPLE, options=VerifyOptions(now=datetime(2024, 1, 1, tzinfo=timezone.utc)))
    assert "JADES_CERT_VALID" in codes(report, Status.PASSED)


def test_strict_counts_the_untrusted_issuer_as_a_failure():
    report = verify_file(SAMPLE, options=VerifyOptions(now=NOW, strict=True))
    assert report.outcome == "invalid" and first_failure(report) == "JADES_CHAIN_UNTRUSTED"


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_json_report_is_valid_in_both_languages(lang):
    for trust in (None, load_trust_list(TEST_TRUST)):
        report = verify_file(SAMPLE, options=VerifyOptions(now=NOW, trust=trust)).to_dict(lang)
        assert schema_errors(report, SCHEMA) == []
        assert report["seal"]["sealer"]["identifier"] == "VATES-A00000000"


def test_the_italian_report_is_in_italian():
    checks = verify_file(SAMPLE, options=VerifyOptions(now=NOW)).to_dict("it")["checks"]
    messages = {c["code"]: c["message"] for c in checks}
    assert messages["JADES_SIGNATURE_OK"].startswith("il sigillo è valido")
    assert "è scaduto dopo" in messages["JADES_CERT_VALID_EXPIRED_NOW"]
    assert "non è attendibile" in messages["JADES_CHAIN_UNTRUSTED"]
    assert "garanzia della qualità" in messages["ANNEX_QUALITY_ASSURANCE"]
    assert "certificato qualificato UE per sigilli elettronici" in messages["JADES_QC_CLAIMED"]


def test_a_changed_payload_breaks_the_seal_and_the_time_stamps_over_it(sample):
    forged = {**sample, "payload": sample["payload"].replace("LA-234218", "LA-234219")}
    report = verify_credential(forged, now=NOW)
    assert first_failure(report) == "JADES_SIGNATURE_INVALID"
    assert codes(report, Status.FAILED).count("TST_IMPRINT_MISMATCH") == 2  # adoTst and arcTst cover the payload
    assert report.seal["valid"] is False
    assert "SKIPPED_SEAL" in codes(report, Status.SKIPPED)  # the issuer check does not run on a broken seal


def test_a_replaced_signature_value_is_not_the_certificates(sample):
    entry = dict(sample["signatures"][0])
    entry["signature"] = "A" + entry["signature"][1:]
    report = verify_credential({**sample, "signatures": [entry]}, now=NOW)
    assert first_failure(report) == "JADES_CERT_NOT_SIGNER"


def test_a_time_stamp_moved_from_elsewhere_does_not_stamp_the_signature(sample):
    entry = json.loads(json.dumps(sample["signatures"][0]))
    etsiu = entry["header"]["etsiU"]
    decoded = [json.loads(base64.urlsafe_b64decode(e + "=" * (-len(e) % 4))) for e in etsiu]
    header = json.loads(base64.urlsafe_b64decode(entry["protected"] + "=="))
    decoded[0]["sigTst"] = header["adoTst"]  # the content time-stamp, unsigned, in the signature time-stamp's place
    entry["header"]["etsiU"][0] = base64.urlsafe_b64encode(json.dumps(decoded[0]).encode()).rstrip(b"=").decode()
    report = verify_credential({**sample, "signatures": [entry]}, now=NOW)
    failed = [c for c in report.checks if c.status == Status.FAILED]
    assert [c.code for c in failed][:1] == ["TST_IMPRINT_MISMATCH"]
    assert failed[0].params["kind"] == "sigTst"
    assert "JADES_SIGNATURE_OK" in codes(report)  # the seal itself is untouched


def test_sealed_payload_gives_viewers_the_credential(sample):
    payload = sealed_payload(sample)
    assert payload["id"] == "urn:credential:1018d05f-21d5-4555-b7f0-8fabfd22ca75"
    assert sealed_payload(payload) is None


def test_every_seal_code_has_an_italian_message():
    import re
    from pathlib import Path

    import mcred
    from mcred.messages import _CATALOGUE
    from mcred.verify.sealed import MESSAGES

    source = "".join((Path(mcred.__file__).parent / name).read_text()
                     for name in ("seals/jades.py", "verify/sealed.py", "seals/timestamps.py"))
    raised = set(re.findall(r'_error\("([A-Z_]+)"', source)) | set(re.findall(r'_skip\("[a-z]+", "([A-Z_]+)"', source))
    made = set(MESSAGES) | raised
    assert made - set(_CATALOGUE) == set()
