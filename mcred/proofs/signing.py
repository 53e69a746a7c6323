"""Signing a credential: the checks that come before a proof is added."""

from __future__ import annotations

from typing import Any

from mcred.errors import InputError, SigningError
from mcred.keys.ecdsa import AnySigningKey
from mcred.limits import LimitExceeded, check_limits

from .data_integrity import RDFC, SUITES, add_proof, check_suite_key


def sign_credential(
    document: Any,
    key: AnySigningKey,
    *,
    suite: str = RDFC,
    created: str | None = None,
    issuer_from_key: bool = False,
    file: str | None = None,
    copy: bool = True,
    expanded: list | None = None,
) -> dict:
    """Return a signed copy of a JSON-LD credential.

    Refuses (raising :class:`~mcred.errors.InputError`) a document whose
    contexts are not bundled, one with undefined terms or relative IRIs (for
    ``eddsa-rdfc-2022``, whose signature covers only what JSON-LD keeps), and
    one whose issuer is not the key's DID, unless ``issuer_from_key`` asks to
    set the issuer to it. ``copy=False``: the caller hands the document over
    (it built it and will not change it), and the signed credential shares its
    objects rather than copying them. ``expanded`` is the document's expanded
    form (safe mode), when the caller has it: expanding is the costly step.
    """
    from mcred.jsonld.process import check_contexts

    if suite in SUITES:  # an unknown suite is refused by add_proof, by name
        check_suite_key(suite, key)  # a usage error, before the document is read
    if not isinstance(document, dict):
        raise InputError("a credential must be a JSON object", file=file, path="$",
                         code="JSON_NOT_OBJECT")
    try:
        inspection = check_limits(document)
    except LimitExceeded as exc:
        raise InputError(exc.message, file=file, path="$", code=exc.code) from None
    check_contexts(document, file=file, contexts=inspection.contexts)  # the limits walk found them
    # the VC Data Model 2.0 rules, on the credential as given: an issuer that is not a URL is refused even when
    # --issuer-from-key would replace it (what the user wrote is wrong, and the W3C suite expects a refusal)
    _check_data_model(document, file)
    # _bind_issuer changes only the issuer; add_proof makes the deep copy that is returned (unless told not to)
    document = dict(document)
    if isinstance(document.get("issuer"), dict):
        document["issuer"] = dict(document["issuer"])
    _bind_issuer(document, key, issuer_from_key=issuer_from_key, file=file)
    return add_proof(document, key, suite=suite, created=created, file=file, copy=copy,
                     expanded=None if issuer_from_key else expanded)


def _check_data_model(document: dict, file: str | None) -> None:
    """Refuse a VC 2.0 credential the data model forbids (mcred.vcdm), naming every broken rule."""
    from mcred.vcdm import check_vcdm2

    problems = check_vcdm2(document)
    if not problems:
        return
    first = problems[0]
    more = "; ".join(f"{p.code} at {p.path}" for p in problems[1:4]) + ("; ..." if len(problems) > 4 else "")
    raise InputError(first.message + (f" (and {len(problems) - 1} more: {more})" if more else ""), file=file,
                     path=first.path, code=first.code, hint=first.hint,
                     params={**first.params, "problems": [p.to_dict() for p in problems]})


def _bind_issuer(document: dict, key: AnySigningKey, *, issuer_from_key: bool, file: str | None) -> None:
    """Make sure the issuer is the key's controller (its did:key), or refuse with a hint."""
    issuer = document.get("issuer")
    if issuer_from_key:
        if isinstance(issuer, dict):
            issuer["id"] = key.did
        else:
            document["issuer"] = key.did
        return
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id is None:
        raise SigningError(
            "the credential names no issuer", file=file, path="$.issuer",
            hint=f"pass --issuer-from-key to set it to the key's DID ({key.did})")
    if issuer_id != key.did:
        raise SigningError(
            f"the issuer {issuer_id!r} is not the controller of this key ({key.did})",
            file=file, path="$.issuer.id" if isinstance(issuer, dict) else "$.issuer",
            hint="sign with the issuer's own key, or pass --issuer-from-key to make the "
            "key's DID the issuer")
