"""_workers.die_with_parent: a worker ends when its parent is killed with kill -9 (both ways: kernel and thread)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# a parent that forks a worker and waits to be killed; the worker says its pid once it is set up
PARENT = textwrap.dedent("""
    import os, sys, time
    from mcred import _workers
    if sys.argv[1] == "thread":  # the fallback of a system without prctl
        _workers._ask_the_kernel = lambda: False
    if os.fork() == 0:
        if sys.argv[2] == "yes":
            _workers.die_with_parent()
        print(os.getpid(), flush=True)
        time.sleep(120)
        os._exit(0)
    time.sleep(120)
""")


def alive(pid: int) -> bool:
    """Running: neither gone nor a zombie waiting to be reaped (read from Linux's /proc)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def wait_until_gone(pid: int, seconds: float = 30) -> bool:
    """Poll until the process is gone (a bound against hanging, not a measure of speed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


def start_and_kill_parent(how: str, watch: str) -> int:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, how, watch], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    worker = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    return worker


@pytest.mark.parametrize("how", ["kernel", "thread"])
def test_a_worker_ends_when_its_parent_is_killed(how):
    worker = start_and_kill_parent(how, "yes")
    assert wait_until_gone(worker), f"worker {worker} outlived its parent"


def test_without_it_a_worker_outlives_its_parent():
    """The negative control: the test above would see a worker that does not end."""
    worker = start_and_kill_parent("kernel", "no")
    try:
        assert not wait_until_gone(worker, seconds=2)
    finally:
        os.kill(worker, signal.SIGKILL)
