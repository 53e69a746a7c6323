"""Options and helpers every mcred command module shares (cli.py, cli_trust.py, cli_status.py).

In a module of their own, light to import, so that the sub-command modules can use
them at import time without importing cli.py (which registers them: a cycle).
"""

from enum import Enum
from typing import Annotated

import typer


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


PassphraseEnv = Annotated[
    str | None,
    typer.Option("--passphrase-env", metavar="VAR",
                 help="Name of an environment variable that holds the key's passphrase "
                 "(never pass a passphrase on the command line)."),
]


def run(action) -> None:
    """Run a command body under the exit-code contract (mcred.cli._run, imported when a command runs)."""
    from .cli import _run

    _run(action)


def say(text: str) -> None:
    """A line for the person at the terminal, on standard error (standard output stays for data)."""
    from ._text import terminal_safe

    typer.echo(terminal_safe(text), err=True)


def echo(text: str) -> None:
    """A line of text on standard output, with what a credential or a file could hold made inert."""
    from ._text import terminal_safe

    typer.echo(terminal_safe(text))


def echo_json(data, *, indent: int | None = None) -> None:
    """One JSON document on standard output (BiDi and other controls written as JSON escapes)."""
    import json

    from ._text import json_safe

    typer.echo(json_safe(json.dumps(data, ensure_ascii=False, indent=indent)))
