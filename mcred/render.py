"""Reporters: the same report as a rich table for people or as JSON for machines.

No Rich markup ever reaches JSON output, and colour is used only on a
terminal (rich honours ``NO_COLOR`` and ``TERM=dumb`` by itself).
"""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .verify import Status, VerificationReport

_STYLE = {
    Status.PASSED: ("ok", "green"),
    Status.FAILED: ("FAIL", "bold red"),
    Status.WARNING: ("warn", "yellow"),
    Status.SKIPPED: ("skip", "dim"),
}
_OUTCOME = {
    "verified": ("VERIFIED", "bold green"),
    "invalid": ("NOT VALID", "bold red"),
    "unusable": ("UNUSABLE INPUT", "bold red"),
}


def report_json(report: VerificationReport) -> str:
    """One line of JSON (``mcred-report/1``); several reports make JSON Lines."""
    return json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=False)


def print_report(report: VerificationReport, console: Console) -> None:
    """A heading with the outcome, then one table row per check."""
    label, style = _OUTCOME[report.outcome]
    heading = Text()
    heading.append(f"{label}", style=style)
    heading.append(f"  {report.file or '<document>'}")
    console.print(heading)
    if report.issuer:
        console.print(Text(f"issuer: {report.issuer}", style="dim"))
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    table.add_column("check")
    table.add_column("result")
    table.add_column("detail", overflow="fold")
    for check in report.checks:
        word, check_style = _STYLE[check.status]
        detail = Text(check.message)
        if check.path and check.status != Status.PASSED:
            detail.append(f"  at {check.path}", style="cyan")
        if check.code and check.status != Status.PASSED:
            detail.append(f"  [{check.code}]", style="dim")
        if check.hint and check.status == Status.FAILED:
            detail.append(f"\nhint: {check.hint}", style="italic")
        table.add_row(check.check, Text(word, style=check_style), detail)
    console.print(table)
