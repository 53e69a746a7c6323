"""The credential's digest (mcred.verify.digest): one notion for stacks and pages, the QR text, the `digest` check."""

from __future__ import annotations

import json

import pytest

from mcred._schema import schema_errors
from mcred.errors import InputError, UsageError
from mcred.keys.ed25519 import SigningKey
from mcred.present.page import qr_svg, render_page
from mcred.present.view import credential_view
from mcred.report import VerifyOptions
from mcred.verify.digest import ExpectedDigest, credential_digest, parse_expected_digest, qr_payload
from mcred.verify.runner import verify_credential
from tests.conftest import NOW, load_json
from tests.showcase import EXAMPLES, issue_examples, stack_of

RDFC = EXAMPLES / "elm-microcredential.signed.json"
JCS = EXAMPLES / "elm-microcredential.jcs.signed.json"


def digest_checks(document, expected: ExpectedDigest):
    report = verify_credential(document, now=NOW, options=VerifyOptions(expect_digest=expected))
    return report, [c for c in report.checks if c.check == "digest"]


def test_one_digest_for_stacks_and_pages(tmp_path, test_key):
    """A stack binds each component by the digest a printed page's QR code carries for it."""
    components = issue_examples(tmp_path, test_key)
    stack = load_json(stack_of(components, test_key, tmp_path / "stack.json"))
    bound = {identifier["notation"] for part in stack["credentialSubject"]["hasClaim"][0]["hasPart"]
             for identifier in part["identifier"] if identifier.get("schemeName", "").startswith("mcred component")}
    assert bound == {credential_digest(load_json(path)) for path in components}


def test_the_digest_survives_reserialisation_and_changes_with_the_content():
    document = load_json(RDFC)
    digest = credential_digest(document)
    reordered = json.loads(json.dumps(dict(reversed(list(document.items())))))
    assert credential_digest(reordered) == digest
    changed = load_json(RDFC)
    changed["credentialSubject"]["fullName"]["it"] = "Giulia Bianchi"
    assert credential_digest(changed) != digest
    reproved = load_json(RDFC)
    reproved["proof"]["created"] = "2026-07-01T10:00:00Z"
    assert credential_digest(reproved) != digest                   # the proof is included
    assert credential_digest(load_json(JCS)) != digest             # the same claims, another proof


def test_the_qr_text_and_what_expect_digest_accepts():
    digest = "ab" * 32
    assert qr_payload("urn:uuid:1", digest) == f"mcred:1 urn:uuid:1 sha256:{digest}"
    assert qr_payload(None, digest) == f"mcred:1 sha256:{digest}"
    assert parse_expected_digest(f"mcred:1 urn:uuid:1 sha256:{digest}") == ExpectedDigest(digest, "urn:uuid:1")
    assert parse_expected_digest(f"  mcred:1 sha256:{digest}\n") == ExpectedDigest(digest, None)
    assert parse_expected_digest(f"sha256:{digest.upper()}") == ExpectedDigest(digest)
    assert parse_expected_digest(digest) == ExpectedDigest(digest)
    with pytest.raises(ValueError):
        qr_payload("urn:uuid:1", "not-hex")


@pytest.mark.parametrize("text", ["ab" * 31, "zz" * 32, "sha512:" + "ab" * 32, "mcred:2 urn:x sha256:" + "ab" * 32,
                                  "mcred:1 urn:x", ""])
def test_expect_digest_refuses_what_is_not_a_digest(text):
    with pytest.raises(UsageError) as caught:
        parse_expected_digest(text)
    assert caught.value.code == "DIGEST_EXPECTED_INVALID"
    assert caught.value.exit_code == 2


def test_the_digest_check_passes_for_the_page_s_credential():
    document = load_json(RDFC)
    report, checks = digest_checks(document, parse_expected_digest(qr_payload(document["id"],
                                                                               credential_digest(document))))
    assert [(c.status.value, c.code) for c in checks] == [("passed", "DIGEST_OK")]
    assert report.verified
    assert schema_errors(report.to_dict(), "mcred-report-1.schema.json") == []


def test_the_digest_check_fails_for_another_credential():
    """Negative: the same credential signed with the other suite has the same id, but is another file."""
    page = load_json(RDFC)
    expected = parse_expected_digest(qr_payload(page["id"], credential_digest(page)))
    report, checks = digest_checks(load_json(JCS), expected)
    assert [(c.status.value, c.code) for c in checks] == [("failed", "DIGEST_MISMATCH")]
    assert checks[0].params["expected"] == credential_digest(page)
    assert not report.verified and report.exit_code == 1
    assert schema_errors(report.to_dict("it"), "mcred-report-1.schema.json") == []
    message = report.to_dict("it")["checks"][-1]["message"]
    assert message.startswith("l'impronta della credenziale è sha256:") and "non è la credenziale" in message


def test_the_digest_check_names_another_credential_id(tmp_path, test_key):
    page = load_json(RDFC)
    other = load_json(issue_examples(tmp_path, test_key)[0])
    _, checks = digest_checks(other, parse_expected_digest(qr_payload(page["id"], credential_digest(page))))
    assert [(c.status.value, c.code) for c in checks] == [("failed", "DIGEST_ID_MISMATCH")]
    assert checks[0].params == {"expected_id": page["id"], "credential_id": other["id"]}
    # the bare digest (no id) fails on the digest itself
    _, checks = digest_checks(other, ExpectedDigest(credential_digest(page)))
    assert [c.code for c in checks] == ["DIGEST_MISMATCH"]


def test_a_document_without_a_digest_fails_the_check(test_key):
    """A JCS-signed credential with an undefined term verifies, but its RDF would not cover that term."""
    from mcred.proofs.signing import sign_credential

    document = {"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2"],
                "type": ["VerifiableCredential"], "issuer": test_key.did, "issuanceDate": "2026-01-01T00:00:00Z",
                "credentialSubject": {"id": "did:example:learner", "undefinedGrade": "A+"}}
    signed = sign_credential(document, test_key, suite="eddsa-jcs-2022", created="2026-01-01T00:00:00Z")
    report, checks = digest_checks(signed, ExpectedDigest("ab" * 32))
    assert [(c.status.value, c.code) for c in checks] == [("failed", "DIGEST_UNAVAILABLE")]
    assert [c.code for c in report.failures] == ["DIGEST_UNAVAILABLE"]   # only the digest: the proof is fine


def test_no_digest_check_unless_asked():
    report = verify_credential(load_json(RDFC), now=NOW)
    assert "digest" not in [c.check for c in report.checks]


def test_a_stack_s_components_are_not_checked_against_the_page(tmp_path, test_key):
    stack = load_json(stack_of(issue_examples(tmp_path, test_key), test_key, tmp_path / "stack.json"))
    report, checks = digest_checks(stack, ExpectedDigest(credential_digest(stack), stack["id"]))
    assert [c.code for c in checks] == ["DIGEST_OK"]
    assert report.verified
    assert all("digest" not in [c.check for c in nested.checks] for nested in report.components)


def test_every_new_code_has_an_italian_message_that_fills_in(tmp_path, monkeypatch):
    """DIGEST_* results and the errors of show/render: their Italian templates take the params they carry."""
    from mcred.messages import translate
    from mcred.present import browser as _browser
    from mcred.present.view import MESSAGES_IT as VIEW_IT
    from mcred.verify.digest import MESSAGES_IT as DIGEST_IT

    page = load_json(RDFC)
    other = load_json(issue_examples(tmp_path, SigningKey.from_seed(bytes(range(32))))[0])
    results = [digest_checks(page, ExpectedDigest(credential_digest(page)))[1][0],
               digest_checks(load_json(JCS), ExpectedDigest(credential_digest(page)))[1][0],
               digest_checks(other, ExpectedDigest(credential_digest(page), page["id"]))[1][0]]
    errors = []
    with pytest.raises(UsageError) as caught:
        parse_expected_digest("nope")
    errors.append(caught.value)
    monkeypatch.setenv("MCRED_CHROMIUM", str(tmp_path / "none"))
    with pytest.raises(UsageError) as caught:
        _browser.require_browser()
    errors.append(caught.value)
    with pytest.raises(_browser.BrowserError) as caught:
        _browser.print_pdf("<!DOCTYPE html>", "/bin/true")        # a "browser" that prints nothing
    errors.append(caught.value)
    unusable = load_json(RDFC)
    unusable["@context"].append("https://contexts.example/unknown")
    with pytest.raises(InputError) as caught:
        render_page(credential_view(unusable, verify_credential(unusable, now=NOW)))
    errors.append(caught.value)
    with pytest.raises(InputError) as caught:
        qr_svg("x" * 5000)
    errors.append(caught.value)
    for item in [*results, *errors]:
        catalogue = DIGEST_IT if item.code in DIGEST_IT else VIEW_IT
        italian, _ = translate(item.code, item.message, item.hint, item.params, "it")
        assert italian == catalogue[item.code][0].format(**item.params) != item.message, item.code
    assert {r.code for r in results} | {"DIGEST_UNAVAILABLE", "DIGEST_EXPECTED_INVALID"} == set(DIGEST_IT)
    assert {e.code for e in errors} - {"DIGEST_EXPECTED_INVALID"} == set(VIEW_IT)


def test_the_digest_check_is_skipped_when_the_contexts_cannot_be_loaded():
    document = load_json(RDFC)
    document["@context"].append("https://contexts.example/unknown")
    report, checks = digest_checks(document, ExpectedDigest("ab" * 32))
    assert [(c.status.value, c.code) for c in checks] == [("skipped", "SKIPPED_CONTEXTS")]
    assert report.outcome == "unusable"
