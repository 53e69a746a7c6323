"""mcred's names for IRIs: the table that readers of the signed graph name properties by.

Readers that present or copy what a credential says (the view, lint, stacking)
work on plain JSON, keyed the way ELM and the W3C contexts name things
(``validFrom``, ``credentialSubject``, ``title`` ...). That JSON is written
(:mod:`mcred.graph.tree`) from the signed graph (:mod:`mcred.graph.nodes`), never taken
from the document: the name of a key is mcred's, looked up by the property's
IRI in this fixed table, so no context a holder appends, and no way of
spelling a key, can move a value to another name or hide it.

The table (``vocab/terms.json``) maps each IRI to the term the bundled contexts
give it, in an order of preference (ELM with VC 1.1, VC 2.0, StatusList2021,
Open Badges 3.0); it is derived from the bundled contexts by
:func:`build_table`, and a test fails when it drifts (``python -m mcred.graph.terms
--write`` writes it again). An IRI the table does not know keeps its IRI as its key.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

#: the context sets whose terms name IRIs, in order of preference (the first name found wins)
CONTEXT_SETS = (
    ("https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap",
     "https://w3id.org/security/data-integrity/v2"),
    ("https://www.w3.org/ns/credentials/v2",),
    ("https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc/status-list/2021/v1"),
    ("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
)
TABLE_FORMAT = "mcred-terms/1"


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    data = json.loads((resources.files("mcred") / "vocab" / "terms.json").read_text(encoding="utf-8"))
    return data["terms"]


class _Terms:
    """IRI -> name, loaded on first use."""

    def get(self, iri: str, default: Any = None) -> Any:
        return table().get(iri, default)

    def __contains__(self, iri: str) -> bool:
        return iri in table()


TERMS = _Terms()


# --- the table ------------------------------------------------------------------------------------------


def buildtable() -> dict[str, str]:
    """IRI -> term, from the bundled contexts (:data:`CONTEXT_SETS`, type-scoped contexts included)."""
    from mcred.jsonld.expansion import _initial

    table: dict[str, str] = {}
    for contexts in CONTEXT_SETS:
        local = list(contexts)
        active = _initial().derive("local", json.dumps(local), local)
        _collect(active, table, depth=0, seen=set())
    return dict(sorted(table.items()))


def _collect(active, table: dict[str, str], *, depth: int, seen: set) -> None:
    from mcred.jsonld.expansion import Unsupported

    scoped = []
    for term, definition in active.mappings.items():
        if not definition or not isinstance(definition.get("@id"), str) or definition["@id"].startswith("@"):
            continue
        table.setdefault(definition["@id"], term)
        if definition.get("@context") is not None and depth < 3:
            scoped.append((term, definition["@context"]))
    for term, context in scoped:
        key = (term, json.dumps(context, sort_keys=True))
        if key in seen:
            continue
        seen.add(key)
        try:
            derived = active.derive("type", active.scoped(term), context, propagate=False)
        except Unsupported:  # a scoped context that only applies where its own rules allow (protected terms)
            continue
        _collect(derived, table, depth=depth + 1, seen=seen)


def prefix_terms() -> dict[str, list[str]]:
    """Every term a bundled context (alone or in the sets above, scoped contexts too) lets a compact IRI use as
    its prefix, with the IRIs it stands for: an id ``p:rest`` may mean another IRI than it reads as."""
    from mcred.jsonld.contexts import context_index
    from mcred.jsonld.expansion import Unsupported, _initial

    found: dict[str, set[str]] = {}

    def collect(active, depth: int, seen: set) -> None:
        for term, definition in active.mappings.items():
            if definition and definition.get("_prefix") and isinstance(definition.get("@id"), str):
                found.setdefault(term, set()).add(definition["@id"])
            if definition and definition.get("@context") is not None and depth < 3:
                key = (term, json.dumps(definition["@context"], sort_keys=True))
                if key not in seen:
                    seen.add(key)
                    try:
                        derived = active.derive("type", active.scoped(term), definition["@context"], propagate=False)
                    except Unsupported:
                        continue
                    collect(derived, depth + 1, seen)

    for contexts in [*CONTEXT_SETS, *([url] for url in context_index())]:
        local = list(contexts)
        collect(_initial().derive("local", json.dumps(local), local), 0, set())
    return {term: sorted(iris) for term, iris in sorted(found.items())}


def table_document() -> dict:
    return {"format": TABLE_FORMAT, "derived_from": [list(s) for s in CONTEXT_SETS], "terms": buildtable(),
            "prefixes": prefix_terms()}


@lru_cache(maxsize=1)
def prefixes() -> tuple[tuple[str, str], ...]:
    """:func:`prefix_terms`, as the table records them: (term, IRI) pairs."""
    data = json.loads((resources.files("mcred") / "vocab" / "terms.json").read_text(encoding="utf-8"))
    return tuple((term, iri) for term, iris in data["prefixes"].items() for iri in iris)


if __name__ == "__main__":  # python -m mcred.graph.terms --write: derive vocab/terms.json again
    text = json.dumps(table_document(), indent=1, ensure_ascii=False) + "\n"
    if sys.argv[1:] == ["--write"]:
        Path(__file__).resolve().parents[1].joinpath("vocab", "terms.json").write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
