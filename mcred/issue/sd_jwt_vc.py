"""Issuing an ELM micro-credential as an SD-JWT VC (``vct`` ``urn:eudi:micro_credential:1``).

The award is built and checked once, as for every other format (:func:`mcred.issue.award.build_checked`:
the outcome file's rules, Annex I, the Italian rules), then mapped to the claims of DC4EU's
micro-credential type metadata (``credentialSubject.achievement.…``, ``issuer.…``, ``validFrom``). What
that metadata has no place for (EQF level, learning outcomes, workload, awarding body and date,
quality assurance) goes beside it under ``achievement``, so that the award's facts are never lost
(docs/issue.md, "SD-JWT VC", lists each departure and why).

What the holder may withhold: the learner's personal data (names, date of birth, tax code, e-mail)
and the grade. The award's own facts are always disclosed: a verifier must see what was awarded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcred.elm.outcomes import Outcomes
from mcred.elm.rules import languages_of
from mcred.errors import InputError, SigningError
from mcred.messages import register
from mcred.sdjwt.issuing import Disclosable, Issued, check_issuer_chain, issue_sd_jwt

VCT = "urn:eudi:micro_credential:1"
PROFILES = ("haip", "it-wallet")

#: ISO 3166-1 alpha-3 -> alpha-2 for the EU and EEA (and CH, GB): ``issuing_country`` and OB's
#: ``addressCountryCode`` are alpha-2, the outcome file's country alpha-3
ALPHA2 = {
    "AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ", "DNK": "DK", "EST": "EE",
    "FIN": "FI", "FRA": "FR", "DEU": "DE", "GRC": "GR", "HUN": "HU", "IRL": "IE", "ITA": "IT", "LVA": "LV",
    "LTU": "LT", "LUX": "LU", "MLT": "MT", "NLD": "NL", "POL": "PL", "PRT": "PT", "ROU": "RO", "SVK": "SK",
    "SVN": "SI", "ESP": "ES", "SWE": "SE", "ISL": "IS", "LIE": "LI", "NOR": "NO", "CHE": "CH", "GBR": "GB",
}

register({
    "SDJWT_PROFILE_CLAIM_MISSING": ("il profilo {profile} richiede {detail}", None),
    "SDJWT_HOLDER_KEY_INVALID": ("la chiave del titolare non è utilizzabile: {detail}",
                                 "date la chiave pubblica (o privata) P-256 del titolare in PEM"),
})


def _text(value: Any, language: str) -> str | None:
    """A language map's text in ``language`` (else its first): SD-JWT VC claims are plain strings."""
    if not isinstance(value, dict) or not value:
        return None
    return value.get(language) or next(iter(value.values()))


def _label(concept: dict | None) -> str | None:
    if not concept:
        return None
    return (concept.get("prefLabel") or {}).get("en") or concept.get("notation") or concept.get("id")


def _epoch(text: str) -> int:
    from mcred.dates import parse_datetime

    return int(parse_datetime(text).timestamp())


def _person_claims(person: dict, language: str) -> dict:
    """The learner's personal data, each claim disclosable (names as OpenID Connect and the PID name them)."""
    claims = {"given_name": Disclosable(_text(person["givenName"], language)),
              "family_name": Disclosable(_text(person["familyName"], language))}
    if person.get("dateOfBirth"):
        claims["birthdate"] = Disclosable(person["dateOfBirth"][:10])
    if person.get("nationalID"):  # the only national identifier an outcome file holds is the codice fiscale
        claims["tax_id_code"] = Disclosable(person["nationalID"]["notation"])
    for contact in person.get("contactPoint", []):
        for mailbox in contact.get("emailAddress", []):
            claims["email"] = Disclosable(mailbox["id"].removeprefix("mailto:"))
    return claims


def _achievement(claim: dict, language: str) -> dict:
    """The award's facts, all disclosed: DC4EU's paths first, then what ELM has and the metadata lacks."""
    spec = claim["specifiedBy"]
    assessment = claim["provenBy"][0]
    achievement = {"id": spec["id"], "name": _text(claim["title"], language),
                   "description": _text(claim.get("description") or spec["description"], language),
                   "criteria": {"narrative": "\n".join(f"- {_text(o['title'], language)}"
                                                       for o in spec["learningOutcome"])},
                   "educationProgramIdentifier": spec["id"]}
    for credit in spec.get("creditPoint", []):
        points = float(credit["point"])
        achievement["ECTS"] = int(points) if points.is_integer() else points
    achievement["participationType"] = _label(spec["mode"][0])
    if assessment.get("idVerification"):
        achievement["supervisionType"] = _label(assessment["idVerification"])
    result = {"name": _text(assessment["title"], language), "assessmentType": _label(
        assessment["specifiedBy"].get("dcType"))}
    if assessment["specifiedBy"].get("gradingScheme"):
        result["gradingScheme"] = _text(assessment["specifiedBy"]["gradingScheme"]["title"], language)
    achievement["resultDescription"] = [result]
    # beyond DC4EU's metadata: the facts Annex I asks for
    if spec.get("eqfLevel"):
        achievement["eqfLevel"] = int(spec["eqfLevel"]["id"].rsplit("/", 1)[-1])
    achievement["learningOutcomes"] = [
        {"title": _text(o["title"], language), **({"escoSkills": [s["id"] for s in o["relatedESCOSkill"]]}
                                                  if o.get("relatedESCOSkill") else {})}
        for o in spec["learningOutcome"]]
    achievement["volumeOfLearning"] = spec["volumeOfLearning"]
    achievement["learningSetting"] = _label(spec["learningSetting"])
    if spec.get("thematicArea"):
        achievement["iscedF"] = [t.get("notation") or t["id"] for t in spec["thematicArea"]]
    achievement["qualityAssurance"] = [
        {"title": _text(a["title"], language), "type": _label(a["dcType"]),
         "accreditingAgent": _text(a["accreditingAgent"]["legalName"], language)}
        for a in spec.get("accreditation", [])] + [
        {"note": _text(n["noteLiteral"], language)} for n in spec.get("additionalNote", [])
        if n["id"].endswith("#quality-assurance")]
    body = claim["awardedBy"]["awardingBody"][0]
    achievement["awardingBody"] = {"name": _text(body["legalName"], language), "address": _address(body)}
    achievement["awardingDate"] = claim["awardedBy"]["awardingDate"]
    return achievement


def _address(organisation: dict) -> dict:
    code = organisation["location"][0]["address"][0]["countryCode"]["notation"]
    return {"addressCountryCode": ALPHA2.get(code, code)}


def elm_claims(elm: dict, language: str) -> dict:
    """The SD-JWT VC claims of an ELM credential built by :mod:`mcred.elm.builder` (no JWT claims yet)."""
    subject = elm["credentialSubject"]
    claim = subject["hasClaim"][0]
    grade = _text(claim["provenBy"][0]["grade"]["noteLiteral"], language)
    claims = {"validFrom": elm["validFrom"]}
    if elm.get("expirationDate"):
        claims["validUntil"] = elm["expirationDate"]
    issuer = elm["issuer"]
    claims["issuer"] = {"id": issuer["id"], "name": _text(issuer["legalName"], language),
                        "address": _address(issuer)}
    claims["credentialSubject"] = {**_person_claims(subject, language), "achievement": _achievement(claim, language),
                                   "result": [{"value": Disclosable(grade)}]}
    return claims


def issuer_id(data: dict) -> str:
    """The JWT ``iss``: the issuer's HTTPS home page (HAIP asks for an HTTPS URL), else its id in the file."""
    homepage = data["issuer"].get("homepage") or ""
    return homepage if homepage.startswith("https://") else data["issuer"]["id"]


def holder_jwk(path: Path) -> dict:
    """``cnf.jwk``: the public JWK of a holder's P-256 key file (public or private PEM)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

    from mcred._files import read_input
    from mcred.keys.jose import public_jwk

    data = read_input(path, what="the holder key")
    try:
        key = (load_pem_public_key(data) if b"PUBLIC KEY" in data.split(b"\n", 1)[0]
               else load_pem_private_key(data, None).public_key())
    except (ValueError, TypeError) as exc:
        detail = "not a PEM key (an encrypted private key? give its public key)" if isinstance(exc, TypeError) \
            else "not a PEM key"
        raise InputError(f"the holder key is {detail}", file=str(path), code="SDJWT_HOLDER_KEY_INVALID",
                         params={"detail": detail}, hint="give the holder's P-256 public key as PEM") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise InputError("the holder key is not a P-256 key", file=str(path), code="SDJWT_HOLDER_KEY_INVALID",
                         params={"detail": "not P-256"}, hint="give the holder's P-256 public key as PEM")
    return public_jwk(key)


def new_credential_id() -> str:
    """A new SD-JWT VC's ``jti``: a random ``urn:uuid``.

    Never derived from the learner, as ELM ids are (:func:`mcred.elm.builder.credential_id`): the ``jti`` is
    always disclosed, and an id computed from the codice fiscale or the names would let a verifier test
    guesses of the very claims the holder withheld. A roster's manifest records it, so re-runs find it.
    """
    return f"urn:uuid:{uuid.uuid4()}"


def issue_sd_jwt_vc(outcomes: Outcomes, learner: dict, key, certs: list, *, issued: str,
                    holder: dict | None = None, profile: str = "haip", cert_file: str | None = None,
                    status: dict | None = None, jti: str | None = None) -> Issued:
    """The SD-JWT VC of one learner: built, checked, mapped, signed with ES256, ``x5c`` the key's chain.

    ``holder`` is the holder's public JWK (``cnf``); ``profile`` "it-wallet" adds ``kid``,
    ``issuing_authority`` and ``issuing_country``, and refuses a credential without ``exp`` or an HTTPS
    ``iss``. ``status`` is the ``status`` claim (:func:`mcred.issue.token_status_lists.token_status_entry`):
    a plain claim, never disclosable, since a holder must not be able to hide that a credential was revoked.
    ``jti`` identifies the credential (a plain claim: how the issuer's manifest and ``mcred status`` name it);
    a new random one (:func:`new_credential_id`) when not given.
    """
    from mcred.dates import parse_datetime
    from mcred.issue.award import build_checked
    from mcred.keys.jose import public_jwk, thumbprint

    chain = check_issuer_chain(key, certs, parse_datetime(issued), file=cert_file)
    iss = issuer_id(outcomes.data)
    elm, _ = build_checked(outcomes, learner, issuer_id=iss, issued=issued)
    language = languages_of(outcomes.data)[0]
    jwt_claims: dict[str, Any] = {"iss": iss, "jti": jti or new_credential_id(), "iat": _epoch(issued),
                                  "nbf": _epoch(elm["validFrom"])}
    if elm.get("expirationDate"):
        jwt_claims["exp"] = _epoch(elm["expirationDate"])
    jwt_claims["vct"] = VCT
    if holder is not None:
        jwt_claims["cnf"] = {"jwk": holder}
    if status is not None:
        jwt_claims["status"] = status
    header = {}
    if profile == "it-wallet":
        _check_it_wallet(jwt_claims, outcomes)
        country = outcomes.data["issuer"]["country"]
        jwt_claims["issuing_authority"] = _text(outcomes.data["issuer"]["legal_name"], language)
        jwt_claims["issuing_country"] = ALPHA2[country]
        header["kid"] = thumbprint(public_jwk(chain[0].public_key()))
    return issue_sd_jwt({**jwt_claims, **elm_claims(elm, language)}, key, chain, header=header)


def _check_it_wallet(claims: dict, outcomes: Outcomes) -> None:
    """IT-Wallet (SD-JWT VC profile): ``exp`` and an HTTPS ``iss`` are required; the country must be known."""
    file = str(outcomes.file)
    if "exp" not in claims:
        raise SigningError("the it-wallet profile requires exp: the outcome file has no credential.valid_until",
                           file=file, path="$.credential.valid_until", code="SDJWT_PROFILE_CLAIM_MISSING",
                           params={"profile": "it-wallet", "detail": "exp (credential.valid_until)"},
                           hint="add credential.valid_until to the outcome file")
    if not claims["iss"].startswith("https://"):
        raise SigningError("the it-wallet profile requires iss to be an HTTPS URL: the issuer has no https "
                           "homepage", file=file, path="$.issuer.homepage", code="SDJWT_PROFILE_CLAIM_MISSING",
                           params={"profile": "it-wallet", "detail": "iss HTTPS (issuer.homepage)"},
                           hint="add the issuer's https:// homepage to the outcome file")
    if outcomes.data["issuer"]["country"] not in ALPHA2:
        raise SigningError("issuing_country: the issuer's country has no ISO 3166-1 alpha-2 code mcred knows",
                           file=file, path="$.issuer.country", code="SDJWT_PROFILE_CLAIM_MISSING",
                           params={"profile": "it-wallet", "detail": "issuing_country"})


@dataclass(frozen=True)
class OwnSdJwtVc:
    """An SD-JWT VC file whose issuer-signed JWT verifies with a given issuer key: what mcred reads of it."""

    data: bytes
    payload: dict
    #: its Token Status List entry (uri, idx), None when it has no ``status`` claim
    status: tuple[str, int] | None


def read_own_sd_jwt_vc(path: Path, issuer_key) -> OwnSdJwtVc | None:
    """The SD-JWT VC in ``path`` if ``issuer_key`` (an :class:`mcred.keys.ecdsa.EcSigningKey`) signed it, else None.

    Signed by that key means: the header's ``x5c`` leaf certifies that very key, and the ES256 signature of
    the issuer-signed JWT verifies with it. Only the signed payload is read (the ``jti``, the ``status``):
    the disclosures say nothing an issuer acts on. The chain to an anchor is not checked: the issuer holds
    the key, and asks whether a file is its own. None also for a file that is not an SD-JWT at all.
    """
    import base64
    import binascii

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from mcred._files import read_input
    from mcred.keys.jose import JoseSignatureError, verify_compact
    from mcred.sdjwt.compact import parse_sd_jwt
    from mcred.sdjwt.errors import SdJwtError

    data = read_input(path, what="the credential")
    try:
        sd = parse_sd_jwt(data.decode("ascii"))
        x5c = sd.issuer_jwt.header.get("x5c")
        leaf = x509.load_der_x509_certificate(base64.b64decode(x5c[0], validate=True))
    except (SdJwtError, UnicodeError, ValueError, binascii.Error, TypeError, IndexError, KeyError):
        return None
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if leaf.public_key().public_bytes(*spki) != issuer_key.public_key.key.public_bytes(*spki):
        return None  # another key's certificate: not this issuer's credential, whatever it says
    try:
        verify_compact(sd.issuer_jwt.text, issuer_key.public_key, "ES256")
    except JoseSignatureError:
        return None
    return OwnSdJwtVc(data, sd.issuer_jwt.payload, _status_entry(sd.issuer_jwt.payload, path))


def _status_entry(payload: dict, path: Path) -> tuple[str, int] | None:
    if "status" not in payload:
        return None
    entry = payload["status"].get("status_list") if isinstance(payload["status"], dict) else None
    idx = entry.get("idx") if isinstance(entry, dict) else None
    uri = entry.get("uri") if isinstance(entry, dict) else None
    if isinstance(idx, bool) or not isinstance(idx, int) or idx < 0 or not isinstance(uri, str):
        raise InputError("the credential's status claim is not a Token Status List entry "
                         '{"status_list": {"idx": N, "uri": URI}}', file=str(path), path="$.payload.status",
                         code="SDJWT_STATUS_INVALID", params={"detail": "no idx and uri"})
    return uri, idx
