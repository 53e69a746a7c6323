"""`mcred keygen` and `mcred key-info`: files, modes, exit codes, and no secret on screen."""

from __future__ import annotations

import json
import re
import stat

import pytest

from mcred.cli.app import app
from mcred.cli.common import ExitCode
from mcred.keys.ed25519 import load_signing_key

PASSPHRASE = "tr0ub4dor&3-passphrase"
DID_KEY = re.compile(r"did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}")


def printed_did(output: str) -> str:
    """The value of the `did:` line of keygen's or key-info's text output."""
    lines = [line for line in output.splitlines() if line.startswith("did:")]
    assert len(lines) == 1, output
    value = lines[0].split(None, 1)[1].strip()
    assert DID_KEY.fullmatch(value), value
    return value


def assert_no_passphrase(result) -> None:
    assert PASSPHRASE not in result.stdout
    assert PASSPHRASE not in result.stderr


def test_printed_did_rejects_output_without_a_did_line():
    """Negative control for the parser the tests below rely on."""
    with pytest.raises(AssertionError):
        printed_did("wrote k.pem\nverificationMethod: x\n")
    with pytest.raises(AssertionError):
        printed_did("did:                 did:key:z6LSnotanEd25519key\n")


def test_keygen_writes_a_0600_key_whose_did_key_info_repeats(runner, tmp_path):
    out = tmp_path / "k.pem"
    result = runner.invoke(app, ["keygen", "--out", str(out)])
    assert result.exit_code == ExitCode.OK, result.output
    did = printed_did(result.stdout)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    # the printed did is the key in the file, as the library reads it
    assert load_signing_key(out).did == did
    fingerprint = did.removeprefix("did:key:")
    assert f"verificationMethod:  {did}#{fingerprint}" in result.stdout

    info = runner.invoke(app, ["key-info", str(out)])
    assert info.exit_code == ExitCode.OK, info.output
    assert printed_did(info.stdout) == did
    # never the secret
    assert "PRIVATE KEY" not in result.stdout + result.stderr + info.stdout + info.stderr


def test_keygen_refuses_to_overwrite_without_force(runner, tmp_path):
    out = tmp_path / "k.pem"
    first = runner.invoke(app, ["keygen", "--out", str(out)])
    assert first.exit_code == ExitCode.OK, first.output
    before = out.read_bytes()

    second = runner.invoke(app, ["keygen", "--out", str(out)])
    assert second.exit_code == ExitCode.USAGE
    assert "already exists" in second.stderr
    assert "--force" in second.stderr
    assert second.stdout == ""
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.pem"]


def test_keygen_with_force_writes_a_new_key(runner, tmp_path):
    out = tmp_path / "k.pem"
    first = runner.invoke(app, ["keygen", "--out", str(out)])
    assert first.exit_code == ExitCode.OK, first.output
    before = out.read_bytes()

    again = runner.invoke(app, ["keygen", "--out", str(out), "--force"])
    assert again.exit_code == ExitCode.OK, again.output
    assert out.read_bytes() != before
    new_did = printed_did(again.stdout)
    assert new_did != printed_did(first.stdout)
    assert load_signing_key(out).did == new_did
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_keygen_with_passphrase_writes_an_encrypted_key(runner, tmp_path):
    out = tmp_path / "enc.pem"
    env = {"MCRED_TEST_PASS": PASSPHRASE}
    result = runner.invoke(app, ["keygen", "--out", str(out), "--passphrase-env",
                                 "MCRED_TEST_PASS"], env=env)
    assert result.exit_code == ExitCode.OK, result.output
    assert_no_passphrase(result)
    assert "encrypted" in result.stdout
    assert out.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    did = printed_did(result.stdout)

    without = runner.invoke(app, ["key-info", str(out)])
    assert without.exit_code == ExitCode.UNUSABLE
    assert "the key file is encrypted" in without.stderr
    assert "--passphrase-env" in without.stderr
    assert without.stdout == ""

    wrong = runner.invoke(app, ["key-info", str(out), "--passphrase-env", "MCRED_TEST_PASS"],
                          env={"MCRED_TEST_PASS": "not-" + PASSPHRASE})
    assert wrong.exit_code == ExitCode.UNUSABLE
    assert "cannot decrypt" in wrong.stderr

    with_it = runner.invoke(app, ["key-info", str(out), "--passphrase-env", "MCRED_TEST_PASS"],
                            env=env)
    assert with_it.exit_code == ExitCode.OK, with_it.output
    assert printed_did(with_it.stdout) == did
    for run in (without, wrong, with_it):
        assert_no_passphrase(run)


def test_keygen_with_unset_passphrase_variable_names_it(runner, tmp_path):
    out = tmp_path / "k.pem"
    result = runner.invoke(app, ["keygen", "--out", str(out), "--passphrase-env",
                                 "MCRED_UNSET_VARIABLE_X"], env={"MCRED_UNSET_VARIABLE_X": None})
    assert result.exit_code == ExitCode.UNUSABLE
    assert "environment variable MCRED_UNSET_VARIABLE_X is not set" in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_keygen_with_empty_passphrase_variable_is_refused(runner, tmp_path):
    out = tmp_path / "k.pem"
    result = runner.invoke(app, ["keygen", "--out", str(out), "--passphrase-env", "MCRED_EMPTY"],
                           env={"MCRED_EMPTY": ""})
    assert result.exit_code == ExitCode.UNUSABLE
    assert "environment variable MCRED_EMPTY is empty" in result.stderr
    assert not out.exists()


def test_keygen_json_format(runner, tmp_path):
    out = tmp_path / "k.pem"
    result = runner.invoke(app, ["keygen", "--out", str(out), "--format", "json"])
    assert result.exit_code == ExitCode.OK, result.output
    info = json.loads(result.stdout)
    key = load_signing_key(out)
    assert info == {
        "file": str(out),
        "type": "Ed25519",
        "encrypted": False,
        "did": key.did,
        "verificationMethod": key.verification_method,
        "publicKeyMultibase": key.public_key.multibase,
    }
    assert info["verificationMethod"] == f"{key.did}#{key.did.removeprefix('did:key:')}"

    key_info = runner.invoke(app, ["key-info", str(out), "--format", "json"])
    assert key_info.exit_code == ExitCode.OK, key_info.output
    assert json.loads(key_info.stdout)["did"] == info["did"]


def test_keygen_json_format_encrypted(runner, tmp_path):
    out = tmp_path / "k.pem"
    result = runner.invoke(app, ["keygen", "--out", str(out), "--format", "json",
                                 "--passphrase-env", "MCRED_TEST_PASS"],
                           env={"MCRED_TEST_PASS": PASSPHRASE})
    assert result.exit_code == ExitCode.OK, result.output
    assert json.loads(result.stdout)["encrypted"] is True
    assert_no_passphrase(result)


def test_keygen_into_a_missing_folder_is_a_usage_error(runner, tmp_path):
    out = tmp_path / "missing" / "k.pem"
    result = runner.invoke(app, ["keygen", "--out", str(out)])
    assert result.exit_code == ExitCode.USAGE
    assert "the output folder does not exist" in result.stderr
    assert not out.parent.exists()


def test_key_info_on_a_missing_file_is_unusable(runner, tmp_path):
    result = runner.invoke(app, ["key-info", str(tmp_path / "nope.pem")])
    assert result.exit_code == ExitCode.UNUSABLE
    assert "cannot read key file" in result.stderr
