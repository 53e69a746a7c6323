"""`mcred seal` (PKCS#12, PEM key + chain), `mcred verify` of sealed files, `mcred trust add-anchor`."""

from __future__ import annotations

import json

import pytest

from mcred._schema import schema_errors
from mcred.cli.app import app
from tests.conftest import ASSETS
from tests.pki import header_of, seal_pki, write_chain, write_p12, write_pem_key

EXAMPLES = ASSETS.parent.parent / "examples"
CREDENTIAL = EXAMPLES / "elm-microcredential.json"
SAMPLE = ASSETS / "jades" / "ec-Sample-MC-Annex1-signed-jades.jsonld"
TEST_TRUST = ASSETS / "jades" / "TEST-ONLY-ec-test-ca.trust.yaml"
SECRET = "correct horse battery staple 7%"
WHEN = "2026-07-01T09:00:00Z"
NOW = "2026-11-23T12:00:00Z"


@pytest.fixture(scope="module")
def pki():
    return seal_pki()


@pytest.fixture
def p12(tmp_path, pki):
    path = tmp_path / "seal.p12"
    write_p12(path, pki.seal, [pki.ca], SECRET.encode())
    return path


@pytest.fixture
def trust_file(tmp_path, pki, runner):
    root = tmp_path / "root.pem"
    write_chain(root, pki.root)
    path = tmp_path / "trusted.yaml"
    result = runner.invoke(app, ["trust", "add-anchor", "--file", str(path), str(root), "--name", "mcred TEST root"])
    assert result.exit_code == 0, result.output
    return path


def seal_cmd(runner, *args, env=None):
    return runner.invoke(app, ["seal", str(CREDENTIAL), "--signing-time", WHEN, *args], env=env)


def test_seal_with_a_p12_and_verify_it(runner, tmp_path, p12, trust_file):
    out = tmp_path / "sealed.json"
    result = seal_cmd(runner, "--p12", str(p12), "--passphrase-env", "SEAL_PASS", "--out", str(out),
                      env={"SEAL_PASS": SECRET})
    assert result.exit_code == 0, result.output
    assert "JAdES baseline B, RS256" in result.output and "no time-stamp: mcred is offline" in result.output
    sealed = json.loads(out.read_text())
    assert len(header_of(sealed)["x5c"]) == 2
    verified = runner.invoke(app, ["verify", str(out), "--trust", str(trust_file), "--now", NOW,
                                   "--format", "json"])
    assert verified.exit_code == 0, verified.output
    report = json.loads(verified.stdout.splitlines()[0])
    assert report["outcome"] == "verified" and report["seal"]["trusted"] is True
    assert schema_errors(report, "mcred-report-1.schema.json") == []
    untrusted = runner.invoke(app, ["verify", str(out), "--now", NOW, "--strict"])
    assert untrusted.exit_code == 1 and "JADES_CHAIN_UNTRUSTED" in untrusted.output


def test_seal_with_a_pem_key_and_chain(runner, tmp_path, pki, trust_file):
    key, chain, out = tmp_path / "seal.key", tmp_path / "chain.pem", tmp_path / "sealed.json"
    write_pem_key(key, pki.ec_seal, SECRET.encode())
    write_chain(chain, pki.ca, pki.ec_seal)  # any order: the key's certificate is put first
    result = seal_cmd(runner, "--key", str(key), "--chain", str(chain), "--passphrase-env", "SEAL_PASS",
                      "--out", str(out), env={"SEAL_PASS": SECRET})
    assert result.exit_code == 0, result.output
    assert header_of(json.loads(out.read_text()))["alg"] == "ES256"
    verified = runner.invoke(app, ["verify", str(out), "--trust", str(trust_file), "--now", NOW, "--lang", "it"])
    assert verified.exit_code == 0 and "il sigillo è valido" in verified.output


def test_a_wrong_passphrase_is_exit_3_and_never_printed(runner, tmp_path, p12):
    result = seal_cmd(runner, "--p12", str(p12), "--passphrase-env", "SEAL_PASS", "--out",
                      str(tmp_path / "x.json"), env={"SEAL_PASS": "Zq9-not-it"})
    assert result.exit_code == 3
    assert "cannot open the PKCS#12 file" in result.output
    assert "Zq9" not in result.output and SECRET not in result.output
    assert not (tmp_path / "x.json").exists()


def test_an_encrypted_p12_without_a_passphrase_says_how(runner, tmp_path, p12):
    result = seal_cmd(runner, "--p12", str(p12), "--out", str(tmp_path / "x.json"))
    assert result.exit_code == 3 and "--passphrase-env" in result.output


def test_an_unencrypted_p12_needs_no_passphrase(runner, tmp_path, pki):
    path = tmp_path / "open.p12"
    write_p12(path, pki.seal, [pki.ca], None)
    assert seal_cmd(runner, "--p12", str(path), "--out", str(tmp_path / "s.json")).exit_code == 0


def test_usage_errors(runner, tmp_path, p12):
    out = tmp_path / "sealed.json"
    out.write_text("{}")
    env = {"SEAL_PASS": SECRET}
    exists = seal_cmd(runner, "--p12", str(p12), "--passphrase-env", "SEAL_PASS", "--out", str(out), env=env)
    assert exists.exit_code == 2 and "--force" in exists.output
    forced = seal_cmd(runner, "--p12", str(p12), "--passphrase-env", "SEAL_PASS", "--out", str(out), "--force",
                      env=env)
    assert forced.exit_code == 0
    both = seal_cmd(runner, "--p12", str(p12), "--key", str(p12), "--out", str(tmp_path / "y.json"))
    assert both.exit_code == 2
    neither = seal_cmd(runner, "--out", str(tmp_path / "y.json"))
    assert neither.exit_code == 2
    no_chain = seal_cmd(runner, "--key", str(p12), "--out", str(tmp_path / "y.json"))
    assert no_chain.exit_code == 2 and "--chain" in no_chain.output
    bad_alg = seal_cmd(runner, "--p12", str(p12), "--passphrase-env", "SEAL_PASS", "--alg", "ES256",
                       "--out", str(tmp_path / "y.json"), env=env)
    assert bad_alg.exit_code == 2


def test_refusals_are_exit_3(runner, tmp_path, pki):
    for name, issued in (("expired", pki.expired), ("other", pki.other_org)):
        path = tmp_path / f"{name}.p12"
        write_p12(path, issued, [pki.ca], None)
        result = seal_cmd(runner, "--p12", str(path), "--out", str(tmp_path / f"{name}.json"))
        assert result.exit_code == 3, result.output
        assert ("not valid at" if name == "expired" else "eIDAS identifier") in result.output


def test_a_key_without_its_certificate(runner, tmp_path, pki):
    key, chain = tmp_path / "seal.key", tmp_path / "chain.pem"
    write_pem_key(key, pki.seal)
    write_chain(chain, pki.ca, pki.other_org)
    result = seal_cmd(runner, "--key", str(key), "--chain", str(chain), "--out", str(tmp_path / "x.json"))
    assert result.exit_code == 3 and "none of the certificates is for this private key" in result.output


@pytest.mark.parametrize("lang,words", [("en", "the seal is valid"), ("it", "il sigillo è valido")])
def test_verify_the_ec_sample_from_the_command_line(runner, lang, words):
    result = runner.invoke(app, ["verify", str(SAMPLE), "--now", NOW, "--lang", lang])
    assert result.exit_code == 0 and words in result.output and "JADES_CHAIN_UNTRUSTED" in result.output
    as_json = runner.invoke(app, ["verify", str(SAMPLE), "--now", NOW, "--lang", lang, "--format", "json",
                                  "--trust", str(TEST_TRUST)])
    report = json.loads(as_json.stdout.splitlines()[0])
    assert schema_errors(report, "mcred-report-1.schema.json") == []
    assert report["issuer_name"] == "ORGANIZACION TEST" and report["seal"]["trusted"]


def test_trust_anchor_commands(runner, tmp_path, pki):
    path = tmp_path / "t.yaml"
    cert = tmp_path / "ca.pem"
    write_chain(cert, pki.ca)
    assert runner.invoke(app, ["trust", "add-anchor", "--file", str(path), str(cert)]).exit_code == 0
    again = runner.invoke(app, ["trust", "add-anchor", "--file", str(path), str(cert)])
    assert again.exit_code == 2 and "already listed" in again.output
    by_digest = runner.invoke(app, ["trust", "add-anchor", "--file", str(path), "--sha256", "AB:" * 31 + "AB",
                                    "--name", "by fingerprint"])
    assert by_digest.exit_code == 0, by_digest.output
    listed = runner.invoke(app, ["trust", "list", "--file", str(path)])
    assert "2 X.509 trust anchors" in listed.output and "mcred TEST Seal CA" in listed.output
    removed = runner.invoke(app, ["trust", "remove-anchor", "--file", str(path), "--sha256", "ab" * 32])
    assert removed.exit_code == 0
    missing = runner.invoke(app, ["trust", "remove-anchor", "--file", str(path), "--sha256", "ab" * 32])
    assert missing.exit_code == 2
    bad = runner.invoke(app, ["trust", "add-anchor", "--file", str(path), "--sha256", "xyz", "--name", "n"])
    assert bad.exit_code == 2 and "--sha256" in bad.output
