"""RFC 8785 JSON Canonicalization Scheme, through the ``rfc8785`` package.

Not ``json.dumps(sort_keys=True)`` and not orjson: JCS formats numbers the
ECMAScript way and sorts keys by UTF-16 code units, which those do not.
"""

from __future__ import annotations

import rfc8785

from .errors import InputError


def canonical_json(value) -> bytes:
    """The JCS bytes of a JSON value; numbers JCS cannot represent are refused."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise InputError(
            f"the document cannot be canonicalised with JCS: {exc}",
            code="JCS_UNREPRESENTABLE",
            hint="JCS (I-JSON) allows integers up to 2**53 and finite numbers only",
        ) from None
