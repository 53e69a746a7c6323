"""Verify over HTTP against `mcred verify DIR --jobs 2`, on the same credentials, in one run.

Usage: python benchmarks/serve.py [--count N] [--requests R] [--concurrency C]

Issues N ELM credentials (distinct learners) into a temporary folder; times `mcred verify DIR --format json
--jobs 2` over it (wall time, start-up included); then starts `mcred serve --workers 2` on a free loopback
port and sends R POST /credentials/verify of those credentials from C client threads (kept-alive
connections, the standard library's client, in this process), after a warm-up of 200. Reports credentials per
second both ways, the ratio (the goal: HTTP at least 70 % of the batch), and the requests' p50 and p99 latency.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mcred.elm.outcomes import load_outcomes
from mcred.issue.issuing import credential_bytes, issue_credential
from mcred.keys.ed25519 import load_signing_key

ROOT = Path(__file__).resolve().parents[1]


def issue(folder: Path, count: int) -> list[bytes]:
    key = load_signing_key(ROOT / "keys" / "TEST-ONLY-issuer.pem")
    outcomes = load_outcomes(ROOT / "examples" / "its-python-data.yaml")
    bodies = []
    for index in range(count):
        learner = {"given_name": f"Nome{index}", "family_name": "Cognome", "email": f"l{index}@example.org",
                   "award_date": "2026-06-30"}
        signed = issue_credential(outcomes, learner, key, issued="2026-07-01T09:00:00Z")
        (folder / f"c{index:05d}.json").write_bytes(credential_bytes(signed))
        bodies.append(json.dumps({"verifiableCredential": signed}).encode("utf-8"))
    return bodies


def batch_rate(folder: Path, count: int) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mcred.cli.app", "verify", str(folder), "--format", "json",
                             "--jobs", "2"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-2000:]
    return count / elapsed


def http_load(port: int, bodies: list[bytes], count: int, concurrency: int) -> tuple[float, list[float], int]:
    """(requests per second, latencies, requests that were not 200)."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    turns = iter(range(count))

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while True:
            with lock:
                turn = next(turns, None)
            if turn is None:
                break
            began = time.perf_counter()
            connection.request("POST", "/credentials/verify", body=bodies[turn % len(bodies)],
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - began)
            if response.status != 200:
                with lock:
                    failures[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count / (time.perf_counter() - start), sorted(latencies), failures[0]


def measure(count: int, requests: int, concurrency: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        bodies = issue(Path(folder), count)
        batch = batch_rate(Path(folder), count)
    server = subprocess.Popen([sys.executable, "-m", "mcred.cli.app", "serve", "--port", "0", "--workers", "2"],
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"})
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)", server.stderr.readline()).group(1))
        http_load(port, bodies, 200, concurrency)  # warm-up
        rate, latencies, failures = http_load(port, bodies, requests, concurrency)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    p50, p99 = latencies[len(latencies) // 2], latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"mcred verify DIR --jobs 2: {count} credentials, {batch:.0f}/s")
    print(f"mcred serve --workers 2, concurrency {concurrency}: {requests} requests, {rate:.0f}/s, "
          f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, {failures} not 200")
    print(f"HTTP / batch: {rate / batch:.0%} (goal: at least 70 %)")
    return {"batch_per_second": batch, "http_per_second": rate, "ratio": rate / batch, "p50_ms": p50 * 1000,
            "p99_ms": p99 * 1000, "failures": failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    measure(args.count, args.requests, args.concurrency)


if __name__ == "__main__":
    main()
