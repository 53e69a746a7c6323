"""An issuer's day, end to end, as the command line runs it (issue 15's acceptance).

A secretary issues for a class of 30 from the Excel "CSV" Italian offices write (``;``,
Windows-1252, DD/MM/YYYY, accented names), with a status list; a grade is corrected and the
re-run is refused; ``--reissue`` issues the corrected credential and revokes the one it replaces;
one learner is revoked by naming the credential file; the folder is verified by a shell glob,
mcred's own manifest in it skipped. Every step runs ``python -m mcred.cli.app`` in a subprocess,
through a shell for the glob, as a script in an office would.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from mcred.keys.ed25519 import save_signing_key

ROOT = Path(__file__).resolve().parents[2]
CLASS_OF_30 = ROOT / "tests" / "assets" / "rosters" / "classe-excel-it.csv"
OUTCOMES = ROOT / "examples" / "its-python-data.yaml"
ISSUED = "2026-07-11T09:00:00Z"
LIST_ID = "https://its.example/status/2026-python"


def mcred(*args, cwd: Path) -> subprocess.CompletedProcess:
    command = " ".join([shlex.quote(sys.executable), "-m", "mcred.cli.app", *args])
    return subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True, timeout=600)


def manifest_rows(out_dir: Path) -> dict[str, dict]:
    rows = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["rows"]
    return {row["learner"]["family_name"]: row for row in rows}


def test_an_issuers_day(tmp_path, test_key):
    save_signing_key(test_key, tmp_path / "issuer.pem")
    shutil.copyfile(CLASS_OF_30, tmp_path / "classe.csv")
    shutil.copyfile(OUTCOMES, tmp_path / "course.yaml")

    made = mcred("status", "init", "revoche.json", "--key", "issuer.pem", "--id", LIST_ID, cwd=tmp_path)
    assert made.returncode == 0, made.stderr

    issue = ["issue", "course.yaml", "--key", "issuer.pem", "--learners", "classe.csv", "--out-dir", "out",
             "--issued", ISSUED]
    first = mcred(*issue, "--status-list", "revoche.json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "30 issued" in first.stderr and "read as Windows-1252" in first.stderr
    out = tmp_path / "out"
    before = manifest_rows(out)
    assert len(before) == 30 and before["Pietà"]["learner"]["given_name"] == "Maria"

    # the grade of Giulia D'Agostino corrected in the spreadsheet, saved again as Excel does
    data = (tmp_path / "classe.csv").read_bytes()
    row = next(line for line in data.split(b"\r\n") if line.startswith(b"Giulia;D'Agostino;"))
    assert row.endswith(b";27/30;giulia.dagostino@studenti.example.org")
    (tmp_path / "classe.csv").write_bytes(data.replace(row, row.replace(b";27/30;", b";28/30;")))
    files_before = {p.name: p.read_bytes() for p in out.iterdir()}

    refused = mcred(*issue, cwd=tmp_path)
    assert refused.returncode == 1, refused.stderr
    assert "D'Agostino" in refused.stderr and "27/30 → 28/30" in refused.stderr and "--reissue" in refused.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == files_before  # nothing written

    reissued = mcred(*issue, "--reissue", cwd=tmp_path)
    assert reissued.returncode == 0, reissued.stderr
    assert "1 reissued (changed)" in reissued.stderr and "29 already issued (unchanged)" in reissued.stderr
    after = manifest_rows(out)
    old, new = before["D'Agostino"], after["D'Agostino"]
    assert new["supersedes"] == old["credential_id"] != new["credential_id"]

    # Mattia Barberà withdraws: the secretary names his credential file, not an index
    barbera = before["Barberà"]["file"]
    revoked = mcred("status", "revoke", "revoche.json", shlex.quote(f"out/{barbera}"), "--key", "issuer.pem",
                    cwd=tmp_path)
    assert revoked.returncode == 0, revoked.stderr

    verified = mcred("verify", "out/*.json", "--status-list", "revoche.json", "--format", "json", cwd=tmp_path)
    lines = [json.loads(line) for line in verified.stdout.splitlines()]
    summary, reports = lines[-1], lines[:-1]
    assert verified.returncode == 1, verified.stderr  # two credentials revoked: the verdict is not "all good"
    assert len(reports) == 31 and "manifest.json" in verified.stderr  # 30 + the reissued one; manifest skipped
    failing = sorted(Path(r["file"]).name for r in reports if not r["verified"])
    assert failing == sorted([old["file"], barbera])
    revocation = [c for r in reports if not r["verified"] for c in r["checks"] if c["status"] == "failed"]
    assert {c["code"] for c in revocation} == {"STATUS_REVOKED"}
    assert summary["files"] == 31 and summary["exit_code"] == 1
