"""mcred: offline European micro-credentials.

The library behind the ``mcred`` command. The public API::

    from mcred import SigningKey, load_signing_key, sign_credential, verify_credential, verify_file

    key = load_signing_key("issuer.pem")                # PEM, hex seed or Multikey JSON
    signed = sign_credential(doc, key)                  # eddsa-rdfc-2022 by default
    report = verify_credential(signed)                  # a VerificationReport, never raises
    report.verified, report.checks                      # or report.raise_for_failure()

Heavy libraries (pyld) are imported only when a function needs them.
"""

from __future__ import annotations

# The public names, and the module each lives in (see docs/architecture.md). They are imported on first use
# (PEP 562), so that `import mcred.cli.app` (every command, `mcred --help` included)
# does not pay for cryptography, pyld and jsonschema until a command needs them.
_PUBLIC = {
    "InputError": "errors", "KeyFileError": "errors", "McredError": "errors", "SigningError": "errors",
    "UnknownContextError": "errors", "UnsafeJsonLdError": "errors", "UsageError": "errors",
    "PublicKey": "keys.ed25519", "SigningKey": "keys.ed25519", "load_signing_key": "keys.ed25519",
    "resolve_verification_method": "keys.did_key", "save_signing_key": "keys.ed25519",
    "EcSigningKey": "keys.ecdsa", "load_any_signing_key": "keys.ecdsa",
    "ECDSA_RDFC": "proofs.data_integrity", "ECDSA_JCS": "proofs.data_integrity",
    "JCS": "proofs.data_integrity", "RDFC": "proofs.data_integrity", "ProofError": "proofs.data_integrity",
    "add_proof": "proofs.data_integrity", "verify_proof": "proofs.data_integrity",
    "sign_credential": "proofs.signing",
    "CheckResult": "report", "Status": "report", "VerificationReport": "report", "VerifyOptions": "report",
    "verify_credential": "verify.runner", "verify_file": "verify.runner",
    "make_presentation": "issue.presentation", "PresentationReport": "verify.presentation",
    "verify_presentation": "verify.presentation",
}


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'mcred' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"mcred.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])


__version__ = "0.1.0"

__all__ = [
    "VerifyOptions",
    "JCS",
    "RDFC",
    "CheckResult",
    "ECDSA_JCS",
    "ECDSA_RDFC",
    "EcSigningKey",
    "InputError",
    "KeyFileError",
    "McredError",
    "ProofError",
    "PublicKey",
    "SigningError",
    "SigningKey",
    "Status",
    "UnknownContextError",
    "UnsafeJsonLdError",
    "UsageError",
    "VerificationReport",
    "add_proof",
    "load_any_signing_key",
    "load_signing_key",
    "make_presentation",
    "PresentationReport",
    "resolve_verification_method",
    "save_signing_key",
    "sign_credential",
    "verify_credential",
    "verify_file",
    "verify_presentation",
    "verify_proof",
]
