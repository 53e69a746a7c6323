"""Outcome files -> ELM v3 / Europass (EDC) credentials, as plain JSON-LD. Pure functions.

The shape follows the European Commission's micro-credential sample and the
EDC SHACL application profile ``edc-generic-full`` (see docs/formats.md, "The
learning-outcome file"): VC Data Model 1.1, a ``LearningAchievement`` specified by a
``Qualification`` (the only ELM class with ``eqfLevel``), language maps for
every text, concept objects for every controlled vocabulary, and denormalised
organisations (repeated in full under the same id, as EDC does).

Identifiers are deterministic (UUID v5 of stable inputs), so issuing the same
row twice gives the same credential id: that is what lets a roster run resume.
"""

from __future__ import annotations

import base64
import uuid
from pathlib import Path

from mcred.elm import italy, vocab

from .rules import languages_of, workload_of

CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "http://data.europa.eu/snb/model/context/edc-ap",
    "https://w3id.org/security/data-integrity/v2",
]
SHACL_PROFILE = "http://data.europa.eu/snb/model/ap/edc-generic-full"
# An 8x8 PNG: EDC requires a display image; issuers can give their own (display_image).
PLACEHOLDER_PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEElEQVR42mNgMJ6JHQ0tCQDHpTMB"
                   "guh0awAAAABJRU5ErkJggg==")
_NAMESPACE = uuid.UUID("4c1f6f0e-6d63-5265-642d-6d6372656421")  # mcred's own UUID v5 namespace


def _uuid(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '|'.join(parts))}"


def _concept(item: vocab.Concept) -> dict:
    node = {"id": item.id, "type": "Concept",
            "inScheme": {"id": item.scheme, "type": "ConceptScheme"}}
    if item.notation:
        node["notation"] = item.notation
    if item.label:
        node["prefLabel"] = {"en": item.label}
    return node


def _note(node_id: str, text: dict) -> dict:
    return {"id": node_id, "type": "Note", "noteLiteral": dict(text)}


def _organisation(org_id: str, legal_name: dict, country: str, address: str | None = None) -> dict:
    postal = {"id": f"{org_id}#address", "type": "Address", "countryCode": _concept(vocab.country(country))}
    if address:
        postal["fullAddress"] = _note(f"{org_id}#full-address", {"it" if country == "ITA" else "en": address})
    return {"id": org_id, "type": "Organisation", "legalName": dict(legal_name),
            "location": [{"id": f"{org_id}#location", "type": "Location", "address": [postal]}]}


def organisation_id(issuer: dict) -> str:
    return issuer.get("id") or _uuid("organisation", issuer.get("eidas_identifier") or issuer["vat"])


def qualification_id(data: dict) -> str:
    credential = data["credential"]
    primary = languages_of(data)[0]
    return credential.get("id") or _uuid("qualification", organisation_id(data["issuer"]),
                                         credential["title"][primary])


def learner_key(learner: dict) -> str:
    """What identifies a learner across runs: codice fiscale, DID, email, or name and birth date."""
    for name in ("codice_fiscale", "did", "email"):
        if learner.get(name):
            return f"{name}:{learner[name].upper() if name == 'codice_fiscale' else learner[name]}"
    return f"name:{learner['given_name']}|{learner['family_name']}|{learner.get('date_of_birth', '')}"


def credential_id(data: dict, learner: dict) -> str:
    return _uuid("credential", qualification_id(data), learner_key(learner))


def _issuer_node(data: dict, issuer_did: str) -> dict:
    issuer = data["issuer"]
    node = _organisation(issuer_did, issuer["legal_name"], issuer["country"], issuer.get("address"))
    notation = issuer.get("eidas_identifier") or f"VAT{issuer['vat'][:2]}-{issuer['vat'][2:]}"
    node["eIDASIdentifier"] = {"id": f"{issuer_did}#eidas", "type": "LegalIdentifier", "notation": notation,
                               "spatial": _concept(vocab.country(issuer["country"]))}
    if issuer.get("vat"):
        node["vatIdentifier"] = [{"id": f"{issuer_did}#vat", "type": "LegalIdentifier",
                                  "notation": issuer["vat"],
                                  "spatial": _concept(vocab.country(issuer["country"]))}]
    if issuer.get("homepage"):
        node["homepage"] = [{"id": f"{issuer_did}#homepage", "type": "WebResource",
                             "contentURL": issuer["homepage"]}]
    return node


def _awarding_process(data: dict, achievement_id: str, award_date: str) -> dict:
    issuer = data["issuer"]
    body = _organisation(organisation_id(issuer), issuer["legal_name"], issuer["country"])
    return {"id": f"{achievement_id}#awarding", "type": "AwardingProcess",
            "awardingDate": f"{award_date}T00:00:00Z", "awardingBody": [body]}


def _qualification(data: dict) -> dict:
    credential = data["credential"]
    spec_id = qualification_id(data)
    workload = workload_of(credential)
    spec = {
        "id": spec_id, "type": "Qualification",
        "title": dict(credential["title"]), "description": dict(credential["description"]),
        "learningOutcome": [_learning_outcome(spec_id, index, outcome)
                            for index, outcome in enumerate(credential["learning_outcomes"], start=1)],
        "creditPoint": [{"id": f"{spec_id}#credits", "type": "CreditPoint",
                         "framework": _concept(vocab.concept("credit_framework", "ects")),
                         "point": italy.decimal_text(workload.cfu)}],
        "volumeOfLearning": italy.hours_to_duration(workload.hours),
        "mode": [_concept(vocab.concept("mode", credential["mode"]))],
        "learningSetting": _concept(vocab.concept("learning_setting", credential["learning_setting"])),
        "language": [_concept(vocab.language(code)) for code in languages_of(data)],
        "dcType": _concept(vocab.concept("learning_opportunity", "short-learning-programme")),
        "isPartialQualification": bool(credential.get("is_part_of")),
    }
    if "eqf_level" in credential:
        spec["eqfLevel"] = _concept(vocab.eqf_level(credential["eqf_level"]))
    if credential.get("isced_f"):
        spec["thematicArea"] = [_concept(vocab.isced_f(code)) for code in credential["isced_f"]]
    if "prerequisites" in credential:
        spec["entryRequirement"] = _note(f"{spec_id}#prerequisites", credential["prerequisites"])
    _add_quality_assurance(spec, credential["quality_assurance"], spec_id)
    if credential.get("is_part_of"):
        spec["isPartOf"] = [{"id": whole["id"], "type": "Qualification", "title": dict(whole["title"])}
                            for whole in credential["is_part_of"]]
    if "further_information" in credential:
        spec["additionalNote"] = [_note(f"{spec_id}#further-information", credential["further_information"])]
    return spec


def _learning_outcome(spec_id: str, index: int, outcome: dict) -> dict:
    node = {"id": f"{spec_id}#outcome-{index}", "type": "LearningOutcome", "title": dict(outcome["text"])}
    if outcome.get("esco"):
        node["relatedESCOSkill"] = [_concept(vocab.esco_skill(uri)) for uri in outcome["esco"]]
    if outcome.get("ada"):
        # ADA codes of the Atlante del lavoro have no public URIs: carried as notations of an
        # mcred-named scheme (the EDC shapes do not constrain relatedSkill's scheme)
        node["relatedSkill"] = [{"id": f"urn:mcred:atlante:{code}", "type": "Concept", "notation": code,
                                 "inScheme": {"id": "urn:mcred:atlante-lavoro-ada", "type": "ConceptScheme"}}
                                for code in outcome["ada"]]
    return node


def _add_quality_assurance(spec: dict, qa: dict, spec_id: str) -> None:
    if "accreditation" in qa:
        accreditation = qa["accreditation"]
        agent = accreditation["accrediting_agent"]
        agent_id = _uuid("organisation", "accrediting-agent", agent["country"],
                         *sorted(agent["legal_name"].values()))
        spec["accreditation"] = [{
            "id": f"{spec_id}#accreditation", "type": "Accreditation", "title": dict(accreditation["title"]),
            "dcType": _concept(vocab.concept("accreditation", accreditation["type"])),
            "accreditingAgent": _organisation(agent_id, agent["legal_name"], agent["country"]),
        }]
    if "note" in qa:
        notes = spec.setdefault("additionalNote", [])
        notes.append(_note(f"{spec_id}#quality-assurance", qa["note"]))


def _assessment(data: dict, achievement_id: str, learner: dict, awarding: dict) -> dict:
    assessment = data["credential"]["assessment"]
    spec_id = qualification_id(data)
    node = {
        "id": f"{achievement_id}#assessment", "type": "LearningAssessment",
        "title": dict(assessment["title"]),
        "grade": _note(f"{achievement_id}#grade", {code: learner.get("grade") or _PASS[code]
                                                    for code in languages_of(data)}),
        "awardedBy": awarding,
        "specifiedBy": {
            "id": f"{spec_id}#assessment", "type": "LearningAssessmentSpecification",
            "title": dict(assessment["title"]),
            "dcType": _concept(vocab.concept("assessment", assessment["type"])),
        },
    }
    if "grading_scheme" in assessment:
        node["specifiedBy"]["gradingScheme"] = {"id": f"{spec_id}#grading-scheme", "type": "GradingScheme",
                                                "title": dict(assessment["grading_scheme"])}
    if "supervision" in assessment:
        node["idVerification"] = _concept(vocab.concept("supervision", assessment["supervision"]))
    return node


_PASS = {"it": "Superato", "en": "Passed", "fr": "Réussi", "de": "Bestanden", "es": "Superado",
         "pt": "Aprovado", "nl": "Geslaagd", "sl": "Opravljeno", "el": "Επιτυχία", "pl": "Zaliczony"}


def _person(data: dict, learner: dict) -> dict:
    primary = languages_of(data)[0]
    key = learner_key(learner)
    person = {"id": learner.get("did") or _uuid("person", key), "type": "Person",
              "givenName": {primary: learner["given_name"]}, "familyName": {primary: learner["family_name"]},
              "fullName": {primary: f"{learner['given_name']} {learner['family_name']}"}}
    if learner.get("date_of_birth"):
        person["dateOfBirth"] = f"{learner['date_of_birth']}T00:00:00Z"
    if learner.get("codice_fiscale"):
        person["nationalID"] = {"id": f"{person['id']}#national-id", "type": "LegalIdentifier",
                                "notation": learner["codice_fiscale"].upper(),
                                "spatial": _concept(vocab.country("ITA"))}
    if learner.get("email"):
        person["contactPoint"] = [{"id": f"{person['id']}#contact", "type": "ContactPoint",
                                   "emailAddress": [{"id": f"mailto:{learner['email']}", "type": "Mailbox"}]}]
    return person


def _display(data: dict, credential_id_: str, image_base64: str) -> dict:
    languages = languages_of(data)
    title = data["credential"]["title"]
    return {
        "id": f"{credential_id_}#display", "type": "DisplayParameter", "title": dict(title),
        "language": [_concept(vocab.language(code)) for code in languages],
        "primaryLanguage": _concept(vocab.language(languages[0])),
        "individualDisplay": [{
            "id": f"{credential_id_}#display-{code}", "type": "IndividualDisplay",
            "language": _concept(vocab.language(code)),
            "displayDetail": [{"id": f"{credential_id_}#display-{code}-1", "type": "DisplayDetail", "page": 1,
                               "image": {"id": f"{credential_id_}#image-{code}", "type": "MediaObject",
                                         "content": image_base64,
                                         "contentEncoding": _concept(vocab.concept("encoding", "base64")),
                                         "contentType": _concept(vocab.concept("file_type", "PNG"))}}],
        } for code in languages],
    }


def display_image(data: dict, base_dir: Path) -> str:
    """The display image as base64: the issuer's PNG (relative to the outcome file) or a placeholder."""
    name = data["credential"].get("display_image")
    if not name:
        return PLACEHOLDER_PNG
    from mcred.errors import InputError

    path = base_dir / name
    from mcred._files import read_input

    try:  # bounded, and from a regular file only: a FIFO named here would block for ever
        content = read_input(path, what="the display image")
    except InputError as exc:
        raise InputError(exc.message, file=str(path), path="$.credential.display_image", code="OUTCOMES_INVALID",
                         hint=exc.hint) from None
    if not content.startswith(b"\x89PNG\r\n\x1a\n"):
        raise InputError("the display image is not a PNG file", file=str(path),
                         path="$.credential.display_image", code="OUTCOMES_INVALID")
    return base64.b64encode(content).decode("ascii")


def build_credential(data: dict, learner: dict, *, issuer_did: str, issued: str,
                     image_base64: str = PLACEHOLDER_PNG, status: tuple[str, int] | None = None,
                     cred_id: str | None = None) -> dict:
    """The unsigned ELM credential for one learner of a checked outcome file.

    ``issuer_did`` is the signing key's DID (the issuer must control the key);
    ``issued`` is an XML Schema dateTime (``issued`` and VC 1.1 ``issuanceDate``);
    ``status`` is (status list id, index), from :func:`mcred.issue.status_lists.allocate_index`: the
    credential then carries ``credentialStatus`` as an xsd:anyURI literal
    ``<list id>#<index>``, the form the EDC shapes accept (see :mod:`mcred.issue.status_lists`);
    ``cred_id`` replaces the learner's deterministic id (a credential reissued after a correction).
    """
    cred_id = cred_id or credential_id(data, learner)
    achievement_id = _uuid("achievement", cred_id)
    awarding = _awarding_process(data, achievement_id, learner["award_date"])
    achievement = {
        "id": achievement_id, "type": "LearningAchievement",
        "title": dict(data["credential"]["title"]),
        "awardedBy": awarding,
        "provenBy": [_assessment(data, achievement_id, learner, awarding)],
        "specifiedBy": _qualification(data),
    }
    if "description" in data["credential"]:
        achievement["description"] = dict(data["credential"]["description"])
    subject = _person(data, learner)
    subject["hasClaim"] = [achievement]
    credential = edc_credential(data, cred_id, issuer_did=issuer_did, issued=issued,
                                valid_from=f"{learner['award_date']}T00:00:00Z", subject=subject,
                                image_base64=image_base64)
    if "valid_until" in data["credential"]:
        credential["expirationDate"] = f"{data['credential']['valid_until']}T23:59:59Z"
    if status is not None:
        credential["credentialStatus"] = elm_status(*status)
    return credential


def edc_credential(data: dict, cred_id: str, *, issuer_did: str, issued: str, valid_from: str, subject: dict,
                   image_base64: str = PLACEHOLDER_PNG, attachments: list | None = None) -> dict:
    """The European Digital Credential around a subject: contexts, types, profile, schema, issuer, dates, display.

    The parts every mcred ELM credential shares, a single learner's or a stack's.
    """
    credential = {
        "@context": list(CONTEXT),
        "id": cred_id,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [_concept(vocab.concept("credential_profile", "generic"))],
        "credentialSchema": [{"id": SHACL_PROFILE, "type": "ShaclValidator2017"}],
        "issuer": _issuer_node(data, issuer_did),
        "issuanceDate": issued,
        "issued": issued,
        "validFrom": valid_from,
        "credentialSubject": subject,
    }
    if attachments:
        credential["attachment"] = attachments
    credential["displayParameter"] = _display(data, cred_id, image_base64)
    return credential


XSD_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"


def elm_status(list_id: str, index: int) -> dict:
    """The ``credentialStatus`` of an ELM credential: an xsd:anyURI literal ``<list id>#<index>``."""
    return {"@value": f"{list_id}#{index}", "@type": XSD_ANYURI}
