"""P-256 and P-384 keys on the command line: keygen, sign with the ECDSA suites, verify, key-info, trust;
what cannot use an EC key yet (issue, stack, status lists) refuses it by name, and a suite that does not go
with the key is a usage error (exit 2)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from mcred.cli.app import app
from mcred.keys.ecdsa import EcSigningKey, load_any_signing_key
from mcred.verify import trust as t
from mcred.verify.runner import verify_file
from tests.conftest import CREATED, NOW, VECTORS, load_json, write_json

REPO = VECTORS.parents[3]


def mcred(runner, *args, **kwargs):
    result = runner.invoke(app, [*map(str, args)], **kwargs)
    assert result.exit_code != 4 and "Traceback" not in result.output, result.output
    return result


@pytest.fixture(params=["p256", "p384"])
def ec_key(request, runner, tmp_path):
    path = tmp_path / f"{request.param}.pem"
    result = mcred(runner, "keygen", "--type", request.param, "--out", path, "--format", "json")
    assert result.exit_code == 0, result.output
    return path


def test_keygen_writes_an_ec_key_0600_and_names_its_did_key(ec_key, runner):
    assert stat.S_IMODE(os.stat(ec_key).st_mode) == 0o600
    key = load_any_signing_key(ec_key)
    assert isinstance(key, EcSigningKey)
    assert key.did.startswith("did:key:zDn" if key.curve == "P-256" else "did:key:z82")
    info = json.loads(mcred(runner, "key-info", ec_key, "--format", "json").stdout)
    assert info["type"] == key.curve and info["did"] == key.did


def test_keygen_text_names_the_curve(runner, tmp_path):
    result = mcred(runner, "keygen", "--type", "p384", "--out", tmp_path / "k.pem")
    assert result.exit_code == 0 and "(P-384, PKCS#8 PEM, mode 0600)" in result.stdout


def test_keygen_refuses_an_unknown_type(runner, tmp_path):
    result = mcred(runner, "keygen", "--type", "rsa", "--out", tmp_path / "k.pem")
    assert result.exit_code == 2
    assert not (tmp_path / "k.pem").exists()


def test_an_encrypted_ec_key_signs_with_its_passphrase(runner, tmp_path, alumni):
    key_file = tmp_path / "k.pem"
    env = {"MCRED_PASS": "correct horse"}
    assert mcred(runner, "keygen", "--type", "p256", "--out", key_file, "--passphrase-env", "MCRED_PASS",
                 env=env).exit_code == 0
    assert b"ENCRYPTED" in key_file.read_bytes()
    source = write_json(tmp_path / "in.json", alumni)
    result = mcred(runner, "sign", source, "--key", key_file, "--out", tmp_path / "out.json",
                   "--suite", "ecdsa-rdfc-2019", "--issuer-from-key", "--passphrase-env", "MCRED_PASS", env=env)
    assert result.exit_code == 0, result.output
    result = mcred(runner, "sign", source, "--key", key_file, "--out", tmp_path / "out2.json",
                   "--suite", "ecdsa-rdfc-2019", "--issuer-from-key")
    assert result.exit_code == 3 and "encrypted" in result.stderr


@pytest.mark.parametrize("suite", ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"])
def test_sign_then_verify(runner, tmp_path, ec_key, alumni, suite):
    source = write_json(tmp_path / "in.json", alumni)
    out = tmp_path / "out.json"
    result = mcred(runner, "sign", source, "--key", ec_key, "--out", out, "--suite", suite,
                   "--created", CREATED, "--issuer-from-key")
    assert result.exit_code == 0, result.output
    assert load_json(out)["proof"]["cryptosuite"] == suite
    assert verify_file(out, now=NOW).verified
    result = mcred(runner, "verify", out)
    assert result.exit_code == 0, result.output
    signed = load_json(out)
    signed["name"] = "Forged Credential"
    result = mcred(runner, "verify", write_json(tmp_path / "bad.json", signed))
    assert result.exit_code == 1 and "PROOF_SIGNATURE_INVALID" in result.stdout


def test_the_vectors_multikey_json_signs(runner, tmp_path, alumni):
    keys = REPO / "tests" / "vectors" / "w3c-vc-di-ecdsa" / "TestVectors"
    out = tmp_path / "out.json"
    result = mcred(runner, "sign", write_json(tmp_path / "in.json", alumni), "--key", keys / "p384KeyPair.json",
                   "--out", out, "--suite", "ecdsa-jcs-2019", "--issuer-from-key")
    assert result.exit_code == 0, result.output
    assert load_json(out)["issuer"].startswith("did:key:z82")


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_an_eddsa_suite_with_an_ec_key_is_a_usage_error(runner, tmp_path, ec_key, alumni, suite):
    out = tmp_path / "out.json"
    result = mcred(runner, "sign", write_json(tmp_path / "in.json", alumni), "--key", ec_key, "--out", out,
                   "--suite", suite, "--issuer-from-key")
    assert result.exit_code == 2
    assert "SUITE_KEY_MISMATCH" in result.stderr or "signs with Ed25519 keys" in result.stderr
    assert not out.exists()


def test_an_ecdsa_suite_with_an_ed25519_key_is_a_usage_error(runner, tmp_path, test_key, alumni):
    key_file = tmp_path / "ed.pem"
    key_file.write_bytes(test_key.to_pem())
    result = mcred(runner, "sign", write_json(tmp_path / "in.json", alumni), "--key", key_file,
                   "--out", tmp_path / "out.json", "--suite", "ecdsa-rdfc-2019")
    assert result.exit_code == 2
    assert "ecdsa-rdfc-2019 signs with P-256 or P-384 keys; this key is Ed25519" in result.stderr


def test_issue_refuses_an_ec_key_by_name(runner, tmp_path, ec_key):
    result = mcred(runner, "issue", REPO / "examples" / "its-python-data.yaml", "--key", ec_key,
                   "--out", tmp_path / "cred.json")
    assert result.exit_code == 3
    assert "not Ed25519: this command signs with Ed25519 keys only" in result.stderr
    assert "mcred sign --suite ecdsa-rdfc-2019" in result.stderr
    assert not (tmp_path / "cred.json").exists()


def test_trust_add_takes_an_ec_did_key(runner, tmp_path, ec_key):
    key = load_any_signing_key(ec_key)
    path = tmp_path / "trust.yaml"
    names = ["--name-it", "Fondazione ITS", "--name-en", "ITS Academy", "--country", "ITA"]
    result = mcred(runner, "trust", "add", "--file", path, "--issuer", key.did, *names)
    assert result.exit_code == 0, result.output
    result = mcred(runner, "trust", "add", "--file", path, "--issuer", "urn:mcred:test:uni",
                   "--key", key.verification_method, *names)
    assert result.exit_code == 2  # the key belongs to the did:key issuer already
    other = tmp_path / "other.pem"
    other.write_bytes(EcSigningKey.generate(key.curve).to_pem())
    result = mcred(runner, "trust", "add", "--file", path, "--from-key", other, "--issuer", "urn:mcred:test:uni",
                   *names)
    assert result.exit_code == 0, result.output
    trusted = t.load_trust_list(path)
    assert trusted.get(key.did) is not None
    assert trusted.get("urn:mcred:test:uni").keys[0].verification_method == \
        load_any_signing_key(other).verification_method


def test_a_trusted_ec_issuer_verifies_as_trusted(runner, tmp_path, ec_key, alumni):
    key = load_any_signing_key(ec_key)
    path = tmp_path / "trust.yaml"
    assert mcred(runner, "trust", "add", "--file", path, "--from-key", ec_key, "--name-en", "ITS Academy",
                 "--country", "ITA").exit_code == 0
    out = tmp_path / "out.json"
    assert mcred(runner, "sign", write_json(tmp_path / "in.json", alumni), "--key", ec_key, "--out", out,
                 "--suite", "ecdsa-rdfc-2019", "--issuer-from-key").exit_code == 0
    result = mcred(runner, "verify", out, "--trust", path, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.splitlines()[0])
    assert any(c["code"] == "TRUST_TRUSTED" for c in report["checks"]), report
    assert key.did in result.stdout
