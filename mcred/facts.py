"""What a credential says that mcred judges and shows, read from its signed graph by IRI.

One object, :class:`CredentialFacts`, made from the graph of a document
(:mod:`mcred.graph`): the credential's id, its issuer, its validity dates, its
status entries, its subject and achievement, and (for views, lint and stacking)
the credential written out under mcred's names (:attr:`CredentialFacts.tree`).
Every verdict of :mod:`mcred.verify`, every rule of :mod:`mcred.stack` and
:mod:`mcred.lint`, and every view reads from here, never from a JSON key. A
property that may have one value and has two raises
:class:`mcred.graph.MultipleValues` when it is read: mcred never takes "the
first" of values that have no order.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from .graph import VC, Graph, GraphError, Literal, Node

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

    Made with :func:`read_facts`; raises :class:`mcred.graph.GraphError` when the
    graph holds no credential, or more than one.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        #: the credential's node
        self.node: Node = graph.credential

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
        return self.node.node(ISSUER)

    def date(self, iri: str) -> Literal | Node | None:
        """One validity date (a literal, or whatever the graph holds there); MultipleValues if two."""
        return self.node.one(iri)

    @property
    def subject(self) -> Node | None:
        """The credential's subject (MultipleValues when it has several: mcred reads one learner's)."""
        return self.node.node(CREDENTIAL_SUBJECT)

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
        """Whether the achievement has parts (``hasPart``), as a stack's has: a cheap test before the
        stacking rules are loaded. True also when the graph has several achievements (the rules say why)."""
        try:
            claim = self.claim
        except GraphError:
            return True
        return bool(claim is not None and claim.values(HAS_PART))

    @cached_property
    def tree(self) -> dict:
        """The credential as plain JSON under mcred's names (:meth:`mcred.graph.Node.tree`), for views and lint."""
        return self.node.tree()


def read_facts(graph: Graph) -> CredentialFacts:
    """The facts of the credential in ``graph``; GraphError when it holds no credential, or several."""
    return CredentialFacts(graph)


def text(value: Any) -> str | None:
    """A literal's lexical form, or a node's IRI; None for nothing, or a node without an id."""
    if isinstance(value, Literal):
        return value.lexical
    if isinstance(value, Node):
        return value.iri
    return None


__all__ = ["CredentialFacts", "GraphError", "read_facts", "text"]
