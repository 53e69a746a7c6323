"""`mcred issue --format vc2` (ELM 3.2 on VC 2.0, DC4EU's EUHEMC profile) and `mcred verify` of what it writes:
each example's rendition keeps the profile, its JSON Schema and SHACL shapes (only the documented departures
D1-D3 are left), verifies in mcred, and states the outcome file's facts; each profile rule broken is refused
with its own code; an RDFC suite is refused with VC2_RDFC_REFUSED."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from mcred.bundle.readers_vc2 import vc2_facts
from mcred.cli.app import app
from mcred.elm.euhemc import PROFILE_TYPE, profile_problems
from mcred.elm.euhemc_validation import conformance_findings
from mcred.keys.ecdsa import EcSigningKey, save_any_signing_key
from mcred.report import Status
from mcred.verify.runner import verify_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
KEY = ROOT / "keys" / "TEST-ONLY-issuer.pem"
ISSUED = "2026-10-01T00:00:00Z"
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


def issue(runner, outcomes: Path, out: Path, *args):
    return runner.invoke(app, ["issue", str(outcomes), "--format", "vc2", "--issued", ISSUED, "--learner", "1",
                               "--out", str(out), *map(str, args)])


def variant(tmp_path: Path, change) -> Path:
    """The unito example with one change (a function of its parsed YAML)."""
    data = yaml.safe_load((ROOT / "examples" / "unito-short-course.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def codes(report, check: str) -> list[str]:
    return [c.code for c in report.checks if c.check == check and c.status == Status.FAILED]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_issues_a_profile_credential_that_verifies(runner, tmp_path, example):
    out = tmp_path / "cred.json"
    result = issue(runner, example, out, "--key", KEY)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["type"][-1] == PROFILE_TYPE and doc["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert profile_problems(doc) == []
    # only the documented departures are left of DC4EU's JSON Schema and SHACL shapes
    assert [(f.severity, f.departure) for f in conformance_findings(doc)] == [("departure", "D2")]
    report = verify_file(out, now=NOW)
    assert report.verified, [(c.check, c.code, c.message) for c in report.checks]
    statuses = {c.check: (c.status, c.code) for c in report.checks}
    assert statuses["euhemc"] == (Status.PASSED, "EUHEMC_OK")
    assert statuses["jsonld"] == (Status.WARNING, "JSONLD_EUHEMC_DEPARTURE")
    assert statuses["proof"] == (Status.PASSED, "PROOF_OK")


def test_the_facts_are_the_outcome_files(runner, tmp_path):
    """vc2_facts, compared with values read from the outcome file by hand (not from mcred's builder)."""
    out = tmp_path / "cred.json"
    assert issue(runner, ROOT / "examples" / "unito-short-course.yaml", out, "--key", KEY).exit_code == 0
    facts = vc2_facts(verify_file(out, now=NOW))
    assert facts.title == "Ethics and regulation of artificial intelligence"
    assert (facts.credits_ects, facts.eqf_level) == ("3", 6)
    assert (facts.awarded, facts.valid_until) == ("2026-09-20", "2036-12-31")
    assert facts.awarding_body == "University of Esempio"
    assert dict(facts.learner) == {"given_name": "Giulia", "family_name": "Rossi", "birth_date": "2000-04-12",
                                   "national_id": "RSSGLI00D52L219I"}
    assert facts.learning_outcomes[0] == "Assess an automated decision-making system against data-protection rules"
    assert len(facts.learning_outcomes) == 3


def test_ecdsa_jcs_2019_with_a_p256_key(runner, tmp_path):
    save_any_signing_key(EcSigningKey.generate("P-256"), tmp_path / "p256.pem")
    out = tmp_path / "cred.json"
    result = issue(runner, ROOT / "examples" / "unito-short-course.yaml", out, "--key", tmp_path / "p256.pem",
                   "--suite", "ecdsa-jcs-2019")
    assert result.exit_code == 0, result.output
    assert verify_file(out, now=NOW).verified


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"])
def test_an_rdfc_suite_is_refused_and_says_why(runner, tmp_path, suite):
    out = tmp_path / "cred.json"
    result = issue(runner, ROOT / "examples" / "unito-short-course.yaml", out, "--key", KEY, "--suite", suite)
    assert result.exit_code == 2 and not out.exists()
    assert "redefines the protected term description" in result.output and "eddsa-jcs-2022" in result.output
    from mcred.errors import UsageError
    from mcred.issue.vc2 import check_suite

    with pytest.raises(UsageError) as caught:
        check_suite(suite)
    assert caught.value.code == "VC2_RDFC_REFUSED"


def _set_workload(cfu):
    def change(data):
        data["credential"]["workload"] = {"cfu": cfu}
    return change


def _drop(*keys):
    def change(data):
        target = data
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
    return change


@pytest.mark.parametrize(("change", "code", "field"), [
    (_set_workload(16), "VC2_ECTS_OUT_OF_RANGE", "$.credential.workload"),
    (_set_workload(2.5), "VC2_ECTS_NOT_WHOLE", "$.credential.workload"),
    (_drop("credential", "eqf_level"), "VC2_EQF_MISSING", "$.credential.eqf_level"),
    (_drop("credential", "isced_f"), "VC2_EDUCATION_SUBJECT_MISSING", "$.credential.isced_f"),
    (_drop("learners", 0, "date_of_birth"), "VC2_BIRTH_DATE_MISSING", "$.learners[].date_of_birth"),
], ids=["16-ects", "2.5-ects", "no-eqf", "no-isced", "no-birth-date"])
def test_an_outcome_file_that_breaks_the_profile_is_refused(runner, tmp_path, change, code, field):
    """The command exits 3 naming the field and writes nothing; the library's error carries the rule's code."""
    from mcred.elm.outcomes import load_outcomes
    from mcred.errors import InputError
    from mcred.issue.vc2 import build_vc2

    out = tmp_path / "cred.json"
    result = issue(runner, variant(tmp_path, change), out, "--key", KEY)
    assert result.exit_code == 3, result.output
    assert field in result.output and not out.exists()
    outcomes = load_outcomes(tmp_path / "variant.yaml", now=ISSUED)
    with pytest.raises(InputError) as caught:
        build_vc2(outcomes, outcomes.learners[0], issuer_id="did:key:z6MkTEST", issued=ISSUED)
    assert (caught.value.code, caught.value.path) == (code, field)


@pytest.fixture
def signed(runner, tmp_path) -> dict:
    out = tmp_path / "cred.json"
    assert issue(runner, ROOT / "examples" / "unito-short-course.yaml", out, "--key", KEY).exit_code == 0
    return json.loads(out.read_text())


def _profile_codes(doc: dict) -> list[str]:
    return [p.code for p in profile_problems(doc)]


def test_two_eidas_identifiers_break_the_profile(signed):
    eidas = signed["issuer"]["eIDASIdentifier"]
    signed["issuer"]["eIDASIdentifier"] = [eidas, {**eidas, "id": eidas["id"] + "-2", "notation": "X"}]
    assert _profile_codes(signed) == ["VC2_EIDAS_COUNT"]


def test_no_grade_breaks_the_profile(signed):
    """(mcred's builder always states a grade, so only a document can lack one.)"""
    del signed["credentialSubject"]["hasClaim"][0]["provenBy"][0]["grade"]
    assert _profile_codes(signed) == ["VC2_GRADE_MISSING"]


def test_no_quality_assurance_breaks_the_profile(signed):
    del signed["credentialSubject"]["hasClaim"][0]["specifiedBy"]["accreditation"]
    assert _profile_codes(signed) == ["VC2_QA_MISSING"]


def test_no_assessment_breaks_the_profile_and_the_shapes(signed):
    del signed["credentialSubject"]["hasClaim"][0]["provenBy"]
    assert _profile_codes(signed) == ["VC2_ASSESSMENT_MISSING"]
    messages = [f.message for f in conformance_findings(signed) if f.severity == "violation"]
    assert any("provenBy" in m for m in messages), messages


def test_one_credential_schema_breaks_the_profile_and_the_schema(signed):
    signed["credentialSchema"] = signed["credentialSchema"][:1]
    assert _profile_codes(signed) == ["VC2_CREDENTIAL_SCHEMA"]
    assert any(f.code == "VC2_SCHEMA_INVALID" for f in conformance_findings(signed))


def test_verify_fails_a_changed_credit_on_both_the_proof_and_the_profile(signed, tmp_path):
    for credit in (signed["credentialSubject"]["hasClaim"][0]["specifiedBy"]["creditPoint"]
                   + signed["credentialSubject"]["hasClaim"][0]["creditReceived"]):
        credit["point"] = "16"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(signed))
    report = verify_file(path, now=NOW)
    assert codes(report, "proof") and "VC2_ECTS_OUT_OF_RANGE" in codes(report, "euhemc")


def test_without_pyshacl_issuing_refuses_and_verify_skips_the_shapes(runner, tmp_path, signed, monkeypatch):
    """mcred[vc2] not installed: issuing stops with the extra to install; verify still checks the rules and the
    JSON Schema, and reports the shapes as skipped with the reason (and no EUHEMC_OK)."""
    from mcred.elm import euhemc_validation

    monkeypatch.setitem(__import__("sys").modules, "pyshacl", None)  # `import pyshacl` now raises ImportError
    monkeypatch.setattr(euhemc_validation, "_SHACL_SEEN", {})  # nothing checked earlier in this process
    out = tmp_path / "again.json"
    result = issue(runner, ROOT / "examples" / "unito-short-course.yaml", out, "--key", KEY)
    assert result.exit_code == 3 and "mcred[vc2]" in result.output and not out.exists()
    path = tmp_path / "signed.json"
    path.write_text(json.dumps(signed))
    euhemc = [(c.status, c.code) for c in verify_file(path, now=NOW).checks if c.check == "euhemc"]
    assert euhemc == [(Status.SKIPPED, "VC2_SHACL_UNAVAILABLE")]


def roster_run(runner, out_dir: Path, roster: Path, *args):
    return runner.invoke(app, ["issue", str(ROOT / "examples" / "unito-short-course.yaml"), "--format", "vc2",
                               "--key", str(KEY), "--issued", ISSUED, "--out-dir", str(out_dir), "--learners",
                               str(roster), *map(str, args)])


def test_a_roster_issues_one_profile_credential_per_row_and_a_rerun_keeps_them(runner, tmp_path):
    roster = ROOT / "examples" / "roster.csv"
    rows = len(roster.read_text(encoding="utf-8").strip().splitlines()) - 1
    first = roster_run(runner, tmp_path / "out", roster)
    assert first.exit_code == 0, first.output
    files = sorted((tmp_path / "out").glob("*.vc2.json"))
    assert len(files) == rows
    for path in files:
        report = verify_file(path, now=NOW)
        assert report.verified and any(c.code == "EUHEMC_OK" for c in report.checks), path
    again = roster_run(runner, tmp_path / "out", roster)
    assert again.exit_code == 0 and f"0 issued (new), {rows} already issued (unchanged)" in again.output
    assert sorted((tmp_path / "out").glob("*.vc2.json")) == files


def test_a_roster_row_that_changed_is_refused_unless_reissued(runner, tmp_path):
    roster = ROOT / "examples" / "roster.csv"
    assert roster_run(runner, tmp_path / "out", roster).exit_code == 0
    rows = list(csv.DictReader(roster.read_text(encoding="utf-8").splitlines()))
    rows[0]["grade"] = "18/30" if rows[0]["grade"] != "18/30" else "19/30"
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    refused = roster_run(runner, tmp_path / "out", changed)
    assert refused.exit_code != 0 and "changed" in refused.output
    reissued = roster_run(runner, tmp_path / "out", changed, "--reissue")
    assert reissued.exit_code == 0 and "1 reissued (changed)" in reissued.output, reissued.output


def test_a_roster_with_a_p256_key_in_two_worker_processes(runner, tmp_path):
    """The format crosses into the workers with its ECDSA key (Vc2Roster.__reduce__)."""
    save_any_signing_key(EcSigningKey.generate("P-256"), tmp_path / "p256.pem")
    result = runner.invoke(app, ["issue", str(ROOT / "examples" / "unito-short-course.yaml"), "--format", "vc2",
                                 "--key", str(tmp_path / "p256.pem"), "--suite", "ecdsa-jcs-2019", "--issued", ISSUED,
                                 "--out-dir", str(tmp_path / "out"), "--jobs", "2",
                                 "--learners", str(ROOT / "examples" / "roster.csv")])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").glob("*.vc2.json"))
    assert files and all(json.loads(f.read_text())["proof"]["cryptosuite"] == "ecdsa-jcs-2019" for f in files)
    assert all(verify_file(f, now=NOW).verified for f in files)


def test_no_facts_from_a_credential_whose_proof_fails(signed, tmp_path):
    from mcred.bundle.readers_vc2 import FactsUnavailable

    signed["credentialSubject"]["hasClaim"][0]["specifiedBy"]["creditPoint"][0]["point"] = "4"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(signed))
    with pytest.raises(FactsUnavailable):
        vc2_facts(verify_file(path, now=NOW))


def test_sign_credential_refuses_this_shape_which_is_why_issue_vc2_does_not_use_it(signed):
    """sign_credential reads the graph first (the VC 2.0 rules, safe mode); edc-ap after credentials/v2 has none."""
    from mcred.errors import InputError
    from mcred.keys.ed25519 import load_signing_key
    from mcred.proofs.signing import sign_credential

    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    with pytest.raises(InputError) as caught:
        sign_credential(unsigned, load_signing_key(KEY), suite="eddsa-jcs-2022")
    assert "protected term" in caught.value.message
