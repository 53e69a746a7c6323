"""An SD-JWT VC's page (`mcred render X.sd-jwt`) in headless Chromium: drawn with no network request, and its QR
code decodes to the issuer-signed JWT's digest (computed here from the file, not by mcred)."""

from __future__ import annotations

import hashlib

import pytest

from mcred.cli.app import app
from tests.browser.test_page_in_chromium import chromium, decode_qr, screenshot  # noqa: F401 (a fixture)
from tests.sdjwt_make import issue

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_an_sd_jwt_page_draws_with_no_network_request_and_its_qr_names_the_signed_jwt(chromium, runner,  # noqa: F811
                                                                                        tmp_path):
    text, disclosures = issue(plain={"credentialSubject": {"achievement": {"name": "Data analysis with Python"}}})
    credential = tmp_path / "c.sd-jwt"
    credential.write_text(text.split("~")[0] + "~" + disclosures[0] + "~", encoding="ascii")  # a presentation
    page = tmp_path / "c.html"
    result = runner.invoke(app, ["render", str(credential), "--out", str(page), "--now", "2026-06-02T00:00:00Z",
                                 "--lang", "it"])
    assert result.exit_code == 0, result.output
    png, seen = screenshot(chromium, page, tmp_path)
    assert seen.page_requests == [] and seen.unexplained == []
    assert png.stat().st_size > 20_000  # a drawn page, not a blank one
    signing_input = ".".join(text.split("~")[0].split(".")[:2])
    assert decode_qr(png) == [f"mcred:1 sha256:{hashlib.sha256(signing_input.encode('ascii')).hexdigest()}"]
