"""Issuing an SD-JWT (RFC 9901) signed with ES256 by a key whose certificate chain goes in ``x5c``.

The caller gives the claims as plain JSON, with the selectively disclosable ones wrapped in
:class:`Disclosable`; everything else is always disclosed. Before anything is signed the certificate
chain is checked: its leaf must certify the signing key, be valid now, not be a CA, and allow
digital signatures, because a verifier refuses every one of these (HAIP, IT-Wallet x5c rules).
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from mcred.errors import InputError, SigningError
from mcred.messages import register
from mcred.seals.x509 import can_seal, is_ca, seal_usages_refused, valid_at

from .disclosures import disclosure_digest, encode_disclosure

#: the media type of an SD-JWT VC (SD-JWT VC draft section 3.2.1); ``vc+sd-jwt`` is the older name
TYP = "dc+sd-jwt"
SD_ALG = "sha-256"
#: RFC 9901 section 4.2.1: salts of at least 128 bits
_SALT_BYTES = 16

#: Italian of the codes issuing raises (mcred.verify.sdjwt has the verifier's)
MESSAGES_IT = {
    "SDJWT_CERT_UNREADABLE": ("il file dei certificati non è un PEM né un PKCS#12 leggibile: {detail}",
                              "date la catena in PEM (prima il certificato dell'emittente) o un file .p12"),
    "SDJWT_CERT_KEY_MISMATCH": ("nessun certificato della catena è per la chiave di firma",
                                "date il certificato di questa chiave, poi quelli delle sue CA"),
    "SDJWT_SIGNING_CERT_CA": ("il certificato della chiave è di una CA (basicConstraints CA:true)",
                              "firmate con la chiave di un certificato finale, non di una CA"),
    "SDJWT_SIGNING_CERT_USAGE": ("il certificato non consente firme digitali ({detail})",
                                 "chiedete un certificato con keyUsage digitalSignature"),
    "SDJWT_CERT_NOT_VALID": ("il certificato non è valido al momento dell'emissione ({detail})",
                             "rinnovate il certificato o controllate --issued"),
    "SDJWT_KEY_NOT_P256": ("la chiave di firma non è P-256 (ES256)",
                           "create una chiave con `mcred keygen --type p256`"),
}
register(MESSAGES_IT)


@dataclass(frozen=True)
class Disclosable:
    """A claim value the holder may withhold: issued as a disclosure, its digest in the payload."""

    value: Any


@dataclass(frozen=True)
class Issued:
    """An issued SD-JWT: the compact text ``<JWT>~<disclosure>~...~``, and its parts for a caller to show."""

    text: str
    header: dict
    payload: dict
    disclosures: list[str]


def load_certificate_chain(path: Path, passphrase: bytes | None = None) -> list[x509.Certificate]:
    """The certificates of a PEM file (one or more ``CERTIFICATE`` blocks) or of a PKCS#12 file."""
    from mcred._files import read_input

    data = read_input(path, what="the certificate chain")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        bundle = pkcs12.load_pkcs12(data, passphrase)
    except ValueError as exc:
        raise InputError(f"the certificate file is neither PEM certificates nor a readable PKCS#12 file ({exc})",
                         file=str(path), code="SDJWT_CERT_UNREADABLE", params={"detail": str(exc)},
                         hint="give the chain as PEM, the issuer's certificate first, or a .p12 file") from None
    certs = ([bundle.cert.certificate] if bundle.cert else []) + [c.certificate for c in bundle.additional_certs]
    if not certs:
        raise InputError("the PKCS#12 file holds no certificate", file=str(path), code="SDJWT_CERT_UNREADABLE",
                         params={"detail": "no certificate"}, hint="export the certificate with its key")
    return certs


def _spki(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _refuse(message: str, code: str, file: str | None, hint: str, detail: str = "") -> SigningError:
    return SigningError(message, file=file, code=code, hint=hint, params={"detail": detail})


def check_issuer_chain(key, certs: list[x509.Certificate], when: datetime, *,
                       file: str | None = None) -> list[x509.Certificate]:
    """The chain for ``x5c``: the certificate of ``key`` first, then its issuers in order.

    Refused (SigningError) when no certificate is for the key, or when that certificate is a CA, does not
    allow digital signatures, or is not valid at ``when``. A self-signed issuer (the trust anchor) is left
    out: a verifier must hold it already, and HAIP asks for the chain without it. The chain to an anchor
    is the verifier's to validate (:mod:`mcred.seals.x509`); mcred does not pretend to know the anchors here.
    """
    if getattr(key, "curve", None) != "P-256":
        raise _refuse("SD-JWT VC is signed with ES256: the key must be P-256", "SDJWT_KEY_NOT_P256", file,
                      "make one with `mcred keygen --type p256`")
    mine = _spki(key.public_key.key)
    leaf = next((c for c in certs if _spki(c.public_key()) == mine), None)
    if leaf is None:
        raise _refuse("none of the certificates is for the signing key", "SDJWT_CERT_KEY_MISMATCH", file,
                      "give the certificate of this key, then its CA certificates")
    if is_ca(leaf):
        raise _refuse("the key's certificate is a CA certificate (basicConstraints CA:true)", "SDJWT_SIGNING_CERT_CA",
                      file, "sign with the key of an end-entity certificate, not a CA's")
    refused = seal_usages_refused(leaf)
    if not can_seal(leaf) or refused:
        detail = f"extended key usage only {', '.join(refused)}" if refused else "keyUsage"
        raise _refuse(f"the certificate does not allow digital signatures ({detail})", "SDJWT_SIGNING_CERT_USAGE", file,
                      "use a certificate with keyUsage digitalSignature", detail)
    if not valid_at(leaf, when):
        detail = (f"valid {leaf.not_valid_before_utc:%Y-%m-%dT%H:%M:%SZ} to "
                  f"{leaf.not_valid_after_utc:%Y-%m-%dT%H:%M:%SZ}")
        raise _refuse(f"the certificate is not valid at {when:%Y-%m-%dT%H:%M:%SZ} ({detail})",
                      "SDJWT_CERT_NOT_VALID", file, "renew the certificate, or check --issued", detail)
    chain, rest = [leaf], [c for c in certs if c != leaf]
    while chain[-1].issuer != chain[-1].subject:
        parent = next((c for c in rest if c.subject == chain[-1].issuer), None)
        if parent is None or parent.issuer == parent.subject:
            break
        chain.append(parent)
        rest.remove(parent)
    return chain


def _salt() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(_SALT_BYTES)).rstrip(b"=").decode("ascii")


def _decoy() -> str:
    """RFC 9901 section 4.2.5: a digest over random bytes, which no disclosure will ever match."""
    return disclosure_digest(_salt())


def _conceal(value: Any, disclosures: list[str], decoys: int) -> Any:
    """``value`` with every Disclosable replaced by its digest (recursively), the disclosures appended."""
    if isinstance(value, Disclosable):
        raise ValueError("a Disclosable must be a property's value or an array element")
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, Disclosable):  # RFC 9901 4.2.2: an array element as {"...": digest}
                encoded = encode_disclosure(_salt(), None, _conceal(item.value, disclosures, decoys))
                disclosures.append(encoded)
                out.append({"...": disclosure_digest(encoded, SD_ALG)})
            else:
                out.append(_conceal(item, disclosures, decoys))
        return out
    if not isinstance(value, dict):
        return value
    out, digests = {}, []
    for name, item in value.items():
        if name in ("_sd", "..."):
            raise ValueError(f"{name!r} is reserved by SD-JWT and cannot be a claim name")
        if isinstance(item, Disclosable):
            encoded = encode_disclosure(_salt(), name, _conceal(item.value, disclosures, decoys))
            disclosures.append(encoded)
            digests.append(disclosure_digest(encoded, SD_ALG))
        else:
            out[name] = _conceal(item, disclosures, decoys)
    if digests:
        # decoys hide how many claims there are; sorting hides which digest is which claim (RFC 9901 4.2.4.1)
        out["_sd"] = sorted(digests + [_decoy() for _ in range(decoys)])
    return out


def issue_sd_jwt(claims: dict, key, chain: list[x509.Certificate], *, header: dict | None = None,
                 decoys: int = 2) -> Issued:
    """Sign ``claims`` as an SD-JWT: header ``typ`` dc+sd-jwt, ``alg`` ES256, ``x5c`` the chain (leaf first).

    Each :class:`Disclosable` becomes a disclosure, and every object that has one also gets ``decoys``
    decoy digests. ``header`` adds to (never replaces) the protected header, e.g. a ``kid``.
    """
    from mcred.keys.jose import JoseSignatureError, sign_compact_es256, verify_compact
    from mcred.keys.multikey import EcPublicKey

    disclosures: list[str] = []
    payload = _conceal(claims, disclosures, decoys)
    payload["_sd_alg"] = SD_ALG
    protected = {**(header or {}), "typ": TYP,
                 "x5c": [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode("ascii")
                         for c in chain]}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    jwt = sign_compact_es256(protected, body, key)
    try:  # what is written must verify with the x5c leaf's key: a bug here must not reach a file
        verify_compact(jwt, EcPublicKey(chain[0].public_key()), "ES256")
    except JoseSignatureError as exc:
        raise SigningError(f"the signed JWT does not verify with the certificate's key ({exc})",
                           code="SDJWT_CERT_KEY_MISMATCH", params={"detail": str(exc)}) from None
    return Issued("~".join([jwt, *disclosures]) + "~", {**protected, "alg": "ES256"}, payload, disclosures)
