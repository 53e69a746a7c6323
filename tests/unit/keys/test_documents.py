"""DID and controller documents the user gives: read, checked, and each abuse a holder could try refused by code."""

from __future__ import annotations

import base64
import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from mcred.keys import documents as d
from mcred.keys import multibase
from mcred.keys.ed25519 import SigningKey

KEY = SigningKey.from_seed(bytes(range(32)))
OTHER = SigningKey.from_seed(bytes(range(1, 33)))
DID = "did:web:issuer.example"
VM = f"{DID}#key-1"
HTTPS = "https://issuer.example/issuers/1"


def multikey(vm_id=VM, controller=DID, key=KEY) -> dict:
    return {"id": vm_id, "type": "Multikey", "controller": controller, "publicKeyMultibase": key.public_key.multibase}


def did_document(**overrides) -> dict:
    doc = {"@context": ["https://www.w3.org/ns/did/v1"], "id": DID,
           "verificationMethod": [multikey()], "assertionMethod": [VM]}
    doc.update(overrides)
    return doc


def docs(*documents) -> d.Documents:
    return d.documents_from((doc, f"doc{i}.json") for i, doc in enumerate(documents))


def code_of(vm_id, documents, **kwargs) -> str:
    with pytest.raises(d.KeyResolutionError) as caught:
        d.resolve(vm_id, documents, **kwargs)
    return caught.value.code


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def p256_jwk(private=False) -> dict:
    key = ec.generate_private_key(ec.SECP256R1())
    numbers = key.private_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": b64url(numbers.public_numbers.x.to_bytes(32, "big")),
           "y": b64url(numbers.public_numbers.y.to_bytes(32, "big"))}
    if private:
        jwk["d"] = b64url(numbers.private_value.to_bytes(32, "big"))
    return jwk


# -- what resolves ------------------------------------------------------------------------------


def test_a_referenced_method_resolves_to_its_key_and_the_document_as_controller():
    method = d.resolve(VM, docs(did_document()))
    assert (method.id, method.controller, method.public_key) == (VM, DID, KEY.public_key)


def test_an_embedded_method_and_a_relative_id_resolve():
    embedded = did_document(verificationMethod=[], assertionMethod=[multikey(vm_id="#key-1")])
    assert d.resolve(VM, docs(embedded)).public_key == KEY.public_key
    relative = did_document(verificationMethod=[multikey(vm_id="#key-1")], assertionMethod=["#key-1"])
    assert d.resolve(VM, docs(relative)).public_key == KEY.public_key


def test_a_controller_document_with_an_https_id_resolves():
    vm = f"{HTTPS}#{KEY.public_key.multibase}"
    doc = {"id": HTTPS, "verificationMethod": [multikey(vm, HTTPS)], "assertionMethod": [vm]}
    assert d.resolve(vm, docs(doc)).controller == HTTPS


@pytest.mark.parametrize("method", [
    {"type": "Ed25519VerificationKey2020", "publicKeyMultibase": KEY.public_key.multibase},
    {"type": "Ed25519VerificationKey2018", "publicKeyBase58": multibase.b58encode(KEY.public_key.raw)},
    {"type": "JsonWebKey2020", "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": b64url(KEY.public_key.raw)}},
])
def test_every_ed25519_key_type_resolves_to_the_same_key(method):
    doc = did_document(verificationMethod=[{"id": VM, "controller": DID, **method}])
    assert d.resolve(VM, docs(doc)).public_key == KEY.public_key


def test_a_p256_jwk_resolves():
    doc = did_document(verificationMethod=[{"id": VM, "type": "JsonWebKey", "controller": DID,
                                            "publicKeyJwk": p256_jwk()}])
    from mcred.keys.multikey import key_type_name

    assert key_type_name(d.resolve(VM, docs(doc)).public_key) == "P-256"


def test_a_did_key_needs_no_document():
    assert d.resolve(KEY.verification_method, None).public_key == KEY.public_key


# -- what a holder or an attacker would try ------------------------------------------------------


def test_no_document_given_says_how_to_give_one():
    with pytest.raises(d.KeyResolutionError) as caught:
        d.resolve(VM, None)
    assert caught.value.code == "KEY_DOCUMENT_MISSING"
    assert "--did-documents" in caught.value.message
    assert "https://issuer.example/.well-known/did.json" in caught.value.hint  # where to get it, never fetched


def test_a_document_whose_id_is_another_did_does_not_resolve_the_method():
    # an attacker's own document, listing the victim's method id: it is filed under the attacker's id
    forged = did_document(id="did:web:attacker.example")
    assert code_of(VM, docs(forged)) == "KEY_DOCUMENT_MISSING"


def test_a_method_listed_only_under_authentication_cannot_sign_a_credential():
    doc = did_document(assertionMethod=[], authentication=[VM])
    assert code_of(VM, docs(doc)) == "KEY_METHOD_NOT_AUTHORISED"
    assert d.resolve(VM, docs(doc), purpose=d.AUTHENTICATION).id == VM  # a presentation could use it


def test_a_method_in_verification_method_only_is_not_authorised():
    assert code_of(VM, docs(did_document(assertionMethod=None))) == "KEY_METHOD_NOT_AUTHORISED"


def test_a_method_the_document_does_not_list():
    assert code_of(f"{DID}#key-2", docs(did_document())) == "KEY_METHOD_NOT_LISTED"


def test_a_reference_to_a_method_the_document_does_not_declare():
    assert code_of(VM, docs(did_document(verificationMethod=[]))) == "KEY_METHOD_NOT_LISTED"


def test_a_relative_id_that_does_not_match_exactly():
    doc = did_document(verificationMethod=[multikey(vm_id="key-1")], assertionMethod=["key-1"])  # no '#'
    assert code_of(VM, docs(doc)) == "KEY_METHOD_NOT_LISTED"


def test_a_method_controlled_by_someone_else():
    doc = did_document(verificationMethod=[multikey(controller="did:web:attacker.example")])
    assert code_of(VM, docs(doc)) == "KEY_METHOD_CONTROLLER_MISMATCH"
    doc["verificationMethod"][0].pop("controller")
    assert code_of(VM, docs(doc)) == "KEY_METHOD_CONTROLLER_MISMATCH"


def test_a_jwk_with_its_private_key_is_refused():
    doc = did_document(verificationMethod=[{"id": VM, "type": "JsonWebKey2020", "controller": DID,
                                            "publicKeyJwk": p256_jwk(private=True)}])
    with pytest.raises(d.KeyResolutionError) as caught:
        d.resolve(VM, docs(doc))
    assert caught.value.code == "KEY_MATERIAL_INVALID"
    assert "private" in caught.value.message


@pytest.mark.parametrize("method", [
    {"type": "Ed25519VerificationKey2020", "publicKeyMultibase": "zNotBase58!"},
    {"type": "Multikey", "publicKeyMultibase": KEY.public_key.multibase, "publicKeyJwk": {}},  # two keys: which?
    {"type": "Multikey"},
    {"type": "Ed25519VerificationKey2018", "publicKeyBase58": "1" * 44},
    {"type": "JsonWebKey2020", "publicKeyJwk": "not an object"},
])
def test_unusable_key_material(method):
    doc = did_document(verificationMethod=[{"id": VM, "controller": DID, **method}])
    assert code_of(VM, docs(doc)) == "KEY_MATERIAL_INVALID"


def test_a_p256_key_under_an_ed25519_type_is_refused():
    doc = did_document(verificationMethod=[{"id": VM, "type": "Ed25519VerificationKey2020", "controller": DID,
                                            "publicKeyJwk": p256_jwk()}])
    assert code_of(VM, docs(doc)) == "KEY_MATERIAL_INVALID"


def test_an_unknown_key_type_is_named():
    doc = did_document(verificationMethod=[{**multikey(), "type": "EcdsaSecp256k1VerificationKey2019"}])
    with pytest.raises(d.KeyResolutionError) as caught:
        d.resolve(VM, docs(doc))
    assert caught.value.code == "KEY_TYPE_UNSUPPORTED"
    assert "EcdsaSecp256k1VerificationKey2019" in caught.value.message


@pytest.mark.parametrize("vm_id", [None, 42, "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x", "did:key:zBad"])
def test_a_method_that_names_no_key(vm_id):
    assert code_of(vm_id, docs(did_document())) == "PROOF_KEY_UNRESOLVABLE"


# -- reading documents ------------------------------------------------------------------------------


@pytest.mark.parametrize("data, detail", [
    ([], "not a JSON object"),
    ({"verificationMethod": []}, "not an absolute"),
    ({"id": "issuer.example"}, "not an absolute"),
    ({"id": f"{DID}#key-1"}, "fragment"),
    ({"id": DID, "assertionMethod": VM}, "must be a list"),
    ({"id": DID, "verificationMethod": [VM]}, "must be an object"),
    ({"id": DID, "assertionMethod": [{"type": "Multikey"}]}, "has no id"),
    ({"id": DID, "type": ["VerifiableCredential"], "credentialSubject": {}}, "a credential"),
])
def test_a_file_that_is_no_document_is_refused(tmp_path, data, detail):
    path = tmp_path / "did.json"
    path.write_text(json.dumps(data))
    with pytest.raises(d.DocumentError) as caught:
        d.load_documents([path])
    assert caught.value.code == "KEY_DOCUMENT_INVALID"
    assert detail in caught.value.message
    assert caught.value.exit_code == 3


def test_two_different_documents_with_one_id_conflict(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(did_document()))
    other = did_document(verificationMethod=[multikey(key=OTHER)])
    (tmp_path / "b.jsonld").write_text(json.dumps(other))
    with pytest.raises(d.DocumentError) as caught:
        d.load_documents([tmp_path])
    assert caught.value.code == "KEY_DOCUMENT_CONFLICT"
    # the same document twice is no conflict
    (tmp_path / "b.jsonld").write_text(json.dumps(did_document()))
    assert len(d.load_documents([tmp_path, tmp_path / "a.json"])) == 1


def test_a_folder_is_read_flat_and_credentials_beside_the_documents_are_skipped(tmp_path):
    (tmp_path / "did.json").write_text(json.dumps(did_document()))
    (tmp_path / "status.json").write_text(json.dumps({"id": HTTPS, "type": ["VerifiableCredential"],
                                                     "credentialSubject": {}}))
    (tmp_path / "notes.txt").write_text("not read")
    (tmp_path / "deeper").mkdir()
    (tmp_path / "deeper" / "x.json").write_text("not read either")
    loaded = d.load_documents([tmp_path])
    assert list(loaded.by_id) == [DID]
    assert loaded.skipped == (str(tmp_path / "status.json"),)


def test_documents_are_bounded_like_every_input(tmp_path):
    deep: dict = {"id": DID}
    node = deep
    for _ in range(100):
        node["x"] = {}
        node = node["x"]
    (tmp_path / "deep.json").write_text(json.dumps(deep))
    with pytest.raises(d.DocumentError):
        d.load_documents([tmp_path / "deep.json"])


def test_merged_sets_conflict_on_one_id_with_two_contents():
    first = docs(did_document())
    assert first.merged(docs(copy.deepcopy(did_document()))).by_id == first.by_id
    with pytest.raises(d.DocumentError) as caught:
        first.merged(docs(did_document(assertionMethod=[])))
    assert caught.value.code == "KEY_DOCUMENT_CONFLICT"


def test_every_code_has_an_italian_message_and_a_row_in_the_manual():
    from pathlib import Path

    from mcred.messages import _CATALOGUE

    manual = (Path(__file__).resolve().parents[3] / "docs" / "verify.md").read_text(encoding="utf-8")
    codes = set(d.MESSAGES_IT)
    assert codes == {"KEY_DOCUMENT_MISSING", "KEY_DOCUMENT_INVALID", "KEY_DOCUMENT_CONFLICT", "KEY_METHOD_NOT_LISTED",
                     "KEY_METHOD_NOT_AUTHORISED", "KEY_METHOD_CONTROLLER_MISMATCH", "KEY_TYPE_UNSUPPORTED",
                     "KEY_MATERIAL_INVALID"}
    for code in codes:
        assert code in _CATALOGUE
        assert f"`{code}`" in manual, code


def test_documents_are_a_read_only_mapping_by_id():
    loaded = docs(did_document())
    assert dict(loaded) == {DID: did_document()} and DID in loaded and loaded.get("did:web:other") is None
    with pytest.raises(TypeError):
        loaded[DID] = {}  # type: ignore[index]
