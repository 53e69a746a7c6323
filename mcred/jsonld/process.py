"""JSON-LD for signatures, offline and in "safe mode": the one place mcred uses pyld (through mcred.jsonld._pyld).

pyld gives us JSON-LD 1.1 expansion and RDF conversion, but three of its
defaults would break mcred's promises, so this module wraps it:

* pyld's default document loader uses the network. Ours serves only the
  bundled, hash-pinned contexts and refuses every other URL by name.
* pyld drops terms that no context defines, and resolves relative IRIs against
  an invented base (``http://example.org/base/``); either way the signature
  would not cover what a person reads. We expand with no base, collect every
  dropped property and every relative or malformed IRI, and refuse them with
  their JSON paths (the "safe mode" that jsonld.js has and pyld lacks).
* pyld's URDNA2015 is not RDFC-1.0 (N-Quads escaping, no work limit), so
  canonicalisation is done by :mod:`mcred.jsonld.rdfc` on the quads pyld produces.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mcred.errors import InputError, UnknownContextError, UnsafeJsonLdError
from mcred.jsonld import contexts as bundled
from mcred.jsonld import expansion as _expansion
from mcred.jsonld import rdf as _rdf

from ._pyld import jsonld
from .contexts import document_loader
from .rdf import ABSOLUTE_IRI, iri_ok, language_ok
from .rdfc import CanonicalizationError, PoisonGraphError, Quad, Term, canonicalize, canonicalize_serialized

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def context_urls(document: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """Every context URL a document refers to, with the JSON path of each, embedded ones too."""
    if isinstance(document, dict):
        for key, value in document.items():
            child = f"{path}.{key}" if _plain_key(key) else f"{path}[{key!r}]"
            if key == "@context":
                yield from _urls_in_context(value, child)
            else:
                yield from context_urls(value, child)
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from context_urls(item, f"{path}[{index}]")


def _urls_in_context(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield value, path
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _urls_in_context(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        # an inline context may itself refer to others through scoped contexts or @import
        yield from context_urls(value, path)


def _all_bundled(context: Any) -> bool:
    """True when every context URL in one ``@context`` value is bundled (a URL, or a list of URLs, is the
    common case: answered without building paths)."""
    if type(context) is str:
        return bundled.is_bundled(context)
    if type(context) is list and all(type(item) is str for item in context):
        return all(map(bundled.is_bundled, context))
    return all(bundled.is_bundled(url) for url, _ in _urls_in_context(context, ""))


def check_contexts(document: dict, *, file: str | None = None, contexts: tuple | None = None) -> None:
    """Raise if the document has no @context or refers to a context mcred does not bundle.

    ``contexts`` are the document's ``@context`` values when the caller has them
    (:func:`mcred.limits.check_limits` collects them): then the document is walked
    again only to name the path of an unknown one.
    """
    if "@context" not in document:
        raise InputError(
            "the document has no @context, so it is not JSON-LD and cannot be signed or verified",
            path="$",
            file=file,
            code="CONTEXT_MISSING",
            hint="add the contexts it uses, e.g. https://www.w3.org/ns/credentials/v2",
        )
    if contexts is not None and all(map(_all_bundled, contexts)):
        return
    for url, path in context_urls(document):
        if not bundled.is_bundled(url):
            raise UnknownContextError(url, path=path, file=file)


def expand_safely(document: dict, *, file: str | None = None) -> list:
    """Expand a document with pyld and refuse anything it would silently drop or resolve.

    Returns the expanded form. Raises :class:`UnsafeJsonLdError` listing each
    undefined term and each relative or malformed IRI with its JSON path.
    """
    dropped: list[str | None] = []
    try:
        expanded, clean = _expansion.expand_checked(document)
    except _expansion.Unsupported:
        expanded, clean = _expand_with_pyld(document, dropped, file), False
    if clean:  # the fast path checked every IRI and language tag as it made them
        return expanded
    problems = [("JSONLD_UNDEFINED_TERM", path, f"term {term!r} is not defined by any context", str(term))
                for term in dict.fromkeys(dropped) for path in _paths_of_key(document, term)]
    for code, iri in _unsafe_iris(expanded):
        for path in _paths_of_value(document, iri) or ["$"]:
            problems.append((code, path, _describe(code, iri), iri))
    if problems:
        first = problems[0]
        error = UnsafeJsonLdError(
            f"{first[2]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            problems,
            path=first[1],
            file=file,
            code=first[0],
            hint=_hint(first[0]),
            params={"value": first[3]},
        )
        error.expanded = expanded  # what JSON-LD keeps of the document, for a verifier's report of it
        raise error
    return expanded


def expand_leniently(document: dict, *, file: str | None = None) -> list:
    """The expanded form as JSON-LD defines it: a term no context defines is left out, not refused.

    For documents whose proof signs the JSON text (eddsa-jcs-2022): what the text
    means is still its graph, and a term without a definition has no meaning in it.
    Raises InputError for what is not JSON-LD at all.
    """
    try:
        return _expansion.expand(document)
    except _expansion.Unsupported:
        return _expand_with_pyld(document, [], file)


def _expand_with_pyld(document: dict, dropped: list, file: str | None) -> list:
    """pyld's own expansion: for what the fast path leaves to it, and the reference the tests compare with."""
    try:
        expanded = jsonld.expand(
            document,
            {"base": None, "documentLoader": document_loader},
            on_property_dropped=dropped.append,
        )
    except jsonld.JsonLdError as exc:
        raise _from_pyld_error(exc, file) from exc
    except _PYLD_CRASHES as exc:
        raise _pyld_crash(exc, file) from None
    if _has_type_not_a_string(expanded):
        # JSON-LD 1.1 calls this an "invalid type value"; pyld lets a null @type through as None
        raise InputError("the document is not valid JSON-LD: a type that is not a string (invalid type value)",
                         file=file, code="JSONLD_INVALID", params={"detail": "invalid type value"},
                         hint="give every type (@type or its alias) as a string or a list of strings")
    return expanded


def _has_type_not_a_string(node: Any) -> bool:
    if isinstance(node, list):
        return any(_has_type_not_a_string(item) for item in node)
    if not isinstance(node, dict):
        return False
    types = node.get("@type")
    if types is not None and "@value" not in node and any(type(t) is not str for t in
                                                         (types if isinstance(types, list) else [types])):
        return True
    return any(_has_type_not_a_string(value) for key, value in node.items() if isinstance(value, (dict, list)))


def to_quads(document: dict, *, file: str | None = None, expanded: list | None = None) -> list[Quad]:
    """The RDF dataset of a document, after the safe-mode checks of :func:`expand_safely`.

    ``expanded`` is the document's expanded form when the caller already has it
    (from :func:`expand_safely`): expansion is the costly step, so it is done once.
    """
    if expanded is None:
        expanded = expand_safely(document, file=file)
    try:
        return _rdf.expanded_to_quads(expanded)
    except _rdf.Unsupported:
        return _quads_with_pyld(expanded, file)


def _quads_with_pyld(expanded: list, file: str | None) -> list[Quad]:
    """pyld's RDF conversion: for what the fast path leaves to it, and the reference the tests compare with."""
    try:
        dataset = _expanded_to_rdf(expanded)
    except jsonld.JsonLdError as exc:
        raise _from_pyld_error(exc, file) from exc
    except _PYLD_CRASHES as exc:
        raise _pyld_crash(exc, file) from None
    return list(_quads_from_pyld(dataset))


def _expanded_to_rdf(expanded: list) -> dict:
    """pyld's ``to_rdf`` minus its first step, expansion, which the input has been through already.

    These are the steps of ``JsonLdProcessor.to_rdf`` in pyld 3.3.0 (pinned): build
    the node map, then turn each graph into RDF, skipping relative graph names.
    """
    processor = jsonld.JsonLdProcessor()
    options = {"base": None, "documentLoader": document_loader, "produceGeneralizedRdf": False,
               "extractAllScripts": True, "processingMode": "json-ld-1.1"}
    issuer = jsonld.IdentifierIssuer("_:b")
    node_map: dict = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    dataset = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default" or ABSOLUTE_IRI.match(graph_name):
            dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    return dataset


#: what the term ``proof`` expands to in every context mcred bundles (VC 1.1, VC 2.0, Data Integrity)
PROOF_IRI = "https://w3id.org/security#proof"


def without_proof(expanded: list) -> list | None:
    """The expanded form of the document without its ``proof``, derived from the expanded document.

    Expansion is local to each property, so removing the proof from the expanded
    top-level node gives what expanding the document without it would. Returns
    None when the shape is not the plain one (a single top-level node with a
    proof), and the caller expands the unsecured document itself.
    """
    if len(expanded) != 1 or not isinstance(expanded[0], dict) or PROOF_IRI not in expanded[0]:
        return None
    return [{key: value for key, value in expanded[0].items() if key != PROOF_IRI}]


def canonical_nquads(document: dict, *, file: str | None = None, expanded: list | None = None,
                     hash_algorithm: str = "sha256") -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (safe mode, offline).

    ``hash_algorithm`` is RDFC-1.0's hash parameter: "sha256" (the default) or
    "sha384" (ecdsa-rdfc-2019 with a P-384 key: the blank-node labels depend on it).
    A graph whose blank nodes would make canonicalisation explode (a "poison
    graph") is refused quickly by the RDFC-1.0 work limit.
    """
    if expanded is None:
        expanded = expand_safely(document, file=file)
    try:
        try:
            lines, has_blank_nodes = _rdf.expanded_to_lines(expanded)
        except _rdf.Unsupported:
            return canonicalize(_quads_with_pyld(expanded, file), hash_algorithm=hash_algorithm).nquads
        return canonicalize_serialized(lines, has_blank_nodes, hash_algorithm=hash_algorithm).nquads
    except PoisonGraphError as exc:
        raise InputError(
            f"refused: canonicalising this document would take too long ({exc})",
            file=file, code="JSONLD_TOO_COMPLEX",
            hint="credentials do not need blank-node identifiers (_:...); give nodes ids",
        ) from None
    except CanonicalizationError as exc:
        raise InputError(f"cannot canonicalise the document: {exc}", file=file,
                         code="JSONLD_INVALID") from None


def _quads_from_pyld(dataset: dict) -> Iterator[Quad]:
    for graph_name, triples in dataset.items():
        graph = None if graph_name == "@default" else _node(graph_name)
        for triple in triples:
            yield Quad(
                _term(triple["subject"]),
                _term(triple["predicate"]),
                _term(triple["object"]),
                graph,
            )


def _node(value: str) -> Term:
    if value.startswith("_:"):
        return Term("bnode", value[2:])
    return Term("iri", value)


def _term(item: dict) -> Term:
    kind = item["type"]
    if kind == "IRI":
        return Term("iri", item["value"])
    if kind == "blank node":
        return Term("bnode", item["value"][2:])
    language = item.get("language")
    datatype = item.get("datatype")
    if language or datatype in (XSD_STRING, RDF_LANGSTRING):
        datatype = None
    return Term("literal", item["value"], datatype, language)


def _unsafe_iris(node: Any, out: list | None = None) -> list[tuple[str, str]]:
    """Walk expanded JSON-LD and list (problem code, IRI) for every IRI pyld would drop, in document order."""
    out = [] if out is None else out
    if isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)):  # scalars in expanded form carry no IRI
                _unsafe_iris(item, out)
        return out
    if not isinstance(node, dict):
        return out
    for key, value in node.items():
        if key == "@id":
            if isinstance(value, str) and not value.startswith("_:") and not iri_ok(value):
                out.append(("JSONLD_RELATIVE_ID", value))
        elif key == "@type":
            bnode_ok = "@value" not in node
            for iri in value if isinstance(value, list) else [value]:
                if isinstance(iri, str) and not (bnode_ok and iri.startswith("_:")) and not iri_ok(iri):
                    out.append(("JSONLD_RELATIVE_TYPE", iri))
        elif key == "@language":
            if isinstance(value, str) and not language_ok(value):
                out.append(("JSONLD_BAD_LANGUAGE", value))
        elif key == "@value" or key == "@context":
            continue
        else:
            if not key.startswith("@"):
                if key.startswith("_:"):
                    out.append(("JSONLD_BLANK_PREDICATE", key))
                elif not iri_ok(key):
                    out.append(("JSONLD_RELATIVE_PROPERTY", key))
            if isinstance(value, (dict, list)):
                _unsafe_iris(value, out)
    return out


def _describe(code: str, iri: str) -> str:
    return {
        "JSONLD_RELATIVE_ID": f"relative or malformed IRI {iri!r} used as an id",
        "JSONLD_RELATIVE_TYPE": f"type {iri!r} is not defined by any context (relative IRI)",
        "JSONLD_RELATIVE_PROPERTY": f"property {iri!r} expands to a relative or malformed IRI",
        "JSONLD_BLANK_PREDICATE": f"property {iri!r} is a blank node, which RDF cannot carry",
        "JSONLD_BAD_LANGUAGE": f"language tag {iri!r} is not a well-formed BCP 47 tag",
    }[code]


def _hint(code: str) -> str:
    if code in ("JSONLD_UNDEFINED_TERM", "JSONLD_RELATIVE_TYPE", "JSONLD_RELATIVE_PROPERTY"):
        return ("a term no context defines is left out of the signature; "
                "rename it to a defined term or add a context that defines it")
    if code == "JSONLD_RELATIVE_ID":
        return "use an absolute IRI (https://..., urn:uuid:..., did:...) for every id"
    return "fix the value so that JSON-LD keeps it"


# pyld has bugs on some invalid input (found by mcred's fuzz tests; e.g. a context of
# {"@language": null} raises KeyError) where it should raise JsonLdError. Such input is
# not valid JSON-LD mcred can use: a refusal, not a crash.
_PYLD_CRASHES = (KeyError, TypeError, AttributeError, IndexError, ValueError, RecursionError)


def _pyld_crash(exc: Exception, file: str | None) -> InputError:
    return InputError(
        f"the document is not JSON-LD that mcred can process (the JSON-LD processor failed with "
        f"{type(exc).__name__})",
        file=file, code="JSONLD_INVALID", params={"detail": type(exc).__name__},
        hint="check the @context entries and the value types of the named terms",
    )


def _from_pyld_error(exc: Exception, file: str | None) -> InputError:
    """Turn a pyld error into an InputError, keeping our own errors (unknown context) intact."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, InputError):
            cause.file = cause.file or file
            return cause
        details = getattr(cause, "details", None)
        if isinstance(details, dict) and isinstance(details.get("cause"), BaseException):
            nested = details["cause"]
            if isinstance(nested, InputError):
                nested.file = nested.file or file
                return nested
        cause = cause.__cause__ or cause.__context__
    return InputError(
        f"the document is not valid JSON-LD: {_pyld_message(exc)}",
        file=file,
        code="JSONLD_INVALID",
        params={"detail": _pyld_message(exc)},
        hint="check the @context entries and the value types of the named terms",
    )


def _pyld_message(exc: Exception) -> str:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    code = getattr(exc, "code", None)
    return f"{message} ({code})" if code else message


def _plain_key(key: str) -> bool:
    return key.isidentifier()


def _child(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if _plain_key(key) else f"{path}[{key!r}]"


def _walk(value: Any, path: str = "$") -> Iterator[tuple[str, Any, Any]]:
    """Yield (path, key, value) for every member of every object and array."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        child = _child(path, key)
        yield child, key, item
        if not (isinstance(key, str) and key == "@context"):
            yield from _walk(item, child)


def _paths_of_key(document: Any, term: str | None) -> list[str]:
    paths = [path for path, key, _ in _walk(document) if key == term]
    return paths or ["$"]


def _paths_of_value(document: Any, iri: str) -> list[str]:
    found = [path for path, key, value in _walk(document) if value == iri or key == iri]
    return list(dict.fromkeys(found))
