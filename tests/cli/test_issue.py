"""`mcred issue`: ELM credentials from outcome files, for one learner or a roster."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from mcred.cli.app import app
from mcred.keys.ed25519 import save_signing_key
from mcred.verify.runner import verify_file
from tests.conftest import NOW, load_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ISSUED = "2026-07-01T09:00:00Z"


@pytest.fixture
def key_file(tmp_path, test_key):
    path = tmp_path / "issuer.pem"
    save_signing_key(test_key, path)
    return path


def issue(runner, *args):
    return runner.invoke(app, ["issue", *map(str, args)])


@pytest.mark.parametrize("example", ["its-python-data.yaml", "unito-short-course.yaml"])
def test_examples_issue_and_verify(runner, tmp_path, key_file, example):
    out_dir = tmp_path / "out"
    roster = EXAMPLES / "roster.csv"
    result = issue(runner, EXAMPLES / example, "--key", key_file, "--out-dir", out_dir, "--learners", roster,
                   "--issued", ISSUED)
    assert result.exit_code == 0, result.output
    manifest = load_json(out_dir / "manifest.json")
    assert manifest["counts"] == {"issued": 3, "already-issued": 0, "reissued": 0, "failed": 0}
    for row in manifest["rows"]:
        report = verify_file(out_dir / row["file"], now=NOW)
        assert report.verified, report.to_dict()


def test_one_learner(runner, tmp_path, key_file, test_key):
    out = tmp_path / "giulia.json"
    result = issue(runner, EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out", out,
                   "--issued", ISSUED)
    assert result.exit_code == 0, result.output
    credential = load_json(out)
    assert credential["issuer"]["id"] == test_key.did
    assert credential["issued"] == ISSUED == credential["proof"]["created"]
    spec = credential["credentialSubject"]["hasClaim"][0]["specifiedBy"]
    assert spec["type"] == "Qualification"
    assert spec["volumeOfLearning"] == "PT50H"
    assert spec["creditPoint"][0]["point"] == "2"          # 50 hours / 25 hours per CFU
    assert spec["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/5"
    assert credential["credentialSubject"]["nationalID"]["notation"] == "RSSGLI00D52L219I"
    assert verify_file(out, now=NOW).verified


def test_the_same_learner_gets_the_same_credential_id(runner, tmp_path, key_file):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out, when in ((first, ISSUED), (second, "2026-07-02T09:00:00Z")):
        assert issue(runner, EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out", out,
                     "--issued", when).exit_code == 0
    assert load_json(first)["id"] == load_json(second)["id"]


def write_roster(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["given_name", "family_name", "date_of_birth",
                                                    "codice_fiscale", "award_date", "grade", "email"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_rows_are_reported_by_number_and_skipped(runner, tmp_path, key_file):
    roster = write_roster(tmp_path / "roster.csv", [
        {"given_name": "Giulia", "family_name": "Rossi", "date_of_birth": "2000-04-12",
         "codice_fiscale": "RSSGLI00D52L219I", "award_date": "2026-06-30"},
        {"given_name": "Anna", "family_name": "Bruni", "date_of_birth": "2000-04-12",
         "codice_fiscale": "RSSGLI00D52L219X", "award_date": "2026-06-30"},   # wrong check character
        {"given_name": "", "family_name": "Senza Nome", "award_date": "2026-06-30"},  # missing name
    ])
    out_dir = tmp_path / "out"
    result = issue(runner, EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out-dir", out_dir,
                   "--learners", roster, "--issued", ISSUED)
    assert result.exit_code == 1
    assert "row 3" in result.stderr and "codice_fiscale" in result.stderr
    assert "row 4" in result.stderr and "given_name" in result.stderr
    manifest = load_json(out_dir / "manifest.json")
    by_row = {row["row"]: row for row in manifest["rows"]}
    assert by_row[2]["status"] == "issued"
    assert by_row[3]["status"] == "failed" and "check character" in by_row[3]["error"]
    assert by_row[4]["status"] == "failed" and "given_name" in by_row[4]["error"]
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(["manifest.json", by_row[2]["file"]])


def test_rerun_resumes_without_duplicates(runner, tmp_path, key_file):
    out_dir = tmp_path / "out"
    args = [EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out-dir", out_dir,
            "--learners", EXAMPLES / "roster.csv", "--issued", ISSUED]
    assert issue(runner, *args).exit_code == 0
    first = load_json(out_dir / "manifest.json")
    removed = out_dir / first["rows"][1]["file"]
    removed.unlink()                                   # as if the run had stopped before this row
    result = issue(runner, *args)
    assert result.exit_code == 0, result.output
    second = load_json(out_dir / "manifest.json")
    assert second["counts"] == {"issued": 1, "already-issued": 2, "reissued": 0, "failed": 0}
    assert [r["sha256"] for r in second["rows"]] == [r["sha256"] for r in first["rows"]]
    assert len(list(out_dir.glob("*.json"))) == 4      # 3 credentials + manifest


def test_a_foreign_file_in_the_way_is_not_overwritten(runner, tmp_path, key_file):
    out_dir = tmp_path / "out"
    args = [EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out-dir", out_dir,
            "--learners", EXAMPLES / "roster.csv", "--issued", ISSUED]
    issue(runner, *args)
    victim = out_dir / load_json(out_dir / "manifest.json")["rows"][0]["file"]
    victim.write_text('{"precious": true}')
    result = issue(runner, *args)
    assert result.exit_code == 1
    assert json.loads(victim.read_text()) == {"precious": True}
    assert "--force" in load_json(out_dir / "manifest.json")["rows"][0]["error"] or "force" in result.stderr


def outcome(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load((EXAMPLES / "its-python-data.yaml").read_text())
    mutate(data)
    path = tmp_path / "outcomes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


@pytest.mark.parametrize("mutate, field, reason", [
    (lambda d: d["credential"].pop("learning_outcomes"), "learning_outcomes", "missing"),
    (lambda d: d["credential"].pop("quality_assurance"), "quality_assurance", "missing"),
    (lambda d: d["credential"]["workload"].update(cfu=2, hours=75), "workload", "75"),
    (lambda d: d["credential"]["workload"].clear(), "workload", "is empty: give cfu and/or hours"),
    (lambda d: d["credential"].update(eqf_level=9), "eqf_level", "9"),
    (lambda d: d["credential"].update(mode="telepathy"), "mode", "telepathy"),
    (lambda d: d["credential"]["assessment"].update(type="vibes"), "assessment.type", "vibes"),
    (lambda d: d["credential"].update(isced_f=["06x3"]), "isced_f[0]", "06x3"),
    (lambda d: d["issuer"].update(country="Italy"), "issuer.country", "Italy"),
    (lambda d: d["learners"][0].update(codice_fiscale="RSSGLI00D52L219X"), "codice_fiscale", "check"),
    (lambda d: d["learners"][0].update(date_of_birth="2000-02-30"), "date_of_birth", "not a real date"),
    (lambda d: d["learners"][0].update(date_of_birth="2000-04-13"), "codice_fiscale", "2000-04-12"),
    (lambda d: d["learners"][0].update(award_date="30/06/2026"), "award_date", "is not a date as YYYY-MM-DD"),
    (lambda d: d["credential"]["description"].pop("en"), "credential.description", "no text in en"),
    (lambda d: d["credential"].update(colour="blue"), "credential", "colour"),
], ids=["no-outcomes", "no-qa", "hours-vs-credits", "no-workload", "eqf-9", "mode", "assessment",
        "isced", "country", "cf-check", "bad-dob", "cf-vs-dob", "award-date", "language", "unknown-field"])
def test_rules_name_the_field(runner, tmp_path, key_file, mutate, field, reason):
    out = tmp_path / "cred.json"
    result = issue(runner, outcome(tmp_path, mutate), "--key", key_file, "--out", out)
    assert result.exit_code == 3, result.output
    assert field in result.stderr and reason in result.stderr
    assert not out.exists()


def test_problems_carry_their_yaml_line(runner, tmp_path, key_file):
    path = outcome(tmp_path, lambda d: d["credential"].update(eqf_level=9))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "eqf_level" in text)
    result = issue(runner, path, "--key", key_file, "--out", tmp_path / "c.json")
    assert f"line {line}, $.credential.eqf_level" in result.stderr


def test_hours_only_or_credits_only_are_completed(runner, tmp_path, key_file):
    path = outcome(tmp_path, lambda d: d["credential"].update(workload={"cfu": "1.5"}))
    out = tmp_path / "c.json"
    assert issue(runner, path, "--key", key_file, "--out", out, "--issued", ISSUED).exit_code == 0
    spec = load_json(out)["credentialSubject"]["hasClaim"][0]["specifiedBy"]
    assert spec["creditPoint"][0]["point"] == "1.5" and spec["volumeOfLearning"] == "PT37H30M"


def test_out_and_out_dir_are_exclusive(runner, tmp_path, key_file):
    result = issue(runner, EXAMPLES / "its-python-data.yaml", "--key", key_file)
    assert result.exit_code == 2 and "--out" in result.stderr


# --- one credential id, one person (issue 13) ------------------------------------------------------------

GIULIA = {"given_name": "Giulia", "family_name": "Rossi", "date_of_birth": "2000-04-12",
          "codice_fiscale": "RSSGLI00D52L219I", "award_date": "2026-06-30"}


def test_one_codice_fiscale_with_two_names_in_a_roster_is_refused(runner, tmp_path, key_file):
    """Two people under one codice fiscale would get one credential id: neither is issued (the secretary must
    say which row is right); an exact repeat of a row is issued once."""
    roster = write_roster(tmp_path / "roster.csv", [
        GIULIA, {**GIULIA, "given_name": "Giuliana"},
        {"given_name": "Marco", "family_name": "Bianchi", "award_date": "2026-06-30", "email": "m@example.org"},
        {"given_name": "Marco", "family_name": "Bianchi", "award_date": "2026-06-30", "email": "m@example.org"},
    ])
    out_dir = tmp_path / "out"
    result = issue(runner, EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out-dir", out_dir,
                   "--learners", roster, "--issued", ISSUED)
    assert result.exit_code == 1
    by_row = {row["row"]: row for row in load_json(out_dir / "manifest.json")["rows"]}
    assert [by_row[n]["status"] for n in (2, 3, 4, 5)] == ["failed", "failed", "issued", "failed"]
    assert "names two people" in by_row[2]["error"] and "row 3: Giuliana Rossi" in by_row[2]["error"]
    assert "the same learner as row 4" in by_row[5]["error"]
    assert "row 2" in result.stderr and "row 3" in result.stderr
    assert len(list(out_dir.glob("*.json"))) == 2      # Marco's credential + the manifest


def test_a_codice_fiscale_already_issued_to_another_person_is_refused(runner, tmp_path, key_file):
    out_dir = tmp_path / "out"
    first = write_roster(tmp_path / "first.csv", [GIULIA])
    args = [EXAMPLES / "its-python-data.yaml", "--key", key_file, "--out-dir", out_dir, "--issued", ISSUED]
    assert issue(runner, *args, "--learners", first).exit_code == 0
    second = write_roster(tmp_path / "second.csv", [{**GIULIA, "family_name": "Verdi"}])
    result = issue(runner, *args, "--learners", second)
    assert result.exit_code == 1
    [row] = load_json(out_dir / "manifest.json")["rows"]
    assert row["status"] == "failed" and "issued to another person" in row["error"]
    assert "rossi-giulia" in row["error"]
    assert len(list(out_dir.glob("verdi-*.json"))) == 0
