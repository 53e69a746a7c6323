"""Issuing the award as ELM 3.2 on VC 2.0, DC4EU's EUHEMC profile (``mcred issue --format vc2``).

The award is built and checked once, as for every format (:func:`mcred.issue.award.build_checked`), then
rewritten in the profile's shape (:func:`euhemc_credential`): VC 2.0's context and dates, the profile's four
types and two ``credentialSchema`` entries, the EQF level's and the credit framework's notations, the
subject as ``educationSubject``, the credits also as ``creditReceived``, the awarding location. The
profile's rules (:mod:`mcred.elm.euhemc`), its JSON Schema and its SHACL shapes
(:mod:`mcred.elm.euhemc_validation`) must hold before anything is signed.

Why a JCS suite: ``edc-ap`` after ``credentials/v2`` is a JSON-LD error (v2 protects ``description``,
edc-ap redefines it), so the document has no graph an RDFC suite could sign; ``eddsa-jcs-2022`` and
``ecdsa-jcs-2019`` sign its JSON text, every key of it. docs/issue.md, "ELM 3.2 on VC 2.0 (EUHEMC)".
"""

from __future__ import annotations

import copy

from mcred.elm.euhemc import CONTEXTS, CREDENTIAL_SCHEMAS, TYPES, ProfileProblem, profile_problems
from mcred.elm.outcomes import Outcomes
from mcred.errors import InputError, UsageError
from mcred.messages import register
from mcred.proofs.data_integrity import ECDSA_JCS, JCS

SUITES = (JCS, ECDSA_JCS)

register({
    "VC2_RDFC_REFUSED": ("{suite} non può firmare una credenziale ELM 3.2 su VC 2.0: il contesto edc-ap dopo "
                         "credentials/v2 è un errore JSON-LD (ridefinisce il termine protetto description) e anche "
                         "aggirandolo `issued` verrebbe scartato in silenzio, quindi la firma non coprirebbe ciò "
                         "che il documento dice", "usate --suite eddsa-jcs-2022 (chiave Ed25519) o ecdsa-jcs-2019 "
                         "(chiave P-256), che firmano il JSON stesso"),
})


def check_suite(suite: str) -> None:
    """Refuse a suite that cannot sign this shape (an RDFC one), saying why; UsageError VC2_RDFC_REFUSED."""
    if suite in SUITES:
        return
    raise UsageError(
        f"{suite} cannot sign an ELM 3.2 credential on VC 2.0: edc-ap after credentials/v2 is a JSON-LD error "
        "(it redefines the protected term description), and even with that worked around `issued` would be "
        "dropped silently, so an RDF signature would not cover what the document says",
        code="VC2_RDFC_REFUSED", params={"suite": suite},
        hint="sign with --suite eddsa-jcs-2022 (an Ed25519 key) or ecdsa-jcs-2019 (a P-256 key), which sign the "
        "JSON itself")


def euhemc_credential(elm: dict) -> dict:
    """The EUHEMC rendition of an ELM credential built by :mod:`mcred.elm.builder` (a new object)."""
    doc = copy.deepcopy(elm)
    # VC 2.0: its context first (Data Integrity is in it), validFrom/validUntil; no issuanceDate, and no
    # `issued`, which neither credentials/v2 nor edc-ap defines (its graph would drop it)
    unsigned = {"@context": list(CONTEXTS), "id": doc["id"], "type": list(TYPES),
                "credentialProfiles": doc["credentialProfiles"], "credentialSchema": copy.deepcopy(CREDENTIAL_SCHEMAS),
                "issuer": doc["issuer"], "validFrom": doc["validFrom"]}
    if doc.get("expirationDate"):
        unsigned["validUntil"] = doc["expirationDate"]
    subject = doc["credentialSubject"]
    for claim in subject.get("hasClaim", []):
        _achievement(claim)
    unsigned["credentialSubject"] = subject
    if doc.get("credentialStatus"):
        unsigned["credentialStatus"] = doc["credentialStatus"]
    unsigned["displayParameter"] = doc["displayParameter"]
    return unsigned


def _achievement(claim: dict) -> None:
    spec = claim["specifiedBy"]
    if spec.get("eqfLevel"):  # the profile reads the level's notation (JSON Schema and SHACL)
        spec["eqfLevel"]["notation"] = spec["eqfLevel"]["id"].rsplit("/", 1)[-1]
    if spec.get("thematicArea"):  # the profile's subject is ISCED-F, which ELM's thematicArea holds
        spec["educationSubject"] = copy.deepcopy(spec["thematicArea"])
    for credit in spec.get("creditPoint", []):
        credit["framework"]["notation"] = "ECTS"
    if spec.get("creditPoint"):  # the credits the learner received: those of the specification
        claim["creditReceived"] = [{**copy.deepcopy(c), "id": c["id"] + "-received"} for c in spec["creditPoint"]]
    awarding = claim["awardedBy"]
    bodies = awarding.get("awardingBody", [])
    if len(bodies) == 1:  # the profile's JSON Schema wants one object (JSON-LD reads it as the list of one)
        awarding["awardingBody"] = bodies[0]
    if bodies and bodies[0].get("location"):  # the profile asks where it was awarded: at the awarding body
        awarding["location"] = copy.deepcopy(bodies[0]["location"][0])
    for assessment in claim.get("provenBy", []):
        if isinstance(assessment.get("awardedBy"), dict):
            assessment["awardedBy"] = awarding


def build_vc2(outcomes: Outcomes, learner: dict, *, issuer_id: str, issued: str, cred_id: str | None = None) -> dict:
    """The unsigned EUHEMC credential of one learner, once the award's rules and the profile's hold. Its id is
    the award's (the ELM rendition's), or ``cred_id`` (a reissue)."""
    from mcred.issue.award import build_checked

    elm, _ = build_checked(outcomes, learner, issuer_id=issuer_id, issued=issued, cred_id=cred_id)
    unsigned = euhemc_credential(elm)
    problems = profile_problems(unsigned)
    if problems:
        raise _profile_error(problems, str(outcomes.file))
    from mcred.elm.euhemc_validation import check_conformance

    check_conformance(unsigned, file=str(outcomes.file))
    return unsigned


def _profile_error(problems: list[ProfileProblem], file: str) -> InputError:
    first = problems[0]
    more = "; ".join(p.code for p in problems[1:])
    return InputError(f"the outcome file breaks the EUHEMC profile: {first.message}"
                      + (f" (and: {more})" if more else ""), file=file, path=first.source or first.path,
                      code=first.code, hint="fix the field named, or issue this award with --format elm",
                      params={**first.params, "problems": [p.code for p in problems]})


def issue_vc2(outcomes: Outcomes, learner: dict, key, *, issued: str, suite: str = JCS,
              cred_id: str | None = None) -> dict:
    """The award of one learner as a signed ELM 3.2 / VC 2.0 EUHEMC credential (``eddsa-jcs-2022`` with an
    Ed25519 key, ``ecdsa-jcs-2019`` with a P-256 key). An RDFC suite is refused (VC2_RDFC_REFUSED), an outcome
    file that breaks the profile too, with the rule's own code and the field to fix."""
    from mcred.jsonld.process import check_contexts
    from mcred.proofs.data_integrity import add_proof

    check_suite(suite)
    unsigned = build_vc2(outcomes, learner, issuer_id=key.did, issued=issued, cred_id=cred_id)
    check_contexts(unsigned, file=str(outcomes.file))
    # not sign_credential: it reads the document's graph first (the VC 2.0 rules, the JSON-LD safe mode), and
    # this document has none (edc-ap after credentials/v2 is a JSON-LD error). The JCS proof covers the JSON
    # text, every key; the profile's rules, JSON Schema and SHACL shapes were checked above, and the issuer is
    # the key's DID by construction. The departure is documented and `mcred verify` reports it by name.
    return add_proof(unsigned, key, suite=suite, created=issued, file=str(outcomes.file), copy=False)
