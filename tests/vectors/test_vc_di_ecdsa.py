"""The W3C vc-di-ecdsa test vectors for ecdsa-rdfc-2019 and ecdsa-jcs-2019 (see PROVENANCE.md beside this file).

Every deterministic value the vectors publish is reproduced byte for byte: canonical document, canonical proof
configuration, both hashes and their concatenation, with SHA-384 for P-384 (inside RDFC-1.0 too: the P-384
"employ" vector has blank nodes, whose labels depend on the hash). ECDSA signatures are randomised, so the
vectors' signatures are verified (and their proofValue is their signature), and a signature of ours, made
with the vectors' keys, verifies.
"""

from __future__ import annotations

import hashlib

import pytest

from mcred.keys import multibase
from mcred.keys.ecdsa import EcSigningKey, load_any_signing_key
from mcred.keys.multikey import public_key_from_multibase
from mcred.proofs.data_integrity import add_proof, canonical_forms, proofs_of, verify_proof
from tests.conftest import TESTS, load_json

ECDSA = TESTS / "vectors" / "w3c-vc-di-ecdsa" / "TestVectors"

CASES = {
    # name: (unsigned document, folder, file suffix, curve)
    "rdfc-p256": ("unsigned.json", "ecdsa-rdfc-2019-p256", "ECDSAP256", "P-256"),
    "rdfc-p256-employ": ("employmentAuth.json", "ecdsa-rdfc-2019-p256/employ", "ECDSAP256", "P-256"),
    "rdfc-p384": ("unsigned.json", "ecdsa-rdfc-2019-p384", "ECDSAP384", "P-384"),
    "rdfc-p384-employ": ("employmentAuth.json", "ecdsa-rdfc-2019-p384/employ", "ECDSAP384", "P-384"),
    "jcs-p256": ("unsigned.json", "ecdsa-jcs-2019-p256", "JCSECDSAP256", "P-256"),
    "jcs-p384": ("unsigned.json", "ecdsa-jcs-2019-p384", "JCSECDSAP384", "P-384"),
}
HASHES = {"P-256": "sha256", "P-384": "sha384"}
KEY_FILES = {"P-256": "p256KeyPair.json", "P-384": "p384KeyPair.json"}


def text(path):
    return (ECDSA / path).read_text(encoding="utf-8")


@pytest.fixture(params=sorted(CASES), ids=str)
def case(request):
    unsigned, folder, suffix, curve = CASES[request.param]
    config = load_json(ECDSA / folder / f"proofConfig{suffix}.json")
    return {
        "unsigned": load_json(ECDSA / unsigned),
        "folder": folder,
        "suffix": suffix,
        "curve": curve,
        "suite": config["cryptosuite"],
        "options": {k: v for k, v in config.items() if k != "@context"},
        "signed": load_json(ECDSA / folder / f"signed{suffix}.json"),
    }


def forms_of(case):
    return canonical_forms(case["suite"], case["unsigned"], case["options"], hash_algorithm=HASHES[case["curve"]])


def test_canonical_document(case):
    assert forms_of(case).document.decode() == text(f"{case['folder']}/canonDoc{case['suffix']}.txt")


def test_canonical_proof_configuration(case):
    assert forms_of(case).proof_config.decode() == text(f"{case['folder']}/proofCanon{case['suffix']}.txt")


def test_hashes(case):
    forms = forms_of(case)
    digest = hashlib.new(HASHES[case["curve"]])
    assert hashlib.new(digest.name, forms.document).hexdigest() == text(
        f"{case['folder']}/docHash{case['suffix']}.txt").strip()
    assert hashlib.new(digest.name, forms.proof_config).hexdigest() == text(
        f"{case['folder']}/proofHash{case['suffix']}.txt").strip()
    assert forms.hash_data().hex() == text(f"{case['folder']}/combinedHash{case['suffix']}.txt").strip()


def test_p384_blank_nodes_need_sha384_inside_rdfc():
    """The reason for the hash parameter: with SHA-256 labels the P-384 employ vector's document differs."""
    unsigned, folder, suffix, _ = CASES["rdfc-p384-employ"]
    config = load_json(ECDSA / folder / f"proofConfig{suffix}.json")
    options = {k: v for k, v in config.items() if k != "@context"}
    wrong = canonical_forms(config["cryptosuite"], load_json(ECDSA / unsigned), options, hash_algorithm="sha256")
    assert wrong.document.decode() != text(f"{folder}/canonDoc{suffix}.txt")


def test_their_signature_verifies_and_is_the_proof_value(case):
    signature = bytes.fromhex(text(f"{case['folder']}/sigHex{case['suffix']}.txt").strip())
    proof = proofs_of(case["signed"])[0]
    assert multibase.decode(proof["proofValue"]) == signature
    assert text(f"{case['folder']}/sigBTC58{case['suffix']}.txt").strip() == proof["proofValue"]
    key = public_key_from_multibase(load_json(ECDSA / KEY_FILES[case["curve"]])["publicKeyMultibase"])
    assert key.verify(signature, forms_of(case).hash_data())


def test_their_signed_credential_verifies(case):
    verified = verify_proof(case["signed"], 0)
    assert verified.suite == case["suite"]
    assert verified.verification_method == case["options"]["verificationMethod"]


def test_the_key_files_are_read():
    for curve, name in KEY_FILES.items():
        key = load_any_signing_key(ECDSA / name)
        assert isinstance(key, EcSigningKey) and key.curve == curve
        assert key.public_key.multibase == load_json(ECDSA / name)["publicKeyMultibase"]


def test_our_signature_with_their_key_verifies(case):
    key = load_any_signing_key(ECDSA / KEY_FILES[case["curve"]])
    signed = add_proof(case["unsigned"], key, suite=case["suite"], created=case["options"]["created"])
    ours, theirs = proofs_of(signed)[0], proofs_of(case["signed"])[0]
    # the same proof but for the signature, which ECDSA randomises
    assert {k: v for k, v in ours.items() if k != "proofValue"} == {
        k: v for k, v in theirs.items() if k != "proofValue"}
    assert {k: v for k, v in signed.items() if k != "proof"} == {
        k: v for k, v in case["signed"].items() if k != "proof"}
    assert len(multibase.decode(ours["proofValue"])) == {"P-256": 64, "P-384": 96}[case["curve"]]
    verify_proof(signed, 0)
