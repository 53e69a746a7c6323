"""`mcred show`, `mcred render` and `mcred verify --expect-digest`: output, files and exit codes."""

from __future__ import annotations

import json

import pytest

from mcred.cli.app import app
from mcred.verify.digest import credential_digest, credential_id, qr_payload
from tests.conftest import ASSETS, load_json, write_json
from tests.showcase import EXAMPLES, NOW_ARG, claim, issue_examples, resigned, stack_of

EXAMPLE = EXAMPLES / "elm-microcredential.signed.json"
JCS = EXAMPLES / "elm-microcredential.jcs.signed.json"
WIDE = {"COLUMNS": "200", "NO_COLOR": "1"}


def invoke(runner, *args, env=None):
    return runner.invoke(app, [str(a) for a in args], env={**WIDE, **(env or {})})


def tampered(tmp_path):
    document = load_json(EXAMPLE)
    claim(document)["specifiedBy"]["creditPoint"][0]["point"] = "20"
    return write_json(tmp_path / "tampered.json", document)


# --- show ----------------------------------------------------------------------------------------


def test_show_in_english(runner):
    result = invoke(runner, "show", EXAMPLE, "--lang", "en", *NOW_ARG)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # no trust list: never a green "VERIFIED", but what was checked, what was not, and how to check it
    assert "◐ SIGNATURE VALID — ISSUER NOT CHECKED" in out and "✔ VERIFIED" not in out
    assert "Checked by mcred on 23 November 2026, 12:00 UTC" in out
    assert ("Issuer not checked (no trust list given). To check it: mcred verify elm-microcredential.signed.json "
            "--trust TRUST.yaml") in out
    for text in ("Signature", "eddsa-rdfc-2022 signature is valid", "Data analysis with Python (micro-credential)",
                 "Giulia Rossi", "ITS Academy Esempio Digitale Foundation", "2 ECTS (CFU)", "50 hours", "EQF level",
                 "Develop digital content", "28/30", "Blended", "Regional accreditation",
                 "Credential id: urn:credential:7f9c2e1a-3b4d-4c5e-9f60-1a2b3c4d5e6f",
                 f"sha256:{credential_digest(load_json(EXAMPLE))}"):
        assert text in out, text


def test_show_in_italian(runner):
    result = invoke(runner, "show", EXAMPLE, "--lang", "it", *NOW_ARG)
    assert result.exit_code == 0, result.output
    for text in ("◐ FIRMA VALIDA — EMITTENTE NON VERIFICATO", "Emittente non verificato (nessun elenco di fiducia)",
                 "Firma", "Analisi dati con Python", "Ente che rilascia", "50 ore", "Mista",
                 "RISULTATI DI APPRENDIMENTO", "Impronta: sha256:"):
        assert text in result.stdout, text


def test_show_a_tampered_credential_exits_1_with_the_reason(runner, tmp_path):
    result = invoke(runner, "show", tampered(tmp_path), "--lang", "en", *NOW_ARG)
    assert result.exit_code == 1
    assert "✘ VERIFICATION FAILED" in result.stdout
    assert "[PROOF_SIGNATURE_INVALID]" in result.stdout
    assert "20 ECTS (CFU)" in result.stdout


def test_show_an_issuer_not_in_the_trust_list_names_the_list(runner, tmp_path):
    trust = tmp_path / "trust.yaml"
    trust.write_text("mcred: trust/1\nissuers:\n  - id: did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\n"
                     "    legal_name: {en: Someone else}\n    country: ITA\n", encoding="utf-8")
    result = invoke(runner, "show", EXAMPLE, "--lang", "en", "--trust", trust, *NOW_ARG)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "⚠ SIGNATURE VALID — ISSUER NOT IN YOUR TRUST LIST" in out and "[TRUST_UNKNOWN_ISSUER]" in out
    assert f"The issuer is not in your trust list ({trust})" in out.replace("\n", " ")
    assert "not checked against a trust list" not in out and "PARTIALLY VERIFIED" not in out


def test_show_names_the_awarding_body_from_the_trust_file(runner, tmp_path, test_key):
    credential = write_json(tmp_path / "c.json", resigned(EXAMPLE, test_key, lambda d: None))
    trust = tmp_path / "trust.yaml"
    trust.write_text(f"mcred: trust/1\nissuers:\n  - id: {test_key.did}\n    legal_name: {{en: Trusted ITS "
                     "Foundation}\n    country: ITA\n", encoding="utf-8")
    result = invoke(runner, "show", credential, "--lang", "en", "--trust", trust, *NOW_ARG)
    assert result.exit_code == 0, result.output
    assert "Trusted ITS Foundation" in result.stdout and "name from your trust list" in result.stdout
    assert "✔ VERIFIED" in result.stdout           # green only for an issuer of the trust list given


def test_show_a_stack_lists_its_components_and_sums(runner, tmp_path, test_key):
    stack = stack_of(issue_examples(tmp_path, test_key), test_key, tmp_path / "stack.json")
    result = invoke(runner, "show", stack, "--lang", "en", *NOW_ARG)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.split() == ["Data", "analysis", "with", "Python", "30", "June", "2026", "2", "50", "5", "2",
                                "yes"] for line in lines), result.stdout
    assert any(line.split() == ["Total", "6", "150", "5"] for line in lines), result.stdout


def test_show_prints_credential_text_literally_never_as_markup(runner, tmp_path, test_key):
    def markup(document):
        claim(document)["title"] = {"en": "[bold red]Forged[/bold red] [link=https://x.example]x[/link]",
                                    "it": "[bold red]Forged[/bold red]"}
    credential = write_json(tmp_path / "c.json", resigned(EXAMPLE, test_key, markup))
    result = invoke(runner, "show", credential, "--lang", "en", *NOW_ARG)
    assert result.exit_code == 0, result.output
    assert "[bold red]Forged[/bold red] [link=https://x.example]x[/link]" in result.stdout


def test_show_unusable_input_exits_3(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = invoke(runner, "show", bad)
    assert result.exit_code == 3
    assert "malformed JSON" in result.stderr


def test_show_refuses_a_bad_now(runner):
    result = invoke(runner, "show", EXAMPLE, "--now", "yesterday")
    assert result.exit_code == 2 and "not an ISO 8601 date-time" in result.stderr


# --- render --------------------------------------------------------------------------------------


def test_render_writes_the_page(runner, tmp_path):
    out = tmp_path / "page.html"
    result = invoke(runner, "render", EXAMPLE, "--out", out, "--lang", "it", *NOW_ARG)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    document = load_json(EXAMPLE)
    payload = qr_payload(document["id"], credential_digest(document))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="it">' in html
    assert "Firma valida — emittente non verificato" in html and "Analisi dati con Python" in html
    assert 'class="ribbon ribbon-signed-issuer-unchecked"' in html and "--trust TRUST.yaml" in html
    assert f"rendered {EXAMPLE} -> {out} (Firma valida — emittente non verificato); QR: {payload}" in result.stderr


def test_render_to_standard_output(runner):
    result = invoke(runner, "render", EXAMPLE, "--out", "-", "--lang", "en", *NOW_ARG)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")


def test_render_does_not_overwrite_without_force(runner, tmp_path):
    out = tmp_path / "page.html"
    out.write_text("mine", encoding="utf-8")
    result = invoke(runner, "render", EXAMPLE, "--out", out, *NOW_ARG)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine"
    assert invoke(runner, "render", EXAMPLE, "--out", out, "--force", *NOW_ARG).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_needs_somewhere_to_write(runner):
    result = invoke(runner, "render", EXAMPLE)
    assert result.exit_code == 2 and "--out PAGE.html, --pdf PAGE.pdf, or both" in result.stderr


def test_render_a_tampered_credential_writes_the_failed_page_and_exits_1(runner, tmp_path):
    out = tmp_path / "page.html"
    result = invoke(runner, "render", tampered(tmp_path), "--out", out, "--lang", "en", *NOW_ARG)
    assert result.exit_code == 1
    html = out.read_text(encoding="utf-8")
    assert 'class="ribbon ribbon-failed"' in html and "Verification failed" in html
    assert "PROOF_SIGNATURE_INVALID" in html


def test_render_an_unusable_credential_writes_nothing_and_exits_3(runner, tmp_path):
    document = load_json(EXAMPLE)
    document["@context"].append("https://contexts.example/unknown")
    out = tmp_path / "page.html"
    result = invoke(runner, "render", write_json(tmp_path / "c.json", document), "--out", out, *NOW_ARG)
    assert result.exit_code == 3
    assert "no page can be made" in result.stderr and "unknown JSON-LD context" in result.stderr
    assert not out.exists()


def test_render_an_id_too_long_for_a_qr_code_writes_nothing_and_exits_3(runner, tmp_path, test_key):
    def long_id(document):
        document["id"] = "urn:example:" + "x" * 4000
    credential = write_json(tmp_path / "c.json", resigned(EXAMPLE, test_key, long_id))
    out = tmp_path / "page.html"
    result = invoke(runner, "render", credential, "--out", out, *NOW_ARG)
    assert result.exit_code == 3
    assert "the QR code cannot hold 4092 bytes" in result.stderr and not out.exists()   # 12 + 4000 + 80
    assert invoke(runner, "show", credential, *NOW_ARG).exit_code == 0     # the terminal needs no QR code


def test_render_pdf_without_a_browser_says_how_to_get_one(runner, tmp_path):
    out, pdf = tmp_path / "page.html", tmp_path / "page.pdf"
    result = invoke(runner, "render", EXAMPLE, "--out", out, "--pdf", pdf,
                    env={"MCRED_CHROMIUM": str(tmp_path / "no-such-chromium")})
    assert result.exit_code == 2
    assert "--pdf needs Chromium, and none was found" in result.stderr
    assert "apt-get install chromium" in result.stderr
    assert not out.exists() and not pdf.exists()      # refused before any work


def test_render_pdf_looks_on_the_path(runner, tmp_path, monkeypatch):
    from mcred.present import browser as _browser

    monkeypatch.delenv("MCRED_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert _browser.find_browser() is None
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    assert _browser.find_browser() == str(fake)
    # a browser that makes no PDF is an error that says so (exit 3), and no PDF file appears
    result = invoke(runner, "render", EXAMPLE, "--pdf", tmp_path / "page.pdf", *NOW_ARG, env={"PATH": str(tmp_path)})
    assert result.exit_code == 3 and "did not print the page" in result.stderr
    assert not (tmp_path / "page.pdf").exists()


def test_render_help_is_true(runner):
    result = invoke(runner, "render", "--help")
    assert result.exit_code == 0
    for option in ("--out", "--pdf", "--lang", "--trust", "--status-list", "--now", "--force"):
        assert option in result.stdout
    assert invoke(runner, "show", "--help").exit_code == 0


# --- verify --expect-digest ----------------------------------------------------------------------


def test_verify_expect_digest_accepts_the_page_s_text(runner):
    document = load_json(EXAMPLE)
    payload = qr_payload(document["id"], credential_digest(document))
    result = invoke(runner, "verify", EXAMPLE, "--expect-digest", payload, "--format", "json", *NOW_ARG)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.splitlines()[0])
    assert report["checks"][-1] == {"check": "digest", "status": "passed", "code": "DIGEST_OK",
                                    "message": f"the credential's digest is sha256:{credential_digest(document)}, "
                                    "the one expected"}
    from mcred._schema import schema_errors

    assert schema_errors(report, "mcred-report-1.schema.json") == []


@pytest.mark.parametrize("lang,words", [("en", "this file is not the credential the page was printed from"),
                                        ("it", "questo file non è la credenziale da cui è stata stampata la pagina")])
def test_verify_expect_digest_fails_for_another_file(runner, lang, words):
    document = load_json(EXAMPLE)
    payload = qr_payload(document["id"], credential_digest(document))
    result = invoke(runner, "verify", JCS, "--expect-digest", payload, "--format", "json", "--lang", lang, *NOW_ARG)
    assert result.exit_code == 1
    check = json.loads(result.stdout.splitlines()[0])["checks"][-1]
    assert (check["check"], check["status"], check["code"]) == ("digest", "failed", "DIGEST_MISMATCH")
    assert words in check["message"]


def test_verify_expect_digest_refuses_a_bad_value_and_several_files(runner):
    result = invoke(runner, "verify", EXAMPLE, "--expect-digest", "sha256:1234")
    assert result.exit_code == 2 and "is not a SHA-256 digest" in result.stderr
    digest = credential_digest(load_json(EXAMPLE))
    result = invoke(runner, "verify", EXAMPLE, JCS, "--expect-digest", digest)
    assert result.exit_code == 2 and "names one credential, but 2 files were given" in result.stderr


# --- sealed (JAdES) files ------------------------------------------------------------------------

SEALED = ASSETS / "jades" / "ec-Sample-MC-Annex1-signed-jades.jsonld"
SEALED_TRUST = ASSETS / "jades" / "TEST-ONLY-ec-test-ca.trust.yaml"
SAMPLE_ID = "urn:credential:1018d05f-21d5-4555-b7f0-8fabfd22ca75"


def sealed_qr() -> str:
    document = load_json(SEALED)
    return qr_payload(credential_id(document), credential_digest(document))


@pytest.mark.parametrize("trust", [(), ("--trust", SEALED_TRUST)])
def test_show_a_sealed_file(runner, trust):
    result = invoke(runner, "show", SEALED, "--lang", "en", *trust, *NOW_ARG)
    assert result.exit_code == 0, result.output                    # verified, with warnings
    out = result.stdout
    for text in ("⚠ PARTIALLY VERIFIED", "Digital micro-credential creation", "Ana Andromeda", "University of Zed",
                 "2 ECTS (CFU)", "60 hours", "Developing digital content", "SEAL", "Sealed by",
                 "ORGANIZACION TEST", "VATES-A00000000", "claimed, not checked against the EU trusted lists",
                 "27 September 2023, 11:54 UTC", f"Credential id: {SAMPLE_ID}",
                 f"Digest: sha256:{credential_digest(load_json(SEALED))}"):
        assert text in out, text
    assert "(untitled credential)" not in out
    if trust:
        assert "confirmed by a trusted time-stamp" in out and "[JADES_CHAIN_UNTRUSTED]" not in out
    else:
        assert "(TSA not trusted)" in out and "[JADES_CHAIN_UNTRUSTED]" in out


def test_show_a_sealed_file_in_italian(runner):
    result = invoke(runner, "show", SEALED, "--lang", "it", *NOW_ARG)
    assert result.exit_code == 0, result.output
    for text in ("⚠ PARZIALMENTE VERIFICATA", "SIGILLO", "Sigillata da", "Certificato qualificato",
                 "dichiarato, non verificato sugli elenchi di fiducia UE", "27 settembre 2023, 11:54 UTC",
                 "Catena di certificati", "Impronta: sha256:"):
        assert text in result.stdout, text


def test_show_a_forged_sealed_file_exits_1_with_the_reason(runner, tmp_path):
    document = load_json(SEALED)
    document["payload"] = document["payload"].replace("Ana Andromeda", "Ana Forged")
    result = invoke(runner, "show", write_json(tmp_path / "forged.jsonld", document), "--lang", "en", *NOW_ARG)
    assert result.exit_code == 1
    assert "✘ VERIFICATION FAILED" in result.stdout and "[JADES_SIGNATURE_INVALID]" in result.stdout
    assert "Ana Forged" in result.stdout and "a seal that did not verify" in result.stdout


@pytest.mark.parametrize("trust", [(), ("--trust", SEALED_TRUST)])
def test_render_a_sealed_file(runner, tmp_path, trust):
    out = tmp_path / "page.html"
    result = invoke(runner, "render", SEALED, "--out", out, "--lang", "en", *trust, *NOW_ARG)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'class="ribbon ribbon-partial"' in html and "<h2>Seal</h2>" in html and "ORGANIZACION TEST" in html
    assert f"QR: {sealed_qr()}" in result.stderr
    assert f'--expect-digest &quot;{sealed_qr()}&quot;' in html


def test_render_a_forged_sealed_file_writes_the_failed_page_and_exits_1(runner, tmp_path):
    document = load_json(SEALED)
    document["payload"] = document["payload"].replace("LA-234218", "LA-234219")
    out = tmp_path / "page.html"
    result = invoke(runner, "render", write_json(tmp_path / "forged.jsonld", document), "--out", out, *NOW_ARG)
    assert result.exit_code == 1
    html = out.read_text(encoding="utf-8")
    assert 'class="ribbon ribbon-failed"' in html and "JADES_SIGNATURE_INVALID" in html


def test_render_an_unreadable_seal_writes_nothing_and_exits_3(runner, tmp_path):
    document = load_json(SEALED)
    document["signatures"][0]["protected"] = "not base64url!"
    out = tmp_path / "page.html"
    result = invoke(runner, "render", write_json(tmp_path / "broken.jsonld", document), "--out", out, *NOW_ARG)
    assert result.exit_code == 3, result.output
    assert "no page can be made" in result.stderr and "the protected header is not base64url" in result.stderr
    assert not out.exists()


def test_verify_expect_digest_on_a_sealed_file(runner):
    result = invoke(runner, "verify", SEALED, "--expect-digest", sealed_qr(), "--format", "json", *NOW_ARG)
    assert result.exit_code == 0, result.output
    check = json.loads(result.stdout.splitlines()[0])["checks"][-1]
    assert (check["check"], check["status"], check["code"]) == ("digest", "passed", "DIGEST_OK")


@pytest.mark.parametrize("lang,words", [("en", "this file is not the credential the page was printed from"),
                                        ("it", "questo file non è la credenziale da cui è stata stampata la pagina")])
def test_verify_expect_digest_fails_for_a_changed_sealed_file(runner, tmp_path, lang, words):
    document = load_json(SEALED)
    document["payload"] = document["payload"].replace("LA-234218", "LA-234219")
    forged = write_json(tmp_path / "forged.jsonld", document)
    result = invoke(runner, "verify", forged, "--expect-digest", sealed_qr(), "--format", "json", "--lang", lang,
                    *NOW_ARG)
    assert result.exit_code == 1
    check = json.loads(result.stdout.splitlines()[0])["checks"][-1]
    assert (check["check"], check["status"], check["code"]) == ("digest", "failed", "DIGEST_MISMATCH")
    assert words in check["message"]
