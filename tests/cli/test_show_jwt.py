"""`mcred show` and `mcred render` of a credential secured as a JWT: the view reads the credential the JWT's
signature covers (its payload), and its digest is that of the signed bytes, as `verify --expect-digest` has it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mcred.cli.app import app
from mcred.verify.digest import jwt_digest
from tests.conftest import ASSETS

W3C = ASSETS / "jwt" / "w3c"
ISSUER = "https://example.issuer/vc-jose-cose"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def issuer_document(tmp_path):
    """The W3C suite issuer's controller document, as a user gives it (--did-documents)."""
    vms = [{k: v for k, v in json.loads((W3C / f"vm-{name}.json").read_text()).items() if k != "secretKeyJwk"}
           for name in ("p256", "p384", "ed25519")]
    path = tmp_path / "issuer.json"
    path.write_text(json.dumps({"id": ISSUER, "verificationMethod": vms,
                                "assertionMethod": [vm["id"] for vm in vms]}))
    return path


def jwt_file(tmp_path, source: str, name: str = "credential.jwt"):
    path = tmp_path / name
    path.write_bytes((W3C / source).read_bytes())
    return path


def test_show_reads_the_credential_the_jwt_signs(runner, tmp_path, issuer_document):
    path = jwt_file(tmp_path, "credential-jose-minimal.txt")
    result = runner.invoke(app, ["show", str(path), "--did-documents", str(issuer_document)])
    assert result.exit_code == 0, result.output
    assert "SIGNATURE VALID" in result.output
    assert "http://university.example/credentials/1872" in result.output  # the payload's id
    assert f"sha256:{jwt_digest(path.read_text())}" in result.output  # the bytes the signature covers


def test_a_jwt_whose_signature_fails_is_shown_as_failed(runner, tmp_path, issuer_document):
    path = jwt_file(tmp_path, "credential-jose-bad-signature.txt")
    result = runner.invoke(app, ["show", str(path), "--did-documents", str(issuer_document)])
    assert result.exit_code == 1
    assert "VERIFICATION FAILED" in result.output


def test_render_writes_the_page_of_a_jwt_and_its_qr_holds_the_signed_bytes_digest(runner, tmp_path,
                                                                                 issuer_document):
    path = jwt_file(tmp_path, "credential-jose-minimal.txt")
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["render", str(path), "--did-documents", str(issuer_document), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert jwt_digest(path.read_text()) in result.output  # the QR text said on the terminal
    assert "http://university.example/credentials/1872" in out.read_text()


def test_a_jwt_file_that_is_not_a_credential_jwt_is_unusable_with_its_reason(runner, tmp_path):
    path = tmp_path / "cut.jwt"
    path.write_text("eyJhbGciOiJFUzI1NiJ9.")  # a header and nothing signed
    result = runner.invoke(app, ["show", str(path)])
    assert result.exit_code == 3
    assert "JWT has three parts" in result.output
