"""did:key resolved offline: the identifier is the public key (Ed25519 ``z6Mk…``, P-256 ``zDn…``, P-384 ``z82…``).

Anything else (did:web, an https URL) is the user's to supply as a document (``--did-documents``); here it is a
ResolutionError that says what the method would need.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mcred.keys import multibase
from mcred.keys.multikey import AnyPublicKey, KeyDecodeError, public_key_from_multibase


@dataclass(frozen=True)
class VerificationMethod:
    """A resolved verification method: who controls it and its public key."""

    id: str
    controller: str
    public_key: AnyPublicKey


class ResolutionError(ValueError):
    """A verification method that cannot be resolved offline."""


def resolve_verification_method(vm_id: str) -> VerificationMethod:
    """Resolve a ``did:key`` verification method offline (Ed25519, P-256 or P-384; mcred.keys.multikey).

    Accepts ``did:key:z6Mk...#z6Mk...`` (the fragment must repeat the key) and a
    bare ``did:key:z6Mk...``.
    """
    if not isinstance(vm_id, str) or not vm_id.startswith("did:key:"):
        raise ResolutionError(
            f"verification method {vm_id!r} cannot be resolved offline "
            f"(mcred resolves did:key only, not {_method_of(vm_id)})"
        )
    did, _, fragment = vm_id.partition("#")
    fingerprint = did.removeprefix("did:key:")
    if fragment and fragment != fingerprint:
        raise ResolutionError(f"{vm_id!r}: the fragment does not match the did:key")
    return _did_key_method(fingerprint)


@lru_cache(maxsize=1024)
def _did_key_method(fingerprint: str) -> VerificationMethod:
    """The method a did:key names: a function of the string alone, so a batch signed by a few issuers
    decodes each key once (a bounded cache; failures are not cached, they raise)."""
    did = f"did:key:{fingerprint}"
    try:
        multibase.decode(fingerprint)
    except multibase.MultibaseError as exc:
        raise ResolutionError(f"{did!r} is not a valid did:key: {exc}") from None
    try:
        public_key = public_key_from_multibase(fingerprint)
    except KeyDecodeError as exc:
        raise ResolutionError(f"{did!r} is not a did:key mcred resolves (Ed25519 z6Mk…, P-256 zDn…, "
                              f"P-384 z82…): {exc}") from None
    return VerificationMethod(id=f"{did}#{fingerprint}", controller=did, public_key=public_key)


def _method_of(vm_id: object) -> str:
    """'did:web' for a DID, the scheme for a URL: what a verification method would need."""
    if not isinstance(vm_id, str):
        return f"a {type(vm_id).__name__}"
    parts = vm_id.split(":")
    if parts[0] == "did" and len(parts) > 2:
        return f"{parts[0]}:{parts[1]}"
    return f"{parts[0]} URLs" if len(parts) > 1 else "a relative reference"
