"""A load test bounded in count: 5,000 verify requests at concurrency 16 on 127.0.0.1 against two workers;
every answer is 200, and the workers' memory stays flat (no growth per request)."""

from __future__ import annotations

import json

import pytest

from .running import KEY, ROOT, load, rss_kb, running_server, worker_pids

COUNT = 5000
CONCURRENCY = 16


def signed_credentials(count: int) -> list[bytes]:
    """``count`` ELM credentials of distinct learners, signed with the test key, as verify request bodies."""
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.issuing import issue_credential
    from mcred.keys.ed25519 import load_signing_key

    key = load_signing_key(KEY)
    outcomes = load_outcomes(ROOT / "examples" / "its-python-data.yaml")
    bodies = []
    for index in range(count):
        learner = {"given_name": f"Nome{index}", "family_name": "Cognome", "email": f"l{index}@example.org",
                   "award_date": "2026-06-30"}
        credential = issue_credential(outcomes, learner, key, issued="2026-07-01T09:00:00Z")
        bodies.append(json.dumps({"verifiableCredential": credential}).encode("utf-8"))
    return bodies


@pytest.mark.slow
def test_5000_verify_requests_at_concurrency_16_all_verify_with_flat_memory():
    bodies = signed_credentials(16)
    with running_server("--workers", "2") as (process, port):
        statuses, _ = load(port, bodies, 500, CONCURRENCY)  # warm up: imports, caches, the threads' stacks
        assert dict(statuses) == {200: 500}
        workers = worker_pids(process.pid)
        assert len(workers) == 2
        before = sum(rss_kb(pid) for pid in workers)
        statuses, latencies = load(port, bodies, COUNT, CONCURRENCY)
        after = sum(rss_kb(pid) for pid in workers)
    assert dict(statuses) == {200: COUNT}
    assert len(latencies) == COUNT
    # flat: 5,000 more requests grow the two workers together by less than 32 MB (a leak of even
    # 10 kB a request would be 50 MB)
    assert after - before < 32 * 1024, (before, after)
