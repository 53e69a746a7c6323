"""Test certificates made on the fly: a P-256 CA and issuer certificates, good and bad (never on disk)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "IT")])


def certificate(subject_key, issuer_key, *, subject: str, issuer: str, ca: bool = False,
                digital_signature: bool = True, start: datetime = NOW - timedelta(days=30),
                days: int = 365) -> x509.Certificate:
    usage = x509.KeyUsage(digital_signature=digital_signature, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=not digital_signature, key_cert_sign=ca,
                          crl_sign=ca, encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
            .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(issuer_key, hashes.SHA256()))


def ca() -> tuple:
    """A self-signed P-256 CA: (private key, certificate)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key, certificate(key, key, subject="Test CA", issuer="Test CA", ca=True, days=3650)
