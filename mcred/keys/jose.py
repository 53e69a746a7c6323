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


#: joserfc refuses protected headers over 512 bytes; a header with an ``x5c`` chain (SD-JWT VC, HAIP,
#: IT-Wallet) of a few P-256 or RSA certificates is several KiB, so the bound is raised, not removed
MAX_HEADER = 64 * 1024
#: joserfc's own payload bound (bytes), kept unless a caller needs more (a Status List Token)
MAX_PAYLOAD = 128_000


def _registry(algorithms: list[str] | None, max_payload: int = MAX_PAYLOAD):
    """joserfc's registry for these algorithms (None: reading only), with mcred's header and payload bounds."""
    from joserfc.jws import JWSRegistry

    registry = JWSRegistry(algorithms=algorithms)
    registry.max_header_length = MAX_HEADER
    registry.max_payload_length = max_payload
    return registry


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


def verify_compact(text: str, public_key: Any, alg: str, *, max_payload: int = MAX_PAYLOAD) -> None:
    """Verify a compact JWS with ``public_key`` (an :data:`mcred.keys.multikey.AnyPublicKey`), allowing ``alg``
    only; JoseSignatureError when the signature does not match. The header may carry a certificate chain
    (x5c), up to :data:`MAX_HEADER`; the payload is bounded by ``max_payload``."""
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        with _quiet():
            jws.deserialize_compact(text, _public_jwk_key(public_key), algorithms=[alg],
                                    registry=_registry([alg], max_payload))
    except (JoseError, ValueError, TypeError) as exc:  # also a signature of the wrong length, a key refused
        raise JoseSignatureError(str(exc)) from None


class ParsedJwsVerifier:
    """Verifies the signatures of compact JWS whose header and payload the caller has already decoded and checked
    (their ``alg`` is ``alg``), with one key: joserfc's algorithm over ``header.payload``, without joserfc decoding
    the two parts again. What :func:`verify_compact` does, at the cost of the signature alone, for a verifier
    that reads the header (to choose the key) and the payload (to reveal the claims) itself, and may meet the
    same issuer key many times (the key is imported, and checked fit for ``alg``, once)."""

    def __init__(self, public_key: Any, alg: str) -> None:
        from joserfc.errors import JoseError

        try:
            self._key = _public_jwk_key(public_key)
            self._algorithm = _registry([alg]).get_alg(alg)
            self._algorithm.check_key(self._key)
        except (JoseError, ValueError, TypeError) as exc:
            raise JoseSignatureError(str(exc) or f"not a key for {alg}") from None

    def verify(self, text: str) -> None:
        """JoseSignatureError when the signature does not match, or is not base64url of the algorithm's length."""
        from joserfc.util import urlsafe_b64decode

        signing_input, _, signature = text.rpartition(".")
        try:
            if signing_input.count(".") != 1:
                raise ValueError("not a compact JWS")
            raw = urlsafe_b64decode(signature.encode("ascii"))  # joserfc's strict decoder: no padding, '+' or '/'
            verified = self._algorithm.verify(signing_input.encode("ascii"), raw, self._key)
        except (ValueError, TypeError, UnicodeError) as exc:
            raise JoseSignatureError(str(exc) or "not a signature") from None
        if not verified:
            raise JoseSignatureError("bad signature")


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
    :class:`mcred.keys.ecdsa.EcSigningKey`: SD-JWT VCs, their KB-JWTs, Status List Tokens (HAIP asks for ES256).
    The header's ``alg`` is the key's (the caller's is overwritten)."""
    from joserfc import jws
    from joserfc.jwk import ECKey

    from .ecdsa import EcSigningKey

    if isinstance(private_key, EcSigningKey):
        private_key = private_key._key  # the same package: the key object stays private to mcred.keys
    alg = {"secp256r1": "ES256", "secp384r1": "ES384"}.get(getattr(getattr(private_key, "curve", None), "name", None))
    if alg is None:
        raise ValueError("ES256 and ES384 sign with a P-256 or P-384 key")
    registry = _registry([alg], max(MAX_PAYLOAD, len(payload)))
    return jws.serialize_compact({**header, "alg": alg}, payload, ECKey.import_key(private_key), algorithms=[alg],
                                 registry=registry)


def sign_compact_es256(header: dict, payload: bytes, signing_key: Any) -> str:
    """:func:`sign_compact_ec` with a P-256 key only (ValueError for another curve): what HAIP and IT-Wallet ask."""
    if getattr(signing_key, "curve", None) not in ("P-256",) and \
            getattr(getattr(signing_key, "curve", None), "name", None) != "secp256r1":
        raise ValueError("ES256 signs with a P-256 key")
    return sign_compact_ec(header, payload, signing_key)


def read_compact_unverified(text: str, *, max_payload: int = MAX_PAYLOAD) -> tuple[dict, bytes]:
    """The protected header and payload of a compact JWS, **not verified**: to choose the key and the checks
    before :func:`verify_compact`. JoseSignatureError when it is not a compact JWS."""
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        obj = jws.extract_compact(text.encode("ascii") if isinstance(text, str) else text,
                                  registry=_registry(None, max_payload))
    except (JoseError, ValueError, TypeError, UnicodeError) as exc:
        raise JoseSignatureError(f"not a compact JWS: {exc}") from None
    return dict(obj.protected), obj.payload


def public_jwk(public_key: Any) -> dict:
    """The public JWK (RFC 7517) of a public key, mcred's (:data:`mcred.keys.multikey.AnyPublicKey`) or a
    cryptography EC key: what an SD-JWT's ``cnf`` holds, or a ``kid`` thumbprint is made from."""
    from cryptography.hazmat.primitives.asymmetric import ec

    if isinstance(public_key, ec.EllipticCurvePublicKey):
        from joserfc.jwk import ECKey

        jwk = ECKey.import_key(public_key).as_dict(private=False)
        return {name: jwk[name] for name in ("kty", "crv", "x", "y")}
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
