"""``mcred derive``: a holder derives what to show from the issuer's base proof, and the verifier checks it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from mcred.cli.app import app
from tests.conftest import load_json, write_json

SD = Path(__file__).parents[1] / "vectors" / "w3c-vc-di-ecdsa-sd" / "TestVectors" / "ecdsa-sd-2023"
BASE = SD / "employ" / "addSignedSDBase.json"


def test_derive_then_verify(runner, tmp_path):
    out = tmp_path / "shown.json"
    result = runner.invoke(app, ["derive", str(BASE), "--disclose", "/credentialSubject/birthCountry",
                                 "-d", "/validUntil", "--out", str(out)])
    assert result.exit_code == 0, result.output
    shown = load_json(out)
    assert shown["credentialSubject"] == {"type": ["Person", "EmployablePerson"], "birthCountry": "Bahamas"}
    assert "validFrom" not in shown
    report = runner.invoke(app, ["verify", str(out), "--format", "json", "--now", "2026-11-23T12:00:00Z"])
    checks = {c["check"]: c["code"] for c in json.loads(report.stdout.splitlines()[0])["checks"]}
    # the vectors' issuer is not the signing key: only the issuer check fails
    assert checks["proof"] == "PROOF_OK" and checks["issuer"] == "ISSUER_NOT_SIGNER"


def test_verifying_the_base_proof_warns_to_derive_it(runner):
    result = runner.invoke(app, ["verify", str(BASE), "--now", "2026-11-23T12:00:00Z"])
    assert "PROOF_SD_BASE_NOT_DERIVED" in result.output and "mcred derive" in result.output


def test_a_pointer_that_matches_nothing_exits_3_naming_it(runner, tmp_path):
    result = runner.invoke(app, ["derive", str(BASE), "-d", "/credentialSubject/nickname",
                                 "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 3
    assert "does not match the document" in result.output and not (tmp_path / "x.json").exists()


def test_a_tampered_base_proof_is_not_derived(runner, tmp_path):
    tampered = copy.deepcopy(load_json(BASE))
    tampered["credentialSubject"]["givenName"] = "JAMES"
    write_json(tmp_path / "base.json", tampered)
    result = runner.invoke(app, ["derive", str(tmp_path / "base.json"), "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 1
    assert "statement signatures match" in result.output and not (tmp_path / "x.json").exists()
