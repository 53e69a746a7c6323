"""Reading inputs and writing outputs safely: bounded, regular files only, atomic, no-clobber.

Inputs are read with a bound and only from regular files (or standard input, ``-``):
a FIFO would block for ever, a device may never end, a socket cannot be read.
Every file mcred writes goes to a temporary file in the same folder first and
is then moved into place in one step, so a crash never leaves half a
credential or half a key behind. Without ``force`` the move is a hard link,
which fails if the target appeared in the meantime: nothing is overwritten.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from .errors import InputError, OutputExistsError, UsageError
from .limits import MAX_DEPTH, MAX_INPUT_BYTES

_NOT_REGULAR_HINT = "give the path of a regular file"


def _kind(mode: int) -> tuple[str, str]:
    """What a non-regular file is, in words: English and Italian (for the report's other language)."""
    if stat.S_ISDIR(mode):
        return "a folder", "una cartella"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)", "una pipe con nome (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket", "un socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device", "un dispositivo"
    return "not a regular file", "un file speciale"


def _not_regular(path: Path | str, what: str, mode: int) -> InputError:
    kind, kind_it = _kind(mode)
    return InputError(f"{what} is {kind}, not a regular file", file=str(path), code="FILE_NOT_REGULAR",
                      hint=_NOT_REGULAR_HINT, params={"kind": kind, "kind_it": kind_it})


def open_regular(path: Path | str, *, what: str = "the file") -> IO[bytes]:
    """Open a regular file for reading, without ever blocking on what is not one.

    Opened non-blocking (a FIFO with no writer would otherwise block the open for
    ever), then checked on the open descriptor, so that a file swapped for a FIFO
    in between is caught too. A folder, FIFO, socket or device is refused with an
    InputError (FILE_NOT_REGULAR, exit 3); OSError otherwise, as ``open`` raises it.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket (or a device with no driver): say what it is
            raise _not_regular(path, what, os.stat(path).st_mode) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, what, mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(path: Path | str, *, what: str = "the file", limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an input file ("-": standard input), read with a bound.

    Only a regular file is read (:func:`open_regular`: FILE_NOT_REGULAR); one over
    ``limit`` bytes is refused (FILE_TOO_LARGE), an unreadable one too
    (FILE_UNREADABLE), all as InputError (exit 3) naming the file.
    """
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open_regular(path, what=what) as handle:
                data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=str(path), code="FILE_UNREADABLE",
                         params={"detail": exc.strerror}) from None
    if len(data) > limit:
        raise InputError(f"the file is larger than {limit} bytes", file=str(path), code="FILE_TOO_LARGE",
                         params={"limit": limit})
    return data


def parse_json(data: bytes, *, file: str | None = None, object_pairs_hook=None) -> Any:
    """Parse JSON bytes; every way it can fail is an InputError (exit 3) naming the file.

    JSON_MALFORMED (not UTF-8, or not JSON: where), JSON_TOO_DEEP (nesting Python's
    parser cannot follow), JSON_TOO_COMPLEX (a number of more digits than Python
    converts, 4,300: ``int()`` refuses it with a ValueError). ``params["detail"]``
    says what and where, for the report's other languages.
    """
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=object_pairs_hook)
    except UnicodeDecodeError as exc:
        detail = f"not UTF-8 text (byte {exc.start})"
        raise InputError(f"malformed JSON: {detail}", file=file, code="JSON_MALFORMED",
                         hint="save the file as UTF-8", params={"detail": detail}) from None
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InputError(f"malformed JSON: {detail}", file=file, code="JSON_MALFORMED",
                         params={"detail": detail}) from None
    except RecursionError:
        raise InputError(f"JSON nested more than {MAX_DEPTH} levels deep", file=file, code="JSON_TOO_DEEP",
                         hint="see docs/formats.md, \"Limits\"", params={"limit": MAX_DEPTH}) from None
    except ValueError:  # int() of a number over sys.get_int_max_str_digits()
        detail = f"a number has more than {max_number_digits()} digits"
        raise InputError(f"input too complex: {detail}", file=file, code="JSON_TOO_COMPLEX",
                         hint="see docs/formats.md, \"Limits\"", params={"detail": detail}) from None


def max_number_digits() -> int:
    """The most digits Python converts to an integer (4,300 by default): a longer number in JSON or YAML is refused."""
    return sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300


def read_json(path: Path | str, *, what: str = "the file") -> Any:
    """A JSON file, bounded like every mcred input (:func:`read_input`); InputError naming where it is malformed."""
    return parse_json(read_input(path, what=what), file=str(path))


# `mcred issue` writes its manifest with "format" first: its first bytes say what it is
_MANIFEST_START = re.compile(rb'\A\s*\{\s*"format"\s*:\s*"mcred-manifest/')


def is_mcred_manifest(path: Path | str) -> bool:
    """Whether ``path`` is the manifest ``mcred issue`` writes beside a batch (``"format": "mcred-manifest/N"``).

    Recognised by its content, whatever its name, so that ``verify out/*.json`` and a
    folder skip it and a credential that happens to be called manifest.json is not
    skipped. Only the first bytes are read; an unreadable file is not a manifest (its
    reader says why).
    """
    try:
        with open_regular(path) as handle:
            return bool(_MANIFEST_START.match(handle.read(256)))
    except (OSError, InputError):
        return False


def check_output_file(path: Path | str, *, force: bool) -> None:
    """Refuse, before any work, an output that cannot or may not be written ("-", standard output, passes).

    A folder (OUTPUT_IS_FOLDER) or another file that is not a regular one, a device
    or a FIFO (OUTPUT_NOT_FILE), is refused whatever ``force`` says; an existing file
    without ``force`` too (OUTPUT_EXISTS). All are UsageError (exit 2) naming the path.
    """
    if str(path) == "-":
        return
    path = Path(path)
    if path.is_dir():
        raise UsageError("is a folder; give a file name", file=str(path), code="OUTPUT_IS_FOLDER",
                         hint=f"name the file to write, e.g. {path / 'NAME'}")
    if path.exists() and not path.is_file():
        raise UsageError(f"is {_kind(path.stat().st_mode)[0]}, not a regular file; give a file name", file=str(path),
                         code="OUTPUT_NOT_FILE", hint="use - for standard output")
    if path.exists() and not force:
        raise OutputExistsError("the output file already exists", file=str(path), hint="pass --force to replace it")


def check_output_folder(path: Path | str) -> None:
    """Refuse, before any work, an output folder that is a file, or lies under one (UsageError, exit 2)."""
    path = Path(path)
    for folder in (path, *path.parents):
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise UsageError("is a file, not a folder; give a folder name", file=str(folder),
                                 code="OUTPUT_NOT_FOLDER",
                                 hint="the folder is created if it does not exist")
            return


def write_new_file(path: Path, data: bytes, *, mode: int = 0o644, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically with the given mode; refuse to overwrite unless forced.

    A folder or a non-regular file at ``path`` is refused even with ``force``
    (:func:`check_output_file`); so is a folder that cannot be written to.
    """
    path = Path(path)
    check_output_file(path, force=force)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("the output folder does not exist", file=str(folder))
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write in the output folder: {exc.strerror}", file=str(folder),
                         code="OUTPUT_UNWRITABLE") from None
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
