"""Verification as a report of named checks, run in a fixed order.

Order (each check's name is stable; see the README):

1. ``json``      the input parses, within the size and nesting limits
2. ``contexts``  it has an ``@context`` and every context is bundled
3. ``jsonld``    no term is undefined and no IRI relative (what is signed is what is shown)
4. ``proof``     one result per proof; all must verify (proof sets and chains)
5. ``issuer``    the issuer controls every proof's key; then, with a trust list, whether
                 the issuer is trusted (an unknown issuer is a warning, not a failure)
6. ``validity``  validFrom/validUntil (and VC 1.1 issuanceDate/expirationDate) hold now
7. ``status``    revoked / suspended / active, from local copies of status lists
8. ``components`` for a stack: every bound component re-verified (recursively) and bound
9. ``digest``    with an expected digest (``--expect-digest``, a printed page's QR code): is this
                 the credential the page names? (:mod:`mcred.digest`)

A check that cannot run because an earlier one failed is ``skipped`` with the
reason; ``validity`` always runs, so an expired credential is reported as
expired, not as forged. Later checks (stacking) slot into ``CHECKS``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .dates import parse_datetime, xsd_datetime
from .errors import InputError
from .facts import VALIDITY, read_facts, text
from .graph import GraphError, Literal, MultipleValues, read_graph
from .limits import MAX_DEPTH, Inspection, LimitExceeded, check_limits
from .proofs import JCS, ProofError, VerifiedProof, proofs_of, suite_of, verify_proof
from .report import CLOCK_SKEW, CheckResult, Status, VerificationReport, VerifyOptions, result


@dataclass
class CheckState:
    """What the checks share while they run over one document."""

    document: dict
    file: str | None
    now: datetime
    options: VerifyOptions
    report: VerificationReport
    depth: int = 0
    #: the document's expanded form, once the jsonld check has computed it (the proofs reuse it)
    expanded: list | None = None
    #: what the limits walk noticed (contexts, plain JSON), so no later check walks the document again
    inspection: Inspection | None = None
    #: the credential's signed graph, read by the jsonld check (None when it could not be read)
    facts: Any = None

    def passed(self, name: str) -> bool:
        results = [c for c in self.report.checks if c.check == name]
        return bool(results) and all(c.status == Status.PASSED for c in results)

    def failed(self, name: str) -> bool:
        return any(c.check == name and c.status == Status.FAILED for c in self.report.checks)


def _check_contexts(state: CheckState) -> list[CheckResult]:
    from ._jsonld import check_contexts

    check_contexts(state.document, file=state.file,
                   contexts=state.inspection.contexts if state.inspection else None)
    return [result("contexts", Status.PASSED, "CONTEXTS_OK", "every @context is bundled with mcred")]


def _check_jsonld(state: CheckState) -> list[CheckResult]:
    """Safe mode (no term dropped, no IRI relative), then the signed graph read (mcred.facts)."""
    if not state.passed("contexts"):
        return [_skipped("jsonld", "SKIPPED_CONTEXTS", "the contexts could not be loaded")]
    from ._jsonld import expand_leniently, expand_safely
    from .errors import UnsafeJsonLdError

    proofs = [p for p in proofs_of(state.document) if isinstance(p, dict)]
    if proofs and all(suite_of(p) == JCS for p in proofs):
        # JCS signs the JSON text itself; what the text means is still its graph, read leniently
        # (a term no context defines carries no meaning, and is not read)
        results = [_skipped("jsonld", "SKIPPED_JCS", "every proof is eddsa-jcs-2022, which signs the JSON "
                            "text itself, so every term is covered")]
        from .facts import plain_facts

        plain = plain_facts(state.document, state.inspection)
        if plain is not None:  # its JSON says plainly what its graph says: the whole need not be expanded
            state.facts = state.report.facts = plain
            return results
        expanded = expand_leniently(state.document, file=state.file)
    else:
        try:
            expanded = state.expanded = expand_safely(state.document, file=state.file)
        except UnsafeJsonLdError as exc:
            results = [result("jsonld", Status.FAILED, code, detail, path=path, hint=exc.hint, value=value)
                       for code, path, detail, value in exc.problems]
            expanded = exc.expanded
        else:
            results = [result("jsonld", Status.PASSED, "JSONLD_OK", "every term is defined and every IRI is "
                               "absolute")]
    return results + _read_graph(state, expanded)


def _read_graph(state: CheckState, expanded: list | None) -> list[CheckResult]:
    """The credential's facts from its graph (mcred.facts); a failure when the graph holds no single credential."""
    if expanded is None:
        return []
    try:
        state.facts = state.report.facts = read_facts(read_graph(expanded))
    except GraphError as exc:
        return [result("jsonld", Status.FAILED, exc.code, exc.message, path="$", **exc.params)]
    return []


def _check_proofs(state: CheckState) -> list[CheckResult]:
    proofs = proofs_of(state.document)
    if not proofs:
        return [result("proof", Status.FAILED, "PROOF_MISSING", "the document has no proof", path="$.proof",
                        hint="sign it with `mcred sign`")]
    if not state.passed("contexts"):
        return [_skipped("proof", "SKIPPED_CONTEXTS", "the contexts could not be loaded")]
    rdf_blocked = state.failed("jsonld")
    results = []
    for index, proof in enumerate(proofs):
        path = f"$.proof[{index}]" if isinstance(state.document["proof"], list) else "$.proof"
        if rdf_blocked and isinstance(proof, dict) and suite_of(proof) != JCS:
            results.append(_skipped("proof", "SKIPPED_UNSAFE", "the document has terms or IRIs that a "
                                    "signature over its RDF would not cover (see the jsonld check)", path=path))
            continue
        try:
            verified = verify_proof(state.document, index, file=state.file, expanded=state.expanded,
                                    document_text=state.facts._text if state.facts is not None else None,
                                    plain_json=bool(state.inspection and state.inspection.plain_json))
        except ProofError as exc:
            results.append(CheckResult("proof", Status.FAILED, exc.message, exc.code, exc.path or path,
                                       exc.hint, exc.params))
            continue
        state.report.proofs.append(verified)
        signer = _key_name(verified)
        results.append(result("proof", Status.PASSED, "PROOF_OK", f"{verified.suite} signature is valid, "
                               f"made by {signer}", path=path, suite=verified.suite, signer=signer))
    return results


def _key_name(proof: VerifiedProof) -> str:
    """The signer's name, short: a did:key whose fragment only repeats the key is shown once."""
    did, _, fragment = proof.verification_method.partition("#")
    return did if did == f"did:key:{fragment}" else proof.verification_method


def _no_graph(check: str) -> list[CheckResult]:
    return [_skipped(check, "SKIPPED_NO_GRAPH", "the credential's graph could not be read (see the contexts and "
                     "jsonld checks)")]


def _multiple(check: str, exc) -> list[CheckResult]:
    """A property that may have one value has several: a failure, never "the first" (mcred.graph)."""
    return [result(check, Status.FAILED, exc.code, exc.message, path=f"$.{exc.params['property']}",
                    hint="the issuer signed a credential that says two things at once; ask for a corrected one",
                    **exc.params)]


def _check_issuer(state: CheckState) -> list[CheckResult]:
    """The issuer controls every signing key (a did:key, or a key the trust list binds to it); then trust."""
    if state.facts is None:
        return _no_graph("issuer")
    try:
        issuer = state.facts.issuer
    except MultipleValues as exc:
        return _multiple("issuer", exc)
    state.report.issuer = issuer
    if issuer is None:
        return [result("issuer", Status.FAILED, "ISSUER_MISSING", "the credential names no issuer (issuer "
                        "or issuer.id)", path="$.issuer")]
    if not state.passed("proof"):
        return [_skipped("issuer", "SKIPPED_PROOF", "not every proof verified, so the signer is not known")]
    trust = state.options.trust
    strangers = [p for p in state.report.proofs
                 if p.controller != issuer and not _bound_by_trust(issuer, p.verification_method, trust)]
    if strangers:
        p = strangers[0]
        return [result("issuer", Status.FAILED, "ISSUER_NOT_SIGNER",
                        f"the issuer {issuer} is not the controller of {p.verification_method}",
                        path="$.issuer", hint="the credential was signed with a key that does not "
                        "belong to its issuer", issuer=issuer, signer=p.verification_method)]
    results = [result("issuer", Status.PASSED, "ISSUER_OK", f"the issuer {issuer} made every proof",
                       issuer=issuer)]
    if trust is None:
        results.append(_skipped("issuer", "SKIPPED_NO_TRUST", "no trust list given (--trust): whether the "
                                "issuer is who it claims to be was not checked"))
    else:
        from .trust import evaluate_trust, issuer_name

        results += evaluate_trust(issuer, state.report.proofs, trust)
        state.report.issuer_names = {lang: issuer_name(issuer, trust, lang) for lang in ("en", "it")}
    return results


def _bound_by_trust(issuer: str, verification_method: str, trust: Any) -> bool:
    if trust is None:
        return False
    from .trust import bound_by_trust

    return bound_by_trust(issuer, verification_method, trust)


def _check_validity(state: CheckState) -> list[CheckResult]:
    """validFrom/issuanceDate and validUntil/expirationDate, as the signed graph states them (mcred.facts)."""
    if state.facts is None:
        return _no_graph("validity")
    results = []
    stated = False
    now = xsd_datetime(state.now)
    for name, iri, kind in VALIDITY:
        try:
            value = state.facts.date(iri)
        except MultipleValues as exc:
            results += _multiple("validity", exc)
            continue
        if value is None:
            continue
        stated = True
        value = value.lexical if isinstance(value, Literal) else text(value)
        when = parse_datetime(value)
        path = f"$.{name}"
        if when is None:
            results.append(result("validity", Status.FAILED, "VALIDITY_DATE_INVALID",
                                   f"{name} {value!r} is not an ISO 8601 date-time", path=path,
                                   field=name, value=value))
        elif kind == "not_before" and state.now + CLOCK_SKEW < when:
            results.append(result("validity", Status.FAILED, "VALIDITY_NOT_YET_VALID",
                                   f"not valid before {value} (now {now})", path=path, when=value, now=now))
        elif kind == "not_after" and state.now - CLOCK_SKEW > when:
            results.append(result("validity", Status.FAILED, "VALIDITY_EXPIRED",
                                   f"expired at {value} (now {now}); the signature may still be genuine",
                                   path=path, when=value, now=now))
    if not results:
        if stated:
            results.append(result("validity", Status.PASSED, "VALIDITY_OK", f"valid at {now}", now=now))
        else:
            results.append(result("validity", Status.PASSED, "VALIDITY_NONE", "no validity period is stated"))
    return results


def _check_status(state: CheckState) -> list[CheckResult]:
    if state.facts is None:
        return _no_graph("status")
    from .status import check_status, status_refs

    refs = status_refs(state.facts)
    if not refs:
        return [result("status", Status.PASSED, "STATUS_NONE", "the credential carries no status information")]
    if not state.passed("proof"):
        return [_skipped("status", "SKIPPED_STATUS", "the signature did not verify, so the status entry "
                         "cannot be trusted")]
    return check_status(refs, state.report.issuer, state.options.status_lists)


def _check_components(state: CheckState) -> list[CheckResult]:
    """For a stack: every bound component, re-verified recursively (mcred.stack)."""
    if state.facts is None or not state.facts.has_parts():  # most credentials are not stacks
        return []
    from .stack import check_components, is_stack

    if not is_stack(state.facts):
        return []
    if not state.passed("proof"):
        return [_skipped("components", "SKIPPED_PROOF", "the stack's own signature did not verify, so which "
                         "components it binds is not known")]
    return check_components(state.facts, state.options, state.depth, state.report, state.now)


def _check_digest(state: CheckState) -> list[CheckResult]:
    """With an expected digest: is this the credential a printed page names (mcred.digest)?"""
    if state.options.expect_digest is None or state.depth > 0:  # a stack's components are not the page's
        return []
    if not state.passed("contexts"):
        return [_skipped("digest", "SKIPPED_CONTEXTS", "the contexts could not be loaded")]
    from .digest import check_digest

    if state.facts is None:
        return check_digest(state.document, state.options.expect_digest, file=state.file)
    return check_digest(state.document, state.options.expect_digest, file=state.file, credential_id=state.facts.id)


def _skipped(name: str, code: str, reason: str, *, path: str | None = None) -> CheckResult:
    return CheckResult(name, Status.SKIPPED, reason, code, path)


#: the checks, in the order they run
CHECKS: list[tuple[str, Callable[[CheckState], list[CheckResult]]]] = [
    ("contexts", _check_contexts),
    ("jsonld", _check_jsonld),
    ("proof", _check_proofs),
    ("issuer", _check_issuer),
    ("validity", _check_validity),
    ("status", _check_status),
    ("components", _check_components),
    ("digest", _check_digest),
]


def verify_credential(document: Any, *, now: datetime | None = None, file: str | None = None,
                      options: VerifyOptions | None = None, _depth: int = 0) -> VerificationReport:
    """Run every check on a parsed credential and return the report (never raises on bad input)."""
    options = options or VerifyOptions()
    report = VerificationReport(file=file, strict=options.strict)
    if not isinstance(document, dict):
        report.unusable = True
        report.checks.append(result("json", Status.FAILED, "JSON_NOT_OBJECT", "a credential must be a JSON "
                                     "object", path="$"))
        return report
    try:
        inspection = check_limits(document)
    except LimitExceeded as exc:
        report.unusable = True
        report.checks.append(result("json", Status.FAILED, exc.code, exc.message, path="$",
                                     hint="see the README, \"Limits\"", limit=MAX_DEPTH, detail=exc.message))
        return report
    report.checks.append(result("json", Status.PASSED, "JSON_OK", "the input is a JSON object"))
    if "payload" in document and "@context" not in document:  # a JWS: sealed by EDC with JAdES?
        from .jades import is_jades

        if is_jades(document):
            from .sealed import verify_sealed

            return verify_sealed(document, report, now=now or options.now or datetime.now(timezone.utc),
                                 options=options, file=file)
    state = CheckState(document, file, now or options.now or datetime.now(timezone.utc), options, report, _depth,
                       inspection=inspection)
    run_checks(state, CHECKS)
    return report


def run_checks(state: CheckState, checks) -> None:
    """Run (name, check) pairs in order, adding their results to the state's report."""
    for name, check in checks:
        try:
            state.report.checks.extend(check(state))
        except InputError as exc:
            # the input cannot be used for this check (unknown context, invalid JSON-LD,
            # a graph too costly to canonicalise): that is a refusal, exit 3
            state.report.unusable = True
            state.report.checks.append(CheckResult(name, Status.FAILED, exc.message, exc.code, exc.path, exc.hint,
                                                   {"detail": exc.message, **exc.params}))


def verify_file(path: str | Path, *, now: datetime | None = None,
                options: VerifyOptions | None = None) -> VerificationReport:
    """Read, parse and verify one credential file."""
    name = str(path)
    report = VerificationReport(file=name, unusable=True, strict=bool(options and options.strict))

    def refuse(code: str, message: str, **params) -> VerificationReport:
        report.checks.append(result("json", Status.FAILED, code, message, **params))
        return report

    from ._files import read_input

    try:
        data = read_input(path)
    except InputError as exc:  # unreadable, or over the size limit
        return refuse(exc.code, exc.message, **exc.params)
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return refuse("JSON_MALFORMED", f"not UTF-8 text (byte {exc.start})", detail=f"byte {exc.start}")
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        return refuse("JSON_MALFORMED", f"malformed JSON: {exc.msg} at {where}", detail=f"{exc.msg}, {where}")
    except RecursionError:
        return refuse("JSON_TOO_DEEP", "JSON nested too deeply", limit=MAX_DEPTH)
    return verify_credential(document, now=now, file=name, options=options)
