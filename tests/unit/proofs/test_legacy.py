"""Ed25519Signature2018 (a detached JWS over the eddsa-rdfc-2022 hashes) and eddsa-2022 (the draft name of
eddsa-rdfc-2022), verify only. The proofs here are made by the test itself, independently of mcred's verifier:
the JWS with base64 and cryptography's Ed25519 (RFC 7797's signing input written out)."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mcred.keys import multibase
from mcred.proofs.data_integrity import LEGACY_2018, ProofError, canonical_forms, verify_proof
from mcred.report import Status
from mcred.verify.runner import verify_credential
from tests.conftest import CREATED, NOW, TEST_SEED, VECTORS, load_json

SECRET = Ed25519PrivateKey.from_private_bytes(TEST_SEED)
HEADER = {"alg": "EdDSA", "b64": False, "crit": ["b64"]}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vc11(test_key) -> dict:
    """A VC 1.1 credential: credentials/v1 defines Ed25519Signature2018 and jws."""
    return {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:2c4a7f0e-8a0c-4c3e-9d39-0b1c0f1d2e3f",
        "type": ["VerifiableCredential"],
        "issuer": test_key.did,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }


def sign_2018(document: dict, key, *, header: dict = HEADER) -> dict:
    proof = {"type": LEGACY_2018, "created": CREATED, "verificationMethod": key.verification_method,
             "proofPurpose": "assertionMethod"}
    data = canonical_forms(LEGACY_2018, document, proof).hash_data()
    encoded = b64url(json.dumps(header, separators=(",", ":")).encode())
    signature = SECRET.sign(encoded.encode() + b"." + data)
    return dict(document, proof=dict(proof, jws=f"{encoded}..{b64url(signature)}"))


def proof_error(document) -> ProofError:
    with pytest.raises(ProofError) as info:
        verify_proof(document, 0)
    return info.value


def test_an_ed25519signature2018_credential_verifies_whole(test_key):
    report = verify_credential(sign_2018(vc11(test_key), test_key), now=NOW)
    assert report.verified, report.to_dict()
    assert report.proofs[0].suite == LEGACY_2018


def test_2018_a_claim_changed(test_key):
    signed = sign_2018(vc11(test_key), test_key)
    signed["credentialSubject"]["id"] = "did:example:someone-else"
    error = proof_error(signed)
    assert error.code == "PROOF_SIGNATURE_INVALID"
    assert error.path == "$.proof.jws"


def test_2018_created_changed(test_key):
    signed = sign_2018(vc11(test_key), test_key)
    signed["proof"]["created"] = "2026-11-02T09:00:00Z"
    assert proof_error(signed).code == "PROOF_SIGNATURE_INVALID"


def test_2018_the_header_is_signed(test_key):
    """A header swapped for an equivalent one (other member order) changes the signing input."""
    signed = sign_2018(vc11(test_key), test_key)
    other = b64url(json.dumps({"crit": ["b64"], "b64": False, "alg": "EdDSA"}).encode())
    signed["proof"]["jws"] = other + signed["proof"]["jws"][signed["proof"]["jws"].index("."):]
    assert proof_error(signed).code == "PROOF_SIGNATURE_INVALID"


@pytest.mark.parametrize("header", [
    {"alg": "ES256", "b64": False, "crit": ["b64"]},
    {"alg": "none", "b64": False, "crit": ["b64"]},
    {"alg": "EdDSA"},  # b64 true: the payload would be base64url-encoded, which 2018 never does
    {"alg": "EdDSA", "b64": False},  # b64 false must be critical (RFC 7797 section 6)
    {"alg": "EdDSA", "b64": False, "crit": ["b64", "exp"]},
])
def test_2018_a_header_that_is_not_detached_eddsa_b64_false(test_key, header):
    error = proof_error(sign_2018(vc11(test_key), test_key, header=header))
    assert error.code == "PROOF_JWS_INVALID"
    assert error.path == "$.proof.jws"


@pytest.mark.parametrize("jws", ["abc", "a.b.c", "e30..", "!!..AAAA", "W10..AAAA", 42])
def test_2018_a_jws_that_is_not_a_detached_jws(test_key, jws):
    signed = sign_2018(vc11(test_key), test_key)
    signed["proof"]["jws"] = jws
    assert proof_error(signed).code == "PROOF_JWS_INVALID"


def test_2018_without_jws(test_key):
    signed = sign_2018(vc11(test_key), test_key)
    del signed["proof"]["jws"]
    assert proof_error(signed).code == "PROOF_VALUE_MISSING"


def test_2018_a_signature_of_the_wrong_length(test_key):
    signed = sign_2018(vc11(test_key), test_key)
    header = signed["proof"]["jws"].split(".")[0]
    signed["proof"]["jws"] = f"{header}..{b64url(bytes(63))}"
    error = proof_error(signed)
    assert error.code == "PROOF_VALUE_ENCODING" and error.path == "$.proof.jws"
    assert "signature of 63 bytes; a Ed25519 signature has 64" in error.message


def test_2018_another_signature(test_key):
    signed = sign_2018(vc11(test_key), test_key)
    header = signed["proof"]["jws"].split(".")[0]
    signed["proof"]["jws"] = f"{header}..{b64url(SECRET.sign(b'something else'))}"
    assert proof_error(signed).code == "PROOF_SIGNATURE_INVALID"


def eddsa_2022(document: dict, key) -> dict:
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-2022", "created": CREATED,
             "verificationMethod": key.verification_method, "proofPurpose": "assertionMethod"}
    data = canonical_forms("eddsa-2022", document, proof).hash_data()
    return dict(document, proof=dict(proof, proofValue=multibase.encode(SECRET.sign(data))))


def test_eddsa_2022_verifies_as_eddsa_rdfc_2022(test_key):
    document = load_json(VECTORS / "unsigned.json")
    document["issuer"] = test_key.did
    report = verify_credential(eddsa_2022(document, test_key), now=NOW)
    assert report.verified, report.to_dict()
    assert report.proofs[0].suite == "eddsa-2022"


def test_eddsa_2022_a_claim_changed(test_key):
    document = load_json(VECTORS / "unsigned.json")
    document["issuer"] = test_key.did
    signed = eddsa_2022(document, test_key)
    signed["name"] = "changed"
    assert [(c.check, c.code) for c in verify_credential(signed, now=NOW).checks
            if c.status == Status.FAILED] == [("proof", "PROOF_SIGNATURE_INVALID")]


def test_eddsa_2022_relabelled_as_eddsa_rdfc_2022_fails(test_key):
    document = load_json(VECTORS / "unsigned.json")
    document["issuer"] = test_key.did
    signed = eddsa_2022(document, test_key)
    signed["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    assert proof_error(signed).code == "PROOF_SIGNATURE_INVALID"
