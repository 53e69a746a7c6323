"""Sealed (JAdES) credentials shown to people: the view, the page and the digest of the EC's sample and of seals
made in the tests (mcred.present.view, mcred.present.seal, mcred.present.page, mcred.verify.digest)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from mcred._schema import schema_errors
from mcred.errors import InputError
from mcred.issue.seal import SealKey, seal_credential
from mcred.present import page as page_module
from mcred.present.page import render_page, summarised_checks
from mcred.present.view import credential_view
from mcred.report import VerifyOptions
from mcred.seals.anchors import X509Anchor
from mcred.verify.batch import load_options
from mcred.verify.digest import (
    ExpectedDigest,
    credential_digest,
    credential_id,
    parse_expected_digest,
    qr_payload,
    sealed_digest,
)
from mcred.verify.runner import verify_credential
from mcred.verify.trust import TrustList
from tests.conftest import ASSETS, NOW, load_json
from tests.pki import header_of, seal_pki
from tests.showcase import EXAMPLES, claim, decode_qr_matrix, notes, rows

SAMPLE = ASSETS / "jades" / "ec-Sample-MC-Annex1-signed-jades.jsonld"
TEST_TRUST = str(ASSETS / "jades" / "TEST-ONLY-ec-test-ca.trust.yaml")
SAMPLE_ID = "urn:credential:1018d05f-21d5-4555-b7f0-8fabfd22ca75"
SCRIPT_TITLE = "<script>document.title='pwned'</script>"
WHEN = "2026-07-01T09:00:00Z"


@pytest.fixture(scope="module")
def sample() -> dict:
    return load_json(SAMPLE)


def view_of(document, lang="en", trust=None, options=None):
    options = options or load_options(trust, (), False, NOW)
    report = verify_credential(document, now=NOW, options=options)
    return credential_view(document, report, lang=lang, checked_at=NOW)


def section(view, heading):
    return next(s for s in view.sections if s.heading == heading)


def signing_input(document) -> bytes:
    entry = document["signatures"][0]
    return entry["protected"].encode("ascii") + b"." + document["payload"].encode("utf-8")


def re_encoded(document: dict, change) -> dict:
    """A copy whose unsigned etsiU components are decoded, changed by ``change(list)``, and encoded again."""
    entry = json.loads(json.dumps(document["signatures"][0]))
    etsiu = entry["header"]["etsiU"]
    decoded = [json.loads(base64.urlsafe_b64decode(e + "=" * (-len(e) % 4))) for e in etsiu]
    change(decoded, entry)
    entry["header"]["etsiU"] = [base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
                                for d in decoded]
    return {**document, "signatures": [entry]}


# --- the view of the EC sample -------------------------------------------------------------------


def test_the_ec_sample_in_english_untrusted(sample):
    view = view_of(sample)
    assert (view.outcome, view.ribbon, view.ribbon_label) == ("verified-with-warnings", "partial",
                                                             "Partially verified")
    assert view.title == "Digital micro-credential creation" and view.kind == "Micro-Credential"
    found, why = rows(view), notes(view)
    assert found["Name"] == "Ana Andromeda" and found["Date of birth"] == "1 October 1999"
    assert found["Awarding body"] == "University of Zed"
    assert why["Awarding body"] == "as the sealed credential states it"
    assert found["Issued on"] == "27 September 2023" and found["Valid from"] == "31 December 2022"
    assert found["Credits"] == "2 ECTS (CFU)" and found["Workload"] == "60 hours" and found["EQF level"] == "6"
    assert [o.text for o in view.outcomes] == ["Communication, collaboration and creativity",
                                               "Developing digital content"]
    seal = {row.label: row for row in section(view, "Seal").rows}
    assert seal["Sealed by"].value == "ORGANIZACION TEST"
    assert seal["Sealed by"].note == "from the seal's certificate, whose CA is not in your trust file"
    assert seal["Identifier"].value == "VATES-A00000000"
    assert seal["Identifier"].note == "the credential's issuer has the same identifier"
    assert seal["Qualified certificate"].value == "claimed, not checked against the EU trusted lists"
    assert seal["Qualified certificate"].note == "for electronic seals; key in a qualified device (QSCD): no"
    assert seal["Sealed on"].value == "27 September 2023, 11:54 UTC"
    assert seal["Sealed on"].note == ("as the seal states it; time-stamped on 27 September 2023, 11:54 UTC by "
                                      "good-tsa (TSA not trusted)")
    assert seal["Seal certificate"].value == "valid 11 May 2023 to 10 May 2025"
    assert seal["Seal certificate"].note == "valid when sealed; expired since (the seal stands)"
    assert (seal["Certification authority"].value, seal["Certification authority"].note) == (
        "ANF AC Qualified Certificates for eSeal", "not in your trust file")
    assert seal["Format"].value == "JAdES B-LTA, RS256"
    # the id is the payload's, the digest the file's (what the seal signs)
    assert view.credential_id == SAMPLE_ID
    assert view.digest == hashlib.sha256(signing_input(sample)).hexdigest()
    assert view.qr_text == f"mcred:1 {SAMPLE_ID} sha256:{view.digest}"
    labels = {c.check: c.label for c in view.checks}
    assert (labels["seal"], labels["chain"], labels["timestamps"]) == ("Seal", "Certificate chain", "Time-stamps")


def test_the_ec_sample_in_italian_with_the_test_ca_trusted(sample):
    view = view_of(sample, "it", TEST_TRUST)
    assert view.ribbon_label == "Parzialmente verificata"   # the sample's own Annex I warning is left
    found = rows(view)
    assert found["Nome"] == "Ana Andromeda" and found["Emessa il"] == "27 settembre 2023"
    seal = {row.label: row for row in section(view, "Sigillo").rows}
    assert seal["Sigillata da"].value == "ORGANIZACION TEST"
    assert seal["Sigillata da"].note == ("dal certificato del sigillo, la cui autorità di certificazione è nel "
                                         "vostro file di fiducia")
    assert seal["Certificato qualificato"].value == "dichiarato, non verificato sugli elenchi di fiducia UE"
    assert seal["Certificato qualificato"].note == "per sigilli elettronici; chiave in un QSCD: no"
    assert seal["Sigillata il"].value == "27 settembre 2023, 11:54 UTC"
    assert seal["Sigillata il"].note == ("confermata da una marca temporale attendibile (27 settembre 2023, 11:54 "
                                         "UTC, good-tsa): il sigillo esisteva già")
    assert seal["Certificato del sigillo"].value == "valido dall'11 maggio 2023 al 10 maggio 2025"
    assert seal["Autorità di certificazione"].note == "risale a un'ancora di fiducia del vostro file di fiducia"
    chain = next(c for c in view.checks if c.check == "chain")
    assert (chain.label, chain.code) == ("Catena di certificati", "JADES_CHAIN_TRUSTED")


def test_a_trusted_time_stamp_confirms_the_sealing_time_only_when_it_stamps_the_seal(sample):
    """Negative: the signature time-stamp replaced by one from elsewhere: no confirmation, even trusted."""
    def move(decoded, entry):
        decoded[0]["sigTst"] = header_of({"signatures": [entry]})["adoTst"]
    moved = re_encoded(sample, move)
    sealed_on = {row.label: row for row in section(view_of(moved, "en", TEST_TRUST), "Seal").rows}["Sealed on"]
    assert sealed_on.note == "as the seal states it; no verified time-stamp confirms it"
    # the time-stamps are not what the seal signs: the digest, and so the page's QR code, stay the same
    assert credential_digest(moved) == credential_digest(sample)


def test_a_changed_payload_is_shown_under_the_failed_ribbon_with_the_reason(sample):
    forged = {**sample, "payload": sample["payload"].replace("Ana Andromeda", "Ana Forged")}
    view = view_of(forged)
    assert (view.ribbon, view.ribbon_label) == ("failed", "Verification failed")
    assert [c.code for c in view.checks if c.status == "failed"][0] == "JADES_SIGNATURE_INVALID"
    assert rows(view)["Name"] == "Ana Forged"                       # shown as the file says, under the red ribbon
    seal = {row.label: row for row in section(view, "Seal").rows}
    assert seal["Sealed by"].note == "from the certificate of a seal that did not verify"
    assert seal["Identifier"].note is None                          # the issuer check did not run
    assert view.digest != credential_digest(sample)


def test_a_data_integrity_credential_has_no_seal_section():
    view = view_of(load_json(EXAMPLES / "elm-microcredential.signed.json"))
    assert "Seal" not in [s.heading for s in view.sections]
    assert notes(view)["Issuer"] == "the key that signed"


# --- seals made in the tests ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki():
    return seal_pki()


@pytest.fixture(scope="module")
def pki_trust(pki) -> TrustList:
    return TrustList((), anchors=(X509Anchor.from_certificate(pki.root.cert, "mcred TEST Root CA"),))


def sealed_with(pki, change=None, cert=None) -> dict:
    document = load_json(EXAMPLES / "elm-microcredential.json")
    if change:
        change(document)
    seal = cert or pki.seal
    return seal_credential(document, SealKey(seal.key, (seal.cert, pki.ca.cert)), when=WHEN)


def test_a_baseline_b_seal_has_no_time_stamp_to_confirm_its_time(pki, pki_trust):
    view = view_of(sealed_with(pki), options=VerifyOptions(now=NOW, trust=pki_trust))
    assert view.ribbon == "verified", [(c.code, c.status) for c in view.checks]
    seal = {row.label: row for row in section(view, "Seal").rows}
    assert seal["Sealed by"].value == "Fondazione ITS Academy Esempio Digitale"
    assert seal["Sealed by"].note == "from the seal's certificate, whose CA you trust"
    assert seal["Sealed on"].value == "1 July 2026, 09:00 UTC"
    assert seal["Sealed on"].note == "as the seal states it; no verified time-stamp confirms it"
    assert seal["Seal certificate"].note == "valid when the credential was sealed"
    assert seal["Format"].value == "JAdES B-B, RS256"
    assert rows(view)["Name"] == "Giulia Rossi"


def test_a_certificate_that_claims_nothing_is_not_called_qualified(pki):
    from tests.pki import make_seal_cert

    plain = make_seal_cert(pki.ca, qualified=False)
    seal = {row.label: row for row in section(view_of(sealed_with(pki, cert=plain)), "Seal").rows}
    assert (seal["Qualified certificate"].value, seal["Qualified certificate"].note) == ("not claimed", None)


def test_a_seal_by_another_organisation_says_whose_identifier_the_issuer_has(pki):
    """Negative: the same payload sealed by another organisation: the issuer is not the sealer."""
    from mcred.seals.jades import make_seal, sign_bytes

    sealed = sealed_with(pki)
    other = make_seal(sealed["payload"].encode("utf-8"), lambda data: sign_bytes(pki.other_org.key, "RS256", data),
                      "RS256", [pki.other_org.cert, pki.ca.cert], WHEN)
    assert other["payload"] == sealed["payload"]
    view = view_of(other)
    assert "JADES_ISSUER_NOT_SEALER" in [c.code for c in view.checks if c.status == "failed"]
    seal = {row.label: row for row in section(view, "Seal").rows}
    assert seal["Sealed by"].value == "Altra Fondazione"
    assert seal["Identifier"].note == "not the credential's issuer's (VATIT-00000000000)"
    assert credential_digest(other) != credential_digest(sealed)    # the same credential, sealed again: another file


# --- the page --------------------------------------------------------------------------------------


def test_the_page_of_the_ec_sample_has_the_seal_and_a_qr_code_of_its_id_and_digest(sample):
    html = render_page(view_of(sample, "it"))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="it">' in html
    for text in ("Parzialmente verificata", "Digital micro-credential creation", "Ana Andromeda", "<h2>Sigillo</h2>",
                 "ORGANIZACION TEST", "dichiarato, non verificato sugli elenchi di fiducia UE",
                 f"mcred:1 {SAMPLE_ID} sha256:{credential_digest(sample)}"):
        assert text in html, text
    import segno

    matrix = segno.make(qr_payload(SAMPLE_ID, credential_digest(sample)), error="m", micro=False,
                        boost_error=False).matrix
    assert decode_qr_matrix(matrix) == [f"mcred:1 {SAMPLE_ID} sha256:{credential_digest(sample)}"]
    assert page_module.qr_svg(qr_payload(SAMPLE_ID, credential_digest(sample))) in html


def test_a_long_list_of_checks_is_summarised_but_a_problem_never_is(sample):
    view = view_of(sample)
    assert len(view.checks) > page_module.COMPACT_CHECKS
    summary = {row.check: row for row in summarised_checks(view)}
    assert list(summary) == ["json", "seal", "certificate", "chain", "revocation", "timestamps", "contexts",
                             "jsonld", "elm", "proof", "issuer", "validity", "status"]
    assert (summary["seal"].status, summary["seal"].message) == ("passed", "")
    assert summary["seal"].code == "JADES_FORMAT_OK, JADES_HEADER_OK, JADES_SIGNATURE_OK"
    assert summary["timestamps"].code == "TST_OK ×3"
    assert summary["chain"].status == "warning" and "not trusted" in summary["chain"].message
    html = render_page(view)
    assert 'class="checks compact"' in html and "a check that passed shows its codes only" in html
    # negative: a broken seal keeps its reason on the page
    forged = view_of({**sample, "payload": sample["payload"].replace("LA-234218", "LA-234219")})
    broken = {row.check: row for row in summarised_checks(forged)}
    assert broken["seal"].status == "failed" and broken["seal"].code == "JADES_SIGNATURE_INVALID"
    assert broken["seal"].message == next(c.message for c in forged.checks if c.code == "JADES_SIGNATURE_INVALID")
    assert "JADES_SIGNATURE_INVALID" in render_page(forged)


def test_a_data_integrity_page_keeps_every_check_in_full():
    html = render_page(view_of(load_json(EXAMPLES / "elm-microcredential.signed.json")))
    assert '<section class="checks">' in html and 'class="caption"' not in html
    assert "eddsa-rdfc-2022 signature is valid" in html


def _hostile(document: dict) -> None:
    claim(document)["title"] = {"en": SCRIPT_TITLE, "it": SCRIPT_TITLE}
    document["credentialSubject"]["fullName"] = {"it": '"><img src=x onerror=alert(1)>'}
    claim(document)["specifiedBy"]["learningOutcome"][0]["title"]["en"] = "</style><link rel=stylesheet href=//x>"


def test_strings_from_a_sealed_payload_are_escaped(pki):
    sealed = sealed_with(pki, _hostile)
    html = render_page(view_of(sealed))
    assert "<script" not in html.lower() and "<img src=x" not in html and "<link rel=stylesheet" not in html
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_escaping_test_would_see_an_unescaped_sealed_page(pki, monkeypatch):
    """Negative control: the same sealed credential's page made without escaping has the script."""
    sealed = sealed_with(pki, _hostile)
    monkeypatch.setattr(page_module, "_e", str)
    assert SCRIPT_TITLE in render_page(view_of(sealed))


def test_a_seal_that_cannot_be_read_gets_no_page(sample):
    broken = {**sample, "signatures": [{**sample["signatures"][0], "protected": "not base64url!"}]}
    view = view_of(broken)
    assert view.digest is None and view.qr_text is None
    assert view.digest_problem == "the protected header is not base64url"
    with pytest.raises(InputError) as caught:
        render_page(view)
    assert caught.value.code == "PAGE_NO_DIGEST"


# --- the digest of a sealed file -----------------------------------------------------------------


def test_the_digest_of_a_sealed_file_is_that_of_what_its_seal_signs(sample):
    digest = credential_digest(sample)
    assert digest == sealed_digest(sample) == hashlib.sha256(signing_input(sample)).hexdigest()
    assert credential_id(sample) == SAMPLE_ID
    # re-serialising the outer JSON, or adding to the unsigned etsiU (as B-LT to B-LTA does), keeps it
    reordered = json.loads(json.dumps(dict(reversed(list(sample.items()))), indent=4))
    assert credential_digest(reordered) == digest
    assert credential_digest(re_encoded(sample, lambda decoded, entry: decoded.pop())) == digest
    # the payload, the protected header (certificate, signing time) each change it
    assert credential_digest({**sample, "payload": sample["payload"].replace("LA-234218", "LA-234219")}) != digest
    from mcred.seals.jades import b64url

    header = {**header_of(sample), "sigT": "2023-09-27T11:54:18Z"}
    entry = {**sample["signatures"][0], "protected": b64url(json.dumps(header).encode())}
    assert credential_digest({**sample, "signatures": [entry]}) != digest


def digest_checks(document, expected: ExpectedDigest, trust=None):
    report = verify_credential(document, now=NOW, options=VerifyOptions(expect_digest=expected, trust=trust))
    return report, [c for c in report.checks if c.check == "digest"]


def test_expect_digest_round_trip_on_the_sealed_sample(sample):
    expected = parse_expected_digest(qr_payload(credential_id(sample), credential_digest(sample)))
    report, checks = digest_checks(sample, expected)
    assert [(c.status.value, c.code) for c in checks] == [("passed", "DIGEST_OK")]
    assert report.checks[-1].check == "digest"                      # last, as for any credential
    assert report.outcome == "verified-with-warnings" and report.exit_code == 0
    assert schema_errors(report.to_dict("it"), "mcred-report-1.schema.json") == []


def test_expect_digest_fails_for_a_changed_payload_and_for_another_id(sample):
    expected = parse_expected_digest(qr_payload(SAMPLE_ID, credential_digest(sample)))
    forged = {**sample, "payload": sample["payload"].replace("LA-234218", "LA-234219")}
    report, checks = digest_checks(forged, ExpectedDigest(expected.sha256))
    assert [(c.status.value, c.code) for c in checks] == [("failed", "DIGEST_MISMATCH")]
    assert checks[0].params == {"digest": credential_digest(forged), "expected": expected.sha256}
    _, checks = digest_checks(sample, ExpectedDigest(expected.sha256, "urn:credential:another"))
    assert [c.code for c in checks] == ["DIGEST_ID_MISMATCH"]
    assert checks[0].params == {"expected_id": "urn:credential:another", "credential_id": SAMPLE_ID}


def test_expect_digest_on_a_seal_that_cannot_be_read_is_unavailable(sample):
    broken = {**sample, "signatures": [{**sample["signatures"][0], "protected": "not base64url!"}]}
    report, checks = digest_checks(broken, ExpectedDigest("ab" * 32))
    assert [(c.status.value, c.code) for c in checks] == [("failed", "DIGEST_UNAVAILABLE")]
    assert checks[0].params["detail"] == "the protected header is not base64url"
    message, _ = checks[0].text("it")
    assert message == "l'impronta non si può calcolare: the protected header is not base64url"
    assert not report.verified


def test_a_sealed_file_is_not_a_stack_component_in_disguise(sample):
    """The N-Quads digest of the payload is another notion: the page's digest is the seal's."""
    from mcred.seals.jades import sealed_payload

    assert credential_digest(sealed_payload(sample)) != credential_digest(sample)


def test_reading_the_sealed_labels_never_fails_on_a_summary_with_gaps(sample):
    """A report whose seal summary lacks most fields (an unreadable seal) still makes a view, without a crash."""
    report = verify_credential(sample, now=NOW)
    report.seal = {"format": "JAdES"}
    view = credential_view(sample, report, lang="it", checked_at=NOW)
    assert "Sigillo" not in [s.heading for s in view.sections]     # nothing to show: no empty section
