"""Key files in every supported format, their refusals, saving, and did:key resolution."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from mcred.errors import KeyFileError, OutputExistsError
from mcred.keys import multibase
from mcred.keys.did_key import ResolutionError, resolve_verification_method
from mcred.keys.ed25519 import (
    PublicKey,
    SigningKey,
    load_signing_key,
    save_signing_key,
)
from tests.conftest import TEST_SEED, VECTORS

VECTOR_DID = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_PAIR = json.loads((VECTORS / "keyPair.json").read_text(encoding="utf-8"))
VECTOR_SEED = multibase.decode(VECTOR_PAIR["privateKeyMultibase"])[2:]


def raw_public(seed: bytes) -> bytes:
    """The public key of a seed, derived by cryptography (not by mcred)."""
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def expected_did(seed: bytes) -> str:
    return "did:key:" + multibase.encode(b"\xed\x01" + raw_public(seed))


def assert_key_file_error(info, *fragments: str) -> None:
    assert info.type is KeyFileError
    assert info.value.code == "KEY_FILE_UNUSABLE"
    assert info.value.exit_code == 3
    for fragment in fragments:
        assert fragment in info.value.message, info.value.message


def test_expected_did_helper_is_independent_and_right():
    """The helper reproduces the W3C vector's published did from its seed."""
    assert expected_did(VECTOR_SEED) == VECTOR_DID


# --- (a) PEM, (b) encrypted PEM ------------------------------------------------


def test_pem_written_by_save_signing_key_loads(tmp_path, test_key):
    path = tmp_path / "k.pem"
    save_signing_key(test_key, path)
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    loaded = load_signing_key(path)
    assert loaded.did == test_key.did == expected_did(TEST_SEED)


def test_pem_written_by_cryptography_loads(tmp_path):
    """A PEM not written by mcred (independent writer) gives the same did."""
    pem = Ed25519PrivateKey.from_private_bytes(VECTOR_SEED).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = tmp_path / "k.pem"
    path.write_bytes(pem)
    assert load_signing_key(path).did == VECTOR_DID


@pytest.fixture
def encrypted_pem(tmp_path, test_key) -> Path:
    path = tmp_path / "enc.pem"
    save_signing_key(test_key, path, passphrase=b"correct horse")
    return path


def test_encrypted_pem_with_passphrase_loads(encrypted_pem, test_key):
    assert encrypted_pem.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert load_signing_key(encrypted_pem, b"correct horse").did == test_key.did


def test_encrypted_pem_without_passphrase_is_refused(encrypted_pem):
    with pytest.raises(KeyFileError) as info:
        load_signing_key(encrypted_pem)
    assert_key_file_error(info, "encrypted")
    assert "--passphrase-env" in info.value.hint
    assert info.value.file == str(encrypted_pem)


def test_encrypted_pem_with_wrong_passphrase_is_refused(encrypted_pem):
    with pytest.raises(KeyFileError) as info:
        load_signing_key(encrypted_pem, b"wrong horse")
    assert_key_file_error(info, "cannot decrypt", "wrong passphrase")


def test_passphrase_for_unencrypted_pem_is_refused(tmp_path, test_key):
    path = tmp_path / "plain.pem"
    save_signing_key(test_key, path)
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path, b"correct horse")
    assert_key_file_error(info, "passphrase was given", "not encrypted")


# --- (c) hex seed ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        VECTOR_SEED.hex(),
        "0x" + VECTOR_SEED.hex(),
        VECTOR_SEED.hex() + "\n",
        "0x" + VECTOR_SEED.hex().upper() + "\r\n",
        "  " + VECTOR_SEED.hex() + "\n\n",
    ],
    ids=["plain", "0x", "newline", "0x-upper-crlf", "spaces"],
)
def test_hex_seed_loads(tmp_path, text):
    path = tmp_path / "seed.hex"
    path.write_text(text, encoding="utf-8")
    assert load_signing_key(path).did == VECTOR_DID


@pytest.mark.parametrize(
    "text",
    [VECTOR_SEED.hex()[:-2], VECTOR_SEED.hex() + "00", "0x" + VECTOR_SEED.hex()[:-1] + "g"],
    ids=["31-bytes", "33-bytes", "non-hex-digit"],
)
def test_hex_seed_of_wrong_shape_is_refused(tmp_path, text):
    path = tmp_path / "seed.hex"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "not a key file mcred understands")


# --- (d) Multikey JSON -------------------------------------------------------------


def write_multikey(tmp_path: Path, **fields) -> Path:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(fields), encoding="utf-8")
    return path


def test_w3c_vector_key_pair_loads():
    key = load_signing_key(VECTORS / "keyPair.json")
    assert key.did == VECTOR_DID
    assert key.public_key.multibase == VECTOR_PAIR["publicKeyMultibase"]
    assert key.verification_method == f"{VECTOR_DID}#{VECTOR_PAIR['publicKeyMultibase']}"


def test_secret_key_multibase_32_byte_form(tmp_path):
    path = write_multikey(
        tmp_path,
        publicKeyMultibase=VECTOR_PAIR["publicKeyMultibase"],
        secretKeyMultibase=multibase.encode(b"\x80\x26" + VECTOR_SEED),
    )
    assert load_signing_key(path).did == VECTOR_DID


def test_secret_key_multibase_64_byte_form(tmp_path):
    secret = b"\x80\x26" + VECTOR_SEED + raw_public(VECTOR_SEED)
    path = write_multikey(
        tmp_path,
        publicKeyMultibase=VECTOR_PAIR["publicKeyMultibase"],
        secretKeyMultibase=multibase.encode(secret),
    )
    assert load_signing_key(path).did == VECTOR_DID


def test_secret_key_without_public_key_loads(tmp_path):
    path = write_multikey(tmp_path, secretKeyMultibase=multibase.encode(b"\x80\x26" + VECTOR_SEED))
    assert load_signing_key(path).did == VECTOR_DID


def test_mismatched_public_key_multibase_is_refused(tmp_path):
    other_public = multibase.encode(b"\xed\x01" + raw_public(TEST_SEED))
    path = write_multikey(
        tmp_path,
        publicKeyMultibase=other_public,
        privateKeyMultibase=VECTOR_PAIR["privateKeyMultibase"],
    )
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "publicKeyMultibase does not belong to the private key")


def test_64_byte_secret_with_wrong_public_half_is_refused(tmp_path):
    secret = b"\x80\x26" + VECTOR_SEED + raw_public(TEST_SEED)
    path = write_multikey(tmp_path, secretKeyMultibase=multibase.encode(secret))
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "secretKeyMultibase holds a public half that does not match")


@pytest.mark.parametrize(
    "secret, fragment",
    [
        (b"\xed\x01" + bytes(32), "is not an Ed25519 private key"),  # a public-key header
        (b"\x80\x26" + bytes(31), "is not an Ed25519 private key"),  # 31-byte seed
        (b"\x80\x26" + bytes(48), "is not an Ed25519 private key"),  # 48 bytes
    ],
    ids=["public-header", "short", "odd-length"],
)
def test_secret_of_wrong_codec_or_length_is_refused(tmp_path, secret, fragment):
    path = write_multikey(tmp_path, secretKeyMultibase=multibase.encode(secret))
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, fragment, "0x1300")


def test_secret_not_multibase_is_refused(tmp_path):
    path = write_multikey(tmp_path, secretKeyMultibase="u" + VECTOR_SEED.hex())
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "secretKeyMultibase is not base58btc multibase")


def assert_public_only(info) -> None:
    assert info.type is KeyFileError
    assert info.value.code == "KEY_FILE_PUBLIC_ONLY"
    assert info.value.exit_code == 3
    assert "this is a public key" in info.value.message
    assert "mcred keygen" in info.value.message


def test_public_key_only_json_is_refused_as_a_public_key(tmp_path):
    path = write_multikey(tmp_path, publicKeyMultibase=VECTOR_PAIR["publicKeyMultibase"])
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_public_only(info)


def test_public_key_pem_is_refused_as_a_public_key(tmp_path):
    pem = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    path = tmp_path / "issuer.pub.pem"
    path.write_bytes(pem)
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_public_only(info)


def test_did_key_text_is_refused_as_a_public_key(tmp_path):
    path = tmp_path / "issuer.did"
    path.write_text(VECTOR_DID + "\n", encoding="utf-8")
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_public_only(info)


def test_key_file_that_is_a_folder_is_refused_without_blocking(tmp_path):
    with pytest.raises(KeyFileError) as info:
        load_signing_key(tmp_path)
    assert info.value.code == "FILE_NOT_REGULAR"
    assert info.value.exit_code == 3


def test_key_file_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "key.pem"
    os.mkfifo(fifo)
    with pytest.raises(KeyFileError) as info:
        load_signing_key(fifo)
    assert info.value.code == "FILE_NOT_REGULAR"
    assert "named pipe" in info.value.message


def test_multikey_json_with_a_5000_digit_number_is_a_key_file_error(tmp_path):
    path = tmp_path / "key.json"
    path.write_text('{"type": "Multikey", "n": ' + "9" * 5000 + "}", encoding="utf-8")
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "not valid JSON")


# --- (e) other refusals ---------------------------------------------------------------


def test_non_ed25519_pem_is_refused_naming_the_key_type(tmp_path):
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = tmp_path / "p256.pem"
    path.write_bytes(pem)
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert info.value.code == "KEY_FILE_WRONG_TYPE" and info.value.exit_code == 3
    assert "the key is a P-256 key, not Ed25519" in info.value.message
    assert "mcred sign --suite ecdsa-rdfc-2019" in info.value.hint


def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(b"this is not a key \x00\xff\xfe at all\n")
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "not a key file mcred understands")
    assert "PKCS#8 PEM" in info.value.hint


def test_garbage_pem_is_refused(tmp_path):
    path = tmp_path / "broken.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "cannot decrypt or parse the PEM key")


def test_invalid_json_is_refused(tmp_path):
    path = tmp_path / "key.json"
    path.write_text('{"secretKeyMultibase": ', encoding="utf-8")
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "not valid JSON")


def test_missing_file_is_refused(tmp_path):
    path = tmp_path / "nope.pem"
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path)
    assert_key_file_error(info, "cannot read key file", "No such file")
    assert info.value.file == str(path)


def test_file_over_64_kib_is_refused(tmp_path):
    hex_seed = VECTOR_SEED.hex() + "\n"
    at_limit = tmp_path / "at-limit.hex"
    at_limit.write_text(hex_seed + " " * (64 * 1024 - len(hex_seed)), encoding="utf-8")
    assert at_limit.stat().st_size == 64 * 1024
    assert load_signing_key(at_limit).did == VECTOR_DID  # control: the limit itself is fine

    too_big = tmp_path / "too-big.hex"
    too_big.write_text(hex_seed + " " * (64 * 1024 - len(hex_seed) + 1), encoding="utf-8")
    with pytest.raises(KeyFileError) as info:
        load_signing_key(too_big)
    assert_key_file_error(info, "too large to be a key file")


# --- save_signing_key -------------------------------------------------------------


def test_saved_key_mode_is_0600_even_with_permissive_umask(tmp_path, test_key):
    path = tmp_path / "k.pem"
    old = os.umask(0)
    try:
        save_signing_key(test_key, path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save_refuses_to_overwrite_without_force(tmp_path, test_key, vector_key):
    path = tmp_path / "k.pem"
    save_signing_key(test_key, path)
    before = path.read_bytes()
    with pytest.raises(OutputExistsError) as info:
        save_signing_key(vector_key, path)
    assert info.value.code == "OUTPUT_EXISTS"
    assert "already exists" in info.value.message
    assert "--force" in info.value.hint
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.pem"]


def test_save_overwrites_with_force(tmp_path, test_key, vector_key):
    path = tmp_path / "k.pem"
    save_signing_key(test_key, path)
    save_signing_key(vector_key, path, force=True)
    assert load_signing_key(path).did == VECTOR_DID
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.pem"]


# --- no secret in repr/str -------------------------------------------------------------


def secrets_in(text: str, key: SigningKey, seed: bytes) -> list[str]:
    """Every form of the secret found in ``text``: seed hex, its multibase, PEM body lines."""
    pem_body = [
        line
        for line in key.to_pem().decode().splitlines()
        if line and not line.startswith("-----")
    ]
    forms = [seed.hex(), seed.hex().upper(), multibase.encode(b"\x80\x26" + seed), *pem_body]
    return [form for form in forms if form in text]


def test_secrets_in_detects_leaks(test_key):
    """Negative control for the repr test: the detector does find a leaked secret."""
    assert secrets_in(f"SigningKey({TEST_SEED.hex()})", test_key, TEST_SEED)
    assert secrets_in(test_key.to_pem().decode(), test_key, TEST_SEED)


def test_repr_and_str_hide_the_secret(test_key):
    for text in (repr(test_key), str(test_key), f"{test_key}", f"{test_key!r}"):
        assert secrets_in(text, test_key, TEST_SEED) == []
        assert "secret=<hidden>" in text
        assert test_key.public_key.multibase in text


# --- resolve_verification_method -------------------------------------------------------


def test_resolve_did_key_with_fragment():
    fingerprint = VECTOR_DID.removeprefix("did:key:")
    vm = resolve_verification_method(f"{VECTOR_DID}#{fingerprint}")
    assert vm.id == f"{VECTOR_DID}#{fingerprint}"
    assert vm.controller == VECTOR_DID
    assert vm.public_key.raw == raw_public(VECTOR_SEED)


def test_resolve_bare_did_key():
    fingerprint = VECTOR_DID.removeprefix("did:key:")
    vm = resolve_verification_method(VECTOR_DID)
    assert vm.id == f"{VECTOR_DID}#{fingerprint}"
    assert vm.controller == VECTOR_DID
    assert vm.public_key == PublicKey.from_raw(raw_public(VECTOR_SEED))


def test_a_resolved_did_key_is_remembered_but_a_failure_is_not():
    fingerprint = VECTOR_DID.removeprefix("did:key:")
    assert resolve_verification_method(VECTOR_DID) is resolve_verification_method(f"{VECTOR_DID}#{fingerprint}")
    broken = "did:key:z6MkBROKEN0"     # '0' is not base58btc
    for _ in range(2):
        with pytest.raises(ResolutionError, match="not a valid did:key"):
            resolve_verification_method(broken)


def test_resolve_refuses_a_fragment_that_is_not_the_key():
    other = expected_did(TEST_SEED).removeprefix("did:key:")
    with pytest.raises(ResolutionError) as info:
        resolve_verification_method(f"{VECTOR_DID}#{other}")
    assert "the fragment does not match the did:key" in str(info.value)
    with pytest.raises(ResolutionError, match="the fragment does not match"):
        resolve_verification_method(f"{VECTOR_DID}#key-1")


def test_resolve_refuses_did_web_naming_it():
    vm_id = "did:web:issuer.example#key-1"
    with pytest.raises(ResolutionError) as info:
        resolve_verification_method(vm_id)
    message = str(info.value)
    assert "cannot be resolved offline" in message
    assert "did:key only, not did:web" in message


def test_resolve_refuses_an_https_key_naming_the_scheme():
    with pytest.raises(ResolutionError) as info:
        resolve_verification_method("https://issuer.example/keys/1")
    assert "not https URLs" in str(info.value)


def test_a_device_is_refused_before_it_is_read(tmp_path):
    """/dev/zero reports size 0 and never ends: it is refused as a device, not read."""
    with pytest.raises(KeyFileError) as info:
        load_signing_key("/dev/zero")
    assert info.value.code == "FILE_NOT_REGULAR"
    assert "a device" in info.value.message


@pytest.mark.parametrize("vm_id", ["https://issuer.example/keys/1", "did:example:123", "", None])
def test_resolve_refuses_other_methods(vm_id):
    with pytest.raises(ResolutionError, match="cannot be resolved offline"):
        resolve_verification_method(vm_id)


def test_resolve_refuses_non_ed25519_multicodec():
    x25519 = X25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    did = "did:key:" + multibase.encode(b"\xec\x01" + x25519)  # multicodec x25519-pub
    assert did.startswith("did:key:z6LS")
    with pytest.raises(ResolutionError) as info:
        resolve_verification_method(did)
    assert f"{did!r} is not a did:key mcred resolves" in str(info.value)


def test_resolve_refuses_ed25519_header_with_wrong_length():
    did = "did:key:" + multibase.encode(b"\xed\x01" + raw_public(VECTOR_SEED) + b"\0")
    with pytest.raises(ResolutionError, match="is not a did:key mcred resolves"):
        resolve_verification_method(did)


def test_resolve_refuses_did_key_that_is_not_multibase():
    with pytest.raises(ResolutionError) as info:
        resolve_verification_method("did:key:z6Mk0OIl")
    assert "is not a valid did:key" in str(info.value)
    assert "character '0'" in str(info.value)


def test_sign_and_verify_round_trip_through_resolved_key(vector_key, test_key):
    data = b"canonical bytes to sign"
    signature = vector_key.sign(data)
    public = resolve_verification_method(vector_key.verification_method).public_key
    assert public.verify(signature, data) is True
    assert public.verify(signature, data + b"!") is False
    tampered = bytes([signature[0] ^ 1]) + signature[1:]
    assert public.verify(tampered, data) is False
    assert public.verify(test_key.sign(data), data) is False  # another key's signature


@pytest.mark.parametrize("value", ["Segreteria-2026!", "1PASS", "MY VAR", "", "pass=word"])
def test_a_passphrase_env_value_that_is_no_variable_name_is_refused_unrepeated(value, monkeypatch):
    from mcred.errors import UsageError
    from mcred.keys.ed25519 import passphrase_from_env

    monkeypatch.setenv("Segreteria", "never read")
    with pytest.raises(UsageError) as info:
        passphrase_from_env(value)
    assert (info.value.code, info.value.exit_code) == ("PASSPHRASE_ENV_NOT_A_NAME", 2)
    if value:
        assert value not in info.value.diagnostics()


def test_a_passphrase_env_variable_name_is_read(monkeypatch):
    from mcred.keys.ed25519 import passphrase_from_env

    monkeypatch.setenv("_MCRED_PASS_2026", "s3cret")
    assert passphrase_from_env("_MCRED_PASS_2026") == b"s3cret"
