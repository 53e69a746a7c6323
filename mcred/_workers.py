"""Worker processes that end with their parent.

A pool's workers are separate processes: killed with ``kill -9``, the parent cannot
stop them, and they would go on signing or verifying for nobody. Each worker calls
:func:`die_with_parent` first: on Linux the kernel sends it SIGKILL when the parent
goes (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread sees the parent change
and ends the worker.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_POLL_SECONDS = 0.5


def die_with_parent() -> None:
    """End this process when its parent ends (call it in a pool's worker initializer)."""
    parent = os.getppid()
    if sys.platform.startswith("linux") and _ask_the_kernel():
        if os.getppid() != parent:  # the parent went before the request was made
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), name="mcred-parent-watch", daemon=True).start()


def _ask_the_kernel() -> bool:
    """prctl(PR_SET_PDEATHSIG, SIGKILL) through libc; False when it cannot be done."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    """Poll the parent's pid; an orphan is adopted by another process, and then ends."""
    import time

    while os.getppid() == parent:
        time.sleep(_POLL_SECONDS)
    os._exit(1)
