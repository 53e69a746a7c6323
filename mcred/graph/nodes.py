"""The signed graph of a credential: what every check and every view reads, by IRI.

Why this exists. An ``eddsa-rdfc-2022`` proof covers the RDF dataset of a
document, not its JSON text, and many JSON texts give the same dataset: a
property under its full IRI instead of its term, a term aliased by an appended
inline context, a compact IRI for an id, a value moved into ``@included`` or
into another object with the same ``@id``, a ``@value`` object, an array or a
scalar. A holder can rewrite a credential in any of these ways without touching
its proof. So nothing mcred judges or shows is read from a JSON key: it is read
from the graph, here, where every one of those spellings is the same.

What it is. :class:`Graph` is built from a document's expanded form (which
verification computes anyway to hash the document): every node object of the
default graph, merged by ``@id`` as JSON-LD's node map does (``@included``,
``@reverse`` and nested objects alike), with values read as RDF reads them
(literals normalised as in :mod:`mcred.jsonld.rdf`, duplicates removed, no order but
a deterministic one). Named graphs (a proof's) are not part of it. Blank node
labels are never exposed: a holder can rename them.

* :attr:`Graph.credential` is *the* credential: the one node typed
  ``VerifiableCredential`` (not whichever JSON object is on top: a holder can
  turn the graph inside out with ``@reverse``).
* :meth:`Node.values` and :meth:`Node.one` read a property by IRI; ``one``
  refuses two values (:class:`MultipleValues`), it never takes the first.
* :meth:`Node.tree` writes a node out as plain JSON under mcred's own names for
  the IRIs (:mod:`mcred.graph.terms`), for readers that present or copy what a
  credential says (:mod:`mcred.present.view`, :mod:`mcred.elm.lint`, :mod:`mcred.stack.stacking`):
  a function of the graph alone, so every spelling of the same graph gives the
  same tree.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_LANGSTRING = RDF + "langString"
RDF_JSON = RDF + "JSON"
VC = "https://www.w3.org/2018/credentials#"
VC_TYPE = VC + "VerifiableCredential"
VC_SUBJECT = VC + "credentialSubject"
SEC_PROOF = "https://w3id.org/security#proof"

#: the most values a tree may hold once shared nodes are written out in full (a graph whose nodes are
#: referenced from many places can be far larger as a tree than as JSON-LD; see mcred.limits)
TREE_LIMIT = 100_000
#: the most credential nodes a graph may have for mcred to find the outermost one by its links (a credential
#: embeds a few: endorsements, a CLR's achievements); past it the graph is refused as GRAPH_SEVERAL_CREDENTIALS
MAX_EMBEDDED_CREDENTIALS = 16
#: how deep a blank node's content is looked at to put it in a deterministic order
_BLANK_KEY_DEPTH = 24
#: the most nodes one blank node's sort key reads
_BLANK_KEY_NODES = 256


class GraphError(Exception):
    """The graph cannot be read as one credential; ``code`` names why."""

    def __init__(self, code: str, message: str, **params) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class MultipleValues(GraphError):  # noqa: N818 (named for what it reports)
    """A property that may have one value has several in the signed graph."""

    def __init__(self, node: Node, iri: str, values: list) -> None:
        name = term_of(iri)
        shown = ", ".join(_show(value) for value in values[:4]) + (", ..." if len(values) > 4 else "")
        where = node.iri or "a node without an id"
        super().__init__("MULTIPLE_VALUES", f"{name} has {len(values)} values in the signed graph ({shown}) on "
                         f"{where}; it may have only one", property=name, count=len(values), values=shown,
                         node=where)
        self.iri = iri


class Literal(NamedTuple):
    """An RDF literal: its lexical form, its datatype (never None) and its language tag (or None)."""

    lexical: str
    datatype: str
    language: str | None = None


def _show(value: Any) -> str:
    if isinstance(value, Literal):
        return repr(value.lexical)
    return value.iri or "(a node without an id)"


class Node:
    """One node of the graph: every JSON object that describes it, merged; read by IRI."""

    __slots__ = ("graph", "key", "fragments", "_values", "_types")

    def __init__(self, graph: Graph, key: Any, fragments: list[dict]) -> None:
        self.graph = graph
        self.key = key                 # an @id string, or ("anon", id(object)) for an object with none
        self.fragments = fragments     # the expanded node objects that describe it
        self._values: dict[str, list] = {}
        self._types: list[str] | None = None

    @property
    def iri(self) -> str | None:
        """The node's IRI; None for a blank node (whose label, if any, is not part of what is signed)."""
        key = self.key
        return key if type(key) is str and not key.startswith("_:") else None

    @property
    def types(self) -> list[str]:
        """The node's type IRIs, sorted."""
        if self._types is None:
            found: dict[str, None] = {}
            for fragment in self.fragments:
                for type_ in fragment.get("@type", ()):
                    found[type_] = None
            self._types = sorted(found)
        return self._types

    def has_type(self, iri: str) -> bool:
        return iri in self.types

    def properties(self) -> list[str]:
        """The IRIs of the properties the node has (rdf:type aside), sorted."""
        found = {prop for fragment in self.fragments for prop in fragment if prop[0] != "@" and prop != SEC_PROOF}
        found.update(prop for prop, _ in self.graph._reverse_edges(self))
        return sorted(prop for prop in found if self.values(prop))

    def values(self, iri: str) -> list:
        """The values of a property: :class:`Literal` and :class:`Node` objects, each once, in a fixed order."""
        try:
            return self._values[iri]
        except KeyError:
            values = self._values[iri] = self.graph._read_property(self, iri)
            return values

    def one(self, iri: str) -> Any:
        """The value of a property that may have one; None when it has none. Raises :class:`MultipleValues`."""
        values = self.values(iri)
        if not values:
            return None
        if len(values) > 1:
            raise MultipleValues(self, iri, values)
        return values[0]

    def literal(self, iri: str) -> Literal | None:
        """``one(iri)`` if it is a literal; None when there is none, or when the value is a node."""
        value = self.one(iri)
        return value if isinstance(value, Literal) else None

    def node(self, iri: str) -> Node | None:
        """``one(iri)`` if it is a node; None when there is none, or when the value is a literal."""
        value = self.one(iri)
        return value if isinstance(value, Node) else None

    def nodes(self, iri: str) -> list[Node]:
        """The values of a property that are nodes."""
        return [value for value in self.values(iri) if isinstance(value, Node)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and other.graph is self.graph and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Node({self.iri or 'blank'})"


class Graph:
    """The default graph of an expanded JSON-LD document, node by node (see the module docstring)."""

    def __init__(self, expanded: list) -> None:
        self._fragments: dict[Any, list[dict]] = {}  # node key -> the node objects that describe it
        self._reverse: dict[int, list[tuple[str, Any]]] = {}
        self._credentials: dict[Any, None] = {}
        #: blank nodes met while looking for the outermost credential (see _credentials_reached)
        self._anonymous: dict[Any, list[dict]] = {}
        #: blank node key -> its sort key's text (:func:`sort_key`): made once per graph, since nodes are made anew
        self._blank_keys: dict[Any, str] = {}
        self._expanded = expanded
        described = getattr(expanded, "described", None)
        # mcred.jsonld.expansion notes the objects with an @id, and the credentials, as it makes them: then no walk
        # is needed until every node is asked for (nodes()); objects without an id are found from their parent
        self._complete = described is None
        if described is not None:
            # @id -> its objects (references, which say nothing, among them: see nodes())
            self._fragments = fragments = described
            for obj in expanded.credentials:
                key = self._key_of(obj)
                self._credentials[key] = None
                fragments.setdefault(key, [obj])
        else:
            self._walk(expanded, described_known=False)

    # --- building ---------------------------------------------------------------------------------------

    def _walk(self, expanded: list, *, described_known: bool) -> None:
        for item in expanded:
            if isinstance(item, dict) and "@value" not in item and "@list" not in item:
                self._index(item, described_known)

    def _index(self, top: dict, described_known: bool) -> None:
        """Every node object reachable from ``top`` in the default graph, filed under its node's key (only
        those without an @id when the others are known already)."""
        stack = [top]
        pop, push = stack.pop, stack.append
        fragments = self._fragments
        while stack:
            obj = pop()
            key = obj.get("@id")
            if key is None:
                key = ("anon", id(obj))
                fragments.setdefault(key, [obj])
            elif not described_known and len(obj) > 1:  # an object with only its @id says nothing
                found = fragments.get(key)
                if found is None:
                    fragments[key] = [obj]
                else:
                    found.append(obj)
            if not described_known:
                types = obj.get("@type")
                if types is not None and VC_TYPE in types:
                    self._credentials[key] = None
            for prop, values in obj.items():
                if prop[0] == "@":
                    if prop == "@included":
                        for item in values:
                            if isinstance(item, dict) and "@value" not in item:
                                push(item)
                    elif prop == "@reverse":
                        self._file_reverse(key, values, push)
                    # @graph holds a named graph (not this one); @id, @type, @index are read elsewhere
                    continue
                for value in values:
                    if "@value" not in value:
                        if "@list" in value:
                            self._push_list(value["@list"], push)
                        elif "@graph" not in value or "@id" in value:
                            push(value)

    @staticmethod
    def _push_list(items: list, push) -> None:
        for item in items:
            if isinstance(item, dict) and "@value" not in item:
                if "@list" in item:
                    Graph._push_list(item["@list"], push)
                else:
                    push(item)

    def _file_reverse(self, key: Any, reverse: dict, push) -> None:
        """``@reverse``: each object named there has the property, pointing at this node."""
        for prop, values in reverse.items():
            for value in values:
                if isinstance(value, dict) and "@value" not in value:
                    push(value)
                    self._reverse.setdefault(id(value), []).append((prop, key))

    @staticmethod
    def _key_of(obj: dict) -> Any:
        key = obj.get("@id")
        return ("anon", id(obj)) if key is None else key

    def _node(self, key: Any) -> Node:
        # a new Node each time: the graph keeps none, so that graph and nodes make no reference cycle (which
        # would keep every expanded document alive until the garbage collector runs); nodes compare by key
        return Node(self, key, self._fragments.get(key, ()))

    def _reverse_edges(self, node: Node) -> list[tuple[str, Any]]:
        if not self._reverse:
            return []
        return [edge for fragment in node.fragments for edge in self._reverse.get(id(fragment), ())]

    def _unordered_properties(self, node: Node):
        """(property IRI, values) for each property the node has (rdf:type aside), the values unordered."""
        found = {prop for fragment in node.fragments for prop in fragment if prop[0] != "@" and prop != SEC_PROOF}
        found.update(prop for prop, _ in self._reverse_edges(node))
        for prop in found:
            values = self._read_property(node, prop, ordered=False)
            if values:
                yield prop, values

    def _read_property(self, node: Node, iri: str, *, ordered: bool = True) -> list:
        """A property's values from all the node's fragments: read as RDF does, each once, sorted (or not)."""
        fragments = node.fragments
        if len(fragments) == 1 and not self._reverse:  # the common case, in short: one object, one value
            values = fragments[0].get(iri)
            if not values or iri == SEC_PROOF:
                return []
            if len(values) == 1:
                return [self._read_value(values[0])]
        found: dict[Any, Any] = {}
        for fragment in node.fragments:
            values = fragment.get(iri)
            if values and iri != SEC_PROOF:
                for value in values:
                    read = self._read_value(value)
                    found.setdefault(read if type(read) is not Node else read.key, read)
        for prop, target in self._reverse_edges(node):
            if prop == iri:
                found.setdefault(target, self._node(target))
        if len(found) < 2 or not ordered:
            return list(found.values())
        return sorted(found.values(), key=sort_key)

    def _read_value(self, value: dict) -> Any:
        if "@value" in value:
            return read_literal(value)
        if "@list" in value:
            return tuple(self._read_value(item) for item in value["@list"] if isinstance(item, dict))
        key = value.get("@id")
        if key is None:
            if "@graph" in value:  # a graph object: its content is a named graph, not part of this one
                return self._node(("graph", id(value)))
            key = ("anon", id(value))
            self._fragments.setdefault(key, [value])
        return self._node(key)

    # --- reading ----------------------------------------------------------------------------------------

    @property
    def credential(self) -> Node:
        """The credential: the one node typed VerifiableCredential that no other one links to (an Open Badge's
        endorsements are credentials inside it). Raises :class:`GraphError` when there is none, or not one
        such outermost node."""
        keys = list(self._credentials)
        if len(keys) == 1:
            return self._node(keys[0])
        if not keys:
            raise GraphError("GRAPH_NO_CREDENTIAL", "the signed graph has no node of type VerifiableCredential, "
                             "so there is no credential to check")
        if len(keys) <= MAX_EMBEDDED_CREDENTIALS:
            inner: set = set()
            for key in keys:  # from each one (a credential inside may link back to the one around it)
                inner |= self._credentials_reached(key) - {key}
            outer = [key for key in keys if key not in inner]
            if len(outer) == 1:
                return self._node(outer[0])
        names = sorted(key if type(key) is str and not key.startswith("_:") else "(no id)" for key in keys)
        raise GraphError("GRAPH_SEVERAL_CREDENTIALS", f"the signed graph has {len(keys)} nodes of type "
                         f"VerifiableCredential ({', '.join(names)}); mcred checks one credential at a time",
                         count=len(keys), ids=", ".join(names))

    def _credentials_reached(self, start: Any) -> set:
        """The credential nodes that the node ``start`` links to, directly or through other nodes, in the
        default graph. Not followed: a proof's named graph (not part of what the credential says), and a
        ``credentialSubject`` that is itself a credential (an endorsement of a badge is about the badge, it
        does not contain it)."""
        seen_objects: set[int] = set()
        seen_keys = {start}
        stack = list(self._fragments.get(start, ()))
        reached = set()
        while stack:
            obj = stack.pop()
            if id(obj) in seen_objects:
                continue
            seen_objects.add(id(obj))
            targets = list(self._reverse.get(id(obj), ()))
            for prop, values in obj.items():
                if prop[0] != "@" and prop != SEC_PROOF:
                    targets += [(prop, key) for key in self._linked(values)]
            for prop, target in targets:
                if target in seen_keys or (prop == VC_SUBJECT and target in self._credentials):
                    continue
                seen_keys.add(target)
                if target in self._credentials:
                    reached.add(target)
                stack.extend(self._fragments.get(target, ()))
                stack.extend(self._anonymous.get(target, ()))
        return reached

    def _linked(self, values: list) -> list:
        """The keys of the nodes these values are; a blank node's object is remembered, to be followed."""
        keys = []
        for value in values:
            if not isinstance(value, dict) or "@value" in value:
                continue
            if "@list" in value:
                keys += self._linked(value["@list"])
            elif "@id" in value:
                keys.append(value["@id"])
            elif "@graph" not in value:  # a graph object holds a named graph, not this one
                key = ("anon", id(value))
                self._anonymous[key] = [value]
                keys.append(key)
        return keys

    def node(self, iri: str) -> Node | None:
        """The node with this IRI, if the graph describes it."""
        return self._node(iri) if any(len(f) > 1 for f in self._fragments.get(iri, ())) else None

    def nodes(self) -> list[Node]:
        """Every node the graph describes, in a fixed order."""
        return self.nodes_with(None)

    def nodes_with(self, properties: frozenset | None) -> list[Node]:
        """The nodes that have one of these properties (every node described, for None), in a fixed order."""
        if not self._complete:  # the nodes without an @id are found by walking the document once
            self._walk(self._expanded, described_known=True)
            self._complete = True
        if properties is None:
            keys = [key for key, found in self._fragments.items() if any(len(fragment) > 1 for fragment in found)]
        else:
            keys = [key for key, found in self._fragments.items()
                    if any(not properties.isdisjoint(fragment) for fragment in found)]
        return sorted((self._node(key) for key in keys), key=sort_key)


def read_literal(value: dict) -> Literal:
    """An expanded value object as the RDF literal it denotes (the rules of pyld's ``_object_to_rdf``)."""
    lexical = value["@value"]
    datatype = value.get("@type")
    language = value.get("@language")
    if type(lexical) is str and datatype is None:
        return Literal(lexical, XSD_STRING if language is None else RDF_LANGSTRING, language)
    if datatype == "@json":
        return Literal(json.dumps(lexical, sort_keys=True, separators=(",", ":"), ensure_ascii=False), RDF_JSON)
    from mcred.jsonld.rdf import _canonical_double

    if isinstance(lexical, bool):
        return Literal("true" if lexical else "false", datatype or XSD_BOOLEAN)
    if isinstance(lexical, float) and not lexical.is_integer():
        return Literal(_canonical_double(lexical), datatype or XSD_DOUBLE)
    if datatype == XSD_DOUBLE:
        try:
            return Literal(_canonical_double(float(lexical)), datatype)
        except (ValueError, TypeError):
            return Literal(str(lexical), datatype)
    if isinstance(lexical, (int, float)):
        if abs(lexical) >= 1e21:
            return Literal(_canonical_double(lexical), datatype or XSD_DOUBLE)
        return Literal(str(int(lexical)), datatype or XSD_INTEGER)
    return Literal(str(lexical), datatype or (RDF_LANGSTRING if language else XSD_STRING), language)


def sort_key(value: Any) -> tuple:
    """A deterministic order of values, from the graph alone: literals, then IRIs, then blank nodes by content."""
    if isinstance(value, Literal):
        return (0, value.lexical, value.datatype, value.language or "")
    if isinstance(value, tuple):  # an RDF list
        return (3, tuple(sort_key(item) for item in value))
    iri = value.iri
    if iri is not None:
        return (1, iri)
    known = value.graph._blank_keys
    key = known.get(value.key)
    if key is None:
        key = known[value.key] = _blank_key(value, _BLANK_KEY_DEPTH, set(), [_BLANK_KEY_NODES])
    return (2, key)


def _blank_key(node: Node, depth: int, visiting: set, budget: list[int]) -> str:
    """What a blank node says, as text: types and values, blank ones in turn, to a bounded depth and at most
    ``budget`` nodes in all (blank nodes that all reach each other, a clique, have exponentially many paths).

    It reads the values unordered (the parts are sorted instead): reading them ordered would sort them by
    this very key, and each node read anew has no memory of it, so blank nodes that reach each other would
    recurse until Python's stack ran out."""
    if depth == 0 or node.key in visiting or budget[0] <= 0:
        return "…"
    budget[0] -= 1
    visiting.add(node.key)
    parts = [" ".join(node.types)]
    for prop, values in node.graph._unordered_properties(node):
        for value in values:
            if isinstance(value, Node) and value.iri is None:
                parts.append(f"{prop}=[{_blank_key(value, depth - 1, visiting, budget)}]")
            elif isinstance(value, Node):
                parts.append(f"{prop}=<{value.iri}>")
            else:
                parts.append(f"{prop}={value!r}")
    visiting.discard(node.key)
    return "|".join(sorted(parts))


def term_of(iri: str) -> str:
    """mcred's name for a property IRI (its term in the bundled contexts), for messages; else the IRI."""
    from .terms import TERMS

    return TERMS.get(iri, iri)


def node_paths(root: Node) -> dict[Any, str]:
    """The first path from ``root`` to each node it reaches (breadth first, in the graph's order), under mcred's
    names: ``$.credentialSubject.hasClaim.specifiedBy``, with ``[i]`` where a property has several values."""
    from collections import deque

    from .terms import TERMS

    paths = {root.key: "$"}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        base = paths[node.key]
        for prop in node.properties():
            values = node.values(prop)
            name = TERMS.get(prop, prop)
            step = f".{name}" if name.isidentifier() else f"[{name!r}]"
            for index, value in enumerate(values):
                if isinstance(value, Node) and value.key not in paths:
                    paths[value.key] = base + step + (f"[{index}]" if len(values) > 1 else "")
                    queue.append(value)
    return paths


def read_graph(expanded: list) -> Graph:
    """The graph of an expanded document (see :class:`Graph`)."""
    return Graph(expanded)
