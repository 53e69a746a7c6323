"""`mcred lint`: each rule fails for its own reason on an otherwise clean ELM credential."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from mcred.cli import app
from mcred.lint import lint_credential
from tests.conftest import load_json, write_json

ROOT = Path(__file__).resolve().parents[2]
CLEAN = load_json(ROOT / "examples" / "elm-microcredential.json")
CLAIM = ("credentialSubject", "hasClaim", 0)
SPEC = (*CLAIM, "specifiedBy")


def at(doc, path):
    for part in path:
        doc = doc[part]
    return doc


def errors(doc):
    return [(p.code, p.path) for p in lint_credential(doc) if p.severity == "error"]


def test_the_example_is_clean():
    assert errors(CLEAN) == []


@pytest.mark.parametrize("path, key, code", [
    (SPEC, "learningOutcome", "ANNEX_OUTCOMES"),
    (SPEC, "mode", "ANNEX_PARTICIPATION"),
    (CLAIM, "title", "ANNEX_TITLE"),
    (CLAIM, "awardedBy", "ANNEX_AWARDING_BODY"),
    ((), "issued", None),  # issuanceDate still dates the credential
])
def test_annex_one_elements(path, key, code):
    doc = copy.deepcopy(CLEAN)
    del at(doc, path)[key]
    found = [c for c, _ in errors(doc)]
    assert (code in found) if code else ("ANNEX_DATE" not in found)


def test_no_workload_at_all():
    doc = copy.deepcopy(CLEAN)
    spec = at(doc, SPEC)
    del spec["creditPoint"], spec["volumeOfLearning"]
    assert ("ANNEX_WORKLOAD", "$.credentialSubject.hasClaim[0].specifiedBy.creditPoint") in errors(doc)


def test_hours_and_credits_disagree():
    doc = copy.deepcopy(CLEAN)
    at(doc, SPEC)["volumeOfLearning"] = "PT80H"   # 2 ECTS mean 50 hours, +/-20 % is 40..60
    assert [c for c, _ in errors(doc)] == ["CREDITS_HOURS_MISMATCH"]


def test_months_are_not_hours():
    doc = copy.deepcopy(CLEAN)
    at(doc, SPEC)["volumeOfLearning"] = "P50M"
    assert ("DURATION_INVALID", "$.credentialSubject.hasClaim[0].specifiedBy.volumeOfLearning") in errors(doc)


def test_eqf_level_out_of_range():
    doc = copy.deepcopy(CLEAN)
    at(doc, SPEC)["eqfLevel"]["id"] = "http://data.europa.eu/snb/eqf/9"
    assert [c for c, _ in errors(doc)] == ["EQF_LEVEL_INVALID"]


def test_codice_fiscale():
    doc = copy.deepcopy(CLEAN)
    doc["credentialSubject"]["nationalID"]["notation"] = "RSSGLI00D52L219X"
    assert [c for c, _ in errors(doc)] == ["CODICE_FISCALE_INVALID"]
    doc = copy.deepcopy(CLEAN)
    doc["credentialSubject"]["dateOfBirth"] = "2001-04-12T00:00:00Z"
    assert [c for c, _ in errors(doc)] == ["CODICE_FISCALE_MISMATCH"]


def test_bad_date():
    doc = copy.deepcopy(CLEAN)
    doc["issued"] = "30/06/2026"
    assert ("DATE_INVALID", "$.issued") in errors(doc)


def test_undefined_term():
    doc = copy.deepcopy(CLEAN)
    doc["credentialSubject"]["shoeSize"] = 42
    assert errors(doc) == [("JSONLD_UNDEFINED_TERM", "$.credentialSubject.shoeSize")]


def test_cli_exit_codes(runner, tmp_path):
    clean = write_json(tmp_path / "clean.json", CLEAN)
    broken = copy.deepcopy(CLEAN)
    at(broken, SPEC)["volumeOfLearning"] = "PT80H"
    dirty = write_json(tmp_path / "dirty.json", broken)
    assert runner.invoke(app, ["lint", str(clean)]).exit_code == 0
    result = runner.invoke(app, ["lint", str(clean), str(dirty)])
    assert result.exit_code == 1 and "CREDITS_HOURS_MISMATCH" in result.stdout
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{")
    assert runner.invoke(app, ["lint", str(garbage)]).exit_code == 3


def test_the_node_walk_visits_every_object_in_document_order():
    from mcred.lint import _nodes, _path

    def reference(value, path="$"):  # the plain recursive walk the stack-based one replaced
        if isinstance(value, dict):
            yield path, value
            for key, item in value.items():
                if key != "@context":
                    yield from reference(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from reference(item, f"{path}[{index}]")

    document = {"@context": [{"x": "https://e.example/x"}], "a": [{"b": {"c": 1}}, [{"d": 2}], "s"],
                "e": {"f": [{"g": None}]}}
    assert [(_path(where), id(node)) for where, node in _nodes(document)] == \
        [(path, id(node)) for path, node in reference(document)]


def test_rule_breakers_are_reported_in_document_order_at_every_place_they_occur():
    """The cheap walk finds the objects that break a rule; the report is what checking every object in
    document order gives, an object that occurs twice (built documents can share one) included."""
    from mcred.lint import _node_rules, _nodes, _path

    doc = copy.deepcopy(CLEAN)
    shared = {"id": "urn:x:shared", "eqfLevel": "http://data.europa.eu/snb/eqf/9"}
    spec = at(doc, SPEC)
    spec["validFrom"] = "yesterday"
    spec["extra"] = [shared, {"nested": {"dateOfBirth": "31/01/2000"}}]
    doc["credentialSubject"]["seeAlso"] = shared
    doc["@context"] = [*doc["@context"], {"issued": {"@id": "https://e.example/not-a-node"}}]  # not walked
    reference = [(p.code, p.path) for where, node in _nodes(doc) for p in _node_rules(_path(where), node)]
    found = [(p.code, p.path) for p in lint_credential(doc, jsonld=False) if not p.code.startswith("ANNEX")]
    assert found == reference
    assert [code for code, _ in found].count("EQF_LEVEL_INVALID") == 2
    assert {"$.credentialSubject.seeAlso.eqfLevel", "$.credentialSubject.hasClaim[0].specifiedBy.extra[0].eqfLevel",
            "$.credentialSubject.hasClaim[0].specifiedBy.extra[1].nested.dateOfBirth",
            "$.credentialSubject.hasClaim[0].specifiedBy.validFrom"} <= {path for _, path in found}
