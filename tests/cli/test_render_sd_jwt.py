"""`mcred render X.sd-jwt`: the page of an SD-JWT VC, from its verified disclosed claims, saying what was withheld.

The credentials are made by tests/sdjwt_make.py with claims at the paths `mcred issue --format sd-jwt-vc`
writes; what the page must say is read from what each test put in (names, counts), not from mcred.
"""

from __future__ import annotations

import hashlib
import html
import re

from mcred.cli.app import app
from tests.sdjwt_make import ec_pki, issue

NOW = ["--now", "2026-06-02T00:00:00Z"]
AWARD = {"credentialSubject": {"achievement": {
    "name": "Data analysis with Python", "description": "A short course.", "ECTS": 3, "eqfLevel": 5,
    "volumeOfLearning": "PT75H", "awardingBody": {"name": "ITS Esempio"}, "awardingDate": "2026-05-20T00:00:00Z",
    "resultDescription": [{"name": "Project", "assessmentType": "practical assessment"}],
    "learningOutcomes": [{"title": "Clean a data set with pandas"}, {"title": "Plot a time series"}]}},
    "issuer": {"name": "ITS Esempio"}, "validFrom": "2026-05-20T00:00:00Z"}
PERSON = {"given_name": "Maria", "family_name": "Rossi", "birthdate": "2001-02-03"}


def _trust(runner, tmp_path):
    root = tmp_path / "root.pem"
    root.write_bytes(ec_pki().root.pem)
    path = tmp_path / "trust.yaml"
    assert runner.invoke(app, ["trust", "add-anchor", "--file", str(path), str(root)]).exit_code == 0
    return path


def _text(page: str) -> str:
    """The page's words, as a reader sees them (no tags, entities decoded, spaces collapsed)."""
    body = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _render(runner, tmp_path, text: str, *args: str):
    credential = tmp_path / "c.sd-jwt"
    credential.write_text(text, encoding="ascii")
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["render", str(credential), "--out", str(out), "--force", *NOW, *args])
    return result, (out.read_text(encoding="utf-8") if out.exists() else None)


def test_the_page_shows_the_award_the_disclosed_claims_and_the_count_withheld(runner, tmp_path):
    text, _ = issue(plain=AWARD, hidden=PERSON, decoys=2)
    result, page = _render(runner, tmp_path, text, "--trust", str(_trust(runner, tmp_path)))
    assert result.exit_code == 0, result.output
    words = _text(page)
    assert "Verified" in words and "Data analysis with Python" in words and "ITS Esempio" in words
    assert "Maria Rossi disclosed by the holder" in words and "2001-02-03 disclosed by the holder" in words
    assert "3 ECTS (CFU)" in words and "75 hours" in words and "Clean a data set with pandas" in words
    assert "Project (practical assessment)" in words
    # every claim disclosed: the two decoys are the only digests without a disclosure
    assert "Withheld 2 signed digest(s) without a disclosure" in words
    assert "SDJWT_DISCLOSURES_OK" in words and "SDJWT_TYPE_OK" in words
    assert "_sd" not in page and "cnf" not in words  # the processed claims, not the raw payload
    signing_input = ".".join(text.split("~")[0].split(".")[:2])  # what the issuer's signature covers
    digest = hashlib.sha256(signing_input.encode("ascii")).hexdigest()
    assert f"QR: mcred:1 sha256:{digest}" in " ".join(result.output.split())
    assert f'--expect-digest "mcred:1 sha256:{digest}"' in html.unescape(page)


def test_a_presentation_says_what_the_holder_withheld(runner, tmp_path):
    text, disclosures = issue(plain=AWARD, hidden=PERSON, decoys=2)
    shown = text.split("~")[0] + "~" + disclosures[2] + "~"  # the birth date only: the names withheld
    result, page = _render(runner, tmp_path, shown)
    assert result.exit_code == 0, result.output
    words = _text(page)
    assert "Name (not disclosed)" in words and "Maria" not in words and "Rossi" not in words
    assert "Disclosed birthdate" in words and "Withheld 4 signed digest(s) without a disclosure" in words
    assert "Signature valid — issuer not checked" in words  # no trust file


def test_a_changed_credential_is_rendered_as_failed(runner, tmp_path):
    text, _ = issue(plain=AWARD, hidden=PERSON)
    head, body, signature = text.split("~")[0].split(".")
    forged = f"{head}.{body}.{signature[:-4]}AAAA~" + text.split("~", 1)[1]
    result, page = _render(runner, tmp_path, forged)
    assert result.exit_code == 1 and "Verification failed" in _text(page) and "SDJWT_SIGNATURE_INVALID" in page


def test_a_type_rule_broken_shows_its_code(runner, tmp_path):
    text, _ = issue(plain=AWARD, hidden={**PERSON, "validUntil": "2030-01-01T00:00:00Z"})  # DC4EU: sd never
    result, page = _render(runner, tmp_path, text)
    assert result.exit_code == 1 and "SDJWT_TYPE_SD_NEVER" in page


def test_claims_are_escaped_and_another_type_is_listed_claim_by_claim(runner, tmp_path):
    text, _ = issue(plain={"vct": "urn:example:other:1", "note": "<script>alert(1)</script>"},
                    hidden={"given_name": "<b>Maria</b>"},
                    payload_edit=lambda p: p.update(vct="urn:example:other:1"))
    result, page = _render(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "<script>" not in page and "<b>Maria</b>" not in page
    words = _text(page)
    assert "note <script>alert(1)</script>" in words and "SDJWT_VCT_UNKNOWN" in words


def test_the_page_in_italian(runner, tmp_path):
    text, _ = issue(plain=AWARD, hidden=PERSON, decoys=1)
    result, page = _render(runner, tmp_path, text.split("~")[0] + "~", "--lang", "it")
    assert result.exit_code == 0, result.output
    words = _text(page)
    assert "Nome (non divulgato)" in words and "Non mostrati 4 digest firmati senza divulgazione" in words


def test_what_is_not_an_sd_jwt_makes_no_page(runner, tmp_path):
    result, page = _render(runner, tmp_path, "not-a-jwt~")
    assert result.exit_code == 3 and page is None and "not a readable SD-JWT" in " ".join(result.output.split())


def test_a_status_not_checked_is_said_on_the_ribbon_with_how_to_check_it(runner, tmp_path):
    uri = "https://its.example/status/1"
    text, _ = issue(plain=AWARD, hidden=PERSON,
                    payload_edit=lambda p: p.update(status={"status_list": {"idx": 7, "uri": uri}}))
    result, page = _render(runner, tmp_path, text, "--trust", str(_trust(runner, tmp_path)))
    assert result.exit_code == 0, result.output
    words = _text(page)
    assert "Verified — revocation not checked" in words
    assert f"no copy of its Token Status List {uri} given" in words and "--status-list LIST.jwt" in words


def test_show_and_render_take_the_profile_and_type_metadata_as_verify_does(runner, tmp_path):
    import json

    text, _ = issue(plain=AWARD, hidden=PERSON)
    result, page = _render(runner, tmp_path, text, "--profile", "it-wallet")
    assert result.exit_code == 1 and "SDJWT_IT_WALLET_KID_MISSING" in page and "Verification failed" in _text(page)
    (tmp_path / "types").mkdir()
    (tmp_path / "types" / "mine.json").write_text(json.dumps(
        {"vct": "urn:eudi:micro_credential:1", "claims": [{"path": ["given_name"], "sd": "never"}]}))
    shown = runner.invoke(app, ["show", str(tmp_path / "c.sd-jwt"), *NOW, "--type-metadata", str(tmp_path / "types")])
    assert shown.exit_code == 1 and "SDJWT_TYPE_SD_NEVER" in shown.output


def test_disclosures_that_cannot_be_read_leave_the_page_without_claims(runner, tmp_path):
    text, disclosures = issue(plain=AWARD, hidden=PERSON)
    result, page = _render(runner, tmp_path, text + disclosures[0] + "~")  # one disclosure presented twice
    assert result.exit_code == 1 and "SDJWT_DISCLOSURE_REPEATED" in page
    words = _text(page)
    assert "Verification failed" in words and "The disclosures could not be read" in words
    assert "Data analysis with Python" not in words and "Maria" not in words
