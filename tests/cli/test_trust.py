"""`mcred trust add / list / remove`: files, exit codes, messages; never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest
import typer

from mcred.cli.trust import trust_app
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import add_proof
from mcred.verify import trust as t
from tests.conftest import ASSETS, TEST_SEED, write_json

KEY_A = SigningKey.from_seed(TEST_SEED)
KEY_B = SigningKey.from_seed(bytes(32))
KEY_C = SigningKey.from_seed(bytes([7] * 32))
ITS = ["--name-it", "Fondazione ITS", "--name-en", "ITS Academy", "--country", "ITA"]


@pytest.fixture
def mcred():
    """`mcred` with its `trust` group: the real app once cli.py registers it, else the same wiring."""
    from mcred.cli.app import app

    if not any(group.typer_instance is trust_app for group in app.registered_groups):
        app = typer.Typer()
        app.add_typer(trust_app)
    return app


@pytest.fixture
def run(runner, mcred):
    def invoke(*args: str):
        result = runner.invoke(mcred, ["trust", *map(str, args)])
        assert result.exit_code != 4 and "Traceback" not in result.output, result.output
        return result

    return invoke


@pytest.fixture
def rotated(tmp_path):
    path = tmp_path / "trust.yaml"
    shutil.copy(ASSETS / "trust" / "its-rotated.yaml", path)
    return path


def test_add_creates_the_file_and_list_shows_the_issuer(run, tmp_path):
    path = tmp_path / "trust.yaml"
    result = run("add", "--file", path, "--issuer", KEY_A.did, *ITS, "--accreditation", "Regione n. 1")
    assert result.exit_code == 0, result.output
    assert f"added the issuer {KEY_A.did} (ITS Academy, ITA)" in result.stderr
    (issuer,) = t.load_trust_list(path).issuers
    assert (issuer.id, issuer.country, issuer.accreditation, issuer.keys) == (
        KEY_A.did, "ITA", "Regione n. 1", ())
    assert dict(issuer.legal_name) == {"it": "Fondazione ITS", "en": "ITS Academy"}

    listed = run("list", "--file", path)
    assert listed.exit_code == 0, listed.output
    assert "1 trusted issuer" in listed.stdout
    assert "Fondazione ITS (it), ITS Academy (en)" in listed.stdout
    assert f"{KEY_A.verification_method}  (at any time)  (its own did:key, not listed)" in listed.stdout


def test_list_as_json_is_itself_a_trust_file(run, rotated, tmp_path):
    result = run("list", "--file", rotated, "--format", "json")
    assert result.exit_code == 0, result.output
    copy = write_json(tmp_path / "copy.json", json.loads(result.stdout))
    assert t.load_trust_list(copy) == t.load_trust_list(rotated)


def test_list_shows_each_keys_interval(run, rotated):
    result = run("list", "--file", rotated)
    assert result.exit_code == 0, result.output
    assert "2 trusted issuers" in result.stdout
    assert f"{KEY_A.verification_method}  (valid 2025-01-01T00:00:00Z to 2026-06-30T23:59:59Z)" \
        in result.stdout
    assert f"{KEY_B.verification_method}  (valid 2026-07-01T00:00:00Z to …)" in result.stdout


def test_adding_a_key_to_a_listed_issuer_appends_it(run, tmp_path):
    path = tmp_path / "trust.yaml"
    assert run("add", "--file", path, "--issuer", KEY_A.did, *ITS).exit_code == 0
    result = run("add", "--file", path, "--issuer", KEY_A.did, "--key", KEY_B.verification_method,
                 "--valid-from", "2026-07-01T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert "(valid 2026-07-01T00:00:00Z to …)" in result.stderr
    assert "its own key is now listed too, still valid at any time" in result.stderr
    keys = t.load_trust_list(path).get(KEY_A.did).keys
    assert [(k.verification_method, k.valid_from) for k in keys] == [
        (KEY_A.verification_method, None), (KEY_B.verification_method, "2026-07-01T00:00:00Z")]


def test_a_did_key_issuer_with_only_dates_gets_its_own_key_with_that_interval(run, tmp_path):
    path = tmp_path / "trust.yaml"
    result = run("add", "--file", path, "--issuer", KEY_A.did, *ITS, "--valid-until",
                 "2026-06-30T23:59:59Z")
    assert result.exit_code == 0, result.output
    assert t.load_trust_list(path).get(KEY_A.did).keys == (
        t.TrustedKey(KEY_A.verification_method, valid_until="2026-06-30T23:59:59Z"),)


@pytest.mark.parametrize(("extra", "fragment"), [
    ([], "is already listed"),
    (["--key", KEY_A.did], "is already a key of"),
])
def test_duplicates_are_refused_and_the_file_is_kept(run, rotated, extra, fragment):
    before = rotated.read_bytes()
    result = run("add", "--file", rotated, "--issuer", KEY_A.did, *extra)
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert rotated.read_bytes() == before


def test_a_did_key_that_is_another_issuers_key_cannot_be_added_as_an_issuer(run, rotated):
    result = run("add", "--file", rotated, "--issuer", KEY_B.did, "--name-en", "B", "--country", "ITA")
    assert result.exit_code == 2, result.output
    assert f"{KEY_B.did} is listed as a key of the issuer {KEY_A.did}" in result.stderr
    assert f"give --issuer {KEY_A.did}" in result.stderr


def test_other_details_for_a_listed_issuer_are_refused(run, rotated):
    result = run("add", "--file", rotated, "--issuer", KEY_A.did, "--country", "FRA",
                 "--key", KEY_C.did)
    assert result.exit_code == 2, result.output
    assert "already listed with another country" in result.stderr
    assert "remove it and add it again" in result.stderr


@pytest.mark.parametrize(("args", "fragment"), [
    (["--issuer", KEY_A.did], "is a new issuer: give its name"),
    (["--issuer", KEY_A.did, "--name-en", "ITS"], "and --country"),
    (["--issuer", "urn:mcred:test:its", *ITS], "--key: urn:mcred:test:its is not a did:key, so its keys"),
    (["--issuer", "urn:mcred:test:its", *ITS, "--valid-from", "2026-01-01T00:00:00Z"],
     "--valid-from and --valid-until need --key"),
    (["--issuer", "ITS Academy", *ITS], "--issuer: 'ITS Academy' is neither a DID nor an absolute URI"),
    (["--issuer", KEY_A.did, *ITS, "--key", "did:web:its.example#key-1"],
     "--key: verification method 'did:web:its.example#key-1' cannot be resolved offline"),
    (["--issuer", KEY_A.did, *ITS, "--valid-until", "2026-06-31"], "--valid-until: '2026-06-31' is not a "
     "date-time with a time zone"),
    (["--issuer", KEY_A.did, *ITS, "--country", "Italia"], "--country: 'Italia' is not an ISO 3166-1"),
    (["--issuer", KEY_A.did, *ITS, "--name", "Deutsch"], "expected LANG=TEXT"),
    (["--issuer", KEY_A.did, *ITS, "--name", "Deutsch=Stiftung"], "--name: 'Deutsch' is not a language"),
    ([*ITS], "give --issuer, --from-key or --from-credential"),
])
def test_bad_options_are_usage_errors_and_write_nothing(run, tmp_path, args, fragment):
    path = tmp_path / "trust.yaml"
    result = run("add", "--file", path, *args)
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert not path.exists()


def test_from_key_takes_the_did_and_key(run, tmp_path):
    key_file = tmp_path / "k.pem"
    key_file.write_bytes(KEY_A.to_pem())
    path = tmp_path / "trust.yaml"
    result = run("add", "--file", path, "--from-key", key_file, *ITS)
    assert result.exit_code == 0, result.output
    assert t.load_trust_list(path).get(KEY_A.did).keys == (t.TrustedKey(KEY_A.verification_method),)
    # and binds a key to an issuer that is not a did:key
    result = run("add", "--file", path, "--from-key", key_file, "--issuer", "urn:mcred:test:its", *ITS)
    assert result.exit_code == 2  # one key cannot speak for two issuers
    assert f"{KEY_A.did} already belongs to the issuer {KEY_A.did}" in result.stderr


def test_from_key_binds_a_urn_issuer_to_the_key(run, tmp_path):
    key_file = tmp_path / "c.pem"
    key_file.write_bytes(KEY_C.to_pem())
    path = tmp_path / "trust.yaml"
    result = run("add", "--file", path, "--from-key", key_file, "--issuer", "urn:mcred:test:uni", *ITS)
    assert result.exit_code == 0, result.output
    assert t.bound_by_trust("urn:mcred:test:uni", KEY_C.verification_method, t.load_trust_list(path))


def test_from_key_with_a_bad_key_file_is_unusable_input(run, tmp_path):
    bad = tmp_path / "k.pem"
    bad.write_text("not a key", encoding="utf-8")
    result = run("add", "--file", tmp_path / "trust.yaml", "--from-key", bad, *ITS)
    assert result.exit_code == 3, result.output
    assert "not a key file mcred understands" in result.stderr


def test_from_credential_takes_the_issuer_and_key_of_a_verified_credential(run, tmp_path, alumni):
    cred = write_json(tmp_path / "cred.json", add_proof(alumni, KEY_A, created="2026-03-01T10:00:00Z"))
    path = tmp_path / "trust.yaml"
    result = run("add", "--file", path, "--from-credential", cred, *ITS)
    assert result.exit_code == 0, result.output
    issuer = t.load_trust_list(path).get(KEY_A.did)
    assert issuer.keys == (t.TrustedKey(KEY_A.verification_method),)
    assert issuer.name("en") == "ITS Academy"  # the name given, never the credential's


def test_from_credential_refuses_a_tampered_credential(run, tmp_path, alumni):
    signed = add_proof(alumni, KEY_A, created="2026-03-01T10:00:00Z")
    signed["name"] = "Tampered"
    cred = write_json(tmp_path / "cred.json", signed)
    path = tmp_path / "trust.yaml"
    result = run("add", "--file", path, "--from-credential", cred, *ITS)
    assert result.exit_code == 3, result.output
    assert "a proof does not verify" in result.stderr and "its key is not taken" in result.stderr
    assert not path.exists()


def test_from_credential_with_another_issuer_is_refused(run, tmp_path, alumni):
    cred = write_json(tmp_path / "cred.json", add_proof(alumni, KEY_A, created="2026-03-01T10:00:00Z"))
    result = run("add", "--file", tmp_path / "trust.yaml", "--from-credential", cred,
                 "--issuer", "urn:mcred:test:its", *ITS)
    assert result.exit_code == 2, result.output
    assert "is not the credential's issuer" in result.stderr


def test_remove_an_issuer_and_a_key(run, rotated):
    result = run("remove", "--file", rotated, "--issuer", KEY_A.did, "--key", KEY_A.did)
    assert result.exit_code == 0, result.output
    assert f"removed the key {KEY_A.verification_method} of {KEY_A.did}" in result.stderr
    assert [k.verification_method for k in t.load_trust_list(rotated).get(KEY_A.did).keys] == [
        KEY_B.verification_method]
    result = run("remove", "--file", rotated, "--issuer", "urn:mcred:test:universita-di-esempio")
    assert result.exit_code == 0, result.output
    assert [i.id for i in t.load_trust_list(rotated).issuers] == [KEY_A.did]


@pytest.mark.parametrize(("args", "fragment"), [
    (["--issuer", "urn:nobody"], "the issuer urn:nobody is not listed"),
    (["--issuer", KEY_A.did, "--key", KEY_C.did], "is not a listed key of"),
    (["--issuer", "urn:mcred:test:universita-di-esempio", "--key", KEY_C.did], "is the last key listed"),
    (["--issuer", KEY_A.did, "--key", "did:web:x#1"], "--key: verification method 'did:web:x#1'"),
])
def test_remove_refusals_are_usage_errors_and_keep_the_file(run, rotated, args, fragment):
    before = rotated.read_bytes()
    result = run("remove", "--file", rotated, *args)
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert rotated.read_bytes() == before


@pytest.mark.parametrize("command", [["list"], ["remove", "--issuer", "urn:x"],
                                     ["add", "--issuer", KEY_A.did, *ITS]])
def test_an_invalid_trust_file_is_unusable_input_and_is_not_rewritten(run, tmp_path, command):
    path = tmp_path / "trust.yaml"
    shutil.copy(ASSETS / "trust" / "invalid" / "empty-valid-until.yaml", path)
    before = path.read_bytes()
    result = run(command[0], "--file", path, *command[1:])
    assert result.exit_code == 3, result.output
    assert "$.issuers[0].keys[0].valid_until: is empty" in result.stderr
    assert path.read_bytes() == before


def test_a_missing_trust_file_is_unusable_for_list(run, tmp_path):
    result = run("list", "--file", tmp_path / "none.yaml")
    assert result.exit_code == 3, result.output
    assert "cannot read the trust file" in result.stderr


def test_a_json_trust_file_is_written_as_json(run, tmp_path):
    path = tmp_path / "trust.json"
    assert run("add", "--file", path, "--issuer", KEY_A.did, *ITS).exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8"))["issuers"][0]["id"] == KEY_A.did


def test_trust_without_a_command_shows_help(run):
    result = run()
    assert "add" in result.output and "list" in result.output and "remove" in result.output
