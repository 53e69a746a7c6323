"""X.509 trust anchors: the certification authorities whose seals you trust (the trust file's ``anchors``).

A credential sealed with JAdES names its sealer in an X.509 certificate; that
name is only as good as the CA that issued the certificate. An anchor is one CA
certificate you decided to trust, listed in the trust file by its SHA-256
fingerprint, with the certificate itself (PEM) or without it (then it must be
among the certificates the sealed file carries, as EDC's ``xVals`` do)::

    anchors:
      - name: ANF AC Qualified Certificates for eSeal   # your label, shown in reports
        sha256: 3431292a66fb...                          # SHA-256 of the certificate's DER
        certificate: |                                   # optional: the certificate, PEM
          -----BEGIN CERTIFICATE-----
          ...

A chain that reaches an anchor is trusted; the anchor need not be a root.
Anchors also decide whether a time-stamping authority is trusted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from mcred.errors import TrustValueError

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _value_error(message: str, path: str) -> TrustValueError:
    return TrustValueError(message, path=path)


def normalise_fingerprint(value: Any) -> str:
    """A SHA-256 fingerprint as 64 lower-case hex digits (colons and spaces, as tools print them, dropped)."""
    text = re.sub(r"[:\s]", "", value).lower() if isinstance(value, str) else ""
    if not _HEX64.match(text):
        raise _value_error(f"{value!r} is not a SHA-256 fingerprint (64 hex digits)", "sha256")
    return text


def load_pem_certificate(text: Any) -> x509.Certificate:
    """Exactly one certificate from PEM text."""
    if not isinstance(text, str):
        raise _value_error("must be a PEM certificate (-----BEGIN CERTIFICATE-----)", "certificate")
    try:
        certs = x509.load_pem_x509_certificates(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise _value_error("is not a PEM certificate (-----BEGIN CERTIFICATE-----)", "certificate") from None
    if len(certs) != 1:
        raise _value_error(f"holds {len(certs)} certificates: give one per anchor", "certificate")
    return certs[0]


@dataclass(frozen=True)
class X509Anchor:
    """A CA certificate you trust, by fingerprint (and, optionally, the certificate itself)."""

    name: str
    sha256: str
    certificate: str | None = None
    #: the parsed certificate, when given
    cert: x509.Certificate | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise _value_error("must be a non-empty string", "name")
        object.__setattr__(self, "sha256", normalise_fingerprint(self.sha256))
        if self.certificate is not None:
            from .x509 import usable

            cert = load_pem_certificate(self.certificate)
            if not usable(cert):
                raise _value_error("is a certificate mcred cannot read (its extensions or key)", "certificate")
            digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
            if digest != self.sha256:
                raise _value_error(f"the certificate's SHA-256 is {digest}, not the sha256 given", "sha256")
            object.__setattr__(self, "cert", cert)

    @classmethod
    def from_certificate(cls, cert: x509.Certificate, name: str | None = None) -> X509Anchor:
        """An anchor holding ``cert``, named ``name`` or by the certificate's subject."""
        pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
        digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
        return cls(name or cert.subject.rfc4514_string(), digest, pem)

    def to_data(self) -> dict:
        data = {"name": self.name, "sha256": self.sha256}
        if self.certificate is not None:
            data["certificate"] = self.certificate
        return data
