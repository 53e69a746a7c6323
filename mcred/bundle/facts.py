"""The award's canonical facts, as every rendition states them (compared across the renditions of a bundle)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AwardFacts:
    """The award's canonical facts, as one rendition states them in its signed data."""
    learner: tuple[tuple[str, str], ...]   # sorted (kind, value): ("given_name", "Giulia"), ("family_name", ...),
                                           # ("birth_date", "2001-04-12"), ("national_id", "RSSGLI01D52L219X") when stated
    title: str                             # in the outcome file's first language
    credits_ects: str | None               # a decimal string as written: "3", "1.5"
    eqf_level: int | None
    awarded: str | None                    # the award date, YYYY-MM-DD
    valid_until: str | None                # YYYY-MM-DD
    awarding_body: str                     # the awarding body's legal name
    learning_outcomes: tuple[str, ...]     # sorted titles
