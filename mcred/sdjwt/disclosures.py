"""Disclosures (RFC 9901 4.2): a salt, a claim name (none for an array element) and a value, as base64url JSON.

A disclosure's digest is the hash of its base64url text as it was sent (ASCII), not of a re-encoding:
the issuer signed that digest, so a verifier must hash the very bytes it received.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any, NamedTuple

from .errors import SdJwtError

#: ``_sd_alg`` values mcred hashes with (IANA "Named Information Hash Algorithm" names); HAIP and IT-Wallet
#: allow sha-256 only, so that is the only one accepted
HASHES = {"sha-256": hashlib.sha256}
#: names a disclosure may never give: they are the format's own (RFC 9901 4.2.1)
RESERVED = frozenset({"_sd", "..."})


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode_disclosure(salt: str, name: str | None, value: Any) -> str:
    """The disclosure of a claim ``name`` (an object property) or, with ``name`` None, of an array element."""
    array = [salt, value] if name is None else [salt, name, value]
    return _b64encode(json.dumps(array, ensure_ascii=False).encode("utf-8"))


def decode_disclosure(encoded: str) -> list:
    """The JSON array a disclosure holds: [salt, value] or [salt, name, value]; SdJwtError when it is not one."""
    try:
        if not isinstance(encoded, str) or "=" in encoded:
            raise ValueError
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        array = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise SdJwtError("SDJWT_DISCLOSURE_MALFORMED", detail="not base64url JSON") from None
    if not isinstance(array, list) or len(array) not in (2, 3) or not isinstance(array[0], str):
        raise SdJwtError("SDJWT_DISCLOSURE_MALFORMED", detail="not an array [salt, value] or [salt, name, value]")
    if len(array) == 3 and not isinstance(array[1], str):
        raise SdJwtError("SDJWT_DISCLOSURE_MALFORMED", detail="the claim name is not a string")
    if any(type(item) in (dict, list) for item in array):  # a salt, a name and a plain value are within them
        from mcred.limits import LimitExceeded, check_limits

        try:  # mcred's nesting and size limits, as for every input: the value is walked recursively afterwards
            check_limits(array)
        except LimitExceeded as exc:
            raise SdJwtError("SDJWT_DISCLOSURE_MALFORMED", detail=exc.message) from None
    return array


def disclosure_digest(encoded: str, alg: str = "sha-256") -> str:
    """base64url (no padding) of the hash of the disclosure's ASCII text, as ``_sd`` and ``...`` hold it."""
    if alg not in HASHES:
        raise SdJwtError("SDJWT_SD_ALG_UNSUPPORTED", "$.payload._sd_alg", alg=str(alg))
    return _b64encode(HASHES[alg](encoded.encode("ascii")).digest())


class Disclosure(NamedTuple):
    """One disclosure as presented: its text, what it says, and its digest (a tuple: made for every
    disclosure of every verification)."""

    encoded: str
    salt: str
    name: str | None
    value: Any
    digest: str


def read_disclosure(encoded: str, alg: str, index: int) -> Disclosure:
    """A presented disclosure decoded and hashed; SdJwtError naming its position when it cannot be read."""
    path = f"$.disclosures[{index}]"
    try:
        array = decode_disclosure(encoded)
    except SdJwtError as exc:
        raise SdJwtError(exc.code, path, **exc.params) from None
    name = array[1] if len(array) == 3 else None
    if name in RESERVED:
        raise SdJwtError("SDJWT_RESERVED_NAME", path, name=name)
    return Disclosure(encoded, array[0], name, array[-1], disclosure_digest(encoded, alg))
