"""A credential's view as one self-contained, printable A4 page: HTML and CSS only.

The page refers to nothing outside itself: no JavaScript, no fonts, no external
images, no links that load anything. Its Content-Security-Policy says so to the
browser too (``default-src 'none'; img-src data:; style-src 'unsafe-inline'``),
so even a mistake here could not make it fetch or run anything. The display
image is embedded as a ``data:`` URI, and only when :func:`mcred.present.view.display_image`
has checked that it is a PNG or JPEG. Every string that comes from the
credential goes through :func:`html.escape` (:func:`_e`), so a title that holds
HTML or a script shows as text.

The QR code (:mod:`segno`, inline SVG) carries the page's text
``mcred:1 <credential id> sha256:<digest>`` (:mod:`mcred.verify.digest`), which
``mcred verify FILE --expect-digest TEXT`` checks against a file.
"""

from __future__ import annotations

import html
from collections import Counter

from mcred.errors import InputError

from .model import CheckRow, CredentialView, Row, Section

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
#: a page has room beside its QR code for about a dozen checks; a longer list (a sealed credential's:
#: seal, certificate, chain, revocation, time-stamps, then the credential's own) is summarised, one row per check
COMPACT_CHECKS = 12
#: the QR code's error correction: M (15 %) survives a fold or a smudge on paper and keeps the code small
QR_ERROR = "m"

_CSS = """
@page { size: A4; margin: 10mm 11mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e9ecef; color: #1d2329;
       font: 8pt/1.25 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
.page { width: 210mm; min-height: 297mm; margin: 0 auto; padding: 10mm 11mm; background: #fff; }
@media print { body { background: #fff; } .page { width: auto; min-height: 0; margin: 0; padding: 0; } }
.ribbon { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 3mm; padding: 1.7mm 4mm; border-radius: 1.5mm;
          color: #fff; font-weight: bold; font-size: 12pt; }
.ribbon .when { margin-left: auto; font-weight: normal; font-size: 7.6pt; }
.ribbon .how { flex-basis: 100%; margin: .6mm 0 0; font-weight: normal; font-size: 7pt; }
.ribbon-verified { background: #1b6e3a; }
.ribbon-revocation-unchecked, .ribbon-signed-issuer-unchecked, .ribbon-signed-unchecked { background: #3e5468; }
.ribbon-issuer-unlisted, .ribbon-partial { background: #9a5b00; }
.ribbon-failed { background: #a4161a; }
.head { display: flex; gap: 5mm; align-items: flex-start; margin: 2.8mm 0 1mm; }
.head .titles { flex: 1; min-width: 0; }
.kind { margin: 0; text-transform: uppercase; letter-spacing: .06em; font-size: 7.2pt; color: #56606b; }
h1 { margin: .5mm 0 .8mm; font-size: 14pt; line-height: 1.16; color: #0b3d6b; overflow-wrap: anywhere; }
.learner { margin: 0; font-size: 11.5pt; font-weight: bold; }
.desc { margin: 1mm 0 0; color: #3a434c; }
.display { width: 22mm; height: auto; max-height: 22mm; object-fit: contain; border: .3mm solid #ccd3da;
           image-rendering: pixelated; }
h2 { margin: 0 0 .8mm; font-size: 7.8pt; text-transform: uppercase; letter-spacing: .05em; color: #0b3d6b;
     border-bottom: .35mm solid #0b3d6b; padding-bottom: .3mm; }
.facts { column-count: 2; column-gap: 6mm; margin-top: 2mm; }
.facts section { break-inside: avoid; margin-bottom: 1.4mm; }
dl { display: grid; grid-template-columns: 27mm 1fr; gap: .3mm 2mm; margin: 0; }
dt { color: #56606b; }
dd { margin: 0; overflow-wrap: anywhere; }
.note { display: block; color: #6b747d; font-size: 6.8pt; font-style: italic; }
.note.flag { color: #8a4f00; font-style: normal; }
.rule { margin: .5mm 0 0; color: #6b747d; font-size: 6.6pt; font-style: italic; }
.outcomes, .components { margin-top: 1.2mm; break-inside: avoid; }
ol { margin: 0; padding-left: 5mm; }
li { margin: .2mm 0; overflow-wrap: anywhere; }
.skills { color: #6b747d; font-size: 6.9pt; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: .35mm 1.2mm; border-bottom: .2mm solid #dde2e7;
         overflow-wrap: anywhere; }
th { font-size: 7pt; color: #56606b; font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: .35mm solid #1d2329; }
.bottom { display: grid; grid-template-columns: 1fr 34mm; gap: 4mm; margin-top: 1.6mm; padding-top: 1.5mm;
          border-top: .35mm solid #1d2329; break-inside: avoid; }
.checks td { font-size: 7pt; padding: .25mm 1mm; }
.checks .code { color: #6b747d; font-size: 6.2pt; }
.checks.compact td:first-child { white-space: nowrap; }
.checks .caption { margin: .6mm 0 0; color: #6b747d; font-size: 6.4pt; font-style: italic; }
.st { font-weight: bold; white-space: nowrap; }
.st-passed { color: #1b6e3a; } .st-failed { color: #a4161a; } .st-warning { color: #9a5b00; }
.st-skipped { color: #6b747d; }
.qr { width: 34mm; height: 34mm; }
.qr svg { width: 100%; height: 100%; display: block; }
.verify { margin-top: 1.5mm; font-size: 7pt; color: #3a434c; }
.verify p { margin: 0 0 .6mm; }
.mono { font-family: "DejaVu Sans Mono", "Liberation Mono", "Courier New", monospace; font-size: 6.6pt;
        overflow-wrap: anywhere; color: #1d2329; }
"""


def _e(text: object) -> str:
    """Text as HTML: every credential string passes through here. Control characters and BiDi controls are
    shown as escapes (mcred._text), as in the terminal: a page may be written to one, and an override would
    reorder what a reader sees on paper."""
    from mcred._text import terminal_safe

    return html.escape(terminal_safe(str(text)), quote=True)


def render_page(view: CredentialView) -> str:
    """The page as one HTML string (UTF-8 text), for :class:`mcred.present.view.CredentialView` ``view``.

    Raises :class:`mcred.errors.InputError` (``PAGE_NO_DIGEST``) when the credential has
    no digest: a page without its QR code could not be matched to its file.
    """
    if view.qr_text is None:
        raise InputError(f"no page can be made: the credential's digest cannot be computed ({view.digest_problem})",
                         file=view.file, code="PAGE_NO_DIGEST", params={"detail": view.digest_problem},
                         hint="check the credential with `mcred verify`")
    qr = qr_svg(view.qr_text, file=view.file)
    labels = view.labels
    learner = next((row.value for section in view.sections[:1] for row in section.rows[:1]), "")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(view.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(view.title)}{' — ' + _e(learner) if learner else ''}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<main class="page">',
        f'<header class="ribbon ribbon-{_e(view.ribbon)}"><span>{_MARKS[view.ribbon]} {_e(view.ribbon_label)}</span>'
        f'<span class="when">{_e(labels["checked_at"].format(when=view.checked_at)) if view.checked_at else ""}'
        f"</span>{_unchecked(view)}</header>",
        _head(view, learner),
        '<div class="facts">',
        *(_section(section) for section in view.sections),
        "</div>",
        _outcomes(view),
        _components(view),
        f'<div class="bottom">{_checks(view)}<div class="qr">{qr}</div></div>',
        _verify(view),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


#: a tick for verified only; a half-filled circle for a valid signature with something left unchecked
_MARKS = {"verified": "&#10004;", "revocation-unchecked": "&#9680;", "signed-issuer-unchecked": "&#9680;",
          "signed-unchecked": "&#9680;", "issuer-unlisted": "&#9888;", "partial": "&#9888;", "failed": "&#10008;"}


def _unchecked(view: CredentialView) -> str:
    """In the ribbon, under its words: what was left unchecked, and how to check it."""
    return "".join(f'<p class="how">{_e(note)}</p>' for note in view.ribbon_notes)


def _head(view: CredentialView, learner: str) -> str:
    kind = f'<p class="kind">{_e(view.kind)}</p>' if view.kind else ""
    desc = f'<p class="desc">{_e(view.description)}</p>' if view.description else ""
    image = ""
    if view.image is not None:  # checked bytes of a whitelisted type, re-encoded by mcred.present.view
        image = f'<img class="display" alt="" src="data:{_e(view.image.media_type)};base64,{_e(view.image.base64)}">'
    person = f'<p class="learner">{_e(learner)}</p>' if learner else ""
    return (f'<section class="head"><div class="titles">{kind}<h1>{_e(view.title)}</h1>{person}{desc}</div>'
            f"{image}</section>")


def _section(section: Section) -> str:
    return (f"<section><h2>{_e(section.heading)}</h2><dl>{''.join(_row(row) for row in section.rows)}</dl>"
            "</section>")


def _row(row: Row) -> str:
    note = f'<span class="note{" flag" if row.flag else ""}">{_e(row.note)}</span>' if row.note else ""
    return f"<dt>{_e(row.label)}</dt><dd>{_e(row.value)}{note}</dd>"


def _outcomes(view: CredentialView) -> str:
    if not view.outcomes:
        return ""
    items = []
    for outcome in view.outcomes:
        skills = (f' <span class="skills">({_e(view.labels["skills"])}: {_e(", ".join(outcome.skills))})</span>'
                  if outcome.skills else "")
        items.append(f"<li>{_e(outcome.text)}{skills}</li>")
    return f'<section class="outcomes"><h2>{_e(view.labels["outcomes"])}</h2><ol>{"".join(items)}</ol></section>'


def _components(view: CredentialView) -> str:
    if not view.components:
        return ""
    labels = view.labels
    numeric = ("col_cfu", "col_hours", "col_eqf", "col_recognised")
    head = "".join(f'<th{" class=num" if key in numeric else ""}>{_e(labels[key])}</th>'
                   for key in ("col_title", "col_awarded", *numeric, "col_verified"))
    rows = []
    for c in view.components:
        verified = labels["not_checked"] if c.verified is None else labels["yes" if c.verified else "no"]
        status = "skipped" if c.verified is None else "passed" if c.verified else "failed"
        rows.append(f"<tr><td>{_e(c.title)}</td><td>{_e(c.awarded)}</td>"
                    + "".join(f'<td class="num">{_e(v)}</td>' for v in (c.cfu, c.hours, c.eqf, c.recognised))
                    + f'<td class="st st-{status}">{_e(verified)}</td></tr>')
    if view.totals is not None:
        t = view.totals
        rows.append(f'<tr class="total"><td colspan="2">{_e(labels["total"])}</td><td class="num">{_e(t.cfu)}</td>'
                    f'<td class="num">{_e(t.hours)}</td><td></td><td class="num">{_e(t.recognised)}</td><td></td></tr>')
    rule = f'<p class="rule">{_e(view.components_note)}</p>' if view.components_note else ""
    return (f'<section class="components"><h2>{_e(labels["components"])}</h2><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{rule}</section>")


def _checks(view: CredentialView) -> str:
    compact = len(view.checks) > COMPACT_CHECKS
    checks = summarised_checks(view) if compact else view.checks
    rows = "".join(
        f'<tr><td>{_e(c.label)}</td><td class="st st-{_e(c.status)}">{_e(c.status_label)}</td>'
        f'<td>{_e(c.message)} <span class="code">{_e(c.code or "")}</span></td></tr>'
        for c in checks)
    caption = f'<p class="caption">{_e(view.labels["checks_summarised"])}</p>' if compact else ""
    return (f'<section class="checks{" compact" if compact else ""}"><h2>{_e(view.labels["checks"])}</h2>'
            f"<table>{rows}</table>{caption}</section>")


_SEVERITY = {"passed": 0, "skipped": 1, "warning": 2, "failed": 3}


def summarised_checks(view: CredentialView) -> list[CheckRow]:
    """One row per check, for a page: its worst status; a problem with its messages, a pass by its codes.

    What passed is said in words above (for a sealed credential, its "Seal" section);
    the report and ``mcred show`` give every message. A problem is never summed up.
    """
    groups: dict[str, list[CheckRow]] = {}
    for check in view.checks:
        groups.setdefault(check.check, []).append(check)
    rows = []
    for results in groups.values():
        worst = max(results, key=lambda c: _SEVERITY.get(c.status, 3))
        shown = [c for c in results if c.status == worst.status]
        codes = ", ".join(f"{code} ×{n}" if n > 1 else code for code, n in
                          Counter(c.code for c in shown if c.code).items())
        message = "" if worst.status == "passed" else "; ".join(c.message for c in shown)
        rows.append(CheckRow(worst.check, worst.label, worst.status, worst.status_label, message, codes))
    return rows


def _verify(view: CredentialView) -> str:
    labels = view.labels
    command = f'mcred verify {view.file or "CREDENTIAL.json"} --expect-digest "{view.qr_text}"'
    credential_id = (f'<p>{_e(labels["credential_id"])}: <span class="mono">{_e(view.credential_id)}</span></p>'
                     if view.credential_id else "")
    return (f'<footer class="verify"><p>{_e(labels["qr_caption"])} {_e(labels["how_to_check"])}</p>'
            f'<p class="mono">{_e(command)}</p>{credential_id}'
            f'<p>{_e(labels["digest"])}: <span class="mono">sha256:{_e(view.digest)}</span></p></footer>')


def qr_svg(text: str, *, file: str | None = None) -> str:
    """The QR code of ``text`` as inline SVG, sized by its container (a viewBox, no width or height).

    Raises :class:`mcred.errors.InputError` (``PAGE_NO_QR``) when ``text`` does not fit in
    a QR code (a credential id of thousands of characters).
    """
    import segno

    try:
        code = segno.make(text, error=QR_ERROR, micro=False, boost_error=False)
    except ValueError as exc:  # segno.DataOverflowError: more than a version 40 symbol holds
        raise InputError(f"no page can be made: the QR code cannot hold {len(text.encode())} bytes ({exc})",
                         file=file, code="PAGE_NO_QR", params={"size": len(text.encode())},
                         hint="a credential id should be a short URI (urn:uuid:...)") from None
    # segno writes only path data and numbers here: nothing from `text` appears in the SVG as text
    return code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff")
