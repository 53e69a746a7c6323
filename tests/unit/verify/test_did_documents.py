"""Credentials signed with did:web keys, verified with the DID documents the user gives (never fetched)."""

from __future__ import annotations

import json

import pytest

from mcred.cli.app import app
from mcred.keys.documents import documents_from
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import add_proof
from mcred.report import Status, VerifyOptions
from mcred.verify.runner import verify_credential
from tests.conftest import CREATED, NOW, VECTORS, load_json

KEY = SigningKey.from_seed(bytes(range(32)))
DID = "did:web:issuer.example"
VM = f"{DID}#key-1"


class WebKey:
    """The test key, named by a did:web verification method (what add_proof signs with)."""

    verification_method = VM

    def sign(self, data: bytes) -> bytes:
        return KEY.sign(data)


def document(**overrides) -> dict:
    doc = {"@context": ["https://www.w3.org/ns/did/v1"], "id": DID,
           "verificationMethod": [{"id": VM, "type": "Multikey", "controller": DID,
                                   "publicKeyMultibase": KEY.public_key.multibase}],
           "assertionMethod": [VM]}
    doc.update(overrides)
    return doc


@pytest.fixture
def web_signed() -> dict:
    credential = load_json(VECTORS / "unsigned.json")
    credential["issuer"] = DID
    return add_proof(credential, WebKey(), created=CREATED)


def verify(credential, *docs):
    options = VerifyOptions(now=NOW, documents=documents_from((doc, "did.json") for doc in docs) if docs else None)
    return verify_credential(credential, now=NOW, options=options)


def codes(report, status=Status.FAILED):
    return [c.code for c in report.checks if c.status == status]


def test_a_did_web_credential_verifies_with_its_document_and_its_issuer_is_the_signer(web_signed):
    report = verify(web_signed, document())
    assert report.verified, report.checks
    assert "ISSUER_OK" in codes(report, Status.PASSED)


def test_without_its_document_the_credential_is_not_resolvable_offline(web_signed):
    report = verify(web_signed)
    assert codes(report) == ["KEY_DOCUMENT_MISSING"]
    proof = next(c for c in report.checks if c.check == "proof")
    assert proof.path == "$.proof.verificationMethod"
    assert "--did-documents" in proof.message
    assert "--did-documents" in proof.text("it")[0]


def test_a_tampered_claim_still_fails_the_signature(web_signed):
    web_signed["credentialSubject"]["alumniOf"] = "Forged University"
    assert codes(verify(web_signed, document())) == ["PROOF_SIGNATURE_INVALID"]


def test_the_issuer_changed_to_another_did_web_is_not_the_signer(web_signed):
    # the holder keeps the proof and names another issuer: the key's controller is still the signer's DID
    forged = dict(web_signed, issuer="did:web:university.example")
    report = verify(forged, document())
    assert "PROOF_SIGNATURE_INVALID" in codes(report)  # the issuer is signed, so the signature breaks first


def test_the_issuer_is_checked_against_the_documents_id_not_the_credentials_claim(web_signed):
    # a credential issued by did:web:university.example but signed with issuer.example's key: not its signer
    credential = load_json(VECTORS / "unsigned.json")
    credential["issuer"] = "did:web:university.example"
    signed = add_proof(credential, WebKey(), created=CREATED)
    assert codes(verify(signed, document())) == ["ISSUER_NOT_SIGNER"]


def test_a_document_with_another_id_does_not_vouch_for_the_method(web_signed):
    assert codes(verify(web_signed, document(id="did:web:attacker.example"))) == ["KEY_DOCUMENT_MISSING"]


def test_a_method_listed_only_for_authentication_cannot_sign_a_credential(web_signed):
    report = verify(web_signed, document(assertionMethod=[], authentication=[VM]))
    assert codes(report) == ["KEY_METHOD_NOT_AUTHORISED"]


def test_a_method_controlled_by_someone_else_is_refused(web_signed):
    doc = document()
    doc["verificationMethod"][0]["controller"] = "did:web:attacker.example"
    assert codes(verify(web_signed, doc)) == ["KEY_METHOD_CONTROLLER_MISMATCH"]


def test_another_key_in_the_document_does_not_verify(web_signed):
    doc = document()
    doc["verificationMethod"][0]["publicKeyMultibase"] = SigningKey.from_seed(bytes(32)).public_key.multibase
    assert codes(verify(web_signed, doc)) == ["PROOF_SIGNATURE_INVALID"]


# -- the command line ------------------------------------------------------------------------------


def test_verify_did_documents_option(runner, tmp_path, web_signed):
    (tmp_path / "dids").mkdir()
    (tmp_path / "dids" / "issuer.json").write_text(json.dumps(document()))
    (tmp_path / "dids" / "status.json").write_text(json.dumps({"id": "https://x.example/list",
                                                               "type": ["VerifiableCredential"]}))
    cred = tmp_path / "cred.json"
    cred.write_text(json.dumps(web_signed))
    args = ["verify", str(cred), "--now", "2026-11-23T12:00:00Z", "--format", "json"]
    missing = runner.invoke(app, args)
    assert missing.exit_code == 1
    assert "KEY_DOCUMENT_MISSING" in missing.stdout
    given = runner.invoke(app, [*args, "--did-documents", str(tmp_path / "dids")])
    assert given.exit_code == 0, given.output
    assert "skipped" in given.stderr and "status.json" in given.stderr


def test_a_bad_document_stops_the_command_with_exit_3(runner, tmp_path, web_signed):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "issuer.example"}))
    cred = tmp_path / "cred.json"
    cred.write_text(json.dumps(web_signed))
    result = runner.invoke(app, ["verify", str(cred), "--did-documents", str(bad)])
    assert result.exit_code == 3
    assert "not an absolute DID or URL" in result.stderr


@pytest.mark.parametrize("command", [["show"], ["render", "--out", "-"]])
def test_show_and_render_take_did_documents(runner, tmp_path, web_signed, command):
    dids = tmp_path / "did.json"
    dids.write_text(json.dumps(document()))
    cred = tmp_path / "cred.json"
    cred.write_text(json.dumps(web_signed))
    result = runner.invoke(app, [*command, str(cred), "--did-documents", str(dids), "--now", "2026-11-23T12:00:00Z"])
    assert result.exit_code == 0, result.output


# -- trust files: documents: and a did:web issuer trusted with its own document's keys ---------------------------


def trust_file(tmp_path, *, documents=None, keys=None):
    from mcred.verify import trust as t

    entry = {"id": DID, "legal_name": {"en": "Issuer"}, "country": "ITA", **({"keys": keys} if keys else {})}
    data = {"mcred": "trust/1", "issuers": [entry], **({"documents": documents} if documents is not None else {})}
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(data))
    return t.load_trust_list(path)


def test_a_did_web_issuer_is_trusted_with_the_keys_of_the_document_the_trust_file_holds(tmp_path, web_signed):
    trust = trust_file(tmp_path, documents=[document()])
    report = verify_credential(web_signed, now=NOW, options=VerifyOptions(now=NOW, trust=trust))
    assert report.verified
    assert "TRUST_TRUSTED" in codes(report, Status.PASSED)


def test_a_trusted_did_web_issuer_does_not_vouch_for_another_did_webs_key(tmp_path):
    # issuer.example is trusted; a credential naming it as issuer but signed by attacker.example's key
    other = "did:web:attacker.example"

    class AttackerKey(WebKey):
        verification_method = f"{other}#key-1"

    credential = load_json(VECTORS / "unsigned.json")
    credential["issuer"] = DID
    signed = add_proof(credential, AttackerKey(), created=CREATED)
    attacker = document(id=other, assertionMethod=[f"{other}#key-1"])
    attacker["verificationMethod"][0].update(id=f"{other}#key-1", controller=other)
    trust = trust_file(tmp_path, documents=[document(), attacker])
    report = verify_credential(signed, now=NOW, options=VerifyOptions(now=NOW, trust=trust))
    assert codes(report) == ["ISSUER_NOT_SIGNER"]


def test_a_did_web_issuer_that_lists_did_key_keys_is_held_to_them(tmp_path, web_signed):
    trust = trust_file(tmp_path, documents=[document()], keys=[{"verification_method": KEY.verification_method}])
    report = verify_credential(web_signed, now=NOW, options=VerifyOptions(now=NOW, trust=trust))
    assert codes(report) == ["TRUST_KEY_UNKNOWN"]


@pytest.mark.parametrize("documents, path, detail", [
    ([{"id": "not absolute"}], "$.documents[0].id", "not an absolute DID or URL"),
    ([document(), document(assertionMethod=[])], "$.documents[1].id", "two different documents"),
    ({"id": DID}, "$.documents", "must be a list"),
])
def test_a_trust_files_documents_are_checked_when_it_loads(tmp_path, documents, path, detail):
    from mcred.verify import trust as t

    with pytest.raises(t.TrustFileError) as caught:
        trust_file(tmp_path, documents=documents)
    assert [p for p, _, _ in caught.value.problems] == [path]
    assert detail in caught.value.message


def test_trust_add_document_and_remove_document(runner, tmp_path, web_signed):
    from mcred.verify import trust as t

    doc = tmp_path / "did.json"
    doc.write_text(json.dumps(document()))
    cred = tmp_path / "cred.json"
    cred.write_text(json.dumps(web_signed))
    trust = tmp_path / "trust.yaml"
    added = runner.invoke(app, ["trust", "add", "--file", str(trust), "--issuer", DID, "--name-en", "Issuer",
                                "--country", "ITA"])
    assert added.exit_code == 0, added.output
    assert runner.invoke(app, ["trust", "add-document", str(doc), "--file", str(trust)]).exit_code == 0
    again = runner.invoke(app, ["trust", "add-document", str(doc), "--file", str(trust)])
    assert again.exit_code == 2 and "already listed" in again.stderr
    assert DID in t.load_trust_list(trust).documents.by_id
    listed = runner.invoke(app, ["trust", "list", "--file", str(trust)])
    assert VM in listed.stdout
    verified = runner.invoke(app, ["verify", str(cred), "--trust", str(trust), "--now", "2026-11-23T12:00:00Z"])
    assert verified.exit_code == 0 and "VERIFIED" in verified.stdout, verified.output
    removed = runner.invoke(app, ["trust", "remove-document", DID, "--file", str(trust)])
    assert removed.exit_code == 0, removed.output
    assert t.load_trust_list(trust).documents is None
    missing = runner.invoke(app, ["verify", str(cred), "--trust", str(trust), "--format", "json"])
    assert missing.exit_code == 1 and "KEY_DOCUMENT_MISSING" in missing.stdout
    gone = runner.invoke(app, ["trust", "remove-document", DID, "--file", str(trust)])
    assert gone.exit_code == 2 and "no document" in gone.stderr


def test_trust_add_document_refuses_a_file_that_is_no_document(runner, tmp_path):
    bad = tmp_path / "cred.json"
    bad.write_text(json.dumps({"id": "urn:x", "type": ["VerifiableCredential"], "credentialSubject": {}}))
    result = runner.invoke(app, ["trust", "add-document", str(bad), "--file", str(tmp_path / "t.yaml")])
    assert result.exit_code == 3 and "a credential, not a DID document" in result.stderr
    assert not (tmp_path / "t.yaml").exists()


# -- everywhere keys are resolved -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["verify", "show", "render", "stack"])
def test_every_command_that_verifies_takes_did_documents(runner, command):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert "--did-documents" in result.stdout


def test_a_status_list_signed_with_a_did_web_key_is_trusted_with_its_document(tmp_path):
    from mcred.issue.status_lists import _bitstring_list
    from mcred.verify.status_copies import load_status_list

    unsigned = _bitstring_list("https://issuer.example/status/1", None, DID, CREATED, "revocation", bytes(16384))
    path = tmp_path / "list.json"
    path.write_text(json.dumps(add_proof(unsigned, WebKey(), created=CREATED)))
    assert not load_status_list(path, now=NOW).trusted  # KEY_DOCUMENT_MISSING: not the issuer's list, as far as known
    with_document = load_status_list(path, now=NOW, documents=documents_from([(document(), "did.json")]))
    assert with_document.trusted, with_document.problem


def test_a_pool_of_workers_resolves_with_the_documents(runner, tmp_path, web_signed):
    (tmp_path / "did.json").write_text(json.dumps(document()))
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.json").write_text(json.dumps(web_signed))
    files = [str(tmp_path / f"{name}.json") for name in ("a", "b", "c")]
    result = runner.invoke(app, ["verify", *files, "--jobs", "2", "--did-documents", str(tmp_path / "did.json"),
                                 "--now", "2026-11-23T12:00:00Z"])
    assert result.exit_code == 0, result.output
    assert "3 verified" in result.stdout
