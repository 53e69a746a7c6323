"""``mcred lint``: the rules a micro-credential must meet, checked on any credential file.

For every credential: it is JSON-LD whose terms are all defined and whose IRIs
are absolute. For ELM credentials (``EuropeanDigitalCredential``) also: every
mandatory element of Annex I of the EU Council Recommendation on
micro-credentials (2022/C 243/02) is present, hours and credits agree at 25 hours
per CFU/ECTS (within the ±20 % the Italian rules allow), the EQF level is 1 to
8, durations and dates are ISO 8601, and an Italian codice fiscale is well
formed and agrees with the date of birth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from . import italy
from .errors import InputError, UnsafeJsonLdError
from .verify import parse_datetime

ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
_EQF = re.compile(r"^http://data\.europa\.eu/snb/eqf/([1-8])$")
_ITALY = "http://publications.europa.eu/resource/authority/country/ITA"


@dataclass(frozen=True)
class LintProblem:
    code: str
    path: str
    message: str
    severity: str = "error"  # or "warning"

    def to_dict(self) -> dict:
        return {"code": self.code, "path": self.path, "message": self.message, "severity": self.severity}


def as_list(value: Any) -> list:
    """A JSON-LD value as a list: a list as it is, one value in a list, nothing as an empty one."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _objects(document: Any):
    """Every JSON object in the document, outside ``@context``, in no particular order: the cheap walk."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            yield value
            if "@context" in value:
                stack.extend(item for key, item in value.items() if key != "@context")
            else:
                stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _nodes(document: Any):
    """(where, object) for every JSON object in the document, in document order.

    ``where`` is the chain of steps from the root, which :func:`_path` turns
    into a JSON path (for the objects that break a rule: building every path
    was most of this walk, when it was a fifth of issuing a credential).
    """
    stack: list[tuple[Any, Any]] = [(document, None)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            yield where, value
            children = [(item, (where, key)) for key, item in value.items()
                        if key != "@context" and isinstance(item, (dict, list))]
        elif isinstance(value, list):
            children = [(item, (where, index)) for index, item in enumerate(value) if isinstance(item, (dict, list))]
        else:
            continue
        stack.extend(reversed(children))


def _path(where: Any) -> str:
    """The JSON path of a chain of steps from :func:`_nodes`: ``$.a.b[0]``."""
    steps = []
    while where is not None:
        where, step = where
        steps.append(f"[{step}]" if isinstance(step, int) else f".{step}")
    return "$" + "".join(reversed(steps))


def _types(node: dict) -> list:
    return as_list(node.get("type"))


def lint_credential(document: Any, *, jsonld: bool = True) -> list[LintProblem]:
    """Every problem found, errors and warnings; an empty list means the credential is clean.

    ``jsonld=False`` skips the JSON-LD checks (bundled contexts, expansion), for
    callers that sign next (signing runs the same checks, with the same errors).
    """
    if not isinstance(document, dict):
        return [LintProblem("JSON_NOT_OBJECT", "$", "a credential must be a JSON object")]
    from ._jsonld import check_contexts, expand_safely

    try:
        if jsonld:
            check_contexts(document)
            expand_safely(document)
    except UnsafeJsonLdError as exc:
        return [LintProblem(code, path, detail) for code, path, detail, _ in exc.problems]
    except InputError as exc:
        return [LintProblem(exc.code, exc.path or "$", exc.message)]
    if "EuropeanDigitalCredential" not in _types(document):
        return []
    problems = _annex_one(document)
    # most credentials break no rule, so first a cheap walk finds the objects that do, and only
    # when there are some does the walk that knows paths and document order run
    breaking = {id(node) for node in _objects(document) if not _RULE_KEYS.isdisjoint(node) and _node_rules("", node)}
    if breaking:
        for where, node in _nodes(document):
            if id(node) in breaking:
                problems += _node_rules(_path(where), node)
    return problems


# Annex I mandatory elements: (code, description, test over the credential)
def _annex_one(doc: dict) -> list[LintProblem]:
    subject = doc.get("credentialSubject") if isinstance(doc.get("credentialSubject"), dict) else {}
    claims = [c for c in as_list(subject.get("hasClaim")) if isinstance(c, dict)]
    claim = claims[0] if claims else {}
    spec = claim.get("specifiedBy") if isinstance(claim.get("specifiedBy"), dict) else {}
    awarding = claim.get("awardedBy") if isinstance(claim.get("awardedBy"), dict) else {}
    bodies = [b for b in as_list(awarding.get("awardingBody")) if isinstance(b, dict)]
    assessments = [a for a in as_list(claim.get("provenBy")) if isinstance(a, dict)]

    def has_country(org: dict) -> bool:
        return any(isinstance(addr, dict) and addr.get("countryCode")
                   for loc in as_list(org.get("location")) if isinstance(loc, dict)
                   for addr in as_list(loc.get("address")))

    checks = [
        ("ANNEX_LEARNER", "$.credentialSubject", "identification of the learner (a name and an identifier)",
         bool(subject.get("fullName") or (subject.get("givenName") and subject.get("familyName")))
         and bool(subject.get("id") or subject.get("nationalID") or subject.get("identifier"))),
        ("ANNEX_TITLE", "$.credentialSubject.hasClaim[0].title", "title of the micro-credential",
         bool(claim.get("title"))),
        ("ANNEX_COUNTRY", "$.issuer.location", "country of the issuer",
         has_country(doc.get("issuer") if isinstance(doc.get("issuer"), dict) else {})
         or any(has_country(b) for b in bodies)),
        ("ANNEX_AWARDING_BODY", "$.credentialSubject.hasClaim[0].awardedBy.awardingBody", "awarding body",
         bool(bodies)),
        ("ANNEX_DATE", "$.issued", "date of issuing", bool(doc.get("issued") or doc.get("issuanceDate"))),
        ("ANNEX_OUTCOMES", "$.credentialSubject.hasClaim[0].specifiedBy.learningOutcome", "learning outcomes",
         bool(as_list(spec.get("learningOutcome")))),
        ("ANNEX_WORKLOAD", "$.credentialSubject.hasClaim[0].specifiedBy.creditPoint",
         "notional workload (credits or volume of learning)",
         bool(spec.get("creditPoint") or spec.get("volumeOfLearning"))),
        ("ANNEX_ASSESSMENT", "$.credentialSubject.hasClaim[0].provenBy", "type of assessment",
         any(isinstance(a.get("specifiedBy"), dict) and a["specifiedBy"].get("dcType") for a in assessments)),
        ("ANNEX_PARTICIPATION", "$.credentialSubject.hasClaim[0].specifiedBy.mode",
         "form of participation (mode of learning)", bool(spec.get("mode"))),
        ("ANNEX_QUALITY_ASSURANCE", "$.credentialSubject.hasClaim[0].specifiedBy.accreditation",
         "type of quality assurance (an accreditation, or a note)",
         bool(spec.get("accreditation") or any(b.get("accreditation") for b in bodies)
              or spec.get("additionalNote"))),
    ]
    problems = [LintProblem(code, path, f"Annex I element missing: {what}")
                for code, path, what, present in checks if not present]
    if claim and not spec.get("eqfLevel"):
        problems.append(LintProblem("ANNEX_LEVEL", "$.credentialSubject.hasClaim[0].specifiedBy.eqfLevel",
                                    "no EQF level (Annex I asks for it where applicable)", "warning"))
    return problems


_DATE_KEYS = ("issued", "issuanceDate", "validFrom", "validUntil", "expirationDate", "dateOfBirth", "awardingDate",
              "dateIssued")
#: every key a rule of _node_rules reads: an object with none of them has nothing to check
_RULE_KEYS = frozenset({*_DATE_KEYS, "eqfLevel", "volumeOfLearning", "creditPoint", "nationalID"})


def _node_rules(path: str, node: dict) -> list[LintProblem]:
    problems: list[LintProblem] = []
    for name in _DATE_KEYS:
        if name in node and parse_datetime(node[name]) is None:
            problems.append(LintProblem("DATE_INVALID", f"{path}.{name}",
                                        f"{node[name]!r} is not an ISO 8601 date-time"))
    if "eqfLevel" in node:
        level = node["eqfLevel"]
        level_id = level.get("id") if isinstance(level, dict) else level
        if not (isinstance(level_id, str) and _EQF.match(level_id)):
            problems.append(LintProblem("EQF_LEVEL_INVALID", f"{path}.eqfLevel",
                                        f"{level_id!r} is not an EQF level 1 to 8"))
    hours = None
    if "volumeOfLearning" in node:
        try:
            hours = italy.duration_to_hours(node["volumeOfLearning"])
        except italy.ItalianRuleError as exc:
            problems.append(LintProblem("DURATION_INVALID", f"{path}.volumeOfLearning", str(exc)))
    cfu = ects_points(node)
    if isinstance(cfu, str):
        problems.append(LintProblem("CREDITS_INVALID", f"{path}.creditPoint", cfu))
    elif cfu is not None and hours is not None:
        try:
            italy.reconcile_workload(cfu=cfu, hours=hours)
        except italy.ItalianRuleError as exc:
            problems.append(LintProblem("CREDITS_HOURS_MISMATCH", f"{path}.volumeOfLearning", str(exc)))
    if "nationalID" in node and isinstance(node["nationalID"], dict):
        problems += _codice_fiscale(path, node)
    return problems


def ects_points(node: dict) -> Decimal | str | None:
    """The ECTS credit points of a specification; a message when they are not a positive number."""
    for credit in as_list(node.get("creditPoint")):
        if not isinstance(credit, dict):
            continue
        framework = credit.get("framework")
        if (framework.get("id") if isinstance(framework, dict) else framework) == ECTS:
            try:
                value = Decimal(str(credit.get("point")))
            except InvalidOperation:
                return f"credit point {credit.get('point')!r} is not a number"
            if not (value.is_finite() and value > 0):
                return f"credit point {credit.get('point')!r} is not positive"
            return value
    return None


def _codice_fiscale(path: str, person: dict) -> list[LintProblem]:
    national = person["nationalID"]
    spatial = national.get("spatial")
    if (spatial.get("id") if isinstance(spatial, dict) else spatial) != _ITALY:
        return []
    notation = national.get("notation")
    try:
        code = italy.check_codice_fiscale(notation if isinstance(notation, str) else "")
    except italy.ItalianRuleError as exc:
        return [LintProblem("CODICE_FISCALE_INVALID", f"{path}.nationalID.notation", f"{notation!r}: {exc}")]
    born = parse_datetime(person.get("dateOfBirth"))
    return [LintProblem("CODICE_FISCALE_MISMATCH", f"{path}.dateOfBirth", mismatch)
            for mismatch in italy.codice_fiscale_matches(code, date_of_birth=born.date() if born else None)]
