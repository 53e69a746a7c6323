"""The ``ob3`` check: an Open Badges 3.0 credential on VC 2.0 against the OB 3.0 JSON Schema (bundled).

It applies to a credential whose signed graph types it ``OpenBadgeCredential`` (``AchievementCredential`` is the
same IRI) and whose first context is VC 2.0's: the schema mcred bundles describes OB 3.0 on VC 2.0 (an OB 3.0
credential on VC 1.1, as issued before context 3.0.2, has no ``validFrom`` and would break it for that alone).
A schema is about the JSON, so it reads the JSON; nothing it reads is a fact mcred reports (those come from the
graph). A badge that breaks it is a **warning**, not a failure: its signature and its graph are still what the
issuer signed, and badge platforms differ in how strictly they apply the schema (``--strict`` makes it fail).
"""

from __future__ import annotations

from mcred.messages import register
from mcred.report import CheckResult, Status, result

SCHEMA = "ob_v3p0_achievementcredential_schema.json"
OPEN_BADGE_CREDENTIAL = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
VC2 = "https://www.w3.org/ns/credentials/v2"
#: the most schema problems reported one by one (the count says how many more)
SHOWN = 10

register({
    "OB3_SCHEMA_OK": ("la credenziale rispetta lo schema JSON di Open Badges 3.0", None),
    "OB3_SCHEMA_MISMATCH": ("lo schema JSON di Open Badges 3.0 non è rispettato in {where}: {detail}",
                            "la firma resta valida; alcune piattaforme di badge potrebbero rifiutare la credenziale"),
})


def applies(document: dict, facts) -> bool:
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first != VC2 or facts is None:
        return False
    from mcred.graph.nodes import GraphError

    try:
        return facts.graph.credential.has_type(OPEN_BADGE_CREDENTIAL)
    except GraphError:  # the whole document's graph cannot be read: the checks that need it say so
        return False


def ob3_schema_results(document: dict) -> list[CheckResult]:
    """``ob3`` results for an OB 3.0 credential: passed, or one warning per schema problem (the first few)."""
    from mcred._schema import schema_problems

    problems = schema_problems(document, SCHEMA, deepest=True)
    if not problems:
        return [result("ob3", Status.PASSED, "OB3_SCHEMA_OK", "the credential meets the Open Badges 3.0 JSON Schema")]
    results = [result("ob3", Status.WARNING, "OB3_SCHEMA_MISMATCH", f"the Open Badges 3.0 JSON Schema is not met "
                      f"at {p.path}: {p.message}", path=p.path, where=p.path, detail=p.message,
                      hint="the signature still holds; some badge platforms may refuse the credential")
               for p in problems[:SHOWN]]
    if len(problems) > SHOWN:
        results[-1].message += f" (and {len(problems) - SHOWN} more)"
    return results
