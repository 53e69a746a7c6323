"""One test per documented departure from DC4EU's EUHEMC files (docs/issue.md, "ELM 3.2 on VC 2.0 (EUHEMC)"):
each shows the contradiction in the published files themselves, and what mcred does instead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import referencing.exceptions

from mcred._schema import third_party_problems
from mcred.elm import euhemc_validation as v
from mcred.elm.euhemc import CONTEXTS, EDC_AP_CONTEXT, VC2_CONTEXT
from mcred.errors import InputError
from mcred.jsonld.process import expand_safely

ROOT = Path(__file__).resolve().parents[2]
DC4EU_EXAMPLE = ROOT / "tests" / "assets" / "euhemc" / "euhemc-unsigned.json"


def test_d1_the_published_contexts_are_not_json_ld_together():
    """credentials/v2 protects `description`; edc-ap redefines it: expansion fails before any term is read."""
    with pytest.raises(InputError) as caught:
        expand_safely({"@context": [VC2_CONTEXT, EDC_AP_CONTEXT], "type": ["VerifiableCredential"]})
    assert "protected term" in caught.value.message


def test_d1_the_departure_context_drops_only_description():
    published = json.loads((ROOT / "mcred" / "schemas" / "euhemc" / "edc-ap-context-elm-3.2.jsonld").read_text())
    departure = v.departure_context()["@context"]
    assert set(published["@context"]) - set(departure) == {"description"}
    assert v.expand_euhemc({"@context": CONTEXTS, "type": ["VerifiableCredential"]})  # now it expands


def test_d2_the_profile_type_is_defined_by_no_published_context():
    expanded = v.expand_euhemc({"@context": CONTEXTS, "type": ["VerifiableCredential", "EuropeanDigitalCredential",
                                                               "EuropeanHigherEducationMicrocredential"]})
    types = expanded[0]["@type"]
    assert v.UNDEFINED_TERM + "EuropeanHigherEducationMicrocredential" in types
    assert v.ELM + "EuropeanHigherEducationMicrocredential" not in types  # what the shapes ask for


def test_d3_the_dual_schemas_base_is_not_bundled_anywhere():
    """Without mcred's stand-ins the dual schema cannot be resolved offline (its $ref is a registry URL)."""
    with pytest.raises(referencing.exceptions.Unresolvable):
        third_party_problems({}, v._json("euhemc-dual-schema.json"), {})


def test_dc4eus_own_example_fails_its_schema_and_profile():
    """DC4EU's example writes compact IRIs (elm:hasClaim ...): its own schema finds no hasClaim."""
    example = json.loads(DC4EU_EXAMPLE.read_text(encoding="utf-8"))
    paths = {f.path for f in v.schema_findings(example)}
    assert "$.credentialSubject" in paths


def test_a_changed_bundled_file_is_refused(monkeypatch):
    monkeypatch.setattr(v, "_json", v._json.__wrapped__)
    pins = {"euhemc-dual-schema.json": "0" * 64}
    import mcred.elm.euhemc_validation as module

    real = module.json.loads

    def fake_loads(text, *args, **kwargs):
        value = real(text, *args, **kwargs)
        return pins if isinstance(value, dict) and "euhemc-dual-schema.json" in value else value

    monkeypatch.setattr(module.json, "loads", fake_loads)
    with pytest.raises(InputError) as caught:
        v._data("euhemc-dual-schema.json")
    assert caught.value.code == "VC2_FILE_DIGEST"


def test_every_bundled_euhemc_file_matches_its_pin_and_its_source_digest():
    """The pins are the collection's SHA256SUMS values (formats/euhemc/SHA256SUMS, copied into PROVENANCE.md)."""
    folder = ROOT / "mcred" / "schemas" / "euhemc"
    index = json.loads((folder / "index.json").read_text())
    assert sorted(index) == sorted(p.name for p in folder.iterdir() if p.name not in {"index.json", "PROVENANCE.md"})
    provenance = (folder / "PROVENANCE.md").read_text(encoding="utf-8")
    for name, sha256 in index.items():
        assert v._data(name)  # the run-time check passes
        assert sha256 in provenance, name


def test_dc4eus_two_contexts_are_the_profiles_and_a_third_other_one_is_not():
    from mcred.elm.euhemc import profile_problems

    def context_codes(context):
        return [p.code for p in profile_problems({"@context": context}) if p.code == "VC2_CONTEXTS"]

    assert context_codes(CONTEXTS[:2]) == [] and context_codes(CONTEXTS) == []
    assert context_codes([*CONTEXTS[:2], "https://www.w3.org/ns/credentials/examples/v2"]) == ["VC2_CONTEXTS"]
    assert context_codes([EDC_AP_CONTEXT, VC2_CONTEXT]) == ["VC2_CONTEXTS"]


def test_shacl_findings_are_remembered_only_for_the_same_json():
    """A credential checked when issued is not checked again when verified (a bundle's read-back), but a
    document that differs in any value, or only in a number's type (1 against 1.0, which JCS writes alike and
    JSON-LD reads as an integer and a double), is checked anew."""
    import copy

    from mcred.elm import euhemc_validation as validation

    calls = []
    original = validation.shacl_findings
    validation._SHACL_SEEN.clear()
    try:
        validation.shacl_findings = lambda document: calls.append(document) or []
        document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "credits": 1, "proof": {"x": 1}}
        validation._remembered_shacl_findings(document)
        validation._remembered_shacl_findings({**document, "proof": {"x": 2}})  # the proofs are not read
        assert len(calls) == 1
        as_double = copy.deepcopy(document)
        as_double["credits"] = 1.0
        validation._remembered_shacl_findings(as_double)
        validation._remembered_shacl_findings({**document, "credits": 2})
        assert len(calls) == 3
    finally:
        validation.shacl_findings = original
        validation._SHACL_SEEN.clear()
