"""A roster of 1,000 learners with --jobs 2: two bad rows skipped, a killed run resumed exactly.

Slow (about a minute): marked `slow`.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from mcred.elm.italy import codice_fiscale_check_character
from mcred.keys.ed25519 import save_signing_key
from mcred.verify.runner import verify_file
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[1]
MONTHS = "ABCDEHLMPRST"
ROWS = 1000
BAD_CF_ROW, NO_NAME_ROW = 137, 612   # roster line numbers (the header is line 1)


def codice_fiscale(index: int, born: date, female: bool) -> str:
    letters = "".join(chr(ord("A") + (index // 26 ** k) % 26) for k in range(6))
    day = born.day + (40 if female else 0)
    first = f"{letters}{born.year % 100:02d}{MONTHS[born.month - 1]}{day:02d}L219"
    return first + codice_fiscale_check_character(first)


def write_roster(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["given_name", "family_name", "date_of_birth", "codice_fiscale", "award_date",
                         "grade"])
        for index in range(ROWS):
            line = index + 2
            born = date(1990, 1, 1) + timedelta(days=index * 7)
            cf = codice_fiscale(index, born, female=index % 2 == 0)
            given = f"Nome{index}"
            if line == BAD_CF_ROW:
                cf = cf[:15] + ("A" if cf[15] != "A" else "B")
            if line == NO_NAME_ROW:
                given = ""
            writer.writerow([given, f"Cognome{index}", born.isoformat(), cf, "2026-06-30",
                             f"{18 + index % 13}/30"])


def run(args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "mcred.cli.app", "issue", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kwargs)


@pytest.mark.slow
def test_thousand_learners_killed_and_resumed(tmp_path, test_key):
    key = tmp_path / "issuer.pem"
    save_signing_key(test_key, key)
    roster = tmp_path / "roster.csv"
    write_roster(roster)
    out_dir = tmp_path / "out"
    args = [ROOT / "examples" / "its-python-data.yaml", "--key", key, "--learners", roster,
            "--out-dir", out_dir, "--jobs", "2", "--issued", "2026-07-01T09:00:00Z"]

    first = run(args)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(out_dir.glob("*.json"))) < 300:
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)          # the whole run, workers included
    first.wait()
    partial = {p.name for p in out_dir.glob("*.json") if p.name != "manifest.json"}
    assert 250 <= len(partial) < 998, "the run should have been killed halfway"

    second = run(args)
    _, stderr = second.communicate(timeout=600)
    stderr = stderr.decode()
    assert second.returncode == 1, stderr        # some rows failed
    assert f"row {BAD_CF_ROW}" in stderr and "check character" in stderr
    assert f"row {NO_NAME_ROW}" in stderr and "given_name" in stderr

    manifest = json.loads((out_dir / "manifest.json").read_text())
    rows = manifest["rows"]
    assert len(rows) == ROWS
    assert manifest["counts"]["failed"] == 2
    assert manifest["counts"]["issued"] + manifest["counts"]["already-issued"] == 998
    assert manifest["counts"]["already-issued"] >= len(partial)
    files = sorted(p.name for p in out_dir.glob("*.json") if p.name != "manifest.json")
    assert len(files) == 998 == len({r["file"] for r in rows if r["status"] != "failed"})
    assert partial <= set(files)                  # nothing from the first run was redone or lost
    assert not list(out_dir.glob(".*.tmp"))       # no half-written leftovers
    ids = {r["credential_id"] for r in rows if r["status"] != "failed"}
    assert len(ids) == 998                        # each learner once
    for row in rows[::50]:
        if row["status"] != "failed":
            path = out_dir / row["file"]
            assert verify_file(path, now=NOW).verified
            assert json.loads(path.read_text())["id"] == row["credential_id"]
