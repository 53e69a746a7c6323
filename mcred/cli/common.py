"""Options and helpers every mcred command module shares: the exit-code contract, output, errors.

Light to import (rich is imported when first used), so that ``mcred --help`` stays fast.
"""

import os
import sys
from enum import Enum, IntEnum
from pathlib import Path
from typing import Annotated

import typer

from mcred.errors import McredError


class ExitCode(IntEnum):
    """The exit-code contract (README.md, "Exit codes")."""

    OK = 0            # verified / done
    INVALID = 1       # checked, and the answer is no
    USAGE = 2         # the command was called wrongly
    UNUSABLE = 3      # an input cannot be used (unreadable, malformed, unknown context, bad key)
    INTERNAL = 4      # a bug in mcred


class Suite(str, Enum):
    """The cryptosuites a command can sign with."""


    rdfc = "eddsa-rdfc-2022"
    jcs = "eddsa-jcs-2022"


class SignSuite(str, Enum):
    """The cryptosuites ``mcred sign`` signs with: Ed25519's, and ECDSA's with a P-256 or P-384 key."""


    rdfc = "eddsa-rdfc-2022"
    jcs = "eddsa-jcs-2022"
    ecdsa_rdfc = "ecdsa-rdfc-2019"
    ecdsa_jcs = "ecdsa-jcs-2019"


class KeyType(str, Enum):
    """The key types ``mcred keygen`` makes."""


    ed25519 = "ed25519"
    p256 = "p256"
    p384 = "p384"


class Lang(str, Enum):
    """The languages of messages and labels."""


    en = "en"
    it = "it"


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


PassphraseEnv = Annotated[
    str | None,
    typer.Option("--passphrase-env", metavar="VAR",
                 help="Name of an environment variable that holds the key's passphrase "
                 "(never pass a passphrase on the command line)."),
]

DidDocuments = Annotated[
    list[Path] | None,
    typer.Option("--did-documents", metavar="FILE|DIR",
                 help="DID documents or controller documents (W3C) for keys that are not a did:key (did:web, "
                 "https://...): a file, or a folder of *.json / *.jsonld; repeatable. Never fetched: each is your "
                 "assertion of which keys that identifier controls."),
]


def documents_paths(paths: list[Path] | None) -> tuple[str, ...]:
    """The --did-documents values, as load_options takes them."""
    return tuple(map(str, paths or ()))


def say_skipped_documents(options) -> None:
    """Say which files of a --did-documents folder were not documents (credentials kept beside them)."""
    for path in getattr(options.documents, "skipped", ()):
        say(f"skipped {path}: a credential, not a DID document (--did-documents)")


def say(text: str) -> None:
    """A line for the person at the terminal, on standard error (standard output stays for data)."""
    from mcred._text import terminal_safe

    typer.echo(terminal_safe(text), err=True)


def echo(text: str) -> None:
    """A line of text on standard output, with what a credential or a file could hold made inert."""
    from mcred._text import terminal_safe

    _to_stdout(terminal_safe(text))


def echo_json(data, *, indent: int | None = None) -> None:
    """One JSON document on standard output (BiDi and other controls written as JSON escapes)."""
    import json

    from mcred._text import json_safe

    _to_stdout(json_safe(json.dumps(data, ensure_ascii=False, indent=indent)))


def _to_stdout(text: str) -> None:
    """A line on standard output; when its reader has gone (``| head``), the command goes on without showing it."""
    try:
        typer.echo(text)
    except BrokenPipeError:
        stdout_closed()


def stdout_closed() -> None:
    """Standard output's reader has gone: send what is left to the null device, so that the command ends
    quietly with its own exit code (the recipe of Python's documentation, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class _LazyConsole:
    """A rich Console made on first use: importing rich costs start-up time `mcred --help` does not need."""

    def __init__(self, **options) -> None:
        self._options = options
        self._console = None

    def __getattr__(self, name: str):
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


def Console(**options):  # noqa: N802 - stands in for rich.console.Console, imported lazily
    from rich.console import Console as RichConsole

    class GoesOnWhenTheReaderLeaves(RichConsole):
        def on_broken_pipe(self) -> None:
            """rich exits with 1 when standard output's reader has gone; the command goes on to its own
            exit code (a `verify | head -1` still says whether every file verified)."""
            self.quiet = True
            stdout_closed()

    return GoesOnWhenTheReaderLeaves(**options)


# emoji=False: rich would otherwise turn "did:key:" into a key emoji.
stderr = _LazyConsole(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def fail(error: McredError) -> typer.Exit:
    stderr.print(f"[bold red]error[/]: {escape(error.diagnostics())}")
    return typer.Exit(error.exit_code)


def escape(text: str) -> str:
    """Text for rich markup: no markup of its own, and no terminal control (mcred._text)."""
    from rich.markup import escape

    from mcred._text import terminal_safe

    return escape(terminal_safe(text))


def run(action):
    """Run a command body, mapping mcred errors and bugs to the exit-code contract."""
    try:
        return action()
    except McredError as error:
        raise fail(error) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except BrokenPipeError:  # standard output's reader has gone: no bug, nothing more to show
        stdout_closed()
        raise typer.Exit(ExitCode.OK) from None
    except Exception as error:  # a bug: say so, without a traceback that could hold secrets
        if os.environ.get("MCRED_DEBUG"):
            raise
        where = _innermost_frame(error)
        stderr.print(f"[bold red]internal error[/]: {type(error).__name__} at {where}. "
                      "This is a bug in mcred; rerun with MCRED_DEBUG=1 to see the traceback.")
        raise typer.Exit(ExitCode.INTERNAL) from None


def _innermost_frame(error: BaseException) -> str:
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"


def write_output(out: Path, text: str, force: bool) -> None:
    from mcred._files import write_new_file

    if str(out) == "-":
        sys.stdout.write(text)
        return
    write_new_file(out, text.encode("utf-8"), force=force)
