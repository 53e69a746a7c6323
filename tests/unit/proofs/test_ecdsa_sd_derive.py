"""Deriving ecdsa-sd-2023 proofs: what is disclosed verifies, what is not is gone, and bad requests are named."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from mcred.errors import McredError
from mcred.proofs import ecdsa_sd as sd
from mcred.proofs.data_integrity import ProofError, verify_proof
from mcred.proofs.ecdsa_sd_derive import DeriveError, derive_proof, parse_pointer, select_json_ld
from tests.conftest import load_json

SD = Path(__file__).parents[2] / "vectors" / "w3c-vc-di-ecdsa-sd" / "TestVectors" / "ecdsa-sd-2023"
BASE = load_json(SD / "employ" / "addSignedSDBase.json")


@pytest.mark.parametrize("pointers", [
    [],                                              # the mandatory statements only
    ["/credentialSubject/birthCountry"],
    ["/credentialSubject"],                          # a whole object
    ["/credentialSubject/employmentAuthorizationDocument/lprNumber", "/name"],
    ["/credentialSubject/type/1"],                   # one element of an array
])
def test_what_is_derived_verifies_and_holds_only_what_was_disclosed(pointers):
    derived = derive_proof(BASE, pointers)
    proof = verify_proof(derived, 0)
    assert proof.warnings == ()  # a derived proof, not a base one
    assert sd.parse_proof_value(derived["proof"]["proofValue"], "$").hmac_key is None
    assert derived["issuer"] == BASE["issuer"]  # mandatory: /issuer
    text = str(derived)
    if "/credentialSubject" not in pointers:
        assert "JACOB" not in text and "1999-07-17" not in text
    if pointers == ["/credentialSubject/employmentAuthorizationDocument/lprNumber", "/name"]:
        assert derived["credentialSubject"]["employmentAuthorizationDocument"] == {
            "type": "EmploymentAuthorizationDocument", "lprNumber": "999-999-999"}
        assert "83627465" not in text


def test_a_value_changed_after_deriving_fails():
    derived = derive_proof(BASE, ["/credentialSubject/birthCountry"])
    derived["credentialSubject"]["birthCountry"] = "Jamaica"
    with pytest.raises(ProofError) as caught:
        verify_proof(derived, 0)
    # the changed literal may also change which canonical label each blank node gets, and so the mandatory set
    assert caught.value.code in ("PROOF_SD_QUAD_SIGNATURE_INVALID", "PROOF_SIGNATURE_INVALID")


def test_a_tampered_base_proof_is_not_derived():
    tampered = copy.deepcopy(BASE)
    tampered["credentialSubject"]["birthCountry"] = "Jamaica"
    with pytest.raises(ProofError) as caught:
        derive_proof(tampered, [])
    assert caught.value.code == "PROOF_SD_SIGNATURE_UNMATCHED"


def test_a_derived_proof_is_not_derived_again():
    derived = derive_proof(BASE, [])
    with pytest.raises(DeriveError) as caught:
        derive_proof(derived, [])
    assert caught.value.code == "DERIVE_NOT_BASE"


def test_a_document_without_an_sd_proof_is_refused(alumni):
    with pytest.raises(DeriveError) as caught:
        derive_proof(alumni, [])
    assert caught.value.code == "DERIVE_NOT_BASE"


@pytest.mark.parametrize("pointer", ["credentialSubject", "/credentialSubject/nickname", "/type/7", "/issuer/id/x"])
def test_a_pointer_that_selects_nothing_is_named(pointer):
    with pytest.raises(DeriveError) as caught:
        derive_proof(BASE, [pointer])
    assert caught.value.code == "DERIVE_POINTER_INVALID"
    assert isinstance(caught.value, McredError) and caught.value.exit_code == 3


def test_json_pointers_per_rfc_6901():
    assert parse_pointer("/a~1b/0/c~0d") == ["a/b", 0, "c~d"]
    assert parse_pointer("") == []


def test_selection_keeps_ids_types_and_array_order():
    document = {"@context": "x", "id": "urn:a", "type": "T",
                "list": [{"id": "_:b0", "type": "U", "v": 1}, {"id": "urn:c", "v": 2}, 3]}
    assert select_json_ld(["/list/2", "/list/0/v"], document) == {
        "@context": "x", "id": "urn:a", "type": "T", "list": [{"type": "U", "v": 1}, 3]}
    assert select_json_ld([], document) is None
    assert select_json_ld([""], document) == document
