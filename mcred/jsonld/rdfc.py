"""RDF Dataset Canonicalization (RDFC-1.0), in pure Python.

This module implements the W3C Recommendation "RDF Dataset Canonicalization"
(https://www.w3.org/TR/rdf-canon/) together with the small amount of N-Quads
parsing and serialization it needs. It uses only the standard library.

Public API:

* ``Term`` and ``Quad``: a minimal RDF data model (named tuples).
* ``parse_nquads(text)``: a strict N-Quads parser.
* ``serialize_term(term)`` and ``serialize_quad(quad)``: canonical N-Quads.
* ``canonicalize(quads, hash_algorithm=..., max_work=...)``: returns a
  ``Canonical`` named tuple holding the canonical N-Quads document and the
  issued identifiers map (original blank node label -> canonical label).
* ``canonical_nquads(quads, **kw)``: just the canonical N-Quads document.

Work limit (protection against poison graphs)
---------------------------------------------

RDFC-1.0 is exponential in the worst case: the Hash N-Degree Quads
algorithm (section 4.8) tries every permutation of blank nodes that share a
hash, and recurses. A small, deliberately symmetric input (the suite's
test074, a 10-clique of blank nodes) would run for ever. Section 4.4.3
requires implementations to prevent such denial of service (see the
specification's "Dataset Poisoning" security consideration).

The guard here is a deterministic budget of *work units*, not a wall-clock
timeout, so the same input is always either accepted or refused, on any
machine. The units count the work of Hash N-Degree Quads (4.8.3):

* one unit for each call,
* one unit for each related blank node it hashes in step 3 (a call of
  Hash Related Blank Node), and
* one unit for each permutation it examines in step 5.4.

Each unit stands for a few microseconds of work at most, so the budget
bounds the running time. When it is exceeded, ``canonicalize`` raises
``PoisonGraphError``, whose ``work``, ``max_work``, ``blank_nodes`` and
``shared_blank_nodes`` attributes say what was reached.

The budget is ``max_work`` if given, otherwise ``DEFAULT_MAX_WORK`` (50,000
units). Graphs whose blank nodes all have distinct first-degree hashes (by
far the common case for credentials) spend no units at all. The heaviest
evaluation tests of the official suite (test044 to test046, the "evil"
graphs of 12 blank nodes) need at most 5,662 units. A blank node that
shares its first-degree hash with others typically needs a few units,
except in long chains of such nodes (an rdf:List of n identical values
needs about 5n² units, so lists of up to about 100 identical values pass). test074, a
10-clique, is refused once it passes 50,000 units, which takes about
0.15 s on the machine it was measured on.

Independently of the budget, Hash N-Degree Quads may not recurse more than
``MAX_RECURSION_DEPTH`` (256) calls deep, which keeps the Python stack and
the memory held by nested identifier issuers bounded. Only a connected run
of more than 256 blank nodes that share first-degree hashes goes that deep.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from itertools import permutations
from typing import Any, NamedTuple, NoReturn

__all__ = [
    "DEFAULT_MAX_WORK",
    "MAX_RECURSION_DEPTH",
    "Canonical",
    "CanonicalizationError",
    "PoisonGraphError",
    "Quad",
    "Term",
    "canonical_nquads",
    "canonicalize",
    "canonicalize_serialized",
    "parse_nquads",
    "serialize_quad",
    "serialize_term",
]

DEFAULT_MAX_WORK = 50_000
MAX_RECURSION_DEPTH = 256

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_HashFactory = Callable[[bytes], Any]
_HASH_ALGORITHMS: dict[str, _HashFactory] = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}


# --------------------------------------------------------------------------
# Data model and errors
# --------------------------------------------------------------------------


class Term(NamedTuple):
    """An RDF term.

    ``kind`` is "iri", "bnode" or "literal". ``value`` is the IRI, the blank
    node label without the "_:" prefix, or the lexical form of a literal.
    For literals, ``datatype`` is the datatype IRI (None means xsd:string)
    and ``language`` is the language tag (the datatype is then
    rdf:langString and may be left as None).
    """

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None


class Quad(NamedTuple):
    """An RDF quad; ``graph`` is None for the default graph."""

    subject: Term
    predicate: Term
    object: Term
    graph: Term | None


class Canonical(NamedTuple):
    """The result of canonicalization.

    ``nquads`` is the canonical N-Quads document (sorted lines, each ending
    in a newline). ``issued`` maps each original blank node label to its
    canonical label, both without "_:", in the order they were issued.
    """

    nquads: str
    issued: dict[str, str]


class CanonicalizationError(ValueError):
    """The input cannot be parsed, serialized or canonicalized."""


class PoisonGraphError(CanonicalizationError):
    """The input needs more work than allowed and is refused as a possible poison graph."""

    def __init__(
        self,
        message: str,
        *,
        work: int,
        max_work: int,
        blank_nodes: int,
        shared_blank_nodes: int,
    ) -> None:
        super().__init__(message)
        self.work = work
        self.max_work = max_work
        self.blank_nodes = blank_nodes
        self.shared_blank_nodes = shared_blank_nodes


# --------------------------------------------------------------------------
# Canonical N-Quads serialization
# --------------------------------------------------------------------------

# Character classes of the N-Quads grammar (RDF 1.1 N-Quads section 5).
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
    "\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_:"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_BNODE_LABEL = f"[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"

# Compiled on first use: these Unicode classes take tens of milliseconds to compile, which
# every `mcred` start-up would otherwise pay (issue 7, start-up time).
_SIMPLE_BNODE_LABEL_RE = re.compile(r"[A-Za-z0-9_]+")


@functools.cache
def _bnode_label_re() -> re.Pattern:
    return re.compile(_BNODE_LABEL)
# An absolute IRI (it has a scheme) without the characters IRIREF forbids.
# Lone surrogates are refused too: they cannot be encoded as UTF-8 for hashing.
_IRI_RE = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\\ud800-\udfff]*')
_LANGTAG_RE = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")

# Canonical N-Quads (the "canonical n-quads form" of RDFC-1.0, which defers
# to RDF 1.2 N-Quads): in literals, \b \t \n \f \r \" \\ are written as
# ECHAR; the other C0 controls and U+007F as UCHAR with uppercase hex
# (\u000B); every other character, including U+0080 and above, is written
# as itself. The suite's test060 pins this down.
_LITERAL_SPECIAL_RE = re.compile(r'[\x00-\x1f"\\\x7f\ud800-\udfff]')
_LITERAL_ESCAPES = {code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]}
_LITERAL_ESCAPES.update(
    {
        0x08: "\\b",
        0x09: "\\t",
        0x0A: "\\n",
        0x0C: "\\f",
        0x0D: "\\r",
        0x22: '\\"',
        0x5C: "\\\\",
    }
)
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def _check_iri(iri: str, what: str) -> str:
    if not isinstance(iri, str) or _IRI_RE.fullmatch(iri) is None:
        raise CanonicalizationError(
            f"{what} {iri!r} is not an absolute IRI that N-Quads can represent"
        )
    return iri


def _escape_literal(lexical: str) -> str:
    if _LITERAL_SPECIAL_RE.search(lexical) is None:
        return lexical
    if _SURROGATE_RE.search(lexical) is not None:
        raise CanonicalizationError(
            f"literal {lexical!r} contains a lone surrogate, which is not a Unicode character"
        )
    return lexical.translate(_LITERAL_ESCAPES)


def serialize_string(lexical: str, language: str | None = None) -> str:
    """A simple (or language-tagged) string literal in canonical form: most literals in a credential.

    :func:`serialize_term` writes these through here too; mcred.jsonld.rdf calls it
    directly, without building a Term for each.
    """
    quoted = f'"{_escape_literal(lexical)}"'
    if language is None:
        return quoted
    if not (isinstance(language, str) and _language_tag_ok(language)):
        raise CanonicalizationError(f"{language!r} is not a valid language tag")
    return f"{quoted}@{language}"


@functools.lru_cache(maxsize=1024)  # a credential has a few languages, written hundreds of times
def _language_tag_ok(tag: str) -> bool:
    return _LANGTAG_RE.fullmatch(tag) is not None


def serialize_term(term: Term) -> str:
    """Serialize one term in canonical N-Quads form.

    IRIs, blank node labels and language tags are checked rather than
    escaped, because canonical N-Quads has no escapes for them: an IRI with
    a space or ">" would otherwise let one quad masquerade as another.
    """
    try:
        kind, value, datatype, language = term
    except (TypeError, ValueError):
        raise CanonicalizationError(f"{term!r} is not a Term") from None
    if kind == "iri":
        return f"<{_check_iri(value, 'IRI')}>"
    if kind == "bnode":
        if not isinstance(value, str) or (_SIMPLE_BNODE_LABEL_RE.fullmatch(value) is None
                                          and _bnode_label_re().fullmatch(value) is None):
            raise CanonicalizationError(f"{value!r} is not a valid blank node label")
        return f"_:{value}"
    if kind != "literal":
        raise CanonicalizationError(f"unknown term kind {kind!r} (expected iri, bnode or literal)")
    if not isinstance(value, str):
        raise CanonicalizationError(f"literal value {value!r} is not a string")
    if language is not None:
        if datatype is not None and datatype != RDF_LANGSTRING:
            raise CanonicalizationError(
                f"literal \"{_escape_literal(value)}\" has language {language!r} and datatype {datatype!r}; "
                "a language tag implies rdf:langString"
            )
        return serialize_string(value, language)
    if datatype is None or datatype == XSD_STRING:
        # The canonical form leaves out the datatype of simple literals.
        return serialize_string(value)
    quoted = f'"{_escape_literal(value)}"'
    if datatype == RDF_LANGSTRING:
        raise CanonicalizationError(f"literal {quoted} is rdf:langString without a language")
    return f"{quoted}^^<{_check_iri(datatype, 'datatype IRI')}>"


def _join_quad(s: str, p: str, o: str, g: str | None) -> str:
    if g is None:
        return f"{s} {p} {o} .\n"
    return f"{s} {p} {o} {g} .\n"


# Internally a quad is a tuple of its serialized components (graph None for
# the default graph). A blank node component is "_:label", and it is the
# only kind of component that starts with "_", so component[0] == "_" tests
# for blank nodes without keeping the Term around.
_SQuad = tuple[str, str, str, "str | None"]


def _serialize_dataset(quads: Iterable[Quad]) -> tuple[dict[str, _SQuad], bool]:
    """Serialize every quad once, de-duplicating on the N-Quads line.

    Returns a map from each distinct line (blank nodes keep their input
    labels) to the serialized components of its quad, and whether any blank
    node occurs. De-duplicating on the serialized form makes, for example,
    an explicit xsd:string datatype and an implicit one the same literal.
    Each distinct term is serialized once, since datasets repeat subjects
    and predicates a lot; this loop is the whole cost of canonicalizing a
    dataset without blank nodes, hence the inlining.
    """
    cache: dict[Term, str] = {}
    lines: dict[str, _SQuad] = {}
    has_blank_nodes = False
    for quad in quads:
        try:
            subject, predicate, obj, graph = quad
            s = cache.get(subject)
            if s is None:
                s = cache[subject] = serialize_term(subject)
            p = cache.get(predicate)
            if p is None:
                p = cache[predicate] = serialize_term(predicate)
            o = cache.get(obj)
            if o is None:
                o = cache[obj] = serialize_term(obj)
            if graph is None:
                g = None
                line = f"{s} {p} {o} .\n"
            else:
                g = cache.get(graph)
                if g is None:
                    g = cache[graph] = serialize_term(graph)
                line = f"{s} {p} {o} {g} .\n"
        except CanonicalizationError:
            raise
        except (AttributeError, TypeError, ValueError):
            raise CanonicalizationError(f"{quad!r} is not a quad of Term values") from None
        # Position checks on the first character: "<" IRI, "_" blank node,
        # '"' literal.
        if s[0] == '"':
            raise CanonicalizationError(f"a literal cannot be a subject: {line.rstrip()}")
        if p[0] != "<":
            raise CanonicalizationError(f"a predicate must be an IRI: {line.rstrip()}")
        if g is not None and g[0] == '"':
            raise CanonicalizationError(f"a literal cannot be a graph name: {line.rstrip()}")
        if s[0] == "_" or o[0] == "_" or (g is not None and g[0] == "_"):
            has_blank_nodes = True
        lines[line] = (s, p, o, g)
    return lines, has_blank_nodes


def serialize_quad(quad: Quad) -> str:
    """Serialize one quad as a canonical N-Quads line, with its trailing newline."""
    (line,) = _serialize_dataset((quad,))[0]
    return line


# --------------------------------------------------------------------------
# N-Quads parsing
# --------------------------------------------------------------------------

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRIREF = rf'<((?:[^\x00-\x20<>"{{}}|^`\\]|{_UCHAR})*)>'
@functools.cache
def _token_re() -> re.Pattern:
    return re.compile(
        rf"""[ \t]*(?:
            {_IRIREF}
          | _:({_BNODE_LABEL})
          | "((?:[^"\\\n\r]|\\[tbnrf"'\\]|{_UCHAR})*)"
            (?: \^\^{_IRIREF} | @([a-zA-Z]+(?:-[a-zA-Z0-9]+)*) )?
        )""",
        re.VERBOSE,
    )
_END_RE = re.compile(r"[ \t]*\.[ \t]*(?:#.*)?")
_BLANK_LINE_RE = re.compile(r"[ \t]*(?:#.*)?")
_ESCAPE_RE = re.compile(r"""\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf"'\\]))""")
_ECHAR_VALUES = {
    "t": "\t",
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "f": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}
_EOL_RE = re.compile(r"\r\n?|\n")


def _unescape_match(match: re.Match[str]) -> str:
    if match.group(3) is not None:
        return _ECHAR_VALUES[match.group(3)]
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise CanonicalizationError(f"{match.group(0)} is not a Unicode scalar value")
    return chr(code)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE_RE.sub(_unescape_match, text)


def _parse_iri(raw: str) -> Term:
    iri = _unescape(raw)
    _check_iri(iri, "IRI")
    return Term("iri", iri)


def _parse_term(match: re.Match[str]) -> Term:
    iri, label, lexical, datatype, language = match.groups()
    if iri is not None:
        return _parse_iri(iri)
    if label is not None:
        return Term("bnode", label)
    value = _unescape(lexical)
    if language is not None:
        return Term("literal", value, None, language)
    if datatype is not None:
        datatype_iri = _parse_iri(datatype).value
        # xsd:string is the implicit datatype; normalising it away keeps
        # equal literals equal as Term values.
        return Term("literal", value, None if datatype_iri == XSD_STRING else datatype_iri)
    return Term("literal", value)


def _parse_line(line: str) -> Quad | None:
    """Parse one line; return None for a blank or comment-only line."""
    if _BLANK_LINE_RE.fullmatch(line):
        return None
    if _SURROGATE_RE.search(line):
        raise CanonicalizationError("contains a lone surrogate, which is not a Unicode character")
    terms: list[Term] = []
    pos = 0
    while len(terms) < 4:
        match = _token_re().match(line, pos)
        if match is None:
            break
        terms.append(_parse_term(match))
        pos = match.end()
    if _END_RE.fullmatch(line, pos) is None:
        rest = line[pos:].lstrip(" \t")
        if len(terms) < 3:
            raise CanonicalizationError(f"expected a term at column {pos + 1}, found {rest[:20]!r}")
        raise CanonicalizationError(f"expected '.' at column {pos + 1}, found {rest[:20]!r}")
    if len(terms) < 3:
        raise CanonicalizationError(f"a statement needs 3 or 4 terms, found {len(terms)}")
    subject, predicate, obj = terms[:3]
    graph = terms[3] if len(terms) == 4 else None
    if subject.kind == "literal":
        raise CanonicalizationError("the subject cannot be a literal")
    if predicate.kind != "iri":
        raise CanonicalizationError("the predicate must be an IRI")
    if graph is not None and graph.kind == "literal":
        raise CanonicalizationError("the graph name cannot be a literal")
    return Quad(subject, predicate, obj, graph)


def parse_nquads(text: str) -> list[Quad]:
    """Parse an N-Quads document into a list of quads, in document order.

    The parser is strict: anything outside the RDF 1.1 N-Quads grammar, and
    IRIs without a scheme, raise CanonicalizationError naming the line.
    Duplicate quads are kept; ``canonicalize`` removes them.
    """
    quads: list[Quad] = []
    for number, line in enumerate(_EOL_RE.split(text), start=1):
        try:
            quad = _parse_line(line)
        except CanonicalizationError as error:
            raise CanonicalizationError(f"N-Quads line {number}: {error}") from None
        if quad is not None:
            quads.append(quad)
    return quads


# --------------------------------------------------------------------------
# RDFC-1.0
# --------------------------------------------------------------------------


class _IdentifierIssuer:
    """An identifier issuer (RDFC-1.0 4.3) with the Issue Identifier algorithm (4.5).

    ``issued`` maps existing identifiers to issued ones in issue order; since
    entries are never removed, its length is the identifier counter.
    """

    __slots__ = ("prefix", "issued")

    def __init__(self, prefix: str, issued: dict[str, str] | None = None) -> None:
        self.prefix = prefix
        self.issued: dict[str, str] = {} if issued is None else issued

    def issue(self, existing: str) -> str:
        # RDFC-1.0 4.5.2 steps 1-5.
        issued = self.issued.get(existing)
        if issued is None:
            issued = f"{self.prefix}{len(self.issued)}"
            self.issued[existing] = issued
        return issued

    def copy(self) -> _IdentifierIssuer:
        return _IdentifierIssuer(self.prefix, self.issued.copy())


class _Canonicalizer:
    """The canonicalization state (RDFC-1.0 4.2) and the algorithms that use it."""

    def __init__(self, quads: list[_SQuad], hash_factory: _HashFactory, max_work: int) -> None:
        self.quads = quads
        self.hash_factory = hash_factory
        self.max_work = max_work
        self.work = 0
        self.blank_node_to_quads: dict[str, list[_SQuad]] = {}
        self.first_degree: dict[str, str] = {}
        self.related_mentions: dict[str, list[tuple[str, str, str]]] = {}
        self.canonical = _IdentifierIssuer("c14n")
        self.shared = 0

    def _hash(self, text: str) -> str:
        return self.hash_factory(text.encode("utf-8")).hexdigest()

    def run(self) -> None:
        """The Canonicalization Algorithm, RDFC-1.0 4.4.3 steps 2 to 5."""
        # 4.4.3 step 2: map each blank node to the quads that mention it.
        # A quad is added once per blank node even when the node occurs in
        # several positions, because the map holds a set of quads.
        bn_quads = self.blank_node_to_quads
        for quad in self.quads:
            s, _, o, g = quad
            if s[0] == "_":
                bn_quads.setdefault(s, []).append(quad)
            if o[0] == "_" and o != s:
                bn_quads.setdefault(o, []).append(quad)
            if g is not None and g[0] == "_" and g != s and g != o:
                bn_quads.setdefault(g, []).append(quad)

        # 4.4.3 step 3: first-degree hash of every blank node.
        hash_to_blank_nodes: dict[str, list[str]] = {}
        for node in bn_quads:
            node_hash = self._hash_first_degree_quads(node)
            self.first_degree[node] = node_hash
            hash_to_blank_nodes.setdefault(node_hash, []).append(node)

        # 4.4.3 step 4: nodes with a unique first-degree hash get canonical
        # identifiers in hash order and need nothing more.
        shared_groups: list[list[str]] = []
        for node_hash in sorted(hash_to_blank_nodes):
            identifiers = hash_to_blank_nodes[node_hash]
            if len(identifiers) > 1:
                shared_groups.append(identifiers)
                continue
            self.canonical.issue(identifiers[0])
        self.shared = sum(len(group) for group in shared_groups)

        # 4.4.3 step 5: the rest, one group of equal first-degree hashes at a
        # time, still in hash order (shared_groups was built in that order).
        for identifiers in shared_groups:
            hash_path_list: list[tuple[str, _IdentifierIssuer]] = []
            for node in identifiers:
                # Step 5.2.1: an earlier group may already have labelled it.
                if node in self.canonical.issued:
                    continue
                # Steps 5.2.2-5.2.4.
                temporary = _IdentifierIssuer("b")
                temporary.issue(node)
                hash_path_list.append(self._hash_n_degree_quads(node, temporary, 1))
            # Step 5.3: issue canonical identifiers in order of the n-degree
            # hash, and within a result in the order the temporary issuer
            # issued them. sorted() is stable, so equal hashes keep input order.
            for _, issuer in sorted(hash_path_list, key=lambda result: result[0]):
                for existing in issuer.issued:
                    self.canonical.issue(existing)

    def _hash_first_degree_quads(self, reference: str) -> str:
        """Hash First Degree Quads, RDFC-1.0 4.6.3."""
        nquads = []
        # Step 3: serialize each quad mentioning the node with the node
        # itself as _:a and every other blank node as _:z.
        for s, p, o, g in self.blank_node_to_quads[reference]:
            if s[0] == "_":
                s = "_:a" if s == reference else "_:z"
            if o[0] == "_":
                o = "_:a" if o == reference else "_:z"
            if g is not None and g[0] == "_":
                g = "_:a" if g == reference else "_:z"
            nquads.append(_join_quad(s, p, o, g))
        # Steps 4-5: sort in code point order, concatenate and hash.
        nquads.sort()
        return self._hash("".join(nquads))

    def _hash_related_blank_node(
        self, related: str, predicate: str, issuer: _IdentifierIssuer, position: str
    ) -> str:
        """Hash Related Blank Node, RDFC-1.0 4.7.3."""
        # Step 1: prefer the canonical identifier, then the one from issuer,
        # and only then the first-degree hash.
        identifier = self.canonical.issued.get(related)
        if identifier is None:
            identifier = issuer.issued.get(related)
        identifier = self.first_degree[related] if identifier is None else f"_:{identifier}"
        # Steps 2-4: position, then <predicate> unless it is the graph name.
        if position == "g":
            return self._hash(f"g{identifier}")
        return self._hash(f"{position}{predicate}{identifier}")

    def _charge(self, units: int) -> None:
        """Spend work units, refusing the input once the budget is exhausted."""
        self.work += units
        if self.work > self.max_work:
            self._refuse(
                f"the Hash N-Degree Quads work limit of {self.max_work} units was exceeded"
            )

    def _refuse(self, reason: str) -> NoReturn:
        raise PoisonGraphError(
            f"RDFC-1.0 canonicalization refused the input as a possible poison graph: "
            f"{reason} ({len(self.blank_node_to_quads)} blank nodes, {self.shared} of them "
            f"sharing a first-degree hash with another)",
            work=self.work,
            max_work=self.max_work,
            blank_nodes=len(self.blank_node_to_quads),
            shared_blank_nodes=self.shared,
        )

    def _related_mentions(self, identifier: str) -> list[tuple[str, str, str]]:
        """The (position, related blank node, predicate) triples of a node's quads.

        These are the inputs of Hash Related Blank Node in step 3 of Hash
        N-Degree Quads. They depend only on the dataset, so they are worked
        out once per node; quads without another blank node contribute
        nothing and are left out, so a node with many ground quads costs
        nothing extra on each call.
        """
        mentions = self.related_mentions.get(identifier)
        if mentions is None:
            mentions = []
            for s, p, o, g in self.blank_node_to_quads[identifier]:
                if s[0] == "_" and s != identifier:
                    mentions.append(("s", s, p))
                if o[0] == "_" and o != identifier:
                    mentions.append(("o", o, p))
                if g is not None and g[0] == "_" and g != identifier:
                    mentions.append(("g", g, p))
            self.related_mentions[identifier] = mentions
        return mentions

    def _hash_n_degree_quads(
        self, identifier: str, issuer: _IdentifierIssuer, depth: int
    ) -> tuple[str, _IdentifierIssuer]:
        """Hash N-Degree Quads, RDFC-1.0 4.8.3; returns (hash, issuer)."""
        mentions = self._related_mentions(identifier)
        # One unit for the call and one per Hash Related Blank Node below.
        self._charge(1 + len(mentions))
        if depth > MAX_RECURSION_DEPTH:
            self._refuse(f"Hash N-Degree Quads recursed deeper than {MAX_RECURSION_DEPTH} levels")

        # Steps 1-3: group the blank nodes related to identifier by the hash
        # of how they are related (position, predicate, current identifier).
        related_groups: dict[str, list[str]] = {}
        for position, related, predicate in mentions:
            key = self._hash_related_blank_node(related, predicate, issuer, position)
            related_groups.setdefault(key, []).append(related)

        # Steps 4-5: for each group, in related-hash order, find the
        # permutation giving the least path.
        data_to_hash: list[str] = []
        for related_hash in sorted(related_groups):
            data_to_hash.append(related_hash)  # step 5.1
            chosen_path, chosen_issuer = self._choose_path(
                related_groups[related_hash], issuer, depth
            )
            data_to_hash.append(chosen_path)  # step 5.5
            issuer = chosen_issuer  # step 5.6
        # Step 6.
        return self._hash("".join(data_to_hash)), issuer

    def _choose_path(
        self, blank_nodes: list[str], issuer: _IdentifierIssuer, depth: int
    ) -> tuple[str, _IdentifierIssuer]:
        """RDFC-1.0 4.8.3 steps 5.2-5.4: the least path over all permutations.

        The spec prunes a permutation once its path is at least as long as
        the chosen path and greater than it. Pruning as soon as the path is
        greater, whatever its length, gives the same result (a string that
        is already greater stays greater however it is extended) and saves
        recursive calls, hence work units.
        """
        canonical = self.canonical.issued
        chosen_path = ""
        chosen_issuer = issuer
        for permutation in permutations(blank_nodes):  # step 5.4
            self._charge(1)
            issuer_copy = issuer.copy()  # step 5.4.1
            path = ""
            recursion_list = []
            pruned = False
            for related in permutation:  # step 5.4.4
                canonical_id = canonical.get(related)
                if canonical_id is not None:
                    path += f"_:{canonical_id}"  # step 5.4.4.1
                else:
                    if related not in issuer_copy.issued:  # step 5.4.4.2.1
                        recursion_list.append(related)
                    path += f"_:{issuer_copy.issue(related)}"  # step 5.4.4.2.2
                if chosen_path and path > chosen_path:  # step 5.4.4.3
                    pruned = True
                    break
            if pruned:
                continue
            for related in recursion_list:  # step 5.4.5
                result_hash, result_issuer = self._hash_n_degree_quads(
                    related, issuer_copy, depth + 1
                )
                path += f"_:{issuer_copy.issue(related)}<{result_hash}>"  # steps 5.4.5.2-3
                issuer_copy = result_issuer  # step 5.4.5.4
                if chosen_path and path > chosen_path:  # step 5.4.5.5
                    pruned = True
                    break
            if pruned:
                continue
            if not chosen_path or path < chosen_path:  # step 5.4.6
                chosen_path = path
                chosen_issuer = issuer_copy
        return chosen_path, chosen_issuer


def _hash_factory(name: str) -> _HashFactory:
    key = name.lower().replace("-", "") if isinstance(name, str) else name
    try:
        return _HASH_ALGORITHMS[key]
    except (KeyError, TypeError):
        raise CanonicalizationError(
            f"unsupported hash algorithm {name!r} (expected 'sha256' or 'sha384')"
        ) from None


def _relabel(component: str | None, issued: dict[str, str]) -> str | None:
    if component is not None and component[0] == "_":
        return f"_:{issued[component]}"
    return component


def canonicalize(
    quads: Iterable[Quad],
    *,
    hash_algorithm: str = "sha256",
    max_work: int | None = None,
) -> Canonical:
    """Canonicalize a dataset with RDFC-1.0.

    ``quads`` is any iterable of Quad; duplicates are ignored, because a
    dataset is a set. ``hash_algorithm`` is "sha256" (the default) or
    "sha384". ``max_work`` bounds the work of the Hash N-Degree Quads
    algorithm (see the module docstring); None means DEFAULT_MAX_WORK.

    Raises CanonicalizationError for terms that cannot be serialized and
    PoisonGraphError when the work limit is exceeded.
    """
    _hash_factory(hash_algorithm)  # an unknown algorithm is refused before any work
    if max_work is None:
        max_work = DEFAULT_MAX_WORK
    elif isinstance(max_work, bool) or not isinstance(max_work, int) or max_work < 0:
        raise ValueError(f"max_work must be a non-negative integer, not {max_work!r}")

    lines, has_blank_nodes = _serialize_dataset(quads)
    return canonicalize_serialized(lines, has_blank_nodes, hash_algorithm=hash_algorithm, max_work=max_work)


def canonicalize_serialized(
    lines: dict[str, tuple[str, str, str, str | None]],
    has_blank_nodes: bool,
    *,
    hash_algorithm: str = "sha256",
    max_work: int | None = None,
) -> Canonical:
    """Canonicalize a dataset given as distinct N-Quads lines, each with its serialized components.

    For producers that serialize terms themselves with :func:`serialize_term`
    (mcred.jsonld.rdf does, to skip building Term objects): ``lines`` maps each line
    (blank nodes with their input labels) to (subject, predicate, object,
    graph or None), and ``has_blank_nodes`` says whether any component is one.
    """
    hash_factory = _hash_factory(hash_algorithm)
    if max_work is None:
        max_work = DEFAULT_MAX_WORK
    if not has_blank_nodes:
        # Nothing to relabel: the canonical form is the sorted lines.
        return Canonical("".join(sorted(lines)), {})

    canonicalizer = _Canonicalizer(list(lines.values()), hash_factory, max_work)
    canonicalizer.run()
    issued = canonicalizer.canonical.issued
    # RDFC-1.0 4.4.3 steps 6-7: relabel every quad, then sort the lines.
    lines = sorted(
        _join_quad(_relabel(s, issued), p, _relabel(o, issued), _relabel(g, issued))
        for s, p, o, g in lines.values()
    )
    return Canonical("".join(lines), {label[2:]: c14n for label, c14n in issued.items()})


def canonical_nquads(quads: Iterable[Quad], **kw) -> str:
    """Return only the canonical N-Quads document of ``canonicalize``."""
    return canonicalize(quads, **kw).nquads
