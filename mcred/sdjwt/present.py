"""A holder's presentation of an SD-JWT VC (RFC 9901 4.3): chosen disclosures, and a KB-JWT for one verifier.

The holder names claims by their path in the credential (``given_name``, ``address.country``, an array
element ``nationalities[1]``); naming one keeps its disclosure, those it is nested in, and those nested in it
(disclosing an object discloses what is inside it). Claims the issuer did not make selectively disclosable
are always shown. The KB-JWT is signed by the holder key, which must be the credential's ``cnf`` key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .compact import parse_sd_jwt
from .errors import SdJwtError
from .keybinding import sd_hash
from .reveal import reveal

_ROOT = "$.payload."


@dataclass(frozen=True)
class Presentation:
    text: str
    #: the claim paths shown, and the count of disclosures left out
    shown: list[str]
    withheld: int


def disclosable_claims(text: str) -> list[str]:
    """The paths of the claims a holder may choose among (every disclosure of the credential)."""
    sd = parse_sd_jwt(text)
    return [p.removeprefix(_ROOT) for p in reveal(sd.issuer_jwt.payload, sd.disclosures).disclosed]


def make_presentation(text: str, disclose: list[str], holder_key: Any, *, nonce: str, audience: str,
                      now: datetime) -> Presentation:
    """The presentation of ``text`` (an SD-JWT as issued) showing the claims ``disclose`` names, with a KB-JWT
    signed by ``holder_key`` (an :class:`mcred.keys.ecdsa.EcSigningKey` or cryptography EC key).

    SdJwtError: ``SDJWT_CLAIM_UNKNOWN`` for a name no disclosure has, ``SDJWT_KB_NO_CNF`` when the credential
    names no holder key, ``SDJWT_KB_SIGNATURE_INVALID`` when ``holder_key`` is not it."""
    from mcred.keys.jose import sign_compact_ec, thumbprint

    sd = parse_sd_jwt(text)
    revealed = reveal(sd.issuer_jwt.payload, sd.disclosures)
    keep: set[int] = set()
    for name in disclose:
        wanted = _ROOT + name
        matched = [p for p in revealed.sources if p == wanted or p.startswith(wanted + ".")
                   or p.startswith(wanted + "[")]
        if not matched:
            if _plainly_there(revealed.claims, name):
                continue  # always shown: the issuer did not make it selectively disclosable
            raise SdJwtError("SDJWT_CLAIM_UNKNOWN", "$", name=name,
                             names=", ".join(p.removeprefix(_ROOT) for p in revealed.sources) or "-")
        for path in matched:
            index, parent = revealed.sources[path]
            keep.add(index)
            while parent is not None:  # the disclosures it is nested in: without them its digest is not signed
                keep.add(parent)
                parent = next(p for i, p in revealed.sources.values() if i == parent)
    cnf = sd.issuer_jwt.payload.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
    if not isinstance(jwk, dict):
        raise SdJwtError("SDJWT_KB_NO_CNF", "$.payload.cnf")
    if thumbprint(jwk) != thumbprint(_public_jwk(holder_key)):
        raise SdJwtError("SDJWT_KB_SIGNATURE_INVALID", "$.payload.cnf.jwk")
    chosen = [d for i, d in enumerate(sd.disclosures) if i in keep]
    presented = sd.issuer_jwt.text + "~" + "".join(d + "~" for d in chosen)
    claims = {"nonce": nonce, "aud": audience, "iat": int(now.timestamp()),
              "sd_hash": sd_hash(presented, sd.issuer_jwt.payload.get("_sd_alg", "sha-256"))}
    kb = sign_compact_ec({"typ": "kb+jwt"}, json.dumps(claims).encode("utf-8"), holder_key)
    shown = [p.removeprefix(_ROOT) for p, (i, _) in revealed.sources.items() if i in keep]
    return Presentation(presented + kb, shown, len(sd.disclosures) - len(chosen))


def _plainly_there(claims: dict, name: str) -> bool:
    node: Any = claims
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _public_jwk(holder_key: Any) -> dict:
    from mcred.keys.ecdsa import EcSigningKey
    from mcred.keys.jose import public_jwk
    from mcred.keys.multikey import EcPublicKey

    if isinstance(holder_key, EcSigningKey):
        return public_jwk(holder_key.public_key)
    if hasattr(holder_key, "public_key") and callable(holder_key.public_key):  # a cryptography private key
        return public_jwk(EcPublicKey(holder_key.public_key()))
    raise SdJwtError("SDJWT_KB_KEY_INVALID", "$", detail="the holder key is not a P-256 or P-384 key")
