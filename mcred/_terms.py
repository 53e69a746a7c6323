"""mcred's names for IRIs, and a graph node written out as plain JSON under them.

Readers that present or copy what a credential says (the view, lint, stacking)
work on plain JSON, keyed the way ELM and the W3C contexts name things
(``validFrom``, ``credentialSubject``, ``title`` ...). That JSON is written here
from the signed graph (:mod:`mcred.graph`), never taken from the document: the
name of a key is mcred's, looked up by the property's IRI in a fixed table, so
no context a holder appends, and no way of spelling a key, can move a value to
another name or hide it.

The table (``vocab/terms.json``) maps each IRI to the term the bundled contexts
give it, in an order of preference (ELM with VC 1.1, VC 2.0, StatusList2021,
Open Badges 3.0); it is derived from the bundled contexts by
:func:`build_table`, and a test fails when it drifts (``make terms`` writes it
again). An IRI the table does not know keeps its IRI as its key.

The tree, for a node: ``id`` (its IRI; none for a blank node), ``type`` (a
sorted list of names), then each property: language-tagged strings as a
language map, other literals as JSON strings (booleans and integers as JSON's
own), nodes as objects written the same way, in full wherever they occur
(except a node already being written above: a cycle, which gets its ``id``
only). One value is written as itself, several as a list, in the graph's fixed
order. The proof is not part of it.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .graph import TREE_LIMIT, XSD_BOOLEAN, XSD_INTEGER, XSD_STRING, GraphError, Literal, Node

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
def _table() -> dict[str, str]:
    data = json.loads((resources.files("mcred") / "vocab" / "terms.json").read_text(encoding="utf-8"))
    return data["terms"]


class _Terms:
    """IRI -> name, loaded on first use."""

    def get(self, iri: str, default: Any = None) -> Any:
        return _table().get(iri, default)

    def __contains__(self, iri: str) -> bool:
        return iri in _table()


TERMS = _Terms()


def write_tree(node: Node, limit: int) -> dict:
    """``node`` as plain JSON (see the module docstring); GraphError when it would exceed ``limit`` values."""
    writer = _Writer(limit)
    return writer.node(node)


class _Writer:
    def __init__(self, limit: int) -> None:
        self.room = limit
        self.path: set = set()
        self.names = _table()

    def node(self, node: Node) -> dict:
        out: dict[str, Any] = {}
        if node.iri is not None:
            out["id"] = node.iri
        if node.key in self.path:  # a cycle: the reference only
            return out
        self.path.add(node.key)
        names = self.names
        if node.types:
            out["type"] = [names.get(t, t) for t in node.types]
        properties = node.properties()
        self.room -= 1 + len(properties)
        if self.room < 0:
            raise GraphError("JSONLD_TOO_COMPLEX", "the credential's graph, written out in full, is too large "
                             "(its nodes are referred to from too many places)")
        for prop in properties:
            name = names.get(prop, prop)
            if name in out:  # two IRIs with one name: the second keeps its IRI
                name = prop
            out[name] = self.values(node.values(prop))
        self.path.discard(node.key)
        return out

    def values(self, values: list) -> Any:
        items: list[Any] = []
        languages: dict[str, list[str]] = {}
        for value in values:
            if isinstance(value, Literal):
                if value.language is not None:
                    languages.setdefault(value.language, []).append(value.lexical)
                else:
                    items.append(_scalar(value))
            elif isinstance(value, tuple):
                items.append([self.values([item]) for item in value])
            else:
                items.append(self.node(value))
        if languages:
            items.append({lang: texts[0] if len(texts) == 1 else texts for lang, texts in sorted(languages.items())})
        return items[0] if len(items) == 1 else items


def write_exact(node: Node, mappings: dict, *, limit: int = TREE_LIMIT) -> dict:
    """``node`` as JSON-LD that means exactly what the graph says, under a context whose term definitions
    are ``mappings`` (an active context's, e.g. the ELM context's): for copying a node into a document
    mcred signs (a stack copies its components' outcomes, assessments, learner).

    A name is used only where the context gives it the same IRI, else the IRI; a value is written plainly
    only where the term's type coercion or language container reads it back as the same literal, else
    as a value object (``@value`` with ``@type`` or ``@language``).
    """
    return _ExactWriter(limit, mappings).node(node)


class _ExactWriter(_Writer):
    def __init__(self, limit: int, mappings: dict) -> None:
        super().__init__(limit)
        self.mappings = mappings
        table = _table()
        by_iri: dict[str, str] = {}
        for term, definition in sorted(mappings.items()):
            iri = definition.get("@id") if definition else None
            if isinstance(iri, str) and not iri.startswith("@") and ":" not in term:
                if table.get(iri) == term or iri not in by_iri:
                    by_iri[iri] = term
        self.names = by_iri

    def node(self, node: Node) -> dict:
        out: dict[str, Any] = {}
        if node.iri is not None:
            out["id"] = node.iri
        if node.key in self.path:
            return out
        self.path.add(node.key)
        if node.types:
            out["type"] = [self.names.get(t, t) for t in node.types]
        properties = node.properties()
        self.room -= 1 + len(properties)
        if self.room < 0:
            raise GraphError("JSONLD_TOO_COMPLEX", "the credential's graph, written out in full, is too large")
        for prop in properties:
            term = self.names.get(prop)
            definition = self.mappings.get(term) if term else None
            out[term or prop] = self.exact_values(node.values(prop), definition or {})
        self.path.discard(node.key)
        return out

    def exact_values(self, values: list, definition: dict) -> Any:
        coerced = definition.get("@type")
        language_map = "@language" in (definition.get("@container") or ())
        items: list[Any] = []
        languages: dict[str, list[str]] = {}
        for value in values:
            if isinstance(value, Node):
                items.append(self.node(value))
            elif not isinstance(value, Literal):  # an RDF list
                items.append({"@list": [self.exact_values([item], {}) for item in value]})
            elif value.language is not None and language_map:
                languages.setdefault(value.language, []).append(value.lexical)
            elif value.language is not None:
                items.append({"@value": value.lexical, "@language": value.language})
            elif coerced == value.datatype or (coerced is None and value.datatype == XSD_STRING):
                items.append(value.lexical)
            elif coerced is None and value.datatype in (XSD_BOOLEAN, XSD_INTEGER) and _scalar(value) != value.lexical:
                items.append(_scalar(value))
            else:
                items.append({"@value": value.lexical, "@type": value.datatype})
        if languages and items:  # a language map cannot share its key with other values: value objects, then
            items += [{"@value": text, "@language": lang} for lang, texts in sorted(languages.items())
                      for text in texts]
        elif languages:
            items.append({lang: texts[0] if len(texts) == 1 else texts for lang, texts in sorted(languages.items())})
        return items[0] if len(items) == 1 else items


def _scalar(literal: Literal) -> Any:
    if literal.datatype == XSD_BOOLEAN and literal.lexical in ("true", "false"):
        return literal.lexical == "true"
    if literal.datatype == XSD_INTEGER and literal.lexical.lstrip("-").isdigit() and len(literal.lexical) < 16:
        return int(literal.lexical)
    return literal.lexical  # strings, dates, durations, decimals, IRIs as text: their lexical form


def is_string(literal: Any) -> bool:
    return isinstance(literal, Literal) and literal.datatype == XSD_STRING


# --- the table ------------------------------------------------------------------------------------------


def build_table() -> dict[str, str]:
    """IRI -> term, from the bundled contexts (:data:`CONTEXT_SETS`, type-scoped contexts included)."""
    from ._expansion import _initial

    table: dict[str, str] = {}
    for contexts in CONTEXT_SETS:
        local = list(contexts)
        active = _initial().derive("local", json.dumps(local), local)
        _collect(active, table, depth=0, seen=set())
    return dict(sorted(table.items()))


def _collect(active, table: dict[str, str], *, depth: int, seen: set) -> None:
    from ._expansion import Unsupported

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
    from ._expansion import Unsupported, _initial
    from .bundled import context_index

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
    return {"format": TABLE_FORMAT, "derived_from": [list(s) for s in CONTEXT_SETS], "terms": build_table(),
            "prefixes": prefix_terms()}


@lru_cache(maxsize=1)
def prefixes() -> tuple[tuple[str, str], ...]:
    """:func:`prefix_terms`, as the table records them: (term, IRI) pairs."""
    data = json.loads((resources.files("mcred") / "vocab" / "terms.json").read_text(encoding="utf-8"))
    return tuple((term, iri) for term, iris in data["prefixes"].items() for iri in iris)


if __name__ == "__main__":  # python -m mcred._terms --write: derive vocab/terms.json again
    text = json.dumps(table_document(), indent=1, ensure_ascii=False) + "\n"
    if sys.argv[1:] == ["--write"]:
        Path(__file__).resolve().parent.joinpath("vocab", "terms.json").write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
