"""Credentials inside credentials (issue 16): the credential checked is the one no other credential links to.

An Open Badge 3.0 embeds endorsements (each a VerifiableCredential) in its issuer, its achievement or itself;
they are nodes of the same default graph. mcred checks the outermost one, chosen by the graph's links, never
by which JSON object is on top; a graph with no single outermost credential is still refused.
"""

from __future__ import annotations

import copy

import pytest

from mcred.graph.nodes import MAX_EMBEDDED_CREDENTIALS, GraphError, read_graph
from mcred.jsonld.process import expand_safely
from mcred.proofs.data_integrity import add_proof
from mcred.proofs.signing import sign_credential
from mcred.report import Status
from mcred.verify.runner import verify_credential
from tests.conftest import CREATED, NOW

VC2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ENDORSER = "did:example:endorser"


def endorsement(about: str, number: int = 1) -> dict:
    return {"id": f"urn:uuid:endorsement-{number}", "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": "An endorsement", "issuer": {"id": ENDORSER, "type": ["Profile"], "name": "Endorser"},
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": about, "type": ["EndorsementSubject"], "endorsementComment": "Good"}}


def badge(issuer: str, *endorsements: dict) -> dict:
    return {"@context": [VC2, OB], "id": "urn:uuid:badge", "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": "A badge", "issuer": {"id": issuer, "type": ["Profile"], "name": "University",
                                          **({"endorsement": list(endorsements)} if endorsements else {})},
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": "https://university.example/achievements/1", "type": ["Achievement"], "name": "Teamwork",
                "description": "Works in a team", "criteria": {"narrative": "Does it"}}}}


def credential_of(document: dict) -> str | None:
    return read_graph(expand_safely(copy.deepcopy(document))).credential.iri


def test_the_outer_credential_is_the_one_no_other_links_to():
    assert credential_of(badge("did:example:university", endorsement("did:example:university"))) == "urn:uuid:badge"


def test_an_endorsement_of_the_badge_itself_does_not_contain_it():
    """The endorsement's subject is the badge (a cycle through credentialSubject): it is about the badge."""
    assert credential_of(badge("did:example:university", endorsement("urn:uuid:badge"))) == "urn:uuid:badge"


def test_the_choice_is_by_links_not_by_which_object_is_on_top():
    """Turned inside out with @reverse (the endorsement on top, the badge pointing at it from below): the same
    graph, the same credential."""
    outer = badge("did:example:university")
    inner = endorsement("did:example:university")
    inside_out = {"@context": outer["@context"], **inner, "@reverse": {}}
    issuer = {k: v for k, v in outer["issuer"].items()}
    inside_out["issuer"] = {**inner["issuer"]}
    # the university profile (the badge's issuer) has the endorsement: written from the endorsement's side
    inside_out["@reverse"] = {"https://purl.imsglobal.org/spec/vc/ob/vocab.html#endorsement": {
        **issuer, "@reverse": {"https://www.w3.org/2018/credentials#issuer": {
            k: v for k, v in outer.items() if k not in ("@context", "issuer")}}}}
    assert credential_of(inside_out) == "urn:uuid:badge"


@pytest.mark.parametrize("document", [
    pytest.param({"@context": [VC2], "@graph": [
        {"id": "urn:uuid:a", "type": "VerifiableCredential", "issuer": "did:example:1",
         "credentialSubject": {"id": "did:example:2"}},
        {"id": "urn:uuid:b", "type": "VerifiableCredential", "issuer": "did:example:1",
         "credentialSubject": {"id": "did:example:2"}}]}, id="two-unrelated"),
    pytest.param(badge("did:example:university", {**endorsement("urn:uuid:x"), "issuer": {
        "id": ENDORSER, "type": ["Profile"], "endorsement": [{"id": "urn:uuid:badge"}]}}),
                 id="each-links-to-the-other"),
])
def test_no_single_outer_credential_is_still_refused(document):
    with pytest.raises(GraphError) as caught:
        credential_of(document)
    assert caught.value.code == "GRAPH_SEVERAL_CREDENTIALS"


def test_too_many_credentials_are_not_searched():
    many = [endorsement("did:example:university", n) for n in range(MAX_EMBEDDED_CREDENTIALS)]
    with pytest.raises(GraphError) as caught:
        credential_of(badge("did:example:university", *many))
    assert caught.value.code == "GRAPH_SEVERAL_CREDENTIALS"
    assert credential_of(badge("did:example:university", *many[:-1])) == "urn:uuid:badge"


def test_a_signed_badge_with_an_endorsement_verifies_as_the_badge(test_key):
    signed = sign_credential(badge(test_key.did, endorsement(test_key.did)), test_key, created=CREATED)
    report = verify_credential(signed, now=NOW)
    assert report.verified, [c.code for c in report.checks if c.status == Status.FAILED]
    assert report.issuer == test_key.did


def test_the_endorser_is_never_taken_for_the_signer(test_key):
    """A badge the endorser's key signed, not the university's: refused, whichever credential is inside."""
    document = badge("did:example:university", endorsement(test_key.did))
    report = verify_credential(add_proof(document, test_key, created=CREATED), now=NOW)
    assert not report.verified
    assert [c.code for c in report.checks if c.status == Status.FAILED] == ["ISSUER_NOT_SIGNER"]
