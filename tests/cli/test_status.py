"""`mcred status`: init, revoke, suspend, reinstate, show: exit codes, messages, --format json."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mcred.cli.status import status_app
from mcred.issue import status_lists as sl
from mcred.keys.ed25519 import SigningKey, save_signing_key
from mcred.verify import status as st
from mcred.verify import status_copies as sc
from tests.conftest import load_json, write_json

LIST_ID = "https://its.example/status/1"


@pytest.fixture
def key_file(tmp_path, test_key):
    path = tmp_path / "issuer.pem"
    save_signing_key(test_key, path)
    return path


@pytest.fixture
def other_key_file(tmp_path):
    path = tmp_path / "other.pem"
    save_signing_key(SigningKey.from_seed(bytes(range(1, 33))), path)
    return path


def status(runner, *args):
    return runner.invoke(status_app, [str(a) for a in args])


@pytest.fixture
def revocation(runner, tmp_path, key_file):
    path = tmp_path / "list.json"
    result = status(runner, "init", path, "--key", key_file, "--id", LIST_ID)
    assert result.exit_code == 0, result.output
    return path


def test_init_creates_the_list_and_says_where_the_indexes_are_kept(runner, revocation, test_key):
    assert load_json(revocation)["issuer"] == test_key.did
    assert sl.alloc_path(revocation).exists()
    result = status(runner, "show", revocation)
    assert result.exit_code == 0
    assert "revocation" in result.output and "131072 entries" in result.output and "verified" in result.output


def test_init_output_names_the_sidecar(runner, tmp_path, key_file):
    result = status(runner, "init", tmp_path / "s.json", "--key", key_file, "--id", "urn:uuid:1",
                    "--purpose", "suspension", "--size", "262144")
    assert result.exit_code == 0, result.output
    assert "suspension list urn:uuid:1, 262144 entries" in result.output
    assert "s.json.alloc (keep it, never publish it)" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--id", "https://its.example/status/1#x"], "without a fragment"),
    (["--id", LIST_ID, "--size", "1000"], "multiple of 8"),
    (["--id", LIST_ID, "--purpose", "message"], "Invalid value for '--purpose'"),
])
def test_init_refuses_bad_arguments_with_exit_2(runner, tmp_path, key_file, args, message):
    result = status(runner, "init", tmp_path / "l.json", "--key", key_file, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "l.json").exists()


def test_init_never_overwrites(runner, revocation, key_file):
    before = revocation.read_bytes()
    result = status(runner, "init", revocation, "--key", key_file, "--id", LIST_ID)
    assert result.exit_code == 2 and "the status list already exists" in result.output
    assert revocation.read_bytes() == before


def test_init_with_an_unreadable_key_exits_3(runner, tmp_path):
    result = status(runner, "init", tmp_path / "l.json", "--key", tmp_path / "missing.pem", "--id", LIST_ID)
    assert result.exit_code == 3


def test_revoke_then_show(runner, revocation, key_file):
    a, b = (sl.allocate_index(revocation).index for _ in range(2))
    result = status(runner, "revoke", revocation, a, b, "--key", key_file)
    assert result.exit_code == 0, result.output
    assert f"revoked {min(a, b)}, {max(a, b)} in {revocation}" in result.output
    assert "publish the new list" in result.output
    again = status(runner, "revoke", revocation, a, "--key", key_file)
    assert again.exit_code == 0 and f"already revoked: {a} ({revocation} is unchanged)" in again.output
    shown = status(runner, "show", revocation, "--index", a)
    assert shown.exit_code == 0
    assert f"set          2: {min(a, b)}, {max(a, b)}" in shown.output
    assert f"index {a}" in shown.output and "revoked" in shown.output
    assert "allocated    2 of 131072" in shown.output


def test_show_json(runner, revocation, key_file, test_key):
    index = sl.allocate_index(revocation).index
    status(runner, "revoke", revocation, index, "--key", key_file)
    result = status(runner, "show", revocation, "--format", "json", "--index", index)
    assert result.exit_code == 0
    info = json.loads(result.output)
    assert info["format"] == "mcred-status/1"
    assert (info["id"], info["issuer"], info["purpose"], info["size"]) == (LIST_ID, test_key.did, "revocation",
                                                                           131_072)
    assert (info["verified"], info["set_count"], info["set"], info["allocated"]) == (True, 1, [index], 1)
    assert info["index"] == {"index": index, "set": True}


def test_suspend_and_reinstate(runner, tmp_path, key_file):
    path = tmp_path / "s.json"
    status(runner, "init", path, "--key", key_file, "--id", "urn:uuid:s", "--purpose", "suspension")
    index = sl.allocate_index(path).index
    assert status(runner, "suspend", path, index, "--key", key_file).exit_code == 0
    assert json.loads(status(runner, "show", path, "--format", "json").output)["set"] == [index]
    result = status(runner, "reinstate", path, index, "--key", key_file)
    assert result.exit_code == 0 and f"reinstated {index}" in result.output
    assert json.loads(status(runner, "show", path, "--format", "json").output)["set"] == []


@pytest.mark.parametrize(("command", "message", "hint"), [
    ("suspend", "cannot suspend in a revocation list", "needs a suspension list"),
    ("reinstate", "cannot reinstate in a revocation list", "revocation is final"),
])
def test_an_action_the_list_does_not_allow_exits_2(runner, revocation, key_file, command, message, hint):
    index = sl.allocate_index(revocation).index
    result = status(runner, command, revocation, index, "--key", key_file)
    assert result.exit_code == 2
    assert message in result.output and hint in result.output


def test_another_key_cannot_change_the_list(runner, revocation, other_key_file):
    index = sl.allocate_index(revocation).index
    before = revocation.read_bytes()
    result = status(runner, "revoke", revocation, index, "--key", other_key_file)
    assert result.exit_code == 3
    assert "is not the list's issuer" in result.output
    assert revocation.read_bytes() == before


def test_an_index_never_handed_out_exits_2(runner, revocation, key_file):
    key = bytes.fromhex(load_json(sl.alloc_path(revocation))["shuffle_key"])
    result = status(runner, "revoke", revocation, sl.shuffled_index(key, 0, 131_072), "--key", key_file)
    assert result.exit_code == 2 and "was never handed out" in result.output


def test_a_tampered_list_shows_as_not_valid_and_is_not_re_signed(runner, revocation, key_file):
    index = sl.allocate_index(revocation).index
    document = load_json(revocation)
    document["credentialSubject"]["encodedList"] = st.encode_bitstring(b"\xff" * 16384)
    write_json(revocation, document)
    shown = status(runner, "show", revocation)
    assert shown.exit_code == 1
    assert "NOT VALID: the signature does not match" in shown.output
    refused = status(runner, "revoke", revocation, index, "--key", key_file)
    assert refused.exit_code == 3 and "the status list does not verify" in refused.output


def test_show_refuses_a_file_that_is_not_a_status_list(runner, tmp_path, alumni):
    result = status(runner, "show", write_json(tmp_path / "c.json", alumni))
    assert result.exit_code == 3
    assert "is not a BitstringStatusListCredential" in result.output


# --- mcred issue --status-list, and `mcred status` inside the main app -------------------------

ROOT = Path(__file__).resolve().parents[2]
ISSUED = "2026-07-01T09:00:00Z"


def test_status_is_a_command_of_mcred(runner, tmp_path, key_file):
    from mcred.cli.app import app

    result = runner.invoke(app, ["status", "init", str(tmp_path / "l.json"), "--key", str(key_file), "--id", LIST_ID])
    assert result.exit_code == 0, result.output


def test_issue_one_with_a_status_list(runner, revocation, key_file, tmp_path, test_key):
    from mcred.cli.app import app
    from mcred.report import VerifyOptions
    from mcred.verify.runner import verify_file
    from tests.conftest import NOW
    from tests.shacl import shacl_report

    out = tmp_path / "giulia.json"
    result = runner.invoke(app, ["issue", str(ROOT / "examples" / "its-python-data.yaml"), "--key", str(key_file),
                                 "--out", str(out), "--issued", ISSUED, "--status-list", str(revocation)])
    assert result.exit_code == 0, result.output
    credential = load_json(out)
    list_id, _, index = credential["credentialStatus"]["@value"].rpartition("#")
    assert list_id == LIST_ID and f"status {LIST_ID}#{index}" in result.output
    assert shacl_report(credential)[0]
    options = VerifyOptions(status_lists=sc.load_status_lists([revocation], now=NOW))
    assert verify_file(out, now=NOW, options=options).verified
    assert status(runner, "revoke", revocation, index, "--key", key_file).exit_code == 0
    # revoking dates the list now, by the wall clock: verify after it, not at the fixed NOW
    later = datetime.now(timezone.utc) + timedelta(seconds=1)
    options = VerifyOptions(status_lists=sc.load_status_lists([revocation], now=later))
    report = verify_file(out, now=later, options=options)
    assert not report.verified and report.failures[0].code == "STATUS_REVOKED"


def test_issue_refuses_a_status_list_of_another_key(runner, tmp_path, other_key_file, key_file):
    from mcred.cli.app import app

    foreign = tmp_path / "foreign.json"
    status(runner, "init", foreign, "--key", other_key_file, "--id", LIST_ID)
    result = runner.invoke(app, ["issue", str(ROOT / "examples" / "its-python-data.yaml"), "--key", str(key_file),
                                 "--out", str(tmp_path / "c.json"), "--status-list", str(foreign)])
    assert result.exit_code == 3 and "is not the issuer of the credentials" in result.output
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_roster_gets_one_index_per_row_recorded_in_the_manifest_and_kept_on_resume(runner, revocation, key_file,
                                                                                      tmp_path, jobs):
    from mcred.cli.app import app

    out_dir = tmp_path / "out"
    args = ["issue", str(ROOT / "examples" / "unito-short-course.yaml"), "--key", str(key_file),
            "--learners", str(ROOT / "examples" / "roster.csv"), "--out-dir", str(out_dir), "--issued", ISSUED,
            "--status-list", str(revocation), "--jobs", jobs]
    assert runner.invoke(app, args).exit_code == 0
    manifest = load_json(out_dir / "manifest.json")
    assert manifest["status_list"] == str(revocation)
    rows = manifest["rows"]
    indexes = [row["status_index"] for row in rows]
    assert len(indexes) == 3 == len(set(indexes)) and {row["status_list"] for row in rows} == {LIST_ID}
    for row in rows:
        assert load_json(out_dir / row["file"])["credentialStatus"]["@value"] == f"{LIST_ID}#{row['status_index']}"
    (out_dir / rows[0]["file"]).unlink()  # an interrupted run: one credential is missing
    assert runner.invoke(app, args).exit_code == 0
    again = {row["row"]: row for row in load_json(out_dir / "manifest.json")["rows"]}
    assert [again[row["row"]]["status_index"] for row in rows[1:]] == indexes[1:]  # kept, no new index
    assert again[rows[0]["row"]]["status_index"] not in indexes  # re-issued with a fresh index
    assert load_json(sl.alloc_path(revocation))["allocated"] == 4


def test_verify_with_the_genuine_list_and_a_newer_forged_one_still_says_revoked(runner, revocation, key_file,
                                                                                other_key_file, tmp_path):
    """`--status-list genuine --status-list attacker`: the attacker's newer copy of the same list (its own
    signature, the bit cleared) never hides the revocation, in either order, with or without --strict."""
    from mcred.cli.app import app

    out = tmp_path / "giulia.json"
    assert runner.invoke(app, ["issue", str(ROOT / "examples" / "its-python-data.yaml"), "--key", str(key_file),
                               "--out", str(out), "--status-list", str(revocation)]).exit_code == 0
    index = load_json(out)["credentialStatus"]["@value"].rpartition("#")[2]
    forged = tmp_path / "forged.json"
    forged.write_bytes(revocation.read_bytes())
    forged_alloc = sl.alloc_path(forged)
    forged_alloc.write_bytes(sl.alloc_path(revocation).read_bytes())
    assert status(runner, "revoke", revocation, index, "--key", key_file).exit_code == 0
    # the attacker's copy: the same list id, signed later by another key, index not set
    document = {k: v for k, v in load_json(forged).items() if k != "proof"}
    document["issuer"] = SigningKey.from_seed(bytes(range(1, 33))).did
    from mcred.proofs.signing import sign_credential

    later = (datetime.now(timezone.utc) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    document["validFrom"] = later
    write_json(forged, sign_credential(document, SigningKey.from_seed(bytes(range(1, 33))), created=later))
    for lists in ([revocation, forged], [forged, revocation]):
        args = ["verify", str(out), "--now", later, *[a for p in lists for a in ("--status-list", str(p))]]
        for strict in ([], ["--strict"]):
            result = runner.invoke(app, args + strict)
            assert result.exit_code == 1 and "STATUS_REVOKED" in result.output, result.output


def test_verify_with_a_broken_status_list_file_reports_every_credential(runner, revocation, key_file, tmp_path):
    """Issue 16: a --status-list file that is not JSON stops nothing. The credential whose list it may be gets
    STATUS_LIST_UNREADABLE (a warning: exit 0, 1 with --strict), and stderr names the file once."""
    from mcred.cli.app import app

    out = tmp_path / "giulia.json"
    assert runner.invoke(app, ["issue", str(ROOT / "examples" / "its-python-data.yaml"), "--key", str(key_file),
                               "--out", str(out), "--status-list", str(revocation)]).exit_code == 0
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    args = ["verify", str(out), "--format", "json", "--status-list", str(broken)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.splitlines()[0])
    status_codes = [c["code"] for c in report["checks"] if c["check"] == "status"]
    assert status_codes == ["STATUS_LIST_UNREADABLE"]
    assert "broken.json" in result.stderr and "JSON_MALFORMED" in result.stderr
    assert runner.invoke(app, [*args, "--strict"]).exit_code == 1
    # with the genuine list beside it, the credential is checked as usual
    both = runner.invoke(app, [*args, "--status-list", str(revocation)])
    assert both.exit_code == 0
    assert [c["code"] for c in json.loads(both.stdout.splitlines()[0])["checks"]
            if c["check"] == "status"] == ["STATUS_ACTIVE"]
