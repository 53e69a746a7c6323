"""SD-JWT disclosures (RFC 9901 section 4.2): encoded, decoded, and their digests.

A disclosure is the base64url (no padding) of a JSON array: ``[salt, name, value]`` for an object
property, ``[salt, value]`` for an array element. Its digest is taken over the ASCII of that encoded
string, not over the JSON, so the bytes a holder presents are exactly the bytes the issuer hashed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

#: the IANA "Named Information Hash Algorithm" names SD-JWT uses in ``_sd_alg``
_HASHES = {"sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512"}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode_disclosure(salt: str, name: str | None, value: Any) -> str:
    """The disclosure of ``name: value`` (``name`` None for an array element), salted with ``salt``."""
    array = [salt, value] if name is None else [salt, name, value]
    return _b64url(json.dumps(array, ensure_ascii=False).encode("utf-8"))


def decode_disclosure(encoded: str) -> list:
    """The JSON array of a disclosure; ValueError when it is not base64url of a JSON array of 2 or 3 items."""
    try:
        data = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        array = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"a disclosure is not base64url JSON: {exc}") from None
    if not isinstance(array, list) or len(array) not in (2, 3):
        raise ValueError("a disclosure must be a JSON array of 2 or 3 items")
    return array


def disclosure_digest(encoded: str, alg: str = "sha-256") -> str:
    """base64url (no padding) of ``alg`` over the ASCII bytes of the encoded disclosure."""
    if alg not in _HASHES:
        raise ValueError(f"_sd_alg {alg!r} is not supported (sha-256, sha-384, sha-512)")
    return _b64url(hashlib.new(_HASHES[alg], encoded.encode("ascii")).digest())
