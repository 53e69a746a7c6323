"""Expanded JSON-LD to RDF quads: the fast path of :func:`mcred._jsonld.to_quads`.

The JSON-LD 1.1 "Deserialize JSON-LD to RDF" algorithm walks a node map built
from the expanded document. A node map only merges what occurs twice, and an
RDF dataset is a set, so for the documents mcred handles the same quads come
from walking the expanded tree directly and dropping duplicates, with no node
map and none of pyld's intermediate triple dictionaries. Literal forms (booleans,
canonical doubles, integers, language strings) follow pyld 3.3.0's
``_object_to_rdf`` step for step.

Anything else (``@json`` and ``@direction`` values, ``@reverse``, ``@included``,
a list at the top, an IRI that is not absolute) raises :class:`Unsupported`,
and the caller converts the document with pyld instead. The tests compare the
two on every document they have.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ._rdfc import Quad, Term

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_DOUBLE = XSD + "double"
XSD_INTEGER = XSD + "integer"
RDF_LANGSTRING = RDF + "langString"

_TYPE = Term("iri", RDF + "type")
_FIRST = Term("iri", RDF + "first")
_REST = Term("iri", RDF + "rest")
_NIL = Term("iri", RDF + "nil")

# pyld's and jsonld.js's test for an absolute IRI, plus the characters N-Quads cannot carry in <...>
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+\-.]*:[^\s]*$")
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class Unsupported(Exception):  # noqa: N818 (a signal to fall back, not an error)
    """The expanded document holds something the fast path leaves to pyld."""


@lru_cache(maxsize=8192)
def _iri(value: str) -> Term:
    if not _ABSOLUTE_IRI.match(value) or _BAD_IRI_CHARS.search(value):
        raise Unsupported(f"IRI {value!r}")
    return Term("iri", value)


class _BlankNodes:
    """Labels for blank nodes: a fresh one for each node without an id, one per ``_:`` label used."""

    def __init__(self) -> None:
        self.count = 0
        self.named: dict[str, Term] = {}

    def fresh(self) -> Term:
        self.count += 1
        return Term("bnode", f"b{self.count}")

    def label(self, name: str) -> Term:
        term = self.named.get(name)
        if term is None:
            term = self.named[name] = self.fresh()
        return term


def expanded_to_quads(expanded: list) -> list[Quad]:
    """The RDF dataset of an expanded JSON-LD document, without duplicates."""
    quads: dict[Quad, None] = {}
    blanks = _BlankNodes()
    for item in expanded:
        if not isinstance(item, dict) or "@list" in item:
            raise Unsupported("a list or a scalar at the top")
        if "@value" not in item:  # a free-floating value says nothing
            _node(item, None, quads, blanks)
    return list(quads)


def _resource(value: str, blanks: _BlankNodes) -> Term:
    return blanks.label(value) if value.startswith("_:") else _iri(value)


def _node(node: dict, graph: Term | None, quads: dict, blanks: _BlankNodes) -> Term:
    identifier = node.get("@id")
    subject = blanks.fresh() if identifier is None else _resource(identifier, blanks)
    for key, values in node.items():
        if key == "@id" or key == "@index":
            continue
        if key == "@type":
            for type_ in values:
                quads[Quad(subject, _TYPE, _resource(type_, blanks), graph)] = None
        elif key == "@graph":
            for item in values:
                if not isinstance(item, dict) or "@list" in item:
                    raise Unsupported("a list or a scalar in a graph")
                if "@value" not in item:
                    _node(item, subject, quads, blanks)
        elif key.startswith("@") or key.startswith("_:"):
            raise Unsupported(key)
        else:
            predicate = _iri(key)
            for value in values:
                quads[Quad(subject, predicate, _object(value, graph, quads, blanks), graph)] = None
    return subject


def _object(item: Any, graph: Term | None, quads: dict, blanks: _BlankNodes) -> Term:
    if "@value" in item:
        return _literal(item)
    if "@list" in item:
        return _list(item["@list"], graph, quads, blanks)
    return _node(item, graph, quads, blanks)


def _list(items: list, graph: Term | None, quads: dict, blanks: _BlankNodes) -> Term:
    if not items:
        return _NIL
    head = subject = blanks.fresh()
    for index, item in enumerate(items):
        quads[Quad(subject, _FIRST, _object(item, graph, quads, blanks), graph)] = None
        following = blanks.fresh() if index < len(items) - 1 else _NIL
        quads[Quad(subject, _REST, following, graph)] = None
        subject = following
    return head


def _literal(item: dict) -> Term:
    value = item["@value"]
    datatype = item.get("@type")
    if datatype == "@json" or "@direction" in item:
        raise Unsupported("@json or @direction")
    if datatype is not None:
        _iri(datatype)
    language = None
    if isinstance(value, bool):
        lexical, datatype = ("true" if value else "false"), datatype or XSD_BOOLEAN
    elif isinstance(value, float) and not value.is_integer():
        lexical, datatype = _canonical_double(value), datatype or XSD_DOUBLE
    elif datatype == XSD_DOUBLE:
        try:
            lexical = _canonical_double(float(value))
        except (ValueError, TypeError):
            lexical = value
    elif isinstance(value, (int, float)) and abs(value) >= 1e21:
        lexical, datatype = _canonical_double(value), datatype or XSD_DOUBLE
    elif isinstance(value, (int, float)):
        lexical, datatype = str(int(value)), datatype or XSD_INTEGER
    elif "@language" in item:
        lexical, language, datatype = value, item["@language"], datatype or RDF_LANGSTRING
    else:
        lexical, datatype = value, datatype or XSD_STRING
    if not isinstance(lexical, str):
        raise Unsupported("a literal that is not text")
    if language or datatype in (XSD_STRING, RDF_LANGSTRING):
        datatype = None  # mcred._rdfc's convention for plain and language-tagged strings
    return Term("literal", lexical, datatype, language)


def _canonical_double(value: float) -> str:
    """The canonical xsd:double form, as pyld writes it (1.5E0, 1.0E21)."""
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")
