"""Issuing a roster's bundles, as a ratio to issuing the EDC rendition alone (issue 19's speed goal).

    python benchmarks/bundle.py [ROWS] [FORMATS] [JOBS]     # default: 1000 edc,sd-jwt-vc 2

Writes a roster of ROWS learners, then times, each in a fresh folder and a fresh process, `mcred issue
--learners R.csv --out-dir D --jobs JOBS` (one ELM credential per row, the roster run) and `mcred issue --formats
FORMATS` on the same roster (every rendition, each verified and read back, and the signed manifest). The TEST-ONLY
keys in keys/ sign everything. Prints both times and their ratio.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"
EXAMPLE = ROOT / "examples" / "its-python-data.yaml"
ISSUED = "2026-07-01T09:00:00Z"


def write_roster(path: Path, rows: int) -> None:
    lines = ["given_name,family_name,date_of_birth,email,award_date,grade"]
    for n in range(rows):
        name = "".join(chr(ord("a") + (n // 26 ** k) % 26) for k in range(4))
        lines.append(f"Learner,{name.capitalize()},2000-01-{1 + n % 28:02d},{name}@example.org,2026-06-30,28/30")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mcred.cli.app", *args], check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    formats = sys.argv[2] if len(sys.argv) > 2 else "edc,sd-jwt-vc"
    jobs = sys.argv[3] if len(sys.argv) > 3 else "2"
    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "roster.csv"
        write_roster(roster, rows)
        common = ["issue", str(EXAMPLE), "--learners", str(roster), "--issued", ISSUED, "--jobs", jobs]
        edc = timed([*common, "--key", str(KEYS / "TEST-ONLY-issuer.pem"), "--out-dir", f"{folder}/edc"])
        bundles = timed([*common, "--formats", formats, "--key", str(KEYS / "TEST-ONLY-issuer.pem"),
                         "--ec-key", str(KEYS / "TEST-ONLY-p256-issuer.pem"),
                         "--cert", str(KEYS / "TEST-ONLY-p256-issuer.chain.pem"), "--out-dir", f"{folder}/bundles"])
    print(f"{rows} rows, --jobs {jobs}: EDC alone {edc:.1f} s; bundles of {formats} {bundles:.1f} s; "
          f"ratio {bundles / edc:.2f}")


if __name__ == "__main__":
    main()
