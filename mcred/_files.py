"""Atomic, no-clobber file output.

Every file mcred writes goes to a temporary file in the same folder first and
is then moved into place in one step, so a crash never leaves half a
credential or half a key behind. Without ``force`` the move is a hard link,
which fails if the target appeared in the meantime: nothing is overwritten.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import InputError, OutputExistsError, UsageError
from .limits import MAX_INPUT_BYTES


def read_input(path: Path | str, *, what: str = "the file") -> bytes:
    """The bytes of an input file ("-": standard input), read with a bound.

    Bounded because a FIFO or /dev/zero reports no size and may never end; a file
    over ``MAX_INPUT_BYTES`` is refused (FILE_TOO_LARGE), an unreadable one too
    (FILE_UNREADABLE), both as InputError (exit 3).
    """
    import sys

    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=str(path), code="FILE_UNREADABLE",
                         params={"detail": exc.strerror}) from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"the file is larger than {MAX_INPUT_BYTES} bytes", file=str(path), code="FILE_TOO_LARGE",
                         params={"limit": MAX_INPUT_BYTES})
    return data


def read_json(path: Path | str) -> Any:
    """A JSON file, bounded like every mcred input (:func:`read_input`); InputError naming where it is malformed."""
    data = read_input(path)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError(f"malformed JSON{where}", file=str(path), code="JSON_MALFORMED") from None


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
