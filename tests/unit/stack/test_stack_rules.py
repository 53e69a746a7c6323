"""Stacking arithmetic: exact decimals, hours to CFU, per-type, per-year and total caps, order-independence."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mcred.report import VerificationReport
from mcred.stack.stacking import Component, Pathway, plan_stack


def component(number: int, cfu: str, *, hours: str | None = None, year: int = 2026, spec: str | None = None,
              learner: str = "RSSGLI00D52L219I") -> Component:
    report = VerificationReport(file=f"c{number}.json")
    spec = spec or f"urn:spec{number}"
    counts = {"credential": {f"urn:uuid:c{number}"}, "digest": {f"d{number}"}, "achievement": {f"urn:a{number}"},
              "specification": {spec}}
    return Component(file=f"c{number}.json", document={}, report=report, digest=f"d{number}",
                     credential_id=f"urn:uuid:c{number}", achievement_id=f"urn:a{number}", spec_id=spec,
                     titles={"en": "x"}, learner={"nationalID": learner}, counts=counts, cfu=Decimal(cfu),
                     hours=Decimal(hours) if hours else Decimal(cfu) * 25, award_date=f"{year}-06-30")


def pathway(**data) -> Pathway:
    return Pathway({"mcred": "pathway/1", "title": {"en": "t"}, "recognition": "within", **data}, "p.yaml")


def test_fractional_credits_sum_exactly():
    plan = plan_stack([component(1, "0.1"), component(2, "0.2"), component(3, "1.5")])
    assert plan.total_cfu == Decimal("1.8")            # not 1.8000000000000003
    assert plan.total_hours == Decimal("45")           # 2.5 + 5 + 37.5 hours
    assert plan.recognised_cfu == Decimal("1.8") and plan.ok


def test_the_sixty_credits_a_year_rule():
    caps = pathway(caps={"per_year_cfu": 60})
    plan = plan_stack([component(1, "40", year=2025), component(2, "30", year=2025), component(3, "30", year=2026)],
                      caps)
    assert plan.recognised_cfu == Decimal("90")        # 60 in 2025 (10 cut), 30 in 2026
    assert [str(c.recognised) for c in plan.components] == ["40", "20", "30"]
    assert [p.code for p in plan.problems] == ["STACK_CAP_EXCEEDED"]
    assert "60 CFU a year (2025)" in plan.problems[0].message


def test_per_type_and_total_caps():
    rules = pathway(types=[{"name": "caratterizzanti", "max_cfu": 24, "specs": ["urn:core1", "urn:core2"]},
                           {"name": "di base", "max_cfu": 0, "specs": ["urn:base"]}],
                    caps={"total_cfu": 30})
    plan = plan_stack([component(1, "20", spec="urn:core1"), component(2, "10", spec="urn:core2"),
                       component(3, "6", spec="urn:base"), component(4, "12")], rules)
    by_spec = {c.spec_id: c.recognised for c in plan.components}
    assert by_spec == {"urn:core1": 20, "urn:core2": 4, "urn:base": 0, "urn:spec4": 6}
    assert plan.recognised_cfu == Decimal("30")
    assert len([p for p in plan.problems if p.code == "STACK_CAP_EXCEEDED"]) == 3


def test_other_learner_and_duplicates():
    plan = plan_stack([component(1, "1"), component(2, "1", learner="BNCMRC99A15L219X")])
    assert [p.code for p in plan.problems] == ["STACK_OTHER_LEARNER"]
    assert plan.learner_fields == ["nationalID.notation"]
    plan = plan_stack([component(1, "1", spec="urn:same"), component(2, "1", spec="urn:same")])
    assert [p.code for p in plan.problems] == ["STACK_DUPLICATE"] and "specification" in plan.problems[0].message


def test_requirements_and_level():
    rules = pathway(eqf_level=5, requires=[{"spec": "urn:spec1"}, {"spec": "urn:absent"}])
    plan = plan_stack([component(1, "1"), component(2, "1")], rules, eqf_level=6)
    assert sorted(p.code for p in plan.problems) == ["STACK_LEVEL_TOO_HIGH", "STACK_REQUIREMENT_MISSING"]
    assert plan.covered == ["spec urn:spec1"] and plan.missing == ["spec urn:absent"]


def levelled(*levels: int) -> list[Component]:
    parts = [component(number, "2") for number in range(1, len(levels) + 1)]
    for part, level in zip(parts, levels, strict=True):
        part.eqf = level
    return parts


def test_a_level_above_every_part_is_refused_with_the_reason():
    """Negative: EQF 6 (the target's) from three EQF 5 parts would claim a level the parts do not have."""
    plan = plan_stack(levelled(5, 5, 5), pathway(eqf_level=6))
    (problem,) = plan.problems
    assert (problem.code, problem.severity) == ("STACK_EQF_ABOVE_PARTS", "error") and not plan.ok
    assert "EQF level 6 (the target's) is above every component's (highest: 5)" in problem.message
    assert "--eqf-level 5" in problem.message and "eqf_above_parts: true" in problem.message
    plan = plan_stack(levelled(5, 5, 5), pathway(eqf_level=6), eqf_level=5)    # claiming the parts' level is fine
    assert plan.ok and not plan.problems and plan.eqf_level == 5
    assert plan_stack(levelled(5, 6), pathway(eqf_level=6)).problems == []    # one part at the level is enough


def test_a_pathway_that_awards_its_level_makes_it_a_warning():
    plan = plan_stack(levelled(5, 5, 5), pathway(eqf_level=6, eqf_above_parts=True))
    (problem,) = plan.problems
    assert (problem.code, problem.severity) == ("STACK_EQF_ABOVE_PARTS", "warning") and plan.ok
    assert "as the pathway allows (eqf_above_parts: true)" in problem.message
    assert plan.eqf_level == 6


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("30"), places=2)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(amounts, st.integers(min_value=2024, max_value=2027)), min_size=1, max_size=8),
       st.randoms(use_true_random=False))
def test_sums_never_depend_on_component_order(credits, random):
    rules = pathway(caps={"per_year_cfu": 20, "total_cfu": 45},
                    types=[{"name": "t", "max_cfu": 7, "specs": ["urn:spec0", "urn:spec2"]}])

    def build():
        return [component(i, str(cfu), year=year) for i, (cfu, year) in enumerate(credits)]

    first = plan_stack(build(), rules)
    shuffled = build()
    random.shuffle(shuffled)
    second = plan_stack(shuffled, rules)
    assert (first.total_cfu, first.total_hours, first.recognised_cfu) == (
        second.total_cfu, second.total_hours, second.recognised_cfu)
    assert sum(c.cfu for c in build()) == first.total_cfu
    assert first.recognised_cfu <= min(first.total_cfu, Decimal(45))
