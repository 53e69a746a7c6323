"""The ``mcred`` command line: the typer app, with every command of the modules beside this one.

Each command module parses options, calls the library, prints, and returns an exit
code (:mod:`mcred.cli.common`); no JSON-LD, cryptography or schema logic lives here.
"""

import sys
from typing import Annotated

import typer

from . import (
    bundle,
    contexts,
    derive,
    issue,
    keys,
    lint,
    present,
    seal,
    serve,
    show,
    sign,
    stack,
    status,
    trust,
    verify,
)
from .common import stdout_closed

app = typer.Typer(
    name="mcred",
    help="Offline European micro-credentials: build them from learning-outcome files, sign them (Data "
    "Integrity with Ed25519 or ECDSA, JAdES seals, JWTs), issue them as ELM, ELM 3.2 on VC 2.0, SD-JWT VC and "
    "Open Badges 3.0 (bound by a signed bundle), verify them with every check explained, and stack them. "
    "Nothing is ever fetched from the network.",
    no_args_is_help=True,
    add_completion=False,
    # Rich tracebacks print local variables, which may hold key material: never.
    pretty_exceptions_enable=False,
    # plain help: typer's rich help pulls in a Markdown parser, which doubles `mcred --help`'s start-up
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("mcred")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "unknown (not installed)"
        typer.echo(f"mcred {number}")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                               help="Print mcred's version and exit.")] = False,
) -> None:
    """Options before the command."""


# in the order `mcred --help` lists them
keys.register(app)      # keygen, key-info
sign.register(app)
verify.register(app)
derive.register(app)     # ecdsa-sd-2023: what a holder shows
present.register(app)    # a holder's verifiable presentation
issue.register(app)
bundle.register(app)    # bundle, convert
stack.register(app)
lint.register(app)
contexts.register(app)
app.add_typer(trust.trust_app)
app.add_typer(status.status_app)
show.register(app)      # show, render
app.command("seal")(seal.seal)
serve.register(app)     # the VC API (the serve extra, imported when it runs)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    finally:
        _flush_stdout()


def _flush_stdout() -> None:
    """Write out what is buffered for standard output; when its reader has gone (``mcred verify ... | head -1``),
    end quietly with the command's own exit code instead of a BrokenPipeError at exit (Python's
    documentation, "Note on SIGPIPE")."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        stdout_closed()


if __name__ == "__main__":
    main()
