"""Running the app: one listening socket, bound before any worker exists, served by ``workers`` processes.

The workers are forked from the process that loaded the key (the pre-fork model of gunicorn), so the
key is read, and its passphrase asked for, once; uvicorn's own ``workers`` would start fresh
interpreters that load the app again. Each worker ends with its parent (:mod:`mcred._workers`),
and the parent passes SIGTERM and SIGINT on to them.
"""

from __future__ import annotations

import os
import signal
import socket
import sys

from .app import create_app
from .config import ServeConfig, check_bind


def listen(host: str, port: int) -> socket.socket:
    """The listening socket (port 0: a free port, which the caller reads from ``getsockname()``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def serve(config: ServeConfig, host: str = "127.0.0.1", port: int = 8080, workers: int = 1,
          announce=print) -> None:
    """Serve the VC API until SIGTERM or SIGINT; ``announce`` is told where it listens."""
    import uvicorn

    check_bind(host, config.token)
    app = create_app(config)
    sock = listen(host, port)
    bound_port = sock.getsockname()[1]
    announce(f"mcred serve: listening on http://{host if ':' not in host else f'[{host}]'}:{bound_port} "
             f"with {workers} worker{'s' if workers != 1 else ''}" + (", token required" if config.token else ""))
    uv_config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_keep_alive=5,
                               # past this many open connections and tasks, a worker answers 503 at once
                               limit_concurrency=256,
                               # the request line and headers: a few kB; the body is bounded by the app
                               h11_max_incomplete_event_size=16 * 1024, server_header=False)
    if workers <= 1:
        uvicorn.Server(uv_config).run(sockets=[sock])
        return
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve until told to stop, and never outlive the parent
            from mcred._workers import die_with_parent

            die_with_parent()
            code = 0
            try:
                uvicorn.Server(uv_config).run(sockets=[sock])
            except BaseException:  # noqa: B036 - a forked child must never return into the parent's code
                code = 1
            os._exit(code)
        children.append(pid)
    sock.close()

    def stop(signum, frame) -> None:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for pid in children:
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                break
    sys.stdout.flush()
