"""Explicit size limits, checked before any JSON-LD processing.

JSON-LD processing in pyld has costs that grow faster than the input: when it
builds the node map it compares every new value of a property with every
value already there, so one property with n distinct values costs about n²/2
comparisons (40,000 strings in one array take minutes). A verifier must answer
quickly whatever it is given, so mcred refuses such input up front, with a
limit that is cheap to compute and documented in docs/formats.md ("Limits"):

* the input is at most ``MAX_INPUT_BYTES``;
* JSON is nested at most ``MAX_DEPTH`` levels;
* it holds at most ``MAX_VALUES`` JSON values in all;
* the "quadratic weight", the sum over every property of every node of the
  square of its number of values, is at most ``MAX_QUADRATIC_WEIGHT``. Values
  of objects that share an ``id`` count together, because JSON-LD merges them
  into one node.

Ordinary credentials are far below every limit (the ELM example: 9 levels,
about 600 values, weight about 700).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

MAX_INPUT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 20_000
MAX_QUADRATIC_WEIGHT = 500_000


class LimitExceeded(ValueError):
    """An input over one of the limits; ``code`` names which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Inspection:
    """What the one walk over a document found besides its size: read by later steps instead of walking again."""

    #: every value of an ``@context`` key, anywhere in the document
    contexts: tuple
    #: True when every number is an integer within ±2**53, so the JCS fast path applies: see mcred.jsonld.jcs
    plain_json: bool


_SAFE_INTEGER = 2**53 - 1


def check_limits(document: Any) -> Inspection:
    """Raise LimitExceeded if the parsed document is over a limit; else what the walk noticed.

    Iterative (hostile nesting cannot exhaust the stack) and a single pass, because
    it runs on every input before anything else; for an ``eddsa-jcs-2022``
    credential it is a third of the verification. So an object's values are
    looked at where they are found: strings, the commonest, need nothing more
    (their depth is their object's plus one), and only objects and arrays go
    through the stack. Every property weighs 1 unless it holds an array.
    """
    values = 1
    total = 0
    ids: list[str] = []          # the id of each object that has one, and the object
    identified: list[dict] = []  # (JSON-LD merges the objects that share an id into one node)
    contexts = []
    plain = True
    stack: list[tuple[Any, int]] = [(document, 1)]
    push = stack.append
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise LimitExceeded("JSON_TOO_DEEP", f"JSON nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            values += len(item)
            total += len(item)
            if "@context" in item:
                contexts.append(item["@context"])
            for value in item.values():
                kind = type(value)
                if kind is str:
                    continue
                if kind is list or isinstance(value, list):
                    # the property's values: the array itself was counted with the object
                    count = len(value)
                    values += count
                    total += count * count - 1
                    for child in value:
                        if type(child) is not str or depth + 2 > MAX_DEPTH:
                            push((child, depth + 2))
                elif kind is dict or isinstance(value, dict):
                    push((value, depth + 1))
                elif plain and not _plain_scalar(value):
                    plain = False
            node = item.get("id")
            if node is None:
                node = item.get("@id")
            if isinstance(node, str):
                ids.append(node)
                identified.append(item)
        elif isinstance(item, list):  # an array in an array, or the document itself
            values += len(item)
            total += len(item) * len(item)
            for child in item:
                if type(child) is not str or depth + 1 > MAX_DEPTH:
                    push((child, depth + 1))
        elif plain and not _plain_scalar(item):
            plain = False
        if values > MAX_VALUES:
            raise _too_many_values()
    if len(set(ids)) < len(ids):
        total += _merged_weight(ids, identified, total)
    if total > MAX_QUADRATIC_WEIGHT:
        raise LimitExceeded(
            "JSON_TOO_COMPLEX",
            f"too many values under one property (weight {total} over the limit "
            f"{MAX_QUADRATIC_WEIGHT}): JSON-LD processing would take too long",
        )
    return Inspection(tuple(contexts), plain)


def _plain_scalar(value: Any) -> bool:
    """A string, null, a boolean or an integer within ±2**53: what JCS writes as the fast path does."""
    kind = type(value)
    return kind is str or value is None or kind is bool or (kind is int and -_SAFE_INTEGER <= value <= _SAFE_INTEGER)


def _merged_weight(ids: list[str], objects: list[dict], total: int) -> int:
    """What merging the objects that share an id adds to ``total``, the weight counted object by object.

    Exact only when it could matter. Merging k objects gives a property the sum
    of their k counts, and (c1 + ... + ck)² <= k (c1² + ... + ck²), so merging
    at most multiplies the weight by the largest number of objects sharing an
    id. When even that stays within the limit (as for every real credential,
    whose repeated ids are references to one organisation or concept), the
    exact figure cannot change the answer and is not worked out.
    """
    largest = max(Counter(ids).values())
    if largest * total <= MAX_QUADRATIC_WEIGHT:
        return 0
    by_id: dict[str, list[dict]] = {}
    for node, item in zip(ids, objects, strict=True):
        by_id.setdefault(node, []).append(item)
    extra = 0
    for group in by_id.values():
        if len(group) > 1:
            merged: dict[str, int] = {}
            for item in group:
                for key, value in item.items():
                    count = len(value) if isinstance(value, list) else 1
                    merged[key] = merged.get(key, 0) + count
                    extra -= count * count
            extra += sum(count * count for count in merged.values())
    return extra


def _too_many_values() -> LimitExceeded:
    return LimitExceeded("JSON_TOO_COMPLEX", f"more than {MAX_VALUES} JSON values")
