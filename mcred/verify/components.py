"""Verifying a stack: every component it binds, re-verified (recursively), and bound by its digest.

A stack (:mod:`mcred.stack.stacking`) records each component as an ``Identifier`` of the
component's achievement, whose notation is the component's digest
(:func:`mcred.verify.digest.credential_digest`) and whose scheme is :data:`DIGEST_SCHEME`,
and carries the component itself as a base64 attachment. The ``components``
check (:mod:`mcred.verify.checks`) reads both from the stack's signed graph.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

from mcred.errors import InputError
from mcred.graph import facts
from mcred.graph.nodes import GraphError, Literal
from mcred.messages import register
from mcred.report import CheckResult, Status, VerificationReport, VerifyOptions

from .digest import credential_digest

DIGEST_SCHEME = "mcred component digest: SHA-256 of the RDFC-1.0 canonical N-Quads, proof included"
MAX_DEPTH = 4  # a stack of stacks of ... at most this deep

#: Italian templates of the `components` check (see mcred.messages)
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "STACK_COMPONENTS_OK": ("tutti i {count} componenti sono verificati e sono quelli su cui la pila è stata "
                            "firmata", None),
    "STACK_TOO_DEEP": ("pile annidate oltre {limit} livelli", None),
    "STACK_ATTACHMENT_UNREADABLE": ("l'allegato {index} non è una credenziale JSON in base64", None),
    "STACK_COMPONENT_NOT_BOUND": ("il componente {id} non è tra quelli su cui la pila è stata firmata "
                                  "(sostituito, modificato o aggiunto)", None),
    "STACK_COMPONENT_INVALID": ("il componente {id} non è verificato ({codes})", None),
    "STACK_COMPONENT_MISSING": ("il componente vincolato {id} manca dal file (rimosso)", None),
    "STACK_COMPONENT_WARNING": ("il componente {id} è verificato, con avvertimenti ({codes})", None),
}
register(MESSAGES_IT)


def is_digest_identifier(identifier) -> bool:
    """An identifier node that binds a component: its scheme is mcred's digest scheme."""
    return any(isinstance(v, Literal) and v.lexical == DIGEST_SCHEME for v in identifier.values(facts.SCHEME_NAME))


def is_stack(credential) -> bool:
    """A credential (its :class:`mcred.graph.facts.CredentialFacts`) that binds components: an achievement whose
    parts carry an mcred digest identifier."""
    try:
        return bool(bound_digests(credential))
    except GraphError:
        return True  # two achievements or subjects: check_components says why, and the stack fails


def bound_digests(credential) -> dict[str, object]:
    """digest -> the identifier node that binds it, from the stack's signed graph."""
    bound = {}
    claim = credential.claim
    for part in claim.nodes(facts.HAS_PART) if claim is not None else []:
        for identifier in part.nodes(facts.IDENTIFIER):
            if is_digest_identifier(identifier):
                notation = identifier.literal(facts.NOTATION)
                bound[notation.lexical if notation is not None else ""] = identifier
    return bound


def check_components(credential, options: VerifyOptions, depth: int, report: VerificationReport,
                     now=None, *, verify: Callable[..., VerificationReport]) -> list[CheckResult]:
    """Re-verify every bound component (recursively) and the binding; nested reports go in ``report``.

    ``credential`` is the stack's :class:`mcred.graph.facts.CredentialFacts`: the bound digests and the
    attachments are read from its signed graph. A component verified with warnings makes the stack's
    verdict "with warnings" too (and, with ``--strict``, the component is not valid, so neither is the stack).
    ``verify`` is :func:`mcred.verify.runner.verify_credential`, for the components.
    """
    def result(status: Status, code: str, message: str, path: str = "$.attachment", **params) -> CheckResult:
        return CheckResult("components", status, message, code, path, None, params)

    if depth >= MAX_DEPTH:
        return [result(Status.FAILED, "STACK_TOO_DEEP", f"stacks nested more than {MAX_DEPTH} deep", limit=MAX_DEPTH)]
    try:
        bound = bound_digests(credential)
    except GraphError as exc:
        return [result(Status.FAILED, exc.code, exc.message, "$.credentialSubject", **exc.params)]
    results: list[CheckResult] = []
    seen: set[str] = set()
    for index, attachment in enumerate(credential.node.nodes(facts.ATTACHMENT)):
        path = f"$.attachment[{index}]"
        try:
            content = attachment.literal(facts.CONTENT)
            component = json.loads(base64.b64decode(content.lexical if content else None, validate=True))
        except GraphError as exc:  # two contents for one attachment: which is the component is not said
            results.append(result(Status.FAILED, "STACK_ATTACHMENT_UNREADABLE", f"an attachment cannot be read: "
                                  f"{exc.message}", path, index=index))
            continue
        except (TypeError, ValueError, RecursionError):
            results.append(result(Status.FAILED, "STACK_ATTACHMENT_UNREADABLE", "an attachment is not a "
                                  "base64 JSON credential", path, index=index))
            continue
        nested = verify(component, now=now, file=path, options=options, _depth=depth + 1)
        name = nested.facts.id if nested.facts is not None and nested.facts.id else "(no id)"
        nested.file = f"{path} {name}"
        report.components.append(nested)
        try:
            digest = credential_digest(component) if isinstance(component, dict) else None
        except InputError:
            digest = None
        if digest not in bound or digest in seen:
            results.append(result(Status.FAILED, "STACK_COMPONENT_NOT_BOUND", f"component {name} is "
                                  "not one the stack was signed over (swapped, edited or added)", path, id=name))
            continue
        seen.add(digest)
        if not nested.verified:
            codes = ", ".join(sorted({c.code for c in nested.failures})) or nested.outcome
            results.append(result(Status.FAILED, "STACK_COMPONENT_INVALID", f"component {name} does "
                                  f"not verify ({codes})", path, id=name, codes=codes))
        elif nested.warnings:
            codes = ", ".join(sorted({c.code for c in nested.warnings}))
            results.append(result(Status.WARNING, "STACK_COMPONENT_WARNING", f"component {name} verifies, with "
                                  f"warnings ({codes})", path, id=name, codes=codes))
    for digest, identifier in bound.items():
        if digest not in seen:
            bound_id = (identifier.iri or "").removesuffix("#mcred-digest")
            results.append(result(Status.FAILED, "STACK_COMPONENT_MISSING", f"the bound component "
                                  f"{bound_id} is not in the file (dropped)", "$.credentialSubject.hasClaim.hasPart",
                                  id=identifier.iri or ""))
    if not any(r.status == Status.FAILED for r in results):
        results.insert(0, result(Status.PASSED, "STACK_COMPONENTS_OK", f"all {len(bound)} components verify and "
                                 "are the ones the stack was signed over", count=len(bound)))
    return results
