"""RFC 3161 time-stamp tokens in a JAdES seal: what each stamps, when, and whether its TSA signed it.

Checked, for each token: it parses; its message imprint is the digest of what
ETSI TS 119 182-1 says it stamps (see :func:`mcred.seals.jades.timestamps`); the
signed attributes hold the content type and the digest of the TSTInfo
(RFC 5652 5.4), and the ESS signing-certificate names the TSA's certificate
(RFC 3161 2.4.1, RFC 5816); the TSA's signature over them verifies; that
certificate is for time-stamping. Whether the TSA is *trusted* is its chain to a
trust anchor of the trust file, at the time-stamp's time: said, not required.
Not checked: the revocation of TSA certificates, the TSA's policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509

from mcred.report import Status

from .x509 import build_chain, digest_of, is_tsa, load_certificates, short_name, verify_with


@dataclass
class TokenOutcome:
    status: Status
    code: str
    params: dict
    time: datetime | None = None
    summary: dict = field(default_factory=dict)


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_token(ref, pool: list[x509.Certificate], anchors: dict) -> TokenOutcome:
    """Check one time-stamp token (a :class:`mcred.seals.jades.TimestampRef`) against what it must stamp."""
    from ._asn1 import DIGESTS, Asn1Error, parse_timestamp_token

    summary = {"kind": ref.kind, "time": None, "tsa": None, "imprint_matches": None, "tsa_trusted": False}
    base = {"time": "?", "tsa": "?", "trusted": "not trusted", "trusted_it": "non è attendibile"}
    if ref.token is None:
        return TokenOutcome(Status.FAILED, "TST_MALFORMED", {**base, "detail": ref.unsupported or "not base64 DER"},
                            summary=summary)
    try:
        token = parse_timestamp_token(ref.token)
    except Asn1Error as exc:
        return TokenOutcome(Status.FAILED, "TST_MALFORMED", {**base, "detail": str(exc)}, summary=summary)
    candidates = [*load_certificates(token.certificates), *pool]
    tsa = _signer(token, candidates)
    summary.update(time=_stamp(token.gen_time), tsa=short_name(tsa) if tsa else None)
    params = {**base, "time": _stamp(token.gen_time), "tsa": short_name(tsa) if tsa else "an unknown TSA"}
    if ref.stamped is not None and token.hash_algorithm in DIGESTS:
        matches = digest_of(token.hash_algorithm, ref.stamped) == token.imprint
        summary["imprint_matches"] = matches
        if not matches:
            return TokenOutcome(Status.FAILED, "TST_IMPRINT_MISMATCH", params, token.gen_time, summary)
    problem = _signature_problem(token, tsa)
    if problem:
        return TokenOutcome(Status.FAILED, "TST_SIGNATURE_INVALID", {**params, "detail": problem}, token.gen_time,
                            summary)
    if ref.stamped is None or token.hash_algorithm not in DIGESTS:
        detail = ref.unsupported or f"digest algorithm {token.hash_algorithm}"
        return TokenOutcome(Status.WARNING, "TST_NOT_CHECKED", {**params, "detail": detail}, token.gen_time, summary)
    chain = build_chain(tsa, candidates, anchors, token.gen_time)
    if chain.status == "trusted":
        anchor = getattr(chain.anchor, "name", "?")
        params.update(trusted=f"trusted (anchor {anchor})", trusted_it=f"è attendibile (ancora {anchor})")
        summary["tsa_trusted"] = True
    else:
        params.update(trusted="not trusted (no path to your trust anchors)",
                      trusted_it="non è attendibile (nessun percorso verso le vostre ancore di fiducia)")
    return TokenOutcome(Status.PASSED, "TST_OK", params, token.gen_time, summary)


def _signer(token, candidates: list[x509.Certificate]) -> x509.Certificate | None:
    """The certificate the SignerInfo names (RFC 5652 5.3: issuer and serial, or subject key identifier)."""
    for cert in candidates:
        if token.signer_issuer is not None:
            if cert.serial_number == token.signer_serial and cert.issuer.public_bytes() == token.signer_issuer:
                return cert
        elif x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest == token.signer_key_id:
            return cert
    return None


def _signature_problem(token, tsa: x509.Certificate | None) -> str | None:
    from .x509 import der

    if tsa is None:
        return "the TSA's certificate is neither in the token nor in the seal"
    if token.content_type != "tst_info":
        return "the signed content-type attribute is not TSTInfo"
    try:
        if token.message_digest != digest_of(token.digest_algorithm, token.tst_info):
            return "the signed message-digest is not the digest of the TSTInfo"
    except ValueError:
        return f"digest algorithm {token.digest_algorithm} is not supported"
    if token.ess_cert_hashes and not any(_hash_is(name, der(tsa), value) for name, value in token.ess_cert_hashes):
        return "the signing-certificate attribute names another certificate"
    salt = token.pss[1] if token.pss else None
    if token.signature_digest not in ("sha256", "sha384", "sha512") or not verify_with(
            tsa, token.signature, token.signed_attributes, token.signature_algorithm, token.signature_digest, salt):
        return f"the signature of {short_name(tsa)} does not verify"
    if not is_tsa(tsa):
        return f"{short_name(tsa)} is not a time-stamping certificate (no timeStamping usage)"
    return None


def _hash_is(name: str, data: bytes, value: bytes) -> bool:
    try:
        return digest_of(name, data) == value
    except ValueError:
        return False
