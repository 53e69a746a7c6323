"""Issuing an ELM micro-credential as an Open Badges 3.0 ``OpenBadgeCredential``, signed with eddsa-rdfc-2022.

The award is built and checked once, as for every other format (:func:`mcred.issue.award.build_checked`: the
outcome file's rules, Annex I, the Italian rules); this module maps that ELM credential to OB 3.0 (VC Data
Model 2.0 with the OB 3.0.3 context), checks the result against the OB 3.0 JSON Schema, and signs it with
``eddsa-rdfc-2022``, the suite 1EdTech's conformance suite tests and the DCC Learner Credential Wallet reads.
docs/issue.md, "Open Badges 3.0", has the mapping table and the reasons behind each choice.

OB 3.0 has no standard place for a few of the award's facts; where it has none, mcred uses the extension
points the specification offers (``ext:`` identity and alignment types), so that every fact the award states
is in the signed graph, where :func:`mcred.bundle.readers_ob3.ob3_facts` reads it back:

* the EQF level is an ``Alignment`` whose ``targetUrl`` is the level's IRI in the EU vocabulary
  (``http://data.europa.eu/snb/eqf/5``), ``targetType`` ``ext:EQF`` (SURF edubadges' convention);
* each learning outcome is an ``Alignment`` with ``targetType`` ``ext:LearningOutcome``, and each ESCO skill
  one with ``ceasn:Competency`` (the list is also the achievement's ``criteria.narrative``, for people);
* the learner's given and family names and birth date are ``IdentityObject`` entries (``hashed: false``)
  with identity types ``ext:givenName``, ``ext:familyName`` and ``ext:birthDate``, beside the standard
  ``name``, ``emailAddress`` and ``nationalIdentityNumber`` (the codice fiscale).
"""

from __future__ import annotations

import uuid
from typing import Any

from mcred.elm.outcomes import Outcomes
from mcred.elm.rules import languages_of
from mcred.errors import InputError
from mcred.keys.ed25519 import SigningKey
from mcred.messages import register
from mcred.proofs.data_integrity import RDFC

from .sd_jwt_vc import ALPHA2

#: VC 2.0, OB 3.0.3, and OB's extensions context, which defines the ``credentialSchema`` type OB 3.0 names
CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
           "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]
#: OB 3.0 defines ``AchievementCredential`` as another name of ``OpenBadgeCredential`` (the same IRI): both are
#: listed, so that a reader that looks for either name in the JSON finds it
TYPES = ["VerifiableCredential", "OpenBadgeCredential", "AchievementCredential"]
SCHEMA = "ob_v3p0_achievementcredential_schema.json"
SCHEMA_URL = f"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/{SCHEMA}"
#: the manifest's ``suite`` of an OB 3.0 roster: the format and its cryptosuite
OB3_SUITE = f"ob3/{RDFC}"
EQF_FRAMEWORK = "European Qualifications Framework"
ESCO_FRAMEWORK = "ESCO"
#: the ``targetType`` of mcred's alignments: an EQF level, a learning outcome (``ext:`` is OB 3.0's extension
#: point), an ESCO skill (OB 3.0's own type for a competency)
EQF_TYPE, OUTCOME_TYPE, SKILL_TYPE = "ext:EQF", "ext:LearningOutcome", "ceasn:Competency"
#: the ``identityType`` of each learner identifier mcred states: OB 3.0's own where it has one
GIVEN_NAME, FAMILY_NAME, BIRTH_DATE = "ext:givenName", "ext:familyName", "ext:birthDate"
NATIONAL_ID, FULL_NAME, EMAIL = "nationalIdentityNumber", "name", "emailAddress"
_NAMESPACE = uuid.UUID("3b8e3c62-7c4b-5a43-9f0e-6f6233206d63")  # the OB 3.0 rendition's UUID v5 namespace

register({
    "OB3_SCHEMA_INVALID": ("la credenziale Open Badges 3.0 costruita non rispetta lo schema JSON OB 3.0 in "
                           "{path}: {detail}",
                           "è un errore di mcred, non del file dei risultati: segnalatelo con il file usato"),
})


def _text(value: Any, language: str) -> str | None:
    """A language map's text in ``language`` (else its first): OB 3.0 names and descriptions are plain strings."""
    if not isinstance(value, dict) or not value:
        return None
    return value.get(language) or next(iter(value.values()))


def ob3_id(elm_id: str) -> str:
    """The OB 3.0 rendition's id: derived from the ELM credential's, so a roster re-run finds the same file,
    and never equal to it (two credentials, two ids)."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, elm_id)}"


def _number(text: str) -> int | float:
    """A credit value as a JSON number (OB 3.0: a float): an int when whole, so that the badge says 2 as the
    outcome file and the ELM credential do, not 2.0 (the signed graph is the same: "2"^^xsd:float)."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _profile(elm: dict, data: dict, language: str) -> dict:
    """The issuer ``Profile``: the key's did:key, the awarding body's legal name, home page and country."""
    issuer = elm["issuer"]
    profile = {"id": issuer["id"], "type": ["Profile"], "name": _text(issuer["legalName"], language)}
    if data["issuer"].get("homepage"):
        profile["url"] = data["issuer"]["homepage"]
    country = issuer["location"][0]["address"][0]["countryCode"]
    address = {"type": ["Address"], "addressCountryCode": ALPHA2.get(country["notation"], country["notation"])}
    if country.get("prefLabel", {}).get("en"):
        address["addressCountry"] = country["prefLabel"]["en"]
    profile["address"] = address
    return profile


def _alignments(spec: dict, language: str) -> list[dict]:
    """The EQF level, then each learning outcome and its ESCO skills, as OB 3.0 alignments."""
    found = []
    if spec.get("eqfLevel"):
        level = spec["eqfLevel"]["id"]
        code = level.rsplit("/", 1)[-1]
        found.append({"type": ["Alignment"], "targetType": EQF_TYPE, "targetFramework": EQF_FRAMEWORK,
                      "targetName": f"EQF level {code}", "targetCode": code, "targetUrl": level})
    for outcome in spec["learningOutcome"]:
        found.append({"type": ["Alignment"], "targetType": OUTCOME_TYPE,
                      "targetName": _text(outcome["title"], language), "targetUrl": outcome["id"]})
        for skill in outcome.get("relatedESCOSkill", []):
            found.append({"type": ["Alignment"], "targetType": SKILL_TYPE, "targetFramework": ESCO_FRAMEWORK,
                          "targetName": skill.get("prefLabel", {}).get("en") or skill["id"],
                          "targetUrl": skill["id"]})
    return found


def _achievement(claim: dict, language: str) -> dict:
    spec = claim["specifiedBy"]
    outcomes = [_text(o["title"], language) for o in spec["learningOutcome"]]
    achievement = {"id": spec["id"], "type": ["Achievement"], "achievementType": "MicroCredential",
                   "name": _text(claim["title"], language),
                   "description": _text(claim.get("description") or spec["description"], language),
                   # OB 3.0: the narrative is Markdown; the outcomes are what earns the badge
                   "criteria": {"narrative": "\n".join(f"- {title}" for title in outcomes)}}
    for credit in spec.get("creditPoint", []):  # the builder writes ECTS only
        achievement["creditsAvailable"] = _number(credit["point"])
    if spec.get("thematicArea"):
        achievement["fieldOfStudy"] = ", ".join(t.get("prefLabel", {}).get("en") or t["id"]
                                                for t in spec["thematicArea"])
    achievement["alignment"] = _alignments(spec, language)
    assessment = claim["provenBy"][0]
    achievement["resultDescription"] = [{"id": assessment["specifiedBy"]["id"], "type": ["ResultDescription"],
                                         "name": _text(assessment["title"], language), "resultType": "Result"}]
    return achievement


def _identity(kind: str, value: str) -> dict:
    # hashed: false: the learner's data is stated as the ELM credential states it (a wallet shows it)
    return {"type": "IdentityObject", "identityType": kind, "hashed": False, "identityHash": value}


def _subject(elm: dict, claim: dict, language: str) -> dict:
    person = elm["credentialSubject"]
    identifiers = [_identity(FULL_NAME, _text(person["fullName"], language)),
                   _identity(GIVEN_NAME, _text(person["givenName"], language)),
                   _identity(FAMILY_NAME, _text(person["familyName"], language))]
    if person.get("dateOfBirth"):
        identifiers.append(_identity(BIRTH_DATE, person["dateOfBirth"][:10]))
    if person.get("nationalID"):
        identifiers.append(_identity(NATIONAL_ID, person["nationalID"]["notation"]))
    for contact in person.get("contactPoint", []):
        for mailbox in contact.get("emailAddress", []):
            identifiers.append(_identity(EMAIL, mailbox["id"].removeprefix("mailto:")))
    achievement = _achievement(claim, language)
    subject = {"type": ["AchievementSubject"], "identifier": identifiers, "achievement": achievement}
    if person["id"].startswith("did:"):
        # the learner's own DID (the roster's did column): what a wallet such as DCC's binds the badge to. The
        # urn:uuid ELM derives otherwise is left out: in a badge it would identify no one, only correlate
        subject = {"id": person["id"], **subject}
    if "creditsAvailable" in achievement:  # a micro-credential's credits are earned whole
        subject["creditsEarned"] = achievement["creditsAvailable"]
    grade = claim["provenBy"][0].get("grade")
    if grade:
        subject["result"] = [{"type": ["Result"], "resultDescription": achievement["resultDescription"][0]["id"],
                              "value": _text(grade["noteLiteral"], language)}]
    return subject


def ob3_from_elm(elm: dict, data: dict) -> dict:
    """The unsigned OB 3.0 credential stating the award of an ELM credential built by :mod:`mcred.elm.builder`."""
    language = languages_of(data)[0]
    claim = elm["credentialSubject"]["hasClaim"][0]
    credential = {"@context": list(CONTEXT), "id": ob3_id(elm["id"]), "type": list(TYPES),
                  "name": _text(claim["title"], language), "issuer": _profile(elm, data, language),
                  "validFrom": elm["validFrom"], "awardedDate": claim["awardedBy"]["awardingDate"]}
    if elm.get("expirationDate"):
        credential["validUntil"] = elm["expirationDate"]
    credential["credentialSubject"] = _subject(elm, claim, language)
    credential["credentialSchema"] = [{"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}]
    return credential


def check_ob3_schema(credential: dict, *, file: str | None = None) -> None:
    """Refuse a credential that breaks the bundled OB 3.0 JSON Schema, naming the first broken path."""
    from mcred._schema import schema_problems

    problems = schema_problems(credential, SCHEMA, deepest=True)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"the Open Badges 3.0 credential breaks the OB 3.0 JSON Schema at {first.path}: "
                         f"{first.message}{more}", file=file, path=first.path, code="OB3_SCHEMA_INVALID",
                         params={"path": first.path, "detail": first.message,
                                 "problems": [{"path": p.path, "message": p.message} for p in problems]},
                         hint="this is mcred's fault, not the outcome file's: report it with the file used")


def build_ob3(outcomes: Outcomes, learner: dict, *, issuer_id: str, issued: str,
              cred_id: str | None = None, status: dict | None = None) -> dict:
    """The unsigned, schema-checked OB 3.0 credential of one learner (the award built and checked once);
    ``status`` is its ``credentialStatus``, a W3C ``BitstringStatusListEntry``
    (:func:`mcred.issue.status_lists.bitstring_entry`), as a VC 2.0 credential carries one."""
    from .award import build_checked

    elm, _ = build_checked(outcomes, learner, issuer_id=issuer_id, issued=issued)
    credential = ob3_from_elm(elm, outcomes.data)
    if cred_id is not None:
        credential["id"] = cred_id
    if status is not None:
        credential["credentialStatus"] = status
    check_ob3_schema(credential, file=str(outcomes.file))
    return credential


def issue_ob3(outcomes: Outcomes, learner: dict, key: SigningKey, *, issued: str, suite: str = RDFC,
              cred_id: str | None = None, status: dict | None = None) -> dict:
    """The signed Open Badges 3.0 credential of one learner: built, checked (the award's rules, the OB 3.0 JSON
    Schema, JSON-LD safety: no term dropped), then signed with ``suite`` (``eddsa-rdfc-2022`` by default).
    ``cred_id`` replaces the id derived from the learner (a reissue)."""
    from mcred.proofs.signing import sign_credential

    unsigned = build_ob3(outcomes, learner, issuer_id=key.did, issued=issued, cred_id=cred_id, status=status)
    return sign_credential(unsigned, key, suite=suite, created=issued, file=str(outcomes.file), copy=False)
