"""Atomic, no-clobber file output.

Every file mcred writes goes to a temporary file in the same folder first and
is then moved into place in one step, so a crash never leaves half a
credential or half a key behind. Without ``force`` the move is a hard link,
which fails if the target appeared in the meantime: nothing is overwritten.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputExistsError, UsageError


def write_new_file(path: Path, data: bytes, *, mode: int = 0o644, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically with the given mode; refuse to overwrite unless forced."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputExistsError(
            "the output file already exists", file=str(path), hint="pass --force to replace it"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("the output folder does not exist", file=str(folder))
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)
            except FileExistsError:
                raise OutputExistsError(
                    "the output file already exists",
                    file=str(path),
                    hint="pass --force to replace it",
                ) from None
            os.unlink(temp)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
