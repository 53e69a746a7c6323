"""Reporters: the same report as rich tables and lines for people, or as JSON for machines.

No Rich markup ever reaches JSON output, and colour is used only on a
terminal (rich honours ``NO_COLOR`` and ``TERM=dumb`` by itself). Labels come
in English and Italian; messages are translated in the report itself.
"""

from __future__ import annotations

import json
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mcred._text import deep_safe, json_safe
from mcred.elm import italy
from mcred.report import VerificationReport

from . import verdict as verdicts

_STATUS = {
    "passed": ({"en": "ok", "it": "ok"}, "green"),
    "failed": ({"en": "FAIL", "it": "ERRORE"}, "bold red"),
    "warning": ({"en": "warn", "it": "avviso"}, "yellow"),
    "skipped": ({"en": "skip", "it": "saltato"}, "dim"),
}
#: the outcomes' words (a batch's summary counts outcomes: the report's, unchanged)
_OUTCOME = {
    "verified": ({"en": "VERIFIED", "it": "VERIFICATA"}, "bold green"),
    "verified-with-warnings": ({"en": "VERIFIED, WITH WARNINGS", "it": "VERIFICATA, CON AVVISI"}, "bold yellow"),
    "invalid": ({"en": "NOT VALID", "it": "NON VALIDA"}, "bold red"),
    "unusable": ({"en": "UNUSABLE INPUT", "it": "INPUT INUTILIZZABILE"}, "bold red"),
}
#: a file's heading, by the verdict's state (mcred.present.verdict): plainly "VERIFIED" only when the issuer is in
#: the trust list given and nothing was left unchecked; the outcome and the exit code stay the report's
_HEADING = {
    verdicts.VERIFIED: _OUTCOME["verified"],
    verdicts.REVOCATION_UNCHECKED: ({"en": "VERIFIED, REVOCATION NOT CHECKED (no copy of its status list: "
                                           "--status-list)",
                                     "it": "VERIFICATA, REVOCA NON CONTROLLATA (manca la copia del suo elenco di "
                                           "stato: --status-list)"}, "bold cyan"),
    verdicts.SIGNED_ISSUER_UNCHECKED: ({"en": "SIGNATURE VALID, ISSUER NOT CHECKED (no --trust)",
                                        "it": "FIRMA VALIDA, EMITTENTE NON VERIFICATO (manca --trust)"}, "bold cyan"),
    verdicts.SIGNED_UNCHECKED: ({"en": "SIGNATURE VALID, ISSUER AND REVOCATION NOT CHECKED (no --trust, no copy "
                                       "of its status list: --status-list)",
                                 "it": "FIRMA VALIDA, EMITTENTE E REVOCA NON VERIFICATI (manca --trust, manca la "
                                       "copia del suo elenco di stato: --status-list)"}, "bold cyan"),
    verdicts.ISSUER_UNLISTED: ({"en": "SIGNATURE VALID, ISSUER NOT IN YOUR TRUST LIST",
                                "it": "FIRMA VALIDA, EMITTENTE NON PRESENTE NEL VOSTRO ELENCO DI FIDUCIA"},
                               "bold yellow"),
}
#: with --proof-only every proof verified, and who made them was not asked
_PROOF_ONLY = ({"en": "EVERY PROOF VALID, ISSUER NOT CHECKED (--proof-only)",
                "it": "OGNI PROVA VALIDA, EMITTENTE NON VERIFICATO (--proof-only)"}, "bold cyan")
_WARNINGS_NO_TRUST = ({"en": "SIGNATURE VALID, WITH WARNINGS; ISSUER NOT CHECKED (no --trust)",
                       "it": "FIRMA VALIDA, CON AVVISI; EMITTENTE NON VERIFICATO (manca --trust)"}, "bold yellow")
_LABELS = {
    "issuer": {"en": "issuer", "it": "emittente"},
    "check": {"en": "check", "it": "controllo"},
    "result": {"en": "result", "it": "esito"},
    "detail": {"en": "detail", "it": "dettaglio"},
    "at": {"en": "at", "it": "in"},
    "hint": {"en": "hint", "it": "suggerimento"},
    "files": {"en": "files", "it": "file"},
    "problems": {"en": "problems", "it": "problemi"},
}


def report_json(report: VerificationReport, lang: str = "en") -> str:
    """One line of JSON (``mcred-report/1``); several reports make JSON Lines."""
    return json_safe(json.dumps(report.to_dict(lang), ensure_ascii=False))


def print_report(report: VerificationReport, console: Console, lang: str = "en") -> None:
    print_report_dict(report.to_dict(lang), console, lang)


def _heading(report: dict, lang: str) -> Text:
    judged = verdicts.verdict(report)
    if judged.state != verdicts.FAILED and any(c.get("code") == verdicts.PROOF_ONLY for c in report["checks"]):
        labels, style = _PROOF_ONLY
    elif judged.state in _HEADING:
        labels, style = _HEADING[judged.state]
    elif judged.state == verdicts.PARTIAL and judged.issuer_unchecked:
        labels, style = _WARNINGS_NO_TRUST
    else:
        labels, style = _OUTCOME[report["outcome"]]
    heading = Text()
    heading.append(labels[lang], style=style)
    heading.append(f"  {report['file'] or '<document>'}")
    return heading


def print_report_dict(report: dict, console: Console, lang: str = "en") -> None:
    """A heading with the outcome, the issuer, then one table row per check."""
    report = deep_safe(report)  # what the credential says is quoted in messages: never a terminal control
    console.print(_heading(report, lang))
    if report["issuer"]:
        name = f" ({report['issuer_name']})" if report.get("issuer_name") else ""
        console.print(Text(f"{_LABELS['issuer'][lang]}: {report['issuer']}{name}", style="dim"))
    print_checks(report["checks"], console, lang)


_PRESENTATION = {"en": "presentation", "it": "presentazione"}
_HOLDER = {"en": "holder", "it": "titolare"}


def print_presentation_dict(report: dict, console: Console, lang: str = "en", *, full: bool = True) -> None:
    """A presentation (mcred.verify.presentation): its outcome, holder and checks, then each credential's report
    as a lone credential's (one line each when ``full`` is False)."""
    report = deep_safe(report)
    labels, style = _OUTCOME[report["outcome"]]
    heading = Text()
    heading.append(f"{labels[lang]} ({_PRESENTATION[lang]})", style=style)
    heading.append(f"  {report['file'] or '<document>'}")
    console.print(heading)
    if not full:
        problems = [c for c in report["checks"] if c["status"] in ("failed", "warning")]
        if problems:
            console.print(Text(f"  {problems[0]['code']}: {problems[0]['message']}", style="dim"))
        return
    if report.get("holder"):
        console.print(Text(f"{_HOLDER[lang]}: {report['holder']}", style="dim"))
    print_checks(report["checks"], console, lang)
    for credential in report.get("credentials", ()):
        console.print()
        print_report_dict(credential, console, lang)


def print_checks(checks: list, console: Console, lang: str = "en") -> None:
    """One table row per check (as given: already made safe for a terminal)."""
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    for column in ("check", "result", "detail"):
        table.add_column(_LABELS[column][lang], overflow="fold" if column == "detail" else None)
    for check in checks:
        words, style = _STATUS[check["status"]]
        detail = Text(check["message"])
        if check.get("path") and check["status"] != "passed":
            detail.append(f"  {_LABELS['at'][lang]} {check['path']}", style="cyan")
        if check["status"] in ("failed", "warning"):
            detail.append(f"  [{check['code']}]", style="dim")
        if check.get("hint"):
            detail.append(f"\n{_LABELS['hint'][lang]}: {check['hint']}", style="italic")
        table.add_row(check["check"], Text(words[lang], style=style), detail)
    console.print(table)


def print_report_line(report: dict, console: Console, lang: str = "en") -> None:
    """One line per file: the outcome, and the first problem when there is one."""
    report = deep_safe(report)
    line = _heading(report, lang)
    problems = [c for c in report["checks"] if c["status"] in ("failed", "warning")]
    if problems:
        first = problems[0]
        where = f" {_LABELS['at'][lang]} {first['path']}" if first.get("path") else ""
        line.append(f"  {first['code']}: {first['message']}{where}", style="dim")
    console.print(line)


def print_summary(summary: dict, console: Console, lang: str = "en") -> None:
    """The counts by outcome (and by problem code) at the end of a batch."""
    summary = deep_safe(summary)
    parts = [f"{count} {_OUTCOME[outcome][0][lang].lower()}" for outcome, count in summary["outcomes"].items()]
    console.print(Text(f"{summary['files']} {_LABELS['files'][lang]}: " + ", ".join(parts), style="bold"))
    if summary["problems"]:
        codes = ", ".join(f"{code} {count}" for code, count in summary["problems"].items())
        console.print(Text(f"{_LABELS['problems'][lang]}: {codes}", style="dim"))


def print_plan(plan: dict, console: Console) -> None:
    """The stacking plan: one row per component, the requirements, the totals and the problems."""
    plan = deep_safe(plan)
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    for column in ("component", "verified", "type", "awarded", "CFU", "hours", "EQF", "recognised", "cut"):
        wraps = column in ("component", "type", "cut")
        table.add_column(column, overflow="fold" if wraps else None, no_wrap=not wraps,
                         justify="right" if column in ("CFU", "hours", "EQF", "recognised") else "left")
    for c in plan["components"]:
        derived = c.get("derived")   # the figure a credential does not state, derived at 25 hours per CFU
        table.add_row(c["title"], "yes" if c["verified"] else Text("NO", style="bold red"), c["type"] or "",
                      c["award_date"], c["cfu"] + ("*" if derived == "cfu" else ""),
                      c["hours"] + ("*" if derived == "hours" else ""), str(c["eqf_level"] or ""),
                      c["recognised_cfu"], Text("; ".join(c["cut"]), style="yellow"))
    console.print(table)
    totals = plan["totals"]
    console.print(Text(f"total: {totals['cfu']} CFU, {totals['hours']} hours (the components' sums); recognised: "
                      f"{totals['recognised_cfu']} CFU (after the caps); EQF level claimed: "
                      f"{plan['eqf_level'] or 'none'}", style="bold"))
    rule, agree = hours_rule(totals["cfu"], totals["hours"])
    console.print(Text(rule, style="dim" if agree else "yellow"))
    if any(c.get("derived") for c in plan["components"]):
        console.print(Text("* not stated by the credential: derived from the other figure at 25 hours per CFU",
                           style="dim"))
    if plan["learner_fields_compared"]:
        console.print(Text(f"same learner: compared {', '.join(plan['learner_fields_compared'])}", style="dim"))
    requirements = plan["requirements"]
    for label in requirements["covered"]:
        console.print(Text(f"covered: {label}", style="green"))
    for label in requirements["missing"]:
        console.print(Text(f"MISSING: {label}", style="bold red"))
    for problem in plan["problems"]:
        style = "bold red" if problem["severity"] == "error" else "yellow"
        where = f"{problem['component']}: " if problem["component"] else ""
        console.print(Text(f"{problem['severity']} {problem['code']}: {where}{problem['message']}", style=style))
    console.print(Text("plan OK" if plan["ok"] else "the stack breaks a rule: nothing was signed",
                       style="bold green" if plan["ok"] else "bold red"))


def hours_rule(cfu: str, hours: str) -> tuple[str, bool]:
    """The rule that relates the stack's hours to its credits (1 CFU = 25 hours), and whether its figures agree:
    each component states its own credits and hours, which the decrees let differ by up to 20 %, so their sums
    may not match exactly."""
    per_cfu = italy.HOURS_PER_CFU
    as_cfu = Decimal(hours) / per_cfu
    words = f"{hours} hours = {italy.decimal_text(as_cfu)} CFU ({per_cfu} hours per credit)"
    if as_cfu == Decimal(cfu):
        return words, True
    return (f"{words}: not the {cfu} CFU the components state; each component's hours agree with its own "
            f"credits within ±{italy.decimal_text(italy.DEFAULT_TOLERANCE * 100)} %"), False


# --- a credential for people (`mcred show`) -------------------------------------------------------

_UNCHECKED = ("◐", "bold white on blue")
_RIBBON_STYLE = {"verified": ("✔", "bold white on green"), "revocation-unchecked": _UNCHECKED,
                 "signed-issuer-unchecked": _UNCHECKED, "signed-unchecked": _UNCHECKED,
                 "issuer-unlisted": ("⚠", "bold black on yellow"), "partial": ("⚠", "bold black on yellow"),
                 "failed": ("✘", "bold white on red")}


def print_credential(view, console: Console) -> None:
    """The ribbon and the checks behind it, then the credential in human terms (a mcred.present.view.CredentialView).

    Every string from the credential is printed as a rich ``Text``, never as markup, and with its
    control characters and BiDi controls shown as escapes (:mod:`mcred._text`), so a credential cannot
    style, move or hide what the terminal shows.
    """
    view = deep_safe(view)
    labels = view.labels
    mark, style = _RIBBON_STYLE[view.ribbon]
    ribbon = Text(f" {mark} {view.ribbon_label.upper()} ", style=style)
    if view.checked_at:
        ribbon.append(f"  {labels['checked_at'].format(when=view.checked_at)}", style="dim")
    console.print(ribbon)
    for note in view.ribbon_notes:
        console.print(Text(note, style="italic"))
    checks = _grid(labels["checks"].upper())
    for check in view.checks:
        detail = Text(check.message)
        if check.status in ("failed", "warning") and check.code:
            detail.append(f"  [{check.code}]", style="dim")
        checks.add_row(Text(check.label), Text(check.status_label, style=_STATUS[check.status][1]), detail)
    console.print(checks)
    console.print()
    if view.kind:
        console.print(Text(view.kind.upper(), style="dim"))
    console.print(Text(view.title, style="bold cyan"))
    learner = next((row.value for section in view.sections[:1] for row in section.rows[:1]), None)
    if learner:
        console.print(Text(learner, style="bold"))
    if view.description:
        console.print(Text(view.description, style="italic"))
    for section in view.sections:
        console.print()
        table = _grid(section.heading.upper(), columns=2)
        for row in section.rows:
            value = Text(row.value)
            if row.note:
                value.append(f"\n{row.note}", style="yellow" if row.flag else "dim italic")
            table.add_row(Text(row.label, style="dim"), value)
        console.print(table)
    _print_outcomes(view, console)
    _print_components(view, console)
    console.print()
    console.print(Text(f"{labels['credential_id']}: {view.credential_id or '-'}", style="dim"))
    digest = f"sha256:{view.digest}" if view.digest else labels["no_digest"].format(problem=view.digest_problem)
    console.print(Text(f"{labels['digest']}: {digest}", style="dim"))


def _grid(title: str, columns: int = 3) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", show_header=False, box=None,
                  padding=(0, 1))
    for index in range(columns):
        label = index == 0 and columns == 2
        table.add_column(overflow="fold", no_wrap=label, min_width=24 if label else None)
    return table


def _print_outcomes(view, console: Console) -> None:
    if not view.outcomes:
        return
    console.print()
    table = _grid(view.labels["outcomes"].upper(), columns=2)
    table.columns[0].min_width = None
    for number, outcome in enumerate(view.outcomes, start=1):
        line = Text(outcome.text)
        if outcome.skills:
            line.append(f"  ({view.labels['skills']}: {', '.join(outcome.skills)})", style="dim")
        table.add_row(Text(f"{number}."), line)
    console.print(table)


def _print_components(view, console: Console) -> None:
    if not view.components:
        return
    labels = view.labels
    console.print()
    table = Table(title=Text(labels["components"].upper(), style="bold"), title_justify="left", box=None,
                  padding=(0, 1), header_style="bold")
    numeric = ("col_cfu", "col_hours", "col_eqf", "col_recognised")
    for key in ("col_title", "col_awarded", *numeric, "col_verified"):
        table.add_column(labels[key], justify="right" if key in numeric else "left",
                         overflow="fold" if key == "col_title" else None)
    for c in view.components:
        verified = (Text(labels["not_checked"], style="dim") if c.verified is None
                    else Text(labels["yes"], style="green") if c.verified else Text(labels["no"], style="bold red"))
        table.add_row(Text(c.title), Text(c.awarded), Text(c.cfu), Text(c.hours), Text(c.eqf), Text(c.recognised),
                      verified)
    if view.totals is not None:
        t = view.totals
        table.add_row(Text(labels["total"], style="bold"), Text(""), Text(t.cfu, style="bold"),
                      Text(t.hours, style="bold"), Text(""), Text(t.recognised, style="bold"), Text(""))
    console.print(table)
    if view.components_note:
        console.print(Text(view.components_note, style="dim italic"))


#: the SD-JWT claims that are the format's, not what the credential says about its subject
_SD_JWT_TECHNICAL = frozenset({"cnf", "_sd_alg", "iat", "nbf", "exp", "iss", "vct", "vct#integrity", "status"})
_SD_JWT_LABELS = {
    "title": {"en": "Claims (disclosed ones marked *)", "it": "Claim (quelli divulgati segnati con *)"},
    "withheld": {"en": "{n} digest(s) without a disclosure: claims withheld by the holder, or decoys",
                 "it": "{n} digest senza divulgazione: claim non mostrati dal titolare, o esche"},
    "none": {"en": "no claims could be read", "it": "nessun claim leggibile"},
}


def print_sd_jwt_claims(facts, console: Console, lang: str = "en") -> None:
    """An SD-JWT VC's claims as disclosed (:class:`mcred.verify.sdjwt.SdJwtFacts`): each claim's path and value,
    the selectively disclosed ones marked, then how many signed digests were left without a disclosure."""
    from mcred.sdjwt.reveal import claim_paths

    if facts is None:
        console.print(Text(_SD_JWT_LABELS["none"][lang], style="dim"))
        return
    disclosed = {path.removeprefix("$.payload.") for path in facts.disclosed}
    table = Table(title=_SD_JWT_LABELS["title"][lang], show_header=False)
    for path, value in claim_paths(deep_safe(facts.claims)):
        if path.split(".")[0].split("[")[0] in _SD_JWT_TECHNICAL:
            continue
        mark = "*" if path in disclosed or any(path.startswith(d + ".") or path.startswith(d + "[")
                                               for d in disclosed) else ""
        table.add_row(mark, path, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    console.print(table)
    console.print(Text(_SD_JWT_LABELS["withheld"][lang].format(n=facts.withheld), style="dim"))

