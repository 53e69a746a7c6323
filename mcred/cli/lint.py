"""``mcred lint``: an issuer's files checked without signing (credentials, outcome, pathway, roster, trust files)."""

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated

import typer

from .common import ExitCode, OutputFormat, echo, echo_json, escape, run, stderr

LINT_HELP = (
    "Check files without signing, every problem at once with its line. Credentials (JSON-LD terms and IRIs; "
    "for ELM the EU Annex I mandatory elements, hours vs credits at 25 h per CFU +/-20 %, EQF level, dates "
    "that agree with each other, codice fiscale, one value where one is allowed: read from the credential's "
    "graph, however its JSON is written); outcome files, pathway files and trust files (the schema and the "
    "rules, with 'did you mean' for a misspelt field); rosters (.csv, .tsv: every row). A folder is searched "
    "for such files; mcred's batch manifest.json is skipped. --format json prints one line per file and a "
    "summary line last. Exit 0 clean (warnings allowed), 1 when a rule is broken, 3 when a file is unusable.")


def register(app: typer.Typer) -> None:
    """Add the command to the ``mcred`` app."""
    app.command(help=LINT_HELP)(lint)


def lint(
    files: Annotated[list[Path], typer.Argument(metavar="FILE|FOLDER...", help="Files, or folders of them.")],
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    def action():
        from mcred.present.lint_files import LintSummary, expand_lint_inputs, lint_file

        summary = LintSummary()
        now = datetime.now(timezone.utc)
        for path in expand_lint_inputs(files):
            result = lint_file(path, now=now)
            summary.add(result)
            if output_format is OutputFormat.json:
                echo_json(result.to_dict())
            elif result.skipped:
                echo(f"skipped    {path} ({result.skipped})")
            elif result.error is not None:
                stderr.print(f"[bold red]error[/]: {escape(result.error.diagnostics())}")
            else:
                echo(f"{'clean' if result.clean else 'NOT CLEAN'}  {path} ({result.kind})")
                for p in result.problems:
                    where = f"line {p.line}, {p.path}" if p.line else p.path
                    echo(f"  {p.severity:<7} {p.code:<26} {where}: {p.message}")
        if output_format is OutputFormat.json:
            echo_json(summary.to_dict())
        raise typer.Exit(ExitCode(summary.worst_exit))

    run(action)
