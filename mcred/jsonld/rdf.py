"""Expanded JSON-LD to RDF quads: the fast path of :func:`mcred.jsonld.process.to_quads`.

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

from .rdfc import Quad, Term, serialize_string, serialize_term

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_DOUBLE = XSD + "double"
XSD_INTEGER = XSD + "integer"
RDF_LANGSTRING = RDF + "langString"


# The test pyld and jsonld.js apply before emitting a quad: a scheme (or "_", a blank node), a colon,
# no whitespace; anything else they silently leave out of the RDF.
ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")
# What mcred's safe mode asks on top: no character N-Quads cannot carry inside <...> (an IRI with one
# would serialise into something other implementations read differently), and BCP 47 language tags.
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


@lru_cache(maxsize=8192)
def iri_ok(iri: str) -> bool:
    """An absolute IRI (or blank node label) that N-Quads can carry; the same IRIs recur in every credential."""
    return bool(ABSOLUTE_IRI.match(iri)) and not _BAD_IRI_CHARS.search(iri)


@lru_cache(maxsize=1024)
def language_ok(tag: str) -> bool:
    """A well-formed BCP 47 language tag, as RDF requires."""
    return bool(_LANGUAGE_TAG.match(tag))


class Unsupported(Exception):  # noqa: N818 (a signal to fall back, not an error)
    """The expanded document holds something the fast path leaves to pyld."""


@lru_cache(maxsize=8192)
def _iri(value: str) -> Term:
    if value.startswith("_:") or not iri_ok(value):
        raise Unsupported(f"IRI {value!r}")
    return Term("iri", value)


@lru_cache(maxsize=8192)
def _iri_text(value: str) -> str:
    return serialize_term(_iri(value))


class _Quads:
    """Collects quads as Term tuples, without duplicates."""

    def __init__(self) -> None:
        self.quads: dict[Quad, None] = {}
        self.count = 0
        self.named: dict[str, Term] = {}

    iri = staticmethod(_iri)

    def fresh(self) -> Term:
        """A blank node of its own, for a node without an id (or a list cell)."""
        self.count += 1
        return Term("bnode", f"b{self.count}")

    def label(self, name: str) -> Term:
        """The blank node a ``_:`` label names: the same one wherever the label occurs."""
        term = self.named.get(name)
        if term is None:
            term = self.named[name] = self.fresh()
        return term

    def literal(self, item: dict) -> Term:
        return _literal(item)

    def add(self, subject: Term, predicate: Term, obj: Term, graph: Term | None) -> None:
        self.quads[Quad(subject, predicate, obj, graph)] = None


class _Lines(_Quads):
    """Collects quads as N-Quads lines with their serialized components, as mcred.jsonld.rdfc works on them.

    The terms are serialized by mcred.jsonld.rdfc's own serialize_term (one rule for
    escaping and checking, wherever the quads come from); IRIs once per process.
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, tuple[str, str, str, str | None]] = {}
        self.has_blank_nodes = False

    iri = staticmethod(_iri_text)

    def fresh(self) -> str:
        self.count += 1
        self.has_blank_nodes = True
        return f"_:b{self.count}"

    def literal(self, item: dict) -> str:
        value = item["@value"]
        if type(value) is str:  # a plain or language-tagged string, the commonest: no Term needed
            if len(item) == 1:
                return serialize_string(value)
            if len(item) == 2 and "@language" in item:
                return serialize_string(value, item["@language"])
        return serialize_term(_literal(item))

    def add(self, subject: str, predicate: str, obj: str, graph: str | None) -> None:
        if graph is None:
            self.lines[f"{subject} {predicate} {obj} .\n"] = (subject, predicate, obj, None)
        else:
            self.lines[f"{subject} {predicate} {obj} {graph} .\n"] = (subject, predicate, obj, graph)


def expanded_to_quads(expanded: list) -> list[Quad]:
    """The RDF dataset of an expanded JSON-LD document, without duplicates."""
    sink = _Quads()
    _walk(expanded, sink)
    return list(sink.quads)


def expanded_to_lines(expanded: list) -> tuple[dict[str, tuple[str, str, str, str | None]], bool]:
    """The same dataset as N-Quads lines, for :func:`mcred.jsonld.rdfc.canonicalize_serialized`."""
    sink = _Lines()
    _walk(expanded, sink)
    return sink.lines, sink.has_blank_nodes


def _walk(expanded: list, sink: _Quads) -> None:
    for item in expanded:
        if not isinstance(item, dict) or "@list" in item:
            raise Unsupported("a list or a scalar at the top")
        if "@value" not in item:  # a free-floating value says nothing
            _node(item, None, sink)


def _resource(value: str, sink: _Quads) -> Any:
    return sink.label(value) if value.startswith("_:") else sink.iri(value)


def _node(node: dict, graph: Any, sink: _Quads) -> Any:
    identifier = node.get("@id")
    subject = sink.fresh() if identifier is None else _resource(identifier, sink)
    for key, values in node.items():
        if key == "@id" or key == "@index":
            continue
        if key == "@type":
            rdf_type = sink.iri(RDF + "type")
            for type_ in values:
                sink.add(subject, rdf_type, _resource(type_, sink), graph)
        elif key == "@graph":
            for item in values:
                if not isinstance(item, dict) or "@list" in item:
                    raise Unsupported("a list or a scalar in a graph")
                if "@value" not in item:
                    _node(item, subject, sink)
        elif key.startswith("@") or key.startswith("_:"):
            raise Unsupported(key)
        else:
            predicate = sink.iri(key)
            for value in values:
                sink.add(subject, predicate, _object(value, graph, sink), graph)
    return subject


def _object(item: Any, graph: Any, sink: _Quads) -> Any:
    if "@value" in item:
        return sink.literal(item)
    if "@list" in item:
        return _list(item["@list"], graph, sink)
    return _node(item, graph, sink)


def _list(items: list, graph: Any, sink: _Quads) -> Any:
    nil = sink.iri(RDF + "nil")
    if not items:
        return nil
    first, rest = sink.iri(RDF + "first"), sink.iri(RDF + "rest")
    head = subject = sink.fresh()
    for index, item in enumerate(items):
        sink.add(subject, first, _object(item, graph, sink), graph)
        following = sink.fresh() if index < len(items) - 1 else nil
        sink.add(subject, rest, following, graph)
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
        datatype = None  # mcred.jsonld.rdfc's convention for plain and language-tagged strings
    return Term("literal", lexical, datatype, language)


def _canonical_double(value: float) -> str:
    """The canonical xsd:double form, as pyld writes it (1.5E0, 1.0E21)."""
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")
