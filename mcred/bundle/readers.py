"""Readers of the award's facts (:class:`mcred.bundle.facts.AwardFacts`) from a verified rendition's *signed* data.

A JSON-LD rendition (edc, and the payload of a jades seal) is read from its signed graph, through
:attr:`mcred.graph.facts.CredentialFacts.tree` (a function of the graph alone: a holder who reorders keys,
renames blank nodes or spells a term as its IRI changes nothing here). An SD-JWT VC is read from
``report.facts.claims``: the signed payload with the disclosures whose digests it signs, nothing else.
Each reader raises :class:`UnreadableFacts` naming the fact it cannot find.
"""

from __future__ import annotations

from typing import Any

from mcred.elm.lint import as_list

from .compare import credits, day, learner_facts
from .facts import AwardFacts

ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"


class UnreadableFacts(ValueError):
    """A verified rendition does not state a fact the award needs (or states it in a shape mcred cannot read)."""


def _first(value: Any) -> Any:
    items = as_list(value)
    return items[0] if items else None


def _language_code(notation: Any) -> str | None:
    """``ITA`` -> ``it``: an ELM language concept's authority code, as the outcome file names the language."""
    from mcred.elm.vocab import _vocab

    codes = _vocab()["language"]["codes"]
    return next((code for code, authority in codes.items() if authority == notation), None)


def _text(value: Any, language: str | None, fact: str) -> str:
    """A language map's text in the credential's primary language (a plain string as it is)."""
    value = _first(value) if isinstance(value, list) else value
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value:
        if language in value:
            return value[language]
        if len(value) == 1:
            return next(iter(value.values()))
    raise UnreadableFacts(f"no {fact} in the credential's primary language ({language or 'unknown'})")


def edc_facts(report) -> AwardFacts:
    """The facts an ELM credential (mcred's edc rendition, or a jades seal's payload) states in its signed graph."""
    if report.facts is None or not hasattr(report.facts, "tree"):
        raise UnreadableFacts("the credential's signed graph could not be read")
    tree = report.facts.tree
    display = _first(tree.get("displayParameter")) or {}
    language = _language_code((_first(display.get("primaryLanguage")) or {}).get("notation"))
    subject = _first(tree.get("credentialSubject")) or {}
    claim = _first(subject.get("hasClaim"))
    if not isinstance(claim, dict):
        raise UnreadableFacts("the credential has no achievement (credentialSubject.hasClaim)")
    spec = _first(claim.get("specifiedBy")) or {}
    awarding = _first(claim.get("awardedBy")) or {}
    body = _first(awarding.get("awardingBody")) or {}
    national = _first(subject.get("nationalID")) or {}
    ects = [c for c in as_list(spec.get("creditPoint"))
            if isinstance(c, dict) and (_first(c.get("framework")) or {}).get("id") == ECTS]
    level = (_first(spec.get("eqfLevel")) or {}).get("id")
    return AwardFacts(
        learner=learner_facts(given_name=_optional_text(subject.get("givenName"), language),
                              family_name=_optional_text(subject.get("familyName"), language),
                              birth_date=day(_first(subject.get("dateOfBirth"))),
                              national_id=national.get("notation") if isinstance(national, dict) else None),
        title=_text(claim.get("title"), language, "achievement title"),
        credits_ects=credits(_first(ects[0].get("point"))) if ects else None,
        eqf_level=_level(level),
        awarded=day(_first(awarding.get("awardingDate"))),
        valid_until=day(_first(tree.get("expirationDate")) or _first(tree.get("validUntil"))),
        awarding_body=_text(body.get("legalName"), language, "awarding body legal name"),
        learning_outcomes=tuple(sorted(_text(o.get("title"), language, "learning outcome title")
                                       for o in as_list(spec.get("learningOutcome")) if isinstance(o, dict))),
    )


def _optional_text(value: Any, language: str | None) -> str | None:
    try:
        return _text(value, language, "name") if value is not None else None
    except UnreadableFacts:
        return None


def _level(value: Any) -> int | None:
    """``http://data.europa.eu/snb/eqf/5`` -> 5; a plain number as it is."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    tail = str(value).rsplit("/", 1)[-1]
    if not tail.isdigit():
        raise UnreadableFacts(f"the EQF level {value!r} is not a level mcred can read")
    return int(tail)


def sd_jwt_vc_facts(report) -> AwardFacts:
    """The facts an SD-JWT VC (``urn:eudi:micro_credential:1``, as :mod:`mcred.issue.sd_jwt_vc` maps them) states:
    its disclosed claims only; a withheld personal claim is simply not stated."""
    claims = getattr(report.facts, "claims", None)
    if not isinstance(claims, dict):
        raise UnreadableFacts("the SD-JWT VC's claims could not be read")
    subject = claims.get("credentialSubject") if isinstance(claims.get("credentialSubject"), dict) else {}
    achievement = subject.get("achievement")
    if not isinstance(achievement, dict):
        raise UnreadableFacts("the SD-JWT VC has no credentialSubject.achievement")
    body = achievement.get("awardingBody") if isinstance(achievement.get("awardingBody"), dict) else {}

    def string(value: Any, fact: str) -> str:
        if not isinstance(value, str):
            raise UnreadableFacts(f"the SD-JWT VC has no {fact} (a string)")
        return value

    def optional(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    outcomes = achievement.get("learningOutcomes")
    return AwardFacts(
        learner=learner_facts(given_name=optional(subject.get("given_name")),
                              family_name=optional(subject.get("family_name")),
                              birth_date=day(optional(subject.get("birthdate"))),
                              national_id=optional(subject.get("tax_id_code"))),
        title=string(achievement.get("name"), "credentialSubject.achievement.name"),
        credits_ects=credits(achievement.get("ECTS")),
        eqf_level=_level(achievement.get("eqfLevel")),
        awarded=day(optional(achievement.get("awardingDate"))),
        valid_until=day(optional(claims.get("validUntil"))),
        awarding_body=string(body.get("name"), "credentialSubject.achievement.awardingBody.name"),
        learning_outcomes=tuple(sorted(string(o.get("title") if isinstance(o, dict) else None,
                                              "learningOutcomes[].title")
                                       for o in (outcomes if isinstance(outcomes, list) else []))),
    )
