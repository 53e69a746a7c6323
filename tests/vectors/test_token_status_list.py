"""The IETF Token Status List encoding against the draft's examples and vectors, byte-exact both ways.

The vectors are ZLIB and least-significant bits first; the W3C Bitstring list (GZIP, most significant
bit first) is tested against its own vectors in tests/unit/verify/test_status.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from pathlib import Path

import pytest

from mcred.status_tokens import (
    MAX_LIST_BYTES,
    StatusListFormatError,
    decode_lst,
    decode_status_list,
    empty_list,
    encode_status_list,
    get_status,
    nonzero_statuses,
    set_status,
)

HERE = Path(__file__).parent / "ietf-token-status-list"
VECTORS = json.loads((HERE / "token-status-list-vectors.json").read_text(encoding="utf-8"))["vectors"]


def _example(name: str) -> dict:
    """An example file of the draft: JSON whose ``lst`` may be folded over lines."""
    text = (HERE / name).read_text(encoding="utf-8")
    return json.loads(re.sub(r'"\s+', '"', re.sub(r"\n\s*", "", text[text.index("{"):])))


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: Path(v["source_example"]).stem)
def test_every_vector_decodes_to_its_statuses(vector):
    bits, data = decode_status_list({"bits": vector["bits"], "lst": vector["lst"]})
    assert bits == vector["bits"]
    assert len(data) == vector["size"] * bits // 8
    nonzero = {int(i): s for i, s in vector["nonzero_statuses"].items()}
    found = {i: get_status(data, i, bits) for i in range(vector["size"]) if get_status(data, i, bits)}
    assert found == nonzero
    assert dict(nonzero_statuses(data, bits)) == nonzero
    if "byte_array_hex" in vector:
        assert [f"0x{b:02x}" for b in data] == vector["byte_array_hex"]


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: Path(v["source_example"]).stem)
def test_every_vector_encodes_byte_exact(vector):
    data = empty_list(vector["size"], vector["bits"])
    for index, status in vector["nonzero_statuses"].items():
        set_status(data, int(index), vector["bits"], status)
    assert encode_status_list(data, vector["bits"]) == {"bits": vector["bits"], "lst": vector["lst"]}


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: Path(v["source_example"]).stem)
def test_the_drafts_example_files_are_the_vectors(vector):
    assert _example(vector["source_example"]) == {"bits": vector["bits"], "lst": vector["lst"]}


def test_the_copies_are_the_ones_in_the_provenance_note():
    note = (HERE.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    for path in sorted(p for p in HERE.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"{digest}  {path.relative_to(HERE).as_posix()}" in note, path


def test_least_significant_bits_first_not_the_w3c_order():
    data = empty_list(8, 1)
    set_status(data, 0, 1, 1)
    assert bytes(data) == b"\x01"  # a W3C Bitstring list would have 0x80
    two = empty_list(4, 2)
    set_status(two, 1, 2, 2)
    assert bytes(two) == b"\x08"


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = zlib.compress(bytes(MAX_LIST_BYTES + 1), 9)
    import base64

    lst = base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    with pytest.raises(StatusListFormatError) as caught:
        decode_lst(lst)
    assert caught.value.code == "TSL_LIST_TOO_LARGE"
    assert len(decode_lst(lst, max_bytes=MAX_LIST_BYTES + 1)) == MAX_LIST_BYTES + 1


@pytest.mark.parametrize(("claim", "code"), [
    ({"bits": 3, "lst": "eNrbuRgAAhcBXQ"}, "TSL_BITS_INVALID"),
    ({"bits": True, "lst": "eNrbuRgAAhcBXQ"}, "TSL_BITS_INVALID"),
    ({"bits": 1, "lst": "H4sIAAAAAAAA"}, "TSL_LST_INVALID"),  # GZIP, the W3C form
    ({"bits": 1, "lst": "eNrbuRgAAhcB"}, "TSL_LST_INVALID"),  # cut short
    ({"bits": 1, "lst": "eNrbuRgAAhcBXQAA"}, "TSL_LST_INVALID"),  # bytes after the stream
    ({"bits": 1, "lst": "not base64!"}, "TSL_LST_INVALID"),
    ({"bits": 1}, "TSL_LST_INVALID"),
    ([], "TSL_CLAIMS_INVALID"),
])
def test_a_bad_status_list_claim_is_named(claim, code):
    with pytest.raises(StatusListFormatError) as caught:
        decode_status_list(claim)
    assert caught.value.code == code


def test_a_status_too_large_for_its_bits_is_refused():
    with pytest.raises(ValueError):
        set_status(empty_list(8, 2), 0, 2, 4)
    with pytest.raises(IndexError):
        get_status(empty_list(8, 2), 8, 2)
