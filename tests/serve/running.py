"""A real ``mcred serve`` on a free loopback port, and a plain HTTP client (the standard library's) for it."""

from __future__ import annotations

import http.client
import json
import os
import re
import select
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = ROOT / "keys" / "TEST-ONLY-issuer.pem"


@contextmanager
def running_server(*args: str):
    """``mcred serve --port 0 ARGS`` on 127.0.0.1; yields (process, port); stopped with SIGTERM at the end."""
    command = [sys.executable, "-m", "mcred.cli.app", "serve", "--host", "127.0.0.1", "--port", "0", *args]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               env={**os.environ, "NO_COLOR": "1"})
    try:
        # "mcred serve: listening on http://127.0.0.1:PORT with N workers", within a minute
        ready, _, _ = select.select([process.stderr], [], [], 60)
        assert ready, "the server said nothing in 60 s"
        line = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert found, f"the server did not start: {line}{process.stderr.read() if process.poll() is not None else ''}"
        yield process, int(found.group(1))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
            process.stderr.close()


def request(connection: http.client.HTTPConnection, method: str, path: str, body=None,
            headers: dict | None = None) -> tuple[int, dict]:
    """One request on a kept-alive connection: (status, JSON body)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    connection.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"null")


def worker_pids(parent: int) -> list[int]:
    """The server's worker processes (its children), from /proc."""
    children = Path(f"/proc/{parent}/task/{parent}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def load(port: int, bodies: list[bytes], count: int, concurrency: int, path: str = "/credentials/verify"):
    """``count`` POSTs of ``bodies`` (in turn) from ``concurrency`` threads, each with a kept-alive connection:
    (statuses by count, latencies in seconds)."""
    import threading
    import time
    from collections import Counter

    statuses: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    turns = iter(range(count))

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine_status: Counter = Counter()
        mine: list[float] = []
        while True:
            with lock:
                turn = next(turns, None)
            if turn is None:
                break
            start = time.perf_counter()
            try:
                connection.request("POST", path, body=bodies[turn % len(bodies)],
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                mine_status[response.status] += 1
            except (OSError, http.client.HTTPException) as error:
                mine_status[type(error).__name__] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append(time.perf_counter() - start)
        connection.close()
        with lock:
            statuses.update(mine_status)
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, latencies
