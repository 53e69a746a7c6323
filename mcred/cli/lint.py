"""``mcred lint``: a credential against the EU's mandatory elements and the Italian rules."""

from pathlib import Path
from typing import Annotated

import typer

from mcred._files import read_json
from mcred.errors import InputError

from .common import ExitCode, OutputFormat, echo, echo_json, escape, run, stderr

LINT_HELP = (
    "Check credential files against mcred's rules without signing: JSON-LD terms and IRIs, and for "
    "ELM credentials the EU Annex I mandatory elements, hours vs credits (25 h per CFU, +/-20 %), "
    "EQF level, ISO 8601 durations and dates, codice fiscale, one value for a property that may have "
    "one. Every rule reads the credential's graph, however its JSON is written. Exit 0 clean (warnings "
    "allowed), 1 when a rule is broken, 3 when a file is unusable.")


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=LINT_HELP)(lint)


def lint(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Credential files.")],
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    def action():
        from mcred.elm.lint import lint_credential

        worst = ExitCode.OK
        for path in files:
            try:
                document = read_json(path)
            except InputError as error:
                stderr.print(f"[bold red]error[/]: {escape(error.diagnostics())}")
                worst = max(worst, ExitCode.UNUSABLE)
                continue
            problems = lint_credential(document)
            errors = [p for p in problems if p.severity == "error"]
            if output_format is OutputFormat.json:
                echo_json({"format": "mcred-lint/1", "file": str(path), "clean": not errors,
                           "problems": [p.to_dict() for p in problems]})
            else:
                echo(f"{'clean' if not errors else 'NOT CLEAN'}  {path}")
                for p in problems:
                    echo(f"  {p.severity:<7} {p.code:<26} {p.path}: {p.message}")
            if errors:
                worst = max(worst, ExitCode.INVALID)
        raise typer.Exit(worst)

    run(action)
