"""Explicit size limits, checked before any JSON-LD processing.

JSON-LD processing in pyld has costs that grow faster than the input: when it
builds the node map it compares every new value of a property with every
value already there, so one property with n distinct values costs about n²/2
comparisons (40,000 strings in one array take minutes). A verifier must answer
quickly whatever it is given, so mcred refuses such input up front, with a
limit that is cheap to compute and documented in the README:

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


def check_limits(document: Any) -> None:
    """Raise LimitExceeded if the parsed document is over a limit (iteratively: no recursion)."""
    values = 0
    weight: Counter = Counter()
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        item, depth = stack.pop()
        values += 1
        if depth > MAX_DEPTH:
            raise LimitExceeded("JSON_TOO_DEEP", f"JSON nested more than {MAX_DEPTH} levels deep")
        if values > MAX_VALUES:
            raise LimitExceeded("JSON_TOO_COMPLEX", f"more than {MAX_VALUES} JSON values")
        if isinstance(item, dict):
            node = item.get("id", item.get("@id"))
            group = node if isinstance(node, str) else id(item)
            for key, value in item.items():
                if isinstance(value, list):
                    # the property's values; the array itself is counted here, not again below
                    weight[(group, key)] += len(value)
                    values += 1
                    stack.extend((child, depth + 2) for child in value)
                else:
                    weight[(group, key)] += 1
                    stack.append((value, depth + 1))
        elif isinstance(item, list):  # an array in an array, or the document itself
            weight[id(item)] += len(item)
            stack.extend((child, depth + 1) for child in item)
    total = sum(count * count for count in weight.values())
    if total > MAX_QUADRATIC_WEIGHT:
        raise LimitExceeded(
            "JSON_TOO_COMPLEX",
            f"too many values under one property (weight {total} over the limit "
            f"{MAX_QUADRATIC_WEIGHT}): JSON-LD processing would take too long",
        )
