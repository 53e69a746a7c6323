"""base58btc multibase: round trips, strict decoding, and an independent check
against the W3C vc-di-eddsa key pair (its public key is derived from its seed by
``cryptography``, not by mcred)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import example, given
from hypothesis import strategies as st

from mcred.keys import multibase
from mcred.keys.multibase import MultibaseError
from tests.conftest import VECTORS

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


# --- round trips -------------------------------------------------------------


def test_an_empty_payload_is_refused():
    assert multibase.encode(b"") == "z"
    with pytest.raises(multibase.MultibaseError, match="nothing follows"):
        multibase.decode("z")


@given(st.binary(min_size=1, max_size=200))
@example(b"\0")
@example(b"\0\0\0")
@example(b"\0\0\x01")
@example(b"\0\xff" * 8)
def test_round_trip(data):
    text = multibase.encode(data)
    assert text.startswith("z")
    assert set(text[1:]) <= set(ALPHABET)
    assert multibase.decode(text) == data


@pytest.mark.parametrize("zeros", [0, 1, 2, 5, 32])
def test_leading_zero_bytes_survive_as_ones(zeros):
    data = b"\0" * zeros + b"\x2a\x00\x07"
    text = multibase.encode(data)
    # each leading zero byte is one leading '1'; the rest has none
    assert text[1:].startswith("1" * zeros)
    assert not text[1 + zeros :].startswith("1")
    assert multibase.decode(text) == data
    # dropping a '1' drops exactly one zero byte: the count is really kept
    if zeros:
        assert multibase.decode("z" + text[2:]) == data[1:]


def test_known_answers_from_the_base58_draft():
    """Values published in draft-msporny-base58 (IETF), section 5: independent of mcred."""
    assert multibase.b58encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    assert multibase.b58encode(bytes.fromhex("0000287fb4cd")) == "11233QC4"
    assert multibase.b58decode("2NEpo7TZRRrLZSi2U") == b"Hello World!"
    assert multibase.b58decode("11233QC4") == bytes.fromhex("0000287fb4cd")


# --- strict decoding -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, prefix",
    [
        ("f68656c6c6f", "f"),  # base16
        ("uaGVsbG8", "u"),  # base64url
        ("Z2NEpo7TZRRrLZSi2U", "Z"),  # upper-case Z is not base58btc
        ("m", "m"),
        ("12NEpo7TZRRrLZSi2U", "1"),  # plain base58 with no multibase prefix
    ],
)
def test_decode_refuses_a_prefix_other_than_z(text, prefix):
    with pytest.raises(MultibaseError, match=r"multibase prefix") as info:
        multibase.decode(text)
    assert f"{prefix!r} is not 'z'" in str(info.value)


def test_decode_accepts_z_prefix_control():
    """Control for the test above: the same payload with 'z' decodes."""
    assert multibase.decode("z2NEpo7TZRRrLZSi2U") == b"Hello World!"


@pytest.mark.parametrize("bad", ["0", "O", "I", "l", "+", "/", "=", " ", "é"])
def test_decode_refuses_characters_outside_the_alphabet(bad):
    body = "2NEpo7" + bad + "TZRR"
    with pytest.raises(MultibaseError) as info:
        multibase.decode("z" + body)
    message = str(info.value)
    assert f"character {bad!r}" in message
    assert f"at position {body.index(bad)}" in message
    assert "is not base58btc" in message


@pytest.mark.parametrize("empty", ["", None, b"z2NEpo7"])
def test_decode_refuses_empty_or_non_string_input(empty):
    with pytest.raises(MultibaseError, match="expected a non-empty string"):
        multibase.decode(empty)


def test_decode_refuses_overlong_values():
    multibase.decode("z" + "2" * 1023)  # at the limit: accepted
    with pytest.raises(MultibaseError, match="too long"):
        multibase.decode("z" + "2" * 1024)


# --- independent check against the W3C key pair -----------------------------


def test_w3c_key_pair_public_key_matches_seed_derived_by_cryptography():
    pair = json.loads((VECTORS / "keyPair.json").read_text(encoding="utf-8"))

    public = multibase.decode(pair["publicKeyMultibase"])
    assert public[:2] == bytes([0xED, 0x01]) == multibase.ED25519_PUB
    assert len(public) == 2 + 32

    private = multibase.decode(pair["privateKeyMultibase"])
    assert private[:2] == bytes([0x80, 0x26]) == multibase.ED25519_PRIV
    assert len(private) == 2 + 32

    derived = (
        Ed25519PrivateKey.from_private_bytes(private[2:])
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    assert public[2:] == derived
    # and mcred's encoder reproduces the published string from those bytes
    assert multibase.encode(multibase.ED25519_PUB + derived) == pair["publicKeyMultibase"]


def test_w3c_check_would_catch_a_different_seed():
    """Negative control: a different seed derives a different public key."""
    pair = json.loads((VECTORS / "keyPair.json").read_text(encoding="utf-8"))
    public = multibase.decode(pair["publicKeyMultibase"])[2:]
    seed = bytearray(multibase.decode(pair["privateKeyMultibase"])[2:])
    seed[0] ^= 1
    derived = (
        Ed25519PrivateKey.from_private_bytes(bytes(seed))
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    assert derived != public
