"""An EUHEMC credential against DC4EU's own files: its JSON Schema and its SHACL shapes, offline.

The files are bundled and pinned (``mcred/schemas/euhemc/``, PROVENANCE.md there). Where the published
schema, shapes and context contradict each other, mcred validates against what can be satisfied and names
each departure (:data:`DEPARTURES`; docs/issue.md, "ELM 3.2 on VC 2.0 (EUHEMC)"):

* ``D1`` edc-ap after credentials/v2 is a JSON-LD error (v2 protects ``description``, edc-ap redefines it):
  the graph the shapes read is made with the ELM 3.2 context less its ``description`` term
  (:func:`expand_euhemc`); a description is then read under v2's definition, which no shape reads.
* ``D2`` the shapes ask for the type ``elm:EuropeanHigherEducationMicrocredential``, which no published
  context maps there: credentials/v2 (the Recommendation) has no ``@vocab``, so the graph would drop the
  type; mcred adds VC 2.0's ``undefined-terms/v2`` context last, which reads it as
  ``undefined-term#EuropeanHigherEducationMicrocredential``. That one result is a departure, not a violation.
* ``D3`` the dual schema's ``$ref`` (TSR ``0x05332a9d…``) is served by the June 2025 profile schema (a likely
  match, not a proven one), whose own ``$ref`` (the base EDC-W3C-VC schema, TSR ``0xe9d256a9…``) was never
  published in a form we hold: it is read as the empty schema.

SHACL needs pyshacl (and rdflib), the optional extra ``mcred[vc2]``: imported here only, and only when a
vc2 credential is validated (docs/dependencies.md).
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mcred.errors import InputError
from mcred.messages import register

from .euhemc import EDC_AP_CONTEXT, JSON_SCHEMA_ID, PROFILE_TYPE

BASE_SCHEMA_ID = ("https://api-pilot.ebsi.eu/trusted-schemas-registry/v3/schemas/"
                  "0xe9d256a96313a24d5884d56f0835047febc0ebf46fbdd20c906f49057a1e0f02")
UNDEFINED_TERM = "https://www.w3.org/ns/credentials/undefined-term#"
ELM = "http://data.europa.eu/snb/model/elm/"
DEPARTURES = {
    "D1": "edc-ap after credentials/v2 redefines the protected term description: the SHACL graph is read with "
          "the ELM 3.2 context less that term",
    "D2": "the SHACL shapes ask for the type elm:EuropeanHigherEducationMicrocredential, which no published "
          "context defines (with VC 2.0's undefined-terms context it reads as "
          "undefined-term#EuropeanHigherEducationMicrocredential)",
    "D3": "the dual schema's base (TSR 0x05332a9d...) is read as the June 2025 profile schema, and that schema's "
          "base (TSR 0xe9d256a9..., not published in a form mcred holds) as the empty schema",
}

register({
    "VC2_SCHEMA_INVALID": ("la credenziale non rispetta lo JSON Schema EUHEMC in {where}: {detail}", None),
    "VC2_SHACL_VIOLATION": ("la credenziale non rispetta le forme SHACL EUHEMC in {where}: {detail}", None),
    "VC2_SHACL_UNAVAILABLE": ("la validazione SHACL richiede pyshacl, che non è installato",
                              "installate l'extra: pip install 'mcred[vc2]'"),
    "VC2_FILE_DIGEST": ("il file EUHEMC incluso {file} è stato alterato", "reinstallate mcred"),
})


def _data(name: str) -> bytes:
    """A bundled EUHEMC file's bytes, after checking its pinned digest."""
    folder = resources.files("mcred") / "schemas" / "euhemc"
    pins = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    data = (folder / name).read_bytes()
    if hashlib.sha256(data).hexdigest() != pins[name]:
        raise InputError(f"the bundled EUHEMC file {name} does not match its pinned SHA-256",
                         code="VC2_FILE_DIGEST", params={"file": name}, hint="reinstall mcred")
    return data


@cache
def _json(name: str) -> dict:
    return json.loads(_data(name))


@dataclass(frozen=True)
class Finding:
    """One result of validating against DC4EU's files: where, what, how severe, and which file said so.

    ``severity`` is ``violation``, ``warning`` (the shapes' sh:Warning) or ``departure`` (a result mcred
    does not count, :data:`DEPARTURES` says why)."""

    code: str
    path: str
    message: str
    severity: str = "violation"
    departure: str | None = None


def schema_findings(document: dict) -> list[Finding]:
    """The credential against the EUHEMC dual JSON Schema (draft 2020-12), with departure D3."""
    from mcred._schema import third_party_problems

    return [Finding("VC2_SCHEMA_INVALID", path, message)
            for path, message in third_party_problems(document, _json("euhemc-dual-schema.json"), _served())]


@cache
def _served() -> dict:
    """The schemas the dual schema refers to, by URL (departure D3): one object, so its validator is made once."""
    return {JSON_SCHEMA_ID: _json("euhemc-profile-schema-2025-06.json"), BASE_SCHEMA_ID: {}}


def departure_context() -> dict:
    """The ELM 3.2 context less ``description`` (departure D1)."""
    context = copy.deepcopy(_json("edc-ap-context-elm-3.2.jsonld"))
    del context["@context"]["description"]
    return context


#: the name under which the departure context (D1) is given to pyld: mcred's own, never fetched. Named, not
#: inline, so that pyld processes it once (an inline context is processed again for every document); not
#: under the ELM context's URL, which serves mcred's EDC credentials the ELM 3.1 document
DEPARTURE_CONTEXT_URL = "urn:mcred:euhemc:elm-3.2-context-without-description"


@cache
def _departure_document() -> dict:
    return departure_context()


def _loader(url: str, options: dict | None = None) -> dict:
    from mcred.jsonld.contexts import document_loader

    if url == DEPARTURE_CONTEXT_URL:
        return {"contextUrl": None, "documentUrl": url, "document": _departure_document(), "tag": "static"}
    return document_loader(url, options)


def expand_euhemc(document: dict) -> list:
    """The credential's expanded form with departure D1: bundled contexts only, the ELM 3.2 one less
    ``description`` for edc-ap. This is the graph mcred reads an EUHEMC credential's facts from: the JSON
    text the JCS proof covers, read once."""
    from mcred.jsonld._pyld import jsonld

    contexts = document.get("@context")
    named = [DEPARTURE_CONTEXT_URL if c == EDC_AP_CONTEXT else c
             for c in (contexts if isinstance(contexts, list) else [contexts])]
    # the credential without its proofs: a JCS proof carries the context too, and its own check reads it
    document = {**{k: v for k, v in document.items() if k != "proof"}, "@context": named}
    loader = _loader

    try:
        return jsonld.expand(document, {"base": None, "documentLoader": loader})
    except jsonld.JsonLdError as exc:
        detail = str(exc).splitlines()[0]
        raise InputError(f"the credential cannot be read as JSON-LD even with the EUHEMC departure D1: {detail}",
                         code="JSONLD_INVALID", params={"detail": detail}) from None


def shacl_findings(document: dict) -> list[Finding]:
    """The credential's graph (departure D1) against DC4EU's EUHEMC SHACL shapes; D2 is a departure."""
    try:
        from pyshacl import validate
        from rdflib import Graph
    except ImportError:
        raise InputError("SHACL validation of an EUHEMC credential needs pyshacl, which is not installed",
                         code="VC2_SHACL_UNAVAILABLE", hint="install the extra: pip install 'mcred[vc2]'") from None
    from mcred.jsonld.process import to_quads

    # mcred's own RDF from the expanded form (pyld's to_rdf would expand the expanded form again)
    quads = to_quads(document, expanded=expand_euhemc(document))
    data = Graph()
    for quad in quads:
        if quad.graph is None:  # the default graph: the proofs' named graphs are left out
            data.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    shapes = _shapes()
    _, results, _ = validate(data, shacl_graph=shapes, advanced=False, inference="none", do_owl_imports=False)
    return sorted((_finding(results, node, data) for node in results.subjects(_SH("resultSeverity"), None)),
                  key=lambda f: (f.severity, f.path, f.message))


def _rdflib_term(term):
    """An mcred RDF term (:class:`mcred.jsonld.rdfc.Term`) as rdflib's: made directly, not printed and parsed."""
    from rdflib import BNode, Literal, URIRef

    if term.kind == "iri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.language is not None:
        return Literal(term.value, lang=term.language)
    plain = term.datatype in (None, "http://www.w3.org/2001/XMLSchema#string")  # as N-Triples reads "x"
    return Literal(term.value, datatype=None if plain else URIRef(term.datatype))


def _SH(name: str):
    from rdflib import URIRef

    return URIRef("http://www.w3.org/ns/shacl#" + name)


@cache
def _shapes():
    from rdflib import Graph

    return Graph(bind_namespaces="none").parse(data=_data("euhemc.shacl.ttl").decode("utf-8"), format="turtle")


def _finding(results, node, data) -> Finding:
    from rdflib import RDF, URIRef

    severity = results.value(node, _SH("resultSeverity"))
    path = results.value(node, _SH("resultPath"))
    message = str(results.value(node, _SH("resultMessage")) or "")
    focus = results.value(node, _SH("focusNode"))
    where = f"{focus} {path}" if path is not None else str(focus)
    component = results.value(node, _SH("sourceConstraintComponent"))
    if (path == RDF.type and component == _SH("HasValueConstraintComponent")
            and PROFILE_TYPE in message and (focus, RDF.type, URIRef(UNDEFINED_TERM + PROFILE_TYPE)) in data):
        # D2: the type is there, under the only IRI the published contexts give it
        return Finding("VC2_SHACL_VIOLATION", where, message, "departure", "D2")
    level = "warning" if severity == _SH("Warning") else "violation"
    return Finding("VC2_SHACL_VIOLATION", where, message, level)


def conformance_findings(document: dict) -> list[Finding]:
    """Both files' findings: the JSON Schema's, then the SHACL shapes'."""
    return schema_findings(document) + _remembered_shacl_findings(document)


#: the SHACL findings of the last credentials checked, by their JSON without proofs: the shapes read only that
#: (:func:`expand_euhemc` leaves the proofs out), so a credential checked when issued is not checked again when
#: it is verified in the same process (a bundle verifies what it has just issued). The key is Python's JSON
#: text with sorted keys, not JCS: JCS writes 1 and 1.0 alike, which JSON-LD reads as an integer and a double
_SHACL_SEEN: dict[str, list[Finding]] = {}


def _remembered_shacl_findings(document: dict) -> list[Finding]:
    try:
        key = json.dumps({k: v for k, v in document.items() if k != "proof"}, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):  # not JSON: checked, not remembered
        return shacl_findings(document)
    known = _SHACL_SEEN.get(key)
    if known is None:
        known = shacl_findings(document)
        if len(_SHACL_SEEN) >= 64:
            _SHACL_SEEN.pop(next(iter(_SHACL_SEEN)))
        _SHACL_SEEN[key] = known
    return list(known)


def check_conformance(document: dict, *, file: str | None = None) -> list[Finding]:
    """Raise InputError with the first violation of the JSON Schema or the SHACL shapes; else return the
    warnings and departures (nothing mcred issues should have any warning)."""
    findings = conformance_findings(document)
    for finding in findings:
        if finding.severity == "violation":
            raise InputError(f"the EUHEMC credential breaks DC4EU's {_which(finding)} at {finding.path}: "
                             f"{finding.message}", file=file, code=finding.code,
                             params={"where": finding.path, "detail": finding.message})
    return findings


def _which(finding: Finding) -> str:
    return "JSON Schema" if finding.code == "VC2_SCHEMA_INVALID" else "SHACL shapes"
