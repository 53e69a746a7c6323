"""EC signing keys (keys/ecdsa): the formats read, what is refused and why, and signatures of the right form."""

from __future__ import annotations

import json
import os
import stat

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from mcred.errors import KeyFileError, OutputExistsError
from mcred.keys import multibase
from mcred.keys.ecdsa import (
    EcSigningKey,
    generate,
    load_any_signing_key,
    save_any_signing_key,
    signing_key_type,
)
from mcred.keys.ed25519 import SigningKey, load_signing_key
from tests.conftest import TESTS

ECDSA = TESTS / "vectors" / "w3c-vc-di-ecdsa" / "TestVectors"


@pytest.mark.parametrize(("curve", "size", "hash_class"), [("P-256", 32, hashes.SHA256), ("P-384", 48, hashes.SHA384)])
def test_a_signature_is_r_and_s_over_the_curves_hash(curve, size, hash_class):
    key = EcSigningKey.generate(curve)
    signature = key.sign(b"data")
    assert len(signature) == 2 * size
    der = encode_dss_signature(int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big"))
    key.public_key.key.verify(der, b"data", ec.ECDSA(hash_class()))  # raises if not
    assert key.public_key.verify(signature, b"data")
    assert not key.public_key.verify(signature, b"other data")


@pytest.mark.parametrize("key_type", ["ed25519", "p256", "p384"])
def test_pem_round_trip_with_and_without_passphrase(tmp_path, key_type):
    key = generate(key_type)
    for passphrase in (None, b"secret"):
        path = tmp_path / f"{key_type}-{bool(passphrase)}.pem"
        save_any_signing_key(key, path, passphrase=passphrase)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        again = load_any_signing_key(path, passphrase)
        assert again.did == key.did and signing_key_type(again) == signing_key_type(key)
    with pytest.raises(OutputExistsError):
        save_any_signing_key(key, path)


def test_an_encrypted_ec_key_without_its_passphrase_is_named(tmp_path):
    path = tmp_path / "k.pem"
    save_any_signing_key(EcSigningKey.generate("P-256"), path, passphrase=b"secret")
    with pytest.raises(KeyFileError, match="encrypted"):
        load_any_signing_key(path)
    with pytest.raises(KeyFileError, match="cannot decrypt"):
        load_any_signing_key(path, b"wrong")


def test_the_vectors_multikey_key_pairs():
    for name, curve in (("p256KeyPair.json", "P-256"), ("p384KeyPair.json", "P-384")):
        key = load_any_signing_key(ECDSA / name)
        assert key.curve == curve
        assert key.public_key.multibase == json.loads((ECDSA / name).read_text())["publicKeyMultibase"]


def test_a_multikey_whose_public_key_is_another_is_refused(tmp_path):
    pair = json.loads((ECDSA / "p256KeyPair.json").read_text())
    pair["publicKeyMultibase"] = EcSigningKey.generate("P-256").public_key.multibase
    path = tmp_path / "k.json"
    path.write_text(json.dumps(pair))
    with pytest.raises(KeyFileError, match="does not belong to the private key"):
        load_any_signing_key(path)


def test_a_multikey_secret_of_the_wrong_length_is_refused(tmp_path):
    secret = multibase.decode(json.loads((ECDSA / "p256KeyPair.json").read_text())["secretKeyMultibase"])
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"secretKeyMultibase": multibase.encode(secret[:-1])}))
    with pytest.raises(KeyFileError, match="a P-256 private key is 32 bytes"):
        load_any_signing_key(path)


def test_an_ec_multikey_given_where_ed25519_is_needed_is_named(tmp_path):
    with pytest.raises(KeyFileError) as info:
        load_signing_key(ECDSA / "p384KeyPair.json")
    assert info.value.code == "KEY_FILE_WRONG_TYPE"
    assert "the key is a P-384 key, not Ed25519" in info.value.message


def test_a_curve_mcred_does_not_sign_with_is_refused(tmp_path):
    path = tmp_path / "p521.pem"
    path.write_bytes(ec.generate_private_key(ec.SECP521R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with pytest.raises(KeyFileError, match="secp521r1 is not one mcred signs with"):
        load_any_signing_key(path)


def test_ed25519_files_still_load_through_the_any_reader(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(bytes(range(32)).hex())
    assert isinstance(load_any_signing_key(path), SigningKey)
    path.write_text(EcSigningKey.generate("P-256").public_key.did)
    with pytest.raises(KeyFileError) as info:
        load_any_signing_key(path)
    assert info.value.code == "KEY_FILE_PUBLIC_ONLY"


def test_repr_hides_the_secret():
    key = EcSigningKey.generate("P-256")
    assert "secret=<hidden>" in repr(key) and str(key) == repr(key)
