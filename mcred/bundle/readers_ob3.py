"""The award's facts as an Open Badges 3.0 rendition states them, read from its signed graph.

Nothing here reads a JSON key: an eddsa-rdfc-2022 proof covers the RDF graph, not the JSON text, so a holder
can move or respell keys without breaking it (and a key no context defines is not signed at all). Every fact
is read by IRI from the graph :func:`mcred.verify.runner.verify_credential` built (``report.facts``), where
all the spellings of the same signed statement are one. The shape read is the one
:mod:`mcred.issue.ob3` writes (docs/issue.md, "Open Badges 3.0").
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from mcred.errors import InputError
from mcred.graph.facts import VC
from mcred.graph.nodes import GraphError, Literal, Node
from mcred.issue import ob3
from mcred.messages import register

from .facts import AwardFacts

OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
SCHEMA_ORG = "https://schema.org/"
OPEN_BADGE_CREDENTIAL = OB + "OpenBadgeCredential"
NAME = SCHEMA_ORG + "name"
#: identityType -> the AwardFacts learner kind (the full ``name`` and the e-mail are not award facts)
LEARNER_KINDS = {ob3.GIVEN_NAME: "given_name", ob3.FAMILY_NAME: "family_name", ob3.BIRTH_DATE: "birth_date",
                 ob3.NATIONAL_ID: "national_id"}
EQF_LEVEL_IRI = "http://data.europa.eu/snb/eqf/"

register({
    "OB3_FACT_MISSING": ("la credenziale Open Badges 3.0 non dichiara nel grafo firmato {fact}", None),
    "OB3_FACT_INVALID": ("la credenziale Open Badges 3.0 dichiara {fact} in una forma che mcred non legge: "
                         "{detail}", None),
})


def _missing(fact: str, file: str | None) -> InputError:
    return InputError(f"the Open Badges 3.0 credential states no {fact} in its signed graph", file=file,
                      code="OB3_FACT_MISSING", params={"fact": fact},
                      hint="only an Open Badges 3.0 credential issued by `mcred issue --format ob3` states "
                      "every fact of the award")


def _invalid(fact: str, detail: str, file: str | None) -> InputError:
    return InputError(f"the Open Badges 3.0 credential states {fact} as {detail}", file=file,
                      code="OB3_FACT_INVALID", params={"fact": fact, "detail": detail})


def _text(node: Node | None, iri: str) -> str | None:
    value = node.literal(iri) if node is not None else None
    return value.lexical if value is not None else None


def _credits(value: Literal | None, file: str | None) -> str | None:
    """``creditsAvailable`` (xsd:float: "2", or "1.5E0" in canonical form) as a decimal string: "2", "1.5"."""
    if value is None:
        return None
    try:
        number = Decimal(value.lexical)
    except InvalidOperation:
        raise _invalid("creditsAvailable", repr(value.lexical), file) from None
    if not number.is_finite() or number < 0:
        raise _invalid("creditsAvailable", repr(value.lexical), file)
    return format(number.normalize(), "f")


def _eqf_level(alignments: list[Node], file: str | None) -> int | None:
    """The level of the alignment of type ``ext:EQF``, read from its ``targetUrl`` (the EU vocabulary's IRI)."""
    levels = set()
    for alignment in alignments:
        if _text(alignment, OB + "targetType") != ob3.EQF_TYPE:
            continue
        url = _text(alignment, SCHEMA_ORG + "targetUrl") or ""
        code = url.removeprefix(EQF_LEVEL_IRI)
        if not url.startswith(EQF_LEVEL_IRI) or code not in {str(n) for n in range(1, 9)}:
            raise _invalid("the EQF level", f"targetUrl {url!r}, not {EQF_LEVEL_IRI}1 to 8", file)
        levels.add(int(code))
    if len(levels) > 1:
        raise _invalid("the EQF level", f"{len(levels)} different levels", file)
    return levels.pop() if levels else None


def _learner(subject: Node, file: str | None) -> tuple[tuple[str, str], ...]:
    """The learner's identifiers stated in clear (``hashed`` false); a hashed one states no value to compare."""
    found = set()
    for identity in subject.nodes(OB + "identifier"):
        kind = LEARNER_KINDS.get(_text(identity, OB + "identityType"))
        if kind is None:
            continue
        hashed = identity.literal(OB + "hashed")
        if hashed is None or hashed.lexical != "false":
            continue
        value = _text(identity, OB + "identityHash")
        if value is None:
            raise _missing(f"the value of the learner's {kind}", file)
        found.add((kind, value))
    return tuple(sorted(found))


def _date(value: Literal | Node | None, fact: str, file: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Literal) or len(value.lexical) < 10:
        raise _invalid(fact, "something other than a date", file)
    return value.lexical[:10]


def ob3_facts(report) -> AwardFacts:
    """The award's facts as the OB 3.0 credential of ``report`` (a :class:`mcred.report.VerificationReport`)
    states them in its signed graph; the report must show a proof that verified. InputError
    (``OB3_FACT_MISSING``, ``OB3_FACT_INVALID``, or a graph code such as ``MULTIPLE_VALUES``) when the graph
    cannot be read as one OB 3.0 award."""
    from mcred.report import Status

    file = report.file
    facts = report.facts
    if not any(check.check == "proof" and check.status == Status.PASSED for check in report.checks):
        # an unsigned or broken graph states nothing the issuer vouches for
        raise InputError("the credential's proof did not verify, so its graph states nothing signed", file=file,
                         code="OB3_FACT_MISSING", params={"fact": "a verified proof"},
                         hint="verify it with `mcred verify` to see why")
    if facts is None:
        raise InputError("the credential's signed graph could not be read, so it states no facts", file=file,
                         code="OB3_FACT_MISSING", params={"fact": "a readable graph"})
    try:
        return _read(facts, file)
    except GraphError as exc:
        raise InputError(exc.message, file=file, code=exc.code, params=exc.params) from exc


def _read(facts, file: str | None) -> AwardFacts:
    credential = facts.graph.credential  # the whole graph's credential node: every property it has
    if not credential.has_type(OPEN_BADGE_CREDENTIAL):
        raise _missing("the type OpenBadgeCredential", file)
    subject = facts.subject
    achievement = subject.node(OB + "achievement") if subject is not None else None
    if achievement is None:
        raise _missing("credentialSubject.achievement", file)
    title = _text(achievement, NAME)
    if title is None:
        raise _missing("the achievement's name", file)
    body = _text(facts.issuer_node, NAME)
    if body is None:
        raise _missing("the issuer's name", file)
    alignments = achievement.nodes(OB + "alignment")
    outcomes = [_text(a, SCHEMA_ORG + "targetName") for a in alignments
                if _text(a, OB + "targetType") == ob3.OUTCOME_TYPE]
    if None in outcomes:
        raise _missing("the title of a learning outcome (targetName)", file)
    return AwardFacts(
        learner=_learner(subject, file),
        title=title,
        credits_ects=_credits(achievement.literal(OB + "creditsAvailable"), file),
        eqf_level=_eqf_level(alignments, file),
        awarded=_date(credential.one(OB + "awardedDate"), "awardedDate", file),
        valid_until=_date(credential.one(VC + "validUntil"), "validUntil", file),
        awarding_body=body,
        learning_outcomes=tuple(sorted(outcomes)),
    )
