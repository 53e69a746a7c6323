"""The W3C vc-di-ecdsa ``ecdsa-sd-2023`` test vectors (see PROVENANCE.md beside this file).

ECDSA signatures are not deterministic, but everything a verifier computes before checking them is, and is
reproduced byte for byte: the canonical proof configuration and its hash, the disclosed document's N-Quads
relabelled with the proof's label map, the non-mandatory N-Quads, the mandatory hash, the decoded proof
components; for the base proof, the N-Quads relabelled with HMAC labels. Then both proofs verify with the
vectors' keys. The vectors' issuer is another did:key than the signing key, so a full `verify` fails only
the issuer check: that is asserted too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mcred.keys.multikey import public_key_from_multibase
from mcred.proofs import ecdsa_sd as sd
from mcred.proofs.data_integrity import verify_proof
from mcred.report import Status
from mcred.verify.runner import verify_credential
from tests.conftest import NOW, load_json

SD = Path(__file__).parent / "w3c-vc-di-ecdsa-sd" / "TestVectors" / "ecdsa-sd-2023"
KEYS = load_json(SD / "SDKeyMaterial.json")
SIGNER = "did:key:" + KEYS["baseKeyPair"]["publicKeyMultibase"]


@pytest.fixture(params=["employ", "prc"])
def vector(request):
    return SD / request.param


def unsecured(document):
    return {k: v for k, v in document.items() if k != "proof"}


def test_the_proof_configuration_and_its_hash(vector):
    for name in ("derivedRevealDocument.json", "addSignedSDBase.json"):
        document = load_json(vector / name)
        _, config = sd.unsecured_and_config(document, document["proof"])
        assert config.decode() == (vector / "addProofConfigCanon.txt").read_text(encoding="utf-8")
        assert hashlib.sha256(config).hexdigest() == load_json(vector / "addHashData.json")["proofHash"]


def test_the_derived_proof_value_decodes_to_the_vectors_components(vector):
    document = load_json(vector / "derivedRevealDocument.json")
    parsed = sd.parse_proof_value(document["proof"]["proofValue"], "$.proof.proofValue")
    expected = load_json(vector / "verifyDerivedProofValue.json")
    assert not parsed.base
    assert parsed.base_signature.hex() == expected["baseSignature"]
    assert public_key_from_multibase(expected["publicKey"]).raw == parsed.public_key[2:]
    assert [s.hex() for s in parsed.signatures] == expected["signatures"]
    assert parsed.label_map == dict(expected["labelMap"])
    assert parsed.mandatory == expected["mandatoryIndexes"]


def test_the_derived_documents_statements_byte_for_byte(vector):
    document = load_json(vector / "derivedRevealDocument.json")
    parsed = sd.parse_proof_value(document["proof"]["proofValue"], "$.proof.proofValue")
    nquads = sd.relabel(sd.canonical_statements(unsecured(document)), parsed.label_map)
    assert nquads == load_json(vector / "verifyNQuads.json")
    mandatory, non_mandatory = sd.split_mandatory(nquads, parsed.mandatory, "$")
    verify_data = load_json(vector / "verifyCreateVerifyData.json")
    assert non_mandatory == verify_data["nonMandatory"]
    assert hashlib.sha256("".join(mandatory).encode()).hexdigest() == verify_data["mandatoryHash"]
    assert verify_data["mandatoryHash"] == load_json(vector / "addHashData.json")["mandatoryHash"]


def test_the_base_documents_hmac_labels_byte_for_byte(vector):
    document = load_json(vector / "addSignedSDBase.json")
    parsed = sd.parse_proof_value(document["proof"]["proofValue"], "$.proof.proofValue")
    assert parsed.base
    assert parsed.hmac_key.hex() == KEYS["hmacKeyString"].lower()
    canonical = sd.canonical_statements(unsecured(document))
    nquads = sd.relabel(canonical, sd.hmac_label_map(parsed.hmac_key, canonical))
    assert nquads == load_json(vector / "addBaseDocHMACCanon.json")


def test_the_derived_proofs_verify(vector):
    proof = verify_proof(load_json(vector / "derivedRevealDocument.json"), 0)
    assert (proof.suite, proof.controller, proof.warnings) == ("ecdsa-sd-2023", SIGNER, ())
    assert proof.public_key.multibase == KEYS["baseKeyPair"]["publicKeyMultibase"]


def test_the_base_proofs_verify_with_the_warning_that_they_must_be_derived(vector):
    proof = verify_proof(load_json(vector / "addSignedSDBase.json"), 0)
    assert (proof.suite, proof.controller) == ("ecdsa-sd-2023", SIGNER)
    assert [code for code, _, _ in proof.warnings] == ["PROOF_SD_BASE_NOT_DERIVED"]


def test_a_full_verify_passes_the_proof_and_fails_only_the_issuer():
    """The vectors' issuer (did:key:zDnaegE6...) is not the key that signed (did:key:zDnaepBu...)."""
    report = verify_credential(load_json(SD / "employ" / "derivedRevealDocument.json"), now=NOW)
    failed = {c.check: c.code for c in report.checks if c.status == Status.FAILED}
    assert failed == {"issuer": "ISSUER_NOT_SIGNER"}, report.to_dict()
    assert [c.code for c in report.checks if c.check == "proof"] == ["PROOF_OK"]


def test_deriving_the_base_proof_gives_the_vectors_derived_document_byte_for_byte(vector):
    """Deriving signs nothing, so the derived proofValue is deterministic: the vector's, exactly."""
    from mcred.proofs.ecdsa_sd_derive import derive_proof

    selective = load_json(SD.parent / ("employSelective.json" if vector.name == "employ" else "prCredSelective.json"))
    derived = derive_proof(load_json(vector / "addSignedSDBase.json"), selective)
    assert derived == load_json(vector / "derivedRevealDocument.json")
