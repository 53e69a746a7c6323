"""JOSE with mcred's keys: compact JWS signed and verified, JWK thumbprints. The one module that uses joserfc.

joserfc (a kept, typed JOSE library) does the JWS work (RFC 7515), always with an explicit list of
one algorithm, chosen by the caller for the key it holds: a header cannot pick another (``none``, an
HMAC keyed with a public key). The curves are cryptography's, through mcred's key classes
(:mod:`mcred.keys.ed25519`, :mod:`mcred.keys.multikey`).
"""

from __future__ import annotations

import base64
import warnings
from contextlib import contextmanager
from typing import Any


class JoseSignatureError(ValueError):
    """A JWS whose signature does not verify with the key given (or that joserfc cannot read)."""


def _public_jwk_key(public_key: Any):
    from joserfc.jwk import ECKey, OKPKey

    from mcred.keys.multikey import EcPublicKey

    if isinstance(public_key, EcPublicKey):
        return ECKey.import_key(public_key.key)
    raw = base64.urlsafe_b64encode(public_key.raw).rstrip(b"=").decode("ascii")
    return OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": raw})


@contextmanager
def _quiet():
    """joserfc warns that RFC 9864 deprecates "EdDSA" for "Ed25519": the W3C suite and the credentials in the
    field write EdDSA, and mcred uses it with an Ed25519 key only, which is what the new name means."""
    from joserfc.errors import SecurityWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        yield


#: joserfc refuses headers over 512 bytes; an x5c certificate chain (SD-JWT VC, HAIP) is several kilobytes
_MAX_X5C_HEADER = 64 * 1024


def verify_compact(text: str, public_key: Any, alg: str, *, large_header: bool = False) -> None:
    """Verify a compact JWS with ``public_key`` (an :data:`mcred.keys.multikey.AnyPublicKey`), allowing ``alg``
    only; JoseSignatureError when the signature does not match. ``large_header``: the header may carry a
    certificate chain (x5c), up to 64 KiB."""
    from joserfc import jws
    from joserfc.errors import JoseError

    registry = None
    if large_header:
        registry = jws.JWSRegistry(algorithms=[alg])
        registry.max_header_length = _MAX_X5C_HEADER
    try:
        with _quiet():
            jws.deserialize_compact(text, _public_jwk_key(public_key), algorithms=[alg], registry=registry)
    except (JoseError, ValueError, TypeError) as exc:  # also a signature of the wrong length, a key refused
        raise JoseSignatureError(str(exc)) from None


def sign_compact(header: dict, payload: bytes, signing_key: Any) -> str:
    """A compact JWS of ``payload`` signed by an Ed25519 :class:`mcred.keys.ed25519.SigningKey` (alg EdDSA)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from joserfc import jws
    from joserfc.jwk import OKPKey

    key = OKPKey.import_key(Ed25519PrivateKey.from_private_bytes(signing_key.private_seed()))
    with _quiet():
        return jws.serialize_compact({**header, "alg": "EdDSA"}, payload, key, algorithms=["EdDSA"])


def sign_compact_ec(header: dict, payload: bytes, private_key: Any) -> str:
    """A compact JWS of ``payload`` signed by a P-256 (ES256) or P-384 (ES384) private key, cryptography's or an
    :class:`mcred.keys.ecdsa.EcSigningKey`: SD-JWT VCs and their KB-JWTs (HAIP asks for ES256)."""
    from joserfc import jws
    from joserfc.jwk import ECKey

    from .ecdsa import EcSigningKey

    if isinstance(private_key, EcSigningKey):
        private_key = private_key._key  # the same package: the key object stays private to mcred.keys

    alg = {"secp256r1": "ES256", "secp384r1": "ES384"}[private_key.curve.name]
    return jws.serialize_compact({**header, "alg": alg}, payload, ECKey.import_key(private_key), algorithms=[alg])


def public_jwk(public_key: Any) -> dict:
    """The public JWK (RFC 7517) of an :data:`mcred.keys.multikey.AnyPublicKey`: what an SD-JWT's ``cnf`` holds."""
    return dict(_public_jwk_key(public_key).as_dict(private=False))


def thumbprint(jwk: Any) -> str | None:
    """The RFC 7638 thumbprint of a public JWK (computed, never its own ``kid``); None for anything else."""
    from joserfc.jwk import JWKRegistry

    if not isinstance(jwk, dict) or "d" in jwk:
        return None
    try:
        return JWKRegistry.import_key(jwk).thumbprint()
    except (ValueError, TypeError, KeyError):
        return None
