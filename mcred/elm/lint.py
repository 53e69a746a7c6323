"""``mcred lint``: the rules a micro-credential must meet, checked on any credential file.

For every credential: it is JSON-LD whose terms are all defined and whose IRIs
are absolute. For ELM credentials (``EuropeanDigitalCredential``) also: every
mandatory element of Annex I of the EU Council Recommendation on
micro-credentials (2022/C 243/02) is present, hours and credits agree at 25 hours
per CFU/ECTS (within the ±20 % the Italian rules allow), the EQF level is 1 to
8, durations and dates are ISO 8601, an Italian codice fiscale is well formed
and agrees with the date of birth, and a property that may have one value has one.

Every rule reads the credential's signed graph (:mod:`mcred.graph.facts`), by IRI: a
rule cannot be dodged by spelling a key another way. Each graph node is checked
once, however many JSON objects describe it; a problem's path is the first path
to its node from the credential, under mcred's names for the properties
(``$.credentialSubject.hasClaim.specifiedBy.volumeOfLearning``; ``[i]`` where a
property has several values, in the graph's order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from mcred.dates import parse_datetime
from mcred.elm import italy
from mcred.elm.rules import OLDEST, YOUNGEST, age_on
from mcred.errors import InputError, UnsafeJsonLdError
from mcred.graph import facts as f
from mcred.graph.nodes import MultipleValues, Node, node_paths, term_of
from mcred.report import CLOCK_SKEW

ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
_EQF = re.compile(r"^http://data\.europa\.eu/snb/eqf/([1-8])$")
_ITALY = "http://publications.europa.eu/resource/authority/country/ITA"

FULL_NAME = f.FOAF + "fullName"
LOCATION = f.ELM + "location"
ADDRESS = f.ELM + "address"
COUNTRY_CODE = f.ELM + "countryCode"
AWARDING_BODY = f.ELM + "awardingBody"
PROVEN_BY = f.ELM + "provenBy"
DC_TYPE = f.DC + "type"
MODE = f.ELM + "mode"
ACCREDITATION = f.ELM + "accreditation"
ADDITIONAL_NOTE = f.ELM + "additionalNote"
SPATIAL = f.DC + "spatial"
ISSUED = f.VC + "issued"

#: the date properties a date rule reads: IRI -> name
_DATES = {f.VC + "issued": "issued", f.VC + "issuanceDate": "issuanceDate", f.VC + "validFrom": "validFrom",
          f.VC + "validUntil": "validUntil", f.VC + "expirationDate": "expirationDate",
          f.DATE_OF_BIRTH: "dateOfBirth", f.AWARDING_DATE: "awardingDate", f.DC + "issued": "dateIssued"}
#: properties that may have one value (the VC data model's and the EDC shapes' maximum of one)
SINGLE_VALUED = frozenset({*_DATES, f.ISSUER, f.EQF_LEVEL, f.VOLUME_OF_LEARNING, f.NATIONAL_ID, f.POINT,
                           f.FRAMEWORK, f.SPECIFIED_BY, f.AWARDED_BY})
#: every property a node rule reads: a node with none of them has nothing to check
_RULE_IRIS = frozenset({*SINGLE_VALUED, f.CREDIT_POINT})
#: those the level, workload and codice fiscale rules read
_OTHER_RULE_IRIS = frozenset({f.EQF_LEVEL, f.VOLUME_OF_LEARNING, f.CREDIT_POINT, f.NATIONAL_ID})


@dataclass(frozen=True)
class LintProblem:
    code: str
    path: str
    message: str
    severity: str = "error"  # or "warning"
    #: the line of the path in a YAML file or a roster (a credential's JSON has none)
    line: int | None = None

    def to_dict(self) -> dict:
        data = {"code": self.code, "path": self.path, "message": self.message, "severity": self.severity}
        return data if self.line is None else {**data, "line": self.line}


def as_list(value: Any) -> list:
    """A JSON-LD value as a list: a list as it is, one value in a list, nothing as an empty one."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def lint_credential(document: Any, *, facts: f.CredentialFacts | None = None,
                    dates: bool = True) -> list[LintProblem]:
    """Every problem found, errors and warnings; an empty list means the credential is clean.

    ``facts`` are the document's, when the caller has read its graph already (issuing
    does, and signs from the same expansion): the JSON-LD checks are then left to it.
    ``dates`` False leaves out the rules on how the dates agree (award, expiry, birth):
    issuing checks them on its input instead (:mod:`mcred.elm.rules`, against ``--issued``).
    """
    if not isinstance(document, dict):
        return [LintProblem("JSON_NOT_OBJECT", "$", "a credential must be a JSON object")]
    if facts is None:
        from mcred.graph.nodes import read_graph
        from mcred.jsonld.process import check_contexts, expand_safely

        try:
            check_contexts(document)
            facts = f.read_facts(read_graph(expand_safely(document)))
        except UnsafeJsonLdError as exc:
            return [LintProblem(code, path, detail) for code, path, detail, _ in exc.problems]
        except InputError as exc:
            return [LintProblem(exc.code, exc.path or "$", exc.message)]
        except f.GraphError as exc:
            return [LintProblem(exc.code, "$", exc.message)]
    if not facts.has_type(f.EDC_TYPE):
        return []
    return Linter(facts, dates=dates).problems()


class Linter:
    """The ELM rules over one credential's graph."""

    def __init__(self, facts: f.CredentialFacts, *, dates: bool = True) -> None:
        self.facts = facts
        self.dates = dates
        self.found: list[tuple[Node | None, str, str, str, str]] = []  # (node, property, code, message, severity)
        self._paths: dict | None = None

    def problems(self) -> list[LintProblem]:
        self.annex_one()
        if self.dates:
            self.date_rules()
        # most nodes break no rule, so only those with a property a rule reads are looked at
        for node in self.facts.graph.nodes_with(_RULE_IRIS):
            self.node_rules(node, {prop for fragment in node.fragments for prop in fragment} & _RULE_IRIS)
        return [LintProblem(code, self.path(node, prop), message, severity)
                for node, prop, code, message, severity in self.found]

    def add(self, node: Node | None, prop: str, code: str, message: str, severity: str = "error") -> None:
        self.found.append((node, prop, code, message, severity))

    def path(self, node: Node | None, prop: str) -> str:
        if node is None:
            return prop
        if self._paths is None:
            self._paths = node_paths(self.facts.node)
        where = self._paths.get(node.key, f"$[{node.iri or 'a node without an id'}]")
        return f"{where}.{prop}" if prop else where

    def one(self, node: Node | None, iri: str) -> Any:
        """The value of a single-valued property; None (reported by node_rules) when it has several."""
        if node is None:
            return None
        try:
            return node.one(iri)
        except MultipleValues:
            return None

    def annex_one(self) -> None:
        """Annex I mandatory elements, each looked for where ELM puts it."""
        credential = self.facts.node
        subject = self.one(credential, f.CREDENTIAL_SUBJECT)
        subject = subject if isinstance(subject, Node) else None
        claims = subject.nodes(f.HAS_CLAIM) if subject is not None else []
        learner = subject is not None and bool(
            (subject.values(FULL_NAME) or (subject.values(f.GIVEN_NAME) and subject.values(f.FAMILY_NAME)))
            and (subject.iri or subject.values(f.NATIONAL_ID) or subject.values(f.IDENTIFIER)))
        if not learner:
            self.add(credential, "credentialSubject", "ANNEX_LEARNER",
                     "Annex I element missing: identification of the learner (a name and an identifier)")
        date = credential.values(ISSUED) or credential.values(f.VC + "issuanceDate")
        if not date:
            self.add(credential, "issued", "ANNEX_DATE", "Annex I element missing: date of issuing")
        for claim in claims or [None]:
            self.annex_claim(credential, subject, claim)

    def annex_claim(self, credential: Node, subject: Node | None, claim: Node | None) -> None:
        spec = self.one(claim, f.SPECIFIED_BY)
        spec = spec if isinstance(spec, Node) else None
        awarding = self.one(claim, f.AWARDED_BY)
        bodies = awarding.nodes(AWARDING_BODY) if isinstance(awarding, Node) else []
        assessments = claim.nodes(PROVEN_BY) if claim is not None else []
        issuer = self.one(credential, f.ISSUER)
        at_claim = claim or subject or credential

        def values(node: Node | None, iri: str) -> list:
            return node.values(iri) if node is not None else []

        def has_country(org: Any) -> bool:
            return isinstance(org, Node) and any(address.values(COUNTRY_CODE) for location in org.nodes(LOCATION)
                                                 for address in location.nodes(ADDRESS))

        checks = [
            ("ANNEX_TITLE", at_claim, "title", "title of the micro-credential", bool(values(claim, f.TITLE))),
            ("ANNEX_COUNTRY", credential, "issuer.location", "country of the issuer",
             has_country(issuer) or any(has_country(b) for b in bodies)),
            ("ANNEX_AWARDING_BODY", at_claim, "awardedBy.awardingBody", "awarding body", bool(bodies)),
            ("ANNEX_OUTCOMES", spec or at_claim, "learningOutcome" if spec else "specifiedBy.learningOutcome",
             "learning outcomes", bool(values(spec, f.LEARNING_OUTCOME))),
            ("ANNEX_WORKLOAD", spec or at_claim, "creditPoint" if spec else "specifiedBy.creditPoint",
             "notional workload (credits or volume of learning)",
             bool(values(spec, f.CREDIT_POINT) or values(spec, f.VOLUME_OF_LEARNING))),
            ("ANNEX_ASSESSMENT", at_claim, "provenBy", "type of assessment",
             any(isinstance(how, Node) and how.values(DC_TYPE)
                 for a in assessments for how in [self.one(a, f.SPECIFIED_BY)])),
            ("ANNEX_PARTICIPATION", spec or at_claim, "mode" if spec else "specifiedBy.mode",
             "form of participation (mode of learning)", bool(values(spec, MODE))),
            ("ANNEX_QUALITY_ASSURANCE", spec or at_claim, "accreditation" if spec else "specifiedBy.accreditation",
             "type of quality assurance (an accreditation, or a note)",
             bool(values(spec, ACCREDITATION) or any(b.values(ACCREDITATION) for b in bodies)
                  or values(spec, ADDITIONAL_NOTE))),
        ]
        for code, node, prop, what, present in checks:
            if not present:
                self.add(node, prop, code, f"Annex I element missing: {what}")
        if claim is not None and not values(spec, f.EQF_LEVEL):
            self.add(spec or claim, "eqfLevel" if spec else "specifiedBy.eqfLevel", "ANNEX_LEVEL",
                     "no EQF level (Annex I asks for it where applicable)", "warning")

    def date_rules(self) -> None:
        """The dates issuing refuses (:mod:`mcred.elm.rules`), on the signed graph: award, expiry, birth."""
        credential = self.facts.node
        issued = _when(self.one(credential, ISSUED) or self.one(credential, f.VC + "issuanceDate"))
        until = _when(self.one(credential, f.VC + "validUntil") or self.one(credential, f.VC + "expirationDate"))
        subject = self.one(credential, f.CREDENTIAL_SUBJECT)
        born = _when(self.one(subject, f.DATE_OF_BIRTH)) if isinstance(subject, Node) else None
        awards = [(node, _when(self.one(node, f.AWARDING_DATE))) for node in self.facts.graph.nodes_with(
            frozenset({f.AWARDING_DATE}))]
        for node, award in awards:
            if award is None:
                continue  # not a date: node_rules says so
            if issued is not None and award > issued + CLOCK_SKEW:
                self.add(node, "awardingDate", "AWARD_DATE_IN_FUTURE", f"{award.date().isoformat()} is after the "
                         f"issuing date {issued.date().isoformat()}: a credential cannot be issued before it is "
                         "awarded")
            if until is not None and until < award:
                self.add(node, "awardingDate", "VALID_UNTIL_BEFORE_AWARD", f"{award.date().isoformat()} is after "
                         f"the credential's validUntil {until.date().isoformat()}")
        if born is None or not isinstance(subject, Node):
            return
        award = min((when for _, when in awards if when is not None), default=None)
        for when, what in ((issued, "the issuing date"), (award, "the award date")):
            if when is not None and born > when:
                self.add(subject, "dateOfBirth", "DATE_OF_BIRTH_IN_FUTURE", f"{born.date().isoformat()} is after "
                         f"{what} {when.date().isoformat()}")
                return
        if award is not None and not YOUNGEST <= age_on(born.date(), award.date()) <= OLDEST:
            self.add(subject, "dateOfBirth", "DATE_OF_BIRTH_IMPLAUSIBLE", f"born {born.date().isoformat()}, the "
                     f"learner would be {age_on(born.date(), award.date())} at the award date "
                     f"{award.date().isoformat()} (mcred takes {YOUNGEST} to {OLDEST} as plausible)")

    def node_rules(self, node: Node, present: set) -> None:
        """The rules on one node; ``present`` are the properties of it that a rule reads."""
        for prop in sorted(present & SINGLE_VALUED):
            if len(node.values(prop)) > 1:
                try:
                    node.one(prop)
                except MultipleValues as exc:
                    self.add(node, term_of(prop), exc.code, exc.message)
        for iri in sorted(present.intersection(_DATES)):
            for value in node.values(iri):
                if parse_datetime(_lexical(value)) is None:
                    self.add(node, _DATES[iri], "DATE_INVALID", f"{_lexical(value)!r} is not an ISO 8601 date-time")
        if not present.isdisjoint(_OTHER_RULE_IRIS):
            self.workload_rules(node)

    def workload_rules(self, node: Node) -> None:
        level = self.one(node, f.EQF_LEVEL)
        if level is not None and not _EQF.match(_lexical(level) or ""):
            self.add(node, "eqfLevel", "EQF_LEVEL_INVALID", f"{_lexical(level)!r} is not an EQF level 1 to 8")
        hours = None
        volume = self.one(node, f.VOLUME_OF_LEARNING)
        if volume is not None:
            try:
                hours = italy.duration_to_hours(_lexical(volume))
            except italy.ItalianRuleError as exc:
                self.add(node, "volumeOfLearning", "DURATION_INVALID", str(exc))
        cfu = ects_points(node)
        if isinstance(cfu, str):
            self.add(node, "creditPoint", "CREDITS_INVALID", cfu)
        elif cfu is not None and hours is not None:
            try:
                italy.reconcile_workload(cfu=cfu, hours=hours)
            except italy.ItalianRuleError as exc:
                self.add(node, "volumeOfLearning", "CREDITS_HOURS_MISMATCH", str(exc))
        national = self.one(node, f.NATIONAL_ID)
        if isinstance(national, Node):
            self.codice_fiscale(node, national)

    def codice_fiscale(self, person: Node, national: Node) -> None:
        spatial = self.one(national, SPATIAL)
        if _lexical(spatial) != _ITALY:
            return
        notation = _lexical(self.one(national, f.NOTATION))
        try:
            code = italy.check_codice_fiscale(notation or "")
        except italy.ItalianRuleError as exc:
            self.add(national, "notation", "CODICE_FISCALE_INVALID", f"{notation!r}: {exc}")
            return
        born = parse_datetime(_lexical(self.one(person, f.DATE_OF_BIRTH)))
        for mismatch in italy.codice_fiscale_matches(code, date_of_birth=born.date() if born else None):
            self.add(person, "dateOfBirth", "CODICE_FISCALE_MISMATCH", mismatch)


def _when(value: Any) -> datetime | None:
    """A date-time literal (or an xsd:date, as midnight UTC) as an aware datetime, else None."""
    text = _lexical(value) if value is not None else None
    if text is not None and len(text) == 10:
        text += "T00:00:00Z"
    return parse_datetime(text)


def _lexical(value: Any) -> str | None:
    """A literal's lexical form, or a node's IRI (where a rule finds a node, its IRI is what it checks)."""
    return f.text(value)


def ects_points(node: Node) -> Decimal | str | None:
    """The ECTS credit points of a specification; a message when they are not a positive number."""
    for credit in node.nodes(f.CREDIT_POINT):
        framework = credit.values(f.FRAMEWORK)
        if not any(getattr(value, "iri", None) == ECTS for value in framework):
            continue
        points = credit.values(f.POINT)
        point = _lexical(points[0]) if len(points) == 1 else None
        try:
            value = Decimal(point) if point is not None else None
        except InvalidOperation:
            value = None
        if value is None:
            return f"credit point {point!r} is not a number"
        if not (value.is_finite() and value > 0):
            return f"credit point {point!r} is not positive"
        return value
    return None
