"""Credentials secured as JWTs (VC-JOSE-COSE vc+jwt, VC-JWT 1.1): the W3C test suite's vectors, and every way
a holder or a forger could change one without the issuer's key, each refused for its own reason."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timezone

import pytest
from joserfc import jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import JWKRegistry

from mcred.keys.documents import Documents, documents_from
from mcred.keys.multikey import public_key_from_jwk
from mcred.report import Status, VerifyOptions
from mcred.verify.jwt import credential_of, is_compact_jws, parse_jwt
from mcred.verify.runner import verify_file
from mcred.verify.trust import TrustedIssuer, TrustedKey, TrustList
from tests.conftest import ASSETS

W3C = ASSETS / "jwt" / "w3c"
ISSUER = "https://example.issuer/vc-jose-cose"
NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)


def method(name: str) -> dict:
    return json.loads((W3C / f"vm-{name}.json").read_text(encoding="utf-8"))


def public(vm: dict) -> dict:
    return {k: v for k, v in vm.items() if k != "secretKeyJwk"}


@pytest.fixture(scope="module")
def documents() -> Documents:
    """The issuer's controller document, as a user gives it (--did-documents): its keys under assertionMethod."""
    vms = [public(method(n)) for n in ("p256", "p384", "ed25519")]
    return documents_from([({"@context": ["https://www.w3.org/ns/did/v1"], "id": ISSUER, "verificationMethod": vms,
                             "assertionMethod": [vm["id"] for vm in vms]}, "test")])


def options(documents=None, trust=None) -> VerifyOptions:
    return VerifyOptions(now=NOW, documents=documents, trust=trust)


def check(path, documents=None, trust=None):
    return verify_file(path, options=options(documents, trust))


def credential() -> dict:
    return json.loads((W3C / "credential-minimal.json").read_text(encoding="utf-8"))


def sign(tmp_path, payload: dict, header: dict, secret: dict, name="made.jwt") -> str:
    """A JWT signed with a test suite's secret key (what an issuer, or a forger holding a key, makes)."""
    key = JWKRegistry.import_key(secret)
    with warnings.catch_warnings():  # joserfc: RFC 9864 prefers "Ed25519" to "EdDSA", which the W3C suite writes
        warnings.simplefilter("ignore", SecurityWarning)
        text = jws.serialize_compact(header, json.dumps(payload).encode(), key, algorithms=[header["alg"]])
    path = tmp_path / name
    path.write_text(text, encoding="ascii")
    return path


def failed(report) -> list[str]:
    return [c.code for c in report.checks if c.status == Status.FAILED]


def ed_header(**extra) -> dict:
    return {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": method("ed25519")["publicKeyJwk"]["kid"], **extra}


# -- the W3C vectors -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["credential-jose-minimal.txt", "credential-issuer-match-signed.txt"])
def test_the_w3c_vectors_verify_with_the_issuers_controller_document(name, documents):
    report = check(W3C / name, documents)
    assert report.outcome == "verified", [(c.code, c.message) for c in report.checks if c.status != Status.PASSED]
    assert report.issuer == ISSUER
    assert [c.code for c in report.checks if c.check == "proof"] == ["JWT_SIGNATURE_OK"]
    assert report.facts.id == "http://university.example/credentials/1872"  # the facts come from the payload


def test_a_compact_jws_is_read_as_a_jwt_whatever_the_file_is_called():
    assert is_compact_jws((W3C / "credential-jose-minimal.txt").read_bytes())
    assert not is_compact_jws(b'{"@context": []}')


def test_without_the_document_the_key_is_not_resolvable_and_says_what_to_give():
    report = check(W3C / "credential-jose-minimal.txt")
    result = next(c for c in report.checks if c.status == Status.FAILED)
    assert result.code == "JWT_KEY_UNRESOLVABLE" and "--did-documents" in result.hint


def test_the_w3c_bad_signature_fails(documents):
    assert failed(check(W3C / "credential-jose-bad-signature.txt", documents)) == ["JWT_SIGNATURE_INVALID"]


def test_the_w3c_bad_media_type_fails(documents):
    assert failed(check(W3C / "credential-jose-bad-media-type.txt", documents)) == ["JWT_TYP_INVALID"]


def test_the_w3c_vc_and_vp_claims_in_a_vc_jwt_fail(documents):
    assert failed(check(W3C / "credential-jose-vc-vp-claims.txt", documents)) == ["JWT_VC_CLAIM_FORBIDDEN"]


def test_es512_is_refused_by_name(documents):
    report = check(W3C / "credential-jose-unknown-extensions.txt", documents)
    assert failed(report) == ["JWT_ALG_UNSUPPORTED"] and "ES512" in report.failures[0].message


def test_a_changed_payload_byte_fails(tmp_path, documents):
    header, _, signature = (W3C / "credential-jose-minimal.txt").read_text().strip().split(".")
    claims = parse_jwt((W3C / "credential-jose-minimal.txt").read_text()).payload
    claims["credentialSubject"]["degree"]["name"] = "Doctor of Everything"
    from mcred.seals.jades import b64url

    path = tmp_path / "forged.jwt"
    path.write_text(".".join([header, b64url(json.dumps(claims).encode()), signature]))
    assert failed(check(path, documents)) == ["JWT_SIGNATURE_INVALID"]


# -- did:key, ES384, header JWKs -----------------------------------------------------------------------


def test_a_did_key_kid_needs_no_document_and_the_issuer_must_be_its_controller(tmp_path):
    ed = method("ed25519")
    did = public_key_from_jwk(ed["publicKeyJwk"]).did
    payload = {**credential(), "issuer": did}
    ok = check(sign(tmp_path, payload, ed_header(kid=f"{did}#{did[8:]}"), ed["secretKeyJwk"]))
    assert ok.outcome == "verified" and ok.issuer == did
    other = check(sign(tmp_path, {**credential(), "issuer": "did:example:someone-else"},
                       ed_header(kid=f"{did}#{did[8:]}"), ed["secretKeyJwk"], "other.jwt"))
    assert failed(other) == ["ISSUER_NOT_SIGNER"]


def test_es384_with_a_p384_did_key(tmp_path):
    p384 = method("p384")
    did = public_key_from_jwk(p384["publicKeyJwk"]).did
    header = {"alg": "ES384", "typ": "vc+jwt", "kid": f"{did}#{did[8:]}"}
    assert check(sign(tmp_path, {**credential(), "issuer": did}, header, p384["secretKeyJwk"])).outcome == "verified"


def test_an_alg_that_does_not_fit_the_key(tmp_path):
    p256 = method("p256")
    did = public_key_from_jwk(p256["publicKeyJwk"]).did
    header = {"alg": "ES384", "typ": "vc+jwt", "kid": f"{did}#{did[8:]}"}
    path = sign(tmp_path, {**credential(), "issuer": did}, {**header, "alg": "ES256"}, p256["secretKeyJwk"])
    text = path.read_text().split(".")
    from mcred.seals.jades import b64url

    path.write_text(".".join([b64url(json.dumps(header).encode()), *text[1:]]))
    assert failed(check(path)) == ["JWT_ALG_KEY_MISMATCH"]


def test_a_key_in_the_header_counts_only_when_the_trust_file_lists_it(tmp_path):
    ed = method("ed25519")
    key = public_key_from_jwk(ed["publicKeyJwk"])
    header = {"alg": "EdDSA", "typ": "vc+jwt", "jwk": ed["publicKeyJwk"]}
    path = sign(tmp_path, {**credential(), "issuer": ISSUER}, header, ed["secretKeyJwk"])
    assert failed(check(path)) == ["JWT_KEY_UNTRUSTED"]
    trust = TrustList((TrustedIssuer(ISSUER, {"en": "Example"}, "USA", keys=(TrustedKey(key.verification_method),)),))
    report = check(path, trust=trust)
    assert report.outcome == "verified" and "TRUST_TRUSTED" in [c.code for c in report.checks]


def test_a_method_not_under_assertion_method_is_refused(tmp_path, documents):
    document = {**documents[ISSUER], "assertionMethod": []}
    given = documents_from([(document, "test")])
    assert failed(check(W3C / "credential-jose-minimal.txt", given)) == ["JWT_KEY_NOT_ASSERTION"]


def test_a_method_another_identifier_controls_is_refused(tmp_path, documents):
    # the document lists the key, but says someone else controls it: it cannot lend the key to its issuer
    document = json.loads(json.dumps(documents[ISSUER]))
    for vm in document["verificationMethod"]:
        vm["controller"] = "https://mallory.example/issuers/1"
    report = check(W3C / "credential-jose-minimal.txt", documents_from([(document, "test")]))
    assert failed(report) == ["JWT_KEY_INVALID"]
    assert "mallory.example" in next(c.message for c in report.checks if c.code == "JWT_KEY_INVALID")


def test_no_kid_and_no_jwk(tmp_path):
    ed = method("ed25519")
    header = {"alg": "EdDSA", "typ": "vc+jwt"}
    assert failed(check(sign(tmp_path, credential(), header, ed["secretKeyJwk"]))) == ["JWT_KID_MISSING"]


# -- algorithms a forger would choose -------------------------------------------------------------------


def _unsigned(tmp_path, header: dict, payload: dict, signature: str = "") -> str:
    from mcred.seals.jades import b64url

    path = tmp_path / "made.jwt"
    path.write_text(f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}.{signature}")
    return path


@pytest.mark.parametrize("alg,code", [("none", "JWT_ALG_NONE"), ("HS256", "JWT_ALG_REFUSED"),
                                      ("RS256", "JWT_ALG_UNSUPPORTED"), ("PS256", "JWT_ALG_UNSUPPORTED")])
def test_alg_none_hmac_and_rsa_are_refused_by_name(tmp_path, alg, code, documents):
    header = {**ed_header(), "alg": alg}
    report = check(_unsigned(tmp_path, header, {**credential(), "issuer": ISSUER}, "c2ln"), documents)
    assert failed(report) == [code]
    assert alg in report.failures[0].message or alg == "none"


def test_a_critical_header_parameter_mcred_does_not_understand(tmp_path, documents):
    path = _unsigned(tmp_path, ed_header(crit=["exp"], exp=1), {**credential(), "issuer": ISSUER}, "c2ln")
    assert failed(check(path, documents)) == ["JWT_CRIT_UNSUPPORTED"]


# -- typ, cty, the payload -------------------------------------------------------------------------------


@pytest.mark.parametrize("header,code", [
    ({"typ": "vp+jwt"}, "JWT_TYP_INVALID"),
    ({"typ": "vc+sd-jwt"}, "JWT_TYP_INVALID"),
    ({"typ": "vc+jwt", "cty": "vp"}, "JWT_CTY_INVALID"),
])
def test_a_header_that_says_something_else_than_a_credential(tmp_path, documents, header, code):
    ed = method("ed25519")
    path = sign(tmp_path, {**credential(), "issuer": ISSUER}, {**ed_header(), **header}, ed["secretKeyJwk"])
    assert failed(check(path, documents)) == [code]


@pytest.mark.parametrize("payload", [{"sub": "did:example:123", "name": "not a credential"},
                                     {"vp": {"type": "VerifiablePresentation"}},
                                     {"vc": {"type": ["Achievement"]}}])
def test_a_payload_that_is_not_a_credential(tmp_path, documents, payload):
    ed = method("ed25519")
    header = {**ed_header(), "typ": "JWT"}
    assert failed(check(sign(tmp_path, payload, header, ed["secretKeyJwk"]), documents)) == ["JWT_NOT_CREDENTIAL"]


def test_iss_must_be_the_credentials_issuer(tmp_path, documents):
    ed = method("ed25519")
    path = sign(tmp_path, {**credential(), "issuer": ISSUER, "iss": "https://other.example"}, ed_header(),
                ed["secretKeyJwk"])
    assert failed(check(path, documents)) == ["JWT_CLAIM_MISMATCH"]


def test_not_json_is_unusable(tmp_path):
    path = tmp_path / "broken.jwt"
    path.write_text("eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.c2ln")
    report = check(path)
    assert report.unusable and failed(report) == ["JWT_MALFORMED"]


# -- VC-JWT 1.1 (a vc claim) -------------------------------------------------------------------------------


def v1_payload(**claims) -> dict:
    vc = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
          "credentialSubject": {}}  # its issuer, id and subject's id come from iss, jti and sub
    return {"vc": vc, "iss": ISSUER, "jti": "urn:uuid:1d3c2b5a-0000-4000-8000-000000000001",
            "sub": "did:example:learner", "nbf": 1262304000, **claims}


def test_a_vc_jwt_1_1_maps_iss_jti_and_sub_onto_the_credential(tmp_path, documents):
    ed = method("ed25519")
    report = check(sign(tmp_path, v1_payload(), {**ed_header(), "typ": "JWT"}, ed["secretKeyJwk"]), documents)
    assert report.outcome == "verified", [(c.code, c.message) for c in report.checks if c.status != Status.PASSED]
    assert report.issuer == ISSUER and report.facts.id == "urn:uuid:1d3c2b5a-0000-4000-8000-000000000001"


def test_a_vc_jwt_1_1_whose_claims_contradict_its_credential(tmp_path, documents):
    ed = method("ed25519")
    payload = v1_payload()
    payload["vc"]["issuer"] = "https://other.example"
    report = check(sign(tmp_path, payload, {**ed_header(), "typ": "JWT"}, ed["secretKeyJwk"]), documents)
    assert failed(report) == ["JWT_CLAIM_MISMATCH"] and report.failures[0].path == "$.payload.iss"


@pytest.mark.parametrize("claims,code", [({"exp": 1262304000 + 3600}, "JWT_EXPIRED"),
                                         ({"nbf": 4102444800}, "JWT_NOT_YET_VALID"),
                                         ({"exp": "2030-01-01"}, "JWT_DATE_INVALID")])
def test_nbf_and_exp_against_now(tmp_path, documents, claims, code):
    ed = method("ed25519")
    report = check(sign(tmp_path, v1_payload(**claims), {**ed_header(), "typ": "JWT"}, ed["secretKeyJwk"]),
                   documents)
    assert failed(report) == [code]
    assert next(c for c in report.checks if c.code == code).check == "validity"


def test_the_credential_of_a_vc_jwt_1_1_is_its_vc_claim():
    credential_, form = credential_of({"alg": "EdDSA", "typ": "JWT"}, v1_payload())
    assert form == "VC-JWT 1.1" and credential_["issuer"] == ISSUER


def test_every_jwt_code_has_an_italian_message():
    from mcred.messages import _CATALOGUE
    from mcred.verify.jwt import MESSAGES

    assert set(MESSAGES) - set(_CATALOGUE) == set()


# -- the command: files and folders, JSON, Italian -------------------------------------------------------


def test_mcred_verify_reads_jwt_files_in_a_folder_with_the_usual_report(tmp_path, runner):
    from mcred._schema import schema_errors
    from mcred.cli.app import app

    ed = method("ed25519")
    did = public_key_from_jwk(ed["publicKeyJwk"]).did
    header = ed_header(kid=f"{did}#{did[8:]}")
    sign(tmp_path, {**credential(), "issuer": did}, header, ed["secretKeyJwk"], "good.jwt")
    sign(tmp_path, {**credential(), "issuer": did, "iss": "did:example:other"}, header, ed["secretKeyJwk"], "bad.jwt")
    result = runner.invoke(app, ["verify", str(tmp_path), "--format", "json", "--now", "2026-11-23T12:00:00Z",
                                 "--lang", "it"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1 and lines[-1]["files"] == 2
    reports = {line["file"].rsplit("/", 1)[-1]: line for line in lines[:-1]}
    assert reports["good.jwt"]["outcome"] == "verified" and reports["good.jwt"]["issuer"] == did
    assert reports["bad.jwt"]["outcome"] == "invalid"
    mismatch = next(c for c in reports["bad.jwt"]["checks"] if c["code"] == "JWT_CLAIM_MISMATCH")
    assert "dice due cose" in mismatch["message"]
    assert all(schema_errors(r, "mcred-report-1.schema.json") == [] for r in reports.values())


def test_a_did_url_kid_is_found_in_the_did_document_given_and_nowhere_else(tmp_path):
    vm = method("did-ed25519")
    did = vm["controller"]
    header = {"alg": "EdDSA", "typ": "vc+jwt", "kid": vm["id"]}
    path = sign(tmp_path, {**credential(), "issuer": did}, header, vm["secretKeyJwk"])
    document = {"id": did, "verificationMethod": [public(vm)], "assertionMethod": [vm["id"]]}
    assert check(path, documents_from([(document, "test")])).outcome == "verified"
    assert failed(check(path)) == ["JWT_KEY_UNRESOLVABLE"]
    # a document naming another id is not that DID's document, whatever file it came in
    elsewhere = {**document, "id": "did:example:elsewhere"}
    assert failed(check(path, documents_from([(elsewhere, str(tmp_path / "did.json"))]))) == ["JWT_KEY_UNRESOLVABLE"]


def test_a_header_jwk_with_its_private_key_is_refused(tmp_path):
    ed = method("ed25519")
    path = _unsigned(tmp_path, {"alg": "EdDSA", "typ": "vc+jwt", "jwk": ed["secretKeyJwk"]},
                     {**credential(), "issuer": ISSUER}, "c2ln")
    assert failed(check(path)) == ["JWT_KEY_INVALID"]


def test_expect_digest_names_the_bytes_the_jwt_signature_covers(tmp_path, documents):
    from mcred.verify.digest import ExpectedDigest, jwt_digest

    path = W3C / "credential-jose-minimal.txt"
    digest = jwt_digest(path.read_text())
    good = ExpectedDigest(sha256=digest, credential_id="http://university.example/credentials/1872")
    report = verify_file(path, options=VerifyOptions(now=NOW, documents=documents, expect_digest=good))
    assert report.outcome == "verified" and report.checks[-1].code == "DIGEST_OK"
    other = ExpectedDigest(sha256="0" * 64, credential_id=None)
    report = verify_file(path, options=VerifyOptions(now=NOW, documents=documents, expect_digest=other))
    assert failed(report) == ["DIGEST_MISMATCH"]


def test_a_vc_1_1_credential_as_the_payload_with_jwt_claims_beside_it(tmp_path, documents):
    """Open Badges 3.0's VC-JWT: typ JWT, the credential is the payload, iss/jti/sub/nbf beside its properties
    (a VC 1.1 context defines none of them: they are the JWT's, and checked as such)."""
    ed = method("ed25519")
    payload = {**v1_payload()["vc"], "issuer": ISSUER, "id": "urn:uuid:1d3c2b5a-0000-4000-8000-000000000002",
               "iss": ISSUER, "jti": "urn:uuid:1d3c2b5a-0000-4000-8000-000000000002", "nbf": 1262304000}
    report = check(sign(tmp_path, payload, {**ed_header(), "typ": "JWT"}, ed["secretKeyJwk"]), documents)
    assert report.outcome == "verified", [(c.code, c.message) for c in report.checks if c.status != Status.PASSED]
    other = {**payload, "jti": "urn:uuid:00000000-0000-4000-8000-000000000000"}
    report = check(sign(tmp_path, other, {**ed_header(), "typ": "JWT"}, ed["secretKeyJwk"], "other.jwt"), documents)
    assert failed(report) == ["JWT_CLAIM_MISMATCH"] and report.failures[0].path == "$.payload.jti"
