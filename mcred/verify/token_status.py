"""Reading a status from a local copy of an IETF Status List Token (draft-ietf-oauth-status-list -20).

A credential that uses a Token Status List points into it with
``"status": {"status_list": {"idx": 5678, "uri": "https://..."}}``; the list is a JWT
(``typ`` ``statuslist+jwt``) whose ``sub`` is that ``uri`` and whose ``status_list`` claim holds the
statuses (:mod:`mcred.status_tokens`: ZLIB, least-significant bits first, *not* the W3C Bitstring form).

mcred never fetches the list: the caller hands it a local copy and the keys allowed to have signed it.
:func:`read_status_token` checks, in this order, and raises :class:`TokenStatusError` with a ``TSL_*``
code at the first failure (draft section "Validation Rules"):

1. a compact JWS (``TSL_JWT_MALFORMED``) with ``typ`` ``statuslist+jwt`` (``TSL_TYP_INVALID``) and ``alg``
   ES256 (``TSL_ALG_UNSUPPORTED``; HAIP's baseline, and the only one mcred signs lists with);
2. the signature, by one of ``issuer_keys`` (``TSL_SIGNATURE_INVALID``), before any claim is believed;
3. ``sub`` equal to the ``uri`` the credential names (``TSL_SUB_MISMATCH``: a list signed by the right
   issuer for *another* set of credentials must not answer for this one); ``iat`` present;
4. ``exp`` not passed (``TSL_EXPIRED``), ``iat`` not in the future (``TSL_NOT_YET_VALID``), and the copy
   not older than its ``ttl`` (``TSL_STALE``: the issuer said to fetch a fresh copy by then; offline,
   mcred says so rather than answer from an old list, unless the caller allows it);
5. the ``status_list`` claim (``TSL_BITS_INVALID``, ``TSL_LST_INVALID``, ``TSL_LIST_TOO_LARGE``: the
   inflation is bounded, a zip bomb is refused) and the index in it (``TSL_INDEX_OUT_OF_RANGE``).

Which keys may sign is the caller's decision: for an SD-JWT VC, the key of the issuer's ``x5c`` leaf
after its chain has been checked (``mcred.seals.x509``); for a list mcred made, the issuer's own key.
The ``x5c`` of the list's header is read (:attr:`StatusListToken.header`) but not validated here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from mcred.errors import InputError
from mcred.keys.jose import JoseSignatureError, read_compact_unverified, verify_compact
from mcred.keys.multikey import EcPublicKey
from mcred.messages import register
from mcred.status_tokens import MAX_LIST_BYTES, StatusListFormatError, decode_status_list, get_status

TYP = "statuslist+jwt"
ALG = "ES256"

#: code -> (English message template, English hint or None); filled from the error's params
MESSAGES: dict[str, tuple[str, str | None]] = {
    "TSL_JWT_MALFORMED": ("the status list is not a compact JWT: {detail}",
                          "give the Status List Token as the issuer publishes it (header.payload.signature)"),
    "TSL_TYP_INVALID": ("the status list's header typ is {typ!r}, not 'statuslist+jwt'",
                        "this is not a Status List Token (a credential, or a W3C Bitstring list?)"),
    "TSL_ALG_UNSUPPORTED": ("the status list is signed with alg {alg!r}; mcred accepts ES256", None),
    "TSL_SIGNATURE_INVALID": ("the status list's signature does not verify with the issuer's key",
                              "the list was changed after it was signed, or signed by someone else: get the "
                              "issuer's own copy"),
    "TSL_CLAIMS_INVALID": ("the status list's claims are not valid: {detail}", None),
    "TSL_SUB_MISMATCH": ("the status list is {sub!r}, not the list the credential names ({uri!r})",
                         "give the list published at the credential's status uri"),
    "TSL_EXPIRED": ("the status list expired at {exp} (now {now})", "get a fresh copy of the list from {uri}"),
    "TSL_NOT_YET_VALID": ("the status list was issued at {iat}, after now ({now})",
                          "check the computer's clock, or the list's iat"),
    "TSL_STALE": ("the status list's copy is older than its ttl: issued {iat}, to be refreshed after {ttl} s "
                  "(now {now})", "get a fresh copy of the list from {uri}"),
    "TSL_BITS_INVALID": ("the status list's bits is not 1, 2, 4 or 8: {detail}", None),
    "TSL_LST_INVALID": ("the status list's lst cannot be read: {detail}", None),
    "TSL_LIST_TOO_LARGE": ("the status list is refused: {detail}",
                           "a list this large is not one mcred reads (it may be a zip bomb)"),
    "TSL_INDEX_OUT_OF_RANGE": ("index {index} is outside the status list ({size} entries)",
                               "the credential's status idx does not belong to this list"),
}

MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "TSL_JWT_MALFORMED": ("la lista di stato non è un JWT compatto: {detail}",
                          "indicate il Status List Token così come l'emittente lo pubblica "
                          "(intestazione.contenuto.firma)"),
    "TSL_TYP_INVALID": ("il typ dell'intestazione della lista di stato è {typ!r}, non 'statuslist+jwt'",
                        "non è un Status List Token (una credenziale, o una lista Bitstring W3C?)"),
    "TSL_ALG_UNSUPPORTED": ("la lista di stato è firmata con alg {alg!r}; mcred accetta ES256", None),
    "TSL_SIGNATURE_INVALID": ("la firma della lista di stato non si verifica con la chiave dell'emittente",
                              "la lista è stata modificata dopo la firma, o firmata da altri: procuratevi la "
                              "copia dell'emittente"),
    "TSL_CLAIMS_INVALID": ("i claim della lista di stato non sono validi: {detail}", None),
    "TSL_SUB_MISMATCH": ("la lista di stato è {sub!r}, non quella indicata dalla credenziale ({uri!r})",
                         "indicate la lista pubblicata all'uri di stato della credenziale"),
    "TSL_EXPIRED": ("la lista di stato è scaduta il {exp} (ora {now})",
                    "procuratevi una copia aggiornata della lista da {uri}"),
    "TSL_NOT_YET_VALID": ("la lista di stato è stata emessa il {iat}, dopo l'ora attuale ({now})",
                          "controllate l'orologio del computer, o l'iat della lista"),
    "TSL_STALE": ("la copia della lista di stato è più vecchia del suo ttl: emessa il {iat}, da aggiornare dopo "
                  "{ttl} s (ora {now})", "procuratevi una copia aggiornata della lista da {uri}"),
    "TSL_BITS_INVALID": ("il campo bits della lista di stato non è 1, 2, 4 o 8: {detail}", None),
    "TSL_LST_INVALID": ("il campo lst della lista di stato non si può leggere: {detail}", None),
    "TSL_LIST_TOO_LARGE": ("la lista di stato è rifiutata: {detail}",
                           "mcred non legge liste così grandi (potrebbe essere una zip bomb)"),
    "TSL_INDEX_OUT_OF_RANGE": ("l'indice {index} è fuori dalla lista di stato ({size} voci)",
                               "l'idx di stato della credenziale non appartiene a questa lista"),
}
register(MESSAGES_IT)


class TokenCopy(NamedTuple):
    """A local copy of a Status List Token given to ``mcred verify --status-list``, not yet verified.

    ``claimed_uri`` is its unverified ``sub``: it only picks the copy for a credential's ``uri``; the
    copy is then verified by :func:`read_status` with that credential's issuer key."""

    file: str
    text: str
    claimed_uri: str | None


def read_token_copy(path: str | Path) -> TokenCopy | None:
    """The Status List Token in ``path``, or None when the file is not one (told by its content, as
    ``mcred status`` does: a compact JWT whose header ``typ`` is ``statuslist+jwt``; a W3C list is JSON)."""
    try:
        text = Path(path).read_text(encoding="ascii").strip()
        header, payload = read_compact_unverified(text, max_payload=MAX_LIST_BYTES * 4 // 3 + 65_536)
    except (OSError, UnicodeError, JoseSignatureError):
        return None
    if header.get("typ") != TYP:
        return None
    try:
        sub = json.loads(payload).get("sub")
    except (ValueError, AttributeError):
        sub = None
    return TokenCopy(str(path), text, sub if isinstance(sub, str) else None)


class TokenStatusError(InputError):
    """A Status List Token that cannot be relied on; ``code`` is a ``TSL_*`` problem code, ``params`` its values."""

    def __init__(self, code: str, *, path: str | None = None, file: str | None = None, **params: Any) -> None:
        template, hint = MESSAGES[code]
        super().__init__(template.format(**params), hint=hint.format(**params) if hint else None, path=path,
                         file=file, code=code, params=params)


@dataclass
class StatusListToken:
    """A verified Status List Token: its header, claims, and the decoded statuses."""

    header: dict
    claims: dict
    bits: int
    data: bytes = field(repr=False)

    @property
    def uri(self) -> str:
        return self.claims["sub"]

    @property
    def size(self) -> int:
        """How many statuses the list holds."""
        return len(self.data) * 8 // self.bits

    def status(self, index: int) -> int:
        """The status at ``index`` (TokenStatusError TSL_INDEX_OUT_OF_RANGE outside the list)."""
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self.size:
            raise TokenStatusError("TSL_INDEX_OUT_OF_RANGE", path="$.status.status_list.idx", index=index,
                                   size=self.size)
        return get_status(self.data, index, self.bits)


def read_status(list_jwt: str, index: int, *, expected_uri: str, issuer_keys: Iterable[Any],
                now: datetime | None = None, allow_stale: bool = False, max_bytes: int = MAX_LIST_BYTES) -> int:
    """The status of ``index`` in a Status List Token: 0 VALID, 1 INVALID (revoked), 2 SUSPENDED, or an
    application-specific value. TokenStatusError (a ``TSL_*`` code) when the list cannot be relied on."""
    token = read_status_token(list_jwt, expected_uri=expected_uri, issuer_keys=issuer_keys, now=now,
                              allow_stale=allow_stale, max_bytes=max_bytes)
    return token.status(index)


def read_status_token(list_jwt: str, *, expected_uri: str, issuer_keys: Iterable[Any],
                      now: datetime | None = None, allow_stale: bool = False, check_times: bool = True,
                      max_bytes: int = MAX_LIST_BYTES) -> StatusListToken:
    """Verify a Status List Token (the checks of the module's docstring, in order) and decode its list.

    ``check_times=False`` skips ``exp``, ``iat`` and ``ttl`` against now: for the issuer re-signing its
    own list, never for a verdict."""
    text = list_jwt.strip() if isinstance(list_jwt, str) else ""
    # the payload may hold the whole list, compressed: allow what max_bytes of statuses can take, no more
    max_payload = max_bytes * 4 // 3 + 65_536
    try:
        header, payload = read_compact_unverified(text, max_payload=max_payload)
    except JoseSignatureError as exc:
        raise TokenStatusError("TSL_JWT_MALFORMED", detail=str(exc)) from None
    if header.get("typ") != TYP:
        raise TokenStatusError("TSL_TYP_INVALID", path="$header.typ", typ=header.get("typ"))
    if header.get("alg") != ALG:
        raise TokenStatusError("TSL_ALG_UNSUPPORTED", path="$header.alg", alg=header.get("alg"))
    _check_signature(text, issuer_keys, max_payload)
    claims = _claims(payload)
    if claims.get("sub") != expected_uri:
        raise TokenStatusError("TSL_SUB_MISMATCH", path="$.sub", sub=claims.get("sub"), uri=expected_uri)
    if check_times:
        _check_times(claims, now or datetime.now(UTC), expected_uri, allow_stale)
    try:
        bits, data = decode_status_list(claims.get("status_list"), max_bytes=max_bytes)
    except StatusListFormatError as exc:
        raise TokenStatusError(exc.code, path="$.status_list", detail=str(exc)) from None
    return StatusListToken(header, claims, bits, data)


def _check_signature(text: str, issuer_keys: Iterable[Any], max_payload: int) -> None:
    for key in issuer_keys:
        public = key if isinstance(key, EcPublicKey) else EcPublicKey(key)  # or a cryptography EC public key
        if public.curve != "P-256":
            continue
        try:
            verify_compact(text, public, ALG, max_payload=max_payload)
        except JoseSignatureError:
            continue
        return
    raise TokenStatusError("TSL_SIGNATURE_INVALID", path="$signature")


def _claims(payload: bytes) -> dict:
    try:
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenStatusError("TSL_CLAIMS_INVALID", path="$", detail=f"the payload is not JSON ({exc})") from None
    if not isinstance(claims, dict):
        raise TokenStatusError("TSL_CLAIMS_INVALID", path="$", detail="the payload is not a JSON object")
    for name, required in (("iat", True), ("exp", False), ("ttl", False)):
        value = claims.get(name)
        if value is None and not required:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or (name == "ttl" and value <= 0):
            what = "a positive number of seconds" if name == "ttl" else "a NumericDate (seconds since 1970)"
            raise TokenStatusError("TSL_CLAIMS_INVALID", path=f"$.{name}", detail=f"{name} is not {what}")
    return claims


def _check_times(claims: dict, now: datetime, uri: str, allow_stale: bool) -> None:
    seconds = now.timestamp()
    stamp = now.astimezone(UTC).isoformat(timespec="seconds")
    iat = _when(claims["iat"])
    if claims["iat"] > seconds:
        raise TokenStatusError("TSL_NOT_YET_VALID", path="$.iat", iat=iat, now=stamp)
    if claims.get("exp") is not None and seconds >= claims["exp"]:
        raise TokenStatusError("TSL_EXPIRED", path="$.exp", exp=_when(claims["exp"]), now=stamp, uri=uri)
    ttl = claims.get("ttl")
    if ttl is not None and not allow_stale and claims["iat"] + ttl < seconds:
        raise TokenStatusError("TSL_STALE", path="$.ttl", iat=iat, ttl=ttl, now=stamp, uri=uri)


def _when(seconds: float) -> str:
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return str(seconds)
