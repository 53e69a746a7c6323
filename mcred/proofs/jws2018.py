"""The detached JWS of an ``Ed25519Signature2018`` proof (legacy, verify only).

Ed25519Signature2018 (W3C CCG, as Digital Bazaar's jsonld-signatures made it) signs what
eddsa-rdfc-2022 signs, SHA-256(canonical proof options) || SHA-256(canonical document), with
URDNA2015 (the same algorithm as RDFC-1.0), but writes the signature as a detached JWS with an
unencoded payload (RFC 7797): ``jws`` = BASE64URL(header) + '..' + BASE64URL(signature), the
header ``{"alg":"EdDSA","b64":false,"crit":["b64"]}``. The signing input is then
ASCII(BASE64URL(header)) || '.' || the payload bytes (RFC 7797 section 3), which is all there is
to it: the header is read and checked here, the signature verified by the key (cryptography).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass

_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_MAX_HEADER = 1024


class JwsError(ValueError):
    """A ``jws`` that is not a detached EdDSA JWS with an unencoded payload; the message says what is wrong."""


@dataclass(frozen=True)
class DetachedJws:
    """A parsed detached JWS: its header as written (base64url text), and the signature bytes."""

    encoded_header: str
    signature: bytes

    def signing_input(self, payload: bytes) -> bytes:
        """RFC 7797 section 3: with b64 false, the payload is signed as it is, after the header and a dot."""
        return self.encoded_header.encode("ascii") + b"." + payload


def _b64url_decode(text: str) -> bytes:
    if not _B64URL.match(text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse(jws: object) -> DetachedJws:
    """Read a proof's ``jws``; JwsError when it is not a detached EdDSA JWS with an unencoded payload (the
    only form Ed25519Signature2018 writes)."""
    parts = jws.split(".") if isinstance(jws, str) else []
    if len(parts) != 3 or parts[1] != "" or not parts[0] or len(parts[0]) > _MAX_HEADER:
        raise JwsError("jws is not a detached JWS (header..signature)")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        signature = _b64url_decode(parts[2])
    except (ValueError, binascii.Error, RecursionError):
        raise JwsError("jws is not base64url-encoded JSON header and signature") from None
    if not isinstance(header, dict):
        raise JwsError("the JWS header is not a JSON object")
    if header.get("alg") != "EdDSA":
        raise JwsError(f"the JWS alg is {header.get('alg')!r}; Ed25519Signature2018 signs with 'EdDSA'")
    # RFC 7797 section 6: b64 false must be listed as critical, or a JWS library would sign something else
    if header.get("b64") is not False or header.get("crit") != ["b64"]:
        raise JwsError("the JWS header must say b64: false, crit: [\"b64\"] (an unencoded, detached payload)")
    return DetachedJws(parts[0], signature)

