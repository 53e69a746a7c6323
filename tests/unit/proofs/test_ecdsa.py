"""ecdsa-rdfc-2019 and ecdsa-jcs-2019 with P-256 and P-384 keys: signed, verified, and each way a holder could
tamper with a proof fails with its own code."""

from __future__ import annotations

import copy

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from mcred.errors import UsageError
from mcred.keys import multibase
from mcred.keys.ecdsa import EcSigningKey
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import (
    ECDSA_JCS,
    ECDSA_RDFC,
    JCS,
    RDFC,
    ProofError,
    add_proof,
    canonical_forms,
    verify_proof,
)
from mcred.proofs.signing import sign_credential
from mcred.report import Status
from mcred.verify.runner import verify_credential
from tests.conftest import CREATED, NOW, VECTORS, load_json

#: fixed keys (ECDSA signatures are still random; the keys, and so the did:keys, are not)
P256 = EcSigningKey(ec.derive_private_key(12345678901234567890, ec.SECP256R1()))
P384 = EcSigningKey(ec.derive_private_key(98765432109876543210, ec.SECP384R1()))
KEYS = {"P-256": P256, "P-384": P384}


def failed(report):
    return [(c.check, c.code) for c in report.checks if c.status == Status.FAILED]


def credential(key) -> dict:
    doc = load_json(VECTORS / "unsigned.json")
    doc["issuer"] = key.did
    return doc


@pytest.fixture(params=[(s, c) for s in (ECDSA_RDFC, ECDSA_JCS) for c in KEYS], ids=lambda p: f"{p[0]}-{p[1]}")
def signed(request):
    suite, curve = request.param
    return sign_credential(credential(KEYS[curve]), KEYS[curve], suite=suite, created=CREATED)


def proof_error(document) -> ProofError:
    with pytest.raises(ProofError) as info:
        verify_proof(document, 0)
    return info.value


def test_a_signed_credential_verifies_whole(signed):
    report = verify_credential(signed, now=NOW)
    assert report.verified, report.to_dict()
    assert report.proofs[0].suite == signed["proof"]["cryptosuite"]
    assert report.proofs[0].verification_method.startswith(("did:key:zDn", "did:key:z82"))


def test_the_signature_is_r_and_s_of_the_curve_size(signed):
    signature = multibase.decode(signed["proof"]["proofValue"])
    assert len(signature) == (64 if signed["proof"]["verificationMethod"].startswith("did:key:zDn") else 96)


def test_a_claim_changed(signed):
    signed["credentialSubject"]["alumniOf"] = "The School of Forgery"
    assert failed(verify_credential(signed, now=NOW)) == [("proof", "PROOF_SIGNATURE_INVALID")]


def test_created_changed(signed):
    signed["proof"]["created"] = "2026-11-02T09:00:00Z"
    assert proof_error(signed).code == "PROOF_SIGNATURE_INVALID"


def test_the_cryptosuite_relabelled_between_rdfc_and_jcs(signed):
    signed["proof"]["cryptosuite"] = ECDSA_JCS if signed["proof"]["cryptosuite"] == ECDSA_RDFC else ECDSA_RDFC
    signed["proof"].pop("@context", None)
    assert proof_error(signed).code == "PROOF_SIGNATURE_INVALID"


def test_relabelled_as_an_eddsa_suite_is_a_key_type_mismatch(signed):
    signed["proof"]["cryptosuite"] = JCS if signed["proof"]["cryptosuite"] == ECDSA_JCS else RDFC
    error = proof_error(signed)
    assert error.code == "PROOF_KEY_TYPE_MISMATCH"
    assert error.path == "$.proof.verificationMethod"
    assert "signs with Ed25519 keys" in error.message


def test_an_ecdsa_suite_naming_an_ed25519_key(test_key):
    doc = sign_credential(credential(test_key), test_key, suite=RDFC, created=CREATED)
    doc["proof"]["cryptosuite"] = ECDSA_RDFC
    error = proof_error(doc)
    assert error.code == "PROOF_KEY_TYPE_MISMATCH"
    assert "ecdsa-rdfc-2019 signs with P-256 or P-384 keys;" in error.message
    assert error.message.endswith("is a Ed25519 key")


def test_another_curves_key_named_as_verification_method(signed):
    other = P384 if signed["proof"]["verificationMethod"] == P256.verification_method else P256
    signed["proof"]["verificationMethod"] = other.verification_method
    error = proof_error(signed)
    assert error.code == "PROOF_VALUE_ENCODING"  # the signature's length gives it away before any hashing
    assert "signature has" in error.message


def test_another_key_of_the_same_curve(signed):
    curve = "P-256" if signed["proof"]["verificationMethod"] == P256.verification_method else "P-384"
    signed["proof"]["verificationMethod"] = EcSigningKey.generate(curve).verification_method
    assert proof_error(signed).code == "PROOF_SIGNATURE_INVALID"


@pytest.mark.parametrize("cut", [1, 32])
def test_a_shortened_signature(signed, cut):
    signed["proof"]["proofValue"] = multibase.encode(multibase.decode(signed["proof"]["proofValue"])[:-cut])
    error = proof_error(signed)
    assert error.code == "PROOF_VALUE_ENCODING"
    assert error.path == "$.proof.proofValue"


def test_a_der_signature_is_named_as_such(signed):
    raw = multibase.decode(signed["proof"]["proofValue"])
    half = len(raw) // 2
    der = encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
    signed["proof"]["proofValue"] = multibase.encode(der)
    error = proof_error(signed)
    assert error.code == "PROOF_VALUE_ENCODING"
    assert "DER-encoded" in error.message


def test_the_signature_of_another_message(signed):
    raw = multibase.decode(signed["proof"]["proofValue"])
    signed["proof"]["proofValue"] = multibase.encode(raw[len(raw) // 2:] + raw[: len(raw) // 2])  # s || r
    assert proof_error(signed).code == "PROOF_SIGNATURE_INVALID"


@pytest.mark.parametrize("suite", [ECDSA_RDFC, ECDSA_JCS])
def test_a_p384_proof_hashed_with_sha256_is_named(suite):
    """A signer that hashed with SHA-256 for a P-384 key (the suite needs SHA-384): refused, and said so."""
    document = credential(P384)
    options = {"type": "DataIntegrityProof", "cryptosuite": suite, "created": CREATED,
               "verificationMethod": P384.verification_method, "proofPurpose": "assertionMethod"}
    forms = canonical_forms(suite, document, options, hash_algorithm="sha256")
    proof = dict(options, proofValue=multibase.encode(P384.sign(forms.hash_data())))
    if suite == ECDSA_JCS:
        proof["@context"] = document["@context"]
    error = proof_error(dict(document, proof=proof))
    assert error.code == "PROOF_ECDSA_HASH_MISMATCH"
    assert "SHA-384" in error.message


def test_a_p256_proof_hashed_with_sha384_fails():
    document = credential(P256)
    options = {"type": "DataIntegrityProof", "cryptosuite": ECDSA_RDFC, "created": CREATED,
               "verificationMethod": P256.verification_method, "proofPurpose": "assertionMethod"}
    forms = canonical_forms(ECDSA_RDFC, document, options, hash_algorithm="sha384")
    proof = dict(options, proofValue=multibase.encode(P256.sign(forms.hash_data())))
    assert proof_error(dict(document, proof=proof)).code == "PROOF_SIGNATURE_INVALID"


def test_a_proof_set_of_ed25519_and_p256_proofs(test_key):
    document = credential(test_key)
    once = add_proof(document, test_key, suite=RDFC, created=CREATED)
    twice = add_proof(once, P256, suite=ECDSA_RDFC, created=CREATED)
    assert [p.suite for p in [verify_proof(twice, 0), verify_proof(twice, 1)]] == [RDFC, ECDSA_RDFC]
    tampered = copy.deepcopy(twice)
    tampered["name"] = "changed"
    assert proof_error(tampered).code == "PROOF_SIGNATURE_INVALID"


@pytest.mark.parametrize(("suite", "key"), [(RDFC, P256), (JCS, P384), (ECDSA_RDFC, SigningKey.from_seed(bytes(32))),
                                            (ECDSA_JCS, SigningKey.from_seed(bytes(32)))])
def test_signing_with_a_key_of_the_wrong_type_is_a_usage_error(suite, key):
    with pytest.raises(UsageError) as info:
        sign_credential(credential(key), key, suite=suite, created=CREATED)
    assert info.value.code == "SUITE_KEY_MISMATCH"
    assert info.value.exit_code == 2
    assert suite in info.value.message and "mcred keygen --type" in info.value.hint


def test_signing_refuses_a_relative_iri_with_ecdsa_rdfc():
    from mcred.errors import InputError

    document = credential(P256)
    document["credentialSubject"]["id"] = "learners/1"
    with pytest.raises(InputError) as info:
        sign_credential(document, P256, suite=ECDSA_RDFC, created=CREATED)
    assert info.value.code == "VCDM2_ID_NOT_URL"  # a VC 2.0 credential: the data model's rule says it first
