"""A credential and its verification report as a view for people: plain data, labels in Italian or English.

:func:`credential_view` reads an ELM (or any W3C) credential leniently, because
a page must be made even for a credential that failed its checks, and turns it
into a :class:`CredentialView`: the verification ribbon and the checks behind
it, then the credential in human terms (title, learner, awarding body, dates,
credits and hours, EQF level, learning outcomes, assessment, mode, quality
assurance; for a stack, its components with their credits and the sums), its
id and digest. Every string in the view is plain text exactly as the credential
says it: the renderers escape it (:mod:`mcred.present.page`, :mod:`mcred.present.render`).
Nothing here imports rich or writes HTML.

The issuer's name is taken from the trust list (``mcred verify --trust``) only
when the report says the issuer is trusted; otherwise the credential's own
claim is shown, marked as such.

A file sealed with JAdES (EDC) is shown as the credential its seal carries (its
payload), with a "Seal" section read from the report (:mod:`mcred.present.seal`):
who sealed it, whether the certificate claims to be qualified, when, and whether
a trusted time-stamp confirms it. Its digest is the file's (:mod:`mcred.verify.digest`:
of what the seal signs), its id the payload's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from mcred.elm import italy
from mcred.elm.lint import ECTS, as_list
from mcred.errors import InputError
from mcred.messages import register
from mcred.report import Status, VerificationReport

from .elm_read import Reader, as_dict, display_image, eqf_level_of, format_when
from .labels import LABELS
from .model import CheckRow, ComponentRow, CredentialView, Outcome, Row, Section, Totals
from .verdict import FAILED, STATUS_NOT_CHECKED, UNLISTED, Verdict, verdict

#: Italian templates of the errors of `mcred show` and `mcred render` (see mcred.messages)
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "BROWSER_NOT_FOUND": ("per --pdf serve Chromium, che non è installato",
                          "installatelo (Debian: apt-get install chromium) oppure stampate la pagina HTML "
                          "da un browser"),
    "PDF_FAILED": ("Chromium non ha prodotto il PDF: {detail}", None),
    "PAGE_NO_DIGEST": ("la pagina non si può fare: l'impronta della credenziale non si può calcolare ({detail})",
                       "controllate la credenziale con `mcred verify`"),
    "PAGE_NO_QR": ("la pagina non si può fare: il codice QR non può contenere {size} byte",
                   "l'identificativo di una credenziale dovrebbe essere un URI breve (urn:uuid:...)"),
}
register(MESSAGES_IT)



def credential_view(document: Any, report: VerificationReport, *, lang: str = "en",
                    checked_at: datetime | None = None, digest: str | None = None) -> CredentialView:
    """The view of a credential and its report, in ``lang`` ("en" or "it"). ``digest``: the file's digest when
    the document is not the file itself (a JWT's: of the bytes its signature covers)."""
    lang = lang if lang in LABELS else "en"
    labels = LABELS[lang]
    file_doc = document if isinstance(document, dict) else {}
    # of the file: for a sealed one, of what its seal signs; for a JWT, of what its signature covers
    digest, problem = (digest, None) if digest is not None else _digest(file_doc)
    doc = _credential(file_doc, report)   # what it says, from its signed graph (a sealed file's: its payload's)
    reader = Reader(doc, lang)
    claim = reader.claim
    spec = as_dict(claim.get("specifiedBy"))
    from mcred.verify.digest import qr_payload

    credential_id = doc.get("id") if isinstance(doc.get("id"), str) else None
    components, totals = _components(doc, report, reader)
    judged = verdict(report.to_dict(lang))
    return CredentialView(
        lang=lang, labels=labels, outcome=report.outcome, ribbon=judged.state,
        ribbon_label=labels[f"ribbon_{judged.state}"], ribbon_notes=_ribbon_notes(judged, report, labels),
        checks=tuple(_check_row(check, labels, lang) for check in report.checks),
        checked_at=format_when(checked_at, lang) if checked_at else "",
        title=reader.text(claim.get("title")) or reader.text(spec.get("title")) or reader.text(doc.get("name"))
        or reader.text(as_dict(doc.get("displayParameter")).get("title")) or labels["untitled"],
        kind=_kind(reader, doc),
        description=reader.text(claim.get("description")) or reader.text(spec.get("description"))
        or reader.text(doc.get("description")) or None,
        sections=tuple(s for s in (_learner(reader, labels), _award(reader, report, judged, labels),
                                   _workload(reader, spec, totals, labels), _assessment(reader, labels),
                                   _quality(reader, spec, labels), _more(reader, spec, labels),
                                   _seal(report, labels, lang)) if s is not None and s.rows),
        outcomes=tuple(o for o in (_outcome(reader, node) for node in as_list(spec.get("learningOutcome"))
                                   if isinstance(node, dict)) if o.text or o.skills),
        components=components, totals=totals, image=display_image(doc, lang),
        components_note=_components_note(components, labels),
        credential_id=credential_id, digest=digest, digest_problem=problem,
        qr_text=qr_payload(credential_id, digest) if digest else None, file=report.file,
    )


def _credential(document: dict, report: VerificationReport) -> dict:
    """What the credential says, as its signed graph has it (:attr:`mcred.graph.facts.CredentialFacts.tree`): the
    facts the report was made from, or, for a report made without them, the graph read here. For a file
    sealed with JAdES (EDC), the credential its seal carries. Nothing when the graph cannot be read."""
    return _tree(report.facts if report.facts is not None else _read_facts(document))


def _tree(facts) -> dict:
    from mcred.graph.nodes import GraphError

    if facts is None:
        return {}
    try:
        return facts.tree
    except GraphError:
        return {}


def _read_facts(document: dict):
    from mcred.errors import InputError
    from mcred.graph.facts import GraphError, read_facts
    from mcred.graph.nodes import read_graph
    from mcred.jsonld.process import expand_leniently

    if "payload" in document and "@context" not in document:  # a JWS: the credential it carries
        from mcred.seals.jades import sealed_payload

        document = sealed_payload(document) or {}
    if not document:
        return None
    try:
        return read_facts(read_graph(expand_leniently(document)))
    except (InputError, GraphError):
        return None


def _seal(report: VerificationReport, labels, lang: str) -> Section | None:
    """Who sealed a sealed credential, with what certificate, when (mcred.present.seal); None otherwise."""
    if report.seal is None:
        return None
    from .seal import seal_section

    return seal_section(report, labels, lang)


def _kind(r: Reader, doc: dict) -> str | None:
    """What the credential is (the display title, e.g. "Micro-credential"), unless it only repeats the title."""
    kind = r.text(as_dict(doc.get("displayParameter")).get("title"))
    title = r.text(r.claim.get("title"))
    return kind if kind and kind != title else None


def _digest(document: dict) -> tuple[str | None, str | None]:
    from mcred.verify.digest import credential_digest

    if not document:
        return None, "not a JSON object"
    try:
        return credential_digest(document), None
    except InputError as exc:
        return None, exc.message


def _check_row(check, labels: Mapping[str, str], lang: str) -> CheckRow:
    message, _ = check.text(lang)
    return CheckRow(check.check, labels.get(f"check_{check.check}", check.check), check.status.value,
                    labels[f"status_{check.status.value}"], message, check.code)


def _rows(*rows: tuple[str, str] | Row | None) -> tuple[Row, ...]:
    """Rows with a value, in order, each once; (label, value) pairs become plain rows."""
    out: list[Row] = []
    for row in rows:
        if isinstance(row, tuple):
            row = Row(*row)
        if row is not None and row.value and row not in out:
            out.append(row)
    return tuple(out)


def _learner(r: Reader, labels) -> Section:
    s = r.subject
    name = r.text(s.get("fullName")) or " ".join(
        t for t in (r.text(s.get("givenName")), r.text(s.get("familyName"))) if t) or r.text(s.get("name"))
    national = as_dict(s.get("nationalID"))
    return Section(labels["learner"], _rows(
        (labels["name"], name or r.text(s.get("id"))),
        (labels["date_of_birth"], r.date(s.get("dateOfBirth")) if s.get("dateOfBirth") else ""),
        (labels["national_id"], r.text(national.get("notation"))),
    ))


def _ribbon_notes(judged: Verdict, report: VerificationReport, labels) -> tuple[str, ...]:
    """What was left unchecked, or what the trust list said, with how to check it (none for a failure:
    its checks say why)."""
    if judged.state == FAILED:
        return ()
    file = Path(report.file).name if report.file else "CREDENTIAL.json"   # short: the note is one line of the ribbon
    notes = []
    if judged.issuer_unchecked:
        notes.append(labels["unchecked_issuer"].format(file=file))
    if judged.issuer_unlisted:
        notes.append(labels["unlisted_issuer"].format(trust=_trust_file(report)))
    if judged.revocation_unchecked:
        lists = ", ".join(dict.fromkeys(_unchecked_lists(report))) or "?"
        notes.append(labels["unchecked_revocation"].format(lists=lists, file=file))
    return tuple(notes)


def _unchecked_lists(report: VerificationReport):
    """The status lists whose copy was not given, the components' included."""
    for check in report.checks:
        if check.code == STATUS_NOT_CHECKED:
            yield str(check.params.get("list_id", "?"))
    for component in report.components:
        yield from _unchecked_lists(component)


def _trust_file(report: VerificationReport) -> str:
    """The trust file that does not list the issuer, as its check names it."""
    return next((str(c.params.get("file")) for c in report.checks if c.code == UNLISTED and c.params.get("file")),
                "TRUST.yaml")


def _award(r: Reader, report: VerificationReport, judged: Verdict, labels) -> Section:
    doc = r.document
    awarded = as_dict(r.claim.get("awardedBy"))
    issuer = doc.get("issuer")
    issuer_id = r.text(issuer.get("id")) if isinstance(issuer, dict) else r.text(issuer)
    claimed_issuer = r.names(issuer) if isinstance(issuer, dict) else ""
    claimed_body = r.names(awarded.get("awardingBody")) or claimed_issuer
    trusted = _trusted_name(report, r.lang)
    sealed = report.seal is not None
    if trusted:
        body = Row(labels["awarding_body"], trusted, labels["from_trust"] + (
            f" ({labels['credential_says']} {claimed_body})" if claimed_body and claimed_body != trusted else ""))
    elif sealed:
        body = Row(labels["awarding_body"], claimed_body, labels["as_claimed_sealed"])
    elif judged.issuer_unchecked:
        body = Row(labels["awarding_body"], claimed_body, labels["self_declared"], flag=True)
    elif judged.issuer_unlisted:
        body = Row(labels["awarding_body"], claimed_body, labels["not_in_trust"].format(trust=_trust_file(report)),
                   flag=True)
    else:
        body = Row(labels["awarding_body"], claimed_body, labels["as_claimed"], flag=True)
    valid_until = doc.get("validUntil") or doc.get("expirationDate")
    return Section(labels["award"], _rows(
        body,
        Row(labels["issuer"], issuer_id, labels["issuer_note_sealed" if sealed else "issuer_note"])
        if issuer_id else None,
        (labels["awarded"], r.date(awarded.get("awardingDate")) if awarded.get("awardingDate") else ""),
        (labels["issued"], r.date(doc.get("issued") or doc.get("issuanceDate"))
         if doc.get("issued") or doc.get("issuanceDate") else ""),
        (labels["valid_from"], r.date(doc.get("validFrom")) if doc.get("validFrom") else ""),
        (labels["valid_until"], r.date(valid_until) if valid_until else ""),
    ))


def _trusted_name(report: VerificationReport, lang: str) -> str | None:
    """The issuer's name from the trust list, only when the report says the issuer is trusted."""
    trusted = any(c.code == "TRUST_TRUSTED" and c.status == Status.PASSED for c in report.checks)
    failed = any(c.check == "issuer" and c.status == Status.FAILED for c in report.checks)
    return report.issuer_names.get(lang) if trusted and not failed else None


def _credits(r: Reader, node: dict, key: str, labels) -> str:
    parts = []
    for credit in as_list(node.get(key)):
        credit = as_dict(credit)
        point = r.text(credit.get("point"))
        framework = as_dict(credit.get("framework"))
        if not point:
            continue
        if framework.get("id") == ECTS:
            parts.append(labels["ects"].format(point=point))
        else:
            parts.append(f"{point} {r.concept(framework)}".strip())
    return "; ".join(parts)


def _hours(value: Any, lang: str) -> str:
    if not value:
        return ""
    try:
        return LABELS[lang]["hours_value"].format(hours=italy.decimal_text(italy.duration_to_hours(value)))
    except italy.ItalianRuleError:
        return str(value)


def _workload(r: Reader, spec: dict, totals: Totals | None, labels) -> Section:
    """Credits and hours, each with the rule that relates them: 1 CFU is 25 hours (mcred.elm.italy), and the
    hours must agree with the credits stated within the decrees' ±20 %; for a stack, which sum the credits are."""
    received = _credits(r, r.claim, "creditReceived", labels)
    stated = _credits(r, spec, "creditPoint", labels)
    cfu = _points(spec, "creditPoint")
    credits_note = None
    if totals is not None and cfu is not None:   # a stack: is the figure its components' total, or what it recognised?
        if _number(cfu) == totals.cfu:
            credits_note = labels["credits_total"]
        elif _number(cfu) == totals.recognised:
            credits_note = labels["credits_recognised"].format(total=totals.cfu)
    hours_note, disagree = _hours_note(cfu, spec.get("volumeOfLearning"), labels)
    return Section(labels["workload"], _rows(
        Row(labels["credits"], stated, credits_note),
        Row(labels["credits_received"], received if received != stated else "",
            labels["received_recognised"] if totals is not None else None),
        Row(labels["hours"], _hours(spec.get("volumeOfLearning"), r.lang), hours_note, flag=disagree),
        (labels["eqf"], eqf_level_of(spec)),
        (labels["thematic_area"], r.concepts(spec.get("thematicArea"))),
        (labels["mode"], r.concepts(spec.get("mode"))),
        (labels["learning_setting"], r.concepts(spec.get("learningSetting"))),
        (labels["language"], r.concepts(spec.get("language"))),
    ))


def _hours_note(cfu: Decimal | None, volume: Any, labels) -> tuple[str | None, bool]:
    """The hours as CFU at 25 hours each and, when credits are stated too, whether the two agree (the
    Italian rule, as ``mcred lint`` applies it: within ±20 %); a flag when they do not."""
    try:
        hours = italy.duration_to_hours(volume) if isinstance(volume, str) and volume else None
        as_cfu = italy.reconcile_workload(cfu=None, hours=hours) if hours is not None else None
    except italy.ItalianRuleError:
        return None, False
    if as_cfu is None:
        return None, False
    rate = _number(italy.HOURS_PER_CFU)
    if cfu is None or cfu == as_cfu.cfu and not as_cfu.rounded:
        key = "hours_as_cfu_rounded" if as_cfu.rounded else "hours_as_cfu"
        return labels[key].format(cfu=_number(as_cfu.cfu), rate=rate), False
    implied, tolerance = cfu * italy.HOURS_PER_CFU, italy.DEFAULT_TOLERANCE
    try:
        italy.reconcile_workload(cfu=cfu, hours=hours, tolerance=tolerance)
        agree = True
    except italy.ItalianRuleError:
        agree = False
    return labels["hours_within" if agree else "hours_mismatch"].format(
        cfu=_number(as_cfu.cfu), rate=rate, stated=_number(cfu), low=_number(implied * (1 - tolerance)),
        high=_number(implied * (1 + tolerance)), tolerance=_number(tolerance * 100)), not agree


def _assessment(r: Reader, labels) -> Section:
    """Each assessment with its grade (one row each when there are several, as in a stack)."""
    nodes = [as_dict(node) for node in as_list(r.claim.get("provenBy"))]
    rows: list[tuple[str, str]] = []
    details: list[tuple[str, str]] = []
    for node in nodes:
        how = as_dict(node.get("specifiedBy"))
        kind = r.concepts(how.get("dcType"))
        title = r.text(node.get("title")) or r.text(how.get("title"))
        what = f"{title} ({kind})" if title and kind else title or kind
        grade = r.text(as_dict(node.get("grade")).get("noteLiteral")) or r.text(node.get("grade"))
        if len(nodes) == 1:
            rows += [(labels["assessment"], what), (labels["grade"], grade)]
        else:
            rows.append((labels["assessment"], f"{what}: {grade}" if what and grade else what or grade))
        details += [(labels["grading_scheme"], r.text(as_dict(how.get("gradingScheme")).get("title"))),
                    (labels["supervision"], r.concepts(node.get("idVerification")))]
    return Section(labels["assessment_heading"], _rows(*rows, *details))


def _quality(r: Reader, spec: dict, labels) -> Section:
    rows = []
    for node in as_list(spec.get("accreditation")):
        node = as_dict(node)
        agent = r.names(node.get("accreditingAgent"))
        kind = r.concepts(node.get("dcType"))
        text = "; ".join(t for t in (r.text(node.get("title")), kind) if t)
        rows.append((labels["accreditation"], f"{text} ({labels['by']} {agent})" if agent else text))
    return Section(labels["quality"], _rows(*rows))


def _more(r: Reader, spec: dict, labels) -> Section:
    notes = [r.text(as_dict(n).get("noteLiteral")) for n in as_list(spec.get("additionalNote"))]
    return Section(labels["more"], _rows(
        (labels["prerequisites"], r.text(as_dict(spec.get("entryRequirement")).get("noteLiteral"))),
        (labels["part_of"], "; ".join(t for t in (r.text(as_dict(p).get("title"))
                                                  for p in as_list(spec.get("isPartOf"))) if t)),
        *((labels["note"], note) for note in notes),
    ))


def _outcome(r: Reader, node: dict) -> Outcome:
    skills = tuple(label for label in (r.concept(s) for s in as_list(node.get("relatedESCOSkill"))) if label)
    return Outcome(r.text(node.get("title")), skills)


# --- stacks ------------------------------------------------------------------------------------------


def _components(doc: dict, report: VerificationReport, r: Reader) -> tuple[tuple[ComponentRow, ...], Totals | None]:
    """A stack's components, from the reports of the components its verification re-verified (each read from
    its own signed graph), with their credits and the sums."""
    from mcred.verify.components import DIGEST_SCHEME

    parts = {p.get("id"): p for p in as_list(r.claim.get("hasPart")) if isinstance(p, dict)
             and any(as_dict(i).get("schemeName") == DIGEST_SCHEME for i in as_list(p.get("identifier")))}
    if not parts:
        return (), None
    rows, cfu, hours, recognised = [], Decimal(0), Decimal(0), Decimal(0)
    order = []
    # the attachments in the order the components check read them, and its reports in the same order; a
    # stack whose own proof failed has none (its components were not checked)
    reports = iter(report.components)
    for attachment in as_list(doc.get("attachment")):
        document = _attached(attachment)
        if document is None:
            continue
        component_report = next(reports, None)
        facts = component_report.facts if component_report is not None else _read_facts(document)
        component = _tree(facts)
        if not component:
            continue
        sub = Reader(component, r.lang)
        spec = as_dict(sub.claim.get("specifiedBy"))
        part = parts.get(sub.claim.get("id"), {})
        points, part_hours, derived = _workload_numbers(spec)
        taken = _points(part, "creditReceived")
        cfu += points or 0
        hours += part_hours or 0
        recognised += taken or 0
        awarded = as_dict(sub.claim.get("awardedBy")).get("awardingDate")
        order.append((str(awarded or ""), str(component.get("id", ""))))
        rows.append(ComponentRow(
            title=sub.text(sub.claim.get("title")) or sub.text(spec.get("title")) or str(component.get("id", "")),
            awarded=sub.date(awarded) if awarded else "", cfu=_number(points) + ("*" if derived == "cfu" else ""),
            hours=_number(part_hours) + ("*" if derived == "hours" else ""),
            eqf=eqf_level_of(spec), recognised=_number(taken if taken is not None else Decimal(0)),
            verified=None if component_report is None else component_report.verified))
    # as the stack's plan orders them: by award date, then id
    rows = [row for _, row in sorted(zip(order, rows, strict=True), key=lambda pair: pair[0])]
    return tuple(rows), Totals(_number(cfu), _number(hours), _number(recognised))


def _components_note(components: tuple[ComponentRow, ...], labels) -> str | None:
    """Which rule produced a component's figure that its credential does not state (marked *): 25 hours per CFU.
    The others are as each credential states them."""
    if any(c.cfu.endswith("*") or c.hours.endswith("*") for c in components):
        return labels["components_derived"].format(rate=_number(italy.HOURS_PER_CFU))
    return None


def _attached(attachment: Any) -> dict | None:
    import base64
    import json

    try:
        component = json.loads(base64.b64decode(as_dict(attachment)["content"], validate=True))
    except (KeyError, TypeError, ValueError, RecursionError):
        return None
    return component if isinstance(component, dict) else None


def _points(node: dict, key: str) -> Decimal | None:
    """The ECTS points of a credit point under ``key`` (as the tree writes it), if they are a positive number."""
    for credit in as_list(node.get(key)):
        credit = as_dict(credit)
        if as_dict(credit.get("framework")).get("id") != ECTS:
            continue
        try:
            value = Decimal(str(credit.get("point")))
        except ArithmeticError:
            return None
        return value if value.is_finite() and value > 0 else None
    return None


def _workload_numbers(spec: dict) -> tuple[Decimal | None, Decimal | None, str | None]:
    """CFU and hours as the component states them; the missing one derived at 25 hours per CFU, and named
    ("cfu" or "hours")."""
    points = _points(spec, "creditPoint")
    try:
        hours = italy.duration_to_hours(spec["volumeOfLearning"]) if spec.get("volumeOfLearning") else None
        workload = italy.reconcile_workload(cfu=points, hours=hours)
    except italy.ItalianRuleError:
        return points, None, None
    return workload.cfu, workload.hours, workload.derived


def _number(value: Decimal | None) -> str:
    return "" if value is None else italy.decimal_text(value)


