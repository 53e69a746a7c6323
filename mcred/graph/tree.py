"""A node of the signed graph written out as plain JSON under mcred's names (:mod:`mcred.graph.terms`), or as
JSON-LD that means exactly what the graph says (for copying a node into a document mcred signs).

The tree, for a node: ``id`` (its IRI; none for a blank node), ``type`` (a
sorted list of names), then each property: language-tagged strings as a
language map, other literals as JSON strings (booleans and integers as JSON's
own), nodes as objects written the same way, in full wherever they occur
(except a node already being written above: a cycle, which gets its ``id``
only). One value is written as itself, several as a list, in the graph's fixed
order. The proof is not part of it.
"""

from __future__ import annotations

from typing import Any

from mcred.graph import terms as _terms

from .nodes import TREE_LIMIT, XSD_BOOLEAN, XSD_INTEGER, XSD_STRING, GraphError, Literal, Node


def write_tree(node: Node, limit: int = TREE_LIMIT) -> dict:
    """``node`` as plain JSON (see the module docstring); GraphError when it would exceed ``limit`` values."""
    return _Writer(limit).node(node)


class _Writer:
    def __init__(self, limit: int) -> None:
        self.room = limit
        self.path: set = set()
        self.names = _terms.table()

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
    return ExactWriter(limit, mappings).node(node)


class ExactWriter(_Writer):
    def __init__(self, limit: int, mappings: dict) -> None:
        super().__init__(limit)
        self.mappings = mappings
        table = _terms.table()
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
