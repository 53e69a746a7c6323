"""X.509 for sealed credentials: who a certificate names, what it claims, and whom it chains to.

Everything is offline: a chain is built only from certificates the sealed file
carries (``x5c``, the ``xVals`` of ``etsiU``, time-stamp tokens) and the trust
anchors of the trust file; revocation is checked only against the CRLs and OCSP
responses the file carries (``rVals``). Nothing is fetched.

Path validation (RFC 5280 6.1, the parts a seal needs), at one time (the signing
time, or a time-stamp's time): each certificate is signed by the next, valid at
that time, every issuer is a CA (basicConstraints, keyCertSign, path length), no
certificate has a critical extension mcred does not process; then the path is
confirmed by pyca/cryptography's own verifier. A path ends at a *trust anchor*:
a certificate whose SHA-256 fingerprint the trust file lists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

#: ETSI EN 319 412-5 statement ids
QC_COMPLIANCE = "0.4.0.1862.1.1"
QC_SSCD = "0.4.0.1862.1.4"
QC_TYPE = "0.4.0.1862.1.6"
QC_TYPES = {"0.4.0.1862.1.6.1": "esign", "0.4.0.1862.1.6.2": "eseal", "0.4.0.1862.1.6.3": "web"}
_QC_STATEMENTS = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3")
_ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")

#: critical extensions mcred processes (or that constrain nothing a seal relies on)
_UNDERSTOOD_CRITICAL = {
    ExtensionOID.KEY_USAGE, ExtensionOID.BASIC_CONSTRAINTS, ExtensionOID.EXTENDED_KEY_USAGE,
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME, ExtensionOID.CERTIFICATE_POLICIES,
}
MAX_CHAIN = 8

_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def digest_of(name: str, data: bytes) -> bytes:
    """``name`` (sha256, sha384, sha512, sha1) of ``data``; ValueError for another name."""
    if name not in _HASHES:
        raise ValueError(f"digest algorithm {name!r} is not supported")
    return hashlib.new(name, data).digest()


def usable(cert: x509.Certificate) -> bool:
    """Whether every part mcred reads parses: cryptography parses certificates lazily, and raises late."""
    try:
        parts = (cert.subject, cert.issuer, cert.public_key(), list(cert.extensions), cert.not_valid_before_utc,
                 cert.not_valid_after_utc)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return all(part is not None for part in parts)


def load_certificates(ders: list[bytes]) -> list[x509.Certificate]:
    """The DER certificates that parse and are usable; the others are left out."""
    out = []
    for data in ders:
        try:
            cert = x509.load_der_x509_certificate(data)
        except ValueError:
            continue
        if usable(cert):
            out.append(cert)
    return out


def fingerprint(cert: x509.Certificate) -> str:
    """The SHA-256 of the certificate's DER, in lower-case hex (what trust files list)."""
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def _attribute(name: x509.Name, oid) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


@dataclass(frozen=True)
class Identity:
    """Who a certificate names: what a person reads as "sealed by"."""

    organisation: str | None
    identifier: str | None
    common_name: str | None
    country: str | None

    @classmethod
    def of(cls, cert: x509.Certificate) -> Identity:
        subject = cert.subject
        return cls(_attribute(subject, NameOID.ORGANIZATION_NAME), _attribute(subject, _ORGANIZATION_IDENTIFIER),
                   _attribute(subject, NameOID.COMMON_NAME), _attribute(subject, NameOID.COUNTRY_NAME))

    def label(self) -> str:
        """``ORGANISATION (IDENTIFIER)``, or the common name, or "(unnamed)"."""
        name = self.organisation or self.common_name or "(unnamed)"
        return f"{name} ({self.identifier})" if self.identifier else name

    def to_dict(self) -> dict:
        return {"organisation": self.organisation, "identifier": self.identifier,
                "common_name": self.common_name, "country": self.country}


def short_name(cert: x509.Certificate) -> str:
    """The common name, else the organisation, else the whole subject."""
    return (_attribute(cert.subject, NameOID.COMMON_NAME) or _attribute(cert.subject, NameOID.ORGANIZATION_NAME)
            or cert.subject.rfc4514_string())


@dataclass(frozen=True)
class QcClaims:
    """What a certificate's qcStatements claim (ETSI EN 319 412-5); claimed, not checked against trusted lists."""

    present: bool = False
    qualified: bool = False       # QcCompliance: an EU qualified certificate
    qscd: bool = False            # QcSSCD: the private key is in a qualified device
    types: tuple[str, ...] = ()   # QcType: esign, eseal, web
    malformed: bool = False

    def to_dict(self) -> dict:
        return {"qualified": self.qualified, "qscd": self.qscd, "types": list(self.types),
                "malformed": self.malformed}


def qc_claims(cert: x509.Certificate) -> QcClaims:
    from ._asn1 import Asn1Error, qc_statements

    try:
        extension = cert.extensions.get_extension_for_oid(_QC_STATEMENTS)
    except x509.ExtensionNotFound:
        return QcClaims()
    try:
        statements = qc_statements(extension.value.public_bytes())
    except Asn1Error:
        return QcClaims(present=True, malformed=True)
    types = tuple(QC_TYPES.get(oid, oid) for oid in statements.get(QC_TYPE, []))
    return QcClaims(True, QC_COMPLIANCE in statements, QC_SSCD in statements, types)


def _extension(cert: x509.Certificate, oid):
    try:
        return cert.extensions.get_extension_for_oid(oid).value
    except x509.ExtensionNotFound:
        return None


def can_seal(cert: x509.Certificate) -> bool:
    """keyUsage, when present, allows digitalSignature or nonRepudiation (contentCommitment)."""
    usage = _extension(cert, ExtensionOID.KEY_USAGE)
    return usage is None or usage.digital_signature or usage.content_commitment


def is_ca(cert: x509.Certificate) -> bool:
    """basicConstraints says CA: a certificate for issuing certificates, not for sealing documents."""
    constraints = _extension(cert, ExtensionOID.BASIC_CONSTRAINTS)
    return constraints is not None and constraints.ca


#: extended key usages for something else than signing documents (RFC 5280 4.2.1.12)
_NOT_FOR_DOCUMENTS = frozenset({ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH,
                                ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.OCSP_SIGNING,
                                ExtendedKeyUsageOID.CODE_SIGNING})


def seal_usages_refused(cert: x509.Certificate) -> list[str] | None:
    """The extended key usages, when every one is for something else than signing documents (a TLS server, a
    time-stamping authority...); None when there is none, or one that may sign documents (document signing,
    e-mail protection, any purpose, or a purpose mcred does not know)."""
    usage = _extension(cert, ExtensionOID.EXTENDED_KEY_USAGE)
    if usage is None or any(oid not in _NOT_FOR_DOCUMENTS for oid in usage):
        return None
    return [getattr(oid, "_name", oid.dotted_string) for oid in usage]


def is_tsa(cert: x509.Certificate) -> bool:
    """RFC 3161 2.3: a time-stamping certificate has the timeStamping extended key usage."""
    usage = _extension(cert, ExtensionOID.EXTENDED_KEY_USAGE)
    return usage is not None and ExtendedKeyUsageOID.TIME_STAMPING in usage


def valid_at(cert: x509.Certificate, when: datetime) -> bool:
    return cert.not_valid_before_utc <= when <= cert.not_valid_after_utc


# -- signatures with a certificate's key ------------------------------------------------------


def verify_with(cert: x509.Certificate, signature: bytes, data: bytes, kind: str, digest: str,
                pss_salt: int | None = None) -> bool:
    """True when ``signature`` over ``data`` verifies with the certificate's key.

    ``kind`` is "rsassa_pkcs1v15", "rsassa_pss" or "ecdsa" (DER-encoded signature).
    """
    return _verifies(cert, signature, data, kind, _HASHES[digest](), pss_salt)


def _verifies(cert: x509.Certificate, signature: bytes, data: bytes, kind: str, algorithm: hashes.HashAlgorithm,
              pss_salt: int | None = None) -> bool:
    key = cert.public_key()
    try:
        if kind == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif kind == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
            salt = padding.PSS.DIGEST_LENGTH if pss_salt is None else pss_salt
            key.verify(signature, data, padding.PSS(padding.MGF1(algorithm), salt), algorithm)
        elif kind == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, ValueError):
        return False
    return True


# -- chains -----------------------------------------------------------------------------------


@dataclass
class Chain:
    """The result of building a certificate's path to a trust anchor.

    ``status``: "trusted" (a valid path to an anchor), "untrusted" (no path to an
    anchor: the seal may be genuine, its signer is not known to you), "broken" (a
    certificate names a trusted CA as its issuer, but that CA did not sign it) or
    "invalid" (a path to an anchor that breaks a rule: ``reason`` says which).
    """

    status: str
    path: list[x509.Certificate] = field(default_factory=list)
    anchor: object | None = None
    reason: str = ""

    def names(self) -> list[str]:
        return [short_name(c) for c in self.path]


def _issued(child: x509.Certificate, parent: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def build_chain(leaf: x509.Certificate, pool: list[x509.Certificate], anchors: dict[str, object],
                when: datetime) -> Chain:
    """Build and validate ``leaf``'s path to a trust anchor, at ``when``.

    ``pool`` holds the certificates the file carries; ``anchors`` maps SHA-256
    fingerprints to the trust file's anchor entries (whose ``cert``, when the
    trust file holds the certificate itself, joins the pool).
    """
    pool = _unique([*pool, *(a.cert for a in anchors.values() if getattr(a, "cert", None) is not None)])[:64]
    best = Chain("untrusted", [leaf], reason="no certificate in the file or the trust file issued it")
    stack = [[leaf]]
    budget = 256  # signature checks: a file cannot make path building run for ever
    while stack and budget > 0:
        path = stack.pop()
        top = path[-1]
        anchor = anchors.get(fingerprint(top))
        if anchor is not None:
            return _validated(path, anchor, when)
        if len(path) > MAX_CHAIN:
            continue
        candidates = [c for c in pool if c.subject == top.issuer and c not in path]
        extended = False
        for candidate in candidates:
            budget -= 1
            if _issued(top, candidate):
                stack.append([*path, candidate])
                extended = True
            elif fingerprint(candidate) in anchors:
                best = Chain("broken", path, anchors[fingerprint(candidate)],
                             f"{short_name(top)} names the trusted {short_name(candidate)} as its issuer, "
                             "but was not signed by it")
        if not extended and best.status != "broken" and len(path) >= len(best.path):
            end = ("a self-signed root" if top.subject == top.issuer
                   else f"{top.issuer.rfc4514_string()} (not in the file)")
            best = Chain("untrusted", path, reason=f"the chain ends at {end}")
    return best


def _unique(certs: list[x509.Certificate]) -> list[x509.Certificate]:
    seen, out = set(), []
    for cert in certs:
        key = fingerprint(cert)
        if key not in seen:
            seen.add(key)
            out.append(cert)
    return out


def _validated(path: list[x509.Certificate], anchor: object, when: datetime) -> Chain:
    """RFC 5280 6.1 checks along a path that reaches an anchor, then pyca/cryptography's verifier."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for index, cert in enumerate(path):
        name = short_name(cert)
        if not valid_at(cert, when):
            return Chain("invalid", path, anchor, f"{name} was not valid at {stamp} (valid "
                         f"{cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d})")
        unknown = [e.oid.dotted_string for e in cert.extensions
                   if e.critical and e.oid not in _UNDERSTOOD_CRITICAL]
        if unknown:
            return Chain("invalid", path, anchor, f"{name} has a critical extension mcred does not "
                         f"process ({', '.join(unknown)})")
        if index == 0:
            continue
        constraints = _extension(cert, ExtensionOID.BASIC_CONSTRAINTS)
        usage = _extension(cert, ExtensionOID.KEY_USAGE)
        if constraints is None or not constraints.ca:
            return Chain("invalid", path, anchor, f"{name} issued a certificate but is not a CA")
        if usage is not None and not usage.key_cert_sign:
            return Chain("invalid", path, anchor, f"{name} is not allowed to sign certificates (keyUsage)")
        below = sum(1 for c in path[1:index] if c.subject != c.issuer)  # intermediates under it
        if constraints.path_length is not None and below > constraints.path_length:
            return Chain("invalid", path, anchor, f"{name} allows {constraints.path_length} CA(s) below it")
    problem = _confirm(path, when)
    if problem:
        return Chain("invalid", path, anchor, problem)
    return Chain("trusted", path, anchor)


def _confirm(path: list[x509.Certificate], when: datetime) -> str | None:
    """The same path through pyca/cryptography's verifier (its CA rules; any end-entity extensions)."""
    if len(path) == 1:  # the leaf itself is the anchor
        return None
    from cryptography.x509.verification import ExtensionPolicy, PolicyBuilder, Store, VerificationError

    verifier = (PolicyBuilder().store(Store([path[-1]])).time(when)
                .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(),
                                    ee_policy=ExtensionPolicy.permit_all())
                .build_client_verifier())
    try:
        verifier.verify(path[0], path[1:-1])
    except (VerificationError, ValueError, TypeError) as exc:
        return f"the chain does not pass pyca/cryptography's path validation: {exc}"
    return None


# -- revocation data carried in the file ------------------------------------------------------


@dataclass(frozen=True)
class Revocation:
    """What the file's revocation data says about a certificate.

    ``status``: "good", "revoked" or "unknown" (no usable data); ``kind`` ("CRL" or
    "OCSP") and ``by`` (who signed it) name what was used; ``revoked_at`` and
    ``produced_at`` when known.
    """

    status: str
    kind: str = ""
    by: str = ""
    produced_at: datetime | None = None
    revoked_at: datetime | None = None


def check_revocation(cert: x509.Certificate, issuer: x509.Certificate, ocsp_ders: list[bytes],
                     crl_ders: list[bytes], pool: list[x509.Certificate]) -> Revocation:
    """The status of ``cert`` per the OCSP responses and CRLs given, when one verifies; else unknown."""
    for data in ocsp_ders:
        found = _ocsp_status(cert, issuer, data, pool)
        if found is not None:
            return found
    for data in crl_ders:
        try:
            crl = x509.load_der_x509_crl(data)
            if crl.issuer != cert.issuer or not crl.is_signature_valid(issuer.public_key()):
                continue
            entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
            last_update = crl.last_update_utc
            revoked_at = entry.revocation_date_utc if entry is not None else None
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        if entry is None:
            return Revocation("good", "CRL", short_name(issuer), last_update)
        return Revocation("revoked", "CRL", short_name(issuer), last_update, revoked_at)
    return Revocation("unknown")


def _ocsp_status(cert, issuer, data: bytes, pool) -> Revocation | None:
    try:
        return _ocsp_status_of(cert, issuer, data, pool)
    except (ValueError, TypeError, UnsupportedAlgorithm):  # an OCSP response that does not parse: not used
        return None


def _ocsp_status_of(cert, issuer, data: bytes, pool) -> Revocation | None:
    from cryptography.x509 import ocsp

    try:
        response = ocsp.load_der_ocsp_response(data)
        if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return None
        singles = list(response.responses)
    except ValueError:
        return None
    for single in singles:
        if single.serial_number != cert.serial_number:
            continue
        request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, single.hash_algorithm).build()
        if (request.issuer_key_hash, request.issuer_name_hash) != (single.issuer_key_hash, single.issuer_name_hash):
            continue
        responder = _responder(response, issuer, [*response.certificates, *pool])
        if responder is None:
            return None
        algorithm = response.signature_hash_algorithm
        if algorithm is None or not _signed_by(responder, response.signature, response.tbs_response_bytes, algorithm):
            return None
        by, when = short_name(responder), response.produced_at_utc
        if single.certificate_status == ocsp.OCSPCertStatus.GOOD:
            return Revocation("good", "OCSP", by, when)
        if single.certificate_status == ocsp.OCSPCertStatus.REVOKED:
            return Revocation("revoked", "OCSP", by, when, single.revocation_time_utc)
    return None


def _responder(response, issuer: x509.Certificate, candidates: list[x509.Certificate]):
    """RFC 6960 4.2.2.2: the CA itself, or a certificate it issued for OCSP signing."""
    for cert in [issuer, *candidates]:
        if response.responder_name is not None and cert.subject != response.responder_name:
            continue
        # byKey: the SHA-1 of the responder's public key bits, as a subject key identifier is computed
        if response.responder_key_hash is not None and \
                x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest != response.responder_key_hash:
            continue
        if cert == issuer:
            return cert
        usage = _extension(cert, ExtensionOID.EXTENDED_KEY_USAGE)
        if usage is not None and ExtendedKeyUsageOID.OCSP_SIGNING in usage and _issued(cert, issuer):
            return cert
    return None


def _signed_by(cert: x509.Certificate, signature: bytes, data: bytes, algorithm) -> bool:
    """An OCSP response's signature: PKCS#1 v1.5 with an RSA key, ECDSA with an EC key (anything else fails)."""
    kind = "ecdsa" if isinstance(cert.public_key(), ec.EllipticCurvePublicKey) else "rsassa_pkcs1v15"
    return _verifies(cert, signature, data, kind, algorithm)
