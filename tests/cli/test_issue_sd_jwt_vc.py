"""`mcred issue --format sd-jwt-vc`: the command writes an SD-JWT VC; its refusals exit 3 or 2 with the code."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from mcred.cli.app import app
from mcred.keys.ecdsa import EcSigningKey, save_any_signing_key
from tests.unit.sdjwt.certs import NOW, ca, certificate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "its-python-data.yaml"
ISSUED = "2026-07-01T09:00:00Z"


def _pem(*certs) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@pytest.fixture
def files(tmp_path):
    key = EcSigningKey.generate("P-256")
    ca_key, ca_cert = ca()
    leaf = certificate(key._key, ca_key, subject="Issuer", issuer="Test CA", start=NOW)
    save_any_signing_key(key, tmp_path / "issuer.pem")
    (tmp_path / "chain.pem").write_bytes(_pem(leaf, ca_cert))
    holder = EcSigningKey.generate("P-256")
    (tmp_path / "holder.pub.pem").write_bytes(holder.public_key.key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return tmp_path


def issue(runner, *args):
    return runner.invoke(app, ["issue", str(EXAMPLE), "--format", "sd-jwt-vc", "--issued", ISSUED,
                               *map(str, args)])


def test_issue_writes_an_sd_jwt_vc(runner, files):
    out = files / "cred.sd-jwt"
    result = issue(runner, "--key", files / "issuer.pem", "--cert", files / "chain.pem", "--holder-key",
                   files / "holder.pub.pem", "--out", out)
    assert result.exit_code == 0, result.output
    text = out.read_text().strip()
    jwt, *disclosures = text[:-1].split("~")
    payload = json.loads(base64.urlsafe_b64decode(jwt.split(".")[1] + "=="))
    assert payload["vct"] == "urn:eudi:micro_credential:1" and payload["cnf"]["jwk"]["crv"] == "P-256"
    assert len(disclosures) == 6


def test_a_certificate_of_another_key_exits_3_with_its_code(runner, files):
    other = EcSigningKey.generate("P-256")
    save_any_signing_key(other, files / "other.pem")
    result = issue(runner, "--key", files / "other.pem", "--cert", files / "chain.pem", "--out", files / "x")
    assert result.exit_code == 3 and "none of the certificates is for the signing key" in result.output
    assert not (files / "x").exists()


def test_without_cert_is_a_usage_error_for_one_learner_and_for_a_roster(runner, files):
    for output in (["--out", files / "x"], ["--out-dir", files / "d"]):
        result = issue(runner, "--key", files / "issuer.pem", *output)
        assert result.exit_code == 2 and "needs --cert CHAIN.pem" in result.output
    assert not (files / "x").exists() and not (files / "d").exists()


def test_an_encrypted_private_holder_key_is_refused(runner, files):
    holder = EcSigningKey.generate("P-256")
    save_any_signing_key(holder, files / "holder.enc.pem", passphrase=b"secret")
    result = issue(runner, "--key", files / "issuer.pem", "--cert", files / "chain.pem", "--holder-key",
                   files / "holder.enc.pem", "--out", files / "x")
    assert result.exit_code == 3 and "holder key" in result.output


def _token_list(runner, files, key_file, name="list.jwt"):
    path = files / name
    result = runner.invoke(app, ["status", "init", str(path), "--format", "token-status-list", "--key",
                                 str(key_file), "--uri", "https://its.example/status/tsl/1", "--size", "1024"])
    assert result.exit_code == 0, result.output
    return path


def test_status_list_gives_an_always_disclosed_status_claim(runner, files):
    status_list = _token_list(runner, files, files / "issuer.pem")
    out = files / "cred.sd-jwt"
    result = issue(runner, "--key", files / "issuer.pem", "--cert", files / "chain.pem", "--status-list",
                   status_list, "--out", out)
    assert result.exit_code == 0, result.output
    payload = json.loads(base64.urlsafe_b64decode(out.read_text().split(".")[1] + "=="))
    entry = payload["status"]["status_list"]
    assert entry["uri"] == "https://its.example/status/tsl/1" and 0 <= entry["idx"] < 1024
    assert f"mcred status revoke {status_list} {entry['idx']}" in result.output
    sidecar = json.loads((files / "list.jwt.alloc").read_text())
    assert sidecar["allocated"] == 1


def test_a_status_list_signed_by_another_key_is_refused(runner, files):
    other = EcSigningKey.generate("P-256")
    save_any_signing_key(other, files / "other.pem")
    status_list = _token_list(runner, files, files / "other.pem")
    result = issue(runner, "--key", files / "issuer.pem", "--cert", files / "chain.pem", "--status-list",
                   status_list, "--out", files / "x")
    assert result.exit_code == 3 and "this key did not sign the status list" in result.output, result.output
    assert not (files / "x").exists()


def test_a_w3c_status_list_is_refused_for_an_sd_jwt_vc(runner, files):
    (files / "w3c.json").write_text("{}")
    result = issue(runner, "--key", files / "issuer.pem", "--cert", files / "chain.pem", "--status-list",
                   files / "w3c.json", "--out", files / "x")
    assert result.exit_code == 2 and "not a Token Status List" in result.output
