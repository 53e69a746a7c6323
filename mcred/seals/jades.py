"""JAdES (ETSI TS 119 182-1): the JWS form in which EDC seals European Digital Credentials.

A sealed credential is a JWS in JSON serialization (RFC 7515 7.2)::

    {"payload": "<the ELM credential, as a JSON string>",
     "signatures": [{"protected": "<base64url JSON header>",
                     "header": {"etsiU": ["<base64url JSON>", ...]},
                     "signature": "<base64url>"}]}

(the flattened form, with ``protected``/``header``/``signature`` at the top, is
read too). The protected header names the algorithm (``alg``), the sealing
certificate and its chain (``x5c``, ``x5t#S256``, ``kid``), the claimed signing
time (``sigT``; ``iat`` in TS 119 182-1 v1.2.1), whether the payload is signed as
is (``b64: false``, RFC 7797), an optional content time-stamp (``adoTst``) and
the parameters a verifier must understand (``crit``). The unsigned ``etsiU``
array carries a signature time-stamp (``sigTst``), validation data (``xVals``
certificates, ``rVals`` CRLs and OCSP responses) and archive time-stamps
(``arcTst``).

This module parses that form, checks the header, verifies the signature, works
out what each time-stamp must stamp, and makes seals (baseline B). The report
(:mod:`mcred.verify.sealed`) and the trust decisions (:mod:`mcred._x509`) are elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from mcred.errors import McredError

from .x509 import digest_of

#: JWS alg -> (signature kind, digest, EC curve); RFC 7518 3.1
ALGORITHMS: dict[str, tuple[str, str, str | None]] = {
    **{f"RS{n}": ("rsassa_pkcs1v15", f"sha{n}", None) for n in (256, 384, 512)},
    **{f"PS{n}": ("rsassa_pss", f"sha{n}", None) for n in (256, 384, 512)},
    "ES256": ("ecdsa", "sha256", "secp256r1"),
    "ES384": ("ecdsa", "sha384", "secp384r1"),
    "ES512": ("ecdsa", "sha512", "secp521r1"),
}
#: algorithms refused outright: no signature, or a shared secret (anyone who can check can forge)
REFUSED = {"none", "HS256", "HS384", "HS512"}
#: the crit entries mcred understands and processes (RFC 7797 b64; TS 119 182-1 sigT, adoTst, iat)
UNDERSTOOD_CRIT = ("b64", "sigT", "adoTst", "iat")
#: RFC 7515 4.1.11: crit must not list parameters defined by JWS/JWA themselves
_REGISTERED = {"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"}
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
#: what EDC writes, and so what mcred writes: the payload's media type and the JOSE object type
CTY = "octet-stream"
TYP = "jose+json"
_MIN_RSA_BITS = 2048
_CURVE_BYTES = {"secp256r1": 32, "secp384r1": 48, "secp521r1": 66}


class JadesError(McredError):
    """A sealed credential whose JAdES form or seal is wrong; ``code`` says how (exit 1)."""

    exit_code = 1
    code = "JADES_MALFORMED"


def _error(code: str, message: str, path: str, hint: str | None = None, **params) -> JadesError:
    return JadesError(message, code=code, path=path, hint=hint, params=params)


def b64url_decode(text: Any, what: str, path: str) -> bytes:
    """Strict base64url without padding (RFC 7515 2)."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        raise _error("JADES_MALFORMED", f"{what} is not base64url", path, detail=f"{what} is not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64(text: Any, what: str, path: str) -> bytes:
    """Strict standard base64 (x5c, time-stamp tokens)."""
    try:
        if not isinstance(text, str):
            raise ValueError
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise _error("JADES_MALFORMED", f"{what} is not base64", path, detail=f"{what} is not base64") from None


def _json_object(data: bytes, what: str, path: str) -> dict:
    def no_duplicates(pairs):
        names = [name for name, _ in pairs]
        if len(set(names)) != len(names):  # RFC 7515 4: header parameter names are unique
            raise ValueError(f"a parameter is given twice in {what}")
        return dict(pairs)

    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _error("JADES_MALFORMED", f"{what} is not a JSON object ({exc})", path,
                     detail=f"{what} is not a JSON object") from None
    if not isinstance(value, dict):
        raise _error("JADES_MALFORMED", f"{what} is not a JSON object", path, detail=f"{what} is not a JSON object")
    return value


def is_jades(document: Any) -> bool:
    """True for a JWS in JSON serialization (general or flattened), which is how EDC seals credentials."""
    return (isinstance(document, dict) and "@context" not in document and "payload" in document
            and ("signatures" in document or "signature" in document))


@dataclass(frozen=True)
class EtsiU:
    """One unsigned component: its name, its value, and its text as it appears when base64url-encoded."""

    name: str
    value: Any
    raw: str | None


@dataclass
class Jws:
    """A parsed JAdES signature over its payload."""

    protected: str                 # the protected header, base64url, as it appears
    header: dict                   # ... parsed
    payload_member: str            # the payload member as it appears
    payload: bytes                 # the JWS Payload (the credential's bytes)
    signature_b64: str
    signature: bytes
    unprotected: dict
    etsiu: list[EtsiU]
    base: str                      # JSON path of the signature object, e.g. "$.signatures[0]"
    certificates: list[x509.Certificate] = field(default_factory=list)

    @property
    def b64(self) -> bool:
        return self.header.get("b64", True) is not False

    @property
    def signing_input(self) -> bytes:
        # RFC 7515 5.1 step 6 / RFC 7797 3: ASCII(protected) '.' payload (as is when b64 is false)
        return self.protected.encode("ascii") + b"." + self.payload_member.encode("utf-8")

    def component(self, name: str) -> list[tuple[int, EtsiU]]:
        return [(index, c) for index, c in enumerate(self.etsiu) if c.name == name]


def parse_jws(document: dict) -> Jws:
    """The one signature of a sealed credential, parsed and structurally checked (raises JadesError)."""
    if "signatures" in document:
        signatures = document["signatures"]
        if not isinstance(signatures, list) or not signatures:
            raise _error("JADES_MALFORMED", "signatures must be a non-empty list", "$.signatures",
                         detail="signatures must be a non-empty list")
        if len(signatures) != 1:
            raise _error("JADES_UNSUPPORTED", f"the file has {len(signatures)} signatures; mcred verifies "
                         "seals with exactly one", "$.signatures", feature=f"{len(signatures)} signatures")
        entry, base = signatures[0], "$.signatures[0]"
        if not isinstance(entry, dict):
            raise _error("JADES_MALFORMED", "a signature must be an object", base, detail="not an object")
    else:
        entry, base = document, "$"
    payload_member = document["payload"]
    if not isinstance(payload_member, str):
        raise _error("JADES_MALFORMED", "payload must be a string", "$.payload", detail="payload is not a string")
    protected = entry.get("protected")
    header = _json_object(b64url_decode(protected, "the protected header", f"{base}.protected"),
                          "the protected header", f"{base}.protected")
    unprotected = entry.get("header", {})
    if not isinstance(unprotected, dict):
        raise _error("JADES_MALFORMED", "header must be an object", f"{base}.header", detail="header")
    both = sorted(set(header) & set(unprotected))
    if both:  # RFC 7515 7.2.1: the protected and unprotected parameter names are disjoint
        raise _error("JADES_MALFORMED", f"{both[0]} is both in the protected and the unprotected header",
                     f"{base}.header.{both[0]}", detail=f"{both[0]} in both headers")
    b64 = header.get("b64", True)
    if not isinstance(b64, bool):
        raise _error("JADES_MALFORMED", "b64 must be true or false", f"{base}.protected", detail="b64")
    if "sigD" in header:
        raise _error("JADES_UNSUPPORTED", "the seal signs detached data (sigD), not the credential it carries",
                     f"{base}.protected", feature="sigD (detached signed data)")
    try:
        payload = payload_member.encode("utf-8") if not b64 else b64url_decode(payload_member, "payload",
                                                                               "$.payload")
    except UnicodeEncodeError:
        raise _error("JADES_MALFORMED", "payload is not valid Unicode text", "$.payload",
                     detail="payload is not valid Unicode") from None
    signature_b64 = entry.get("signature")
    signature = b64url_decode(signature_b64, "the signature", f"{base}.signature")
    return Jws(protected, header, payload_member, payload, signature_b64, signature, unprotected,
               _etsiu(unprotected.get("etsiU"), f"{base}.header.etsiU"), base)


def _etsiu(value: Any, path: str) -> list[EtsiU]:
    """TS 119 182-1 5.3: etsiU is an array of components, all base64url-encoded or all clear JSON."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _error("JADES_MALFORMED", "etsiU must be an array", path, detail="etsiU is not an array")
    if len({isinstance(item, str) for item in value}) > 1:
        raise _error("JADES_MALFORMED", "etsiU mixes base64url-encoded and clear components", path,
                     detail="etsiU mixes encoded and clear components")
    out = []
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        raw = item if isinstance(item, str) else None
        component = _json_object(b64url_decode(item, "an etsiU component", where), "an etsiU component",
                                 where) if raw is not None else item
        if not isinstance(component, dict) or len(component) != 1:
            raise _error("JADES_MALFORMED", "an etsiU component is an object with one member", where,
                         detail="an etsiU component is an object with one member")
        (name, content), = component.items()
        out.append(EtsiU(name, content, raw))
    return out


def certificates(jws: Jws) -> list[x509.Certificate]:
    """x5c: the sealing certificate first, then its chain (RFC 7515 4.1.6; standard base64 DER)."""
    chain = jws.header.get("x5c")
    path = f"{jws.base}.protected"
    if chain is None:
        raise _error("JADES_CERT_MISSING", "the seal does not carry its certificate (x5c)", path,
                     hint="mcred needs the certificate in the seal: it fetches nothing")
    if not isinstance(chain, list) or not chain:
        raise _error("JADES_CERT_MALFORMED", "x5c must be a non-empty array of certificates", path,
                     detail="x5c is not a non-empty array")
    from .x509 import usable

    out = []
    for index, text in enumerate(chain):
        try:
            cert = x509.load_der_x509_certificate(_b64(text, f"x5c[{index}]", path))
        except (ValueError, JadesError):
            cert = None
        if cert is None or not usable(cert):
            raise _error("JADES_CERT_MALFORMED", f"x5c[{index}] is not a DER X.509 certificate mcred can read",
                         path, detail=f"x5c[{index}] is not a usable certificate")
        out.append(cert)
    jws.certificates = out
    return out


def extra_certificates(jws: Jws) -> list[x509.Certificate]:
    """The certificates of the unsigned xVals components (TS 119 182-1 5.3.5.1), those that parse."""
    from .x509 import load_certificates

    ders = []
    for _, component in jws.component("xVals"):
        for item in component.value if isinstance(component.value, list) else []:
            cert = item.get("x509Cert") if isinstance(item, dict) else None
            value = cert.get("val") if isinstance(cert, dict) else None
            try:
                ders.append(base64.b64decode(value, validate=True) if isinstance(value, str) else b"")
            except ValueError:
                continue
    return load_certificates(ders)


def revocation_values(jws: Jws) -> tuple[list[bytes], list[bytes]]:
    """(OCSP responses, CRLs) of the unsigned rVals components (TS 119 182-1 5.3.5.2), DER."""
    ocsps, crls = [], []
    for _, component in jws.component("rVals"):
        value = component.value if isinstance(component.value, dict) else {}
        for name, out in (("ocspVals", ocsps), ("crlVals", crls)):
            for item in value.get(name, []) if isinstance(value.get(name), list) else []:
                text = item.get("val") if isinstance(item, dict) else None
                try:
                    out.append(base64.b64decode(text if isinstance(text, str) else "", validate=True))
                except ValueError:
                    continue
    return ocsps, crls


# -- the header -------------------------------------------------------------------------------


def check_algorithm(jws: Jws) -> tuple[str, str, str | None]:
    """The ``alg`` as (signature kind, digest, curve); refused or unsupported algorithms raise."""
    alg = jws.header.get("alg")
    path = f"{jws.base}.protected"
    if not isinstance(alg, str):
        raise _error("JADES_ALG_UNSUPPORTED", "alg is missing or not a string", path, alg=str(alg))
    if alg in REFUSED or alg.startswith("HS"):
        raise _error("JADES_ALG_REFUSED", f"alg {alg!r} is not a public-key signature: anyone who can check "
                     "it could have made it", path, hint="an eIDAS seal is RS256, PS256 or ES256", alg=alg)
    if alg not in ALGORITHMS:
        raise _error("JADES_ALG_UNSUPPORTED", f"alg {alg!r} is not one mcred verifies "
                     f"({', '.join(ALGORITHMS)})", path, alg=str(alg))
    return ALGORITHMS[alg]


def check_crit(jws: Jws) -> list[str]:
    """RFC 7515 4.1.11 and RFC 7797 6: the critical parameters, every one understood (raises otherwise)."""
    header, path = jws.header, f"{jws.base}.protected"
    crit = header.get("crit")
    if crit is None:
        if "b64" in header:
            raise _error("JADES_CRIT_INVALID", "b64 is used but not listed in crit (RFC 7797 6)", path,
                         detail="b64 is not listed in crit")
        return []
    if not isinstance(crit, list) or not crit or not all(isinstance(n, str) for n in crit) \
            or len(set(crit)) != len(crit):
        raise _error("JADES_CRIT_INVALID", "crit must be a non-empty list of distinct names", path,
                     detail="crit is not a list of distinct names")
    for name in crit:
        if name in _REGISTERED:
            raise _error("JADES_CRIT_INVALID", f"crit lists {name}, which JWS itself defines", path,
                         detail=f"crit lists {name}")
        if name not in header:
            raise _error("JADES_CRIT_INVALID", f"crit lists {name}, which the protected header does not have",
                         path, detail=f"crit lists the absent {name}")
        if name not in UNDERSTOOD_CRIT:
            raise _error("JADES_CRIT_UNKNOWN", f"the seal requires its verifier to understand {name!r}, "
                         "which mcred does not, so it cannot be accepted (RFC 7515 4.1.11)", path,
                         hint=f"mcred understands {', '.join(UNDERSTOOD_CRIT)}", name=name)
    if "b64" in header and "b64" not in crit:
        raise _error("JADES_CRIT_INVALID", "b64 is used but not listed in crit (RFC 7797 6)", path,
                     detail="b64 is not listed in crit")
    return list(crit)


def check_references(jws: Jws, cert: x509.Certificate) -> list[str]:
    """x5t#S256, x5t and kid, when present, must all name ``cert`` (raises otherwise); returns those checked."""
    from .x509 import der

    path, data, checked = f"{jws.base}.protected", der(cert), []
    for name, digest in (("x5t#S256", "sha256"), ("x5t", "sha1")):
        if name in jws.header:
            if jws.header[name] != b64url(hashlib.new(digest, data).digest()):
                raise _error("JADES_X5T_MISMATCH", f"{name} is not the digest of the certificate in x5c: the "
                             "seal names another certificate than the one it carries", path, name=name)
            checked.append(name)
    kid = jws.header.get("kid")
    if isinstance(kid, str):
        from ._asn1 import Asn1Error, parse_issuer_serial

        try:
            issuer, serial = parse_issuer_serial(base64.b64decode(kid, validate=True))
        except (ValueError, Asn1Error):
            return checked  # a kid that is not an IssuerSerial is only a hint (RFC 7515 4.1.4)
        if issuer != cert.issuer.public_bytes() or serial != cert.serial_number:
            raise _error("JADES_KID_MISMATCH", "kid names another certificate (issuer and serial number) than "
                         "the one in x5c", path, name="kid")
        checked.append("kid")
    return checked


# -- the signature ----------------------------------------------------------------------------


def verify_signature(jws: Jws, cert: x509.Certificate) -> None:
    """Raise JadesError unless the signature over the signing input verifies with ``cert``'s key."""
    kind, digest, curve = check_algorithm(jws)
    key, path = cert.public_key(), f"{jws.base}.signature"
    alg = jws.header["alg"]
    if kind.startswith("rsassa") and not isinstance(key, rsa.RSAPublicKey) or \
            kind == "ecdsa" and not (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == curve):
        raise _error("JADES_ALG_KEY_MISMATCH", f"alg {alg} does not fit the certificate's "
                     f"{type(key).__name__.removeprefix('_')} key", path, alg=alg)
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < _MIN_RSA_BITS:
        raise _error("JADES_KEY_TOO_WEAK", f"the certificate's RSA key has {key.key_size} bits (at least "
                     f"{_MIN_RSA_BITS} are needed)", path, bits=key.key_size)
    from .x509 import verify_with

    signature = jws.signature
    if kind == "ecdsa":
        size = _CURVE_BYTES[curve]
        if len(signature) != 2 * size:  # RFC 7518 3.4: R and S, each of the curve's size
            raise _error("JADES_SIGNATURE_INVALID", "the ECDSA signature does not have the curve's length",
                         path)
        signature = encode_dss_signature(int.from_bytes(signature[:size], "big"),
                                         int.from_bytes(signature[size:], "big"))
    if verify_with(cert, signature, jws.signing_input, kind, digest):
        return
    if kind == "rsassa_pkcs1v15" and not _made_with(key, jws.signature, digest):
        raise _error("JADES_CERT_NOT_SIGNER", "the seal was not made with the key of the certificate in x5c: "
                     "the certificate was replaced, or the signature value altered", path,
                     hint="a seal cannot be moved to another certificate")
    raise _error("JADES_SIGNATURE_INVALID", "the seal does not match: the credential or the protected header was "
                 "changed after sealing" + ("" if kind == "rsassa_pkcs1v15" else
                                             ", or the certificate is not the one it was sealed with"), path)


def _made_with(key: rsa.RSAPublicKey, signature: bytes, digest: str) -> bool:
    """For RSASSA-PKCS1-v1_5, whether this key made the signature (over whatever data).

    The signature opens, with the public key, to a padded DigestInfo only when it
    was made with the matching private key; then a mismatch means the data changed.
    """
    from .x509 import _HASHES

    try:
        key.recover_data_from_signature(signature, padding.PKCS1v15(), _HASHES[digest]())
    except (InvalidSignature, ValueError):
        return False
    return True


# -- time-stamps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimestampRef:
    """A time-stamp token in the seal: where it is, what kind, and the bytes its imprint must cover."""

    kind: str            # adoTst, sigTst, arcTst
    path: str
    token: bytes | None  # DER, or None when it is not base64
    stamped: bytes | None  # None: mcred cannot compute what it stamps (reason in ``unsupported``)
    unsupported: str = ""


def timestamps(jws: Jws) -> list[TimestampRef]:
    """Every time-stamp token, with what TS 119 182-1 says it stamps.

    * adoTst (5.2.8.3, content time-stamp): the JWS Payload as in the signing
      input (as is when b64 is false, base64url otherwise);
    * sigTst (5.3.4): the base64url-encoded signature value;
    * arcTst (5.3.6.3.1.1): payload '.' protected header '.' signature '.' and
      every base64url-encoded etsiU component before it, concatenated.
    """
    payload = jws.payload_member.encode("utf-8")
    out: list[TimestampRef] = []
    if "adoTst" in jws.header:
        out += _tokens("adoTst", jws.header["adoTst"], f"{jws.base}.protected", payload, "")
    for index, component in enumerate(jws.etsiu):
        path = f"{jws.base}.header.etsiU[{index}]"
        if component.name == "sigTst":
            out += _tokens("sigTst", component.value, path, jws.signature_b64.encode("ascii"), "")
        elif component.name == "arcTst":
            before = jws.etsiu[:index]
            reason = ""
            if any(c.raw is None for c in before) or component.raw is None:
                reason = "clear-JSON etsiU components need the canonicalisation of TS 119 182-1 5.3.6.3.1.2"
            elif isinstance(component.value, dict) and component.value.get("timeStamped", "all") != "all":
                reason = f"timeStamped {component.value.get('timeStamped')!r}"
            stamped = None if reason else (payload + b"." + jws.protected.encode("ascii") + b"." +
                                           jws.signature_b64.encode("ascii") + b"." +
                                           b"".join(c.raw.encode("ascii") for c in before))
            out += _tokens("arcTst", component.value, path, stamped, reason)
    return out


def _tokens(kind: str, value: Any, path: str, stamped: bytes | None, reason: str) -> list[TimestampRef]:
    tokens = value.get("tstTokens") if isinstance(value, dict) else None
    if not isinstance(tokens, list) or not tokens:
        return [TimestampRef(kind, path, None, stamped, "no tstTokens")]
    if isinstance(value, dict) and value.get("canonAlg") is not None and not reason:
        reason = f"canonAlg {value.get('canonAlg')!r}"
        stamped = None
    out = []
    for item in tokens:
        text = item.get("val") if isinstance(item, dict) else None
        encoding = item.get("encoding") if isinstance(item, dict) else None
        try:
            token = base64.b64decode(text, validate=True) if isinstance(text, str) else None
        except ValueError:
            token = None
        if encoding not in (None, "http://uri.etsi.org/19182/DER"):
            token = None
        out.append(TimestampRef(kind, path, token, stamped, reason))
    return out


# -- sealing (baseline B) ---------------------------------------------------------------------


def signature_algorithm(key, alg: str | None = None) -> str:
    """The JWS alg for a private key: RS256 for RSA (as EDC seals), ES256/384/512 by curve; or ``alg`` if it fits."""
    if isinstance(key, rsa.RSAPrivateKey):
        chosen = alg or "RS256"
        if not chosen.startswith(("RS", "PS")) or chosen not in ALGORITHMS:
            raise ValueError(f"{chosen} does not fit an RSA key (RS256, RS384, RS512, PS256, PS384, PS512)")
        if key.key_size < _MIN_RSA_BITS:
            raise ValueError(f"the RSA key has {key.key_size} bits; a seal needs at least {_MIN_RSA_BITS}")
        return chosen
    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {curve: name for name, (_, _, curve) in ALGORITHMS.items() if curve}
        chosen = by_curve.get(key.curve.name)
        if chosen is None or (alg and alg != chosen):
            raise ValueError(f"the key's curve {key.curve.name} needs {chosen or 'a curve mcred does not seal with'}")
        return chosen
    raise ValueError(f"a {type(key).__name__.removeprefix('_')} key cannot make a JAdES seal (RSA or EC keys only)")


def sign_bytes(key, alg: str, data: bytes) -> bytes:
    """The JWS signature of ``data`` (ECDSA as R || S, RFC 7518 3.4)."""
    from .x509 import _HASHES

    kind, digest, curve = ALGORITHMS[alg]
    algorithm = _HASHES[digest]()
    if kind == "rsassa_pkcs1v15":
        return key.sign(data, padding.PKCS1v15(), algorithm)
    if kind == "rsassa_pss":  # RFC 7518 3.5: the salt is as long as the digest
        return key.sign(data, padding.PSS(padding.MGF1(algorithm), padding.PSS.DIGEST_LENGTH), algorithm)
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(algorithm)))
    size = _CURVE_BYTES[curve]
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def make_seal(payload: bytes, sign: Callable[[bytes], bytes], alg: str, chain: list[x509.Certificate],
              signing_time: str) -> dict:
    """A JAdES baseline-B seal over ``payload`` (unencoded, RFC 7797), with EDC's protected header.

    ``sign`` signs the signing input with the key of ``chain[0]``. The header has
    the parameters of EDC's own seals, less the content time-stamp (mcred is
    offline): alg, cty, kid (IssuerSerial), x5t#S256, x5c, typ, b64 false, sigT, crit.
    """
    from ._asn1 import issuer_serial
    from .x509 import der

    leaf = chain[0]
    header = {
        "alg": alg,
        "cty": CTY,
        "kid": base64.b64encode(issuer_serial(leaf.issuer.public_bytes(), leaf.serial_number)).decode("ascii"),
        "x5t#S256": b64url(hashlib.sha256(der(leaf)).digest()),
        "x5c": [base64.b64encode(der(cert)).decode("ascii") for cert in chain],
        "typ": TYP,
        "b64": False,
        "sigT": signing_time,
        "crit": ["b64", "sigT"],
    }
    protected = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    text = payload.decode("utf-8")
    signature = sign(protected.encode("ascii") + b"." + payload)
    # an empty etsiU: baseline B has no unsigned properties (EU DSS classifies a JWS as JAdES by its presence)
    return {"payload": text, "signatures": [{"protected": protected, "header": {"etsiU": []},
                                              "signature": b64url(signature)}]}


def digest_matches(name: str, data: bytes, expected: bytes) -> bool:
    """Whether ``name``(data) is ``expected``; False for an unsupported digest."""
    try:
        return digest_of(name, data) == expected
    except ValueError:
        return False


# --- the payload ----------------------------------------------------------------------------------


class DuplicateKey(ValueError):
    """A JSON object with a key given twice (:func:`no_duplicate_keys`)."""

    def __init__(self, key: str, where: str) -> None:
        super().__init__(f"the key {key!r} is given twice")
        self.key, self.where = key, where


def no_duplicate_keys(pairs: list) -> dict:
    """json.loads' object hook: an object with a key given twice is refused. Parsers disagree on which value
    counts (Python's and JavaScript's the last, others the first), so what the seal vouches for would depend
    on the reader."""
    seen: set = set()
    for key, _ in pairs:
        if key in seen:
            others = ", ".join(sorted(k for k, _ in pairs if k != key)[:3])
            raise DuplicateKey(key, f"an object with {others}" if others else "an object")
        seen.add(key)
    return dict(pairs)


def sealed_payload(document: Any) -> dict | None:
    """The credential a sealed (JAdES) file carries, parsed, without verifying anything; None if not sealed.

    For viewers (``mcred show``): what to display. Whether to believe it is the
    report's business (:func:`mcred.verify.runner.verify_credential`).
    """
    if not is_jades(document):
        return None
    try:
        payload = json.loads(parse_jws(document).payload.decode("utf-8"), object_pairs_hook=no_duplicate_keys)
    except (JadesError, UnicodeDecodeError, ValueError, RecursionError):  # DuplicateKey is a ValueError
        return None
    return payload if isinstance(payload, dict) else None
