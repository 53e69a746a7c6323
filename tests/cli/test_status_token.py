"""`mcred status` with --format token-status-list: init, revoke, suspend, reinstate by index; exit codes."""

from __future__ import annotations

import json

import pytest

from mcred.cli.status import status_app
from mcred.issue.token_status_lists import allocate_token_indexes
from mcred.keys.ecdsa import EcSigningKey, load_any_signing_key, save_any_signing_key
from mcred.keys.jose import read_compact_unverified
from mcred.verify.token_status import read_status
from tests.pki import ec_key, make_ca, make_seal_cert, write_chain

URI = "https://its.example/status/tsl/1"


def status(runner, *args):
    return runner.invoke(status_app, [str(a) for a in args])


@pytest.fixture
def p256_file(tmp_path):
    path = tmp_path / "issuer-p256.pem"
    save_any_signing_key(EcSigningKey.generate("P-256"), path)
    return path


@pytest.fixture
def token_list(runner, tmp_path, p256_file):
    path = tmp_path / "list.jwt"
    result = status(runner, "init", path, "--format", "token-status-list", "--key", p256_file, "--uri", URI,
                    "--size", 1024, "--bits", 2, "--ttl", 3600)
    assert result.exit_code == 0, result.output
    assert "Token Status List" in result.output and "list.jwt.alloc" in result.output
    return path


def _statuses(path, key_file, *indexes):
    key = load_any_signing_key(key_file)
    return [read_status(path.read_text(), i, expected_uri=URI, issuer_keys=[key.public_key], allow_stale=True)
            for i in indexes]


def test_init_writes_a_status_list_jwt(token_list):
    header, payload = read_compact_unverified(token_list.read_text().strip())
    assert header["typ"] == "statuslist+jwt" and header["alg"] == "ES256"
    claims = json.loads(payload)
    assert (claims["sub"], claims["ttl"], claims["status_list"]["bits"]) == (URI, 3600, 2)


def test_revoke_suspend_reinstate_by_index_and_range(runner, token_list, p256_file):
    key = load_any_signing_key(p256_file)
    a, b, c = (x.index for x in allocate_token_indexes(token_list, 3, key))
    result = status(runner, "revoke", token_list, a, "--key", p256_file)
    assert result.exit_code == 0, result.output
    assert f"revoked {a}" in result.output and "publish the new list" in result.output
    assert status(runner, "suspend", token_list, b, c, "--key", p256_file).exit_code == 0
    assert _statuses(token_list, p256_file, a, b, c) == [1, 2, 2]
    result = status(runner, "reinstate", token_list, c, "--key", p256_file)
    assert result.exit_code == 0 and f"reinstated {c}" in result.output
    assert _statuses(token_list, p256_file, a, b, c) == [1, 2, 0]
    again = status(runner, "revoke", token_list, a, "--key", p256_file)
    assert again.exit_code == 0 and "already revoked" in again.output and "unchanged" in again.output


def test_revocation_is_final_exit_2(runner, token_list, p256_file):
    (a,) = (x.index for x in allocate_token_indexes(token_list, 1, load_any_signing_key(p256_file)))
    status(runner, "revoke", token_list, a, "--key", p256_file)
    result = status(runner, "reinstate", token_list, a, "--key", p256_file)
    assert result.exit_code == 2 and "revocation is final" in result.output


def test_a_file_that_is_no_sd_jwt_is_refused_and_an_unknown_id_needs_the_manifest(runner, token_list, p256_file,
                                                                                  tmp_path):
    (tmp_path / "cred.sd-jwt").write_text("x")
    result = status(runner, "revoke", token_list, tmp_path / "cred.sd-jwt", "--key", p256_file)
    assert result.exit_code == 3 and "not an SD-JWT VC signed by this list's key" in result.output, result.output
    result = status(runner, "revoke", token_list, "urn:uuid:1", "--key", p256_file)
    assert result.exit_code == 2 and "--manifest" in result.output
    result = status(runner, "revoke", token_list, "--learner", "RSSGLI00D52L219I", "--key", p256_file)
    assert result.exit_code == 2 and "--manifest" in result.output


def test_by_learner_row_and_id_through_the_manifest(runner, token_list, p256_file, tmp_path):
    from mcred.issue.manifest import read_manifest

    key = load_any_signing_key(p256_file)
    a, b = (x.index for x in allocate_token_indexes(token_list, 2, key))
    manifest = _manifest(tmp_path, [(2, "RSSGLI00D52L219I", "urn:uuid:a", a), (3, "VRDLCU01A01H501X", "urn:uuid:b", b)])
    read_manifest(manifest)  # what the command reads
    result = status(runner, "revoke", token_list, "--learner", "rssgli00d52l219i", "--manifest", manifest,
                    "--key", p256_file)
    assert result.exit_code == 0, result.output
    assert "row 2" in result.output
    result = status(runner, "suspend", token_list, "urn:uuid:b", "--manifest", manifest, "--key", p256_file)
    assert result.exit_code == 0, result.output
    assert _statuses(token_list, p256_file, a, b) == [1, 2]
    result = status(runner, "reinstate", token_list, "--row", 3, "--manifest", manifest, "--key", p256_file)
    assert result.exit_code == 0, result.output
    assert _statuses(token_list, p256_file, a, b) == [1, 0]


def test_another_key_cannot_change_the_list_exit_3(runner, token_list, tmp_path, p256_file):
    (a,) = (x.index for x in allocate_token_indexes(token_list, 1, load_any_signing_key(p256_file)))
    other = tmp_path / "other.pem"
    save_any_signing_key(EcSigningKey.generate("P-256"), other)
    result = status(runner, "revoke", token_list, a, "--key", other)
    assert result.exit_code == 3 and "did not sign the status list" in result.output


def test_init_with_a_certificate_chain_writes_x5c(runner, tmp_path):
    ca = make_ca(key=ec_key())
    leaf = make_seal_cert(ca, key=ec_key())
    write_chain(tmp_path / "chain.pem", leaf, ca)
    key_file = tmp_path / "leaf.pem"
    save_any_signing_key(EcSigningKey(leaf.key), key_file)
    path = tmp_path / "x5c.jwt"
    result = status(runner, "init", path, "--format", "token-status-list", "--key", key_file, "--uri", URI,
                    "--size", 1024, "--cert", tmp_path / "chain.pem")
    assert result.exit_code == 0, result.output
    assert len(read_compact_unverified(path.read_text().strip())[0]["x5c"]) == 2


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--bits", 3], 2, "1, 2, 4 or 8"),
    (["--size", 1000], 2, "--size 1000"),
    (["--purpose", "suspension"], 2, "--purpose is for Bitstring lists"),
])
def test_init_refuses_bad_arguments(runner, tmp_path, p256_file, args, code, message):
    result = status(runner, "init", tmp_path / "l.jwt", "--format", "token-status-list", "--key", p256_file,
                    "--uri", URI, *args)
    assert result.exit_code == code and message in result.output


def test_init_with_an_ed25519_key_exits_3(runner, tmp_path, test_key):
    from mcred.keys.ed25519 import save_signing_key

    save_signing_key(test_key, tmp_path / "ed.pem")
    result = status(runner, "init", tmp_path / "l.jwt", "--format", "token-status-list", "--key",
                    tmp_path / "ed.pem", "--uri", URI, "--size", 1024)
    assert result.exit_code == 3 and "P-256" in result.output


def test_token_options_are_refused_for_a_bitstring_list(runner, tmp_path, p256_file):
    result = status(runner, "init", tmp_path / "l.json", "--key", p256_file, "--id", URI, "--bits", 2)
    assert result.exit_code == 2 and "token-status-list" in result.output


def _manifest(folder, rows):
    """A manifest as `mcred issue --out-dir` writes it, with each row's status in the Token Status List."""
    records = [{"row": row, "status": "issued", "file": f"c{row}.sd-jwt", "credential_id": cid, "status_list": URI,
                "status_index": index, "learner": {"codice_fiscale": cf, "family_name": "Rossi", "given_name": "G"}}
               for row, cf, cid, index in rows]
    path = folder / "manifest.json"
    path.write_text(json.dumps({"format": "mcred-manifest/2", "rows": records}), encoding="utf-8")
    return path


def test_show_a_token_status_list(runner, token_list, p256_file, tmp_path):
    key = load_any_signing_key(p256_file)
    a, b = (x.index for x in allocate_token_indexes(token_list, 2, key))
    status(runner, "revoke", token_list, a, "--key", p256_file)
    status(runner, "suspend", token_list, b, "--key", p256_file)
    result = status(runner, "show", token_list, "--key", p256_file, "--index", b, "--list")
    assert result.exit_code == 0, result.output
    assert "verified" in result.output and "bits         2" in result.output and "ttl          3600 s" in result.output
    assert f"index {b}" in result.output and f"  {a} revoked" in result.output and f"  {b} suspended" in result.output
    info = json.loads(status(runner, "show", token_list, "--key", p256_file, "--format", "json").output)
    assert (info["kind"], info["id"], info["bits"], info["set_count"], info["allocated"]) == (
        "TokenStatusList", URI, 2, 2, 2)
    assert info["statuses"] == {str(a): 1, str(b): 2}


def test_show_without_a_key_or_x5c_is_not_verified_exit_1(runner, token_list):
    result = status(runner, "show", token_list)
    assert result.exit_code == 1 and "give --key" in result.output


def test_show_with_another_key_or_a_tampered_list_exit_1(runner, token_list, tmp_path):
    other = tmp_path / "other.pem"
    save_any_signing_key(EcSigningKey.generate("P-256"), other)
    result = status(runner, "show", token_list, "--key", other)
    assert result.exit_code == 1 and "NOT VALID" in result.output


def test_show_verifies_with_the_lists_own_x5c_leaf(runner, tmp_path):
    ca = make_ca(key=ec_key())
    leaf = make_seal_cert(ca, key=ec_key())
    write_chain(tmp_path / "chain.pem", leaf, ca)
    key_file = tmp_path / "leaf.pem"
    save_any_signing_key(EcSigningKey(leaf.key), key_file)
    path = tmp_path / "x5c.jwt"
    status(runner, "init", path, "--format", "token-status-list", "--key", key_file, "--uri", URI, "--size", 1024,
           "--cert", tmp_path / "chain.pem")
    result = status(runner, "show", path)
    assert result.exit_code == 0, result.output
    assert "mcred TEST SEAL" in result.output
