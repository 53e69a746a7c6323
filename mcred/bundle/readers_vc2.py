"""The award's facts as an EUHEMC credential (``--format vc2``, ELM 3.2 on VC 2.0) states them.

Read from the report's graph facts only (``report.facts``): for such a credential the ``jsonld`` check read
that graph from the very JSON text the JCS proof covers (:func:`mcred.verify.euhemc.euhemc_expanded`,
departure D1), so every fact here is signed, and none comes from a JSON key read a second time. The
language of the title and outcomes is the credential's primary language (``displayParameter``), which
mcred's builder sets to the outcome file's first.
"""

from __future__ import annotations

from mcred.graph.facts import ELM, FOAF, NOTATION, VALIDITY, text
from mcred.graph.nodes import Literal, Node

from .facts import AwardFacts

DC = "http://purl.org/dc/terms/"
ROV = "http://www.w3.org/ns/regorg#"
TITLE = DC + "title"
#: ELM 3.2's nationalID (3.1 wrote elm:nationalID)
NATIONAL_ID = ELM + "nationalId"
#: the EU authority table's three-letter codes mcred writes, by the outcome file's two-letter ones
_LANGUAGES = {"ENG": "en", "ITA": "it", "FRA": "fr", "DEU": "de", "SPA": "es"}


class FactsUnavailable(ValueError):
    """The report holds no signed graph to read the award from (the credential failed before it was read)."""


def vc2_facts(report) -> AwardFacts:
    """The award's facts from an EUHEMC credential's report; FactsUnavailable when its proofs did not all verify
    (what is read would not be signed data) or it has no graph of an ELM achievement."""
    from mcred.report import Status

    proofs = [c for c in report.checks if c.check == "proof"]
    if not proofs or any(c.status != Status.PASSED for c in proofs):
        raise FactsUnavailable("the credential's proof did not verify: nothing it states is signed data")
    facts = report.facts
    if facts is None or facts.claim is None:
        raise FactsUnavailable("the report has no signed graph of an ELM achievement to read the award from")
    language = _primary_language(facts.node)
    claim, subject = facts.claim, facts.subject
    spec = claim.node(ELM + "specifiedBy")
    awarding = claim.node(ELM + "awardedBy")
    body = awarding.node(ELM + "awardingBody") if awarding is not None else None
    valid_until = next((text(facts.date(iri)) for name, iri, _ in VALIDITY if name == "validUntil"), None)
    return AwardFacts(
        learner=_learner(subject, language),
        title=_text(claim.values(TITLE), language) or "",
        credits_ects=_credits(spec),
        eqf_level=_eqf(spec),
        awarded=_day(text(awarding.one(ELM + "awardingDate"))) if awarding is not None else None,
        valid_until=_day(valid_until),
        awarding_body=_text(body.values(ROV + "legalName"), language) or "" if body is not None else "",
        learning_outcomes=tuple(sorted(_text(o.values(TITLE), language) or ""
                                       for o in (spec.nodes(ELM + "learningOutcome") if spec else []))))


def _primary_language(credential: Node) -> str | None:
    display = credential.node(ELM + "displayParameter")
    primary = display.node(ELM + "primaryLanguage") if display is not None else None
    code = text(primary.one(NOTATION)) if primary is not None else None
    return _LANGUAGES.get(code or "", (code or "").lower()[:2] or None)


def _text(values: list, language: str | None) -> str | None:
    """The literal in ``language``, else the one without a language (a language map's values are tagged)."""
    literals = [v for v in values if isinstance(v, Literal)]
    chosen = [v for v in literals if v.language == language] or [v for v in literals if v.language is None]
    return chosen[0].lexical if chosen else None


def _learner(subject: Node | None, language: str | None) -> tuple[tuple[str, str], ...]:
    if subject is None:
        return ()
    found = [("given_name", _text(subject.values(FOAF + "givenName"), language)),
             ("family_name", _text(subject.values(FOAF + "familyName"), language)),
             ("birth_date", _day(text(subject.one(ELM + "dateOfBirth"))))]
    national = subject.node(NATIONAL_ID)
    if national is not None:
        found.append(("national_id", text(national.one(NOTATION))))
    return tuple(sorted((kind, value) for kind, value in found if value))


def _credits(spec: Node | None) -> str | None:
    credit = spec.node(ELM + "creditPoint") if spec is not None else None
    return text(credit.one(ELM + "point")) if credit is not None else None


def _eqf(spec: Node | None) -> int | None:
    level = spec.node(ELM + "EQFLevel") if spec is not None else None
    notation = text(level.one(NOTATION)) if level is not None else None
    return int(notation) if notation and notation.isdigit() else None


def _day(value: str | None) -> str | None:
    return value[:10] if value else None
