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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import italy, vocab
from .elm import _awarding_process, _concept, _uuid, edc_credential
from .errors import InputError
from .italy import decimal_text
from .lint import as_list, ects_points
from .verify import CheckResult, Status, VerificationReport, VerifyOptions, verify_credential

DIGEST_SCHEME = "mcred component digest: SHA-256 of the RDFC-1.0 canonical N-Quads, proof included"
JSON_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/JSON"
MAX_DEPTH = 4  # a stack of stacks of ... at most this deep

#: Italian templates of the `components` check (see mcred.messages)
MESSAGES_IT: dict[str, tuple[str, str | None]] = {
    "STACK_COMPONENTS_OK": ("tutti i {count} componenti sono verificati e sono quelli su cui la pila è stata "
                            "firmata", None),
    "STACK_TOO_DEEP": ("pile annidate oltre {limit} livelli", None),
    "STACK_ATTACHMENT_UNREADABLE": ("l'allegato {index} non è una credenziale JSON in base64", None),
    "STACK_COMPONENT_NOT_BOUND": ("il componente {id} non è tra quelli su cui la pila è stata firmata "
                                  "(sostituito, modificato o aggiunto)", None),
    "STACK_COMPONENT_INVALID": ("il componente {id} non è verificato ({codes})", None),
    "STACK_COMPONENT_MISSING": ("il componente vincolato {id} manca dal file (rimosso)", None),
}


@dataclass
class Component:
    """One component credential and what stacking needs from it."""

    file: str
    document: dict
    report: VerificationReport
    digest: str | None = None
    credential_id: str | None = None
    achievement: dict = field(default_factory=dict)
    spec: dict = field(default_factory=dict)
    cfu: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    eqf: int | None = None
    award_date: str = ""
    type: str | None = None
    recognised: Decimal = Decimal(0)
    cut: list[str] = field(default_factory=list)

    def title(self, lang: str = "en") -> str:
        title = self.achievement.get("title") or {}
        return title.get(lang) or next(iter(title.values()), self.credential_id or self.file)


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
                            "cfu": decimal_text(c.cfu), "hours": decimal_text(c.hours), "eqf_level": c.eqf,
                            "recognised_cfu": decimal_text(c.recognised), "cut": c.cut, "digest": c.digest}
                           for c in self.components],
            "requirements": {"covered": self.covered, "missing": self.missing},
            "totals": {"cfu": decimal_text(self.total_cfu), "hours": decimal_text(self.total_hours),
                       "recognised_cfu": decimal_text(self.recognised_cfu)},
            "eqf_level": self.eqf_level,
            "problems": [p.to_dict() for p in self.problems],
        }


def component_digest(document: dict) -> str:
    """SHA-256 (hex) of the credential's RDFC-1.0 canonical N-Quads, its proofs included.

    mcred's one notion of a credential's digest (:func:`mcred.digest.credential_digest`),
    also carried by a rendered page's QR code.
    """
    from .digest import credential_digest

    return credential_digest(document)


def _claim(document: dict) -> dict:
    subject = document.get("credentialSubject")
    claims = as_list(subject.get("hasClaim")) if isinstance(subject, dict) else []
    return claims[0] if claims and isinstance(claims[0], dict) else {}


def _ects(spec: dict) -> Decimal | None:
    points = ects_points(spec)
    if isinstance(points, str):
        raise italy.WorkloadError(points)
    return points


def describe_component(file: str, document: dict, report: VerificationReport) -> Component:
    """Read what stacking needs (credits, hours, level, award date) from a verified ELM credential."""
    component = Component(file=file, document=document, report=report, credential_id=document.get("id"))
    component.achievement = _claim(document)
    spec = component.achievement.get("specifiedBy")
    component.spec = spec if isinstance(spec, dict) else {}
    hours = None
    if "volumeOfLearning" in component.spec:
        hours = italy.duration_to_hours(component.spec["volumeOfLearning"])
    workload = italy.reconcile_workload(cfu=_ects(component.spec), hours=hours)
    component.cfu, component.hours = workload.cfu, workload.hours
    level = component.spec.get("eqfLevel")
    level_id = level.get("id") if isinstance(level, dict) else None
    if isinstance(level_id, str) and level_id.rsplit("/", 1)[-1].isdigit():
        component.eqf = int(level_id.rsplit("/", 1)[-1])
    awarded = component.achievement.get("awardedBy")
    date = awarded.get("awardingDate") if isinstance(awarded, dict) else None
    component.award_date = (date or document.get("validFrom") or "")[:10]
    component.digest = component_digest(document)
    return component


def load_components(paths: list[Path], options: VerifyOptions) -> list[Component]:
    """Read and fully verify each component file (the same report as ``mcred verify``)."""
    from ._files import read_input
    from .verify import verify_credential, verify_file

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
    if not report.verified:
        return Component(file=file, document=document, report=report, credential_id=document.get("id"))
    try:
        return describe_component(file, document, report)
    except (italy.ItalianRuleError, InputError) as exc:
        component = Component(file=file, document=document, report=report, credential_id=document.get("id"))
        component.cut.append(f"unreadable workload: {exc}")
        return component


# --- the rules ------------------------------------------------------------------------------------

_LEARNER_FIELDS = (("nationalID", "nationalID.notation"), ("id", "credentialSubject.id"),
                   ("name", "givenName + familyName + dateOfBirth"))


def _learner_value(document: dict, kind: str):
    subject = document.get("credentialSubject") if isinstance(document.get("credentialSubject"), dict) else {}
    if kind == "nationalID":
        national = subject.get("nationalID")
        return national.get("notation", "").upper() if isinstance(national, dict) else None
    if kind == "id":
        return subject.get("id")
    names = tuple(json.dumps(subject.get(k), sort_keys=True) for k in ("givenName", "familyName", "dateOfBirth"))
    return names if all(n != "null" for n in names[:2]) else None


def check_same_learner(components: list[Component], plan: Plan) -> None:
    """All components belong to one learner: the national ID if all have one, else the subject id, else names."""
    for kind, label in _LEARNER_FIELDS:
        values = [_learner_value(c.document, kind) for c in components]
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


def _counted(component: Component) -> dict[str, set[str]]:
    """The credentials, achievements and specifications a component counts, a stack's parts included."""
    counted = {"credential": {component.credential_id}, "achievement": {component.achievement.get("id")},
               "specification": {component.spec.get("id")}}
    for part in as_list(component.achievement.get("hasPart")):
        if isinstance(part, dict):
            counted["achievement"].add(part.get("id"))
            for identifier in as_list(part.get("identifier")):
                if isinstance(identifier, dict) and identifier.get("schemeName") == DIGEST_SCHEME:
                    counted["credential"].add(str(identifier.get("id", "")).removesuffix("#mcred-digest"))
    for part in as_list(component.spec.get("hasPart")):
        if isinstance(part, dict):
            counted["specification"].add(part.get("id"))
    return {label: {value for value in values if value} for label, values in counted.items()}


def check_no_double_counting(components: list[Component], plan: Plan) -> None:
    """The same credential twice, or two credentials for the same achievement or specification.

    A component that is itself a stack counts its parts too, so a stack and one of its own
    components cannot be stacked together.
    """
    seen: dict[tuple[str, str], str] = {}
    for component in components:
        reported = False
        for label, values in _counted(component).items():
            for value in sorted(values):
                first = seen.get((label, value))
                if first is None:
                    seen[(label, value)] = component.file
                elif first != component.file and not reported:
                    plan.problems.append(StackProblem(
                        "STACK_DUPLICATE", f"the same {label} ({value}) as {first}: it would be counted twice",
                        component.file))
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
    from .outcomes import OutcomeFileError, Problem, load_yaml

    data, lines = load_yaml(path)
    from ._schema import schema_iter_errors

    problems = [Problem(p, m, lines.get(p)) for p, m in schema_iter_errors(data, "pathway-1.schema.json")]
    if problems:
        raise OutcomeFileError(problems, file=str(path))
    return Pathway(data, str(path))


def _type_of(component: Component, pathway: Pathway | None) -> str | None:
    for kind in (pathway.data.get("types", []) if pathway else []):
        if component.spec.get("id") in kind["specs"]:
            return kind["name"]
    return None


def _matches(component: Component, requirement: dict) -> bool:
    if "spec" in requirement:
        return component.spec.get("id") == requirement["spec"]
    if "title" in requirement:
        titles = list((component.spec.get("title") or {}).values()) + list(
            (component.achievement.get("title") or {}).values())
        return requirement["title"].casefold() in (t.casefold() for t in titles)
    skills = [skill.get("id") for outcome in as_list(component.spec.get("learningOutcome")) if isinstance(outcome, dict)
              for skill in as_list(outcome.get("relatedESCOSkill")) if isinstance(skill, dict)]
    return requirement["esco"] in skills


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
    target = pathway.data.get("eqf_level") if pathway else None
    claimed = eqf_level if eqf_level is not None else target
    if claimed is not None and target is not None and claimed > target:
        plan.problems.append(StackProblem("STACK_LEVEL_TOO_HIGH", f"EQF level {claimed} is above the target's "
                                          f"{target}"))
    if claimed is not None and target is None:
        highest = max((c.eqf for c in components if c.eqf), default=None)
        if highest is None or claimed > highest:
            plan.problems.append(StackProblem("STACK_LEVEL_TOO_HIGH", f"EQF level {claimed} is above every "
                                              f"component's (highest: {highest})"))
    plan.eqf_level = claimed


# --- the stacked credential ------------------------------------------------------------------------


def build_stack_credential(plan: Plan, *, issuer: dict, issuer_did: str, issued: str, title: dict,
                           pathway: Pathway | None = None) -> dict:
    """The unsigned ELM credential of a plan that has no errors."""
    if not plan.ok:
        raise InputError("the stack breaks a rule; run with --plan to see which")
    components = plan.components
    languages = list(title)
    data = {"issuer": issuer, "credential": {"title": title, "languages": languages}}
    digest_of_set = hashlib.sha256("".join(sorted(c.digest for c in components)).encode()).hexdigest()
    cred_id = _uuid("stack", issuer_did, digest_of_set)
    achievement_id = _uuid("stack-achievement", cred_id)
    ects = _concept(vocab.concept("credit_framework", "ects"))
    credits = decimal_text(plan.recognised_cfu)
    spec = {
        "id": (pathway.data.get("id") if pathway else None) or _uuid("stack-qualification", cred_id),
        "type": "Qualification", "title": dict(title),
        "hasPart": [{"id": c.spec["id"], "type": "Qualification", "title": dict(c.spec.get("title") or title)}
                    for c in components if c.spec.get("id")],
        "creditPoint": [{"id": f"{cred_id}#credits", "type": "CreditPoint", "framework": ects, "point": credits}],
        "volumeOfLearning": italy.hours_to_duration(plan.total_hours),
    }
    # what the components say, gathered, so that the stack carries the Annex I elements too
    for name in ("learningOutcome", "mode", "accreditation"):
        gathered = _union(as_list(c.spec.get(name)) for c in components)
        if gathered:
            spec[name] = gathered
    if pathway is not None:
        moment = {"access": "on access to a pathway", "within": "within a pathway",
                  "outside": "outside pathways"}[pathway.data["recognition"]]
        spec["additionalNote"] = [{"id": f"{cred_id}#recognition", "type": "Note", "noteLiteral": {
            "en": f"Credits recognised {moment} ({decimal_text(plan.recognised_cfu)} of "
                  f"{decimal_text(plan.total_cfu)} CFU), under {pathway.data.get('id', pathway.file)}."}}]
    if plan.eqf_level:
        spec["eqfLevel"] = _concept(vocab.eqf_level(plan.eqf_level))
    if pathway and pathway.data.get("description"):
        spec["description"] = dict(pathway.data["description"])
    achievement = {
        "id": achievement_id, "type": "LearningAchievement", "title": dict(title),
        "awardedBy": _awarding_process(data, achievement_id, issued[:10]),
        "specifiedBy": spec,
        "creditReceived": [{"id": f"{cred_id}#credits-received", "type": "CreditPoint", "framework": ects,
                            "point": credits}],
        "hasPart": [_bound_part(c) for c in components],
    }
    assessments = _union(as_list(c.achievement.get("provenBy")) for c in components)
    if assessments:
        achievement["provenBy"] = assessments
    subject = json.loads(json.dumps(components[0].document["credentialSubject"]))
    subject = {k: v for k, v in subject.items() if k != "hasClaim"}
    subject["hasClaim"] = [achievement]
    return edc_credential(data, cred_id, issuer_did=issuer_did, issued=issued, valid_from=issued,
                          subject=subject,
                          attachments=[_attachment(c, index) for index, c in enumerate(components, start=1)])


def _union(groups) -> list:
    """Nodes from several components, each once (by id, else by content), copied."""
    seen, out = set(), []
    for group in groups:
        for node in group:
            key = node.get("id") if isinstance(node, dict) and node.get("id") else json.dumps(node, sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(json.loads(json.dumps(node)))
    return out


def _bound_part(component: Component) -> dict:
    achievement = component.achievement
    part = {"id": achievement["id"], "type": "LearningAchievement", "title": dict(achievement.get("title") or {}),
            "awardedBy": json.loads(json.dumps(achievement["awardedBy"])),
            "identifier": [{"id": f"{component.credential_id}#mcred-digest", "type": "Identifier",
                            "notation": component.digest, "schemeName": DIGEST_SCHEME}]}
    if component.recognised:
        part["creditReceived"] = [{"id": f"{achievement['id']}#recognised", "type": "CreditPoint",
                                   "framework": _concept(vocab.concept("credit_framework", "ects")),
                                   "point": decimal_text(component.recognised)}]
    return part


def _attachment(component: Component, index: int) -> dict:
    content = json.dumps(component.document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"id": f"{component.credential_id}#mcred-attachment", "type": "MediaObject",
            "title": {"en": f"Component {index}: {component.title('en')}"},
            "content": base64.b64encode(content).decode("ascii"),
            "contentEncoding": _concept(vocab.concept("encoding", "base64")),
            "contentType": {"id": JSON_FILE_TYPE, "type": "Concept", "notation": "JSON",
                            "inScheme": {"id": "http://publications.europa.eu/resource/authority/file-type",
                                         "type": "ConceptScheme"}}}


# --- verifying a stack -----------------------------------------------------------------------------


def is_stack(document: dict) -> bool:
    """A credential that binds components: a hasPart achievement with an mcred digest identifier."""
    return bool(_bound_digests(document))


def _bound_digests(document: dict) -> dict[str, dict]:
    bound = {}
    for part in as_list(_claim(document).get("hasPart")):
        for identifier in as_list(part.get("identifier") if isinstance(part, dict) else None):
            if isinstance(identifier, dict) and identifier.get("schemeName") == DIGEST_SCHEME:
                bound[str(identifier.get("notation"))] = {"part": part, "identifier": identifier}
    return bound


def check_components(document: dict, options: VerifyOptions, depth: int, report: VerificationReport,
                     now=None) -> list[CheckResult]:
    """Re-verify every bound component (recursively) and the binding; nested reports go in ``report``."""
    def result(status: Status, code: str, message: str, path: str = "$.attachment", **params) -> CheckResult:
        return CheckResult("components", status, message, code, path, None, params)

    if depth >= MAX_DEPTH:
        return [result(Status.FAILED, "STACK_TOO_DEEP", f"stacks nested more than {MAX_DEPTH} deep", limit=MAX_DEPTH)]
    bound = _bound_digests(document)
    results: list[CheckResult] = []
    seen: set[str] = set()
    components = []
    for index, attachment in enumerate(as_list(document.get("attachment"))):
        path = f"$.attachment[{index}]"
        try:
            component = json.loads(base64.b64decode(attachment["content"], validate=True))
        except (KeyError, TypeError, ValueError):
            results.append(result(Status.FAILED, "STACK_ATTACHMENT_UNREADABLE", "an attachment is not a "
                                  "base64 JSON credential", path, index=index))
            continue
        nested = verify_credential(component, now=now, file=f"{path} {component.get('id', '')}".strip(),
                                   options=options, _depth=depth + 1)
        report.components.append(nested)
        try:
            digest = component_digest(component)
        except InputError:
            digest = None
        if digest not in bound:
            results.append(result(Status.FAILED, "STACK_COMPONENT_NOT_BOUND", f"component {component.get('id')} is "
                                  "not one the stack was signed over (swapped, edited or added)", path,
                                  id=str(component.get("id"))))
            continue
        seen.add(digest)
        components.append(nested)
        if not nested.verified:
            codes = ", ".join(sorted({c.code for c in nested.failures})) or nested.outcome
            results.append(result(Status.FAILED, "STACK_COMPONENT_INVALID", f"component {component.get('id')} does "
                                  f"not verify ({codes})", path, id=str(component.get("id")), codes=codes))
    for digest, entry in bound.items():
        if digest not in seen:
            results.append(result(Status.FAILED, "STACK_COMPONENT_MISSING", f"the bound component "
                                  f"{entry['identifier'].get('id', '').removesuffix('#mcred-digest')} is not "
                                  "in the file (dropped)", "$.credentialSubject.hasClaim[0].hasPart",
                                  id=entry["identifier"].get("id", "")))
    if not results:
        results.append(result(Status.PASSED, "STACK_COMPONENTS_OK", f"all {len(bound)} components verify and are "
                              "the ones the stack was signed over", count=len(bound)))
    return results
