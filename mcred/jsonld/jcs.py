"""RFC 8785 JSON Canonicalization Scheme.

JCS is not ``orjson.dumps(value, option=OPT_SORT_KEYS)`` in general: JCS formats
numbers the ECMAScript way and sorts keys by UTF-16 code units. But for the JSON
that credentials are made of (strings, integers within ±2**53, booleans, null,
and keys without characters beyond U+FFFF) the two agree byte for byte:
compact separators, UTF-8, the same string escapes (``\\b \\t \\n \\f \\r``,
``\\u00xx`` in lower case for the other control characters, nothing else), and
for keys within U+FFFF code-point order is UTF-16 order. orjson is about eight
times faster than the standard library's C encoder and hundreds of times faster
than a pure-Python JCS, and for an ``eddsa-jcs-2022`` verify that was a quarter
of the time. So :func:`canonical_json` takes that fast path when the value
qualifies (checked exactly) and the ``rfc8785`` package otherwise; a
property-based test holds the two to the same output.
"""

from __future__ import annotations

import re

import orjson
import rfc8785

from mcred.errors import InputError

_SAFE_INTEGER = 2**53 - 1
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_ASTRAL_UTF8 = re.compile(rb"[\xf0-\xf4]")  # the lead byte of every 4-byte UTF-8 sequence
#: sorted keys, and integers beyond ±2**53 refused (JCS cannot represent them exactly)
_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER


def canonical_json(value, *, plain: bool | None = None) -> bytes:
    """The JCS bytes of a JSON value; numbers JCS cannot represent are refused.

    ``plain=True`` says every number in the value is already known to be an
    integer within ±2**53 (the verifier's first walk found it so); None means:
    find out.
    """
    if plain if plain is not None else _plain_numbers(value):
        try:
            text = orjson.dumps(value, option=_OPTIONS)
        except TypeError:  # a lone surrogate, a big integer, nesting orjson refuses: let rfc8785 decide
            text = None
        # a character beyond U+FFFF sorts differently in a key (UTF-16); in a value it changes nothing
        if text is not None and (text.isascii() or not _ASTRAL_UTF8.search(text) or not _astral_key(value)):
            return text
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise InputError(
            f"the document cannot be canonicalised with JCS: {exc}",
            code="JCS_UNREPRESENTABLE",
            hint="JCS (I-JSON) allows integers up to 2**53 and finite numbers only",
        ) from None


def _plain_numbers(value) -> bool:
    """True when every number in the value is an integer within ±2**53, and nothing but JSON is there."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) or item is None or isinstance(item, bool):
            continue
        if isinstance(item, int):
            if -_SAFE_INTEGER <= item <= _SAFE_INTEGER:
                continue
            return False
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:  # floats (ECMAScript number formatting) and anything else
            return False
    return True


def _astral_key(value) -> bool:
    """True when some key in the value has a character beyond U+FFFF."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if any(_ASTRAL.search(key) for key in item if isinstance(key, str) and not key.isascii()):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
