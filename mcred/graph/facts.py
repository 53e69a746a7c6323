"""What a credential says that mcred judges and shows, read from its signed graph by IRI.

One object, :class:`CredentialFacts`, made from the graph of a document
(:mod:`mcred.graph.nodes`): the credential's id, its issuer, its validity dates, its
status entries, its subject and achievement, and (for views, lint and stacking)
the credential written out under mcred's names (:attr:`CredentialFacts.tree`).
Every verdict of :mod:`mcred.verify.runner`, every rule of :mod:`mcred.stack.stacking` and
:mod:`mcred.elm.lint`, and every view reads from here, never from a JSON key. A
property that may have one value and has two raises
:class:`mcred.graph.nodes.MultipleValues` when it is read: mcred never takes "the
first" of values that have no order.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

import orjson

from .nodes import VC, Graph, GraphError, Literal, Node
from .tree import write_tree

ELM = "http://data.europa.eu/snb/model/elm/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DC = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"

ISSUER = VC + "issuer"
CREDENTIAL_SUBJECT = VC + "credentialSubject"
CREDENTIAL_STATUS = VC + "credentialStatus"
#: the validity dates: (name, IRI, kind); VC 1.1 and VC 2.0 name them with the same IRIs
VALIDITY = (
    ("validFrom", VC + "validFrom", "not_before"),
    ("issuanceDate", VC + "issuanceDate", "not_before"),
    ("validUntil", VC + "validUntil", "not_after"),
    ("expirationDate", VC + "expirationDate", "not_after"),
)

EDC_TYPE = ELM + "EuropeanDigitalCredential"
HAS_CLAIM = ELM + "hasClaim"
HAS_PART = ELM + "hasPart"
SPECIFIED_BY = ELM + "specifiedBy"
AWARDED_BY = ELM + "awardedBy"
AWARDING_DATE = ELM + "awardingDate"
IDENTIFIER = "http://www.w3.org/ns/adms#identifier"
NOTATION = SKOS + "notation"
SCHEME_NAME = ELM + "schemeName"
NATIONAL_ID = ELM + "nationalID"
DATE_OF_BIRTH = ELM + "dateOfBirth"
GIVEN_NAME = FOAF + "givenName"
FAMILY_NAME = FOAF + "familyName"
ATTACHMENT = ELM + "attachment"
CONTENT = ELM + "content"
EIDAS_IDENTIFIER = ELM + "eidasLegalIdentifier"
CREDIT_POINT = ELM + "creditPoint"
POINT = ELM + "point"
FRAMEWORK = ELM + "framework"
VOLUME_OF_LEARNING = ELM + "volumeOfLearning"
EQF_LEVEL = ELM + "EQFLevel"
LEARNING_OUTCOME = ELM + "learningOutcome"
RELATED_ESCO_SKILL = ELM + "relatedESCOSkill"
TITLE = DC + "title"


class CredentialFacts:
    """The facts of one credential, from its signed graph (see the module docstring).

    Made with :func:`read_facts`; raises :class:`mcred.graph.nodes.GraphError` when the
    graph holds no credential, or more than one. :func:`plain_facts` makes one
    whose root facts come from the credential's own object, the graph of the
    whole document being read only when something else is asked for.
    """

    def __init__(self, graph: Graph | None, *, root: Node | None = None, load=None,
                 text: bytes | None = None) -> None:
        self._graph = graph
        self._load = load
        #: the plain document's canonical JSON text, when the facts were read from it (see plain_facts)
        self._text = text
        #: the credential's node: issuer, validity, status and id are read from it
        self.node: Node = graph.credential if graph is not None else root

    @property
    def graph(self) -> Graph:
        """The graph of the whole document."""
        if self._graph is None:
            self._graph = self._load()
        return self._graph

    @property
    def _whole(self) -> Node:
        """The credential's node in the graph of the whole document (what its subject and parts are read from)."""
        return self.node if self._load is None else self.graph.credential

    @property
    def id(self) -> str | None:
        """The credential's IRI (None for a credential without one)."""
        return self.node.iri

    def has_type(self, iri: str) -> bool:
        return self.node.has_type(iri)

    @property
    def issuer(self) -> str | None:
        """The issuer's IRI; None when the credential names none (or names a node without an id)."""
        value = self.node.one(ISSUER)
        return value.iri if isinstance(value, Node) else None

    @property
    def issuer_node(self) -> Node | None:
        return self._whole.node(ISSUER)

    def date(self, iri: str) -> Literal | Node | None:
        """One validity date (a literal, or whatever the graph holds there); MultipleValues if two."""
        return self.node.one(iri)

    @property
    def subject(self) -> Node | None:
        """The credential's subject (MultipleValues when it has several: mcred reads one learner's)."""
        return self._whole.node(CREDENTIAL_SUBJECT)

    @property
    def subjects(self) -> list[Node]:
        """Every subject of the credential (a presentation checks that each is its holder)."""
        return self._whole.nodes(CREDENTIAL_SUBJECT)

    @property
    def claims(self) -> list[Node]:
        """The subject's claims (ELM ``hasClaim``: achievements), in the graph's order."""
        subject = self.subject
        return subject.nodes(HAS_CLAIM) if subject is not None else []

    @property
    def claim(self) -> Node | None:
        """The achievement of an ELM credential that has one; MultipleValues when it has several."""
        subject = self.subject
        return subject.node(HAS_CLAIM) if subject is not None else None

    def has_parts(self) -> bool:
        """Whether an achievement has parts (``hasPart``), as a stack's has: a cheap test before the stacking
        rules are loaded."""
        if self._text is not None and b'"hasPart":' not in self._text:
            return False  # a plain document names every property by its term (see plain_facts)
        # of every subject and achievement: with several, the stacking rules say why that is wrong
        return any(claim.values(HAS_PART) for subject in self._whole.nodes(CREDENTIAL_SUBJECT)
                   for claim in subject.nodes(HAS_CLAIM))

    @cached_property
    def tree(self) -> dict:
        """The credential as plain JSON under mcred's names (:func:`mcred.graph.tree.write_tree`), for views, lint."""
        return write_tree(self._whole)


def read_facts(graph: Graph) -> CredentialFacts:
    """The facts of the credential in ``graph``; GraphError when it holds no credential, or several."""
    return CredentialFacts(graph)


# --- plain documents: the credential's facts from its own JSON object ------------------------------------

#: the properties :func:`plain_facts` reads from the credential's own object
ROOT_FACTS = frozenset({ISSUER, CREDENTIAL_STATUS, *(iri for _, iri, _ in VALIDITY)})
# in a document's canonical JSON text (JCS: sorted keys, no spaces): a value object's "@type" (its "@value"
# follows it)
_VALUE_TYPE = re.compile(rb'"@type":"[^"\\]*(?:\\.[^"\\]*)*","@value":')


def _only_one(node_id: Any, text: bytes) -> bool:
    """Whether one object only has this id in the text: written as it is once, and never as a compact IRI of a
    prefix a bundled context defines ("cred:x" for https://www.w3.org/2018/credentials#x), nor itself one."""
    from .terms import prefixes

    if type(node_id) is not str or ":" not in node_id or text.count(b'"id":' + orjson.dumps(node_id)) != 1:
        return False
    for term, iri in prefixes():
        if node_id.startswith(f"{term}:"):
            return False
        if node_id.startswith(iri) and b'"id":' + orjson.dumps(f"{term}:{node_id[len(iri):]}") in text:
            return False
    return True


_ROOT_CONTEXTS: dict = {}


def _root_context(context: Any, types: Any):
    """The active context of a credential's own object (its type-scoped contexts applied), and the one its
    types are read with; remembered for the contexts and types mcred meets (a few, bounded)."""
    from mcred.jsonld import expansion as _expansion

    key = (tuple(context) if type(context) is list else context, tuple(types) if type(types) is list else types)
    found = _ROOT_CONTEXTS.get(key)
    if found is None:
        local = _expansion._initial().derive("local", _expansion._content_key(context), context)
        active, _, before_types = _expansion._prepare_nested_context(local, {"type": types})
        found = (active, before_types)
        if len(_ROOT_CONTEXTS) < 256:
            _ROOT_CONTEXTS[key] = found
    return found


def _simply_expanded(own: dict, active, before_types) -> list | None:
    """The expanded form of a credential's own facts when each is a simple value (a string its term types, an
    object with an id only, an anyURI literal), as mcred.jsonld.expansion would give it; None for anything else
    (which that expansion then reads): a test holds the two to the same graph."""
    from .terms import prefixes

    def plain_iri(value: Any) -> bool:  # an IRI that means what it says: not a compact IRI of a known prefix
        return type(value) is str and ":" in value and not any(value.startswith(f"{term}:") for term, _ in prefixes())

    node: dict = {}
    root_id = own.get("id")
    if root_id is not None:
        node["@id"] = root_id  # plain: checked by _only_one
    types = own["type"]
    node["@type"] = [before_types.vocab_iri(t) for t in (types if type(types) is list else [types])]
    for key, value in own.items():
        if key in ("@context", "id", "type"):
            continue
        info = active.info(key)
        if info.scoped is not None or info.language is not None or info.container:
            return None
        out = []
        for item in value if type(value) is list else [value]:
            if type(item) is str and info.type == "@id" and plain_iri(item):
                out.append({"@id": item})
            elif type(item) is str and info.type and info.type[0] != "@" and info.type.startswith("http"):
                out.append({"@value": item, "@type": info.type})
            elif type(item) is dict and item.keys() == {"id"} and plain_iri(item["id"]):
                out.append({"@id": item["id"]})
            elif (type(item) is dict and item.keys() == {"@value", "@type"} and type(item["@value"]) is str
                  and type(item["@type"]) is str and item["@type"].startswith("http")):
                out.append(dict(item))
            else:
                return None
        node.setdefault(info.iri, []).extend(out)
    return [node]


#: bundled contexts that alias a keyword other than ``id`` and ``type`` (ODRL's ``uid`` for ``@id``), define a reverse
#: property (DCC's ``awardedOnCompletionOf``) or import such a context (the VC 1.1 examples import ODRL): what a
#: document citing one says is read from its whole graph, never from its JSON (a test holds this list exact)
NOT_PLAIN_CONTEXTS = frozenset({
    "https://w3id.org/dcc/v1",
    "https://www.w3.org/ns/odrl.jsonld",
    "https://www.w3.org/2018/credentials/examples/v1",
})


def plain_facts(document: dict, inspection) -> CredentialFacts | None:
    """The facts of a credential whose JSON says plainly what its graph says; None for any other.

    For a document whose proof signs its JSON text (``eddsa-jcs-2022``), so that the
    whole document need not be expanded to check it. Plain means, checked on the
    document's canonical JSON text: its one ``@context`` is at the top and names
    bundled contexts only (no term is defined or redefined inline); no key is a
    keyword but ``@context`` and a value object's ``@value``/``@type`` (no ``@id``,
    ``@included``, ``@reverse``, ``@graph``); the credential's object and its status
    entries name their properties by term (no IRI keys), and their ids are not
    compact IRIs and occur once each, neither written again as they are nor as a
    compact IRI of a prefix a bundled context defines (no other object describes
    them); and
    ``VerifiableCredential`` occurs once, as the credential's type (no other node is
    a credential, nor a credential embedded in a named graph). Then the graph's
    credential node is the document's own object, its issuer, validity dates and
    status are the expansion of its own keys for them, and nothing has a part
    unless a key ``hasPart`` occurs (the bundled contexts alias no keyword but ``id``
    and ``type``, and define no reverse, index, id or type-map term, except those of
    :data:`NOT_PLAIN_CONTEXTS`, which make no document plain: a test holds it).
    Everything else is read from the whole document's graph when asked for.
    """
    from mcred.jsonld import expansion as _expansion

    context = document.get("@context")
    proofs = document.get("proof")
    # the contexts the limits walk found: the document's, and those its proofs carry (a JCS proof does)
    allowed = {id(context), *(id(p.get("@context")) for p in (proofs if type(proofs) is list else [proofs])
                              if type(p) is dict and "@context" in p)}
    if (inspection is None or not inspection.plain_json or not all(id(c) in allowed for c in inspection.contexts)
            or not (type(context) is str or (type(context) is list and all(type(c) is str for c in context)))
            or not NOT_PLAIN_CONTEXTS.isdisjoint([context] if type(context) is str else context)):
        return None
    types = document.get("type")
    listed = types if type(types) is list else [types]
    if "VerifiableCredential" not in listed or not all(type(t) is str for t in listed):
        return None
    root_id = document.get("id")
    if root_id is not None and type(root_id) is not str:
        return None
    from mcred.errors import InputError
    from mcred.jsonld.jcs import canonical_json

    try:  # the JCS form of the document without its proofs: what its proof signs (reused by the proof check)
        text = canonical_json({key: value for key, value in document.items() if key != "proof"}, plain=True)
    except InputError:
        return None
    # one "@" is the top @context; any other "@ (a keyword key, or a string that starts with @) must be a value
    # object's @value or its @type: no @id, @included, @reverse, @graph, @nest anywhere
    if text.count(b"@") != 1:
        keywords = text.count(b'"@')
        if (text.count(b'"@context":') != 1
                or keywords != 1 + text.count(b'"@value":') + len(_VALUE_TYPE.findall(text))):
            return None
    if text.count(b'VerifiableCredential"') != 1:
        return None
    statuses = document.get("credentialStatus")
    entries = [entry for entry in (statuses if type(statuses) is list else [statuses]) if type(entry) is dict]
    for obj in (document, *entries):
        # the objects whose facts are read: each names its properties by term, and is the only object with its id
        if any(":" in key for key in obj):
            return None
        node_id = obj.get("id")
        if node_id is not None and not _only_one(node_id, text):
            return None
    try:
        active, before_types = _root_context(context, types)
        own = {"@context": context, "type": types, **({"id": root_id} if root_id is not None else {})}
        for key, value in document.items():
            iri = active.info(key).iri
            if iri in ROOT_FACTS and key not in own:
                # the issuer is read by its id: an organisation described in full need not be expanded here
                own[key] = ({"id": value["id"]} if iri == ISSUER and type(value) is dict
                            and type(value.get("id")) is str else value)
        expanded = _simply_expanded(own, active, before_types)
        graph = Graph(expanded if expanded is not None else _expansion.expand(own))
        root = graph.credential
    except (_expansion.Unsupported, GraphError):
        return None

    def whole() -> Graph:
        from mcred.jsonld.process import expand_leniently

        try:
            return Graph(expand_leniently(document))
        except InputError as exc:  # valid JSON-LD where the credential's facts are, not elsewhere
            raise GraphError(exc.code, exc.message) from None

    return CredentialFacts(None, root=root, load=whole, text=text)


def text(value: Any) -> str | None:
    """A literal's lexical form, or a node's IRI; None for nothing, or a node without an id."""
    if isinstance(value, Literal):
        return value.lexical
    if isinstance(value, Node):
        return value.iri
    return None


__all__ = ["CredentialFacts", "GraphError", "plain_facts", "read_facts", "text"]
