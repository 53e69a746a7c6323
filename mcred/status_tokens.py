"""The IETF Token Status List format (draft-ietf-oauth-status-list): statuses packed, compressed, encoded.

A list is a byte array holding one status of ``bits`` bits (1, 2, 4 or 8) per index. Status ``i`` sits in
byte ``i * bits // 8`` at bit offset ``i * bits % 8``, counted from the **least** significant bit
(draft section "Status List": "the status of each Referenced Token ... least significant bit first"). The
array is compressed with **ZLIB** (RFC 1950, DEFLATE inside a zlib wrapper) and written as base64url
without padding: the ``lst`` of the ``status_list`` claim ``{"bits": 2, "lst": "eNo76fITAAPfAgc"}``.

This is *not* the W3C Bitstring Status List (:mod:`mcred.verify.status`), which is GZIP (RFC 1952), a
multibase ``u`` prefix, and index 0 at the **most** significant bit of byte 0. The two are kept apart on
purpose: read one with the other's rules and every status lands on the wrong index.

Decoding is bounded: a few bytes of ZLIB can inflate to gigabytes (a "zip bomb"), so the output is capped
(:data:`MAX_LIST_BYTES`) and a larger list is refused, never inflated in full.

Only the format lives here (no keys, no JWT); the signed Status List Token is made by
:mod:`mcred.issue.token_status_lists` and checked by :mod:`mcred.verify.token_status`.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator

#: the sizes of a status the draft allows
BITS = (1, 2, 4, 8)
#: the status types of the draft's registry (section "Status Types")
VALID, INVALID, SUSPENDED = 0, 1, 2
#: the largest decompressed list mcred reads: 16 MiB (2^27 one-bit statuses); a larger one is refused
MAX_LIST_BYTES = 16 * 1024 * 1024
#: draft examples and vectors are compressed at zlib's best level; writing the same makes lists byte-exact
_LEVEL = 9


class StatusListFormatError(ValueError):
    """A ``status_list`` claim mcred cannot read; ``code`` says why (a ``TSL_*`` problem code)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_bits(bits: object) -> int:
    """``bits`` if the draft allows it (1, 2, 4 or 8), else StatusListFormatError TSL_BITS_INVALID."""
    if isinstance(bits, bool) or bits not in BITS:
        raise StatusListFormatError("TSL_BITS_INVALID", f"bits is {bits!r}; the draft allows 1, 2, 4 or 8")
    return bits  # type: ignore[return-value]


def empty_list(size: int, bits: int) -> bytearray:
    """A list of ``size`` statuses, all VALID (0)."""
    return bytearray((size * check_bits(bits) + 7) // 8)


def get_status(data: bytes | bytearray, index: int, bits: int) -> int:
    """The status at ``index``: least-significant bits first (IndexError outside the list)."""
    position = index * bits
    if index < 0 or position >= len(data) * 8:
        raise IndexError(index)
    return (data[position // 8] >> (position % 8)) & ((1 << bits) - 1)


def set_status(data: bytearray, index: int, bits: int, value: int) -> None:
    """Write ``value`` at ``index`` (ValueError if it does not fit in ``bits`` bits)."""
    if not 0 <= value < 1 << bits:
        raise ValueError(f"status {value} does not fit in {bits} bits")
    get_status(data, index, bits)  # the range check
    position = index * bits
    mask = ((1 << bits) - 1) << (position % 8)
    data[position // 8] = (data[position // 8] & ~mask) | (value << (position % 8))


def nonzero_statuses(data: bytes | bytearray, bits: int) -> Iterator[tuple[int, int]]:
    """(index, status) of every status that is not 0, in order; the zero bytes are skipped in C."""
    per_byte = 8 // bits
    mask = (1 << bits) - 1
    for match in re.finditer(rb"[^\x00]", bytes(data)):
        byte = match.group()[0]
        for k in range(per_byte):
            value = (byte >> (k * bits)) & mask
            if value:
                yield match.start() * per_byte + k, value


def encode_lst(data: bytes | bytearray) -> str:
    """``lst``: base64url (no padding) of the ZLIB-compressed array."""
    return base64.urlsafe_b64encode(zlib.compress(bytes(data), _LEVEL)).rstrip(b"=").decode("ascii")


def decode_lst(lst: object, *, max_bytes: int = MAX_LIST_BYTES) -> bytes:
    """The byte array of ``lst``, inflated to at most ``max_bytes`` (StatusListFormatError otherwise)."""
    if not isinstance(lst, str) or not lst:
        raise StatusListFormatError("TSL_LST_INVALID", "lst is not a base64url string")
    try:
        compressed = base64.urlsafe_b64decode(lst + "=" * (-len(lst) % 4))
    except (binascii.Error, ValueError):
        raise StatusListFormatError("TSL_LST_INVALID", "lst is not base64url") from None
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(compressed, max_bytes)
    except zlib.error as exc:
        raise StatusListFormatError("TSL_LST_INVALID", f"lst is not ZLIB data (RFC 1950): {exc}") from None
    if inflater.unconsumed_tail:  # more output was waiting: refuse before inflating it
        raise StatusListFormatError("TSL_LIST_TOO_LARGE", f"lst inflates to more than {max_bytes} bytes")
    if not inflater.eof or inflater.unused_data:
        raise StatusListFormatError("TSL_LST_INVALID", "lst is not one complete ZLIB stream")
    return data


def encode_status_list(data: bytes | bytearray, bits: int) -> dict:
    """The ``status_list`` claim: ``{"bits": bits, "lst": ...}``."""
    return {"bits": check_bits(bits), "lst": encode_lst(data)}


def decode_status_list(claim: object, *, max_bytes: int = MAX_LIST_BYTES) -> tuple[int, bytes]:
    """``(bits, byte array)`` of a ``status_list`` claim, checked (StatusListFormatError)."""
    if not isinstance(claim, dict):
        raise StatusListFormatError("TSL_CLAIMS_INVALID", "status_list is not an object")
    bits = check_bits(claim.get("bits"))
    return bits, decode_lst(claim.get("lst"), max_bytes=max_bytes)
