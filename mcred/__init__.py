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

from .errors import (
    InputError,
    KeyFileError,
    McredError,
    SigningError,
    UnknownContextError,
    UnsafeJsonLdError,
    UsageError,
)
from .keys import (
    PublicKey,
    SigningKey,
    load_signing_key,
    resolve_verification_method,
    save_signing_key,
)
from .proofs import JCS, RDFC, ProofError, add_proof, verify_proof
from .signing import sign_credential
from .verify import CheckResult, Status, VerificationReport, verify_credential, verify_file

__version__ = "0.1.0"

__all__ = [
    "JCS",
    "RDFC",
    "CheckResult",
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
    "load_signing_key",
    "resolve_verification_method",
    "save_signing_key",
    "sign_credential",
    "verify_credential",
    "verify_file",
    "verify_proof",
]
