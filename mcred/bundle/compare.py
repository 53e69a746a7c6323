"""Comparing statements of the award (:class:`mcred.bundle.facts.AwardFacts`): normalised, then fact by fact.

Values are normalised so that two honest renditions compare equal: dates as YYYY-MM-DD, credits as the shortest
decimal ("3", "1.5"), whatever each format's reader wrote.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .facts import AwardFacts

#: the learner facts a rendition may state, in the order they are shown
LEARNER_KINDS = ("given_name", "family_name", "birth_date", "national_id")
#: the award's own facts, in the order they are compared and shown
AWARD_FIELDS = ("title", "credits_ects", "eqf_level", "awarded", "valid_until", "awarding_body",
                "learning_outcomes")


@dataclass(frozen=True)
class Difference:
    """One fact two statements of the award do not agree on: its name, and both values as text."""

    fact: str
    expected: str
    found: str


def credits(value: Any) -> str | None:
    """ECTS credits as the shortest decimal string: 2, 2.0 and "2" are all "2"; 1.50 is "1.5"."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    return text


def day(value: Any) -> str | None:
    """A date or date-time as YYYY-MM-DD (what every format can state), None for nothing."""
    return value[:10] if isinstance(value, str) and value else None


def learner_facts(**stated: str | None) -> tuple[tuple[str, str], ...]:
    """The sorted (kind, value) pairs of the learner facts that are stated (None: not stated, or withheld)."""
    return tuple(sorted((kind, value) for kind, value in stated.items() if value))


def to_json(facts: AwardFacts) -> dict:
    """The facts as the manifest writes them (JSON object, learner facts by kind)."""
    return {"learner": dict(facts.learner), "title": facts.title, "credits_ects": facts.credits_ects,
            "eqf_level": facts.eqf_level, "awarded": facts.awarded, "valid_until": facts.valid_until,
            "awarding_body": facts.awarding_body, "learning_outcomes": list(facts.learning_outcomes)}


def from_json(data: Any) -> AwardFacts:
    """The facts of a manifest's ``facts`` object; ValueError naming the field when it is not their shape."""
    if not isinstance(data, dict):
        raise ValueError("facts is not a JSON object")
    learner = data.get("learner")
    if not isinstance(learner, dict) or not all(k in LEARNER_KINDS and isinstance(v, str) for k, v in learner.items()):
        raise ValueError("facts.learner is not an object of " + ", ".join(LEARNER_KINDS) + " strings")
    for name in ("title", "awarding_body"):
        if not isinstance(data.get(name), str):
            raise ValueError(f"facts.{name} is not a string")
    for name in ("credits_ects", "awarded", "valid_until"):
        if data.get(name) is not None and not isinstance(data.get(name), str):
            raise ValueError(f"facts.{name} is not a string or null")
    level = data.get("eqf_level")
    if level is not None and (isinstance(level, bool) or not isinstance(level, int)):
        raise ValueError("facts.eqf_level is not an integer or null")
    outcomes = data.get("learning_outcomes")
    if not isinstance(outcomes, list) or not all(isinstance(o, str) for o in outcomes):
        raise ValueError("facts.learning_outcomes is not a list of strings")
    return AwardFacts(learner=learner_facts(**learner), title=data["title"], credits_ects=data.get("credits_ects"),
                      eqf_level=level, awarded=data.get("awarded"), valid_until=data.get("valid_until"),
                      awarding_body=data["awarding_body"], learning_outcomes=tuple(sorted(outcomes)))


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "; ".join(value) if value else "(none)"
    return str(value)


def differences(expected: AwardFacts, found: AwardFacts) -> list[Difference]:
    """What ``found`` states otherwise than ``expected``: each award fact, then each learner fact it states.

    A learner fact that ``found`` does not state is no difference: an SD-JWT VC's holder may withhold personal
    claims (docs/bundle.md, "Equivalence"). A learner fact it states must be the expected one, and one the
    expected facts lack is a difference (the renditions then name the learner in ways that cannot be compared).
    """
    out = [Difference(name, _shown(getattr(expected, name)), _shown(getattr(found, name)))
           for name in AWARD_FIELDS if getattr(expected, name) != getattr(found, name)]
    known = dict(expected.learner)
    for kind, value in found.learner:
        if known.get(kind) != value:
            out.append(Difference(f"learner.{kind}", known.get(kind) or "(none)", value))
    return out


def withheld(expected: AwardFacts, found: AwardFacts) -> list[str]:
    """The learner facts ``expected`` has and ``found`` does not state (withheld by a holder)."""
    stated = {kind for kind, _ in found.learner}
    return [kind for kind, _ in expected.learner if kind not in stated]


def merged_learner(all_facts: list[AwardFacts]) -> tuple[tuple[str, str], ...]:
    """Every learner fact any of the statements makes (they were checked to agree on the ones they share)."""
    merged: dict[str, str] = {}
    for facts in all_facts:
        for kind, value in facts.learner:
            merged.setdefault(kind, value)
    return tuple(sorted(merged.items()))


def normalised(facts: AwardFacts) -> AwardFacts:
    """The facts with credits as the shortest decimal and dates as days, as every reader's output is compared."""
    return dataclasses.replace(facts, credits_ects=credits(facts.credits_ects), awarded=day(facts.awarded),
                               valid_until=day(facts.valid_until))
