"""Every speed-up gives byte-identical results to the plain path it replaces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld  # noqa: TID251 - the reference the fast path is compared with

from mcred.jsonld.contexts import document_loader
from mcred.jsonld.process import _expanded_to_rdf, canonical_nquads, expand_safely, without_proof
from mcred.limits import check_limits
from tests.conftest import CREATED, VECTORS

ROOT = Path(__file__).resolve().parents[3]
SIGNED = [
    VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json",
    VECTORS / "eddsa-rdfc-2022" / "employ" / "signedDataInt.json",
    VECTORS / "Ed25519Signature2020" / "signedEdSig.json",
    VECTORS / "proof-set-chain" / "signedProofSet2.json",
    ROOT / "examples" / "elm-microcredential.signed.json",
    ROOT / "examples" / "elm-microcredential.jcs.signed.json",
]


@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.parent.name + "/" + p.name)
def test_the_unsecured_expansion_derived_from_the_secured_one(path):
    secured = json.loads(path.read_text())
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    derived = without_proof(expand_safely(secured))
    assert derived is not None
    assert canonical_nquads(unsecured, expanded=derived) == canonical_nquads(unsecured)


@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.parent.name + "/" + p.name)
def test_rdf_from_the_expanded_form_equals_pyld_to_rdf(path):
    document = json.loads(path.read_text())
    expected = jsonld.to_rdf(document, {"base": None, "documentLoader": document_loader})
    assert _expanded_to_rdf(expand_safely(document)) == expected


def test_without_proof_declines_unusual_shapes():
    assert without_proof([]) is None
    assert without_proof([{"@id": "urn:a"}]) is None                     # no proof to remove
    assert without_proof([{"@id": "urn:a"}, {"@id": "urn:b"}]) is None   # several top-level nodes


@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.parent.name + "/" + p.name)
def test_contexts_collected_by_the_limits_walk(path):
    from mcred.jsonld.process import context_urls

    document = json.loads(path.read_text())
    inspection = check_limits(document)
    from mcred.jsonld.process import _urls_in_context

    collected = sorted(url for value in inspection.contexts for url, _ in _urls_in_context(value, ""))
    assert collected == sorted(url for url, _ in context_urls(document))
    assert inspection.plain_json


def test_plain_json_is_false_for_floats_and_big_integers():
    assert not check_limits({"@context": [], "x": 1.5}).plain_json
    assert not check_limits({"@context": [], "x": [2**60]}).plain_json
    assert not check_limits({"@context": [], "x": [[{"y": -(2**53)}]]}).plain_json
    assert not check_limits([1, 2.0]).plain_json
    # a key beyond U+FFFF is mcred.jsonld.jcs's to notice (tests/unit/test_jcs.py): numbers are what this flag covers
    assert check_limits({"@context": [], "\U0001f600": [1, True, None, "x"]}).plain_json


def test_signing_leaves_its_input_alone_and_shares_nothing_with_it(test_key):
    # signing copies once (add_proof) instead of twice; the caller's document must not feel the difference
    import copy

    from mcred.proofs.data_integrity import copy_json
    from mcred.proofs.signing import sign_credential

    document = json.loads((ROOT / "examples" / "elm-microcredential.json").read_text())
    before = copy.deepcopy(document)
    signed = sign_credential(document, test_key, issuer_from_key=True)
    assert document == before
    signed["issuer"]["id"] = "did:example:changed"
    signed["credentialSubject"]["hasClaim"][0]["title"]["en"] = "changed"
    assert document == before
    assert copy_json(before) == before and copy_json(before) is not before


def test_a_document_handed_over_is_signed_the_same_without_a_copy(test_key):
    from mcred.proofs.signing import sign_credential

    document = json.loads((ROOT / "examples" / "elm-microcredential.json").read_text())
    copied = sign_credential(document, test_key, issuer_from_key=True, created=CREATED)
    handed_over = sign_credential(document, test_key, issuer_from_key=True, created=CREATED, copy=False)
    assert handed_over == copied
    assert handed_over["credentialSubject"] is document["credentialSubject"]      # shared, as asked
    assert copied["credentialSubject"] is not document["credentialSubject"]
    assert handed_over["issuer"] is not document["issuer"]                        # the issuer is still its own


def test_proof_configurations_are_remembered_on_their_content():
    from mcred.jsonld.process import canonical_nquads
    from mcred.proofs.data_integrity import _config_nquads, _remembered

    base = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022", "created": "2026-01-01T00:00:00Z",
            "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod"}
    later = {**base, "created": "2026-01-02T00:00:00Z"}
    huge = {**base, "nonce": 2**70}  # no 64-bit integer: computed without the memo's JSON text
    for config in (base, later, base, huge, huge):
        assert _remembered(_config_nquads, config) == canonical_nquads(config).encode()
    assert _remembered(_config_nquads, base) != _remembered(_config_nquads, later)


def test_a_proof_term_problem_is_raised_every_time_not_remembered(test_key):
    from mcred.errors import InputError
    from mcred.proofs.signing import sign_credential

    document = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
                "issuer": test_key.did, "issuanceDate": CREATED, "credentialSubject": {"id": "did:example:1"}}
    for _ in range(2):  # VC 1.1 alone does not define the Data Integrity proof's terms
        with pytest.raises(InputError) as caught:
            sign_credential(document, test_key, created=CREATED)
        assert caught.value.code == "PROOF_TERMS_UNDEFINED"
