"""The formats a bundle can hold, one registry entry each: how to issue a rendition, and how to read it back.

``edc``, ``jades`` and ``sd-jwt-vc`` are mcred's own; ``vc2`` (ELM 3.2 on VC 2.0) and ``ob3`` (Open Badges 3.0)
plug in with one entry each, their modules imported only when the format is asked for: where a module is not
installed, the format is refused by name (:class:`FormatNotAvailable`), never silently left out.

Every rendition starts from the award built once (:func:`mcred.issue.award.build_checked`, called by each
format's issuing function from the same Outcomes and learner), never from a second reading of the outcome file.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcred.errors import UsageError
from mcred.messages import register

from .facts import AwardFacts

register({
    "BUNDLE_FORMAT_UNKNOWN": ("formato {name!r} sconosciuto; formati possibili: {known}", None),
    "BUNDLE_FORMAT_NOT_AVAILABLE": ("il formato {name!r} non è disponibile in questa installazione di mcred "
                                    "(manca il modulo {module})", "usate gli altri formati, o una versione di "
                                    "mcred che lo includa"),
})


class FormatNotAvailable(UsageError):
    """A format mcred knows by name whose module is not part of this installation."""

    code = "BUNDLE_FORMAT_NOT_AVAILABLE"


@dataclass(frozen=True)
class Signers:
    """The issuer's keys a bundle is signed with: Ed25519 (``key``, the manifest and the JSON-LD renditions), and,
    when those formats are asked for, the P-256 key and chain of SD-JWT VCs and the JAdES seal key.

    Crosses into ``--jobs`` worker processes by pickling (``__reduce__``): the keys as unencrypted DER bytes, as
    the roster formats' do (:mod:`mcred.issue.roster_formats`), through the pipe to a child of this process only.
    Its repr never shows a key."""

    key: Any
    ec_key: Any = None
    certs: tuple = ()
    cert_file: str | None = None
    seal_key: Any = None

    def __repr__(self) -> str:
        return f"Signers(key={self.key.did!r}, ec_key={'<hidden>' if self.ec_key else None}, " \
               f"seal_key={'<hidden>' if self.seal_key else None})"

    def __reduce__(self):
        from cryptography.hazmat.primitives import serialization

        def der(private) -> bytes:
            return private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())

        def certs(chain) -> list[bytes]:
            return [c.public_bytes(serialization.Encoding.DER) for c in chain]

        ec = der(self.ec_key._key) if self.ec_key is not None else None
        seal = (der(self.seal_key.key), certs(self.seal_key.chain)) if self.seal_key is not None else None
        return _signers, (self.key.private_seed(), ec, certs(self.certs), self.cert_file, seal)


def _signers(seed: bytes, ec: bytes | None, chain: list[bytes], cert_file: str | None,
             seal: tuple[bytes, list[bytes]] | None) -> Signers:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    from mcred.keys.ecdsa import EcSigningKey
    from mcred.keys.ed25519 import SigningKey

    seal_key = None
    if seal is not None:
        from mcred.issue.seal import SealKey

        seal_key = SealKey(load_der_private_key(seal[0], None),
                           tuple(x509.load_der_x509_certificate(c) for c in seal[1]))
    return Signers(SigningKey.from_seed(seed), EcSigningKey(load_der_private_key(ec, None)) if ec else None,
                   tuple(x509.load_der_x509_certificate(c) for c in chain), cert_file, seal_key)


@dataclass(frozen=True)
class Format:
    """One format a bundle can hold."""

    name: str
    #: what follows the learner's name in the rendition's file name
    suffix: str
    #: what signs it: "did" (a Data Integrity proof by the issuer's DID), "x5c" (an SD-JWT VC's certificate key),
    #: "seal" (a JAdES seal's certificate key; its payload's proof is the DID's too)
    signed_by: str
    #: (outcomes, learner, signers, issued) -> the rendition's exact bytes
    issue: Callable[..., bytes]
    #: (verification report) -> the facts its signed data states
    read: Callable[[Any], AwardFacts]
    #: what the issuing needs besides --key, for the error that names it
    needs: str = ""
    #: the modules a plugged-in format needs (imported, and so checked, before anything is issued)
    modules: tuple[str, ...] = ()


def _json_bytes(credential: dict) -> bytes:
    from mcred.issue.award import credential_bytes

    return credential_bytes(credential)


def _issue_edc(outcomes, learner, signers: Signers, issued: str) -> bytes:
    from mcred.issue.award import issue_credential

    return _json_bytes(issue_credential(outcomes, learner, signers.key, issued=issued))


def _issue_jades(outcomes, learner, signers: Signers, issued: str) -> bytes:
    import json

    from mcred.issue.award import issue_credential
    from mcred.issue.seal import seal_credential

    credential = issue_credential(outcomes, learner, signers.key, issued=issued)
    sealed = seal_credential(credential, signers.seal_key, when=issued, file=str(outcomes.file))
    return (json.dumps(sealed, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _issue_sd_jwt_vc(outcomes, learner, signers: Signers, issued: str) -> bytes:
    from mcred.issue.sd_jwt_vc import issue_sd_jwt_vc

    issued_vc = issue_sd_jwt_vc(outcomes, learner, signers.ec_key, list(signers.certs), issued=issued,
                                cert_file=signers.cert_file)
    return (issued_vc.text + "\n").encode("ascii")


def _plugged(module: str, function: str) -> Callable:
    """A function of a format module that may not be installed: imported when first called."""

    def call(*args, **kwargs):
        return getattr(_import(module), function)(*args, **kwargs)

    return call


def _import(module: str):
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        name = next((f.name for f in FORMATS.values() if module in f.modules), module)
        raise FormatNotAvailable(f"the format {name!r} is not available in this mcred (no module {module})",
                                 hint="choose among the other formats, or install an mcred that has it",
                                 params={"name": name, "module": module}) from None


def _plugged_issue(module: str, function: str) -> Callable[..., bytes]:
    issue = _plugged(module, function)

    def call(outcomes, learner, signers: Signers, issued: str) -> bytes:
        return _json_bytes(issue(outcomes, learner, signers.key, issued=issued))

    return call


def _readers():
    from . import readers

    return readers


FORMATS: dict[str, Format] = {
    "edc": Format("edc", ".edc.json", "did", _issue_edc, lambda r: _readers().edc_facts(r)),
    "jades": Format("jades", ".jades.json", "seal", _issue_jades, lambda r: _readers().edc_facts(r),
                    needs="a seal certificate (--seal-p12, or --seal-key with --seal-chain)"),
    "sd-jwt-vc": Format("sd-jwt-vc", ".sd-jwt", "x5c", _issue_sd_jwt_vc, lambda r: _readers().sd_jwt_vc_facts(r),
                        needs="a P-256 key (--ec-key) and its certificate chain (--cert)"),
    "vc2": Format("vc2", ".vc2.json", "did", _plugged_issue("mcred.issue.vc2", "issue_vc2"),
                         _plugged("mcred.bundle.readers_vc2", "vc2_facts"),
                         modules=("mcred.issue.vc2", "mcred.bundle.readers_vc2")),
    "ob3": Format("ob3", ".ob3.json", "did", _plugged_issue("mcred.issue.ob3", "issue_ob3"),
                         _plugged("mcred.bundle.readers_ob3", "ob3_facts"),
                         modules=("mcred.issue.ob3", "mcred.bundle.readers_ob3")),
}


def format_named(name: str) -> Format:
    """The registered format ``name``; a UsageError naming the known ones, or that it is not available here."""
    found = FORMATS.get(name)
    if found is None:
        raise UsageError(f"unknown format {name!r}; choose among {', '.join(FORMATS)}", code="BUNDLE_FORMAT_UNKNOWN",
                         params={"name": name, "known": ", ".join(FORMATS)})
    for module in found.modules:
        _import(module)
    return found


def parse_formats(text: str) -> list[Format]:
    """``edc,sd-jwt-vc`` -> the formats, in the order given, each once; every name checked before any work."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise UsageError("--formats lists no format",
                         hint=f"e.g. --formats edc,sd-jwt-vc (known: {', '.join(FORMATS)})")
    if len(set(names)) != len(names):
        raise UsageError(f"--formats {text!r} names a format twice")
    return [format_named(n) for n in names]


def stated_facts(fmt: Format, report) -> AwardFacts:
    """The facts a verified rendition states, normalised (:func:`mcred.bundle.compare.normalised`); the readers'
    own refusals (each format's: a ValueError, an InputError with its code, a graph error) become
    :class:`mcred.bundle.readers.UnreadableFacts` naming the reason."""
    from mcred.errors import McredError
    from mcred.graph.nodes import GraphError

    from .compare import normalised
    from .readers import UnreadableFacts

    try:
        return normalised(fmt.read(report))
    except UnreadableFacts:
        raise
    except McredError as exc:
        raise UnreadableFacts(f"{exc.code}: {exc.message}") from exc
    except (ValueError, GraphError, AttributeError, TypeError) as exc:
        # AttributeError, TypeError: a reader met a graph without the shape it reads (a node where a literal is)
        raise UnreadableFacts(f"{type(exc).__name__}: {exc}") from exc


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_thumbprint(public_key) -> str:
    """An X.509 certificate key's RFC 9278 JWK thumbprint URI: how the manifest names a key that has no DID."""
    from mcred.keys.jose import public_jwk, thumbprint

    return f"urn:ietf:params:oauth:jwk-thumbprint:sha-256:{thumbprint(public_jwk(public_key))}"


def rendition_signer(fmt: Format, data: bytes, report) -> str | None:
    """Who signed a verified rendition, as the manifest names it: the DID that controls every proof's key, or the
    thumbprint of the certificate key that signed the SD-JWT VC or sealed the credential; None if not one."""
    if fmt.signed_by == "did":
        controllers = {proof.controller for proof in report.proofs}
        return controllers.pop() if len(controllers) == 1 else None
    from cryptography import x509

    if fmt.signed_by == "x5c":
        from mcred.sdjwt.compact import parse_sd_jwt

        header = parse_sd_jwt(data.decode("ascii").strip()).issuer_jwt.header
        leaf = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
        return key_thumbprint(leaf.public_key())
    import json

    from mcred.seals import jades

    leaf = jades.certificates(jades.parse_jws(json.loads(data)))[0]
    return key_thumbprint(leaf.public_key())


def payload_signer(fmt: Format, report) -> str | None:
    """A sealed rendition's payload: the DID whose proof it carries (the same issuer as the JSON-LD renditions')."""
    if fmt.signed_by != "seal":
        return None
    controllers = {proof.controller for proof in report.proofs}
    return controllers.pop() if len(controllers) == 1 else None
