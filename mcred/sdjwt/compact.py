"""The compact form of an SD-JWT (RFC 9901 4): ``<issuer-signed JWT>~<disclosure>~…~[<KB-JWT>]``.

Only splitting and decoding here; nothing is verified. The issuer-signed JWT and a KB-JWT are compact
JWS; the text before the KB-JWT (ending with ``~``) is what the KB-JWT's ``sd_hash`` covers.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass

from .errors import SdJwtError

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")  # an empty signature: alg none, refused by name
_SD_JWT = re.compile(rb"^\s*[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*~[A-Za-z0-9_.~-]*\s*$")


def is_sd_jwt(data: bytes) -> bool:
    """True when ``data`` looks like a compact SD-JWT (a JWS, then ``~``): how a file under another name is
    recognised."""
    return len(data) < 10_000_000 and _SD_JWT.match(data) is not None


def _unique_keys(pairs: list) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):  # two values for one name: which one the signer meant is not said
        seen: set = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise SdJwtError("SDJWT_MALFORMED", detail=f"a JSON object gives the key {twice!r} twice")
    return out


#: one decoder, made once (``json.loads`` with a hook builds a new one on every call)
_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys)


def decode_part(segment: str, what: str) -> dict:
    """A JWS header or payload: base64url JSON object (no key twice)."""
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        value = _DECODER.decode(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise SdJwtError("SDJWT_MALFORMED", detail=f"the {what} is not base64url JSON") from None
    if not isinstance(value, dict):
        raise SdJwtError("SDJWT_MALFORMED", detail=f"the {what} is not a JSON object")
    _within_limits(value, "SDJWT_MALFORMED", what)
    return value


def _within_limits(value: object, code: str, what: str) -> None:
    """mcred's nesting and size limits, as for every input: the claims are walked recursively afterwards."""
    from mcred.limits import LimitExceeded, check_limits

    try:
        check_limits(value)
    except LimitExceeded as exc:
        raise SdJwtError(code, detail=f"the {what}: {exc.message}") from None


@dataclass(frozen=True)
class CompactJws:
    text: str
    header: dict
    payload: dict


def parse_jws(text: str, what: str) -> CompactJws:
    if not _JWS.match(text):
        raise SdJwtError("SDJWT_MALFORMED", detail=f"the {what} is not a compact JWS (three base64url parts)")
    head, body, _ = text.split(".")
    return CompactJws(text, decode_part(head, f"{what}'s header"), decode_part(body, f"{what}'s payload"))


@dataclass(frozen=True)
class SdJwt:
    """An SD-JWT split into its parts."""

    issuer_jwt: CompactJws
    #: the disclosures as presented (base64url text), in order
    disclosures: list[str]
    #: the Key Binding JWT, when the last part is one
    kb_jwt: CompactJws | None
    #: everything before the KB-JWT, with the last ``~``: what ``sd_hash`` covers
    presented: str


def parse_sd_jwt(text: str) -> SdJwt:
    """Split and decode a compact SD-JWT; SdJwtError(SDJWT_MALFORMED) when it is not one."""
    text = text.strip()
    if "~" not in text:
        raise SdJwtError("SDJWT_MALFORMED", detail="an SD-JWT is a JWT followed by '~' and its disclosures")
    parts = text.split("~")
    *head, last = parts
    kb = parse_jws(last, "KB-JWT") if last else None
    if any(part == "" for part in head[1:]):
        raise SdJwtError("SDJWT_MALFORMED", detail="an empty disclosure ('~~')")
    presented = "~".join(head) + "~"
    return SdJwt(parse_jws(head[0], "issuer-signed JWT"), head[1:], kb, presented)
