"""`mcred status revoke|suspend|reinstate` by credential file, id, learner or row; `status show --list`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from mcred.cli.app import app
from mcred.errors import UsageError
from mcred.issue import status_lists as sl
from mcred.issue.manifest import read_manifest
from mcred.issue.status_targets import resolve_targets
from mcred.keys.ed25519 import SigningKey, save_signing_key
from tests.conftest import load_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ISSUED = "2026-07-11T09:00:00Z"
LIST_ID = "https://its.example/status/1"
GIULIA = "RSSGLI00D52L219I"
COLUMNS = ["given_name", "family_name", "date_of_birth", "codice_fiscale", "award_date", "grade"]


def mcred(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def key_file(tmp_path, test_key):
    path = tmp_path / "issuer.pem"
    save_signing_key(test_key, path)
    return path


def make_list(runner, tmp_path, key_file, purpose="revocation", name="list.json", list_id=LIST_ID):
    path = tmp_path / name
    result = mcred(runner, "status", "init", path, "--key", key_file, "--id", list_id, "--purpose", purpose)
    assert result.exit_code == 0, result.output
    return path


def issue_batch(runner, tmp_path, key_file, status_list=None):
    roster = tmp_path / "roster.csv"
    with open(roster, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow(["Giulia", "Rossi", "2000-04-12", GIULIA, "2026-07-10", "28/30"])
        writer.writerow(["Marco", "Bianchi", "1999-01-15", "", "2026-07-10", "27/30"])
    out_dir = tmp_path / "out"
    extra = ["--status-list", status_list] if status_list else []
    result = mcred(runner, "issue", EXAMPLES / "its-python-data.yaml", "--key", key_file, "--learners", roster,
                   "--out-dir", out_dir, "--issued", ISSUED, *extra)
    assert result.exit_code == 0, result.output
    manifest = load_json(out_dir / "manifest.json")
    return out_dir, {row["row"]: row for row in manifest["rows"]}


@pytest.fixture
def batch(runner, tmp_path, key_file):
    status_list = make_list(runner, tmp_path, key_file)
    out_dir, rows = issue_batch(runner, tmp_path, key_file, status_list)
    return status_list, out_dir, rows


def is_set(status_list: Path, index: int) -> bool:
    return sl.describe_status_list(status_list, index=index)["index"]["set"]


def test_revoke_by_credential_file(runner, batch, key_file):
    status_list, out_dir, rows = batch
    result = mcred(runner, "status", "revoke", status_list, out_dir / rows[2]["file"], "--key", key_file)
    assert result.exit_code == 0, result.output
    assert f"revoked {rows[2]['status_index']} ({rows[2]['file']})" in result.output
    assert is_set(status_list, rows[2]["status_index"]) and not is_set(status_list, rows[3]["status_index"])


def test_revoke_by_learner_codice_fiscale(runner, batch, key_file):
    status_list, out_dir, rows = batch
    result = mcred(runner, "status", "revoke", status_list, "--learner", GIULIA.lower(), "--manifest",
                   out_dir / "manifest.json", "--key", key_file)
    assert result.exit_code == 0, result.output
    assert f"row 2, Rossi Giulia, {rows[2]['file']}" in result.output
    assert is_set(status_list, rows[2]["status_index"]) and not is_set(status_list, rows[3]["status_index"])


def test_revoke_by_row_and_by_credential_id(runner, batch, key_file):
    status_list, out_dir, rows = batch
    manifest = out_dir / "manifest.json"
    assert mcred(runner, "status", "revoke", status_list, "--row", 3, "--manifest", manifest,
                 "--key", key_file).exit_code == 0
    assert is_set(status_list, rows[3]["status_index"]) and not is_set(status_list, rows[2]["status_index"])
    result = mcred(runner, "status", "revoke", status_list, rows[2]["credential_id"], "--manifest", manifest,
                   "--key", key_file)
    assert result.exit_code == 0, result.output
    assert is_set(status_list, rows[2]["status_index"])


def test_suspend_and_reinstate_by_file(runner, tmp_path, key_file):
    status_list = make_list(runner, tmp_path, key_file, purpose="suspension")
    out_dir, rows = issue_batch(runner, tmp_path, key_file, status_list)
    credential = out_dir / rows[3]["file"]
    assert mcred(runner, "status", "suspend", status_list, credential, "--key", key_file).exit_code == 0
    assert is_set(status_list, rows[3]["status_index"])
    assert mcred(runner, "status", "reinstate", status_list, credential, "--key", key_file).exit_code == 0
    assert not is_set(status_list, rows[3]["status_index"])


def test_a_range_of_indexes(runner, batch, key_file):
    status_list, _, rows = batch
    low, high = sorted(r["status_index"] for r in rows.values())
    result = mcred(runner, "status", "revoke", status_list, f"{low}-{low}", high, "--key", key_file)
    assert result.exit_code == 0, result.output
    assert is_set(status_list, low) and is_set(status_list, high)


@pytest.mark.parametrize("target, message", [
    ("5-3", "the range 5-3 is not within the list"),
    ("0-131072", "the range 0-131072 is not within the list"),
    ("nothing.json", "'nothing.json' is not an index, a range"),
])
def test_a_target_that_names_nothing_exits_2(runner, batch, key_file, target, message):
    status_list, _, _ = batch
    before = status_list.read_bytes()
    result = mcred(runner, "status", "revoke", status_list, target, "--key", key_file)
    assert result.exit_code == 2 and message in result.output, result.output
    assert status_list.read_bytes() == before


@pytest.mark.parametrize("options, message", [
    (["--learner", "BNCMRC99A15F205E"], "no credential for the codice fiscale BNCMRC99A15F205E in the manifest"),
    (["--row", "9"], "no row 9 in the manifest"),
    (["urn:uuid:00000000-0000-0000-0000-000000000000"], "no credential urn:uuid:00000000-0000-0000-0000-000000000000"),
])
def test_what_the_manifest_does_not_hold_is_named_and_nothing_changes(runner, batch, key_file, options, message):
    status_list, out_dir, rows = batch
    before = status_list.read_bytes()
    # the good target first: one target that names nothing refuses the whole command
    result = mcred(runner, "status", "revoke", status_list, rows[2]["status_index"], *options,
                   "--manifest", out_dir / "manifest.json", "--key", key_file)
    assert result.exit_code == 2 and message in result.output, result.output
    assert status_list.read_bytes() == before


@pytest.mark.parametrize("targets, options", [
    ([], {"learners": ["BNCMRC99A15F205E"]}),
    ([], {"rows": [9]}),
    (["urn:uuid:00000000-0000-0000-0000-000000000000"], {}),
    (["12-3"], {}),
])
def test_targets_that_name_nothing_carry_their_code(batch, test_key, targets, options):
    status_list, out_dir, _ = batch
    with pytest.raises(UsageError) as refused:
        resolve_targets(status_list, targets, manifest=read_manifest(out_dir / "manifest.json"), issuer=test_key.did,
                        **options)
    assert refused.value.code == "STATUS_TARGET_NOT_FOUND" and refused.value.exit_code == 2


def test_learner_or_row_without_a_manifest_exits_2(runner, batch, key_file):
    status_list, _, _ = batch
    result = mcred(runner, "status", "revoke", status_list, "--learner", GIULIA, "--key", key_file)
    assert result.exit_code == 2 and "give --manifest" in result.output


def test_a_credential_id_without_a_manifest_exits_2(runner, batch, key_file):
    status_list, _, rows = batch
    result = mcred(runner, "status", "revoke", status_list, rows[2]["credential_id"], "--key", key_file)
    assert result.exit_code == 2 and "looked up in the manifest" in result.output


def test_no_target_at_all_exits_2(runner, batch, key_file):
    status_list, _, _ = batch
    result = mcred(runner, "status", "revoke", status_list, "--key", key_file)
    assert result.exit_code == 2 and "say which credentials" in result.output


def test_a_credential_without_a_status_entry_cannot_be_revoked(runner, tmp_path, key_file, test_key):
    status_list = make_list(runner, tmp_path, key_file)
    out_dir, rows = issue_batch(runner, tmp_path, key_file)  # issued without a status list
    for target in ([out_dir / rows[2]["file"]], ["--row", 2, "--manifest", out_dir / "manifest.json"]):
        result = mcred(runner, "status", "revoke", status_list, *target, "--key", key_file)
        assert result.exit_code == 2 and "can never be revoked" in result.output and "--reissue" in result.output
    with pytest.raises(UsageError) as refused:
        resolve_targets(status_list, [str(out_dir / rows[2]["file"])], issuer=test_key.did)
    assert refused.value.code == "STATUS_TARGET_NO_ENTRY"


def test_a_credential_of_another_list_is_refused(runner, batch, tmp_path, key_file):
    _, out_dir, rows = batch
    other = make_list(runner, tmp_path, key_file, name="other.json", list_id="https://its.example/status/2")
    result = mcred(runner, "status", "revoke", other, out_dir / rows[2]["file"], "--key", key_file)
    assert result.exit_code == 2 and f"the credential's status is in list {LIST_ID}" in result.output


def test_an_edited_credential_file_names_nothing(runner, batch, key_file):
    status_list, out_dir, rows = batch
    edited = out_dir / rows[2]["file"]
    document = load_json(edited)
    document["credentialStatus"]["@value"] = f"{LIST_ID}#{rows[3]['status_index']}"  # moved to another learner
    edited.write_text(json.dumps(document))
    before = status_list.read_bytes()
    result = mcred(runner, "status", "revoke", status_list, edited, "--key", key_file)
    assert result.exit_code == 3 and "not a credential signed by this list's issuer" in result.output
    assert status_list.read_bytes() == before


def test_another_issuers_credential_names_nothing(runner, batch, tmp_path, key_file):
    status_list, _, _ = batch
    other_key = tmp_path / "other.pem"
    save_signing_key(SigningKey.from_seed(bytes(range(1, 33))), other_key)
    other_list = make_list(runner, tmp_path, other_key, name="other.json")
    foreign_dir = tmp_path / "foreign"
    foreign_dir.mkdir()
    foreign_out, rows = issue_batch(runner, foreign_dir, other_key, other_list)
    result = mcred(runner, "status", "revoke", status_list, foreign_out / rows[2]["file"], "--key", key_file)
    assert result.exit_code == 3 and "not a credential signed by this list's issuer" in result.output


def test_show_list_names_the_learners_from_the_manifest(runner, batch, key_file):
    status_list, out_dir, rows = batch
    mcred(runner, "status", "revoke", status_list, "--row", 2, "--manifest", out_dir / "manifest.json",
          "--key", key_file)
    result = mcred(runner, "status", "show", status_list, "--list", "--manifest", out_dir / "manifest.json")
    assert result.exit_code == 0, result.output
    assert f"{rows[2]['status_index']}  row 2  Rossi Giulia  {rows[2]['file']}" in result.output
    assert "Bianchi" not in result.output
    bare = mcred(runner, "status", "show", status_list, "--list")
    assert "revoked (1):" in bare.output and f"  {rows[2]['status_index']}\n" in bare.output
    shown = json.loads(mcred(runner, "status", "show", status_list, "--manifest", out_dir / "manifest.json",
                             "--format", "json").output)
    assert shown["credentials"] == [{"index": rows[2]["status_index"], "row": 2, "learner": "Rossi Giulia",
                                     "file": rows[2]["file"], "credential_id": rows[2]["credential_id"],
                                     "superseded_by": None}]


def test_show_with_a_manifest_that_is_not_one_exits_3(runner, batch, tmp_path):
    status_list, _, _ = batch
    bad = tmp_path / "manifest.json"
    bad.write_text("[]")
    result = mcred(runner, "status", "show", status_list, "--list", "--manifest", bad)
    assert result.exit_code == 3 and "not an mcred manifest" in result.output
