"""The EUHEMC profile at verification: an ELM 3.2 / VC 2.0 credential whose type says
EuropeanHigherEducationMicrocredential is read with its documented departure, and checked against the
profile's rules, JSON Schema and SHACL shapes (``euhemc`` check; docs/verify.md).

Such a credential has no graph under the published contexts (edc-ap after credentials/v2 is a JSON-LD
error), so the ``jsonld`` check cannot pass it as it passes others: when every proof signs the JSON text
(eddsa-jcs-2022, ecdsa-jcs-2019), the graph is read from that same text with departure D1
(:func:`mcred.elm.euhemc_validation.expand_euhemc`) and the ``jsonld`` check says so as a warning. A
credential of this type secured any other way gets no such reading: an RDFC proof over it covers nothing
the document says, and the ``jsonld`` check fails it as before.
"""

from __future__ import annotations

from mcred.elm.euhemc import PROFILE_TYPE
from mcred.errors import InputError
from mcred.messages import register
from mcred.proofs.data_integrity import JCS_SUITES, proofs_of, suite_of
from mcred.report import CheckResult, Status, result

register({
    "JSONLD_EUHEMC_DEPARTURE": ("ELM 3.2 su VC 2.0: edc-ap dopo credentials/v2 non è JSON-LD valido; il grafo è "
                                "letto dal JSON firmato con il contesto ELM 3.2 senza il termine description "
                                "(deroga D1 documentata)", None),
    "EUHEMC_OK": ("la credenziale rispetta il profilo EUHEMC, il suo JSON Schema e le sue forme SHACL (deroghe "
                  "documentate: {departures})", None),
    "EUHEMC_SHACL_WARNING": ("forme SHACL EUHEMC, raccomandazione non seguita in {where}: {detail}", None),
})


def is_euhemc(document: dict) -> bool:
    """True for a credential whose type says EuropeanHigherEducationMicrocredential."""
    types = document.get("type")
    return PROFILE_TYPE in (types if isinstance(types, list) else [types])


def signs_json(document: dict) -> bool:
    """True when the document has proofs and every one signs the JSON text (a JCS suite)."""
    proofs = [p for p in proofs_of(document) if isinstance(p, dict)]
    return bool(proofs) and all(suite_of(p) in JCS_SUITES for p in proofs)


def euhemc_expanded(document: dict) -> tuple[list | None, list[CheckResult]]:
    """The graph of a JCS-signed EUHEMC credential (departure D1) and the ``jsonld`` check's results."""
    from mcred.elm.euhemc_validation import expand_euhemc

    try:
        expanded = expand_euhemc(document)
    except InputError as exc:
        return None, [result("jsonld", Status.FAILED, exc.code, exc.message, path="$", **exc.params)]
    return expanded, [result("jsonld", Status.WARNING, "JSONLD_EUHEMC_DEPARTURE", "ELM 3.2 on VC 2.0: edc-ap "
                             "after credentials/v2 is not valid JSON-LD; the graph is read from the signed JSON with "
                             "the ELM 3.2 context less its description term (documented departure D1)",
                             hint="see docs/issue.md, 'ELM 3.2 on VC 2.0 (EUHEMC)'")]


def euhemc_results(document: dict) -> list[CheckResult]:
    """The ``euhemc`` check: the profile's rules, then its JSON Schema and SHACL shapes."""
    from mcred.elm.euhemc import profile_problems
    from mcred.elm.euhemc_validation import DEPARTURES, conformance_findings, schema_findings

    results = [result("euhemc", Status.FAILED, p.code, p.message, path=p.path, **p.params)
               for p in profile_problems(document)]
    try:
        findings = conformance_findings(document)
    except InputError as exc:  # no SHACL engine (mcred[vc2] not installed), or no graph
        findings = schema_findings(document)
        results.append(result("euhemc", Status.SKIPPED, exc.code, exc.message, hint=exc.hint, **exc.params))
    for finding in findings:
        if finding.severity == "violation":
            results.append(result("euhemc", Status.FAILED, finding.code, finding.message, path=_path(finding.path),
                                  detail=finding.message, where=finding.path))
        elif finding.severity == "warning":
            results.append(result("euhemc", Status.WARNING, "EUHEMC_SHACL_WARNING", finding.message,
                                  detail=finding.message, where=finding.path))
    if not any(r.status in (Status.FAILED, Status.SKIPPED) for r in results):
        used = sorted({f.departure for f in findings if f.departure} | {"D1", "D3"})
        results.append(result("euhemc", Status.PASSED, "EUHEMC_OK", "the credential keeps the EUHEMC profile's "
                               f"rules, JSON Schema and SHACL shapes (documented departures: {', '.join(used)})",
                               departures=", ".join(used), explained={d: DEPARTURES[d] for d in used}))
    return results


def _path(where: str) -> str | None:
    return where if where.startswith("$") else None
