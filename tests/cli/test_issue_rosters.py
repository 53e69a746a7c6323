"""`mcred issue` from rosters as offices write them, and the dates it refuses before signing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mcred.cli.app import app
from mcred.elm.outcomes import read_roster
from mcred.keys.ed25519 import save_signing_key

ROOT = Path(__file__).resolve().parents[2]
ITALIAN_EXCEL = ROOT / "tests" / "assets" / "rosters" / "classe-excel-it.csv"
OUTCOMES = EXAMPLE = ROOT / "examples" / "its-python-data.yaml"
ISSUED = "2026-07-01T09:00:00Z"


@pytest.fixture
def key(tmp_path, test_key) -> Path:
    path = tmp_path / "issuer.pem"
    save_signing_key(test_key, path)
    return path


def write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def outcome_file(tmp_path: Path, **learner_changes) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["learners"][0].update(learner_changes)
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_issue_reads_the_italian_excel_roster_and_warns_on_stderr(runner, tmp_path, key):
    result = runner.invoke(app, ["issue", str(OUTCOMES), "--key", str(key), "--learners", str(ITALIAN_EXCEL),
                                 "--out-dir", str(tmp_path / "out"), "--issued", ISSUED])
    assert result.exit_code == 0, result.output
    assert "read as Windows-1252" in result.stderr and "30 issued" in result.output


def test_an_empty_and_a_header_only_roster_exit_alike(runner, tmp_path, key):
    codes = set()
    for text in ("", "nome;cognome;data_conseguimento\n"):
        roster = write(tmp_path, text)
        result = runner.invoke(app, ["issue", str(OUTCOMES), "--key", str(key), "--learners", str(roster),
                                     "--out-dir", str(tmp_path / "out"), "--issued", ISSUED])
        assert "roster" in result.stderr and "learners" in result.stderr
        codes.add(result.exit_code)
    assert codes == {3}


def test_issue_refuses_a_future_award_date_and_signs_nothing(runner, tmp_path, key):
    out = tmp_path / "giulia.json"
    result = runner.invoke(app, ["issue", str(outcome_file(tmp_path, award_date="2026-07-15")), "--key", str(key),
                                 "--out", str(out), "--issued", ISSUED])
    assert result.exit_code == 3
    assert "$.learners[0].award_date: 2026-07-15 is after the issuing date 2026-07-01" in result.stderr
    assert not out.exists()


def test_a_roster_row_born_in_2030_fails_and_the_others_are_issued(runner, tmp_path, key):
    roster = tmp_path / "roster.csv"
    roster.write_text("nome;cognome;data_nascita;data_conseguimento\nAnna;Bruni;01/01/2030;30/06/2026\n"
                      "Carlo;Verdi;01/01/2000;30/06/2026\n", encoding="utf-8")
    assert [p.code for row in read_roster(roster, now=ISSUED) for p in row.issues] == ["DATE_OF_BIRTH_IN_FUTURE"]
    result = runner.invoke(app, ["issue", str(EXAMPLE), "--key", str(key), "--learners", str(roster),
                                 "--out-dir", str(tmp_path / "out"), "--issued", ISSUED])
    assert result.exit_code == 1
    assert "row 2: data_nascita: 2030-01-01 is after the issuing date 2026-07-01" in result.stderr
    assert "1 issued" in result.stderr
