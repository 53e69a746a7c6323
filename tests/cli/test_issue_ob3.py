"""`mcred issue --format ob3`: one learner or a roster of Open Badges 3.0 credentials that `mcred verify` accepts;
what the format cannot do yet is refused as a usage error (exit 2), by name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mcred.cli.app import app
from mcred.keys.ed25519 import save_signing_key

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "its-python-data.yaml"
ROSTER = ROOT / "examples" / "roster.csv"
ISSUED = "2026-07-01T09:00:00Z"


def issue(runner, key, *args):
    return runner.invoke(app, ["issue", str(EXAMPLE), "--format", "ob3", "--key", str(key), "--issued", ISSUED,
                               *map(str, args)])


def key_file(tmp_path, test_key) -> Path:
    path = tmp_path / "issuer.pem"
    save_signing_key(test_key, path)
    return path


def test_issue_writes_an_open_badge_that_verifies(runner, tmp_path, test_key):
    out = tmp_path / "badge.json"
    result = issue(runner, key_file(tmp_path, test_key), "--out", out)
    assert result.exit_code == 0, result.output
    badge = json.loads(out.read_text())
    assert "OpenBadgeCredential" in badge["type"] and badge["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert badge["issuer"]["id"] == test_key.did
    verified = runner.invoke(app, ["verify", str(out), "--now", "2026-11-23T12:00:00Z"])
    assert verified.exit_code == 0, verified.output


def test_a_roster_is_issued_and_a_rerun_finds_every_row_unchanged(runner, tmp_path, test_key):
    key = key_file(tmp_path, test_key)
    out_dir = tmp_path / "badges"
    first = issue(runner, key, "--learners", ROSTER, "--out-dir", out_dir)
    assert first.exit_code == 0, first.output
    files = sorted(out_dir.glob("*.ob3.json"))
    assert len(files) == 3
    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert {row["suite"] for row in manifest["rows"]} == {"ob3/eddsa-rdfc-2022"}
    again = issue(runner, key, "--learners", ROSTER, "--out-dir", out_dir)
    assert again.exit_code == 0 and "3 already issued (unchanged)" in again.output, again.output


def test_a_changed_row_is_refused_on_a_rerun(runner, tmp_path, test_key):
    key = key_file(tmp_path, test_key)
    roster = tmp_path / "roster.csv"
    shutil.copy(ROSTER, roster)
    out_dir = tmp_path / "badges"
    assert issue(runner, key, "--learners", roster, "--out-dir", out_dir).exit_code == 0
    text = roster.read_text(encoding="utf-8")
    assert "Bianchi" in text
    roster.write_text(text.replace("Bianchi", "Bianco"), encoding="utf-8")
    again = issue(runner, key, "--learners", roster, "--out-dir", out_dir)
    assert again.exit_code == 1 and "changed" in again.output, again.output


def test_another_suite_is_a_usage_error(runner, tmp_path, test_key):
    result = issue(runner, key_file(tmp_path, test_key), "--suite", "eddsa-jcs-2022", "--out", tmp_path / "x.json")
    assert result.exit_code == 2 and "signs with eddsa-rdfc-2022 only" in result.output
    assert not (tmp_path / "x.json").exists()


def _status_list(runner, tmp_path, key) -> Path:
    path = tmp_path / "revocations.json"
    result = runner.invoke(app, ["status", "init", str(path), "--key", str(key), "--id",
                                 "https://its-esempio.example/status/badges"])
    assert result.exit_code == 0, result.output
    return path


def _status_codes(runner, target, status_list) -> dict[str, list[str]]:
    result = runner.invoke(app, ["verify", str(target), "--status-list", str(status_list), "--format", "json",
                                 "--now", "2026-11-23T12:00:00Z"])
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    return {Path(r["file"]).name: [c["code"] for c in r["checks"] if c["check"] == "status"]
            for r in lines if "file" in r}


def test_a_badge_with_a_status_list_carries_a_bitstring_entry_and_can_be_revoked(runner, tmp_path, test_key):
    key = key_file(tmp_path, test_key)
    status_list = _status_list(runner, tmp_path, key)
    out = tmp_path / "badge.json"
    result = issue(runner, key, "--status-list", status_list, "--out", out)
    assert result.exit_code == 0, result.output
    entry = json.loads(out.read_text())["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    assert entry["statusListCredential"] == "https://its-esempio.example/status/badges"
    assert entry["id"] == f"{entry['statusListCredential']}#{entry['statusListIndex']}"
    assert _status_codes(runner, out, status_list) == {"badge.json": ["STATUS_ACTIVE"]}
    revoked = runner.invoke(app, ["status", "revoke", str(status_list), str(out), "--key", str(key)])
    assert revoked.exit_code == 0, revoked.output
    assert _status_codes(runner, out, status_list) == {"badge.json": ["STATUS_REVOKED"]}


def test_a_roster_of_badges_with_a_status_list_revokes_one_row(runner, tmp_path, test_key):
    key = key_file(tmp_path, test_key)
    status_list = _status_list(runner, tmp_path, key)
    out_dir = tmp_path / "badges"
    assert issue(runner, key, "--learners", ROSTER, "--out-dir", out_dir, "--status-list", status_list).exit_code == 0
    again = issue(runner, key, "--learners", ROSTER, "--out-dir", out_dir, "--status-list", status_list)
    assert again.exit_code == 0 and "3 already issued (unchanged)" in again.output, again.output
    revoked = runner.invoke(app, ["status", "revoke", str(status_list), "--row", "2", "--manifest",
                                  str(out_dir / "manifest.json"), "--key", str(key)])
    assert revoked.exit_code == 0, revoked.output
    codes = _status_codes(runner, out_dir, status_list)
    assert sorted(codes.values()) == [["STATUS_ACTIVE"], ["STATUS_ACTIVE"], ["STATUS_REVOKED"]]
    assert codes[next(name for name in codes if name.startswith("bianchi-marco"))] == ["STATUS_REVOKED"]  # row 2


def test_a_token_status_list_is_refused_for_badges(runner, tmp_path, test_key):
    token = tmp_path / "list.jwt"
    keys = ROOT / "keys"
    init = runner.invoke(app, ["status", "init", str(token), "--format", "token-status-list", "--id",
                               "https://its.example/status/1", "--key", str(keys / "TEST-ONLY-p256-issuer.pem"),
                               "--cert", str(keys / "TEST-ONLY-p256-issuer.chain.pem")])
    assert init.exit_code == 0, init.output
    result = issue(runner, key_file(tmp_path, test_key), "--status-list", token, "--out", tmp_path / "x.json")
    assert result.exit_code == 2 and "is a Token Status List" in result.output
    assert not (tmp_path / "x.json").exists()
