"""Verifying a credential secured as a JWT: VC-JOSE-COSE (``application/vc+jwt``) and VC-JWT 1.1 (a ``vc`` claim).

The JWS itself is verified by :mod:`mcred.keys.jose` (joserfc, with an explicit list of one
algorithm; see docs/verify.md, "Credentials as JWTs"). Checks, in order, after ``json`` (the file
is a compact JWS):

1. ``jwt``       the header: ``alg`` one mcred verifies (EdDSA, ES256, ES384; ``none``, HMAC and RSA
                 refused by name), no ``crit`` it does not understand, ``typ``/``cty`` that say a
                 credential; the payload is a credential (VC 2.0: the payload itself; VC 1.1: its
                 ``vc`` claim, with ``iss``/``sub``/``jti``/``nbf``/``exp`` mapped onto it and checked
                 against what it states)
2. ``proof``     the signing key (:func:`resolve_key`: a ``did:key`` ``kid``, the user's DID or controller
                 documents, a header JWK only when the trust file lists it) and the signature
3. ``contexts``, ``jsonld``, ``issuer``, ``validity`` (also ``nbf``/``exp`` against ``--now``),
   ``status``: the credential checks of :mod:`mcred.verify.checks`, on the credential the JWT signs.

What is shown (issuer, dates, claims) comes from that signed payload, never from outside it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from mcred.messages import register
from mcred.report import CLOCK_SKEW, CheckResult, Status, VerificationReport, VerifyOptions

from .checks import CheckState

#: a compact JWS: three base64url segments (RFC 7515 7.1); the payload may be empty only when detached
_COMPACT = re.compile(rb"^\s*[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\s*$")
#: alg -> the key type it needs (RFC 7518 3.1, RFC 8037 3.1)
ALGORITHMS = {"EdDSA": "Ed25519", "Ed25519": "Ed25519", "ES256": "P-256", "ES384": "P-384"}
#: media types of a VC 2.0 credential secured with JOSE (VC-JOSE-COSE 3.1.1), with and without "application/"
_VC_TYP = {"vc+jwt", "application/vc+jwt"}
_VC_CTY = {"vc", "application/vc"}
#: what other typ values say: not a credential mcred reads as a JWT
_OTHER_TYP = {"vp+jwt": "a presentation", "application/vp+jwt": "a presentation",
              "vc+sd-jwt": "an SD-JWT credential", "dc+sd-jwt": "an SD-JWT credential",
              "statuslist+jwt": "a status list token"}

MESSAGES: dict[str, tuple[str, str | None]] = {
    "JWT_READ": ("the input is a JWT (a compact JWS)", None),
    "JWT_FORMAT_OK": ("a JWT ({form}), {alg}, key {kid}", None),
    "JWT_MALFORMED": ("not a readable JWT: {detail}", "a JWT is three base64url parts joined by dots"),
    "JWT_ALG_NONE": ("alg 'none': the JWT is not signed, so nothing in it can be believed",
                     "ask the issuer for a signed credential"),
    "JWT_ALG_REFUSED": ("alg {alg!r} is an HMAC: whoever can check it could have made it", None),
    "JWT_ALG_UNSUPPORTED": ("alg {alg!r} is not one mcred verifies (EdDSA, ES256, ES384)",
                            "RSA signatures (RS256, PS256) are out of mcred's scope: ask the issuer for an "
                            "EdDSA or ECDSA credential"),
    "JWT_CRIT_UNSUPPORTED": ("the header requires the verifier to understand {names}, which mcred does not: "
                             "it cannot be accepted (RFC 7515 4.1.11)", None),
    "JWT_TYP_INVALID": ("typ {typ!r} is not a credential's ({detail})",
                        "a VC 2.0 JWT has typ vc+jwt; a VC-JWT 1.1 typ JWT"),
    "JWT_CTY_INVALID": ("cty {cty!r} is not a credential's (vc)", None),
    "JWT_VC_CLAIM_FORBIDDEN": ("typ {typ!r} (VC 2.0) with a {claim!r} claim: a vc+jwt payload is the credential "
                               "itself, and must not carry one (VC-JOSE-COSE 3.1.1)", None),
    "JWT_NOT_CREDENTIAL": ("the JWT's payload is not a credential ({detail})",
                           "mcred verifies credentials: a vc+jwt, or a JWT with a vc claim"),
    "JWT_CLAIM_MISMATCH": ("the JWT claim {claim} is {claimed!r} but the credential's {property} is {stated!r}: "
                           "the JWT says two things at once", "ask the issuer for a corrected credential"),
    "JWT_DATE_INVALID": ("the JWT claim {claim} is {value!r}, not a NumericDate (seconds since 1970)", None),
    "JWT_EXPIRED": ("the JWT expired at {when} (exp; now {now})", None),
    "JWT_NOT_YET_VALID": ("the JWT is not valid before {when} (nbf; now {now})", None),
    "JWT_KID_MISSING": ("the header names no key (no kid, no jwk)", "a credential JWT names its key in kid"),
    "JWT_KEY_UNRESOLVABLE": ("the key {kid!r} cannot be found offline: {detail}",
                             "give its issuer's DID or controller document with --did-documents"),
    "JWT_KEY_INVALID": ("the key {kid!r} cannot be used: {detail}", None),
    "JWT_KEY_NOT_ASSERTION": ("{kid} is in {document} but not under assertionMethod: its controller did not "
                              "authorise it to issue credentials", None),
    "JWT_KEY_UNTRUSTED": ("the JWT carries its own key in the header (jwk), which your trust file does not list: "
                          "anyone can make a key", "if you trust it, add its did:key to the trust file "
                          "(mcred trust add)"),
    "JWT_ALG_KEY_MISMATCH": ("alg {alg} needs a {needs} key, but {kid} is {has}", None),
    "JWT_SIGNATURE_INVALID": ("the JWT's signature does not match: its header or payload changed after signing, "
                              "or another key signed", None),
    "JWT_SIGNATURE_OK": ("{alg} signature is valid, made by {signer}", None),
}

MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "JWT_FORMAT_OK": ("un JWT ({form}), {alg}, chiave {kid}", None),
    "JWT_MALFORMED": ("non è un JWT leggibile: {detail_it}", "un JWT è fatto di tre parti base64url unite da punti"),
    "JWT_ALG_NONE": ("alg 'none': il JWT non è firmato, quindi nulla di ciò che contiene è attendibile",
                     "chiedete all'emittente una credenziale firmata"),
    "JWT_ALG_REFUSED": ("alg {alg!r} è un HMAC: chi può verificarlo potrebbe anche averlo prodotto", None),
    "JWT_ALG_UNSUPPORTED": ("alg {alg!r} non è tra quelli che mcred verifica (EdDSA, ES256, ES384)",
                            "le firme RSA (RS256, PS256) sono fuori dall'ambito di mcred: chiedete all'emittente "
                            "una credenziale EdDSA o ECDSA"),
    "JWT_CRIT_UNSUPPORTED": ("l'intestazione richiede che il verificatore comprenda {names}, che mcred non conosce: "
                             "non può essere accettato (RFC 7515 4.1.11)", None),
    "JWT_TYP_INVALID": ("typ {typ!r} non è quello di una credenziale ({detail_it})",
                        "un JWT VC 2.0 ha typ vc+jwt; un VC-JWT 1.1 typ JWT"),
    "JWT_CTY_INVALID": ("cty {cty!r} non è quello di una credenziale (vc)", None),
    "JWT_VC_CLAIM_FORBIDDEN": ("typ {typ!r} (VC 2.0) con un claim {claim!r}: il contenuto di un vc+jwt è la "
                               "credenziale stessa, e non deve averne (VC-JOSE-COSE 3.1.1)", None),
    "JWT_NOT_CREDENTIAL": ("il contenuto del JWT non è una credenziale ({detail_it})",
                           "mcred verifica credenziali: un vc+jwt, o un JWT con un claim vc"),
    "JWT_CLAIM_MISMATCH": ("il claim {claim} del JWT è {claimed!r} ma la proprietà {property} della credenziale è "
                           "{stated!r}: il JWT dice due cose insieme",
                           "chiedete all'emittente una credenziale corretta"),
    "JWT_DATE_INVALID": ("il claim {claim} del JWT è {value!r}, non una NumericDate (secondi dal 1970)", None),
    "JWT_EXPIRED": ("il JWT è scaduto il {when} (exp; ora {now})", None),
    "JWT_NOT_YET_VALID": ("il JWT non è valido prima del {when} (nbf; ora {now})", None),
    "JWT_KID_MISSING": ("l'intestazione non indica alcuna chiave (né kid né jwk)",
                        "un JWT di una credenziale indica la sua chiave in kid"),
    "JWT_KEY_UNRESOLVABLE": ("la chiave {kid!r} non si trova offline: {detail_it}",
                             "fornite il documento DID o di controllo del suo emittente con --did-documents"),
    "JWT_KEY_INVALID": ("la chiave {kid!r} non si può usare: {detail_it}", None),
    "JWT_KEY_NOT_ASSERTION": ("{kid} è in {document} ma non sotto assertionMethod: il suo controllore non l'ha "
                              "autorizzata a emettere credenziali", None),
    "JWT_KEY_UNTRUSTED": ("il JWT porta la propria chiave nell'intestazione (jwk), che il vostro file di fiducia "
                          "non elenca: chiunque può creare una chiave",
                          "se vi fidate, aggiungete il suo did:key al file di fiducia (mcred trust add)"),
    "JWT_ALG_KEY_MISMATCH": ("alg {alg} richiede una chiave {needs}, ma {kid} è {has}", None),
    "JWT_SIGNATURE_INVALID": ("la firma del JWT non corrisponde: l'intestazione o il contenuto sono cambiati dopo "
                              "la firma, o ha firmato un'altra chiave", None),
    "JWT_SIGNATURE_OK": ("firma {alg} valida, apposta da {signer}", None),
    "JWT_READ": ("l'input è un JWT (una JWS compatta)", None),
}
register(MESSAGES_IT)


#: the fixed details of the messages, in Italian (a detail from a library, e.g. a key decoder's, stays English)
_DETAILS_IT = {
    "the header is not base64url": "l'intestazione non è base64url",
    "the payload is not base64url": "il contenuto non è base64url",
    "the header is not JSON": "l'intestazione non è JSON", "the payload is not JSON": "il contenuto non è JSON",
    "the header is not a JSON object": "l'intestazione non è un oggetto JSON",
    "the payload is not a JSON object": "il contenuto non è un oggetto JSON",
    "a JWT has three parts joined by dots, and a payload": "un JWT ha tre parti unite da punti, e un contenuto",
    "the header has no alg": "l'intestazione non ha alg",
    "not a string": "non è una stringa", "a presentation": "una presentazione",
    "an SD-JWT credential": "una credenziale SD-JWT", "a status list token": "un token di lista di stato",
    "a presentation (vp claim)": "una presentazione (claim vp)", "not vc+jwt, nor JWT": "né vc+jwt né JWT",
    "no @context, or no type VerifiableCredential, and no vc claim":
        "manca @context, o il tipo VerifiableCredential, e non c'è un claim vc",
    "the vc claim is not a credential": "il claim vc non è una credenziale",
    "not a did:key, and no document given for it": "non è un did:key, e non è stato fornito alcun documento",
    "no document given lists it": "nessuno dei documenti forniti la elenca",
    "not a JSON object": "non è un oggetto JSON",
    "the method has no publicKeyJwk or publicKeyMultibase": "il metodo non ha publicKeyJwk né publicKeyMultibase",
}


class JwtError(Exception):
    """A JWT problem with its code, the path it is at and the message's parameters."""

    def __init__(self, code: str, path: str = "$", **params: Any) -> None:
        if "detail" in params:
            params.setdefault("detail_it", _DETAILS_IT.get(params["detail"], params["detail"]))
        self.code, self.path, self.params = code, path, params
        super().__init__(code)

    def result(self, check: str) -> CheckResult:
        return _r(check, Status.FAILED, self.code, self.path, **self.params)


def _r(check: str, status: Status, code: str, path: str | None = None, **params: Any) -> CheckResult:
    template, hint = MESSAGES[code]
    return CheckResult(check, status, template.format(**params), code, path,
                       hint.format(**params) if hint else None, params)


# -- reading ------------------------------------------------------------------------------------


def is_compact_jws(data: bytes) -> bool:
    """True when ``data`` is a compact JWS (three base64url parts), not JSON: how a .jwt file, or a JWT
    saved under another name, is recognised."""
    return len(data) < 10_000_000 and _COMPACT.match(data) is not None


def _b64(segment: str, what: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise JwtError("JWT_MALFORMED", detail=f"the {what} is not base64url") from None


def _json_object(raw: bytes, what: str) -> dict:
    from mcred.limits import LimitExceeded, check_limits
    from mcred.seals.jades import DuplicateKey, no_duplicate_keys

    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicate_keys)
    except DuplicateKey as exc:
        raise JwtError("JWT_MALFORMED", detail=f"the {what} gives the key {exc.key!r} twice") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise JwtError("JWT_MALFORMED", detail=f"the {what} is not JSON") from None
    if not isinstance(value, dict):
        raise JwtError("JWT_MALFORMED", detail=f"the {what} is not a JSON object")
    try:
        check_limits(value)
    except LimitExceeded as exc:
        raise JwtError("JWT_MALFORMED", detail=f"the {what}: {exc.message}") from None
    return value


@dataclass
class ParsedJwt:
    """A compact JWS split and decoded (nothing verified yet)."""

    text: str
    header: dict
    payload: dict


def parse_jwt(text: str) -> ParsedJwt:
    """The header and payload of a compact JWS; JwtError(JWT_MALFORMED) when it is not one."""
    parts = text.strip().split(".")
    if len(parts) != 3 or not parts[1]:
        raise JwtError("JWT_MALFORMED", detail="a JWT has three parts joined by dots, and a payload")
    return ParsedJwt(text.strip(), _json_object(_b64(parts[0], "header"), "header"),
                     _json_object(_b64(parts[1], "payload"), "payload"))


def signed_credential(text: str) -> dict:
    """The credential a JWT signs, as a view shows it: its payload (``vc+jwt``), or VC-JWT 1.1's ``vc`` claim
    with ``iss``, ``jti`` and ``sub`` mapped into it. JwtError when the text is not a credential JWT."""
    jwt = parse_jwt(text)
    return credential_of(jwt.header, jwt.payload)[0]


# -- the header and the credential it signs -------------------------------------------------------


def check_header(header: dict) -> str:
    """The header's algorithm, when it is one mcred verifies and nothing critical is left unread."""
    alg = header.get("alg")
    if not isinstance(alg, str):
        raise JwtError("JWT_MALFORMED", "$.header.alg", detail="the header has no alg")
    if alg.lower() == "none":
        raise JwtError("JWT_ALG_NONE", "$.header.alg")
    if alg.upper().startswith("HS"):
        raise JwtError("JWT_ALG_REFUSED", "$.header.alg", alg=alg)
    if alg not in ALGORITHMS:  # RS256, PS256, ES512, ES256K, ...: refused by name
        raise JwtError("JWT_ALG_UNSUPPORTED", "$.header.alg", alg=alg)
    if "crit" in header:  # mcred understands no JWS extension (RFC 7515 4.1.11: then it must refuse)
        crit = header["crit"]
        names = ", ".join(map(str, crit)) if isinstance(crit, list) and crit else repr(crit)
        raise JwtError("JWT_CRIT_UNSUPPORTED", "$.header.crit", names=names)
    return alg


def credential_of(header: dict, payload: dict) -> tuple[dict, str]:
    """The credential a JWT signs and its form ("VC 2.0 vc+jwt" or "VC-JWT 1.1"), checking typ/cty.

    VC 2.0 (VC-JOSE-COSE): the payload is the credential; ``vc`` and ``vp`` must not appear;
    ``iss``, when present, is the issuer. VC 1.1 (VC Data Model 1.1, 6.3): the ``vc`` claim is the
    credential, and the registered claims stand for its properties (``iss`` the issuer, ``sub`` the
    subject's id, ``jti`` the id): what the credential leaves out is taken from them, and what it
    states must agree with them; ``nbf`` and ``exp`` (issuanceDate, expirationDate) are checked as dates.
    """
    typ, cty = header.get("typ"), header.get("cty")
    if typ is not None and not isinstance(typ, str):
        raise JwtError("JWT_TYP_INVALID", "$.header.typ", typ=str(typ), detail="not a string")
    if isinstance(typ, str) and typ.lower() in _OTHER_TYP:
        raise JwtError("JWT_TYP_INVALID", "$.header.typ", typ=typ, detail=_OTHER_TYP[typ.lower()])
    if "vp" in payload and "vc" not in payload:
        raise JwtError("JWT_NOT_CREDENTIAL", "$.payload.vp", detail="a presentation (vp claim)")
    if isinstance(typ, str) and typ.lower() in _VC_TYP:
        for claim in ("vc", "vp"):
            if claim in payload:
                raise JwtError("JWT_VC_CLAIM_FORBIDDEN", f"$.payload.{claim}", typ=typ, claim=claim)
        if cty is not None and (not isinstance(cty, str) or cty.lower() not in _VC_CTY):
            raise JwtError("JWT_CTY_INVALID", "$.header.cty", cty=str(cty))
        return _v2_credential(payload), "VC 2.0 vc+jwt"
    if typ is not None and typ.upper() not in ("JWT", "JOSE", "APPLICATION/JWT"):
        raise JwtError("JWT_TYP_INVALID", "$.header.typ", typ=typ, detail="not vc+jwt, nor JWT")
    if "vc" in payload:
        if cty is not None and (not isinstance(cty, str) or cty.lower() not in _VC_CTY | {"json"}):
            raise JwtError("JWT_CTY_INVALID", "$.header.cty", cty=str(cty))
        return _v1_credential(payload), "VC-JWT 1.1"
    return _v2_credential(payload), "VC 2.0 JWT"


def _types(document: dict) -> list:
    kinds = document.get("type")
    return kinds if isinstance(kinds, list) else [kinds]


#: RFC 7519 4.1's registered claims: the JWT's, not the credential's; mcred checks them itself (iss, jti and
#: sub against what the credential states, nbf and exp as dates), so they are not read as JSON-LD terms (a
#: VC 1.1 context, as Open Badges 3.0's VC-JWT uses, defines none of them)
_JWT_CLAIMS = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")


def _v2_credential(payload: dict) -> dict:
    if "@context" not in payload or "VerifiableCredential" not in _types(payload):
        raise JwtError("JWT_NOT_CREDENTIAL", "$.payload",
                       detail="no @context, or no type VerifiableCredential, and no vc claim")
    if "iss" in payload:
        _agree("iss", "issuer", _issuer_id(payload.get("issuer")), payload["iss"])
    if "jti" in payload and "id" in payload:
        _agree("jti", "id", payload["id"], payload["jti"])
    subject = payload.get("credentialSubject")
    if "sub" in payload and isinstance(subject, dict) and "id" in subject:
        _agree("sub", "credentialSubject.id", subject["id"], payload["sub"])
    return {name: value for name, value in payload.items() if name not in _JWT_CLAIMS}


def _v1_credential(payload: dict) -> dict:
    credential = payload["vc"]
    if not isinstance(credential, dict) or "VerifiableCredential" not in _types(credential):
        raise JwtError("JWT_NOT_CREDENTIAL", "$.payload.vc", detail="the vc claim is not a credential")
    credential = json.loads(json.dumps(credential))  # a copy: the mapping below writes into it
    if "iss" in payload:
        if "issuer" not in credential:
            credential["issuer"] = payload["iss"]
        _agree("iss", "issuer", _issuer_id(credential.get("issuer")), payload["iss"])
    if "jti" in payload:
        credential.setdefault("id", payload["jti"])
        _agree("jti", "id", credential.get("id"), payload["jti"])
    if "sub" in payload:
        subject = credential.get("credentialSubject")
        if isinstance(subject, dict):
            subject.setdefault("id", payload["sub"])
            _agree("sub", "credentialSubject.id", subject.get("id"), payload["sub"])
    # nbf and exp stand for issuanceDate and expirationDate: they are checked as the JWT's own dates
    # (the validity check), not copied, so that a date is never judged twice
    return credential


def _issuer_id(issuer: Any) -> Any:
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _agree(claim: str, name: str, stated: Any, claimed: Any) -> None:
    if stated != claimed:
        raise JwtError("JWT_CLAIM_MISMATCH", f"$.payload.{claim}", claim=claim, claimed=claimed,
                       property=name, stated=stated)


def numeric_date(payload: dict, claim: str) -> datetime:
    """A NumericDate claim (RFC 7519 2) as a UTC time; JwtError(JWT_DATE_INVALID) when it is not one."""
    value = payload[claim]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JwtError("JWT_DATE_INVALID", f"$.payload.{claim}", claim=claim, value=str(value)[:80])
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise JwtError("JWT_DATE_INVALID", f"$.payload.{claim}", claim=claim, value=str(value)[:80]) from None


# -- the key ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedKey:
    """The key that signs a JWT: its verification method, who controls it, the key, and where it came from."""

    verification_method: str
    controller: str
    public_key: Any  # mcred.keys.multikey.AnyPublicKey
    source: str


def resolve_key(kid: Any, issuer: str | None, options: VerifyOptions, *, header_jwk: Any = None) -> ResolvedKey:
    """The key a JWT names, found offline, or JwtError saying why not.

    In order: a ``did:key`` ``kid`` (the identifier is the key); the user's DID and controller
    documents (``options.documents``, :class:`mcred.keys.documents.Documents`), where
    the method is the ``kid`` (absolute, or a fragment of the issuer's document) or the key
    whose JWK thumbprint (RFC 7638) is the ``kid``, listed under ``assertionMethod``; last, a
    JWK in the header, only when the trust file lists it as a key of the issuer. Nothing is fetched.
    """
    from mcred.keys.did_key import ResolutionError, resolve_verification_method

    if isinstance(kid, str) and kid.startswith("did:key:"):
        try:
            method = resolve_verification_method(kid)
        except ResolutionError as exc:
            raise JwtError("JWT_KEY_INVALID", "$.header.kid", kid=kid, detail=str(exc)) from None
        return ResolvedKey(method.id, method.controller, method.public_key, "did:key")
    if isinstance(kid, str) and kid:
        found = _from_documents(kid, issuer, options.documents)
        if found is not None:
            return found
    if header_jwk is not None:
        return _from_header_jwk(header_jwk, issuer, options)
    if not isinstance(kid, str) or not kid:
        raise JwtError("JWT_KID_MISSING", "$.header")
    where = "not a did:key, and no document given for it" if not options.documents else \
        "no document given lists it"
    raise JwtError("JWT_KEY_UNRESOLVABLE", "$.header.kid", kid=kid, detail=where)


def _from_documents(kid: str, issuer: str | None, documents: Mapping | None) -> ResolvedKey | None:
    from mcred.keys.jose import thumbprint

    if not documents:
        return None
    absolute = ":" in kid.partition("#")[0]
    owner = kid.partition("#")[0] if absolute else issuer
    document = documents.get(owner) if owner else None
    if not isinstance(document, dict) or document.get("id") != owner:
        return None
    wanted = kid if absolute else f"{owner}#{kid.lstrip('#')}"
    methods = [m for m in _methods(document) if m.get("id") in (wanted, f"#{kid.lstrip('#')}")]
    if not methods and not absolute:  # a bare kid: RFC 7638 thumbprint of one of the document's JWKs
        methods = [m for m in _methods(document) if thumbprint(m.get("publicKeyJwk")) == kid]
    if not methods:
        return None
    method = methods[0]
    vm_id = method["id"] if ":" in method["id"].partition("#")[0] else owner + method["id"]
    if not _asserts(document, method["id"], vm_id):
        raise JwtError("JWT_KEY_NOT_ASSERTION", "$.header.kid", kid=vm_id, document=owner)
    # found: now the same checks as for a Data Integrity proof's method (listed, its controller the
    # document's id, a key type mcred reads), in the one place that makes them
    from mcred.keys.documents import KeyResolutionError, resolve

    try:
        resolved = resolve(vm_id, documents)
    except KeyResolutionError as exc:
        raise JwtError("JWT_KEY_INVALID", "$.header.kid", kid=vm_id, detail=exc.message) from None
    return ResolvedKey(resolved.id, resolved.controller, resolved.public_key, "document")


def _methods(document: dict) -> list[dict]:
    """Every verification method a document defines (in verificationMethod, or embedded in a relationship)."""
    found = []
    for name in ("verificationMethod", "assertionMethod", "authentication"):
        values = document.get(name)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                found.append(value)
    return found


def _asserts(document: dict, local: str, absolute: str) -> bool:
    values = document.get("assertionMethod")
    for value in values if isinstance(values, list) else [values]:
        ref = value.get("id") if isinstance(value, dict) else value
        if ref in (local, absolute) or (isinstance(ref, str) and ref.startswith("#")
                                        and document.get("id", "") + ref == absolute):
            return True
    return False


def _from_header_jwk(jwk: Any, issuer: str | None, options: VerifyOptions) -> ResolvedKey:
    """A key the JWT carries itself proves nothing about who signed, unless you listed it: the trust file."""
    from mcred.keys.multikey import KeyDecodeError, public_key_from_jwk

    if not isinstance(jwk, dict):
        raise JwtError("JWT_KEY_INVALID", "$.header.jwk", kid="jwk", detail="not a JSON object")
    try:
        key = public_key_from_jwk(jwk)
    except KeyDecodeError as exc:
        raise JwtError("JWT_KEY_INVALID", "$.header.jwk", kid="jwk", detail=str(exc)) from None
    from .trust import bound_by_trust

    if not bound_by_trust(issuer, key.verification_method, options.trust):
        raise JwtError("JWT_KEY_UNTRUSTED", "$.header.jwk")
    return ResolvedKey(key.verification_method, key.did, key, "header jwk, listed in the trust file")


def verify_signature(jwt: ParsedJwt, alg: str, key: ResolvedKey) -> None:
    """The JWS signature (RFC 7515 5.2, :mod:`mcred.keys.jose`), allowing only ``alg``, which must fit the key."""
    from mcred.keys.jose import JoseSignatureError, verify_compact
    from mcred.keys.multikey import key_type_name

    has = key_type_name(key.public_key)
    if ALGORITHMS[alg] != has:
        raise JwtError("JWT_ALG_KEY_MISMATCH", "$.header.alg", alg=alg, needs=ALGORITHMS[alg], has=has,
                       kid=key.verification_method)
    try:
        verify_compact(jwt.text, key.public_key, alg)
    except JoseSignatureError:
        raise JwtError("JWT_SIGNATURE_INVALID", "$.signature") from None


# -- the checks -------------------------------------------------------------------------------


def verify_jwt(text: str, report: VerificationReport, *, now: datetime, options: VerifyOptions,
               file: str | None) -> VerificationReport:
    """Append a JWT credential's checks to ``report`` (which has its ``json`` result): see the module docstring."""
    try:
        jwt = parse_jwt(text)
    except JwtError as exc:
        report.unusable = True
        report.checks.append(exc.result("json"))
        return report
    report.checks.append(_r("json", Status.PASSED, "JWT_READ"))
    try:
        alg = check_header(jwt.header)
        credential, form = credential_of(jwt.header, jwt.payload)
    except JwtError as exc:
        report.checks.append(exc.result("jwt"))
        report.unusable = exc.code == "JWT_MALFORMED"
        return report
    kid = jwt.header.get("kid")
    report.checks.append(_r("jwt", Status.PASSED, "JWT_FORMAT_OK", form=form, alg=alg,
                            kid=kid if isinstance(kid, str) else ("jwk" if "jwk" in jwt.header else "-")))
    state = CheckState(credential, file, now, options, report, inspection=None)
    from .checks import (
        contexts_check,
        issuer_check,
        jsonld_check,
        run_checks,
        status_check,
        validity_check,
        vcdm2_check,
    )

    # vcdm2: a vc+jwt payload is a VC 2.0 credential, and meets the data model's rules as any other does
    run_checks(state, (("contexts", contexts_check), ("jsonld", jsonld_check), ("vcdm2", vcdm2_check),
                       ("proof", lambda s: _proof_check(s, jwt, alg)), ("issuer", issuer_check),
                       ("validity", lambda s: [*validity_check(s), *_jwt_dates(jwt.payload, s.now)]),
                       ("status", status_check)))
    if options.expect_digest is not None:  # last, as for any credential: the bytes the signature covers
        from .digest import judge_digest, jwt_digest

        report.checks.extend(judge_digest(jwt_digest(jwt.text), credential.get("id"), options.expect_digest))
    return report


def _proof_check(state: CheckState, jwt: ParsedJwt, alg: str) -> list[CheckResult]:
    """The JWS signature, by the key :func:`resolve_key` finds; recorded as the credential's one proof."""
    from mcred.proofs.data_integrity import VerifiedProof

    issuer = _issuer_id(state.document.get("issuer"))
    try:
        key = resolve_key(jwt.header.get("kid"), issuer if isinstance(issuer, str) else None, state.options,
                          header_jwk=jwt.header.get("jwk"))
        verify_signature(jwt, alg, key)
    except JwtError as exc:
        return [exc.result("proof")]
    nbf = jwt.payload.get("nbf", jwt.payload.get("iat"))
    created = (datetime.fromtimestamp(nbf, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
               if isinstance(nbf, int | float) and not isinstance(nbf, bool) else None)
    state.report.proofs.append(VerifiedProof(0, f"JWT {alg}", key.verification_method, key.controller,
                                             key.public_key, created))
    signer = key.controller if key.verification_method == f"{key.controller}#{key.controller[8:]}" else \
        key.verification_method
    return [_r("proof", Status.PASSED, "JWT_SIGNATURE_OK", "$.signature", alg=alg, signer=signer)]


def _jwt_dates(payload: dict, now: datetime) -> list[CheckResult]:
    """``nbf`` and ``exp`` (RFC 7519 4.1.4-5) against now, with the clock skew every date gets."""
    results = []
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    for claim, code, late in (("nbf", "JWT_NOT_YET_VALID", False), ("exp", "JWT_EXPIRED", True)):
        if claim not in payload:
            continue
        try:
            when = numeric_date(payload, claim)
        except JwtError as exc:
            results.append(exc.result("validity"))
            continue
        if (late and now - CLOCK_SKEW > when) or (not late and now + CLOCK_SKEW < when):
            results.append(_r("validity", Status.FAILED, code, f"$.payload.{claim}",
                              when=when.strftime("%Y-%m-%dT%H:%M:%SZ"), now=stamp))
    return results
