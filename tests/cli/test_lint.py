"""`mcred lint` of every file an issuer writes: folders, kinds, every problem at once with its line, the summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mcred.cli.app import app
from mcred.keys.ed25519 import save_signing_key
from tests.unit.test_yaml import ANCHOR_BOMB

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ITALIAN_EXCEL = ROOT / "tests" / "assets" / "rosters" / "classe-excel-it.csv"

TYPOS = """\
mcred: outcomes/1
credential:
  title: {en: A course}
  description: {en: A course}
  learning_outcome:
    - text: {en: Write Python}
  workload: {cfu: 2, hours: 75}
"""


def lint(runner, *args):
    return runner.invoke(app, ["lint", *map(str, args)])


def json_lines(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def batch(runner, tmp_path, test_key) -> Path:
    key = tmp_path / "issuer.pem"
    save_signing_key(test_key, key)
    out = tmp_path / "out"
    result = runner.invoke(app, ["issue", str(EXAMPLES / "its-python-data.yaml"), "--key", str(key), "--learners",
                                 str(EXAMPLES / "roster.csv"), "--out-dir", str(out), "--issued",
                                 "2026-07-01T09:00:00Z"])
    assert result.exit_code == 0, result.output
    return out


def test_a_batch_folder_is_clean_and_its_manifest_skipped(runner, batch):
    result = lint(runner, batch, "--format", "json")
    assert result.exit_code == 0, result.output
    *files, summary = json_lines(result)
    assert [f["kind"] for f in files].count("credential") == 3
    assert [f["file"] for f in files if f.get("skipped")] == [str(batch / "manifest.json")]
    assert summary["summary"] | {"problems": {}} == {"files": 4, "exit_code": 0, "clean": 3, "not_clean": 0,
                                                     "unusable": 0, "skipped": 1, "problems": {}}


def test_a_glob_of_a_batch_skips_the_manifest_too(runner, batch):
    result = lint(runner, *sorted(batch.glob("*.json")))
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stdout and "manifest.json" in result.stdout


def test_one_file_in_json_still_ends_with_the_summary_line(runner):
    result = lint(runner, EXAMPLES / "elm-microcredential.json", "--format", "json")
    lines = json_lines(result)
    assert len(lines) == 2 and lines[-1]["summary"]["files"] == 1 and lines[-1]["format"] == "mcred-lint/1"


def test_an_outcome_file_schema_and_rule_problems_in_one_run_with_did_you_mean_on_the_keys_line(runner, tmp_path):
    result = lint(runner, write(tmp_path / "course.yaml", TYPOS), "--format", "json")
    assert result.exit_code == 1
    problems = json_lines(result)[0]["problems"]
    typo = next(p for p in problems if p["code"] == "SCHEMA_UNKNOWN_FIELD")
    assert typo["line"] == 5 and typo["path"] == "$.credential.learning_outcome"
    assert "did you mean 'learning_outcomes'?" in typo["message"]
    codes = {p["code"] for p in problems}
    assert {"SCHEMA_MISSING_FIELD", "CREDITS_HOURS_MISMATCH"} <= codes   # a schema and a rule problem together
    assert next(p for p in problems if p["code"] == "CREDITS_HOURS_MISMATCH")["line"] == 7


def test_the_examples_pathway_issuer_trust_and_italian_roster_are_clean(runner):
    result = lint(runner, *sorted(EXAMPLES.glob("*.yaml")), EXAMPLES / "stack", ITALIAN_EXCEL,
                  ROOT / "tests" / "assets" / "trust" / "its-rotated.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    kinds = {line["kind"] for line in json_lines(result)[:-1]}
    assert {"outcomes", "pathway", "issuer", "roster", "trust"} <= kinds


def test_a_pathway_with_a_misspelt_key(runner, tmp_path):
    text = (EXAMPLES / "stack" / "pathway-its-to-university.yaml").read_text(encoding="utf-8")
    path = write(tmp_path / "pathway.yaml", text.replace("\ntitle:", "\ntitel:", 1))
    result = lint(runner, path, "--format", "json")
    assert result.exit_code == 1
    problem = next(p for p in json_lines(result)[0]["problems"] if p["code"] == "SCHEMA_UNKNOWN_FIELD")
    assert "did you mean 'title'?" in problem["message"]
    assert problem["line"] == path.read_text().splitlines().index(next(
        line for line in path.read_text().splitlines() if line.startswith("titel:"))) + 1


def test_a_trust_file_with_a_problem(runner, tmp_path):
    path = write(tmp_path / "trust.yaml", "mcred: trust/1\nissuers:\n  - id: not an issuer\n")
    result = lint(runner, path, "--format", "json")
    assert result.exit_code == 1
    assert {p["code"] for p in json_lines(result)[0]["problems"]} == {"TRUST_FILE_INVALID"}


def test_a_roster_row_problem_has_its_line_and_code(runner, tmp_path):
    path = write(tmp_path / "roster.csv", "nome;cognome;data_conseguimento\nAnna;Bruni;31/06/2026\n")
    result = lint(runner, path, "--format", "json")
    assert result.exit_code == 1
    [problem] = json_lines(result)[0]["problems"]
    assert (problem["code"], problem["path"], problem["line"]) == ("DATE_INVALID", "row 2, data_conseguimento", 2)


@pytest.mark.parametrize("name, text, code", [
    ("course.yaml", ANCHOR_BOMB, "YAML_ALIAS_REFUSED"),
    ("notes.yaml", "shopping: [milk]\n", "LINT_KIND_UNKNOWN"),
    ("roster.csv", "nome;cognome;data_conseguimento\n", "ROSTER_EMPTY"),
])
def test_an_unusable_file_is_exit_3_with_its_code_and_the_others_are_still_linted(runner, tmp_path, name, text,
                                                                                  code):
    bad = write(tmp_path / name, text)
    result = lint(runner, bad, EXAMPLES / "elm-microcredential.json", "--format", "json")
    assert result.exit_code == 3
    first, second, summary = json_lines(result)
    assert first["error"]["code"] == code and second["clean"] is True
    assert summary["summary"]["unusable"] == 1


def test_a_folder_with_nothing_to_lint(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = lint(runner, tmp_path / "empty")
    assert result.exit_code == 3 and "no file mcred lints" in result.stderr


def test_a_value_the_schema_refuses_is_reported_once_in_words(runner, tmp_path):
    path = write(tmp_path / "course.yaml", TYPOS.replace("{cfu: 2, hours: 75}", '{cfu: "2,5"}'))
    problems = json_lines(lint(runner, path, "--format", "json"))[0]["problems"]
    workload = [p for p in problems if p["path"].startswith("$.credential.workload")]
    assert [(p["code"], p["path"]) for p in workload] == [("SCHEMA_INVALID_VALUE", "$.credential.workload.cfu")]
    assert "is not a number of credits or hours" in workload[0]["message"] and "^" not in workload[0]["message"]


def test_an_outcome_file_in_json_has_its_lines_too(runner, tmp_path):
    data = yaml.safe_load((EXAMPLES / "its-python-data.yaml").read_text(encoding="utf-8"))
    data["credential"]["eqf_levle"] = data["credential"].pop("eqf_level")
    path = write(tmp_path / "course.json", json.dumps(data, indent=1, ensure_ascii=False))
    result = lint(runner, path, "--format", "json")
    assert result.exit_code == 1
    [problem] = json_lines(result)[0]["problems"]
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if '"eqf_levle"' in text)
    assert (problem["code"], problem["line"]) == ("SCHEMA_UNKNOWN_FIELD", line)
    assert "did you mean 'eqf_level'?" in problem["message"]
