"""Reading a status from a Status List Token: the draft's signed example, and each tampering with its code."""

from __future__ import annotations

import base64
import json
import string
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mcred.keys.ecdsa import EcSigningKey
from mcred.keys.jose import sign_compact_es256
from mcred.keys.multikey import public_key_from_jwk
from mcred.messages import _CATALOGUE
from mcred.status_tokens import MAX_LIST_BYTES, empty_list, encode_status_list, set_status
from mcred.verify import token_status as t
from mcred.verify.token_status import TokenStatusError, read_status, read_status_token

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "ietf-token-status-list"
JWK = json.loads((VECTORS / "example-key.jwk.json").read_text(encoding="utf-8"))
EXAMPLE_KEY = public_key_from_jwk({k: v for k, v in JWK.items() if k != "d"})
SIGNER = EcSigningKey.from_scalar("P-256", base64.urlsafe_b64decode(JWK["d"] + "="))
RAW = (VECTORS / "examples" / "status_list_jwt_raw.md").read_text(encoding="utf-8").replace("\n", "").strip()
URI = "https://example.com/statuslists/1"
IAT = 1686920170
NOW = datetime.fromtimestamp(IAT + 60, UTC)


def _sign(claims: dict, header: dict | None = None, key: EcSigningKey = SIGNER) -> str:
    header = {"typ": "statuslist+jwt", "kid": "12"} if header is None else header
    return sign_compact_es256(header, json.dumps(claims).encode(), key)


def _claims(**changes) -> dict:
    data = empty_list(16, 2)
    set_status(data, 3, 2, 1)
    set_status(data, 5, 2, 2)
    return {"sub": URI, "iat": IAT, "exp": IAT + 3600, "ttl": 600, "status_list": encode_status_list(data, 2),
            **changes}


def _code(text: str, index: int = 0, **kwargs) -> str:
    kwargs = {"expected_uri": URI, "issuer_keys": [EXAMPLE_KEY], "now": NOW, **kwargs}
    with pytest.raises(TokenStatusError) as caught:
        read_status(text, index, **kwargs)
    return caught.value.code


def test_the_drafts_signed_example_is_read():
    statuses = [read_status(RAW, i, expected_uri=URI, issuer_keys=[EXAMPLE_KEY], now=NOW) for i in range(16)]
    assert statuses == [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]  # 0xb9 0xa3, least significant first
    token = read_status_token(RAW, expected_uri=URI, issuer_keys=[EXAMPLE_KEY], now=NOW)
    assert (token.header["kid"], token.bits, token.size, token.claims["ttl"]) == ("12", 1, 16, 43200)


def test_two_bit_statuses_valid_revoked_suspended():
    text = _sign(_claims())
    assert [read_status(text, i, expected_uri=URI, issuer_keys=[EXAMPLE_KEY], now=NOW) for i in (0, 3, 5)] == [0, 1, 2]


def test_a_changed_payload_under_the_same_signature_is_refused():
    header, payload, signature = RAW.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["status_list"]["lst"] = base64.urlsafe_b64encode(zlib.compress(bytes(2), 9)).rstrip(b"=").decode()
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert _code(f"{header}.{forged}.{signature}") == "TSL_SIGNATURE_INVALID"


def test_a_list_signed_by_another_key_is_refused():
    assert _code(_sign(_claims(), key=EcSigningKey.generate("P-256"))) == "TSL_SIGNATURE_INVALID"
    assert _code(RAW, issuer_keys=[]) == "TSL_SIGNATURE_INVALID"


def test_a_list_for_another_uri_is_refused():
    assert _code(_sign(_claims(sub="https://example.com/statuslists/2"))) == "TSL_SUB_MISMATCH"
    assert _code(RAW, expected_uri="https://example.com/statuslists/2") == "TSL_SUB_MISMATCH"


def test_a_header_typ_changed_or_missing_is_refused():
    header, rest = RAW.split(".", 1)
    swapped = base64.urlsafe_b64encode(b'{"alg":"ES256","kid":"12","typ":"vc+sd-jwt"}').rstrip(b"=").decode()
    assert _code(f"{swapped}.{rest}") == "TSL_TYP_INVALID"
    assert _code(_sign(_claims(), header={"kid": "12"})) == "TSL_TYP_INVALID"


def test_alg_none_and_hmac_are_refused():
    none = base64.urlsafe_b64encode(b'{"alg":"none","typ":"statuslist+jwt"}').rstrip(b"=").decode()
    payload = RAW.split(".")[1]
    assert _code(f"{none}.{payload}.") == "TSL_ALG_UNSUPPORTED"
    hs = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"statuslist+jwt"}').rstrip(b"=").decode()
    assert _code(f"{hs}.{payload}.AAAA") == "TSL_ALG_UNSUPPORTED"


def test_an_expired_list_is_refused():
    assert _code(_sign(_claims()), now=datetime.fromtimestamp(IAT + 3600, UTC)) == "TSL_EXPIRED"


def test_a_list_older_than_its_ttl_is_stale_unless_allowed():
    later = datetime.fromtimestamp(IAT + 601, UTC)
    assert _code(_sign(_claims()), now=later) == "TSL_STALE"
    assert read_status(_sign(_claims()), 3, expected_uri=URI, issuer_keys=[EXAMPLE_KEY], now=later,
                       allow_stale=True) == 1


def test_a_list_from_the_future_is_refused():
    assert _code(_sign(_claims(iat=IAT + 3000))) == "TSL_NOT_YET_VALID"


@pytest.mark.parametrize(("changes", "code"), [
    ({"iat": None}, "TSL_CLAIMS_INVALID"),
    ({"iat": "yesterday"}, "TSL_CLAIMS_INVALID"),
    ({"ttl": 0}, "TSL_CLAIMS_INVALID"),
    ({"exp": True}, "TSL_CLAIMS_INVALID"),
    ({"status_list": None}, "TSL_CLAIMS_INVALID"),
    ({"status_list": {"bits": 3, "lst": "eNrbuRgAAhcBXQ"}}, "TSL_BITS_INVALID"),
    ({"status_list": {"bits": 1, "lst": "H4sIAAAAAAAA"}}, "TSL_LST_INVALID"),
])
def test_bad_claims_are_named(changes, code):
    assert _code(_sign(_claims(**changes))) == code


def test_a_signed_zip_bomb_is_refused():
    bomb = base64.urlsafe_b64encode(zlib.compress(bytes(MAX_LIST_BYTES + 8), 9)).rstrip(b"=").decode()
    assert _code(_sign(_claims(status_list={"bits": 1, "lst": bomb}))) == "TSL_LIST_TOO_LARGE"


@pytest.mark.parametrize("index", [16, -1, True, "3"])
def test_an_index_outside_the_list_is_refused(index):
    assert _code(_sign(_claims()), index) == "TSL_INDEX_OUT_OF_RANGE"


@pytest.mark.parametrize("text", ["", "not a jwt", "a.b", 42])
def test_what_is_not_a_jwt_is_named(text):
    assert _code(text) == "TSL_JWT_MALFORMED"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_english_and_italian_messages_and_a_row_in_the_docs():
    docs = (Path(t.__file__).resolve().parents[2] / "docs" / "verify.md").read_text(encoding="utf-8")
    assert set(t.MESSAGES) == set(t.MESSAGES_IT)
    for code, (template, hint) in t.MESSAGES.items():
        italian, hint_it = _CATALOGUE[code]
        assert _placeholders(italian) | _placeholders(hint_it or "") <= _placeholders(template) | _placeholders(
            hint or ""), code
        assert f"`{code}`" in docs, code


def test_the_error_carries_its_path_hint_and_params():
    with pytest.raises(TokenStatusError) as caught:
        read_status(RAW, 0, expected_uri="urn:other", issuer_keys=[EXAMPLE_KEY], now=NOW)
    error = caught.value
    assert (error.path, error.params) == ("$.sub", {"sub": URI, "uri": "urn:other"})
    assert error.exit_code == 3 and "give the list published" in error.hint


def test_a_large_list_beyond_joserfcs_default_payload_bound_is_read():
    import os

    data = bytearray(os.urandom(1 << 17))  # 2^17 8-bit statuses that do not compress: ~175 KB of payload
    text = _sign(_claims(status_list=encode_status_list(data, 8)))
    assert len(text) > 128_000
    assert read_status(text, 77, expected_uri=URI, issuer_keys=[EXAMPLE_KEY], now=NOW) == data[77]
