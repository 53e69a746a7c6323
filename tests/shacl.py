"""Test helper: SHACL conformance of a JSON-LD credential to the European Commission's EDC shapes.

Offline, like everything else in mcred. The shapes are the application profile
``http://data.europa.eu/snb/model/ap/edc-generic-full``, which ``owl:imports``
``.../edc-generic-no-cv``. pyshacl would fetch that import over the network
(``do_owl_imports``), so both files are loaded from ``tests/assets/shacl/`` into
one shapes graph here and imports are left off. The ELM ontology is loaded too,
for its ``rdfs:subClassOf`` axioms only (see :func:`class_hierarchy`).

The RDF comes from mcred's own offline JSON-LD path (:func:`mcred.jsonld.process.to_quads`:
bundled contexts only, safe mode), so a credential mcred would refuse to sign is
refused here too, with mcred's own error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from pyshacl import validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from mcred.jsonld.process import to_quads
from mcred.jsonld.rdfc import Term

SHAPES_DIR = Path(__file__).parent / "assets" / "shacl"
#: edc-generic-full and the profile it imports (owl:imports resolved by hand, offline)
SHAPES_FILES = ("EDC-generic-full.ttl", "EDC-generic-no-cv.ttl")
ONTOLOGY_FILE = "ELM-ontology.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a warning with a traceback for every ill-typed literal (e.g. an
    xsd:duration "not a duration"); that is exactly what SHACL then reports, so keep it quiet."""
    logger = logging.getLogger("rdflib.term")
    disabled, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = disabled


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """edc-generic-full + edc-generic-no-cv in one graph (parsing takes a few tenths of a second)."""
    # No default prefix bindings: the files bind dc: to DC *terms*, which rdflib's
    # defaults would otherwise rename to dc1: in the violation text.
    graph = Graph(bind_namespaces="none")
    for name in SHAPES_FILES:
        graph.parse(SHAPES_DIR / name, format="turtle")
    graph.bind("sh", SH)
    return graph


@lru_cache(maxsize=1)
def class_hierarchy() -> tuple[tuple[Node, Node, Node], ...]:
    """The ``rdfs:subClassOf`` axioms of the ELM ontology (21 triples).

    SHACL finds the instances of a class (``sh:targetClass``, ``sh:class``) through
    ``rdfs:subClassOf`` triples in the *data* graph. The EDC shapes rely on that:
    their ``elm:Claim`` shape (with the claim-type vocabulary restriction) applies to
    LearningAchievement/Activity/Assessment/Entitlement only through the ontology,
    the ``elm:Agent`` shape (``skos:prefLabel`` must be language-tagged, ...) to
    Organisation and Person, the ``elm:LearningAchievementSpecification`` shapes to
    Qualification. Without these axioms those constraints are silently not checked.
    Only the axioms are added, not the whole ontology, so that no ontology resource
    becomes a focus node of the shapes.
    """
    ontology = Graph(bind_namespaces="none")
    ontology.parse(SHAPES_DIR / ONTOLOGY_FILE, format="turtle")
    return tuple(ontology.triples((None, RDFS.subClassOf, None)))


def _rdflib_term(term: Term) -> Node:
    kind, value, datatype, language = term
    if kind == "iri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if language is not None:
        return Literal(value, lang=language)
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def data_graph(credential: dict) -> Graph:
    """The credential's default graph as an rdflib Graph, plus the ELM class hierarchy.

    Only the default graph is kept. ``proof`` is a ``@graph`` container, so each
    Data Integrity proof is a separate named graph: it describes the signature, not
    the credential, has no ELM class the EDC shapes target, and is no part of what
    EDC validates (EDC seals with an enveloping JAdES signature, outside the RDF).
    The default graph keeps the link ``<credential> sec:proof _:b``, which the EDC
    shapes leave alone (they constrain ``cred:proof``, a different property). So the
    signed and the unsigned credential give the same report. (pyshacl 0.40, given a
    whole rdflib Dataset, validates the union of its graphs, which would mix the
    proof's triples into the credential's; hence a plain Graph.)
    """
    graph = Graph(bind_namespaces="none")
    for quad in to_quads(credential):
        if quad.graph is None:
            graph.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate),
                       _rdflib_term(quad.object)))
    for triple in class_hierarchy():
        graph.add(triple)
    return graph


def _validate(credential: dict) -> tuple[bool, Graph, str]:
    with _quiet_rdflib():
        data = data_graph(credential)
        conforms, results, text = validate(
            data,
            shacl_graph=shapes_graph(),
            ont_graph=None,
            inference="none",  # the subclass axioms are in the data graph already; no RDFS/OWL entailment
            do_owl_imports=False,  # never fetch: the import is resolved in shapes_graph()
            meta_shacl=False,
            advanced=False,
            js=False,
            abort_on_first=False,
        )
    return bool(conforms), results, text


def shacl_report(credential: dict) -> tuple[bool, str]:
    """(conforms, pyshacl's text report) for a JSON-LD credential against edc-generic-full."""
    conforms, _, text = _validate(credential)
    return conforms, text


def _name(node: Node | None) -> str:
    if node is None:
        return "-"
    if isinstance(node, Literal):
        return str(node)
    try:
        return node.n3(shapes_graph().namespace_manager)
    except Exception:  # a path that is not a single IRI (sequence/inverse path): a blank node
        return node.n3()


def _result_lines(results: Graph, result: Node, indent: str) -> list[str]:
    component = _name(results.value(result, SH.sourceConstraintComponent)).removeprefix("sh:")
    shape = results.value(result, SH.sourceShape)
    where = f"{component}, {_name(shape)}" if isinstance(shape, URIRef) else component
    line = " / ".join((
        _name(results.value(result, SH.focusNode)),
        _name(results.value(result, SH.resultPath)),
        f"{_name(results.value(result, SH.resultMessage))} [{where}]",
    ))
    lines = [indent + line]
    for detail in sorted(results.objects(result, SH.detail), key=str):
        lines.extend(_result_lines(results, detail, indent + "  "))
    return lines


def shacl_violations(credential: dict) -> list[str]:
    """One short "focus node / path / message [component, shape]" line per SHACL result, sorted.

    The shape is named when it has an IRI (most EDC property shapes do, e.g.
    ``edc:EuropeanDigitalCredential-cred_issued``); it tells apart the same violation
    found by a class's shape and by its superclass's shape.

    pyshacl reports a failed ``sh:node`` (e.g. ``cred:issuer`` not conforming to
    ``edc:IssuerNodeShape``) with the nested results as ``sh:detail``; those follow
    their parent, indented, so the innermost path (e.g. ``elm:eidasLegalIdentifier``)
    appears in the text.
    """
    _, results, _ = _validate(credential)
    lines: list[str] = []
    for report in results.subjects(RDF.type, SH.ValidationReport):
        for result in sorted(results.objects(report, SH.result), key=lambda r: _result_lines(results, r, "")):
            lines.extend(_result_lines(results, result, ""))
    return lines
