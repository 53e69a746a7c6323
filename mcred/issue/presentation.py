"""Making a verifiable presentation: the holder's credentials, as they are, under the holder's proof.

A presentation (VC Data Model 2.0, section 4.13; 1.1, section 4.10) wraps credentials that others signed, and
adds one proof by the holder with proofPurpose ``authentication`` and the verifier's ``challenge`` and
``domain`` (VC Data Integrity 1.0, section 2.1): the verifier checks that the holder answered *its* request,
and the signature covers every credential, so none can be swapped or changed inside.

Which data model: the presentation follows its credentials. When every credential is VC 1.1 (first context
``https://www.w3.org/2018/credentials/v1``) the presentation is 1.1 too, with the Data Integrity context that
defines its proof's terms (the 1.1 context does not); otherwise it is 2.0. A 1.1 credential in a 2.0
presentation would mix two data models in one document, which the 2.0 model does not define, and verifiers
that speak only 1.1 (many wallets still do) could not read the wrapper.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mcred.errors import InputError
from mcred.limits import LimitExceeded, check_limits
from mcred.messages import register
from mcred.proofs.data_integrity import RDFC, add_proof, check_suite_key, proofs_of

if TYPE_CHECKING:
    from mcred.keys.ecdsa import AnySigningKey

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
#: defines DataIntegrityProof, challenge and domain for a 1.1 presentation (the 2.0 context has them)
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
AUTHENTICATION = "authentication"


def first_context(document: dict) -> Any:
    context = document.get("@context")
    return context[0] if isinstance(context, list) and context else context


def _types(document: dict) -> list:
    kind = document.get("type")
    return kind if isinstance(kind, list) else [kind]


def check_presentable(credential: Any, *, file: str | None = None) -> dict:
    """The credential, once it is one a holder can present: a JSON object of type VerifiableCredential, with a
    proof, within the limits, every context bundled. InputError PRESENT_NOT_CREDENTIAL otherwise."""
    from mcred.jsonld.process import check_contexts

    if not isinstance(credential, dict) or "VerifiableCredential" not in _types(credential):
        raise InputError("not a credential (a JSON object of type VerifiableCredential)", file=file, path="$",
                         code="PRESENT_NOT_CREDENTIAL", hint="give the signed credential files (.json); a credential "
                         "secured as a JWT cannot be wrapped in a Data Integrity presentation")
    if not proofs_of(credential):
        raise InputError("the credential has no proof: a presentation of it would prove nothing about its issuer",
                         file=file, path="$.proof", code="PRESENT_NOT_CREDENTIAL",
                         hint="present the credential its issuer signed")
    try:
        inspection = check_limits(credential)
    except LimitExceeded as exc:
        raise InputError(exc.message, file=file, path="$", code=exc.code) from None
    check_contexts(credential, file=file, contexts=inspection.contexts)
    return credential


def presentation_contexts(credentials: Sequence[dict]) -> list[str]:
    """The presentation's contexts: 1.1 (with the Data Integrity context) when every credential is 1.1, else 2.0."""
    if credentials and all(first_context(c) == VC1 for c in credentials):
        return [VC1, DATA_INTEGRITY_V2]
    return [VC2]


def make_presentation(credentials: Sequence[dict], key: AnySigningKey, *, challenge: str | None = None,
                      domain: str | None = None, suite: str = RDFC, created: str | None = None,
                      presentation_id: str | None = None, files: Sequence[str] | None = None) -> dict:
    """A verifiable presentation of ``credentials`` (each unchanged) by the key's DID, signed with ``key``.

    ``holder`` is the key's DID; the proof's purpose is ``authentication``, and it carries ``challenge`` and
    ``domain`` when given (a verifier that asks for them refuses a presentation without them). Raises
    InputError (PRESENT_NOT_CREDENTIAL, CONTEXT_UNKNOWN ...) for what cannot be presented, and UsageError
    SUITE_KEY_MISMATCH when the suite does not sign with this key's type.
    """
    check_suite_key(suite, key)  # a usage error, before any credential is read
    files = list(files) if files is not None else [None] * len(credentials)
    credentials = [check_presentable(c, file=f) for c, f in zip(credentials, files, strict=True)]
    presentation: dict = {"@context": presentation_contexts(credentials)}
    if presentation_id is not None:
        presentation["id"] = presentation_id
    presentation["type"] = ["VerifiablePresentation"]
    presentation["holder"] = key.did
    if credentials:
        presentation["verifiableCredential"] = list(credentials)
    # add_proof copies the document: the credentials given are not changed
    return add_proof(presentation, key, suite=suite, created=created, proof_purpose=AUTHENTICATION,
                     challenge=challenge, domain=domain)


def subjects_not_holder(credential: dict, holder: str) -> list[str | None]:
    """The ids of the credential's subjects that are not ``holder`` (None for a subject without an id), as its
    JSON says: a note for the holder before presenting (the verifier reads them from the signed graph)."""
    subjects = credential.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    ids = [s.get("id") if isinstance(s, dict) else None for s in subjects]
    return [i for i in ids if i != holder]


MESSAGES_IT = {
    "PRESENT_NOT_CREDENTIAL": ("non è una credenziale firmata da presentare (un oggetto JSON di tipo "
                               "VerifiableCredential, con una prova)",
                               "indicate i file delle credenziali firmate (.json)"),
}
register(MESSAGES_IT)
