"""Each way a credential can be wrong fails for its own reason, with its own code and exit code."""

from __future__ import annotations

import copy
import json
import os
from datetime import UTC, datetime

import pytest

from mcred.cli.app import app
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import JCS, RDFC, add_proof
from mcred.proofs.signing import sign_credential
from mcred.report import Status
from mcred.verify.runner import verify_credential, verify_file
from tests.conftest import ASSETS, CREATED, NOW, load_json, write_json

OTHER_KEY = SigningKey.from_seed(bytes(range(1, 33)))


def failed(report):
    return [(c.check, c.code) for c in report.checks if c.status == Status.FAILED]


@pytest.fixture(params=[RDFC, JCS])
def signed(request, alumni, test_key):
    return sign_credential(alumni, test_key, suite=request.param, created=CREATED)


@pytest.fixture
def elm(test_key):
    """The ELM v3 sample (VC 1.1, no @vocab anywhere), signed by the test key."""
    doc = load_json(ASSETS / "elm" / "mcred-microcredential-sample.json")
    doc["@context"].append("https://w3id.org/security/data-integrity/v2")
    doc["issuer"]["id"] = test_key.did
    return sign_credential(doc, test_key, created=CREATED)


def test_the_untouched_credentials_verify(signed, elm):
    for document in (signed, elm):
        report = verify_credential(document, now=NOW)
        assert report.verified, report.to_dict()
        assert report.exit_code == 0


def test_claim_changed(signed):
    signed["credentialSubject"]["alumniOf"] = "The School of Forgery"
    report = verify_credential(signed, now=NOW)
    assert failed(report) == [("proof", "PROOF_SIGNATURE_INVALID")]
    assert report.exit_code == 1


def test_created_changed(signed):
    signed["proof"]["created"] = "2026-11-02T09:00:00Z"
    assert failed(verify_credential(signed, now=NOW)) == [("proof", "PROOF_SIGNATURE_INVALID")]


def test_proof_value_altered(signed):
    value = signed["proof"]["proofValue"]
    middle = len(value) // 2
    replacement = "A" if value[middle] != "A" else "B"
    signed["proof"]["proofValue"] = value[:middle] + replacement + value[middle + 1:]
    assert failed(verify_credential(signed, now=NOW)) == [("proof", "PROOF_SIGNATURE_INVALID")]


def test_proof_value_missing(signed):
    del signed["proof"]["proofValue"]
    assert failed(verify_credential(signed, now=NOW)) == [("proof", "PROOF_VALUE_MISSING")]


@pytest.mark.parametrize("bad", ["u" + "A" * 86, "z0OIl" + "1" * 80, "z2", ""])
def test_proof_value_not_base58btc(signed, bad):
    signed["proof"]["proofValue"] = bad
    report = verify_credential(signed, now=NOW)
    assert failed(report) == [("proof", "PROOF_VALUE_ENCODING")]
    assert next(c for c in report.checks if c.check == "proof").path == "$.proof.proofValue"


def test_cryptosuite_relabelled(signed):
    signed["proof"]["cryptosuite"] = JCS if signed["proof"]["cryptosuite"] == RDFC else RDFC
    assert failed(verify_credential(signed, now=NOW)) == [("proof", "PROOF_SIGNATURE_INVALID")]


def test_cryptosuite_unknown(signed):
    signed["proof"]["cryptosuite"] = "bbs-2023"
    assert failed(verify_credential(signed, now=NOW)) == [("proof", "PROOF_UNSUPPORTED")]


def test_cryptosuite_renamed_to_its_draft_name(signed):
    # eddsa-2022 is verified (the draft name of eddsa-rdfc-2022), but the cryptosuite is signed: renaming fails
    signed["proof"]["cryptosuite"] = "eddsa-2022"
    assert failed(verify_credential(signed, now=NOW)) == [("proof", "PROOF_SIGNATURE_INVALID")]


def test_another_key_named_as_verification_method(signed):
    signed["proof"]["verificationMethod"] = OTHER_KEY.verification_method
    report = verify_credential(signed, now=NOW)
    assert ("proof", "PROOF_SIGNATURE_INVALID") in failed(report)


def test_a_p256_key_named_by_an_eddsa_proof_is_refused_before_any_signature_check(signed):
    p256 = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"  # the W3C vc-di-ecdsa vectors' P-256 key
    signed["proof"]["verificationMethod"] = f"did:key:{p256}#{p256}"
    report = verify_credential(signed, now=NOW)
    assert ("proof", "PROOF_KEY_TYPE_MISMATCH") in failed(report)
    assert "is a P-256 key" in next(c.message for c in report.checks if c.code == "PROOF_KEY_TYPE_MISMATCH")


def test_proof_purpose_changed(signed):
    signed["proof"]["proofPurpose"] = "authentication"
    assert failed(verify_credential(signed, now=NOW)) == [("proof", "PROOF_PURPOSE_INVALID")]


def test_undefined_property_injected_after_signing(elm):
    """pyld would drop the term, so the RDF signature would still verify: the jsonld check stops it."""
    elm["credentialSubject"]["secretGrade"] = "30 e lode"
    report = verify_credential(elm, now=NOW)
    assert failed(report) == [("jsonld", "JSONLD_UNDEFINED_TERM")]
    jsonld = next(c for c in report.checks if c.check == "jsonld")
    assert jsonld.path == "$.credentialSubject.secretGrade"
    proof = next(c for c in report.checks if c.check == "proof")
    assert proof.status == Status.SKIPPED
    assert report.exit_code == 1


def test_relative_type_injected_after_signing(elm):
    elm["credentialSubject"]["type"] = ["Person", "Impostor"]
    report = verify_credential(elm, now=NOW)
    assert failed(report) == [("jsonld", "JSONLD_RELATIVE_TYPE")]
    assert next(c for c in report.checks if c.check == "jsonld").path == "$.credentialSubject.type[1]"


def test_relative_id_injected_after_signing(signed):
    signed["credentialSubject"]["id"] = "learners/42"
    report = verify_credential(signed, now=NOW)
    if signed["proof"]["cryptosuite"] == RDFC:
        assert failed(report) == [("jsonld", "JSONLD_RELATIVE_ID")]
    else:  # JCS signs the JSON text: the change breaks the signature itself (and VC 2.0 wants a URL)
        assert failed(report) == [("vcdm2", "VCDM2_ID_NOT_URL"), ("proof", "PROOF_SIGNATURE_INVALID")]


def test_context_removed(signed):
    signed["@context"].remove("https://www.w3.org/ns/credentials/examples/v2")
    report = verify_credential(signed, now=NOW)
    if signed["proof"]["cryptosuite"] == RDFC:
        # without the examples context, alumniOf and AlumniCredential mean nothing
        assert ("jsonld", "JSONLD_UNDEFINED_TERM") in failed(report)
        assert ("jsonld", "JSONLD_RELATIVE_TYPE") in failed(report)
    else:
        # the JCS proof's own @context is no longer a prefix of the document's
        assert failed(report) == [("proof", "PROOF_CONTEXT_MISMATCH")]


def test_all_contexts_removed(signed):
    del signed["@context"]
    report = verify_credential(signed, now=NOW)
    assert ("contexts", "CONTEXT_MISSING") in failed(report)
    assert report.exit_code == 3


def test_unknown_context_url(signed):
    signed["@context"].append("https://evil.example/context/v1")
    report = verify_credential(signed, now=NOW)
    check = next(c for c in report.checks if c.check == "contexts")
    assert check.code == "CONTEXT_UNKNOWN"
    assert "https://evil.example/context/v1" in check.message
    assert check.path == "$['@context'][2]"
    assert report.exit_code == 3


def test_issuer_is_not_the_signer(alumni, test_key):
    alumni["issuer"] = OTHER_KEY.did
    forged = add_proof(alumni, test_key, created=CREATED)
    report = verify_credential(forged, now=NOW)
    assert failed(report) == [("issuer", "ISSUER_NOT_SIGNER")]


def test_issuer_missing(alumni, test_key):
    del alumni["issuer"]
    report = verify_credential(add_proof(alumni, test_key, created=CREATED), now=NOW)
    assert failed(report) == [("issuer", "ISSUER_MISSING")]


@pytest.mark.parametrize("suite", [RDFC, JCS])
def test_expired_is_not_forged(alumni, test_key, suite):
    alumni["validUntil"] = "2026-11-23T11:54:00Z"  # 6 minutes before NOW
    report = verify_credential(sign_credential(alumni, test_key, suite=suite, created=CREATED),
                               now=NOW)
    assert failed(report) == [("validity", "VALIDITY_EXPIRED")]
    assert [c.status for c in report.checks if c.check == "proof"] == [Status.PASSED]


def test_not_yet_valid(alumni, test_key):
    alumni["validFrom"] = "2026-11-23T12:06:00Z"
    report = verify_credential(sign_credential(alumni, test_key, created=CREATED), now=NOW)
    assert failed(report) == [("validity", "VALIDITY_NOT_YET_VALID")]


def test_clock_skew_of_five_minutes_is_allowed(alumni, test_key):
    early, late = dict(alumni), dict(alumni)
    early["validFrom"] = "2026-11-23T12:04:00Z"  # 4 minutes after NOW
    late["validUntil"] = "2026-11-23T11:56:00Z"  # 4 minutes before NOW
    for document in (early, late):
        assert verify_credential(sign_credential(document, test_key, created=CREATED), now=NOW).verified


# --- VC Data Model 2.0 validity (issue 16): dateTimeStamp, a period that ends before it begins -------------


def test_a_period_that_ends_before_it_begins_is_refused(alumni, test_key):
    """VCDM 2.0 4.9: validFrom is not later than validUntil. Checked at any --now, even inside the period's
    ends: the credential contradicts itself."""
    alumni["validFrom"] = "2026-11-23T12:04:00Z"
    alumni["validUntil"] = "2026-11-23T11:56:00Z"
    # signed as another issuer might: mcred sign refuses it (mcred.vcdm)
    report = verify_credential(add_proof(alumni, test_key, created=CREATED), now=NOW)
    assert failed(report) == [("validity", "VALIDITY_PERIOD_INVERTED")]
    inverted = next(c for c in report.checks if c.code == "VALIDITY_PERIOD_INVERTED")
    assert inverted.path == "$.validUntil" and inverted.hint
    assert "validUntil 2026-11-23T11:56:00Z is before validFrom 2026-11-23T12:04:00Z" in inverted.message


def test_a_vc11_period_that_ends_before_it_begins_is_refused(elm, test_key):
    doc = {k: v for k, v in elm.items() if k != "proof"}
    doc["expirationDate"] = "2020-01-01T00:00:00Z"
    doc["issuanceDate"] = "2021-01-01T00:00:00Z"
    report = verify_credential(sign_credential(doc, test_key, created=CREATED), now=datetime(2020, 6, 1, tzinfo=UTC))
    assert ("validity", "VALIDITY_PERIOD_INVERTED") in failed(report)


def test_a_vc2_date_without_a_time_zone_is_refused(alumni, test_key):
    """VCDM 2.0: validFrom and validUntil are dateTimeStamps; a zone-less time is ambiguous by up to 26 hours."""
    alumni["validUntil"] = "2030-01-01T00:00:00"
    # signed as another issuer might: mcred sign refuses it (VCDM2_DATE_INVALID, mcred.vcdm)
    report = verify_credential(add_proof(alumni, test_key, created=CREATED), now=NOW)
    assert failed(report) == [("validity", "VALIDITY_TIMEZONE_MISSING")]
    alumni["validUntil"] = "2030-01-01T00:00:00+01:00"
    assert verify_credential(sign_credential(alumni, test_key, created=CREATED), now=NOW).verified


def test_a_holder_cannot_move_the_validity_dates(alumni, test_key):
    """The dates are read from the signed graph: extending validUntil after signing breaks the proof, whichever
    suite signed (JCS signs the text, RDFC the graph)."""
    alumni["validUntil"] = "2026-11-23T11:54:00Z"
    for suite in (RDFC, JCS):
        forged = sign_credential(alumni, test_key, suite=suite, created=CREATED)
        forged["validUntil"] = "2036-11-23T11:54:00Z"
        report = verify_credential(forged, now=NOW)
        assert not report.verified
        assert ("proof", "PROOF_SIGNATURE_INVALID") in failed(report)


def test_vc11_expiration_date(elm, test_key):
    doc = {k: v for k, v in elm.items() if k != "proof"}
    doc["expirationDate"] = "2026-10-01T00:00:00Z"  # after it was issued (2026-06-30), before NOW
    report = verify_credential(sign_credential(doc, test_key, created=CREATED), now=NOW)
    assert failed(report) == [("validity", "VALIDITY_EXPIRED")]


def test_invalid_date(alumni, test_key):
    alumni["validFrom"] = "next tuesday"
    report = verify_credential(add_proof(alumni, test_key, created=CREATED, suite=JCS), now=NOW)
    assert failed(report) == [("validity", "VALIDITY_DATE_INVALID")]


def test_no_proof(alumni):
    report = verify_credential(alumni, now=NOW)
    assert failed(report) == [("proof", "PROOF_MISSING")]
    assert report.exit_code == 1


def test_one_bad_proof_in_a_proof_set(alumni, test_key):
    doc = add_proof(alumni, test_key, created=CREATED)
    doc = add_proof(doc, test_key, created=CREATED, suite=JCS)
    assert verify_credential(doc, now=NOW).verified
    doc["proof"][1]["created"] = "2026-11-01T09:00:01Z"
    report = verify_credential(doc, now=NOW)
    statuses = [(c.status, c.path) for c in report.checks if c.check == "proof"]
    assert statuses == [(Status.PASSED, "$.proof[0]"), (Status.FAILED, "$.proof[1].proofValue")]
    assert not report.verified


def test_broken_proof_chain(alumni, test_key):
    doc = add_proof(alumni, test_key, created=CREATED, proof_id="urn:uuid:first")
    doc = add_proof(doc, OTHER_KEY, created=CREATED, previous_proof="urn:uuid:first")
    doc["proof"][0]["id"] = "urn:uuid:renamed"
    report = verify_credential(doc, now=NOW)
    assert ("proof", "PROOF_CHAIN_BROKEN") in failed(report)


def test_poison_graph_is_refused(test_key):
    """A clique of blank nodes (RDFC-1.0 test074's shape) is refused, not computed for ever."""
    names = [f"_:n{i}" for i in range(10)]
    graph = [{"@id": a, "http://example.org/vocab#p": [{"@id": b} for b in names if b != a]}
             for a in names]
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential",
           "issuer": test_key.did, "credentialSubject": {"id": "did:example:x"},
           "http://example.org/vocab#graph": {"@graph": graph}}
    doc = add_proof(doc, test_key, created=CREATED, suite=JCS)  # JCS signs without canonicalising
    doc["proof"]["cryptosuite"] = RDFC
    report = verify_credential(doc, now=NOW)
    assert ("proof", "JSONLD_TOO_COMPLEX") in failed(report)
    assert report.exit_code == 3


def test_not_an_object():
    report = verify_credential(["not", "a", "credential"], now=NOW)
    assert failed(report) == [("json", "JSON_NOT_OBJECT")] and report.exit_code == 3


def test_too_deep():
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"]}
    node = doc
    for _ in range(100):
        node["x"] = {}
        node = node["x"]
    report = verify_credential(doc, now=NOW)
    assert failed(report) == [("json", "JSON_TOO_DEEP")]


# --- files and the command line: the exit-code contract -------------------------------------


def test_malformed_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"@context": [', encoding="utf-8")
    report = verify_file(path, now=NOW)
    assert failed(report) == [("json", "JSON_MALFORMED")] and report.exit_code == 3
    assert "line 1" in report.checks[0].message


def test_one_megabyte_of_garbage(tmp_path):
    path = tmp_path / "garbage.json"
    path.write_bytes(os.urandom(1024 * 1024))
    report = verify_file(path, now=NOW)
    assert failed(report) == [("json", "JSON_MALFORMED")] and report.exit_code == 3


def test_too_large(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (3 * 1024 * 1024))
    assert failed(verify_file(path, now=NOW)) == [("json", "FILE_TOO_LARGE")]


def test_unreadable(tmp_path):
    assert failed(verify_file(tmp_path / "missing.json", now=NOW)) == [("json", "FILE_UNREADABLE")]


CLI_NOW = ["--now", "2026-11-23T12:00:00Z"]


@pytest.mark.parametrize("mutate, code, exit_code", [
    (lambda d: d, None, 0),
    (lambda d: d["credentialSubject"].update(alumniOf="x"), "PROOF_SIGNATURE_INVALID", 1),
    ("expired", "VALIDITY_EXPIRED", 1),
    (lambda d: d["@context"].append("https://evil.example/v1"), "CONTEXT_UNKNOWN", 3),
    (lambda d: d.pop("proof"), "PROOF_MISSING", 1),
], ids=["valid", "tampered", "expired", "unknown-context", "no-proof"])
def test_cli_exit_codes_and_json_report(runner, tmp_path, alumni, test_key, mutate, code, exit_code):
    if mutate == "expired":
        alumni["validUntil"] = "2024-01-01T00:00:00Z"
    doc = sign_credential(alumni, test_key, created=CREATED)
    if callable(mutate):
        mutate(doc)
    path = write_json(tmp_path / "c.json", doc)
    result = runner.invoke(app, ["verify", str(path), "--format", "json", *CLI_NOW])
    assert result.exit_code == exit_code, result.output
    report = json.loads(result.stdout.splitlines()[0])
    assert report["format"] == "mcred-report/1"
    codes = [c.get("code") for c in report["checks"] if c["status"] == "failed"]
    assert codes == ([code] if code else [])


def test_cli_text_report_names_the_failure(runner, tmp_path, alumni, test_key):
    doc = sign_credential(alumni, test_key, created=CREATED)
    doc["credentialSubject"]["alumniOf"] = "x"
    path = write_json(tmp_path / "c.json", doc)
    result = runner.invoke(app, ["verify", str(path), *CLI_NOW])
    assert result.exit_code == 1
    assert "NOT VALID" in result.stdout and "PROOF_SIGNATURE_INVALID" in result.stdout
    assert "$.proof.proofValue" in result.stdout


def test_cli_several_files_worst_exit_code_wins(runner, tmp_path, alumni, test_key):
    good = write_json(tmp_path / "good.json", sign_credential(alumni, test_key, created=CREATED))
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["verify", str(good), str(bad), "--format", "json", *CLI_NOW])
    assert result.exit_code == 3
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["outcome"] for line in lines[:-1]] == ["verified", "unusable"]
    assert lines[-1] == {"format": "mcred-summary/1", "files": 2, "exit_code": 3,
                         "outcomes": {"unusable": 1, "verified": 1}, "problems": {"JSON_MALFORMED": 1}}


def test_cli_bad_now_is_a_usage_error(runner, tmp_path, alumni, test_key):
    path = write_json(tmp_path / "c.json", sign_credential(alumni, test_key, created=CREATED))
    result = runner.invoke(app, ["verify", str(path), "--now", "yesterday"])
    assert result.exit_code == 2 and "--now" in result.stderr


def test_report_does_not_mutate_the_credential(signed):
    before = copy.deepcopy(signed)
    verify_credential(signed, now=NOW)
    assert signed == before


def test_a_pyld_crash_is_a_refusal_not_an_internal_error(alumni, test_key):
    """Found by the fuzz tests: pyld raises KeyError on {"@language": null} in a context."""
    signed = sign_credential(alumni, test_key, created=CREATED)
    signed["@context"] = {"@language": None}
    report = verify_credential(signed, now=NOW)
    assert report.exit_code == 3
    assert ("contexts", "JSONLD_INVALID") in failed(report) or ("jsonld", "JSONLD_INVALID") in failed(report)
