"""Key binding (RFC 9901 4.3, 7.3): the holder's KB-JWT, signed by the key the issuer put in ``cnf``.

It ties a presentation to one verifier (``aud``), one request (``nonce``) and one moment (``iat``), and,
through ``sd_hash``, to exactly the disclosures presented: dropping or adding one afterwards breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from .compact import SdJwt
from .disclosures import HASHES, _b64encode
from .errors import SdJwtError

#: alg -> the key type it needs; none, HMAC and RSA are refused
KB_ALGORITHMS = {"ES256": "P-256", "ES384": "P-384", "EdDSA": "Ed25519"}
#: how old a KB-JWT may be: it answers one request, made moments before
KB_MAX_AGE = timedelta(minutes=10)


def sd_hash(presented: str, alg: str = "sha-256") -> str:
    """base64url of the hash of the SD-JWT as presented up to and with its last ``~`` (RFC 9901 4.3.1)."""
    return _b64encode(HASHES[alg](presented.encode("ascii")).digest())


@dataclass(frozen=True)
class KeyBinding:
    nonce: Any
    aud: Any
    iat: datetime


def check_key_binding(sd: SdJwt, payload: dict, *, nonce: str | None, audience: str | None, now: datetime,
                      skew: timedelta) -> KeyBinding:
    """The KB-JWT's rules; SdJwtError naming the first broken. ``nonce``/``audience``: what the verifier asked
    for (None: not checked, the caller says so)."""
    from mcred.keys.jose import JoseSignatureError, verify_compact
    from mcred.keys.multikey import KeyDecodeError, key_type_name, public_key_from_jwk

    kb = sd.kb_jwt
    if kb is None:
        raise SdJwtError("SDJWT_KB_MISSING", "$")
    header, claims = kb.header, kb.payload
    if header.get("typ") != "kb+jwt":
        raise SdJwtError("SDJWT_KB_TYP", "$.kb_jwt.header.typ", typ=str(header.get("typ")))
    alg = header.get("alg")
    if alg not in KB_ALGORITHMS:
        raise SdJwtError("SDJWT_KB_ALG", "$.kb_jwt.header.alg", alg=str(alg))
    cnf = payload.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
    if jwk is None:
        raise SdJwtError("SDJWT_KB_NO_CNF", "$.payload.cnf")
    try:
        key = public_key_from_jwk(jwk)
    except KeyDecodeError as exc:
        raise SdJwtError("SDJWT_KB_KEY_INVALID", "$.payload.cnf.jwk", detail=str(exc)) from None
    if key_type_name(key) != KB_ALGORITHMS[alg]:
        raise SdJwtError("SDJWT_KB_SIGNATURE_INVALID", "$.kb_jwt.signature")
    try:
        verify_compact(kb.text, key, alg)
    except JoseSignatureError:
        raise SdJwtError("SDJWT_KB_SIGNATURE_INVALID", "$.kb_jwt.signature") from None
    alg_sd = payload.get("_sd_alg", "sha-256")
    if claims.get("sd_hash") != sd_hash(sd.presented, alg_sd if alg_sd in HASHES else "sha-256"):
        raise SdJwtError("SDJWT_KB_SD_HASH_MISMATCH", "$.kb_jwt.payload.sd_hash")
    if nonce is not None and claims.get("nonce") != nonce:
        raise SdJwtError("SDJWT_KB_NONCE_MISMATCH", "$.kb_jwt.payload.nonce", expected=nonce,
                         found=str(claims.get("nonce")))
    if audience is not None and claims.get("aud") != audience:
        raise SdJwtError("SDJWT_KB_AUD_MISMATCH", "$.kb_jwt.payload.aud", expected=audience,
                         found=str(claims.get("aud")))
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        raise SdJwtError("SDJWT_KB_IAT_STALE", "$.kb_jwt.payload.iat", when=str(iat), now=_stamp(now))
    when = datetime.fromtimestamp(iat, timezone.utc)
    if when > now + skew or when < now - KB_MAX_AGE - skew:
        raise SdJwtError("SDJWT_KB_IAT_STALE", "$.kb_jwt.payload.iat", when=_stamp(when), now=_stamp(now))
    return KeyBinding(claims.get("nonce"), claims.get("aud"), when)


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
