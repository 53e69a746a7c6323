"""An issuer's Token Status List: created signed, indexes handed out unpredictably once, statuses changed
and re-signed; what a verifier then reads (mcred.verify.token_status)."""

from __future__ import annotations

import base64
import json
import stat
from datetime import UTC, datetime

import pytest
from cryptography import x509

from mcred.errors import InputError, KeyFileError, OutputExistsError, SigningError, UsageError
from mcred.issue.token_status_lists import (
    allocate_token_indexes,
    init_token_status_list,
    is_token_status_list,
    token_status_entry,
    update_token_status_list,
)
from mcred.keys.ecdsa import EcSigningKey
from mcred.keys.jose import read_compact_unverified
from mcred.verify.token_status import TokenStatusError, read_status, read_status_token
from tests.pki import START, ec_key, make_ca, make_seal_cert, write_chain

URI = "https://its.example/status/tsl/1"
NOW = int(START.timestamp()) + 86_400
KEY = EcSigningKey(ec_key())


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _status(path, index, key=KEY, now=NOW + 10):
    return read_status(path.read_text(), index, expected_uri=URI, issuer_keys=[key.public_key], now=_at(now))


@pytest.fixture
def made(tmp_path):
    path = tmp_path / "list.jwt"
    init_token_status_list(path, KEY, URI, size=1024, bits=2, ttl=3600, lifetime=86_400, now=NOW)
    return path


def test_init_writes_a_signed_empty_list_and_a_private_sidecar(made):
    header, payload = read_compact_unverified(made.read_text().strip())
    claims = json.loads(payload)
    assert header["typ"] == "statuslist+jwt" and header["alg"] == "ES256" and len(header["kid"]) == 43
    assert (claims["sub"], claims["iat"], claims["exp"], claims["ttl"]) == (URI, NOW, NOW + 86_400, 3600)
    assert claims["status_list"]["bits"] == 2
    assert all(_status(made, i) == 0 for i in (0, 500, 1023))
    sidecar = made.with_name("list.jwt.alloc")
    assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600
    assert json.loads(sidecar.read_text())["allocated"] == 0
    assert is_token_status_list(made)


def test_init_never_overwrites(made):
    with pytest.raises(OutputExistsError):
        init_token_status_list(made, KEY, URI, size=1024, now=NOW)


@pytest.mark.parametrize(("size", "bits"), [(1000, 2), (512, 2), (1024, 3), (1 << 25, 1)])
def test_init_refuses_sizes_and_bits_outside_the_bounds(tmp_path, size, bits):
    with pytest.raises(UsageError):
        init_token_status_list(tmp_path / "l.jwt", KEY, URI, size=size, bits=bits, now=NOW)


def test_init_refuses_a_key_that_cannot_sign_es256(tmp_path):
    with pytest.raises(KeyFileError):
        init_token_status_list(tmp_path / "l.jwt", EcSigningKey.generate("P-384"), URI, size=1024, now=NOW)


def test_indexes_are_unpredictable_and_never_handed_out_twice(made):
    first = [a.index for a in allocate_token_indexes(made, 10, KEY)]
    more = [a.index for a in allocate_token_indexes(made, 1014, KEY)]
    assert sorted(first + more) == list(range(1024))  # each index once, the whole list
    assert first != list(range(10))
    with pytest.raises(InputError) as caught:
        allocate_token_indexes(made, 1, KEY)
    assert caught.value.code == "STATUS_LIST_FULL"
    assert token_status_entry(URI, first[0]) == {"status_list": {"idx": first[0], "uri": URI}}


def test_revoke_suspend_reinstate(made):
    a, b = (x.index for x in allocate_token_indexes(made, 2, KEY))
    assert update_token_status_list(made, KEY, [a], "revoke", now=NOW + 5).changed == [a]
    assert update_token_status_list(made, KEY, [b], "suspend", now=NOW + 5).changed == [b]
    assert (_status(made, a), _status(made, b)) == (1, 2)
    claims = read_status_token(made.read_text(), expected_uri=URI, issuer_keys=[KEY.public_key],
                               now=_at(NOW + 9)).claims
    assert (claims["iat"], claims["exp"], claims["ttl"]) == (NOW + 5, NOW + 5 + 86_400, 3600)
    assert update_token_status_list(made, KEY, [b], "reinstate", now=NOW + 6).changed == [b]
    assert _status(made, b) == 0
    again = update_token_status_list(made, KEY, [a], "revoke", now=NOW + 7)
    assert (again.changed, again.unchanged, again.document) == ([], [a], None)


def test_revocation_is_final(made):
    (a,) = (x.index for x in allocate_token_indexes(made, 1, KEY))
    update_token_status_list(made, KEY, [a], "revoke", now=NOW + 5)
    for action in ("reinstate", "suspend"):
        with pytest.raises(UsageError, match="revocation is final"):
            update_token_status_list(made, KEY, [a], action, now=NOW + 6)


def test_suspension_needs_two_bits(tmp_path):
    path = tmp_path / "one.jwt"
    init_token_status_list(path, KEY, URI, size=1024, bits=1, now=NOW)
    (a,) = (x.index for x in allocate_token_indexes(path, 1, KEY))
    with pytest.raises(UsageError, match="1-bit"):
        update_token_status_list(path, KEY, [a], "suspend", now=NOW + 5)


def test_an_index_never_handed_out_or_outside_is_refused(made):
    (a,) = (x.index for x in allocate_token_indexes(made, 1, KEY))
    other = next(i for i in range(1024) if i != a)
    with pytest.raises(UsageError, match="never handed out"):
        update_token_status_list(made, KEY, [other], "revoke", now=NOW + 5)
    with pytest.raises(UsageError, match="outside"):
        update_token_status_list(made, KEY, [1024], "revoke", now=NOW + 5)


def test_another_key_or_a_tampered_list_is_not_re_signed(made):
    (a,) = (x.index for x in allocate_token_indexes(made, 1, KEY))
    with pytest.raises(SigningError) as caught:
        update_token_status_list(made, EcSigningKey.generate("P-256"), [a], "revoke", now=NOW + 5)
    assert caught.value.code == "TSL_SIGNATURE_INVALID"
    header, payload, signature = made.read_text().strip().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["ttl"] = 99
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    made.write_text(f"{header}.{forged}.{signature}\n")
    with pytest.raises(SigningError):
        update_token_status_list(made, KEY, [a], "revoke", now=NOW + 5)


def test_an_expired_list_of_the_issuer_is_still_re_signed(made):
    (a,) = (x.index for x in allocate_token_indexes(made, 1, KEY))
    later = NOW + 10 * 86_400
    update_token_status_list(made, KEY, [a], "revoke", now=later)
    assert _status(made, a, now=later + 1) == 1


def test_x5c_from_a_checked_chain(tmp_path):
    ca = make_ca(key=ec_key())
    leaf = make_seal_cert(ca, key=ec_key())
    write_chain(tmp_path / "chain.pem", leaf, ca)
    key = EcSigningKey(leaf.key)
    path = tmp_path / "x5c.jwt"
    init_token_status_list(path, key, URI, size=1024, cert_chain=tmp_path / "chain.pem", now=NOW)
    header, _ = read_compact_unverified(path.read_text().strip())
    certs = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in header["x5c"]]
    assert certs == [leaf.cert, ca.cert]
    (a,) = (x.index for x in allocate_token_indexes(path, 1, key))
    update_token_status_list(path, key, [a], "revoke", now=NOW + 5)
    assert read_compact_unverified(path.read_text().strip())[0]["x5c"] == header["x5c"]


def test_a_chain_for_another_key_or_a_ca_leaf_is_refused(tmp_path):
    ca = make_ca(key=ec_key())
    write_chain(tmp_path / "other.pem", make_seal_cert(ca, key=ec_key()), ca)
    with pytest.raises(KeyFileError, match="not for this key"):
        init_token_status_list(tmp_path / "a.jwt", KEY, URI, size=1024, cert_chain=tmp_path / "other.pem", now=NOW)
    key = ec_key()
    write_chain(tmp_path / "ca-leaf.pem", make_seal_cert(ca, key=key, ca_flag=True), ca)
    with pytest.raises(SigningError, match="not fit for signing"):
        init_token_status_list(tmp_path / "b.jwt", EcSigningKey(key), URI, size=1024,
                               cert_chain=tmp_path / "ca-leaf.pem", now=NOW)


def test_a_wrong_file_is_named(tmp_path):
    path = tmp_path / "x.jwt"
    path.write_text("{}")
    with pytest.raises(InputError) as caught:
        update_token_status_list(path, KEY, [0], "revoke")
    assert caught.value.code == "TSL_JWT_MALFORMED"
    assert not is_token_status_list(path)
    with pytest.raises(TokenStatusError):
        read_status("{}", 0, expected_uri=URI, issuer_keys=[KEY.public_key])
