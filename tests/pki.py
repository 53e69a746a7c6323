"""A throw-away X.509 PKI for the seal tests, made with pyca/cryptography: CAs, seal certificates, files.

Nothing here is secret or long-lived: every key is generated when the tests run
(RSA keys once per session, see ``tests/conftest.py``).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
END = datetime(2028, 1, 1, tzinfo=timezone.utc)
ORG_ID = x509.ObjectIdentifier("2.5.4.97")
QC_STATEMENTS = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3")
#: DER qcStatements: QcCompliance, QcRetentionPeriod 15, QcType eseal, id-qcs-pkixQCSyntax-v2
#: (the statements of the EC sample's seal certificate)
QC_ESEAL = bytes.fromhex("30383008060604008e460101300b060604008e46010302010f3013060604008e4601063009"
                         "060704008e46010602300a06082b06010505070b02")

#: the organisation of the example credentials (examples/elm-microcredential.json)
ITS_NAME = "Fondazione ITS Academy Esempio Digitale"
ITS_ID = "VATIT-00000000000"


def rsa_key(bits: int = 2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def ec_key(curve=None):
    return ec.generate_private_key(curve or ec.SECP256R1())


def _name(common_name: str, organisation: str | None = None, identifier: str | None = None,
          country: str = "IT") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, country)]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if identifier:
        parts.append(x509.NameAttribute(ORG_ID, identifier))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


@dataclass
class Issued:
    key: object
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _digest(key):
    return hashes.SHA256() if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) else None


def make_ca(common_name: str = "mcred TEST Root CA", *, key=None, parent: Issued | None = None,
            start: datetime = START, end: datetime = END, serial: int | None = None) -> Issued:
    """A CA certificate: self-signed, or issued by ``parent``."""
    key = key or rsa_key()
    name = _name(common_name, "mcred TEST PKI")
    issuer_name = parent.cert.subject if parent else name
    signer = parent.key if parent else key
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer_name).public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()),
                                    critical=False)
    return Issued(key, builder.sign(signer, _digest(signer)))


def make_seal_cert(ca: Issued, *, key=None, organisation: str = ITS_NAME, identifier: str | None = ITS_ID,
                   common_name: str = "mcred TEST SEAL", start: datetime = START, end: datetime = END,
                   qualified: bool = True, key_usage: bool = True, subject: x509.Name | None = None,
                   ca_flag: bool = False, extended_usage: list | None = None) -> Issued:
    """An end-entity seal certificate for an organisation, issued by ``ca`` (``ca_flag``: one that says it is a
    CA; ``extended_usage``: an extended key usage extension with these purposes)."""
    key = key or rsa_key()
    name = subject or _name(common_name, organisation, identifier)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(ca.cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(end)
               .add_extension(x509.BasicConstraints(ca=ca_flag, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                              critical=False))
    if extended_usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_usage), critical=False)
    if key_usage:
        builder = builder.add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                                        critical=True)
    else:  # a key-encipherment-only certificate: not allowed to seal
        builder = builder.add_extension(x509.KeyUsage(False, False, True, False, False, False, False, False, False),
                                        critical=True)
    if qualified:
        builder = builder.add_extension(x509.UnrecognizedExtension(QC_STATEMENTS, QC_ESEAL), critical=False)
    return Issued(key, builder.sign(ca.key, _digest(ca.key)))


def write_p12(path, seal: Issued, chain: list[Issued], passphrase: bytes | None) -> None:
    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    data = pkcs12.serialize_key_and_certificates(b"seal", seal.key, seal.cert, [c.cert for c in chain], encryption)
    path.write_bytes(data)


def write_pem_key(path, seal: Issued, passphrase: bytes | None = None) -> None:
    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    path.write_bytes(seal.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            encryption))


def write_chain(path, *certs: Issued) -> None:
    path.write_bytes(b"".join(c.pem for c in certs))


@dataclass
class SealPki:
    """Every certificate the seal tests need, made once per test process (RSA key generation is slow)."""

    root: Issued            # the trust anchor
    ca: Issued              # an intermediate CA under it
    seal: Issued            # the ITS Academy's RSA seal certificate
    other_org: Issued       # another organisation's certificate from the same CA
    ec_seal: Issued         # the ITS Academy's P-256 seal certificate
    ec384_seal: Issued      # ... P-384
    expired: Issued         # valid 2020 to 2021
    no_usage: Issued        # keyUsage without digitalSignature or nonRepudiation
    foreign_root: Issued    # another chain, not trusted
    foreign_seal: Issued    # the ITS Academy's name and identifier, from the foreign root
    forged_ca: Issued       # same name as ``ca``, claims ``root`` as its issuer, signed by another key
    forged_seal: Issued     # the ITS Academy's name and identifier, from ``forged_ca``


@lru_cache(maxsize=1)
def seal_pki() -> SealPki:
    root = make_ca()
    ca = make_ca("mcred TEST Seal CA", parent=root)
    foreign_root = make_ca("Elsewhere TEST Root CA")
    attacker = Issued(rsa_key(), root.cert)  # signs in the root's name with its own key
    forged_ca = make_ca("mcred TEST Seal CA", parent=attacker)
    return SealPki(
        root=root, ca=ca, seal=make_seal_cert(ca),
        other_org=make_seal_cert(ca, organisation="Altra Fondazione", identifier="VATIT-99999999999",
                                 common_name="other TEST SEAL"),
        ec_seal=make_seal_cert(ca, key=ec_key()),
        ec384_seal=make_seal_cert(ca, key=ec_key(ec.SECP384R1())),
        expired=make_seal_cert(ca, start=datetime(2020, 1, 1, tzinfo=timezone.utc),
                               end=datetime(2021, 1, 1, tzinfo=timezone.utc)),
        no_usage=make_seal_cert(ca, key_usage=False),
        foreign_root=foreign_root, foreign_seal=make_seal_cert(make_ca("Elsewhere TEST CA", parent=foreign_root)),
        forged_ca=forged_ca, forged_seal=make_seal_cert(forged_ca),
    )


def header_of(sealed: dict) -> dict:
    text = sealed["signatures"][0]["protected"]
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def resign(sealed: dict, key, *, header: dict | None = None, payload: str | None = None,
           signature: bytes | None = None) -> dict:
    """A copy of a sealed credential with another header and/or payload, signed again with ``key``.

    What an attacker who holds ``key`` can make; ``signature`` replaces the signature value as is.
    """
    from mcred.seals.jades import b64url, sign_bytes

    header = header if header is not None else header_of(sealed)
    payload = payload if payload is not None else sealed["payload"]
    protected = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    if signature is None:
        signature = sign_bytes(key, header["alg"], protected.encode("ascii") + b"." + payload.encode("utf-8"))
    entry = {**sealed["signatures"][0], "protected": protected, "signature": b64url(signature)}
    return {"payload": payload, "signatures": [entry]}
