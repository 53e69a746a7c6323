"""`mcred issue` run again into the same folder: each row unchanged, new or changed, never silently kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcred.cli.app import app
from mcred.elm.outcomes import load_outcomes, read_roster
from mcred.issue import status_lists as sl
from mcred.issue.issuing import issue_roster
from mcred.issue.reruns import RerunRefused
from mcred.keys.ed25519 import save_signing_key
from tests.conftest import load_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ISSUED = "2026-07-11T09:00:00Z"
LIST_ID = "https://its.example/status/1"


@pytest.fixture
def key_file(tmp_path, test_key):
    path = tmp_path / "issuer.pem"
    save_signing_key(test_key, path)
    return path


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes((EXAMPLES / "roster.csv").read_bytes())
    return path


@pytest.fixture
def outcomes(tmp_path):
    path = tmp_path / "course.yaml"
    path.write_bytes((EXAMPLES / "its-python-data.yaml").read_bytes())
    return path


@pytest.fixture
def revocation(runner, tmp_path, key_file):
    path = tmp_path / "list.json"
    result = runner.invoke(app, ["status", "init", str(path), "--key", str(key_file), "--id", LIST_ID])
    assert result.exit_code == 0, result.output
    return path


def issue(runner, outcomes, roster, key_file, out_dir, *extra):
    args = ["issue", outcomes, "--key", key_file, "--learners", roster, "--out-dir", out_dir, "--issued", ISSUED,
            *extra]
    return runner.invoke(app, [str(a) for a in args])


def correct_grade(roster: Path) -> None:
    roster.write_text(roster.read_text().replace("27/30", "28/30"))


def snapshot(out_dir: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(out_dir.iterdir())}


def library_run(outcomes, roster, test_key, out_dir, **options):
    rows = [(r.row, r.learner, r.problems) for r in read_roster(roster)]
    return issue_roster(load_outcomes(outcomes), rows, test_key, out_dir, issued=ISSUED, **options)


def test_the_manifest_records_what_each_credential_was_signed_from(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    assert issue(runner, outcomes, roster, key_file, out_dir).exit_code == 0
    manifest = load_json(out_dir / "manifest.json")
    assert manifest["format"] == "mcred-manifest/2"
    for row in manifest["rows"]:
        assert row["learner"]["family_name"] and len(row["learner_sha256"]) == 64
        assert row["outcomes_sha256"] == manifest["outcomes_sha256"]
        assert load_json(out_dir / row["file"])["id"] == row["credential_id"]


def test_an_unchanged_rerun_keeps_every_credential(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    before = {name: data for name, data in snapshot(out_dir).items() if name != "manifest.json"}
    result = issue(runner, outcomes, roster, key_file, out_dir)
    assert result.exit_code == 0, result.output
    assert "0 issued (new), 3 already issued (unchanged), 0 reissued (changed)" in result.output
    assert {name: data for name, data in snapshot(out_dir).items() if name != "manifest.json"} == before


def test_a_changed_row_is_refused_and_nothing_is_written(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    before = snapshot(out_dir)
    correct_grade(roster)
    result = issue(runner, outcomes, roster, key_file, out_dir)
    assert result.exit_code == 1, result.output
    assert "row 2 (Bianchi Marco): grade 27/30 → 28/30" in result.output and "--reissue" in result.output
    assert snapshot(out_dir) == before


def test_a_changed_row_raises_roster_changed(outcomes, roster, test_key, tmp_path):
    out_dir = tmp_path / "out"
    library_run(outcomes, roster, test_key, out_dir)
    correct_grade(roster)
    with pytest.raises(RerunRefused) as refused:
        library_run(outcomes, roster, test_key, out_dir)
    assert refused.value.code == "ROSTER_CHANGED" and refused.value.exit_code == 1


def test_a_changed_outcome_file_is_refused_for_every_row(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    before = snapshot(out_dir)
    outcomes.write_text(outcomes.read_text() + "\n# a title corrected\n")
    result = issue(runner, outcomes, roster, key_file, out_dir)
    assert result.exit_code == 1, result.output
    assert "3 rows changed" in result.output and "the outcome file changed" in result.output
    assert snapshot(out_dir) == before


def test_another_suite_is_a_change_and_is_refused(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    assert {r["suite"] for r in load_json(out_dir / "manifest.json")["rows"]} == {"eddsa-rdfc-2022"}
    before = snapshot(out_dir)
    result = issue(runner, outcomes, roster, key_file, out_dir, "--suite", "eddsa-jcs-2022")
    assert result.exit_code == 1, result.output
    assert "3 rows changed" in result.output and "suite eddsa-rdfc-2022 → eddsa-jcs-2022" in result.output
    assert snapshot(out_dir) == before


def test_reissue_issues_a_new_credential_and_revokes_the_old_one(runner, outcomes, roster, key_file, tmp_path,
                                                                  revocation):
    out_dir = tmp_path / "out"
    assert issue(runner, outcomes, roster, key_file, out_dir, "--status-list", revocation).exit_code == 0
    old = {r["row"]: r for r in load_json(out_dir / "manifest.json")["rows"]}[2]
    correct_grade(roster)
    result = issue(runner, outcomes, roster, key_file, out_dir, "--reissue")  # the list the manifest records
    assert result.exit_code == 0, result.output
    assert "revoked 1 replaced credential(s): row 2 (Bianchi Marco)" in result.output
    manifest = load_json(out_dir / "manifest.json")
    new = {r["row"]: r for r in manifest["rows"]}[2]
    assert new["status"] == "reissued" and new["supersedes"] == old["credential_id"]
    assert new["credential_id"] != old["credential_id"] and new["file"] != old["file"]
    assert load_json(out_dir / new["file"])["credentialSubject"]  # the new file is there, beside the old one
    assert (out_dir / old["file"]).exists()
    [superseded] = manifest["superseded"]
    assert superseded["credential_id"] == old["credential_id"] and superseded["superseded_by"] == new["credential_id"]
    assert superseded["revoked"] is True
    assert sl.describe_status_list(revocation, index=old["status_index"])["index"]["set"] is True
    assert sl.describe_status_list(revocation, index=new["status_index"])["index"]["set"] is False
    again = issue(runner, outcomes, roster, key_file, out_dir)  # and the new state is the unchanged one
    assert again.exit_code == 0 and "3 already issued (unchanged)" in again.output


def test_reissue_without_a_status_list_warns_the_old_one_stays_valid(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    correct_grade(roster)
    result = issue(runner, outcomes, roster, key_file, out_dir, "--reissue")
    assert result.exit_code == 0, result.output
    assert "1 reissued (changed)" in result.output
    assert "carry no status entry and cannot be revoked" in result.output


def test_a_status_list_added_to_a_batch_without_one_is_refused(runner, outcomes, roster, key_file, tmp_path,
                                                               revocation):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    before = snapshot(out_dir)
    result = issue(runner, outcomes, roster, key_file, out_dir, "--status-list", revocation)
    assert result.exit_code == 1, result.output
    assert "no status entry and can never be revoked" in result.output and "--reissue" in result.output
    assert snapshot(out_dir) == before
    assert load_json(sl.alloc_path(revocation))["allocated"] == 0  # no index spent


def test_a_status_list_added_raises_status_list_added(outcomes, roster, test_key, tmp_path, revocation):
    out_dir = tmp_path / "out"
    library_run(outcomes, roster, test_key, out_dir)
    with pytest.raises(RerunRefused) as refused:
        library_run(outcomes, roster, test_key, out_dir, status_list=revocation)
    assert refused.value.code == "STATUS_LIST_ADDED" and refused.value.exit_code == 1


def test_a_status_list_added_with_reissue_gives_every_credential_an_entry(runner, outcomes, roster, key_file,
                                                                          tmp_path, revocation):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    result = issue(runner, outcomes, roster, key_file, out_dir, "--status-list", revocation, "--reissue")
    assert result.exit_code == 0, result.output
    rows = load_json(out_dir / "manifest.json")["rows"]
    assert all(r["status"] == "reissued" and r["status_index"] is not None for r in rows)
    for row in rows:
        assert load_json(out_dir / row["file"])["credentialStatus"]["@value"] == f"{LIST_ID}#{row['status_index']}"
    assert "3 replaced credential(s) carry no status entry" in result.output


def legacy(out_dir: Path) -> None:
    """The manifest as mcred wrote it before it recorded what each credential was signed from."""
    manifest = load_json(out_dir / "manifest.json")
    rows = [{name: value for name, value in row.items()
             if name not in ("learner", "learner_sha256", "outcomes_sha256")} for row in manifest["rows"]]
    document = {"format": "mcred-manifest/1", "issuer": manifest["issuer"], "outcomes": manifest["outcomes"],
                "outcomes_sha256": manifest["outcomes_sha256"], "roster": "elsewhere.csv", "roster_sha256": "0" * 64,
                "counts": {"issued": 3, "already-issued": 0, "failed": 0}, "rows": rows}
    (out_dir / "manifest.json").write_text(json.dumps(document))


def test_an_older_manifest_is_read_and_an_unchanged_row_is_kept(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    legacy(out_dir)
    result = issue(runner, outcomes, roster, key_file, out_dir)
    assert result.exit_code == 0, result.output
    assert "3 already issued (unchanged)" in result.output
    assert load_json(out_dir / "manifest.json")["format"] == "mcred-manifest/2"


def test_an_older_manifest_does_not_hide_a_changed_row(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    legacy(out_dir)
    before = snapshot(out_dir)
    correct_grade(roster)
    result = issue(runner, outcomes, roster, key_file, out_dir)
    assert result.exit_code == 1, result.output
    assert "row 2 (Bianchi Marco)" in result.output and "differs from this row" in result.output
    assert snapshot(out_dir) == before


def test_a_manifest_that_is_not_mcreds_is_refused(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "manifest.json").write_text('{"format": "something-else"}')
    result = issue(runner, outcomes, roster, key_file, out_dir)
    assert result.exit_code == 3 and "not an mcred manifest" in result.output
    assert sorted(p.name for p in out_dir.iterdir()) == ["manifest.json"]


def test_a_second_correction_revokes_the_first_reissue(runner, outcomes, roster, key_file, tmp_path, revocation):
    out_dir = tmp_path / "out"
    assert issue(runner, outcomes, roster, key_file, out_dir, "--status-list", revocation, "--jobs", 2).exit_code == 0
    correct_grade(roster)
    assert issue(runner, outcomes, roster, key_file, out_dir, "--reissue", "--jobs", 2).exit_code == 0
    roster.write_text(roster.read_text().replace("28/30", "29/30"))
    result = issue(runner, outcomes, roster, key_file, out_dir, "--reissue", "--jobs", 2)
    assert result.exit_code == 0, result.output
    manifest = load_json(out_dir / "manifest.json")
    current = {r["row"]: r for r in manifest["rows"]}[2]
    first, second = manifest["superseded"]
    assert first["superseded_by"] == second["credential_id"] and second["superseded_by"] == current["credential_id"]
    assert current["supersedes"] == second["credential_id"] and current["learner"]["grade"] == "29/30"
    assert first["revoked"] is True and second["revoked"] is True
    for record in (first, second):
        assert sl.describe_status_list(revocation, index=record["status_index"])["index"]["set"] is True
    assert sl.describe_status_list(revocation, index=current["status_index"])["index"]["set"] is False


def test_a_learner_left_out_of_the_roster_is_kept_in_the_manifest(runner, outcomes, roster, key_file, tmp_path):
    out_dir = tmp_path / "out"
    issue(runner, outcomes, roster, key_file, out_dir)
    luca = {r["row"]: r for r in load_json(out_dir / "manifest.json")["rows"]}[4]
    roster.write_text("".join(line for line in roster.read_text().splitlines(keepends=True) if "Neri" not in line))
    result = issue(runner, outcomes, roster, key_file, out_dir)
    assert result.exit_code == 0, result.output
    assert "1 credential(s) issued before for learners this roster does not list" in result.output
    assert "row 4 (Neri Luca)" in result.output
    [earlier] = load_json(out_dir / "manifest.json")["earlier"]
    assert earlier["credential_id"] == luca["credential_id"] and (out_dir / earlier["file"]).exists()
