"""``mcred contexts``: the JSON-LD contexts mcred bundles, each checked against its pinned digest."""

import json
from typing import Annotated

import typer

from .common import OutputFormat, run


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command()(contexts)


def contexts(
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """List the JSON-LD contexts mcred bundles (the only ones it will ever load)."""

    def action():
        from mcred.jsonld.contexts import context_bytes, context_index

        rows = []
        for entry in context_index().values():
            context_bytes(entry.url)  # checks the pinned digest
            rows.append({"url": entry.url, "file": entry.file, "sha256": entry.sha256})
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(rows, indent=2))
            return
        for row in rows:
            typer.echo(f"{row['url']}\n    {row['file']}  sha256:{row['sha256']}")

    run(action)
