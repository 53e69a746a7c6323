"""An SD-JWT VC and its report as a view for people (:class:`mcred.present.model.CredentialView`), for
``mcred render`` (and the same reading ``mcred show`` prints).

Everything shown comes from the report's facts (:class:`mcred.verify.sdjwt.SdJwtFacts`): the signed payload
with the disclosures whose digests it signs put back, never the file's raw JSON. A claim that came from a
disclosure is noted as disclosed by the holder, and a "Disclosure" section says what the holder disclosed
and how many signed digests were left without a disclosure (claims withheld, or decoys: the two cannot be
told apart).

The award's facts are read at the paths ``mcred issue --format sd-jwt-vc`` writes (DC4EU's micro-credential
type, ``credentialSubject.achievement…``, and mcred's additions beside it, docs/issue.md "SD-JWT VC"); the
claims of any other type are listed under "Other claims", path and value.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mcred.report import Status, VerificationReport
from mcred.sdjwt.reveal import claim_paths

from .elm_read import format_date, format_when
from .labels import LABELS
from .model import CheckRow, CredentialView, Outcome, Row, Section
from .verdict import FAILED, verdict

#: the claims that are the format's, not what the credential says about its subject (shown elsewhere, or not)
TECHNICAL = frozenset({"cnf", "_sd_alg", "iat", "nbf", "exp", "iss", "vct", "vct#integrity", "status", "aka_vcts"})

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "kind": "SD-JWT VC · {vct}", "disclosed": "disclosed by the holder", "not_disclosed": "not disclosed",
        "email": "E-mail", "national_id": "Tax code (codice fiscale)", "issuer_name": "Issuer's name",
        "issuer_key": "the x5c certificate that signed: {subject}", "country": "Country",
        "body_trusted": "as the credential states it; its signer's certificate reaches your trust anchor",
        "body_unchecked": "as the credential states it: not confirmed (no X.509 trust anchors given)",
        "disclosure": "Disclosure", "disclosed_claims": "Disclosed",
        "withheld": "Withheld", "withheld_value": "{n} signed digest(s) without a disclosure: claims the holder "
        "withheld, or decoys (the two cannot be told apart)",
        "none": "none", "other": "Other claims", "unreadable": "The disclosures could not be read: nothing of the "
        "credential is shown (see the checks).",
        "unchecked_issuer": "Issuer not checked (no X.509 trust anchors given). To check it: mcred trust "
        "add-anchor CA.pem, then mcred verify {file} --trust TRUST.yaml",
        "unchecked_revocation": "Revocation not checked (no copy of its Token Status List {lists} given). To "
        "check it: mcred verify {file} --status-list LIST.jwt",
        "check_sdjwt": "SD-JWT VC", "check_certificate": "Issuer certificate", "check_disclosures": "Disclosures",
        "check_type": "Type metadata", "check_profile": "Profile", "check_key_binding": "Key binding",
    },
    "it": {
        "kind": "SD-JWT VC · {vct}", "disclosed": "divulgato dal titolare", "not_disclosed": "non divulgato",
        "email": "E-mail", "national_id": "Codice fiscale", "issuer_name": "Nome dell'emittente",
        "issuer_key": "il certificato x5c che ha firmato: {subject}", "country": "Paese",
        "body_trusted": "come lo indica la credenziale; il certificato di chi ha firmato arriva alla vostra ancora "
        "di fiducia",
        "body_unchecked": "come lo indica la credenziale: non confermato (nessuna ancora di fiducia X.509)",
        "disclosure": "Divulgazione", "disclosed_claims": "Divulgati",
        "withheld": "Non mostrati", "withheld_value": "{n} digest firmati senza divulgazione: claim non mostrati "
        "dal titolare, o esche (non si possono distinguere)",
        "none": "nessuno", "other": "Altri claim", "unreadable": "Le divulgazioni non si possono leggere: nulla "
        "della credenziale è mostrato (vedete i controlli).",
        "unchecked_issuer": "Emittente non verificato (nessuna ancora di fiducia X.509). Per verificarlo: mcred "
        "trust add-anchor CA.pem, poi mcred verify {file} --trust TRUST.yaml",
        "unchecked_revocation": "Revoca non controllata (nessuna copia della sua Token Status List {lists}). Per "
        "controllarla: mcred verify {file} --status-list LISTA.jwt",
        "check_sdjwt": "SD-JWT VC", "check_certificate": "Certificato dell'emittente",
        "check_disclosures": "Divulgazioni", "check_type": "Metadati di tipo", "check_profile": "Profilo",
        "check_key_binding": "Legame con il titolare",
    },
}

#: what the award's sections read, so that "Other claims" does not repeat it
_PERSON = ("given_name", "family_name", "birthdate", "tax_id_code", "email")
_READ = (*_PERSON, *(f"credentialSubject.{name}" for name in _PERSON), "credentialSubject.achievement",
         "credentialSubject.result", "issuer", "validFrom", "validUntil", "issuing_authority", "issuing_country")


class _Claims:
    """The disclosed claims, and which paths came from a disclosure (``$.payload.`` removed)."""

    def __init__(self, facts: Any) -> None:
        self.claims = facts.claims if facts is not None else {}
        self.disclosed = {p.removeprefix("$.payload.") for p in (facts.disclosed if facts is not None else ())}

    def get(self, path: str) -> Any:
        node: Any = self.claims
        for step in path.replace("[", ".[").split("."):
            if step.startswith("["):
                index = int(step[1:-1])
                node = node[index] if isinstance(node, list) and index < len(node) else None
            else:
                node = node.get(step) if isinstance(node, dict) else None
        return node

    def text(self, path: str) -> str:
        value = self.get(path)
        return "" if value is None or isinstance(value, dict | list) else str(value)

    def is_disclosed(self, path: str) -> bool:
        return any(path == d or path.startswith(d + ".") or path.startswith(d + "[") for d in self.disclosed)


def sd_jwt_view(report: VerificationReport, *, lang: str = "en", checked_at: datetime | None = None,
                digest: str | None = None) -> CredentialView:
    """The view of an SD-JWT VC's report in ``lang``; ``digest``: the issuer-signed JWT's (what
    ``--expect-digest`` checks)."""
    from mcred.verify.digest import qr_payload

    lang = lang if lang in LABELS else "en"
    labels = {**LABELS[lang], **WORDS[lang]}
    facts = report.facts
    c = _Claims(facts)
    judged = verdict(report.to_dict(lang))
    vct = c.text("vct") or "?"
    sections = [_learner(c, labels), _award(c, report, labels, lang), _workload(c, labels),
                _assessment(c, labels), _quality(c, labels), _disclosure(facts, labels), _other(c, labels)]
    return CredentialView(
        lang=lang, labels=labels, outcome=report.outcome, ribbon=judged.state,
        ribbon_label=labels[f"ribbon_{judged.state}"], ribbon_notes=_ribbon_notes(judged, report, labels),
        checks=tuple(_check_row(check, labels, lang) for check in report.checks),
        checked_at=format_when(checked_at, lang) if checked_at else "",
        title=c.text("credentialSubject.achievement.name") or labels["untitled"],
        kind=labels["kind"].format(vct=vct), description=c.text("credentialSubject.achievement.description") or None,
        sections=tuple(s for s in sections if s.rows),
        outcomes=_outcomes(c), credential_id=None, digest=digest,
        digest_problem=None if digest else "no issuer-signed JWT",
        qr_text=qr_payload(None, digest) if digest else None, file=report.file)


def _check_row(check, labels, lang: str) -> CheckRow:
    message, _ = check.text(lang)
    return CheckRow(check.check, labels.get(f"check_{check.check}", check.check), check.status.value,
                    labels[f"status_{check.status.value}"], message, check.code)


def _ribbon_notes(judged, report: VerificationReport, labels) -> tuple[str, ...]:
    if judged.state == FAILED:
        return ()
    file = Path(report.file).name if report.file else "CREDENTIAL.sd-jwt"
    notes = []
    if judged.issuer_unchecked:
        notes.append(labels["unchecked_issuer"].format(file=file))
    if judged.revocation_unchecked:
        lists = ", ".join(str(c.params.get("uri")) for c in report.checks if c.code == "SDJWT_STATUS_UNCHECKED")
        notes.append(labels["unchecked_revocation"].format(lists=lists or "?", file=file))
    return tuple(notes)


def _row(c: _Claims, label: str, path: str, labels, value: str | None = None) -> Row:
    """A claim's row, noted when it came from a disclosure."""
    value = c.text(path) if value is None else value
    return Row(label, value, labels["disclosed"] if value and c.is_disclosed(path) else None)


def _learner(c: _Claims, labels) -> Section:
    """The learner's disclosed claims: under ``credentialSubject`` (as mcred issues them) or at the top level
    (as the PID and the IETF examples have them)."""
    def at(name: str) -> str:
        nested = f"credentialSubject.{name}"
        return nested if c.get(nested) is not None else name

    given, family = at("given_name"), at("family_name")
    name = " ".join(t for t in (c.text(given), c.text(family)) if t)
    # always a first row: the page puts it under the title, where the learner's name goes
    first = _row(c, labels["name"], given if c.text(given) else family, labels, name) if name else \
        Row(labels["name"], f"({labels['not_disclosed']})")
    rows = [first, _row(c, labels["date_of_birth"], at("birthdate"), labels),
            _row(c, labels["national_id"], at("tax_id_code"), labels),
            _row(c, labels["email"], at("email"), labels)]
    return Section(labels["learner"], tuple(r for r in rows if r.value))


def _award(c: _Claims, report: VerificationReport, labels, lang: str) -> Section:
    trusted = any(k.code == "SDJWT_CHAIN_TRUSTED" and k.status == Status.PASSED for k in report.checks)
    body = c.text("credentialSubject.achievement.awardingBody.name") or c.text("issuer.name") \
        or c.text("issuing_authority")
    subject = getattr(report.facts, "subject", None)
    rows = [Row(labels["awarding_body"], body, labels["body_trusted" if trusted else "body_unchecked"],
                flag=not trusted),
            Row(labels["issuer"], c.text("iss"), labels["issuer_key"].format(subject=subject) if subject else None),
            _row(c, labels["issuer_name"], "issuer.name", labels),
            _row(c, labels["country"], "issuing_country", labels),
            Row(labels["awarded"], _date(c.text("credentialSubject.achievement.awardingDate"), lang)),
            Row(labels["issued"], _epoch(c.get("iat"), lang)),
            Row(labels["valid_from"], _date(c.text("validFrom"), lang) or _epoch(c.get("nbf"), lang)),
            Row(labels["valid_until"], _date(c.text("validUntil"), lang) or _epoch(c.get("exp"), lang))]
    return Section(labels["award"], tuple(r for r in rows if r.value))


def _workload(c: _Claims, labels) -> Section:
    a = "credentialSubject.achievement."
    ects, hours = c.text(a + "ECTS"), c.text(a + "volumeOfLearning")
    iscedf = c.get(a + "iscedF")
    rows = [_row(c, labels["credits"], a + "ECTS", labels, labels["ects"].format(point=ects) if ects else ""),
            _row(c, labels["hours"], a + "volumeOfLearning", labels, _hours(hours, labels)),
            _row(c, labels["eqf"], a + "eqfLevel", labels),
            Row(labels["thematic_area"], ", ".join(map(str, iscedf)) if isinstance(iscedf, list) else ""),
            _row(c, labels["mode"], a + "participationType", labels),
            _row(c, labels["learning_setting"], a + "learningSetting", labels)]
    return Section(labels["workload"], tuple(r for r in rows if r.value))


def _hours(duration: str, labels) -> str:
    from mcred.elm import italy

    if not duration:
        return ""
    try:
        return labels["hours_value"].format(hours=italy.decimal_text(italy.duration_to_hours(duration)))
    except italy.ItalianRuleError:
        return duration


def _assessment(c: _Claims, labels) -> Section:
    r = "credentialSubject.achievement.resultDescription[0]."
    what, kind = c.text(r + "name"), c.text(r + "assessmentType")
    rows = [Row(labels["assessment"], f"{what} ({kind})" if what and kind else what or kind),
            _row(c, labels["grade"], "credentialSubject.result[0].value", labels),
            _row(c, labels["grading_scheme"], r + "gradingScheme", labels),
            _row(c, labels["supervision"], "credentialSubject.achievement.supervisionType", labels)]
    return Section(labels["assessment_heading"], tuple(r for r in rows if r.value))


def _quality(c: _Claims, labels) -> Section:
    rows = []
    for item in c.get("credentialSubject.achievement.qualityAssurance") or ():
        if not isinstance(item, dict):
            continue
        text = "; ".join(str(item[k]) for k in ("title", "type") if item.get(k)) or str(item.get("note") or "")
        agent = item.get("accreditingAgent")
        rows.append(Row(labels["accreditation"], f"{text} ({labels['by']} {agent})" if agent else text))
    return Section(labels["quality"], tuple(r for r in rows if r.value))


def _disclosure(facts, labels) -> Section:
    if facts is None:
        return Section(labels["disclosure"], (Row(labels["disclosure"], labels["unreadable"]),))
    names = ", ".join(p.removeprefix("$.payload.") for p in facts.disclosed) or labels["none"]
    return Section(labels["disclosure"], (Row(labels["disclosed_claims"], names),
                                          Row(labels["withheld"], labels["withheld_value"].format(n=facts.withheld))))


def _other(c: _Claims, labels) -> Section:
    """The claims the sections above do not read (another type's, or what mcred does not place), path and value."""
    rows = []
    for path, value in claim_paths(c.claims):
        if path.split(".")[0].split("[")[0] in TECHNICAL or any(path == p or path.startswith(p + ".")
                                                                or path.startswith(p + "[") for p in _READ):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        rows.append(Row(path, text, labels["disclosed"] if c.is_disclosed(path) else None))
    return Section(labels["other"], tuple(rows))



def _outcomes(c: _Claims) -> tuple[Outcome, ...]:
    out = []
    for item in c.get("credentialSubject.achievement.learningOutcomes") or ():
        if isinstance(item, dict) and isinstance(item.get("title"), str):
            skills = tuple(str(s) for s in item.get("escoSkills") or () if isinstance(s, str))
            out.append(Outcome(item["title"], skills))
    return tuple(out)


def _date(text: str, lang: str) -> str:
    """A date claim (ISO 8601, as ELM writes it) in words, as the ELM page shows dates."""
    from mcred.dates import parse_datetime

    when = parse_datetime(text) if text else None
    return format_date(when, lang) if when else text


def _epoch(value: Any, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    try:
        return format_date(datetime.fromtimestamp(value, timezone.utc), lang)
    except (OverflowError, OSError, ValueError):
        return ""
