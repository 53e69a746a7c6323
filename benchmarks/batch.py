"""Batch verification throughput: `mcred verify DIR --jobs N`, one and two processes, in one run.

Usage: python benchmarks/batch.py [--count N] [--suite eddsa-rdfc-2022|eddsa-jcs-2022]

Issues N copies of the example ELM credential (distinct learners) into a temporary
folder, then times `mcred verify --format json` over the folder with --jobs 1 and
--jobs 2 (wall time, including start-up), and reports credentials per second and
the speed-up.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mcred.elm.outcomes import load_outcomes
from mcred.issue.issuing import credential_bytes, issue_credential
from mcred.keys.ed25519 import load_signing_key

ROOT = Path(__file__).resolve().parents[1]


def measure(count: int, suite: str) -> dict:
    """Issue `count` credentials into a temporary folder and time `mcred verify` over it with 1 and 2 jobs."""
    key = load_signing_key(ROOT / "keys" / "TEST-ONLY-issuer.pem")
    outcomes = load_outcomes(ROOT / "examples" / "its-python-data.yaml")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for index in range(count):
            learner = {"given_name": f"Nome{index}", "family_name": "Cognome", "email": f"l{index}@example.org",
                       "award_date": "2026-06-30"}
            signed = issue_credential(outcomes, learner, key, issued="2026-07-01T09:00:00Z", suite=suite)
            (folder / f"c{index:05d}.json").write_bytes(credential_bytes(signed))
        rates = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "mcred.cli.app", "verify", str(folder), "--format", "json",
                                     "--jobs", str(jobs)], capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            assert result.returncode == 0, result.stderr[-2000:]
            rates[jobs] = count / elapsed
            # the largest resident set of any process waited for so far (the verifier or a worker)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{suite} --jobs {jobs}: {count} credentials in {elapsed:.1f} s = {rates[jobs]:.0f}/s, "
                  f"peak RSS so far {peak:.0f} MB")
    print(f"speed-up with 2 jobs: {rates[2] / rates[1]:.2f}x")
    return {"count": count, "suite": suite, "per_second_1_job": rates[1], "per_second_2_jobs": rates[2],
            "speed_up": rates[2] / rates[1], "peak_rss_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--suite", default="eddsa-rdfc-2022")
    args = parser.parse_args()
    measure(args.count, args.suite)


if __name__ == "__main__":
    main()
