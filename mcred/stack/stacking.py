"""Stacking: verified micro-credentials combined into a larger credential, with the Italian credit rules.

A stack is an ELM credential whose ``LearningAchievement`` has the components'
achievements as ``hasPart`` and whose ``Qualification`` has their
specifications as ``hasPart``; its credits are the checked sums. Each component
is **bound** by its id and a digest (SHA-256 of its RDFC-1.0 canonical N-Quads,
proof included: it survives any re-serialisation), recorded as an
``Identifier`` of the component's achievement, and the component itself travels
inside the stack as an ``attachment`` (a base64 ``MediaObject``), so the stack
verifies offline as one file. Swapping, editing, adding or dropping a component
changes a digest or the set of attachments, and breaks the stack's own proof.

Credits are ``Decimal``: hours become CFU at 25 hours each; sums never depend
on the order the components are given in (they are sorted by award date and id
before caps are applied).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from mcred.elm import italy, vocab
from mcred.elm.builder import _awarding_process, _concept, _uuid, edc_credential
from mcred.elm.italy import decimal_text
from mcred.elm.lint import ECTS
from mcred.errors import InputError
from mcred.graph import facts
from mcred.graph.nodes import GraphError, Literal
from mcred.report import VerificationReport, VerifyOptions
from mcred.verify.components import DIGEST_SCHEME, is_digest_identifier
from mcred.verify.digest import credential_digest
from mcred.verify.runner import verify_credential

JSON_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/JSON"



@dataclass
class Component:
    """One component credential and what stacking needs from it, read from its signed graph (mcred.graph.facts)."""

    file: str
    document: dict
    report: VerificationReport
    digest: str | None = None
    credential_id: str | None = None
    achievement_id: str | None = None
    spec_id: str | None = None
    #: titles of the achievement and of its specification, by language (from the graph)
    titles: dict = field(default_factory=dict)
    #: what identifies the learner: nationalID (codice fiscale), id (the subject's IRI), name (names, birth date)
    learner: dict = field(default_factory=dict)
    #: what the component counts: credential ids and digests, achievements, specifications (a stack's parts too)
    counts: dict = field(default_factory=dict)
    #: ESCO skills of the specification's learning outcomes
    esco: frozenset = frozenset()
    cfu: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    #: which of the two the credential does not state and was derived at 25 hours per CFU ("cfu", "hours"), if any
    derived: str | None = None
    eqf: int | None = None
    award_date: str = ""
    type: str | None = None
    recognised: Decimal = Decimal(0)
    cut: list[str] = field(default_factory=list)
    #: the component's facts, for copying its outcomes, assessment and learner into the stack
    facts: Any = field(default=None, repr=False)

    def title(self, lang: str = "en") -> str:
        titles = self.titles
        return titles.get(lang) or next(iter(titles.values()), self.credential_id or self.file)


@dataclass(frozen=True)
class StackProblem:
    code: str
    message: str
    component: str | None = None
    severity: str = "error"

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "component": self.component, "severity": self.severity}


@dataclass
class Plan:
    """What a stack would contain and recognise, and every rule it breaks."""

    components: list[Component]
    problems: list[StackProblem] = field(default_factory=list)
    learner_fields: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    total_cfu: Decimal = Decimal(0)
    total_hours: Decimal = Decimal(0)
    recognised_cfu: Decimal = Decimal(0)
    eqf_level: int | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def to_dict(self) -> dict:
        return {
            "format": "mcred-stack-plan/1",
            "ok": self.ok,
            "learner_fields_compared": self.learner_fields,
            "components": [{"file": c.file, "credential_id": c.credential_id, "title": c.title(),
                            "verified": c.report.verified, "type": c.type, "award_date": c.award_date,
                            "cfu": decimal_text(c.cfu), "hours": decimal_text(c.hours), "derived": c.derived,
                            "eqf_level": c.eqf,
                            "recognised_cfu": decimal_text(c.recognised), "cut": c.cut, "digest": c.digest}
                           for c in self.components],
            "requirements": {"covered": self.covered, "missing": self.missing},
            "totals": {"cfu": decimal_text(self.total_cfu), "hours": decimal_text(self.total_hours),
                       "recognised_cfu": decimal_text(self.recognised_cfu)},
            "eqf_level": self.eqf_level,
            "problems": [p.to_dict() for p in self.problems],
        }


def _texts(node, iri: str) -> dict[str, str]:
    """A language-tagged property as {language: text} (several texts in one language joined by "; ")."""
    out: dict[str, list[str]] = {}
    for value in node.values(iri) if node is not None else ():
        if isinstance(value, Literal):
            out.setdefault(value.language or "", []).append(value.lexical)
    return {lang: "; ".join(texts) for lang, texts in out.items()}


def _ects(spec) -> Decimal | None:
    """The ECTS credits a specification states: one credit point in the ECTS framework, a positive number."""
    points = [credit for credit in spec.nodes(facts.CREDIT_POINT)
              if getattr(credit.node(facts.FRAMEWORK), "iri", None) == ECTS]
    if not points:
        return None
    if len(points) > 1:
        raise italy.WorkloadError(f"{len(points)} ECTS credit points are stated; a specification has one")
    point = points[0].literal(facts.POINT)
    try:
        value = Decimal(point.lexical) if point is not None else None
    except InvalidOperation:
        value = None
    if value is None or not (value.is_finite() and value > 0):
        raise italy.WorkloadError(f"credit point {point.lexical if point else None!r} is not a positive number")
    return value


def describe_component(file: str, document: dict, report: VerificationReport) -> Component:
    """Read what stacking needs (identity, credits, hours, level, award date) from a verified ELM credential.

    Everything comes from the credential's signed graph (the report's facts); a property that may have
    one value and has two raises :class:`mcred.graph.nodes.MultipleValues`.
    """
    credential = report.facts
    if credential is None:
        raise InputError("the credential's graph could not be read", file=file)
    claim = credential.claim
    if claim is None:
        raise InputError("the credential states no achievement (credentialSubject.hasClaim)", file=file)
    spec = claim.node(facts.SPECIFIED_BY)
    component = Component(file=file, document=document, report=report, credential_id=credential.id,
                          achievement_id=claim.iri, spec_id=spec.iri if spec is not None else None, facts=credential)
    component.titles = {**_texts(spec, facts.TITLE), **_texts(claim, facts.TITLE)}
    component.learner = _learner(credential.subject)
    hours = None
    if spec is not None:
        volume = spec.literal(facts.VOLUME_OF_LEARNING)
        if volume is not None:
            hours = italy.duration_to_hours(volume.lexical)
    workload = italy.reconcile_workload(cfu=_ects(spec) if spec is not None else None, hours=hours)
    component.cfu, component.hours, component.derived = workload.cfu, workload.hours, workload.derived
    level = spec.node(facts.EQF_LEVEL) if spec is not None else None
    level_id = level.iri if level is not None else None
    if isinstance(level_id, str) and level_id.rsplit("/", 1)[-1].isdigit():
        component.eqf = int(level_id.rsplit("/", 1)[-1])
    awarded = claim.node(facts.AWARDED_BY)
    date = awarded.literal(facts.AWARDING_DATE) if awarded is not None else None
    valid_from = credential.node.literal(facts.VALIDITY[0][1])
    component.award_date = ((date or valid_from).lexical if (date or valid_from) else "")[:10]
    component.esco = frozenset(skill.iri for outcome in (spec.nodes(facts.LEARNING_OUTCOME) if spec else [])
                               for skill in outcome.nodes(facts.RELATED_ESCO_SKILL) if skill.iri)
    component.digest = credential_digest(document)
    component.counts = _counted(component, claim, spec)
    return component


def load_components(paths: list[Path], options: VerifyOptions) -> list[Component]:
    """Read and fully verify each component file (the same report as ``mcred verify``)."""
    from mcred._files import read_input
    from mcred.verify.runner import verify_file

    components = []
    for path in paths:
        # read and parse once; a file that cannot be (unreadable, too large, malformed) gets
        # verify_file's report of why
        try:
            document = json.loads(read_input(path).decode("utf-8"))
        except (InputError, UnicodeDecodeError, ValueError, RecursionError):
            components.append(_describe_or_fail(str(path), {}, verify_file(path, options=options)))
            continue
        report = verify_credential(document, file=str(path), options=options)
        components.append(_describe_or_fail(str(path), document if isinstance(document, dict) else {}, report))
    return components


def _describe_or_fail(file: str, document: dict, report: VerificationReport) -> Component:
    credential_id = report.facts.id if report.facts is not None else None
    if not report.verified:
        return Component(file=file, document=document, report=report, credential_id=credential_id)
    try:
        return describe_component(file, document, report)
    except (italy.ItalianRuleError, InputError, GraphError) as exc:
        component = Component(file=file, document=document, report=report, credential_id=credential_id)
        message = exc.message if isinstance(exc, (InputError, GraphError)) else str(exc)
        component.cut.append(f"unreadable: {message}")
        return component


# --- the rules ------------------------------------------------------------------------------------

_LEARNER_FIELDS = (("nationalID", "nationalID.notation"), ("id", "credentialSubject.id"),
                   ("name", "givenName + familyName + dateOfBirth"))


def _learner(subject) -> dict:
    """What identifies the learner, from the subject's node: national ID, IRI, names and birth date."""
    if subject is None:
        return {}
    national = subject.node(facts.NATIONAL_ID)
    notation = national.literal(facts.NOTATION) if national is not None else None
    names = tuple(tuple(sorted((v.language or "", v.lexical) for v in subject.values(iri) if isinstance(v, Literal)))
                  for iri in (facts.GIVEN_NAME, facts.FAMILY_NAME, facts.DATE_OF_BIRTH))
    return {"nationalID": notation.lexical.upper() if notation is not None else None, "id": subject.iri,
            "name": names if names[0] and names[1] else None}


def check_same_learner(components: list[Component], plan: Plan) -> None:
    """All components belong to one learner: the national ID if all have one, else the subject id, else names."""
    for kind, label in _LEARNER_FIELDS:
        values = [c.learner.get(kind) for c in components]
        if all(v for v in values):
            plan.learner_fields = [label]
            if len(set(values)) > 1:
                first = values[0]
                for component, value in zip(components, values, strict=True):
                    if value != first:
                        plan.problems.append(StackProblem(
                            "STACK_OTHER_LEARNER", f"belongs to another learner ({label} differs from "
                            f"{components[0].file}'s)", component.file))
            return
    plan.problems.append(StackProblem("STACK_LEARNER_UNKNOWN", "the components share no field that identifies "
                                      "the learner (national ID, subject id, or names and birth date)"))


def _counted(component: Component, claim, spec) -> dict[str, set[str]]:
    """The credentials (by id and digest), achievements and specifications a component counts, by IRI;
    a stack's parts included."""
    counted = {"credential": {component.credential_id}, "digest": {component.digest},
               "achievement": {claim.iri}, "specification": {spec.iri if spec is not None else None}}
    for part in claim.nodes(facts.HAS_PART):
        counted["achievement"].add(part.iri)
        for identifier in part.nodes(facts.IDENTIFIER):
            if is_digest_identifier(identifier):
                notation = identifier.literal(facts.NOTATION)
                counted["digest"].add(notation.lexical if notation is not None else None)
                counted["credential"].add((identifier.iri or "").removesuffix("#mcred-digest") or None)
    for part in (spec.nodes(facts.HAS_PART) if spec is not None else []):
        counted["specification"].add(part.iri)
    return {label: {value for value in values if value} for label, values in counted.items()}


def _same_file(a: Component, b: Component) -> bool:
    try:
        return os.path.samefile(a.file, b.file)
    except OSError:
        return False


def check_no_double_counting(components: list[Component], plan: Plan) -> None:
    """The same file or credential twice (however spelt: by id and digest), or two credentials for the same
    achievement or specification.

    A component that is itself a stack counts its parts too, so a stack and one of its own
    components cannot be stacked together.
    """
    seen: dict[tuple[str, str], Component] = {}
    for component in components:
        reported = False
        for label, values in component.counts.items():
            for value in sorted(values):
                first = seen.get((label, value))
                if first is None:
                    seen[(label, value)] = component
                elif first is not component and not reported:
                    what = "file" if _same_file(first, component) else label
                    plan.problems.append(StackProblem(
                        "STACK_DUPLICATE", f"the same {what} ({first.file if what == 'file' else value}) as "
                        f"{first.file}: it would be counted twice", component.file))
                    reported = True


@dataclass(frozen=True)
class Pathway:
    """A target pathway (see schemas/pathway-1.schema.json)."""

    data: dict
    file: str

    def amount(self, *keys) -> Decimal | None:
        value: Any = self.data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return None if value is None else Decimal(str(value))


def load_pathway(path: Path) -> Pathway:
    """Read and validate a pathway file; every problem named with its path and line."""
    from mcred.elm.outcomes import OutcomeFileError, Problem, load_yaml

    data, lines = load_yaml(path)
    from mcred._schema import schema_iter_errors

    problems = [Problem(p, m, lines.get(p)) for p, m in schema_iter_errors(data, "pathway-1.schema.json")]
    if problems:
        raise OutcomeFileError(problems, file=str(path))
    return Pathway(data, str(path))


def _type_of(component: Component, pathway: Pathway | None) -> str | None:
    for kind in (pathway.data.get("types", []) if pathway else []):
        if component.spec_id in kind["specs"]:
            return kind["name"]
    return None


def _matches(component: Component, requirement: dict) -> bool:
    if "spec" in requirement:
        return component.spec_id == requirement["spec"]
    if "title" in requirement:
        titles = [part for text in _all_titles(component) for part in text.split("; ")]
        return requirement["title"].casefold() in (t.casefold() for t in titles)
    return requirement["esco"] in component.esco


def _all_titles(component: Component) -> list[str]:
    if component.facts is None:
        return list(component.titles.values())
    claim = component.facts.claim
    spec = claim.node(facts.SPECIFIED_BY)
    return [*_texts(claim, facts.TITLE).values(), *_texts(spec, facts.TITLE).values()]


def plan_stack(components: list[Component], pathway: Pathway | None = None, *,
               eqf_level: int | None = None) -> Plan:
    """Apply every rule and the pathway's caps; nothing is signed."""
    ordered = sorted(components, key=lambda c: (c.award_date, c.credential_id or "", c.file))
    plan = Plan(components=ordered)
    for component in ordered:
        if not component.report.verified:
            codes = ", ".join(sorted({c.code for c in component.report.failures})) or component.report.outcome
            plan.problems.append(StackProblem("STACK_COMPONENT_INVALID", f"does not verify ({codes})", component.file))
        for reason in component.cut:
            plan.problems.append(StackProblem("STACK_COMPONENT_INVALID", reason, component.file))
        if component.report.verified and component.report.warnings:
            # an issuer not in the trust list, a status that could not be checked: said, and with --strict refused
            codes = ", ".join(sorted({c.code for c in component.report.warnings}))
            plan.problems.append(StackProblem("STACK_COMPONENT_WARNING", f"verified with warnings ({codes})",
                                              component.file, "warning"))
    usable = [c for c in ordered if c.report.verified and c.digest]
    if len(usable) < 2 and not plan.problems:
        plan.problems.append(StackProblem("STACK_TOO_FEW", "a stack needs at least two components"))
    if usable:
        check_same_learner(usable, plan)
        check_no_double_counting(usable, plan)
    plan.total_cfu = sum((c.cfu for c in usable), Decimal(0))
    plan.total_hours = sum((c.hours for c in usable), Decimal(0))
    _recognise(usable, pathway, plan)
    _requirements(usable, pathway, plan)
    _level(usable, pathway, eqf_level, plan)
    return plan


def _recognise(components: list[Component], pathway: Pathway | None, plan: Plan) -> None:
    """Recognised credits after the caps: per type, per calendar year, then in total."""
    type_caps = {kind["name"]: Decimal(str(kind["max_cfu"])) for kind in (pathway.data.get("types", []) if pathway
                                                                           else []) if "max_cfu" in kind}
    per_year = pathway.amount("caps", "per_year_cfu") if pathway else None
    total_cap = pathway.amount("caps", "total_cfu") if pathway else None
    used_type: dict[str, Decimal] = {}
    used_year: dict[str, Decimal] = {}
    used_total = Decimal(0)
    for component in components:
        component.type = _type_of(component, pathway)
        credit = component.cfu
        limits = []
        if component.type in type_caps:
            limits.append((type_caps[component.type] - used_type.get(component.type, Decimal(0)),
                           f"the cap of {decimal_text(type_caps[component.type])} CFU for '{component.type}'"))
        if per_year is not None:
            year = component.award_date[:4]
            limits.append((per_year - used_year.get(year, Decimal(0)),
                           f"the cap of {decimal_text(per_year)} CFU a year ({year})"))
        if total_cap is not None:
            limits.append((total_cap - used_total, f"the total cap of {decimal_text(total_cap)} CFU"))
        recognised = credit
        for room, reason in limits:
            room = max(room, Decimal(0))
            if room < recognised:
                component.cut.append(f"{decimal_text(recognised - room)} CFU cut by {reason}")
                recognised = room
        component.recognised = recognised
        if component.type:
            used_type[component.type] = used_type.get(component.type, Decimal(0)) + recognised
        year = component.award_date[:4]
        used_year[year] = used_year.get(year, Decimal(0)) + recognised
        used_total += recognised
        if recognised < credit:
            plan.problems.append(StackProblem("STACK_CAP_EXCEEDED", "; ".join(component.cut), component.file,
                                              "warning"))
    plan.recognised_cfu = used_total


def _requirements(components: list[Component], pathway: Pathway | None, plan: Plan) -> None:
    for requirement in (pathway.data.get("requires", []) if pathway else []):
        label = next(f"{key} {value}" for key, value in requirement.items())
        if any(_matches(c, requirement) for c in components):
            plan.covered.append(label)
        else:
            plan.missing.append(label)
            plan.problems.append(StackProblem("STACK_REQUIREMENT_MISSING", f"no component provides {label}"))


def _level(components: list[Component], pathway: Pathway | None, eqf_level: int | None, plan: Plan) -> None:
    """The EQF level the stack claims (``--eqf-level``, else the target's): never above the target's, and never
    above every component's unless the pathway says that its level is awarded to the stack as a whole.

    A stack certifies its components' learning: three EQF 5 micro-credentials recognised on access to a
    bachelor's degree (EQF 6) are not EQF 6 learning, and a reader of the stack would take them for it.
    """
    target = pathway.data.get("eqf_level") if pathway else None
    claimed = eqf_level if eqf_level is not None else target
    highest = max((c.eqf for c in components if c.eqf), default=None)
    if claimed is not None and target is not None and claimed > target:
        plan.problems.append(StackProblem("STACK_LEVEL_TOO_HIGH", f"EQF level {claimed} is above the target's "
                                          f"{target}"))
    elif claimed is not None and target is None:
        if highest is None or claimed > highest:
            plan.problems.append(StackProblem("STACK_LEVEL_TOO_HIGH", f"EQF level {claimed} is above every "
                                              f"component's (highest: {highest})"))
    elif claimed is not None and (highest is None or claimed > highest):
        parts = f"every component's (highest: {highest})" if highest else "the components', which state none"
        source = " (the target's)" if eqf_level is None else ""
        if pathway.data.get("eqf_above_parts") is True:
            plan.problems.append(StackProblem(
                "STACK_EQF_ABOVE_PARTS", f"EQF level {claimed} is above {parts}, as the pathway allows "
                "(eqf_above_parts: true)", severity="warning"))
        else:
            lower = f"--eqf-level {highest}" if highest else "a level no higher than the components'"
            plan.problems.append(StackProblem(
                "STACK_EQF_ABOVE_PARTS", f"EQF level {claimed}{source} is above {parts}: the stack would "
                f"claim a level its parts do not have. Claim {lower}, or, if the pathway awards its level to the "
                "stack as a whole, say so in the pathway file (eqf_above_parts: true)"))
    plan.eqf_level = claimed


# --- the stacked credential ------------------------------------------------------------------------


def build_stack_credential(plan: Plan, *, issuer: dict, issuer_did: str, issued: str, title: dict,
                           pathway: Pathway | None = None) -> dict:
    """The unsigned ELM credential of a plan that has no errors.

    What it takes from the components (their specifications' titles, outcomes, modes and
    accreditations, their assessments, the learner) is written from their signed graphs, in
    JSON-LD that means exactly what they say (:func:`mcred.graph.tree.write_exact`).
    """
    if not plan.ok:
        raise InputError("the stack breaks a rule; run with --plan to see which")
    components = plan.components
    copy = _Copier()
    languages = list(title)
    data = {"issuer": issuer, "credential": {"title": title, "languages": languages}}
    digest_of_set = hashlib.sha256("".join(sorted(c.digest for c in components)).encode()).hexdigest()
    cred_id = _uuid("stack", issuer_did, digest_of_set)
    achievement_id = _uuid("stack-achievement", cred_id)
    ects = _concept(vocab.concept("credit_framework", "ects"))
    # the Qualification is worth what its parts are worth (their credits and hours, which agree at 25 hours per
    # CFU); the achievement received what the pathway recognised of them, after its caps
    worth, recognised = decimal_text(plan.total_cfu), decimal_text(plan.recognised_cfu)
    specs = [c.facts.claim.node(facts.SPECIFIED_BY) for c in components]
    spec = {
        "id": (pathway.data.get("id") if pathway else None) or _uuid("stack-qualification", cred_id),
        "type": "Qualification", "title": dict(title),
        "hasPart": [{"id": part.iri, "type": "Qualification",
                     "title": copy.values(part, facts.TITLE, "title") or dict(title)}
                    for part in specs if part is not None and part.iri],
        "creditPoint": [{"id": f"{cred_id}#credits", "type": "CreditPoint", "framework": ects, "point": worth}],
        "volumeOfLearning": italy.hours_to_duration(plan.total_hours),
    }
    # what the components say, gathered, so that the stack carries the Annex I elements too
    for name, iri in (("learningOutcome", facts.LEARNING_OUTCOME), ("mode", facts.ELM + "mode"),
                      ("accreditation", facts.ELM + "accreditation")):
        gathered = copy.nodes(node for part in specs if part is not None for node in part.nodes(iri))
        if gathered:
            spec[name] = gathered
    if pathway is not None:
        spec["additionalNote"] = [{"id": f"{cred_id}#recognition", "type": "Note",
                                   "noteLiteral": recognition_note(plan, pathway)}]
    if plan.eqf_level:
        spec["eqfLevel"] = _concept(vocab.eqf_level(plan.eqf_level))
    if pathway and pathway.data.get("description"):
        spec["description"] = dict(pathway.data["description"])
    achievement = {
        "id": achievement_id, "type": "LearningAchievement", "title": dict(title),
        "awardedBy": _awarding_process(data, achievement_id, issued[:10]),
        "specifiedBy": spec,
        "creditReceived": [{"id": f"{cred_id}#credits-received", "type": "CreditPoint", "framework": ects,
                            "point": recognised}],
        "hasPart": [_bound_part(c, copy) for c in components],
    }
    assessments = copy.nodes(node for c in components for node in c.facts.claim.nodes(facts.ELM + "provenBy"))
    if assessments:
        achievement["provenBy"] = assessments
    learner = components[0].facts.subject
    subject = {key: value for key, value in copy.node(learner).items() if key != "hasClaim"}
    subject["hasClaim"] = [achievement]
    return edc_credential(data, cred_id, issuer_did=issuer_did, issued=issued, valid_from=issued,
                          subject=subject,
                          attachments=[_attachment(c, index) for index, c in enumerate(components, start=1)])


#: when the credits are recognised (the pathway's ``recognition``), in the words of the stack's note
_MOMENTS = {"access": {"en": "on access to a pathway", "it": "all'accesso a un percorso"},
            "within": {"en": "within a pathway", "it": "all'interno di un percorso"},
            "outside": {"en": "outside pathways", "it": "al di fuori dei percorsi"}}


def recognition_note(plan: Plan, pathway: Pathway) -> dict[str, str]:
    """The stack's note on its recognition, in English and Italian (signed: a page in either language shows it)."""
    moment = _MOMENTS[pathway.data["recognition"]]
    recognised, total = decimal_text(plan.recognised_cfu), decimal_text(plan.total_cfu)
    under = pathway.data.get("id", pathway.file)
    return {"en": f"Credits recognised {moment['en']} ({recognised} of {total} CFU), under {under}.",
            "it": f"Crediti riconosciuti {moment['it']} ({recognised} CFU su {total}), secondo {under}."}


class _Copier:
    """Nodes of the components' graphs written for the stack, under the ELM context (mcred.graph.tree.write_exact)."""

    def __init__(self) -> None:
        from mcred.elm.builder import CONTEXT
        from mcred.jsonld.expansion import _initial

        self.mappings = _initial().derive("local", json.dumps(CONTEXT), list(CONTEXT)).mappings

    def node(self, node) -> dict:
        from mcred.graph.tree import write_exact

        return write_exact(node, self.mappings)

    def nodes(self, nodes) -> list:
        """Each node once (by IRI; a blank node by what it says), in the order first met."""
        seen, out = set(), []
        for node in nodes:
            written = self.node(node)
            key = node.iri or json.dumps(written, sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(written)
        return out

    def values(self, node, iri: str, term: str):
        from mcred.graph.tree import ExactWriter

        values = node.values(iri)
        if not values:
            return None
        return ExactWriter(10_000, self.mappings).exact_values(values, self.mappings.get(term) or {})


def _bound_part(component: Component, copy: _Copier) -> dict:
    claim = component.facts.claim
    part = {"id": claim.iri, "type": "LearningAchievement",
            "title": copy.values(claim, facts.TITLE, "title") or {},
            "identifier": [{"id": f"{component.credential_id}#mcred-digest", "type": "Identifier",
                            "notation": component.digest, "schemeName": DIGEST_SCHEME}]}
    awarded = claim.node(facts.AWARDED_BY)
    if awarded is not None:
        part["awardedBy"] = copy.node(awarded)
    if component.recognised:
        part["creditReceived"] = [{"id": f"{claim.iri}#recognised", "type": "CreditPoint",
                                   "framework": _concept(vocab.concept("credit_framework", "ects")),
                                   "point": decimal_text(component.recognised)}]
    return part


def _attachment(component: Component, index: int) -> dict:
    content = json.dumps(component.document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"id": f"{component.credential_id}#mcred-attachment", "type": "MediaObject",
            "title": {"en": f"Component {index}: {component.title('en')}",
                      "it": f"Componente {index}: {component.title('it')}"},
            "content": base64.b64encode(content).decode("ascii"),
            "contentEncoding": _concept(vocab.concept("encoding", "base64")),
            "contentType": {"id": JSON_FILE_TYPE, "type": "Concept", "notation": "JSON",
                            "inScheme": {"id": "http://publications.europa.eu/resource/authority/file-type",
                                         "type": "ConceptScheme"}}}
