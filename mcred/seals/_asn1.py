"""The only module that imports asn1crypto: DER structures cryptography does not parse.

Three, all read from untrusted input, all with their specification cited:

* RFC 3161 time-stamp tokens (a CMS SignedData, RFC 5652, whose content is a
  TSTInfo): what is stamped (the message imprint), when, and the pieces needed to
  check the time-stamping authority's signature (the signed attributes, re-encoded
  as the SET OF they are signed as);
* the qcStatements certificate extension (RFC 3739 3.2.6; ETSI EN 319 412-5 for
  the EU statements);
* ``IssuerSerial`` (RFC 5035), which JAdES puts, base64-encoded, in ``kid``.

Every parse error is raised as :class:`Asn1Error` (a ``ValueError``), never as
asn1crypto's own exceptions; the cryptography itself (signatures, digests) is
done by the callers, with pyca/cryptography.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509

#: digest algorithms, by asn1crypto name, that mcred accepts in time-stamp tokens
DIGESTS = ("sha256", "sha384", "sha512")


class Asn1Error(ValueError):
    """A DER structure that is not what it must be."""


class _QcStatement(core.Sequence):
    # RFC 3739 3.2.6: QCStatement ::= SEQUENCE { statementId OBJECT IDENTIFIER, statementInfo ANY OPTIONAL }
    _fields = [("statement_id", core.ObjectIdentifier), ("statement_info", core.Any, {"optional": True})]


class _QcStatements(core.SequenceOf):
    _child_spec = _QcStatement


class _OidList(core.SequenceOf):
    # ETSI EN 319 412-5 4.2.3: QcType ::= SEQUENCE OF OBJECT IDENTIFIER
    _child_spec = core.ObjectIdentifier


def qc_statements(extension_value: bytes) -> dict[str, list[str]]:
    """The statements of a qcStatements extension: statement OID -> OIDs in its info (QcType), or []."""
    try:
        statements = _QcStatements.load(extension_value)
        out: dict[str, list[str]] = {}
        for statement in statements:
            oid = statement["statement_id"].dotted
            info = statement["statement_info"]
            values: list[str] = []
            if oid == "0.4.0.1862.1.6" and info.contents is not None:  # QcType
                values = [item.dotted for item in _OidList.load(info.dump())]
            out[oid] = values
        return out
    except (ValueError, TypeError, KeyError) as exc:
        raise Asn1Error(f"the qcStatements extension is not valid DER: {exc}") from None


def issuer_serial(issuer_name_der: bytes, serial: int) -> bytes:
    """DER ``IssuerSerial`` (RFC 5035): the issuer as a directoryName and the serial number."""
    name = asn1_x509.Name.load(issuer_name_der)
    general_names = asn1_x509.GeneralNames([asn1_x509.GeneralName(name="directory_name", value=name)])
    return cms.IssuerSerial({"issuer": general_names, "serial": serial}).dump()


def parse_issuer_serial(der: bytes) -> tuple[bytes, int]:
    """(issuer Name DER, serial) of a DER ``IssuerSerial``; Asn1Error when it is something else."""
    try:
        parsed = cms.IssuerSerial.load(der, strict=True)
        names = [n for n in parsed["issuer"] if n.name == "directory_name"]
        if len(names) != 1:
            raise Asn1Error("IssuerSerial must name its issuer with one directoryName")
        return names[0].chosen.untag().dump(), parsed["serial"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise Asn1Error(f"not a DER IssuerSerial: {exc}") from None


@dataclass
class TimestampToken:
    """What a time-stamp token says and what is needed to check who said it."""

    #: TSTInfo messageImprint: the digest algorithm (asn1crypto name) and the digest
    hash_algorithm: str
    imprint: bytes
    gen_time: datetime
    serial: int
    policy: str
    #: the signer: issuer Name DER and serial, or a subject key identifier
    signer_issuer: bytes | None
    signer_serial: int | None
    signer_key_id: bytes | None
    #: certificates carried in the token (DER)
    certificates: list[bytes]
    #: RFC 5652 5.4: the signed attributes as the SET OF they are signed as
    signed_attributes: bytes
    signature: bytes
    #: asn1crypto names: "rsassa_pkcs1v15", "rsassa_pss" or "ecdsa"; and the digest of the signature
    signature_algorithm: str
    signature_digest: str
    #: for RSASSA-PSS: (mgf1 digest, salt length)
    pss: tuple[str, int] | None
    #: the signed attributes' message-digest and content-type values
    message_digest: bytes | None
    content_type: str | None
    #: the DER TSTInfo (what message-digest is computed over) and the SignerInfo digest algorithm
    tst_info: bytes
    digest_algorithm: str
    #: ESS signing-certificate(-v2) hashes of the TSA certificate: (digest name, hash)
    ess_cert_hashes: list[tuple[str, bytes]] = field(default_factory=list)


def parse_timestamp_token(der: bytes) -> TimestampToken:
    """Parse an RFC 3161 TimeStampToken (a CMS ContentInfo holding SignedData over a TSTInfo)."""
    try:
        return _parse_token(der)
    except Asn1Error:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise Asn1Error(f"not a valid time-stamp token: {exc}") from None


def _parse_token(der: bytes) -> TimestampToken:
    info = cms.ContentInfo.load(der, strict=True)
    if info["content_type"].native != "signed_data":
        raise Asn1Error("a time-stamp token is a CMS SignedData")
    signed = info["content"]
    encapsulated = signed["encap_content_info"]
    if encapsulated["content_type"].native != "tst_info":
        raise Asn1Error("the SignedData does not hold a TSTInfo")
    tst_der = encapsulated["content"].contents
    tst = tsp.TSTInfo.load(tst_der, strict=True)
    signers = list(signed["signer_infos"])
    if len(signers) != 1:  # RFC 3161 2.4.1: exactly one signer
        raise Asn1Error(f"a time-stamp token has exactly one signer, this one has {len(signers)}")
    signer = signers[0]
    sid = signer["sid"]
    issuer = serial = key_id = None
    if sid.name == "issuer_and_serial_number":
        issuer, serial = sid.chosen["issuer"].dump(), sid.chosen["serial_number"].native
    else:
        key_id = sid.chosen.native
    attributes = signer["signed_attrs"]
    if not attributes:
        raise Asn1Error("the token's signer has no signed attributes")
    values = {a["type"].native: a["values"] for a in attributes}
    message_digest = values["message_digest"][0].native if "message_digest" in values else None
    content_type = values["content_type"][0].native if "content_type" in values else None
    ess = []
    for name in ("signing_certificate_v2", "signing_certificate"):
        for cert_id in values[name][0]["certs"] if name in values else []:
            algorithm = cert_id["hash_algorithm"]["algorithm"].native if name.endswith("v2") else "sha1"
            ess.append((algorithm, cert_id["cert_hash"].native))
    algorithm = signer["signature_algorithm"]
    kind = algorithm.signature_algo
    pss = None
    if kind == "rsassa_pss":
        params = algorithm["parameters"]
        digest = params["hash_algorithm"]["algorithm"].native
        pss = (params["mask_gen_algorithm"]["parameters"]["algorithm"].native, params["salt_length"].native)
    elif algorithm["algorithm"].native == "rsa":  # rsaEncryption: the digest is the SignerInfo's
        digest = signer["digest_algorithm"]["algorithm"].native
    else:
        digest = algorithm.hash_algo
    # RFC 5652 5.4: the signature is over the DER of the attributes with an EXPLICIT SET OF tag
    signed_attributes = b"\x31" + attributes.dump()[1:]
    certificates = [c.chosen.dump() for c in signed["certificates"] or [] if c.name == "certificate"]
    imprint = tst["message_imprint"]
    return TimestampToken(
        hash_algorithm=imprint["hash_algorithm"]["algorithm"].native,
        imprint=imprint["hashed_message"].native,
        gen_time=tst["gen_time"].native,
        serial=tst["serial_number"].native,
        policy=tst["policy"].dotted,
        signer_issuer=issuer, signer_serial=serial, signer_key_id=key_id,
        certificates=certificates,
        signed_attributes=signed_attributes,
        signature=signer["signature"].native,
        signature_algorithm=kind,
        signature_digest=digest,
        pss=pss,
        message_digest=message_digest,
        content_type=content_type,
        tst_info=tst_der,
        digest_algorithm=signer["digest_algorithm"]["algorithm"].native,
        ess_cert_hashes=ess,
    )
