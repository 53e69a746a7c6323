"""The `ob3` check of `mcred verify`: an Open Badges 3.0 credential on VC 2.0 against the OB 3.0 JSON Schema,
a warning per problem (with its path), never a failure unless --strict; no result for other credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcred.elm.outcomes import load_outcomes
from mcred.issue.award import issue_credential
from mcred.issue.ob3 import build_ob3, issue_ob3
from mcred.proofs.signing import sign_credential
from mcred.report import Status, VerifyOptions
from mcred.verify.runner import verify_credential
from tests.conftest import ASSETS, NOW

ROOT = Path(__file__).resolve().parents[3]
ISSUED = "2026-07-01T09:00:00Z"


@pytest.fixture(scope="module")
def outcomes():
    return load_outcomes(ROOT / "examples" / "its-python-data.yaml")


def ob3_results(report) -> list[tuple[str, str, str | None]]:
    return [(c.status.value, c.code, c.path) for c in report.checks if c.check == "ob3"]


def test_an_issued_badge_meets_the_schema(outcomes, test_key):
    report = verify_credential(issue_ob3(outcomes, outcomes.learners[0], test_key, issued=ISSUED), now=NOW)
    assert ob3_results(report) == [("passed", "OB3_SCHEMA_OK", None)]


def test_a_badge_that_breaks_the_schema_is_a_warning_named_by_path(outcomes, test_key):
    unsigned = build_ob3(outcomes, outcomes.learners[0], issuer_id=test_key.did, issued=ISSUED)
    del unsigned["credentialSubject"]["achievement"]["criteria"]
    signed = sign_credential(unsigned, test_key, created=ISSUED)
    report = verify_credential(signed, now=NOW)
    assert ob3_results(report) == [("warning", "OB3_SCHEMA_MISMATCH", "$.credentialSubject.achievement.criteria")]
    assert report.verified and report.outcome == "verified-with-warnings"
    strict = verify_credential(signed, now=NOW, options=VerifyOptions(strict=True))
    assert not strict.verified


def test_an_elm_credential_has_no_ob3_result(outcomes, test_key):
    report = verify_credential(issue_credential(outcomes, outcomes.learners[0], test_key, issued=ISSUED), now=NOW)
    assert ob3_results(report) == [] and report.verified


def test_an_ob3_badge_on_vc_1_1_has_no_ob3_result():
    """The bundled schema describes OB 3.0 on VC 2.0: a VC 1.1 badge has no validFrom and would break it for that."""
    document = json.loads((ASSETS / "realworld" / "1edtech-validator" / "ob30__simple_v1.json").read_text())
    assert "https://www.w3.org/2018/credentials/v1" in document["@context"]
    assert ob3_results(verify_credential(document, now=NOW)) == []


def test_the_check_reports_in_italian_too(outcomes, test_key):
    unsigned = build_ob3(outcomes, outcomes.learners[0], issuer_id=test_key.did, issued=ISSUED)
    del unsigned["credentialSubject"]["achievement"]["criteria"]
    report = verify_credential(sign_credential(unsigned, test_key, created=ISSUED), now=NOW)
    warning = next(c for c in report.checks if c.check == "ob3")
    assert warning.status == Status.WARNING
    assert warning.text("it")[0].startswith("lo schema JSON di Open Badges 3.0 non è rispettato in "
                                            "$.credentialSubject.achievement.criteria")


def test_a_json_report_with_ob3_results_meets_the_report_schema(outcomes, test_key):
    from mcred._schema import schema_errors

    unsigned = build_ob3(outcomes, outcomes.learners[0], issuer_id=test_key.did, issued=ISSUED)
    del unsigned["credentialSubject"]["achievement"]["criteria"]
    for credential in (issue_ob3(outcomes, outcomes.learners[0], test_key, issued=ISSUED),
                       sign_credential(unsigned, test_key, created=ISSUED)):
        report = verify_credential(credential, now=NOW).to_dict()
        assert any(check["check"] == "ob3" for check in report["checks"])
        assert schema_errors(report, "mcred-report-1.schema.json") == []
