"""Verifiable presentations: made by their holder (mcred.issue.presentation), verified with the holder's checks and
each credential's full report (mcred.verify.presentation). Each check has the negative test a holder, or someone
who got hold of a presentation, would try, asserting its code."""

from __future__ import annotations

import json

import pytest

from mcred.errors import InputError, UsageError
from mcred.issue.presentation import DATA_INTEGRITY_V2, VC1, VC2, make_presentation
from mcred.keys.documents import documents_from
from mcred.keys.ecdsa import generate
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import add_proof
from mcred.proofs.signing import sign_credential
from mcred.report import Status, VerifyOptions
from mcred.verify.presentation import is_presentation, verify_presentation
from tests.conftest import CREATED, NOW, VECTORS, load_json

ISSUER = SigningKey.from_seed(bytes(range(32)))
HOLDER = SigningKey.from_seed(bytes(range(1, 33)))
OTHER = SigningKey.from_seed(bytes(range(2, 34)))
CHALLENGE, DOMAIN = "3f6e2c1a-nonce", "verifier.example"
OPTIONS = VerifyOptions(now=NOW)


def credential(subject: str | None = None, *, alumni_of: str = "Example University") -> dict:
    """A VC 2.0 credential by ISSUER about ``subject`` (the holder by default)."""
    doc = load_json(VECTORS / "unsigned.json")
    doc["issuer"] = ISSUER.did
    doc["credentialSubject"]["id"] = subject or HOLDER.did
    doc["credentialSubject"]["alumniOf"] = alumni_of
    return sign_credential(doc, ISSUER, created=CREATED)


def present(*credentials, key=HOLDER, **kwargs) -> dict:
    kwargs = {"challenge": CHALLENGE, "domain": DOMAIN, "created": CREATED, **kwargs}
    return make_presentation(list(credentials) or [credential()], key, **kwargs)


def verify(vp, challenge=CHALLENGE, domain=DOMAIN, **kwargs):
    return verify_presentation(vp, challenge=challenge, domain=domain, options=kwargs.pop("options", OPTIONS),
                               **kwargs)


def codes(report, status=Status.FAILED) -> list[str]:
    return [c.code for c in report.holder_checks if c.status == status]


# -- the right presentation ------------------------------------------------------------------------------------


def test_a_presentation_made_for_this_request_verifies():
    vp = present()
    assert is_presentation(vp)
    assert vp["@context"] == [VC2] and vp["type"] == ["VerifiablePresentation"] and vp["holder"] == HOLDER.did
    assert vp["proof"]["proofPurpose"] == "authentication"
    assert (vp["proof"]["challenge"], vp["proof"]["domain"]) == (CHALLENGE, DOMAIN)
    report = verify(vp)
    assert report.verified and report.exit_code == 0 and report.outcome == "verified", report.failures
    assert [c.code for c in report.holder_checks] == [
        "JSON_OK", "CONTEXTS_OK", "JSONLD_OK", "PRESENTATION_PROOF_OK", "PRESENTATION_CHALLENGE_OK",
        "PRESENTATION_DOMAIN_OK", "PRESENTATION_HOLDER_OK", "PRESENTATION_CREDENTIAL_OK", "HOLDER_BINDING_OK"]
    assert report.holder == HOLDER.did
    assert len(report.credentials) == 1 and report.credentials[0].verified


def test_the_credentials_are_presented_as_they_are():
    held = credential()
    before = json.dumps(held, sort_keys=True)
    vp = present(held)
    assert json.dumps(vp["verifiableCredential"][0], sort_keys=True) == before
    assert json.dumps(held, sort_keys=True) == before  # the caller's credential is not changed


def test_the_report_as_json_holds_each_credentials_report():
    data = verify(present(credential(), credential(alumni_of="Another"))).to_dict("it")
    assert data["format"] == "mcred-presentation-report/1" and data["kind"] == "presentation"
    assert data["outcome"] == "verified" and data["holder"] == HOLDER.did
    assert [c["format"] for c in data["credentials"]] == ["mcred-report/1"] * 2
    json.dumps(data)  # JSON-ready
    challenge = next(c for c in data["checks"] if c["code"] == "PRESENTATION_CHALLENGE_OK")
    assert "challenge richiesta" in challenge["message"]


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_both_eddsa_suites(suite):
    vp = present(suite=suite)
    assert vp["proof"]["cryptosuite"] == suite
    assert verify(vp).verified


def test_an_ecdsa_holder_key():
    key = generate("p256")
    vp = present(credential(key.did), key=key, suite="ecdsa-rdfc-2019")
    assert verify(vp).verified


def test_the_suite_must_fit_the_holders_key():
    with pytest.raises(UsageError) as caught:
        present(key=generate("p256"))
    assert caught.value.code == "SUITE_KEY_MISMATCH"


def credential_1_1() -> dict:
    doc = {"@context": [VC1, "https://www.w3.org/2018/credentials/examples/v1", DATA_INTEGRITY_V2],
           "type": ["VerifiableCredential", "AlumniCredential"], "issuer": ISSUER.did,
           "issuanceDate": "2026-01-01T00:00:00Z",
           "credentialSubject": {"id": HOLDER.did, "alumniOf": "Example University"}}
    return sign_credential(doc, ISSUER, created=CREATED)


def test_vc_1_1_credentials_make_a_1_1_presentation():
    vp = present(credential_1_1())
    assert vp["@context"] == [VC1, DATA_INTEGRITY_V2]
    report = verify(vp)
    assert report.verified, report.failures


# -- challenge and domain -----------------------------------------------------------------------------------------


def test_a_wrong_challenge_fails():
    report = verify(present(), challenge="another-nonce")
    assert codes(report) == ["PRESENTATION_CHALLENGE_MISMATCH"] and report.exit_code == 1


def test_a_wrong_domain_fails():
    report = verify(present(), domain="attacker.example")
    assert codes(report) == ["PRESENTATION_DOMAIN_MISMATCH"] and report.exit_code == 1


def test_a_missing_challenge_or_domain_fails_when_one_was_asked():
    report = verify(present(challenge=None, domain=None))
    assert codes(report) == ["PRESENTATION_CHALLENGE_MISSING", "PRESENTATION_DOMAIN_MISSING"]
    assert report.exit_code == 1


def test_a_challenge_not_asked_is_a_warning_and_a_failure_when_strict():
    report = verify(present(), challenge=None, domain=None)
    assert codes(report, Status.WARNING) == ["PRESENTATION_CHALLENGE_NOT_CHECKED", "PRESENTATION_DOMAIN_NOT_CHECKED"]
    assert report.exit_code == 0 and report.outcome == "verified-with-warnings"
    strict = verify(present(), challenge=None, domain=None, options=VerifyOptions(now=NOW, strict=True))
    assert strict.exit_code == 1


def test_a_domain_list_holds_the_verifiers():
    vp = present(domain=None)
    vp["proof"]["domain"] = [DOMAIN, "other.example"]  # (re-signed below: the domain is signed)
    del vp["proof"]
    signed = add_proof(vp, HOLDER, proof_purpose="authentication", challenge=CHALLENGE, created=CREATED,
                       domain=[DOMAIN, "other.example"])
    assert verify(signed).verified


def test_the_challenge_is_signed_so_changing_it_breaks_the_holders_signature():
    vp = present(challenge="old-nonce")
    vp["proof"]["challenge"] = CHALLENGE  # a replay made to look fresh
    report = verify(vp)
    assert codes(report) == ["PROOF_SIGNATURE_INVALID"]
    assert [c.code for c in report.holder_checks if c.check == "challenge"] == ["SKIPPED_PROOF"]


# -- the holder's proof -------------------------------------------------------------------------------------------


def test_a_proof_for_another_purpose_fails():
    vp = present()
    del vp["proof"]
    signed = add_proof(vp, HOLDER, challenge=CHALLENGE, domain=DOMAIN, created=CREATED)  # assertionMethod
    report = verify(signed)
    assert codes(report) == ["PROOF_PURPOSE_INVALID"]
    assert "authentication" in report.failures[0].message


def test_a_presentation_without_proof_fails():
    vp = present()
    del vp["proof"]
    assert codes(verify(vp)) == ["PROOF_MISSING"]


def test_a_key_that_is_not_the_holders_fails():
    # the holder claims to be HOLDER, but OTHER signs: a credential presented by someone else
    vp = present()
    del vp["proof"]
    signed = add_proof(vp, OTHER, proof_purpose="authentication", challenge=CHALLENGE, domain=DOMAIN,
                       created=CREATED)
    report = verify(signed)
    assert codes(report) == ["PRESENTATION_HOLDER_NOT_SIGNER"] and report.exit_code == 1


def test_the_holder_changed_after_signing_breaks_the_signature():
    vp = present()
    vp["holder"] = OTHER.did
    assert "PROOF_SIGNATURE_INVALID" in codes(verify(vp))


WEB = "did:web:learner.example"
WEB_VM = f"{WEB}#key-1"


class WebKey:
    """HOLDER's key, named by a did:web verification method (what add_proof signs with)."""

    verification_method = WEB_VM

    def sign(self, data: bytes) -> bytes:
        return HOLDER.sign(data)


def web_presentation() -> dict:
    vp = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": WEB,
          "verifiableCredential": [credential(WEB)]}
    return add_proof(vp, WebKey(), proof_purpose="authentication", challenge=CHALLENGE, domain=DOMAIN,
                     created=CREATED)


def web_document(relationship: str) -> dict:
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": WEB,
            "verificationMethod": [{"id": WEB_VM, "type": "Multikey", "controller": WEB,
                                    "publicKeyMultibase": HOLDER.public_key.multibase}],
            relationship: [WEB_VM]}


def test_a_did_web_holder_with_its_document_listing_the_key_for_authentication():
    documents = documents_from([(web_document("authentication"), "did.json")])
    report = verify(web_presentation(), options=VerifyOptions(now=NOW, documents=documents))
    assert report.verified, report.failures


def test_a_did_web_holder_key_listed_only_for_assertion_cannot_authenticate():
    documents = documents_from([(web_document("assertionMethod"), "did.json")])
    report = verify(web_presentation(), options=VerifyOptions(now=NOW, documents=documents))
    assert codes(report) == ["KEY_METHOD_NOT_AUTHORISED"]


def test_a_did_web_holder_without_its_document_is_not_resolvable_offline():
    assert codes(verify(web_presentation())) == ["KEY_DOCUMENT_MISSING"]


def test_a_presentation_without_a_holder_is_bound_to_its_signer_with_a_warning():
    vp = present()
    del vp["proof"], vp["holder"]
    signed = add_proof(vp, HOLDER, proof_purpose="authentication", challenge=CHALLENGE, domain=DOMAIN,
                       created=CREATED)
    report = verify(signed)
    assert codes(report, Status.WARNING) == ["PRESENTATION_HOLDER_MISSING"]
    assert report.verified and "HOLDER_BINDING_OK" in codes(report, Status.PASSED)


def test_an_undefined_term_in_the_presentation_is_refused():
    vp = present()
    vp["note"] = "not in any context"
    report = verify(vp)
    assert codes(report) == ["JSONLD_UNDEFINED_TERM"]
    assert [c.code for c in report.holder_checks if c.check == "proof"] == ["SKIPPED_UNSAFE"]


def test_a_presentation_whose_contexts_do_not_define_the_challenge_is_unusable():
    # a VC 1.1 presentation without the Data Integrity context: its proof's terms are not defined, so its
    # signature would not cover the challenge (refused, not read)
    vp = present(credential_1_1())
    vp["@context"] = [VC1]
    report = verify(vp)
    assert report.exit_code in (1, 3) and not report.verified
    assert {"PROOF_TERMS_UNDEFINED", "JSONLD_UNDEFINED_TERM"} & set(codes(report))


# -- the credentials inside ---------------------------------------------------------------------------------------


def test_a_credential_swapped_inside_breaks_the_holders_signature():
    vp = present()
    vp["verifiableCredential"][0] = credential(alumni_of="Another University")  # valid on its own
    report = verify(vp)
    assert codes(report) == ["PROOF_SIGNATURE_INVALID"] and report.exit_code == 1
    assert report.credentials[0].verified


def test_a_credential_tampered_inside_fails_even_when_the_holder_signs_it():
    forged = credential()
    forged["credentialSubject"]["alumniOf"] = "Harvard"  # the issuer's signature no longer matches
    report = verify(present(forged))
    assert codes(report) == ["PRESENTATION_CREDENTIAL_INVALID"] and report.exit_code == 1
    assert [c.code for c in report.credentials[0].failures] == ["PROOF_SIGNATURE_INVALID"]
    assert report.to_dict()["credentials"][0]["outcome"] == "invalid"


def test_a_credential_about_someone_else_is_a_warning_or_with_binding_required_a_failure():
    vp = present(credential(OTHER.did))
    report = verify(vp)
    assert codes(report, Status.WARNING) == ["HOLDER_BINDING_MISMATCH"] and report.exit_code == 0
    required = verify(vp, holder_binding="required")
    assert codes(required) == ["HOLDER_BINDING_MISMATCH"] and required.exit_code == 1


def test_the_holder_binding_is_read_from_the_signed_graph():
    # "id" spelt as a JSON key the contexts map elsewhere would not fool it: the subject's IRI is what counts
    doc = load_json(VECTORS / "unsigned.json")
    doc["issuer"] = ISSUER.did
    doc["credentialSubject"].pop("id", None)
    vp = present(sign_credential(doc, ISSUER, created=CREATED))
    assert codes(verify(vp, holder_binding="required")) == ["HOLDER_BINDING_MISMATCH"]


def test_an_unknown_holder_binding_is_a_usage_error():
    with pytest.raises(UsageError):
        verify(present(), holder_binding="sometimes")


def test_something_that_is_not_a_credential_inside_fails():
    vp = present()
    del vp["proof"]
    vp["verifiableCredential"].append("eyJhbGciOiJFZERTQSJ9.e30.c2ln")
    signed = add_proof(vp, HOLDER, proof_purpose="authentication", challenge=CHALLENGE, domain=DOMAIN,
                       created=CREATED)
    report = verify(signed)
    assert "PRESENTATION_CREDENTIAL_UNSUPPORTED" in codes(report)


def test_an_empty_presentation_proves_only_the_key():
    report = verify(make_presentation([], HOLDER, challenge=CHALLENGE, domain=DOMAIN, created=CREATED))
    assert codes(report, Status.WARNING) == ["PRESENTATION_EMPTY"] and report.exit_code == 0


def test_the_credentials_are_verified_with_the_same_options_as_a_lone_one():
    vp = present(credential())
    later = verify(vp, options=VerifyOptions(now=NOW.replace(year=2100)))
    # the vectors' credential has no expiry; the holder's checks pass; every credential check ran
    ran = [c.check for c in later.credentials[0].checks]
    assert ran[:3] == ["json", "contexts", "jsonld"] and {"proof", "issuer", "validity", "status"} <= set(ran)


# -- what cannot be presented -------------------------------------------------------------------------------------


def test_an_unsigned_credential_cannot_be_presented():
    doc = load_json(VECTORS / "unsigned.json")
    with pytest.raises(InputError) as caught:
        make_presentation([doc], HOLDER)
    assert caught.value.code == "PRESENT_NOT_CREDENTIAL"


def test_a_credential_with_an_unknown_context_cannot_be_presented():
    held = credential()
    held["@context"] = [*held["@context"], "https://example.org/unknown/v1"]
    with pytest.raises(InputError) as caught:
        make_presentation([held], HOLDER)
    assert caught.value.code == "CONTEXT_UNKNOWN"


def test_a_presentation_given_where_one_is_not_is_not_a_presentation():
    assert not is_presentation(credential())
    report = verify({"@context": [VC2], "type": ["VerifiableCredential"]})
    assert "PRESENTATION_NOT_PRESENTATION" in codes(report)


# -- every code in both languages, and documented -----------------------------------------------------------------

#: the codes the challenge and domain checks build from the check's name (f"PRESENTATION_{NAME}_...")
BUILT = {f"PRESENTATION_{name}_{end}" for name in ("CHALLENGE", "DOMAIN")
         for end in ("OK", "MISSING", "MISMATCH", "NOT_CHECKED")}


def presentation_codes() -> set[str]:
    import re
    from pathlib import Path

    import mcred

    root = Path(mcred.__file__).parent
    source = (root / "verify" / "presentation.py").read_text(encoding="utf-8") + \
        (root / "issue" / "presentation.py").read_text(encoding="utf-8")
    return set(re.findall(r'"((?:PRESENTATION|HOLDER_BINDING|PRESENT)_[A-Z_]+)"', source)) | BUILT


def test_every_presentation_code_has_an_italian_message_and_a_row_in_the_docs():
    from pathlib import Path

    import mcred
    from mcred.messages import _CATALOGUE

    codes = presentation_codes()
    assert len(codes) > 20
    assert codes - set(_CATALOGUE) == set()
    table = (Path(mcred.__file__).parent.parent / "docs" / "verify.md").read_text(encoding="utf-8")
    assert {code for code in codes if f"`{code}`" not in table} == set()


def test_every_presentation_report_validates_against_its_schema():
    from mcred._schema import schema_errors

    forged = credential()
    forged["credentialSubject"]["alumniOf"] = "Harvard"
    reports = [verify(present()), verify(present(), challenge="x"), verify(present(forged)),
               verify(present(credential(OTHER.did)), challenge=None), verify([1]), verify(present(), domain=None)]
    assert {r.outcome for r in reports} == {"verified", "invalid", "unusable", "verified-with-warnings"}
    for report in reports:
        data = report.to_dict("it")
        assert schema_errors(data, "mcred-presentation-report-1.schema.json") == []
        for held in data["credentials"]:
            assert schema_errors(held, "mcred-report-1.schema.json") == []


@pytest.mark.parametrize(("subject", "verified"), [(HOLDER.did, True), (OTHER.did, False)])
def test_the_holder_binding_of_a_jcs_signed_credential(subject, verified):
    # a JCS credential's facts are read from its plain JSON (mcred.graph.facts.plain_facts): the same binding
    doc = load_json(VECTORS / "unsigned.json")
    doc["issuer"] = ISSUER.did
    doc["credentialSubject"]["id"] = subject
    held = sign_credential(doc, ISSUER, created=CREATED, suite="eddsa-jcs-2022")
    assert verify(present(held), holder_binding="required").verified is verified
