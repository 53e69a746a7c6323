"""The checks of a credential, each a function of the shared :class:`CheckState`, in a fixed order.

Order (each check's name is stable; see docs/verify.md):

1. ``json``      the input parses, within the size and nesting limits
2. ``contexts``  it has an ``@context`` and every context is bundled
3. ``jsonld``    no term is undefined and no IRI relative (what is signed is what is shown)
3b. ``vcdm2``    a VC 2.0 credential meets the VC Data Model 2.0 rules (:mod:`mcred.vcdm`); none for VC 1.1
3c. ``ob3``      an Open Badges 3.0 credential on VC 2.0 meets the OB 3.0 JSON Schema (warnings; :mod:`.ob3`)
3d. ``euhemc``   an EUHEMC credential (ELM 3.2 on VC 2.0) keeps DC4EU's profile, JSON Schema and SHACL shapes
                 (:mod:`mcred.verify.euhemc`); none for any other
4. ``proof``     one result per proof; all must verify (proof sets and chains)
5. ``issuer``    the issuer controls every proof's key; then, with a trust list, whether
                 the issuer is trusted (an unknown issuer is a warning, not a failure); skipped
                 with ``proof_only`` (proof sets and chains with several signers)
6. ``validity``  validFrom/validUntil (and VC 1.1 issuanceDate/expirationDate) hold now
7. ``status``    revoked / suspended / active, from local copies of status lists
8. ``components`` for a stack: every bound component re-verified (recursively) and bound
9. ``digest``    with an expected digest (``--expect-digest``, a printed page's QR code): is this
                 the credential the page names? (:mod:`mcred.verify.digest`)

A check that cannot run because an earlier one failed is ``skipped`` with the
reason; ``validity`` always runs, so an expired credential is reported as
expired, not as forged. :mod:`mcred.verify.runner` runs them (:data:`CHECKS`); a sealed
credential's payload runs some of them too (:mod:`mcred.verify.sealed`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mcred.dates import parse_datetime, xsd_datetime
from mcred.errors import InputError
from mcred.graph.facts import VALIDITY, read_facts, text
from mcred.graph.nodes import GraphError, Literal, MultipleValues, read_graph
from mcred.limits import Inspection
from mcred.proofs.data_integrity import JCS_SUITES, ProofError, VerifiedProof, proofs_of, suite_of, verify_proof
from mcred.report import CLOCK_SKEW, CheckResult, Status, VerificationReport, VerifyOptions, result


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
    #: how a stack's components are verified: :func:`mcred.verify.runner.verify_credential`, given by the runner
    #: (the checks are below it, so they cannot import it)
    verify: Callable[..., VerificationReport] | None = None

    def passed(self, name: str) -> bool:
        results = [c for c in self.report.checks if c.check == name]
        # a warning is a pass with a note: the checks that need this one still run
        return bool(results) and all(c.status in (Status.PASSED, Status.WARNING) for c in results)

    def failed(self, name: str) -> bool:
        return any(c.check == name and c.status == Status.FAILED for c in self.report.checks)


def contexts_check(state: CheckState) -> list[CheckResult]:
    from mcred.jsonld.process import check_contexts

    check_contexts(state.document, file=state.file,
                   contexts=state.inspection.contexts if state.inspection else None)
    return [result("contexts", Status.PASSED, "CONTEXTS_OK", "every @context is bundled with mcred")]


def jsonld_check(state: CheckState) -> list[CheckResult]:
    """Safe mode (no term dropped, no IRI relative), then the signed graph read (mcred.graph.facts)."""
    if not state.passed("contexts"):
        return [skipped("jsonld", "SKIPPED_CONTEXTS", "the contexts could not be loaded")]
    from mcred.errors import UnsafeJsonLdError
    from mcred.jsonld.process import expand_leniently, expand_safely

    from .euhemc import euhemc_expanded, is_euhemc, signs_json

    if is_euhemc(state.document) and signs_json(state.document):
        # ELM 3.2 on VC 2.0 has no graph under the published contexts: read with the documented departure
        expanded, results = euhemc_expanded(state.document)
        return results + _read_graph(state, expanded)
    proofs = [p for p in proofs_of(state.document) if isinstance(p, dict)]
    if proofs and all(suite_of(p) in JCS_SUITES for p in proofs):
        # JCS signs the JSON text itself; what the text means is still its graph, read leniently
        # (a term no context defines carries no meaning, and is not read)
        results = [skipped("jsonld", "SKIPPED_JCS", "every proof is eddsa-jcs-2022 or ecdsa-jcs-2019, which sign "
                            "the JSON text itself, so every term is covered")]
        from mcred.graph.facts import plain_facts

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
    """The credential's facts from its graph (mcred.graph.facts); a failure when it holds no single credential."""
    if expanded is None:
        return []
    try:
        state.facts = state.report.facts = read_facts(read_graph(expanded))
    except GraphError as exc:
        return [result("jsonld", Status.FAILED, exc.code, exc.message, path="$", **exc.params)]
    return []


def vcdm2_check(state: CheckState) -> list[CheckResult]:
    """The VC Data Model 2.0 rules (mcred.vcdm), on the signed graph the jsonld check read; the dates are the
    validity check's. No result for a credential the rules do not apply to (VC 1.1)."""
    from mcred.vcdm import applies, check_vcdm2

    if not applies(state.document):
        return []
    if state.facts is None:
        return no_graph("vcdm2")
    if state.failed("jsonld"):  # a relative id, an undefined term: said once, by the jsonld check
        return [skipped("vcdm2", "SKIPPED_JSONLD", "the credential is not JSON-LD that a signature covers (see the "
                        "jsonld check)")]
    problems = check_vcdm2(state.document, credential=lambda: state.facts.graph.credential, dates=False)
    if not problems:
        return [result("vcdm2", Status.PASSED, "VCDM2_OK", "the credential meets the VC Data Model 2.0 rules")]
    return [result("vcdm2", Status.FAILED, p.code, p.message, path=p.path, hint=p.hint, **p.params)
            for p in problems]


def ob3_check(state: CheckState) -> list[CheckResult]:
    """An Open Badges 3.0 credential (typed so in its signed graph, on VC 2.0) against the OB 3.0 JSON Schema:
    warnings, never a failure (mcred.verify.ob3). No result for any other credential."""
    from .ob3 import applies, ob3_schema_results

    if state.failed("jsonld") or not applies(state.document, state.facts):
        return []
    return ob3_schema_results(state.document)


def euhemc_check(state: CheckState) -> list[CheckResult]:
    """DC4EU's EUHEMC profile (mcred.verify.euhemc), for a credential whose type says
    EuropeanHigherEducationMicrocredential; no result for any other."""
    from .euhemc import euhemc_results, is_euhemc

    if not is_euhemc(state.document):
        return []
    if state.facts is None:
        return no_graph("euhemc")
    return euhemc_results(state.document)


def proofs_check(state: CheckState) -> list[CheckResult]:
    proofs = proofs_of(state.document)
    if not proofs:
        return [result("proof", Status.FAILED, "PROOF_MISSING", "the document has no proof", path="$.proof",
                        hint="sign it with `mcred sign`")]
    if not state.passed("contexts"):
        return [skipped("proof", "SKIPPED_CONTEXTS", "the contexts could not be loaded")]
    rdf_blocked = state.failed("jsonld")
    results = []
    for index, proof in enumerate(proofs):
        path = f"$.proof[{index}]" if isinstance(state.document["proof"], list) else "$.proof"
        if rdf_blocked and isinstance(proof, dict) and suite_of(proof) not in JCS_SUITES:
            results.append(skipped("proof", "SKIPPED_UNSAFE", "the document has terms or IRIs that a "
                                    "signature over its RDF would not cover (see the jsonld check)", path=path))
            continue
        try:
            verified = verify_proof(state.document, index, file=state.file, expanded=state.expanded,
                                    document_text=state.facts._text if state.facts is not None else None,
                                    plain_json=bool(state.inspection and state.inspection.plain_json),
                                    documents=_documents(state.options))
        except ProofError as exc:
            results.append(CheckResult("proof", Status.FAILED, exc.message, exc.code, exc.path or path,
                                       exc.hint, exc.params))
            continue
        state.report.proofs.append(verified)
        signer = _key_name(verified)
        results.append(result("proof", Status.PASSED, "PROOF_OK", f"{verified.suite} signature is valid, "
                               f"made by {signer}", path=path, suite=verified.suite, signer=signer))
        # a suite's notes on a valid proof (an ecdsa-sd-2023 base proof must be derived before it is shown)
        results += [result("proof", Status.WARNING, code, message, path=path, hint=hint, suite=verified.suite)
                    for code, message, hint in verified.warnings]
    return results


def _documents(options: VerifyOptions):
    """The DID documents the user gave: --did-documents (with the trust file's, by load_options), else the
    trust file's own ``documents:`` (a library caller that gave only a trust list)."""
    if options.documents is not None:
        return options.documents
    return getattr(options.trust, "documents", None)


def _key_name(proof: VerifiedProof) -> str:
    """The signer's name, short: a did:key whose fragment only repeats the key is shown once."""
    did, _, fragment = proof.verification_method.partition("#")
    return did if did == f"did:key:{fragment}" else proof.verification_method


def no_graph(check: str) -> list[CheckResult]:
    return [skipped(check, "SKIPPED_NO_GRAPH", "the credential's graph could not be read (see the contexts and "
                     "jsonld checks)")]


def multiple_values(check: str, exc) -> list[CheckResult]:
    """A property that may have one value has several: a failure, never "the first" (mcred.graph.nodes)."""
    return [result(check, Status.FAILED, exc.code, exc.message, path=f"$.{exc.params['property']}",
                    hint="the issuer signed a credential that says two things at once; ask for a corrected one",
                    **exc.params)]


def issuer_check(state: CheckState) -> list[CheckResult]:
    """The issuer controls every signing key (a did:key, or a key the trust list binds to it); then trust."""
    if state.facts is None:
        return no_graph("issuer")
    try:
        issuer = state.facts.issuer
    except MultipleValues as exc:
        return multiple_values("issuer", exc)
    state.report.issuer = issuer
    if state.options.proof_only:  # asked: does every proof verify? Who signed is the caller's question
        return [skipped("issuer", "SKIPPED_PROOF_ONLY", "proof-only verification (--proof-only): whether the "
                         "issuer made every proof, and whether it is trusted, was not checked")]
    if issuer is None:
        return [result("issuer", Status.FAILED, "ISSUER_MISSING", "the credential names no issuer (issuer "
                        "or issuer.id)", path="$.issuer")]
    if not state.passed("proof"):
        return [skipped("issuer", "SKIPPED_PROOF", "not every proof verified, so the signer is not known")]
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
        results.append(skipped("issuer", "SKIPPED_NO_TRUST", "no trust list given (--trust): whether the "
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


def validity_check(state: CheckState) -> list[CheckResult]:
    """validFrom/issuanceDate and validUntil/expirationDate, as the signed graph states them (mcred.graph.facts).

    VC Data Model 2.0 (section 4.9): ``validFrom`` and ``validUntil`` are dateTimeStamps (a time zone is
    required), and ``validFrom`` is not later than ``validUntil``; VC 1.1's dates may omit the zone (read as
    UTC). A period that ends before it begins is refused whichever dates state it.
    """
    if state.facts is None:
        return no_graph("validity")
    results = []
    stated = False
    now = xsd_datetime(state.now)
    vc2 = _is_vc2(state.document)
    read: list[tuple[str, str, str, datetime]] = []  # (name, kind, value, when) of each date that parses
    for name, iri, kind in VALIDITY:
        try:
            value = state.facts.date(iri)
        except MultipleValues as exc:
            results += multiple_values("validity", exc)
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
            continue
        if vc2 and name in ("validFrom", "validUntil") and not _has_time_zone(value):
            results.append(result("validity", Status.FAILED, "VALIDITY_TIMEZONE_MISSING",
                                   f"{name} {value!r} has no time zone; VC Data Model 2.0 requires a "
                                   "dateTimeStamp (e.g. 2026-01-31T12:00:00Z)", path=path,
                                   hint="the issuer must state the time zone; ask for a corrected credential",
                                   field=name, value=value))
            continue
        read.append((name, kind, value, when))
        if kind == "not_before" and state.now + CLOCK_SKEW < when:
            results.append(result("validity", Status.FAILED, "VALIDITY_NOT_YET_VALID",
                                   f"not valid before {value} (now {now})", path=path, when=value, now=now))
        elif kind == "not_after" and state.now - CLOCK_SKEW > when:
            results.append(result("validity", Status.FAILED, "VALIDITY_EXPIRED",
                                   f"expired at {value} (now {now}); the signature may still be genuine",
                                   path=path, when=value, now=now))
    for start, _, start_value, begins in (r for r in read if r[1] == "not_before"):
        for end, _, end_value, ends in (r for r in read if r[1] == "not_after"):
            if ends < begins:  # no clock skew here: the credential contradicts itself, whatever the time
                results.append(result("validity", Status.FAILED, "VALIDITY_PERIOD_INVERTED",
                                       f"{end} {end_value} is before {start} {start_value}: the validity period "
                                       "ends before it begins", path=f"$.{end}",
                                       hint="the issuer signed contradictory dates; ask for a corrected credential",
                                       start=start, start_value=start_value, end=end, end_value=end_value))
    if not results:
        if stated:
            results.append(result("validity", Status.PASSED, "VALIDITY_OK", f"valid at {now}", now=now))
        else:
            results.append(result("validity", Status.PASSED, "VALIDITY_NONE", "no validity period is stated"))
    return results


def _is_vc2(document: dict) -> bool:
    """Whether the credential is VC Data Model 2.0: its first context is the v2 base context (VCDM 2.0 4.3)."""
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    return first == "https://www.w3.org/ns/credentials/v2"


def _has_time_zone(value: str) -> bool:
    # parse_datetime has accepted the value: its zone, if any, is a Z or a +hh:mm / -hh:mm suffix
    return _TIME_ZONE.search(value) is not None


_TIME_ZONE = re.compile(r"(?:Z|z|[+-]\d{2}:\d{2})$")


def status_check(state: CheckState) -> list[CheckResult]:
    if state.facts is None:
        return no_graph("status")
    from .status import check_status, status_refs

    refs = status_refs(state.facts)
    if not refs:
        return [result("status", Status.PASSED, "STATUS_NONE", "the credential carries no status information")]
    if not state.passed("proof"):
        return [skipped("status", "SKIPPED_STATUS", "the signature did not verify, so the status entry "
                         "cannot be trusted")]
    return check_status(refs, state.report.issuer, state.options.status_lists)


def components_check(state: CheckState) -> list[CheckResult]:
    """For a stack: every bound component, re-verified recursively (mcred.verify.components)."""
    if state.facts is None or not state.facts.has_parts():  # most credentials are not stacks
        return []
    from .components import check_components, is_stack

    if not is_stack(state.facts):
        return []
    if not state.passed("proof"):
        return [skipped("components", "SKIPPED_PROOF", "the stack's own signature did not verify, so which "
                         "components it binds is not known")]
    return check_components(state.facts, state.options, state.depth, state.report, state.now, verify=state.verify)


def digest_check(state: CheckState) -> list[CheckResult]:
    """With an expected digest: is this the credential a printed page names (mcred.verify.digest)?"""
    if state.options.expect_digest is None or state.depth > 0:  # a stack's components are not the page's
        return []
    if not state.passed("contexts"):
        return [skipped("digest", "SKIPPED_CONTEXTS", "the contexts could not be loaded")]
    from .digest import check_digest

    if state.facts is None:
        return check_digest(state.document, state.options.expect_digest, file=state.file)
    return check_digest(state.document, state.options.expect_digest, file=state.file, credential_id=state.facts.id)


def skipped(name: str, code: str, reason: str, *, path: str | None = None) -> CheckResult:
    return CheckResult(name, Status.SKIPPED, reason, code, path)


#: the checks, in the order they run
CHECKS: list[tuple[str, Callable[[CheckState], list[CheckResult]]]] = [
    ("contexts", contexts_check),
    ("jsonld", jsonld_check),
    ("vcdm2", vcdm2_check),
    ("ob3", ob3_check),
    ("euhemc", euhemc_check),
    ("proof", proofs_check),
    ("issuer", issuer_check),
    ("validity", validity_check),
    ("status", status_check),
    ("components", components_check),
    ("digest", digest_check),
]


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
