"""Controlled vocabularies: the short keys of outcome files -> European concept URIs.

Read from ``vocab/elm-vocab.json`` inside the package (see its PROVENANCE.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Concept:
    """A SKOS concept as ELM embeds it: id, scheme and an English label (when known)."""

    id: str
    scheme: str
    label: str | None = None
    notation: str | None = None


class UnknownKey(ValueError):
    """A vocabulary key mcred does not know; the message lists the ones it does."""


@lru_cache(maxsize=1)
def _vocab() -> dict:
    return json.loads((resources.files("mcred") / "vocab" / "elm-vocab.json").read_text(encoding="utf-8"))


def keys(kind: str) -> list[str]:
    """The keys an outcome file may use for a vocabulary (e.g. ``mode``: online, onsite, ...)."""
    return list(_vocab()[kind]["concepts"])


def concept(kind: str, key: str) -> Concept:
    """The concept for a key of a listed vocabulary; UnknownKey names the known keys."""
    entry = _vocab()[kind]
    found = entry["concepts"].get(key)
    if found is None:
        raise UnknownKey(f"unknown {kind.replace('_', ' ')} {key!r}; known: {', '.join(entry['concepts'])}")
    return Concept(found["id"], entry["scheme"], found["label"])


def eqf_level(level: int) -> Concept:
    entry = _vocab()["eqf"]
    if not (isinstance(level, int) and 1 <= level <= 8):
        raise UnknownKey(f"EQF level {level!r} is not 1 to 8")
    return Concept(entry["pattern"].format(level=level), entry["scheme"], f"Level {level}")


def isced_f(code: str) -> Concept:
    entry = _vocab()["isced_f"]
    if not re.fullmatch(r"\d{2,4}", code):
        raise UnknownKey(f"ISCED-F code {code!r} is not 2 to 4 digits")
    return Concept(entry["pattern"].format(code=code), entry["scheme"], entry["labels"].get(code))


def country(code: str) -> Concept:
    entry = _vocab()["country"]
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise UnknownKey(f"country {code!r} is not an ISO 3166-1 alpha-3 code (e.g. ITA)")
    return Concept(entry["pattern"].format(code=code), entry["scheme"], entry["labels"].get(code), code)


def language(code: str) -> Concept:
    """A language by its ISO 639-1 code (``it``), as the EU authority table's concept (``ITA``)."""
    entry = _vocab()["language"]
    authority = entry["codes"].get(code)
    if authority is None:
        raise UnknownKey(f"language {code!r} is not one mcred knows; known: {', '.join(entry['codes'])}")
    return Concept(entry["pattern"].format(code=authority), entry["scheme"], entry["labels"][authority],
                   authority)


def esco_skill(uri: str) -> Concept:
    entry = _vocab()["esco_skill"]
    return Concept(uri, entry["scheme"], entry["labels"].get(uri.rsplit("/", 1)[-1]))
