"""mcred's JCS fast path gives exactly what the rfc8785 reference gives."""

from __future__ import annotations

import json

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from mcred.errors import InputError
from mcred.jsonld.jcs import _astral_key, _plain_numbers, canonical_json
from tests.conftest import VECTORS

keys = st.text(max_size=8)  # includes astral characters, which take the slow path
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**60), max_value=2**60),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                       st.dictionaries(keys, inner, max_size=5)), max_leaves=25)


@settings(max_examples=1500, deadline=None)
@given(values)
def test_same_bytes_as_rfc8785(value):
    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, ValueError):
        with pytest.raises(InputError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


def test_the_w3c_vector_document():
    unsigned = json.loads((VECTORS / "unsigned.json").read_text())
    expected = (VECTORS / "eddsa-jcs-2022" / "canonDocJCS.txt").read_text().encode()
    assert _plain_numbers(unsigned) and canonical_json(unsigned) == expected


@pytest.mark.parametrize("value", [1.5, 2**53, [1e21], {"a": [{"b": -(2**53)}]}])
def test_numbers_that_take_the_reference_path(value):
    assert not _plain_numbers(value)


def test_a_key_beyond_u_ffff_takes_the_reference_path():
    # U+1F600 is D83D DE00 in UTF-16, before U+FF61: JCS sorts it first, code-point order last
    value = {"nested": [{"\uff61": 1, "\U0001f600": 2}]}
    assert _astral_key(value)
    assert canonical_json(value, plain=True) == rfc8785.dumps(value)
    assert canonical_json(value, plain=True).index("\U0001f600".encode()) < canonical_json(value).index(
        "\uff61".encode())
    # in a value it changes no order, so the fast path keeps it
    assert not _astral_key({"\uff61": "\U0001f600", "a": ["\U0001f600"]})


def test_a_lone_surrogate_is_left_to_the_reference_which_refuses_it():
    with pytest.raises(rfc8785.CanonicalizationError):
        rfc8785.dumps({"a": "\ud800"})
    with pytest.raises(InputError) as caught:
        canonical_json({"a": "\ud800"}, plain=True)
    assert caught.value.code == "JCS_UNREPRESENTABLE"


def test_control_characters_and_unicode_match():
    value = {"b": "\x08\x0c\n\r\t\x00\x1f\x7f\u2028é\u20ac", "a": [True, None, -3]}
    assert _plain_numbers(value) and canonical_json(value) == rfc8785.dumps(value)
