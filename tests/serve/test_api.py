"""The VC API through an ASGI test client: each endpoint, and each refusal with its problem code."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ASSETS, TEST_SEED  # noqa: F401

from .conftest import CREDENTIAL_ID, unsigned


def test_health_says_who_issues(client, key):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["issuer"] == key.did and body["suite"] == "eddsa-rdfc-2022"


def test_openapi_document_lists_every_endpoint(client):
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/credentials/issue", "/credentials/verify", "/presentations/verify",
                                      "/credentials/status", "/health", "/openapi.json"}


# --- /credentials/issue ------------------------------------------------------------------------------


def test_issue_signs_with_the_server_key(client, key):
    response = client.post("/credentials/issue", json={"credential": unsigned(key)})
    assert response.status_code == 201
    credential = response.json()["verifiableCredential"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["verificationMethod"].startswith(key.did)


def test_issue_adds_the_data_integrity_context_to_vc_1_1(client, key):
    credential = unsigned(key, **{"@context": ["https://www.w3.org/2018/credentials/v1"],
                                  "issuanceDate": "2026-01-01T00:00:00Z"})
    del credential["validFrom"]
    response = client.post("/credentials/issue", json={"credential": credential})
    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    assert signed["@context"] == ["https://www.w3.org/2018/credentials/v1",
                                  "https://w3id.org/security/data-integrity/v2"]
    assert client.post("/credentials/verify", json={"verifiableCredential": signed}).status_code == 200


def test_issue_refuses_another_issuer(client, key):
    response = client.post("/credentials/issue", json={"credential": unsigned(key, issuer="did:example:other")})
    assert response.status_code == 422
    assert response.json()["code"] == "SIGNING_REFUSED" and response.json()["path"] == "$.issuer"


def test_issue_sets_the_issuer_with_issuer_from_key(make_client, key):
    client = make_client(issuer_from_key=True)
    response = client.post("/credentials/issue", json={"credential": unsigned(key, issuer="did:example:other")})
    assert response.status_code == 201 and response.json()["verifiableCredential"]["issuer"] == key.did


def test_issue_refuses_an_unknown_context_by_name(client, key):
    credential = unsigned(key, **{"@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/ctx"]})
    body = client.post("/credentials/issue", json={"credential": credential}).json()
    assert body["code"] == "CONTEXT_UNKNOWN" and "https://evil.example/ctx" in body["detail"]


def test_issue_refuses_an_undefined_term(client, key):
    credential = unsigned(key, **{"@context": ["https://www.w3.org/2018/credentials/v1"],
                                  "issuanceDate": "2026-01-01T00:00:00Z", "secretClaim": "not signed"})
    del credential["validFrom"]
    response = client.post("/credentials/issue", json={"credential": credential})
    assert response.status_code == 422 and response.json()["code"] == "JSONLD_UNDEFINED_TERM"


def test_issue_without_a_key_is_501(make_client, key):
    response = make_client(key=None).post("/credentials/issue", json={"credential": unsigned(key)})
    assert response.status_code == 501 and response.json()["code"] == "SERVE_NOT_IMPLEMENTED"


@pytest.mark.parametrize("body, path", [
    ({}, "$.credential"), ({"credential": []}, "$.credential"), ([1], "$"),
    ({"credential": {}, "options": 3}, "$.options"),
])
def test_issue_refuses_a_malformed_request(client, body, path):
    response = client.post("/credentials/issue", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "SERVE_REQUEST_INVALID" and response.json()["path"] == path


def test_issue_never_returns_the_key(client, key):
    text = client.post("/credentials/issue", json={"credential": unsigned(key)}).text
    assert TEST_SEED.hex() not in text and "PRIVATE" not in text


# --- /credentials/verify -----------------------------------------------------------------------------


def test_verify_answers_the_vc_api_result_and_the_full_report(client, signed):
    response = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True and body["errors"] == []
    assert "proof" in body["checks"]
    assert body["report"]["format"] == "mcred-report/1" and body["report"]["outcome"] == "verified"


def test_verify_a_tampered_claim_is_422_with_the_reason(client, signed):
    signed["credentialSubject"]["id"] = "did:example:mallory"
    response = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 422
    assert [e["type"] for e in response.json()["errors"]] == ["PROOF_SIGNATURE_INVALID"]


def test_verify_a_changed_validity_is_422(client, signed):
    signed["validFrom"] = "2020-01-01T00:00:00Z"
    body = client.post("/credentials/verify", json={"verifiableCredential": signed}).json()
    assert body["verified"] is False and body["errors"][0]["type"] == "PROOF_SIGNATURE_INVALID"


def test_verify_an_unusable_credential_is_400(client, signed):
    signed["@context"] = ["https://evil.example/ctx"]
    response = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 400 and response.json()["errors"][0]["type"] == "CONTEXT_UNKNOWN"


def test_verify_speaks_italian(client, signed):
    signed["credentialSubject"]["id"] = "did:example:mallory"
    body = client.post("/credentials/verify", json={"verifiableCredential": signed},
                       headers={"Accept-Language": "it-IT"}).json()
    assert "la firma non corrisponde" in body["errors"][0]["detail"]


def test_verify_refuses_unknown_checks(client, signed):
    response = client.post("/credentials/verify", json={"verifiableCredential": signed,
                                                        "options": {"checks": ["proof", "telepathy"]}})
    assert response.status_code == 400 and response.json()["path"] == "$.options.checks"


def _proof_set_by_two_keys(signed: dict) -> dict:
    from mcred.keys.ed25519 import SigningKey
    from mcred.proofs.data_integrity import add_proof

    return add_proof(signed, SigningKey.from_seed(bytes(range(1, 33))), created="2026-11-01T09:00:00Z")


def test_proof_only_checks_need_every_proof_but_not_the_issuer_rule(client, signed):
    """``checks: ["proof"]``: every proof must verify, the issuer rule is off (VerifyOptions.proof_only)."""
    two_signers = _proof_set_by_two_keys(signed)
    full = client.post("/credentials/verify", json={"verifiableCredential": two_signers})
    assert full.status_code == 422  # the issuer rule: a proof by a key the issuer does not control
    response = client.post("/credentials/verify", json={"verifiableCredential": two_signers,
                                                        "options": {"checks": ["proof"]}})
    assert response.status_code == 200 and response.json()["verified"] is True
    two_signers["credentialSubject"]["id"] = "did:example:mallory"  # proof-only still checks every signature
    tampered = client.post("/credentials/verify", json={"verifiableCredential": two_signers,
                                                        "options": {"checks": ["proof"]}})
    assert tampered.status_code == 422 and "PROOF_SIGNATURE_INVALID" in [e["type"] for e in tampered.json()["errors"]]


# --- /presentations/verify ---------------------------------------------------------------------------


def test_an_unsigned_presentation_is_not_verified(client, signed):
    """An unsigned presentation is not verified (422, the report in the body)."""
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "verifiableCredential": [signed]}
    response = client.post("/presentations/verify", json={"verifiablePresentation": presentation,
                                                          "options": {"challenge": "c-123", "domain": "its.example"}})
    assert response.status_code == 422
    assert response.json()["verified"] is False and "report" in response.json()


def test_a_signed_presentation_verifies_for_its_challenge_and_domain_only(client, signed, tmp_path):
    """End to end with mcred's own presentation maker: the right challenge and domain verify (200), a wrong
    challenge or domain is refused (422, naming the check), and a tampered credential inside is refused."""
    import copy

    from mcred.issue.presentation import make_presentation
    from mcred.keys.ed25519 import SigningKey

    holder = SigningKey.from_seed(bytes(range(40, 72)))
    vp = make_presentation([signed], holder, challenge="c-123", domain="its.example")

    def post(presentation, challenge="c-123", domain="its.example"):
        return client.post("/presentations/verify", json={"verifiablePresentation": presentation,
                                                          "options": {"challenge": challenge, "domain": domain}})

    good = post(vp)
    assert good.status_code == 200 and good.json()["verified"] is True, good.json()
    assert good.json()["credentialResults"][0]["verified"] is True
    for wrong, code in ((post(vp, challenge="c-999"), "PRESENTATION_CHALLENGE_MISMATCH"),
                        (post(vp, domain="evil.example"), "PRESENTATION_DOMAIN_MISMATCH")):
        assert wrong.status_code == 422 and code in [e["type"] for e in wrong.json()["errors"]]
    tampered = copy.deepcopy(vp)
    tampered["verifiableCredential"][0]["credentialSubject"]["id"] = "did:example:mallory"
    assert post(tampered).status_code == 422


def test_presentations_verify_refuses_a_malformed_request(client):
    response = client.post("/presentations/verify", json={"options": {"challenge": 3}})
    assert response.status_code == 400 and response.json()["path"] == "$.verifiablePresentation"


# --- bounds and routing --------------------------------------------------------------------------------


def test_malformed_json_is_400(client):
    response = client.post("/credentials/verify", content=b'{"verifiableCredential": ',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["code"] == "JSON_MALFORMED"


def test_a_body_over_the_limit_is_413(make_client):
    client = make_client(max_body_bytes=2048)
    response = client.post("/credentials/verify", content=b"[" + b" " * 4096 + b"]")
    assert response.status_code == 413 and response.json()["code"] == "SERVE_BODY_TOO_LARGE"


def test_a_body_over_the_limit_without_a_length_is_413(make_client):
    client = make_client(max_body_bytes=2048)

    def chunks():
        for _ in range(8):
            yield b" " * 1024

    response = client.post("/credentials/verify", content=chunks())
    assert response.status_code == 413 and response.json()["code"] == "SERVE_BODY_TOO_LARGE"


def test_a_request_over_the_time_limit_is_503(make_client, signed, monkeypatch):
    import time

    from mcred.serve import handlers

    monkeypatch.setattr(handlers, "verify", lambda *args: time.sleep(0.5) or (200, {}))
    client = make_client(request_seconds=0.05)
    response = client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 503 and response.json()["code"] == "SERVE_TIMEOUT"


def test_unknown_path_and_method_are_problems(client):
    assert client.get("/nowhere").json()["code"] == "SERVE_NOT_FOUND"
    response = client.get("/credentials/verify")
    assert response.status_code == 405 and response.json()["code"] == "SERVE_METHOD_NOT_ALLOWED"


def test_a_bug_is_500_without_details(make_client, signed, monkeypatch):
    from mcred.serve import handlers

    def broken(*args):
        raise KeyError("secret-looking detail")

    monkeypatch.setattr(handlers, "verify", broken)
    response = make_client().post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 500 and response.json()["code"] == "SERVE_INTERNAL"
    assert "secret-looking" not in response.text


def test_the_credential_id_fixture_is_the_one_signed(signed):
    assert signed["id"] == CREDENTIAL_ID and json.dumps(signed)


class _StubPresentationReport:
    """A PresentationReport as issue 17's shared interface has it (verified, exit_code, holder_checks, credentials,
    to_dict)."""

    def __init__(self, holder_checks, credentials):
        self.holder_checks, self.credentials = holder_checks, credentials
        self.verified = all(c.status.value != "failed" for c in holder_checks) and all(r.verified for r in credentials)
        self.exit_code = 0 if self.verified else 1

    def to_dict(self, lang="en"):
        return {"format": "stub", "verified": self.verified}


@pytest.fixture
def stub_presentations(monkeypatch):
    """mcred.verify.presentation per the shared interface, recording how the service calls it."""
    import sys
    import types

    from mcred.report import CheckResult, Status

    calls = []
    module = types.ModuleType("mcred.verify.presentation")

    def verify_presentation(vp, *, challenge, domain, options, holder_binding="warn", file=None):
        from mcred.verify.runner import verify_credential

        calls.append({"challenge": challenge, "domain": domain, "holder_binding": holder_binding, "file": file})
        right = challenge == "c-123"
        holder = [CheckResult("challenge", Status.PASSED if right else Status.FAILED, "the challenge",
                              "VP_CHALLENGE_OK" if right else "VP_CHALLENGE_MISMATCH")]
        return _StubPresentationReport(holder, [verify_credential(c) for c in vp["verifiableCredential"]])

    module.verify_presentation = verify_presentation
    monkeypatch.setitem(sys.modules, "mcred.verify.presentation", module)
    return calls


def test_presentations_verify_calls_the_shared_interface(client, signed, stub_presentations):
    presentation = {"type": ["VerifiablePresentation"], "verifiableCredential": [signed]}
    response = client.post("/presentations/verify", json={"verifiablePresentation": presentation, "options": {
        "challenge": "c-123", "domain": "its.example", "holderBinding": "required"}})
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True and body["checks"] == ["challenge"] and body["report"]["format"] == "stub"
    assert body["credentialResults"][0]["verified"] is True
    assert stub_presentations == [{"challenge": "c-123", "domain": "its.example", "holder_binding": "required",
                                   "file": "verifiablePresentation"}]


def test_presentations_verify_a_wrong_challenge_is_422(client, signed, stub_presentations):
    presentation = {"type": ["VerifiablePresentation"], "verifiableCredential": [signed]}
    response = client.post("/presentations/verify", json={"verifiablePresentation": presentation,
                                                          "options": {"challenge": "replayed"}})
    assert response.status_code == 422 and response.json()["errors"][0]["type"] == "VP_CHALLENGE_MISMATCH"


def test_presentations_verify_a_tampered_credential_inside_is_422(client, signed, stub_presentations):
    signed["credentialSubject"]["id"] = "did:example:mallory"
    presentation = {"type": ["VerifiablePresentation"], "verifiableCredential": [signed]}
    response = client.post("/presentations/verify", json={"verifiablePresentation": presentation,
                                                          "options": {"challenge": "c-123"}})
    assert response.status_code == 422
    assert response.json()["credentialResults"][0]["errors"][0]["type"] == "PROOF_SIGNATURE_INVALID"


def test_presentations_verify_refuses_an_unknown_holder_binding(client, stub_presentations):
    response = client.post("/presentations/verify", json={"verifiablePresentation": {},
                                                          "options": {"holderBinding": "sometimes"}})
    assert response.status_code == 400 and response.json()["path"] == "$.options.holderBinding"


# --- enveloped credentials (VC Data Model 2.0, 4.13): an SD-JWT VC or a JWT in a data: URL ---------------------


def _enveloped(text: str, media: str = "application/dc+sd-jwt") -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["EnvelopedVerifiableCredential"],
            "id": f"data:{media},{text}"}


@pytest.fixture
def sd_jwt_client(make_client):
    from mcred.report import VerifyOptions
    from mcred.seals.anchors import X509Anchor
    from mcred.verify.trust import TrustList
    from tests.sdjwt_make import NOW, ec_pki

    trust = TrustList((), anchors=(X509Anchor.from_certificate(ec_pki().root.cert, "EC root"),))
    return make_client(verify_options=VerifyOptions(now=NOW, trust=trust))


def test_an_enveloped_sd_jwt_vc_is_verified_as_its_file_would_be(sd_jwt_client):
    import base64

    from tests.sdjwt_make import issue

    text, _ = issue()
    for envelope in (_enveloped(text), _enveloped(base64.b64encode(text.encode()).decode(),
                                                  "application/vc+sd-jwt;base64")):
        response = sd_jwt_client.post("/credentials/verify", json={"verifiableCredential": envelope})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["verified"] and "chain" in body["checks"] and "disclosures" in body["checks"]
        assert "SDJWT_CHAIN_TRUSTED" in [c["code"] for c in body["report"]["checks"]]


def test_an_enveloped_sd_jwt_vc_with_a_forged_disclosure_fails_with_its_code(sd_jwt_client):
    from mcred.sdjwt.disclosures import encode_disclosure
    from tests.sdjwt_make import issue

    text, disclosures = issue()
    forged = text.replace(disclosures[0], encode_disclosure("salt-given_name-0123456789", "given_name", "Mallory"))
    response = sd_jwt_client.post("/credentials/verify", json={"verifiableCredential": _enveloped(forged)})
    assert response.status_code == 422
    assert [e["type"] for e in response.json()["errors"]] == ["SDJWT_DISCLOSURE_UNREFERENCED"]


@pytest.mark.parametrize("envelope, detail", [
    ({"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["EnvelopedVerifiableCredential"],
      "id": "data:application/dc+sd-jwt,x"}, "first @context"),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["EnvelopedVerifiableCredential"],
      "id": "urn:uuid:1"}, "data: URL"),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["EnvelopedVerifiableCredential"],
      "id": "data:application/mdoc,x"}, "is not one mcred verifies"),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["EnvelopedVerifiableCredential"],
      "id": "data:application/dc+sd-jwt;base64,@@@"}, "says base64"),
])
def test_an_envelope_mcred_cannot_open_is_a_bad_request(sd_jwt_client, envelope, detail):
    response = sd_jwt_client.post("/credentials/verify", json={"verifiableCredential": envelope})
    assert response.status_code == 400 and response.json()["code"] == "SERVE_REQUEST_INVALID"
    assert detail in response.json()["detail"] or detail in response.text
