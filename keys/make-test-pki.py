"""Make the TEST-ONLY PKI of the SD-JWT VC demo and examples (run from the repository root:
``python keys/make-test-pki.py``): a root CA, an issuer P-256 key with its certificate, and a holder key.

The keys are derived from public seeds, so anyone can sign with them: never trust what they sign outside
tests and demos. The certificates are valid 2026-01-01 to 2036-01-01; ECDSA signatures are randomised, so a
re-run makes other certificate bytes for the same keys.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

KEYS = Path(__file__).resolve().parent
START, END = datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2036, 1, 1, tzinfo=timezone.utc)


def _key(label: str) -> ec.EllipticCurvePrivateKey:
    seed = hashlib.sha256(f"mcred TEST ONLY {label} key - never use for real credentials".encode()).digest()
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256's group order
    return ec.derive_private_key(int.from_bytes(seed, "big") % (order - 1) + 1, ec.SECP256R1())


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mcred TEST ONLY"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool) -> x509.Certificate:
    usage = x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                          encipher_only=False, decipher_only=False)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(START).not_valid_after(END)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
               .add_extension(usage, critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def main() -> None:
    ca_key, issuer_key, holder_key = _key("CA"), _key("P-256 issuer"), _key("holder")
    root = _certificate("mcred TEST ONLY root CA", ca_key, "mcred TEST ONLY root CA", ca_key, ca=True)
    leaf = _certificate("mcred TEST ONLY issuer (ITS Academy Esempio)", issuer_key, "mcred TEST ONLY root CA",
                        ca_key, ca=False)
    pem = serialization.Encoding.PEM
    (KEYS / "TEST-ONLY-root-ca.pem").write_bytes(root.public_bytes(pem))
    (KEYS / "TEST-ONLY-p256-issuer.pem").write_bytes(_pem_key(issuer_key))
    (KEYS / "TEST-ONLY-p256-issuer.chain.pem").write_bytes(leaf.public_bytes(pem) + root.public_bytes(pem))
    (KEYS / "TEST-ONLY-holder.pem").write_bytes(_pem_key(holder_key))
    (KEYS / "TEST-ONLY-holder.public.pem").write_bytes(holder_key.public_key().public_bytes(
        pem, serialization.PublicFormat.SubjectPublicKeyInfo))
    for name in ("TEST-ONLY-p256-issuer.pem", "TEST-ONLY-holder.pem"):
        (KEYS / name).chmod(0o600)


if __name__ == "__main__":
    main()
