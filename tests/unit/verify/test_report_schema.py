"""Every JSON report mcred prints validates against schemas/mcred-report-1.schema.json."""

from __future__ import annotations

from mcred._schema import schema_errors
from mcred.proofs.data_integrity import add_proof
from mcred.proofs.signing import sign_credential
from mcred.verify.runner import verify_credential, verify_file
from tests.conftest import CREATED, NOW

SCHEMA = "mcred-report-1.schema.json"


def test_reports_of_every_outcome_validate(alumni, test_key, tmp_path):
    good = sign_credential(alumni, test_key, created=CREATED)
    tampered = {**good, "name": "changed"}
    unsigned = dict(alumni)
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\xff not json")
    reports = [verify_credential(doc, now=NOW) for doc in (good, tampered, unsigned, [1, 2])]
    reports.append(verify_file(garbage, now=NOW))
    assert [r.outcome for r in reports] == ["verified", "invalid", "invalid", "unusable", "unusable"]
    for report in reports:
        assert schema_errors(report.to_dict(), SCHEMA) == []


def test_the_schema_rejects_a_failed_check_without_a_code(alumni, test_key):
    report = verify_credential(add_proof(alumni, test_key, created=CREATED), now=NOW).to_dict()
    report["checks"].append({"check": "proof", "status": "failed", "message": "no code"})
    assert any(e.endswith(".code: is missing") for e in schema_errors(report, SCHEMA))
