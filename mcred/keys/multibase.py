"""base58btc multibase, the multicodec headers for Ed25519 keys, and the did:key names of any key.

Small enough to own: a dependency for 40 lines would be one more thing to pin.
Decoding is strict, because a proofValue that is "nearly" base58btc is an
attack surface, not a convenience.
"""

from __future__ import annotations

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(_ALPHABET)}

#: multicodec varint prefixes (https://github.com/multiformats/multicodec)
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"


class MultibaseError(ValueError):
    """A string that is not valid base58btc multibase."""


def b58encode(data: bytes) -> str:
    """Plain base58btc (Bitcoin alphabet), leading zero bytes kept as '1'."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_ALPHABET[rem])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Decode base58btc; raise MultibaseError naming the first bad character."""
    number = 0
    for position, char in enumerate(text):
        value = _INDEX.get(char)
        if value is None:
            raise MultibaseError(f"character {char!r} at position {position} is not base58btc")
        number = number * 58 + value
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode(data: bytes) -> str:
    """Multibase base58btc: 'z' + base58btc."""
    return "z" + b58encode(data)


def decode(text: str) -> bytes:
    """Decode a multibase base58btc string; anything else is refused."""
    if not isinstance(text, str) or not text:
        raise MultibaseError("expected a non-empty string")
    if text[0] != "z":
        raise MultibaseError(f"multibase prefix {text[0]!r} is not 'z' (base58btc)")
    if len(text) > 1024:
        raise MultibaseError("value is too long to be a key or signature")
    if len(text) == 1:
        raise MultibaseError("nothing follows the multibase prefix")
    return b58decode(text[1:])


class DidKeyNamed:
    """The names did:key gives a public key, from its Multikey form (``multibase``, defined by the key class):
    shared by every key type, here because every key module imports this one and no other key module."""

    multibase: str

    @property
    def did(self) -> str:
        return f"did:key:{self.multibase}"

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.multibase}"
