"""A real ``mcred serve`` on a free loopback port, and a plain HTTP client (the standard library's) for it."""

from __future__ import annotations

import http.client
import json
import os
import re
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
        line = process.stderr.readline()  # "mcred serve: listening on http://127.0.0.1:PORT with N workers"
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
