"""`mcred lint`: each rule fails for its own reason on an otherwise clean ELM credential."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from mcred.cli.app import app
from mcred.elm.lint import lint_credential
from tests.conftest import load_json, write_json

ROOT = Path(__file__).resolve().parents[3]
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
    assert ("ANNEX_WORKLOAD", "$.credentialSubject.hasClaim.specifiedBy.creditPoint") in errors(doc)


def test_hours_and_credits_disagree():
    doc = copy.deepcopy(CLEAN)
    at(doc, SPEC)["volumeOfLearning"] = "PT80H"   # 2 ECTS mean 50 hours, +/-20 % is 40..60
    assert [c for c, _ in errors(doc)] == ["CREDITS_HOURS_MISMATCH"]


def test_months_are_not_hours():
    doc = copy.deepcopy(CLEAN)
    at(doc, SPEC)["volumeOfLearning"] = "P50M"
    assert ("DURATION_INVALID", "$.credentialSubject.hasClaim.specifiedBy.volumeOfLearning") in errors(doc)


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


def test_each_graph_node_is_checked_once_wherever_the_json_describes_it():
    """An organisation repeated in full under one id is one node: a rule it breaks is reported once, at the
    first path to it; values spread over two objects with one id are read together."""
    doc = copy.deepcopy(CLEAN)
    shared = {"id": "urn:x:shared", "type": "Qualification", "eqfLevel": {"id": "http://data.europa.eu/snb/eqf/9"}}
    spec = at(doc, SPEC)
    spec["hasPart"] = [shared]
    doc["credentialSubject"]["hasClaim"][0]["hasPart"] = [{"id": "urn:x:part", "type": "LearningAchievement",
                                                           "specifiedBy": shared}]
    found = [(p.code, p.path) for p in lint_credential(doc) if p.severity == "error"]
    # reported once, at the first path to it (breadth first, properties in order: hasPart before specifiedBy)
    assert found == [("EQF_LEVEL_INVALID", "$.credentialSubject.hasClaim.hasPart.specifiedBy.eqfLevel")]


def test_a_value_in_another_object_with_the_same_id_is_checked():
    """Moving a bad date into @included, under the credential's own id, does not hide it."""
    doc = copy.deepcopy(CLEAN)
    doc["@context"] = [*doc["@context"], {"@version": 1.1}]
    doc["@included"] = [{"id": doc["id"], "https://www.w3.org/2018/credentials#issued": {
        "@value": "30/06/2026", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}}]
    found = [(p.code, p.path) for p in lint_credential(doc) if p.severity == "error"]
    assert ("DATE_INVALID", "$.issued") in found and ("MULTIPLE_VALUES", "$.issued") in found


def test_two_values_of_a_single_valued_property_are_an_error():
    doc = copy.deepcopy(CLEAN)
    at(doc, SPEC)["volumeOfLearning"] = ["PT50H", "PT48H"]
    found = [(p.code, p.path) for p in lint_credential(doc) if p.severity == "error"]
    assert ("MULTIPLE_VALUES", "$.credentialSubject.hasClaim.specifiedBy.volumeOfLearning") in found


def test_an_award_date_after_the_issuing_date_is_reported_on_a_credential():
    # the awarding process is described twice (in the claim and in its assessment): both are moved
    text = json.dumps(CLEAN).replace('"awardingDate": "2026-06-30T00:00:00Z"', '"awardingDate": "2026-07-02T00:00:00Z"')
    assert "AWARD_DATE_IN_FUTURE" in [code for code, _ in errors(json.loads(text))]


@pytest.mark.parametrize("change, code", [
    (lambda d: d.update(validUntil="2026-06-01T00:00:00Z"), "VALID_UNTIL_BEFORE_AWARD"),
    (lambda d: d["credentialSubject"].update(dateOfBirth="2030-04-12T00:00:00Z"), "DATE_OF_BIRTH_IN_FUTURE"),
    (lambda d: d["credentialSubject"].update(dateOfBirth="1900-04-12T00:00:00Z"), "DATE_OF_BIRTH_IMPLAUSIBLE"),
], ids=["expires-before-award", "born-after-issued", "aged-126"])
def test_dates_issuing_refuses_are_reported_on_a_credential(change, code):
    doc = copy.deepcopy(CLEAN)
    change(doc)
    assert code in [c for c, _ in errors(doc)]
