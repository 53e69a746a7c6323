"""Sealing a credential with an X.509 certificate: the JAdES form EDC's viewer checks ("Seal").

``mcred seal`` writes a JAdES **baseline B** seal (ETSI TS 119 182-1): the
protected header EDC's own seals have (alg, cty, kid, x5t#S256, x5c, typ,
b64 false, sigT, crit), over the credential as is (RFC 7797), with no
time-stamp: a time-stamp comes from a time-stamping authority over the network,
and mcred never opens a connection. (An EDC-sealed credential is B-LTA: it also
carries time-stamps and validation data; see docs/jades.md.)

The key and certificate come from a PKCS#12 file or from a PEM private key and
a PEM file with the certificate and its chain; a passphrase only from an
environment variable. The seal certificate must be valid when sealing and
allowed to seal; an issuer whose ``eIDASIdentifier`` names another organisation
than the certificate is refused, since ``mcred verify`` would fail it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from mcred.errors import KeyFileError, SigningError, UsageError
from mcred.keys.ed25519 import read_key_file

_MAX_FILE = 256 * 1024


@dataclass(frozen=True, repr=False)
class SealKey:
    """A private key and its certificate chain (the seal certificate first). Its repr hides the key."""

    key: Any
    chain: tuple[x509.Certificate, ...]

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]

    def __repr__(self) -> str:
        return f"SealKey(certificate={self.certificate.subject.rfc4514_string()!r}, key=<hidden>)"

    __str__ = __repr__


def load_seal_key(*, p12: Path | None = None, key: Path | None = None, chain: Path | None = None,
                  passphrase: bytes | None = None) -> SealKey:
    """The seal key and chain from a PKCS#12 file, or from a PEM key and a PEM certificate chain."""
    if (p12 is None) == (key is None):
        raise UsageError("give either --p12 SEAL.p12, or --key KEY.pem with --chain CHAIN.pem")
    if p12 is not None:
        if chain is not None:
            raise UsageError("--chain goes with --key; a PKCS#12 file carries its own chain")
        private, certs = _from_p12(read_key_file(p12, what="PKCS#12 file", limit=_MAX_FILE), passphrase, str(p12))
        where = str(p12)
    else:
        if chain is None:
            raise UsageError("--key needs --chain CHAIN.pem (the seal certificate, then its CA certificates)")
        private = _pem_key(read_key_file(key, what="key file", limit=_MAX_FILE), passphrase, str(key))
        try:
            certs = x509.load_pem_x509_certificates(read_key_file(chain, what="certificate file", limit=_MAX_FILE))
        except ValueError:
            raise KeyFileError("no PEM certificate could be read (-----BEGIN CERTIFICATE-----)",
                               file=str(chain)) from None
        where = str(chain)
    return SealKey(private, _ordered(private, certs, where))


def _from_p12(data: bytes, passphrase: bytes | None, file: str):
    from cryptography.hazmat.primitives.serialization import pkcs12

    tries = [passphrase] if passphrase is not None else [None, b""]  # unencrypted, or the empty password
    for password in tries:
        try:
            private, cert, extra = pkcs12.load_key_and_certificates(data, password)
            break
        except ValueError:
            continue
    else:
        hint = ("if it is protected by a passphrase, name the environment variable that holds it with "
                "--passphrase-env" if passphrase is None else "check the passphrase")
        raise KeyFileError("cannot open the PKCS#12 file (wrong passphrase, or not PKCS#12)", file=file, hint=hint)
    if private is None or cert is None:
        raise KeyFileError("the PKCS#12 file must hold a private key and its certificate", file=file)
    return private, [cert, *extra]


def _pem_key(data: bytes, passphrase: bytes | None, file: str):
    try:
        return serialization.load_pem_private_key(data, password=passphrase)
    except TypeError:
        if passphrase is None:
            raise KeyFileError("the key file is encrypted", file=file,
                               hint="name the environment variable that holds the passphrase with "
                               "--passphrase-env") from None
        raise KeyFileError("a passphrase was given but the key file is not encrypted", file=file) from None
    except ValueError:
        raise KeyFileError("cannot decrypt or parse the PEM key (wrong passphrase, or not a private key)",
                           file=file) from None


def _spki(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _ordered(private, certs: list[x509.Certificate], file: str) -> tuple[x509.Certificate, ...]:
    """The certificate of the key first, then its issuers as the chain goes, then any others."""
    mine = _spki(private.public_key())
    leaf = next((c for c in certs if _spki(c.public_key()) == mine), None)
    if leaf is None:
        raise KeyFileError("none of the certificates is for this private key", file=file,
                           hint="give the seal certificate of this key, then its CA certificates")
    ordered, rest = [leaf], [c for c in certs if c != leaf]
    while True:
        parent = next((c for c in rest if c.subject == ordered[-1].issuer), None)
        if parent is None:
            break
        ordered.append(parent)
        rest.remove(parent)
    return tuple(ordered + rest)


def signing_time(value: str | None = None) -> str:
    """TS 119 182-1 5.2.1: the claimed signing time as YYYY-MM-DDThh:mm:ssZ (UTC); now by default."""
    if value is None:
        when = datetime.now(timezone.utc)
    else:
        from mcred.dates import parse_datetime

        when = parse_datetime(value)
        if when is None:
            raise UsageError(f"--signing-time {value!r} is not an ISO 8601 date-time",
                             hint="e.g. --signing-time 2026-07-01T09:00:00Z")
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def seal_credential(document: Any, seal_key: SealKey, *, alg: str | None = None, when: str | None = None,
                    file: str | None = None) -> dict:
    """The credential sealed with JAdES baseline B (a JWS JSON serialization, see :mod:`mcred.seals.jades`).

    Refuses (SigningError, exit 3) what ``mcred verify`` would fail: a credential
    that is not JSON-LD mcred can read, one whose Data Integrity proofs do not
    verify, a certificate not valid at the signing time or not allowed to seal,
    and an issuer whose eIDASIdentifier names another organisation.
    """
    from mcred.seals import jades
    from mcred.seals.x509 import Identity, can_seal, is_ca, seal_usages_refused, valid_at

    if not isinstance(document, dict):
        raise SigningError("a credential must be a JSON object", file=file, code="JSON_NOT_OBJECT")
    if jades.is_jades(document):
        raise SigningError("the file is already sealed (a JWS)", file=file, code="SEAL_ALREADY_SEALED")
    _check_credential(document, file)
    stamp = signing_time(when)
    cert = seal_key.certificate
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    if not valid_at(cert, moment):
        raise SigningError(f"the seal certificate is not valid at {stamp} (valid "
                           f"{cert.not_valid_before_utc:%Y-%m-%dT%H:%M:%SZ} to "
                           f"{cert.not_valid_after_utc:%Y-%m-%dT%H:%M:%SZ})", file=file, code="SEAL_CERT_NOT_VALID")
    if is_ca(cert):
        raise SigningError("the certificate is a CA certificate (basicConstraints CA:true), not a seal certificate",
                           file=file, code="SEAL_CERT_USAGE")
    if not can_seal(cert):
        raise SigningError("the certificate may not be used to seal (keyUsage)", file=file, code="SEAL_CERT_USAGE")
    refused = seal_usages_refused(cert)
    if refused:
        raise SigningError(f"the certificate's extended key usage allows only {', '.join(refused)}, not signing "
                           "documents", file=file, code="SEAL_CERT_USAGE")
    mismatch = issuer_mismatch(document, Identity.of(cert))
    if mismatch:
        raise SigningError(mismatch, file=file, path="$.issuer.eIDASIdentifier", code="SEAL_ISSUER_MISMATCH",
                           hint="seal with the certificate of the organisation that issues the credential")
    try:
        chosen = jades.signature_algorithm(seal_key.key, alg)
    except ValueError as exc:
        raise UsageError(f"--alg: {exc}") from None
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    sealed = jades.make_seal(payload, lambda data: jades.sign_bytes(seal_key.key, chosen, data), chosen,
                             list(seal_key.chain), stamp)
    jws = jades.parse_jws(sealed)  # what was written must verify: a bug here must not reach a file
    jades.verify_signature(jws, jades.certificates(jws)[0])
    return sealed


def _check_credential(document: dict, file: str | None) -> None:
    from mcred.jsonld.process import check_contexts, expand_safely
    from mcred.proofs.data_integrity import ProofError, proofs_of, verify_proof

    check_contexts(document, file=file)
    expand_safely(document, file=file)
    for index in range(len(proofs_of(document))):
        try:
            verify_proof(document, index, file=file)
        except ProofError as exc:
            raise SigningError(f"a proof of the credential does not verify ({exc.message})", file=file,
                               path=exc.path, code="SEAL_PROOF_INVALID",
                               hint="check it with `mcred verify` before sealing") from None


def issuer_mismatch(document: dict, sealer) -> str | None:
    """Why the credential's issuer is not the certificate's organisation, or None (also when it cannot be told)."""
    from mcred.errors import InputError
    from mcred.graph.facts import GraphError, read_facts
    from mcred.graph.nodes import read_graph
    from mcred.jsonld.process import expand_leniently
    from mcred.verify.sealed import issuer_identifiers, sealer_is_issuer

    try:
        claimed = issuer_identifiers(read_facts(read_graph(expand_leniently(document))))
    except (InputError, GraphError):
        return None
    if claimed and sealer.identifier and sealer_is_issuer(sealer.identifier, claimed).same is False:
        return (f"the credential's issuer has the eIDAS identifier {', '.join(c.notation for c in claimed)}, but "
                f"the certificate is {sealer.label()}")
    return None
