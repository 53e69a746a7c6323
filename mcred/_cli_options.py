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
    typer.echo(text, err=True)
