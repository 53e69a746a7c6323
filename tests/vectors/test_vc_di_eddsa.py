"""The W3C vc-di-eddsa test vectors (see PROVENANCE.md beside this file).

Every intermediate value the vectors publish is reproduced byte for byte:
canonical document, canonical proof configuration, both hashes, the signature,
and the signed document. The vectors' issuer is an https URL not bound to the
key, so a full `verify` fails only the issuer check: that is asserted too.
"""

from __future__ import annotations

import hashlib

import pytest

from mcred.keys import multibase
from mcred.keys.ed25519 import load_signing_key
from mcred.proofs.data_integrity import add_proof, canonical_forms, proofs_of, verify_proof
from mcred.report import Status
from mcred.verify.runner import verify_credential
from tests.conftest import NOW, VECTORS, load_json

UNSIGNED = load_json(VECTORS / "unsigned.json")


def text(path):
    return (VECTORS / path).read_text(encoding="utf-8")


def unhex(path):
    return bytes.fromhex(text(path).strip())


CASES = {
    # name: (suite, unsigned document, folder, file suffix, signed file)
    "eddsa-rdfc-2022": ("eddsa-rdfc-2022", "unsigned.json", "eddsa-rdfc-2022", "DataInt",
                        "signedDataInt.json"),
    "eddsa-rdfc-2022-employ": ("eddsa-rdfc-2022", "employmentAuth.json", "eddsa-rdfc-2022/employ",
                               "DataInt", "signedDataInt.json"),
    "eddsa-jcs-2022": ("eddsa-jcs-2022", "unsigned.json", "eddsa-jcs-2022", "JCS", "signedJCS.json"),
    # the legacy vector adds the ed25519-2020 context to the document, so unsigned = signed - proof
    "Ed25519Signature2020": ("Ed25519Signature2020", None, "Ed25519Signature2020",
                             "EdSig", "signedEdSig.json"),
}


@pytest.fixture(params=sorted(CASES), ids=str)
def case(request):
    suite, unsigned, folder, suffix, signed = CASES[request.param]
    signed_document = load_json(VECTORS / folder / signed)
    if unsigned is None:
        unsigned_document = {k: v for k, v in signed_document.items() if k != "proof"}
    else:
        unsigned_document = load_json(VECTORS / unsigned)
    return {
        "suite": suite,
        "unsigned": unsigned_document,
        "folder": folder,
        "suffix": suffix,
        "signed": signed_document,
        "options": load_json(VECTORS / folder / f"proofConfig{suffix}.json"),
    }


def forms_of(case):
    options = {k: v for k, v in case["options"].items() if k != "@context"}
    return canonical_forms(case["suite"], case["unsigned"], options)


def test_canonical_document(case):
    expected = text(f"{case['folder']}/canonDoc{case['suffix']}.txt")
    assert forms_of(case).document.decode() == expected


def test_canonical_proof_configuration(case):
    expected = text(f"{case['folder']}/proofCanon{case['suffix']}.txt")
    assert forms_of(case).proof_config.decode() == expected


def test_hashes(case):
    forms = forms_of(case)
    folder, suffix = case["folder"], case["suffix"]
    assert hashlib.sha256(forms.document).digest() == unhex(f"{folder}/docHash{suffix}.txt")
    assert hashlib.sha256(forms.proof_config).digest() == unhex(f"{folder}/proofHash{suffix}.txt")
    assert forms.hash_data() == unhex(f"{folder}/combinedHash{suffix}.txt")


def test_signature(case, vector_key):
    signature = vector_key.sign(forms_of(case).hash_data())
    folder, suffix = case["folder"], case["suffix"]
    assert signature == unhex(f"{folder}/sigHex{suffix}.txt")
    assert multibase.encode(signature) == text(f"{folder}/sigBTC58{suffix}.txt").strip()


@pytest.mark.parametrize("name", ["eddsa-rdfc-2022", "eddsa-rdfc-2022-employ", "eddsa-jcs-2022"])
def test_resigning_gives_the_signed_file(name, vector_key):
    suite, unsigned, folder, _, signed = CASES[name]
    document = load_json(VECTORS / unsigned)
    created = load_json(VECTORS / folder / signed)["proof"]["created"]
    assert add_proof(document, vector_key, suite=suite, created=created) == load_json(
        VECTORS / folder / signed)


def test_signed_files_verify(case):
    proof = verify_proof(case["signed"], 0)
    assert proof.suite == case["suite"]
    assert proof.controller == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


@pytest.mark.parametrize("name", ["signedProofSet1.json", "signedProofSet2.json",
                                  "signedProofChain1.json", "signedProofChain2.json"])
def test_proof_sets_and_chains_verify(name):
    document = load_json(VECTORS / "proof-set-chain" / name)
    report = verify_credential(document, now=NOW)
    proof_checks = [c for c in report.checks if c.check == "proof"]
    assert len(proof_checks) == len(proofs_of(document))
    assert all(c.status == Status.PASSED for c in proof_checks), report.to_dict()


def test_proof_set_and_chain_are_reproduced_exactly():
    """Re-create the vectors' proof set and chain from unsigned.json and the four key pairs."""
    folder = VECTORS / "proof-set-chain"
    pairs = load_json(folder / "multiKeyPairs.json")
    document = load_json(folder / "unsigned.json")
    for step, (pair, config_name) in enumerate([
        ("keyPair1", "proofSetConfig1.json"), ("keyPair2", "proofSetConfig2.json"),
        ("keyPair3", "proofChainConfig1.json"), ("keyPair4", "proofChainConfig2.json"),
    ]):
        config = load_json(folder / config_name)
        key = _key_from_pair(pairs[pair])
        assert key.verification_method == config["verificationMethod"]
        document = add_proof(document, key, created=config["created"], proof_id=config.get("id"),
                             previous_proof=config.get("previousProof"))
        expected_file = ["signedProofSet1.json", "signedProofSet2.json",
                         "signedProofChain1.json", "signedProofChain2.json"][step]
        assert document == load_json(folder / expected_file), expected_file


def _key_from_pair(pair):
    from mcred.keys.ed25519 import SigningKey

    seed = multibase.decode(pair["privateKeyMultibase"])[2:]
    return SigningKey.from_seed(seed)


def test_vectors_fail_only_the_issuer_binding():
    """The vectors' issuer is https://vc.example/issuers/5678, not the signing did:key."""
    report = verify_credential(load_json(VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json"), now=NOW)
    failed = [(c.check, c.code) for c in report.checks if c.status == Status.FAILED]
    assert failed == [("issuer", "ISSUER_NOT_SIGNER")]


def test_keypair_file_is_read_as_a_signing_key():
    key = load_signing_key(VECTORS / "keyPair.json")
    assert key.public_key.multibase == load_json(VECTORS / "keyPair.json")["publicKeyMultibase"]


def test_vector_files_are_unmodified():
    """The copies match the SHA256SUMS published with them."""
    sums = (VECTORS.parent / "SHA256SUMS").read_text().splitlines()
    checked = 0
    for line in sums:
        digest, name = line.split(maxsplit=1)
        path = VECTORS.parent / name.lstrip("*").removeprefix("./")
        if path.exists():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
            checked += 1
    assert checked >= 50
