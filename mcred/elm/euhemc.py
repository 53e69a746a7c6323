"""The DC4EU EUHEMC profile (European Higher Education Micro-credential, ELM 3.2 on VC 2.0): its JSON shape and
the rules mcred enforces on it, for issuing (:mod:`mcred.issue.vc2`) and verifying (``mcred verify``).

The rules are those the profile's files state (its JSON Schema, its SHACL shapes) and the issue asks for:
1–15 whole ECTS, exactly one EQF level, an assessment, quality assurance, exactly one eIDAS identifier on
the issuer, the two ``credentialSchema`` entries (JSON Schema and SHACL), and the profile's four types. Each
broken rule is one :class:`ProfileProblem` with its own code, in English and Italian. The files themselves
are checked too (:mod:`mcred.elm.euhemc_validation`); these rules are the part mcred can state in words
and check without them, and they name the field to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mcred.messages import register

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
EDC_AP_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
#: VC 2.0's "undefined terms" context last: the profile's types VerifiableAttestation and
#: EuropeanHigherEducationMicrocredential are defined by no published context, and without an @vocab
#: (credentials/v2 has none) the graph would drop them; with it they read as undefined-term#<name>
UNDEFINED_TERMS_CONTEXT = "https://www.w3.org/ns/credentials/undefined-terms/v2"
CONTEXTS = [VC2_CONTEXT, EDC_AP_CONTEXT, UNDEFINED_TERMS_CONTEXT]
PROFILE_TYPE = "EuropeanHigherEducationMicrocredential"
#: the JSON Schema asks for exactly these, in this order
TYPES = ["VerifiableCredential", "VerifiableAttestation", "EuropeanDigitalCredential", PROFILE_TYPE]
TSR = "https://api-pilot.ebsi.eu/trusted-schemas-registry/v3/schemas/"
JSON_SCHEMA_ID = TSR + "0x05332a9dc53a4a26a15711262904f2a1dd081cf3da735350f42dac20426530a4"
#: DC4EU's SHACL shape is not registered yet: the id the dual schema asks for is this placeholder
SHACL_ID = TSR + "PENDING_TSR_REGISTRATION_HE_MICRO"
CREDENTIAL_SCHEMAS = [{"id": JSON_SCHEMA_ID, "type": "JsonSchema"}, {"id": SHACL_ID, "type": "ShaclValidator2017"}]
#: the profile's pattern for credits (JSON Schema and SHACL alike): a whole number from 1 to 15
ECTS_POINT = re.compile(r"^(1[0-5]|[1-9])$")
EQF_NOTATION = re.compile(r"^[1-8]$")
EQF_PREFIX = "http://data.europa.eu/snb/eqf/"

register({
    "VC2_TYPES": ("il tipo della credenziale deve essere esattamente {expected}", None),
    "VC2_CONTEXTS": ("@context deve essere {expected}", None),
    "VC2_CREDENTIAL_SCHEMA": ("credentialSchema deve elencare lo JSON Schema ({json_schema}) e la forma SHACL "
                              "({shacl}) del profilo EUHEMC", None),
    "VC2_ECTS_NOT_WHOLE": ("il profilo EUHEMC chiede crediti ECTS interi: {value} non lo è",
                           "arrotondate i crediti (e le ore) a un numero intero di CFU, oppure emettete con "
                           "--format elm"),
    "VC2_ECTS_OUT_OF_RANGE": ("il profilo EUHEMC chiede da 1 a 15 crediti ECTS: {value} è fuori intervallo",
                              "una micro-credenziale EUHEMC vale da 1 a 15 ECTS; emettete con --format elm"),
    "VC2_ECTS_MISSING": ("il profilo EUHEMC chiede i crediti ECTS", "indicate workload.cfu o workload.hours"),
    "VC2_EQF_MISSING": ("il profilo EUHEMC chiede esattamente un livello EQF", "aggiungete eqf_level (1-8)"),
    "VC2_EQF_INVALID": ("il livello EQF {value!r} non è un livello da 1 a 8 del vocabolario EQF", None),
    "VC2_EDUCATION_SUBJECT_MISSING": ("il profilo EUHEMC chiede almeno un ambito disciplinare (ISCED-F)",
                                      "aggiungete isced_f, ad esempio [\"0613\"]"),
    "VC2_ASSESSMENT_MISSING": ("il profilo EUHEMC chiede una valutazione (provenBy) con voto ed esito",
                               "indicate assessment nel file e il voto (grade) di ogni studente"),
    "VC2_GRADE_MISSING": ("il profilo EUHEMC chiede il voto della valutazione", "indicate grade per lo studente"),
    "VC2_QA_MISSING": ("il profilo EUHEMC chiede l'assicurazione della qualità", "indicate quality_assurance"),
    "VC2_EIDAS_COUNT": ("il profilo EUHEMC chiede esattamente un identificativo eIDAS dell'emittente; ce ne "
                        "sono {count}", None),
    "VC2_EIDAS_INCOMPLETE": ("l'identificativo eIDAS dell'emittente deve avere notation e spatial (un IRI)", None),
    "VC2_BIRTH_DATE_MISSING": ("il profilo EUHEMC chiede la data di nascita dello studente",
                               "indicate date_of_birth per lo studente"),
    "VC2_NAME_MISSING": ("il profilo EUHEMC chiede nome e cognome dello studente", None),
    "VC2_AWARDING_INCOMPLETE": ("il profilo EUHEMC chiede ente, data e luogo del conferimento (awardedBy)", None),
})


@dataclass(frozen=True)
class ProfileProblem:
    """One broken EUHEMC rule: a stable code, an English message, the JSON path in the credential, and the
    outcome file's field that decides it (for an issuer's error), with the values the messages use."""

    code: str
    message: str
    path: str
    source: str | None = None
    params: dict = field(default_factory=dict)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def profile_problems(document: dict) -> list[ProfileProblem]:
    """Every EUHEMC rule the credential's JSON breaks (an empty list when it keeps them all)."""
    problems = _envelope(document)
    issuer = document.get("issuer")
    problems += _issuer(issuer if isinstance(issuer, dict) else {})
    subject = document.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    problems += _learner(subject)
    claims = _list(subject.get("hasClaim"))
    if not claims or not isinstance(claims[0], dict):
        return problems + [ProfileProblem("VC2_ASSESSMENT_MISSING", "the credential states no learning "
                                          "achievement (credentialSubject.hasClaim)", "$.credentialSubject")]
    for index, claim in enumerate(claims):
        if isinstance(claim, dict):
            problems += _achievement(claim, f"$.credentialSubject.hasClaim[{index}]")
    return problems


def _envelope(document: dict) -> list[ProfileProblem]:
    problems = []
    # DC4EU's examples have the first two only; mcred writes the third too (see UNDEFINED_TERMS_CONTEXT)
    context = document.get("@context")
    if not (isinstance(context, list) and context[:2] == CONTEXTS[:2] and context[2:] in ([], CONTEXTS[2:])):
        problems.append(ProfileProblem("VC2_CONTEXTS", f"@context must be {CONTEXTS[:2]} (and may end with "
                                       f"{CONTEXTS[2]})", "$['@context']", params={"expected": CONTEXTS}))
    if document.get("type") != TYPES:
        problems.append(ProfileProblem("VC2_TYPES", f"the credential's type must be exactly {TYPES}", "$.type",
                                       params={"expected": TYPES}))
    schemas = _list(document.get("credentialSchema"))
    if not all(wanted in schemas for wanted in CREDENTIAL_SCHEMAS):
        problems.append(ProfileProblem(
            "VC2_CREDENTIAL_SCHEMA", f"credentialSchema must list the profile's JSON Schema ({JSON_SCHEMA_ID}) and "
            f"SHACL shape ({SHACL_ID})", "$.credentialSchema", params={"json_schema": JSON_SCHEMA_ID,
                                                                      "shacl": SHACL_ID}))
    return problems


def _issuer(issuer: dict) -> list[ProfileProblem]:
    identifiers = _list(issuer.get("eIDASIdentifier"))
    if len(identifiers) != 1:
        return [ProfileProblem("VC2_EIDAS_COUNT", f"the EUHEMC profile asks for exactly one eIDAS identifier on "
                               f"the issuer; it has {len(identifiers)}", "$.issuer.eIDASIdentifier",
                               "$.issuer.eidas_identifier", {"count": len(identifiers)})]
    identifier = identifiers[0]
    spatial = identifier.get("spatial") if isinstance(identifier, dict) else None
    if not (isinstance(identifier, dict) and isinstance(identifier.get("notation"), str)
            and isinstance(spatial, dict) and isinstance(spatial.get("id"), str)):
        return [ProfileProblem("VC2_EIDAS_INCOMPLETE", "the issuer's eIDAS identifier needs a notation and a "
                               "spatial IRI (its country)", "$.issuer.eIDASIdentifier", "$.issuer.eidas_identifier")]
    return []


def _learner(subject: dict) -> list[ProfileProblem]:
    problems = []
    if not subject.get("dateOfBirth"):
        problems.append(ProfileProblem("VC2_BIRTH_DATE_MISSING", "the EUHEMC profile asks for the learner's date "
                                       "of birth", "$.credentialSubject.dateOfBirth", "$.learners[].date_of_birth"))
    if not (subject.get("givenName") and subject.get("familyName")):
        problems.append(ProfileProblem("VC2_NAME_MISSING", "the EUHEMC profile asks for the learner's given and "
                                       "family names", "$.credentialSubject", "$.learners[]"))
    return problems


def _achievement(claim: dict, path: str) -> list[ProfileProblem]:
    spec = claim.get("specifiedBy") if isinstance(claim.get("specifiedBy"), dict) else {}
    problems = _credits(spec, claim, path)
    problems += _eqf(spec, f"{path}.specifiedBy")
    if not _list(spec.get("educationSubject")):
        problems.append(ProfileProblem("VC2_EDUCATION_SUBJECT_MISSING", "the EUHEMC profile asks for at least "
                                       "one subject (ISCED-F) on the specification",
                                       f"{path}.specifiedBy.educationSubject", "$.credential.isced_f"))
    assessments = [a for a in _list(claim.get("provenBy")) if isinstance(a, dict)]
    if not assessments:
        problems.append(ProfileProblem("VC2_ASSESSMENT_MISSING", "the EUHEMC profile asks for an assessment "
                                       "(provenBy): it is what tells a micro-credential from a diploma",
                                       f"{path}.provenBy", "$.credential.assessment"))
    for index, assessment in enumerate(assessments):
        if not assessment.get("grade"):
            problems.append(ProfileProblem("VC2_GRADE_MISSING", "the EUHEMC profile asks for the assessment's "
                                           "grade", f"{path}.provenBy[{index}].grade", "$.learners[].grade"))
    if not (_list(spec.get("accreditation")) or any(
            isinstance(n, dict) and str(n.get("id", "")).endswith("#quality-assurance")
            for n in _list(spec.get("additionalNote")))):
        problems.append(ProfileProblem("VC2_QA_MISSING", "the EUHEMC profile asks for quality assurance (an "
                                       "accreditation or a quality-assurance note on the specification)",
                                       f"{path}.specifiedBy.accreditation", "$.credential.quality_assurance"))
    awarding = claim.get("awardedBy") if isinstance(claim.get("awardedBy"), dict) else {}
    if not (awarding.get("awardingBody") and awarding.get("awardingDate") and awarding.get("location")):
        problems.append(ProfileProblem("VC2_AWARDING_INCOMPLETE", "the EUHEMC profile asks for the awarding "
                                       "body, date and location (awardedBy)", f"{path}.awardedBy"))
    return problems


def _credits(spec: dict, claim: dict, path: str) -> list[ProfileProblem]:
    entries = [(f"{path}.specifiedBy.creditPoint[{i}]", c) for i, c in enumerate(_list(spec.get("creditPoint")))]
    entries += [(f"{path}.creditReceived[{i}]", c) for i, c in enumerate(_list(claim.get("creditReceived")))]
    if not entries:
        return [ProfileProblem("VC2_ECTS_MISSING", "the EUHEMC profile asks for the ECTS credits",
                               f"{path}.specifiedBy.creditPoint", "$.credential.workload")]
    for where, credit in entries:
        point = credit.get("point") if isinstance(credit, dict) else None
        if isinstance(point, str) and ECTS_POINT.match(point):
            continue
        whole = isinstance(point, str) and point.isdigit()
        code = "VC2_ECTS_OUT_OF_RANGE" if whole else "VC2_ECTS_NOT_WHOLE"
        detail = "from 1 to 15" if whole else "a whole number"
        return [ProfileProblem(code, f"the EUHEMC profile asks for {detail} of ECTS credits; the credential "
                               f"states {point!r}", f"{where}.point", "$.credential.workload", {"value": point})]
    return []


def _eqf(spec: dict, path: str) -> list[ProfileProblem]:
    levels = _list(spec.get("eqfLevel"))
    if len(levels) != 1:
        return [ProfileProblem("VC2_EQF_MISSING", f"the EUHEMC profile asks for exactly one EQF level; the "
                               f"specification has {len(levels)}", f"{path}.eqfLevel", "$.credential.eqf_level")]
    level = levels[0] if isinstance(levels[0], dict) else {}
    notation, iri = level.get("notation"), level.get("id")
    if not (isinstance(notation, str) and EQF_NOTATION.match(notation) and iri == EQF_PREFIX + notation):
        return [ProfileProblem("VC2_EQF_INVALID", f"the EQF level {iri!r} (notation {notation!r}) is not a level "
                               "1-8 of the EQF vocabulary", f"{path}.eqfLevel", "$.credential.eqf_level",
                               {"value": iri})]
    return []
