"""The ``mcred`` command line: the typer app, with every command of the modules beside this one.

Each command module parses options, calls the library, prints, and returns an exit
code (:mod:`mcred.cli.common`); no JSON-LD, cryptography or schema logic lives here.
"""

import typer

from . import contexts, issue, keys, lint, seal, show, sign, stack, status, trust, verify

app = typer.Typer(
    name="mcred",
    help="Offline European micro-credentials: build, sign, verify and stack W3C Verifiable "
    "Credentials with Ed25519 Data Integrity proofs. Nothing is ever fetched from the network.",
    no_args_is_help=True,
    add_completion=False,
    # Rich tracebacks print local variables, which may hold key material: never.
    pretty_exceptions_enable=False,
    # plain help: typer's rich help pulls in a Markdown parser, which doubles `mcred --help`'s start-up
    rich_markup_mode=None,
)


# in the order `mcred --help` lists them
keys.register(app)      # keygen, key-info
sign.register(app)
verify.register(app)
issue.register(app)
stack.register(app)
lint.register(app)
contexts.register(app)
app.add_typer(trust.trust_app)
app.add_typer(status.status_app)
show.register(app)      # show, render
app.command("seal")(seal.seal)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
