"""Measure sign/verify cost on the example ELM credential as ratios to a raw Ed25519 verify.

Usage: python benchmarks/bench.py [--rounds N] [--json OUT.json]

Each round runs every contender once, in the same process and on the same
data, and ratios are taken per round before the median, so machine noise
largely cancels. Figures go in the README ("Benchmarks").
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

from mcred.issue import issue_credential
from mcred.keys import load_signing_key
from mcred.outcomes import load_outcomes
from mcred.proofs import JCS, RDFC, verify_proof
from mcred.signing import sign_credential
from mcred.verify import verify_credential

ROOT = Path(__file__).resolve().parents[1]


def per_call(fn, seconds: float = 0.2) -> float:
    """Seconds per call, running fn repeatedly for about `seconds`."""
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    key = load_signing_key(ROOT / "keys" / "TEST-ONLY-issuer.pem")
    unsigned = json.loads((ROOT / "examples" / "elm-microcredential.json").read_text())
    signed = {suite: sign_credential(unsigned, key, suite=suite) for suite in (RDFC, JCS)}
    message, signature = b"x" * 64, key.sign(b"x" * 64)
    outcomes = load_outcomes(ROOT / "examples" / "its-python-data.yaml")
    learner = outcomes.learners[0]
    contenders = {
        "raw Ed25519 verify (cryptography)": lambda: key.public_key.verify(signature, message),
        "raw Ed25519 sign (cryptography)": lambda: key.sign(message),
        "sign eddsa-rdfc-2022": lambda: sign_credential(unsigned, key, suite=RDFC),
        "verify_proof eddsa-rdfc-2022": lambda: verify_proof(signed[RDFC], 0),
        "full verify eddsa-rdfc-2022": lambda: verify_credential(signed[RDFC]),
        "issue (build + lint + sign) eddsa-rdfc-2022": lambda: issue_credential(
            outcomes, learner, key, issued="2026-07-01T09:00:00Z"),
        "sign eddsa-jcs-2022": lambda: sign_credential(unsigned, key, suite=JCS),
        "full verify eddsa-jcs-2022": lambda: verify_credential(signed[JCS]),
    }
    for fn in contenders.values():  # warm caches (processed contexts)
        fn()
    ratios = {name: [] for name in contenders}
    times = {name: [] for name in contenders}
    for _ in range(args.rounds):
        base = per_call(contenders["raw Ed25519 verify (cryptography)"])
        for name, fn in contenders.items():
            t = per_call(fn)
            times[name].append(t)
            ratios[name].append(t / base)
    sign_name = "raw Ed25519 sign (cryptography)"
    rows = [{"what": name, "ms": statistics.median(times[name]) * 1000,
             "per_second": 1 / statistics.median(times[name]),
             "x_ed25519_verify": statistics.median(ratios[name]),
             "x_ed25519_sign": statistics.median(
                 t / s for t, s in zip(times[name], times[sign_name], strict=True))}
            for name in contenders]
    print(f"{'what':<46} {'ms':>8} {'per s':>9} {'x verify':>9} {'x sign':>9}")
    for row in rows:
        print(f"{row['what']:<46} {row['ms']:>8.3f} {row['per_second']:>9.0f} "
              f"{row['x_ed25519_verify']:>9.1f} {row['x_ed25519_sign']:>9.1f}")
    if args.json:
        args.json.write_text(json.dumps({"machine": platform.platform(),
                                         "python": platform.python_version(),
                                         "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
