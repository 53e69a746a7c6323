"""Issuing a credential as a VC-JOSE-COSE ``vc+jwt``: the credential is the JWT's payload, signed with EdDSA.

What :func:`sign_vc_jwt` writes, ``mcred verify`` verifies (:mod:`mcred.verify.jwt`): it is checked
so before it is returned, and refused (SigningError, exit 3) with the verifier's own reason when
it would fail, as ``mcred seal`` does for a seal.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from typing import Any

from mcred.errors import SigningError


def sign_vc_jwt(document: Any, key, *, issuer_from_key: bool = False, now: datetime | None = None,
                file: str | None = None) -> str:
    """The credential ``document`` as a compact ``vc+jwt`` signed by ``key`` (an Ed25519 SigningKey).

    The header names the key by its did:key (``kid``); the issuer must be that DID (or is set to it
    with ``issuer_from_key``). Nothing is added to the credential: the payload is the credential.
    """
    from mcred.keys.jose import sign_compact
    from mcred.report import Status, VerificationReport, VerifyOptions
    from mcred.verify.jwt import verify_jwt

    if not isinstance(document, dict):
        raise SigningError("a credential must be a JSON object", file=file, path="$", code="JSON_NOT_OBJECT")
    credential = copy.deepcopy(document)
    if issuer_from_key:
        if isinstance(credential.get("issuer"), dict):
            credential["issuer"]["id"] = key.did
        else:
            credential["issuer"] = key.did
    payload = json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text = sign_compact({"typ": "vc+jwt", "cty": "vc", "kid": key.verification_method}, payload, key)
    when = now or datetime.now(timezone.utc)
    report = verify_jwt(text, VerificationReport(file=file), now=when, options=VerifyOptions(now=when), file=file)
    failure = next((c for c in report.checks if c.status == Status.FAILED), None)
    if failure is not None:
        raise SigningError(f"the JWT would not verify: {failure.message}", file=file, path=failure.path,
                           code=failure.code, hint=failure.hint or "see mcred verify's report for this code")
    return text
