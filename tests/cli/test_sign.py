"""`mcred sign`: what it signs, what it refuses (exit 3, naming the JSON path), and its output rules."""

from __future__ import annotations

import json

import pytest

from mcred.cli.app import app
from mcred.keys.ed25519 import SigningKey, save_signing_key
from mcred.verify.runner import verify_file
from tests.conftest import ASSETS, CREATED, NOW, TEST_SEED, VECTORS, load_json, write_json


@pytest.fixture
def key_file(tmp_path, test_key):
    path = tmp_path / "issuer.pem"
    save_signing_key(test_key, path)
    return path


def sign(runner, *args):
    return runner.invoke(app, ["sign", *map(str, args)])


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_sign_then_verify(runner, tmp_path, key_file, alumni, suite):
    source = write_json(tmp_path / "in.json", alumni)
    out = tmp_path / "out.json"
    result = sign(runner, source, "--key", key_file, "--out", out, "--suite", suite,
                  "--created", CREATED)
    assert result.exit_code == 0, result.output
    signed = load_json(out)
    assert signed["proof"]["cryptosuite"] == suite
    assert signed["proof"]["created"] == CREATED
    assert verify_file(out, now=NOW).verified


def test_default_suite_is_rdfc_and_created_defaults_to_now(runner, tmp_path, key_file, alumni):
    out = tmp_path / "out.json"
    assert sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file,
                "--out", out).exit_code == 0
    proof = load_json(out)["proof"]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["created"].startswith("20") and proof["created"].endswith("Z")


def test_signing_is_deterministic_and_matches_the_w3c_vector(runner, tmp_path):
    """The vector's Multikey key pair file signs unsigned.json into signedDataInt.json exactly."""
    out = tmp_path / "out.json"
    vector = load_json(VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json")
    doc = load_json(VECTORS / "unsigned.json")
    doc["issuer"] = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    result = sign(runner, write_json(tmp_path / "in.json", doc), "--key", VECTORS / "keyPair.json",
                  "--out", out, "--created", vector["proof"]["created"])
    assert result.exit_code == 0, result.output
    # same key, same created, but another issuer: the signature must differ from the vector's
    assert load_json(out)["proof"]["proofValue"] != vector["proof"]["proofValue"]
    assert verify_file(out, now=NOW).verified


def test_hex_seed_key_file(runner, tmp_path, alumni):
    seed = tmp_path / "seed.hex"
    seed.write_text(TEST_SEED.hex() + "\n")
    out = tmp_path / "out.json"
    assert sign(runner, write_json(tmp_path / "in.json", alumni), "--key", seed,
                "--out", out).exit_code == 0


def test_issuer_not_the_key_is_refused_with_a_hint(runner, tmp_path, key_file, alumni):
    alumni["issuer"] = "https://university.example/issuers/1"
    out = tmp_path / "out.json"
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file, "--out", out)
    assert result.exit_code == 3
    assert "$.issuer" in result.stderr and "--issuer-from-key" in result.stderr
    assert not out.exists()


def test_issuer_from_key_sets_issuer_id(runner, tmp_path, key_file, test_key):
    doc = load_json(ASSETS / "elm" / "mcred-microcredential-sample.json")
    doc["@context"].append("https://w3id.org/security/data-integrity/v2")
    out = tmp_path / "out.json"
    result = sign(runner, write_json(tmp_path / "in.json", doc), "--key", key_file, "--out", out,
                  "--issuer-from-key")
    assert result.exit_code == 0, result.output
    signed = load_json(out)
    assert signed["issuer"]["id"] == test_key.did
    assert signed["issuer"]["legalName"] == doc["issuer"]["legalName"]
    assert verify_file(out, now=NOW).verified


def test_undefined_term_is_refused_naming_the_path(runner, tmp_path, key_file, test_key):
    doc = load_json(ASSETS / "elm" / "mcred-microcredential-sample.json")
    doc["@context"].append("https://w3id.org/security/data-integrity/v2")
    doc["issuer"]["id"] = test_key.did
    doc["credentialSubject"]["favouriteColour"] = "blue"
    out = tmp_path / "out.json"
    result = sign(runner, write_json(tmp_path / "in.json", doc), "--key", key_file, "--out", out)
    assert result.exit_code == 3
    assert "$.credentialSubject.favouriteColour" in result.stderr
    assert "favouriteColour" in result.stderr and "not defined" in result.stderr
    assert not out.exists()


def test_relative_id_is_refused_naming_the_path(runner, tmp_path, key_file, alumni):
    alumni["credentialSubject"]["id"] = "students/42"
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file,
                  "--out", tmp_path / "out.json")
    assert result.exit_code == 3
    assert "$.credentialSubject.id" in result.stderr and "students/42" in result.stderr


def test_relative_type_is_refused(runner, tmp_path, key_file, test_key):
    doc = load_json(ASSETS / "elm" / "mcred-microcredential-sample.json")
    doc["@context"].append("https://w3id.org/security/data-integrity/v2")
    doc["issuer"]["id"] = test_key.did
    doc["type"].append("MicroCredential")
    result = sign(runner, write_json(tmp_path / "in.json", doc), "--key", key_file,
                  "--out", tmp_path / "out.json")
    assert result.exit_code == 3
    assert "$.type[2]" in result.stderr and "MicroCredential" in result.stderr


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_a_relative_id_of_a_vc2_credential_is_refused_by_either_suite(runner, tmp_path, key_file, alumni, suite):
    """eddsa-jcs-2022 would cover the JSON text as written, but VC Data Model 2.0 (4.4) wants every id a URL:
    the data model refuses it before any suite is asked (it used to be signed with JCS)."""
    alumni["credentialSubject"]["id"] = "students/42"
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file,
                  "--out", tmp_path / "out.json", "--suite", suite)
    assert result.exit_code == 3
    assert "$.credentialSubject.id" in result.stderr and "is not a URL" in result.stderr


def test_missing_data_integrity_context_is_refused(runner, tmp_path, key_file, test_key):
    doc = load_json(ASSETS / "elm" / "mcred-microcredential-sample.json")  # VC 1.1, no DI context
    doc["issuer"]["id"] = test_key.did
    result = sign(runner, write_json(tmp_path / "in.json", doc), "--key", key_file,
                  "--out", tmp_path / "out.json")
    assert result.exit_code == 3
    assert "https://w3id.org/security/data-integrity/v2" in result.stderr


def test_unknown_context_is_refused_naming_the_url(runner, tmp_path, key_file, alumni):
    alumni["@context"].append("https://contexts.example/private/v1")
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file,
                  "--out", tmp_path / "out.json")
    assert result.exit_code == 3
    assert "https://contexts.example/private/v1" in result.stderr


def test_malformed_input_json(runner, tmp_path, key_file):
    source = tmp_path / "in.json"
    source.write_text("{not json")
    result = sign(runner, source, "--key", key_file, "--out", tmp_path / "out.json")
    assert result.exit_code == 3 and "malformed JSON" in result.stderr


def test_bad_key_file(runner, tmp_path, alumni):
    bad = tmp_path / "bad.pem"
    bad.write_text("this is not a key")
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", bad,
                  "--out", tmp_path / "out.json")
    assert result.exit_code == 3 and "not a key file" in result.stderr


def test_existing_output_is_kept_without_force(runner, tmp_path, key_file, alumni):
    out = tmp_path / "out.json"
    out.write_text("precious")
    source = write_json(tmp_path / "in.json", alumni)
    result = sign(runner, source, "--key", key_file, "--out", out)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text() == "precious"
    assert sign(runner, source, "--key", key_file, "--out", out, "--force").exit_code == 0
    assert json.loads(out.read_text())["proof"]


def test_bad_created_is_refused(runner, tmp_path, key_file, alumni):
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file,
                  "--out", tmp_path / "out.json", "--created", "yesterday")
    assert result.exit_code == 3 and "created" in result.stderr


def test_unknown_suite_is_a_usage_error(runner, tmp_path, key_file, alumni):
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file,
                  "--out", tmp_path / "out.json", "--suite", "ecdsa-rdfc-2019")
    assert result.exit_code == 2


def test_stdout_output(runner, tmp_path, key_file, alumni):
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file, "--out", "-",
                  "--created", CREATED)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["proof"]["created"] == CREATED


def test_a_second_signature_makes_a_proof_set(runner, tmp_path, key_file, alumni, test_key):
    once = tmp_path / "once.json"
    twice = tmp_path / "twice.json"
    sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file, "--out", once)
    result = sign(runner, once, "--key", key_file, "--out", twice, "--suite", "eddsa-jcs-2022")
    assert result.exit_code == 0, result.output
    assert len(load_json(twice)["proof"]) == 2
    assert verify_file(twice, now=NOW).verified


def test_secret_never_printed(runner, tmp_path, key_file, alumni):
    result = sign(runner, write_json(tmp_path / "in.json", alumni), "--key", key_file, "--out", "-")
    pem_body = "".join(key_file.read_text().splitlines()[1:-1])
    assert pem_body not in result.output and TEST_SEED.hex() not in result.output
    assert SigningKey.from_seed(TEST_SEED).did in result.output


def test_an_endless_input_is_refused(runner, tmp_path, key_file):
    result = sign(runner, "/dev/zero", "--key", key_file, "--out", tmp_path / "out.json")
    assert result.exit_code == 3 and "is a device, not a regular file" in result.stderr
