"""The ELM examples against the European Commission's EDC SHACL shapes (edc-generic-full), offline.

Each negative test mutates the unsigned example (SHACL does not look at signatures)
and asserts the violation by the path of the property, so that a test cannot pass
because of some other, unrelated violation.
"""

from __future__ import annotations

import copy
import hashlib
import re
import socket
from collections.abc import Callable

import pytest

from tests.conftest import load_json
from tests.shacl import SHAPES_DIR, class_hierarchy, shacl_report, shacl_violations, shapes_graph

ROOT = SHAPES_DIR.parents[2]
UNSIGNED = ROOT / "examples" / "elm-microcredential.json"
SIGNED = ROOT / "examples" / "elm-microcredential.signed.json"
CREDENTIAL_ID = "<urn:credential:7f9c2e1a-3b4d-4c5e-9f60-1a2b3c4d5e6f>"
STATUS_LIST_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"


@pytest.fixture(scope="module")
def unsigned() -> dict:
    return load_json(UNSIGNED)


def _mutated(document: dict, mutate: Callable[[dict], None]) -> dict:
    document = copy.deepcopy(document)
    mutate(document)
    return document


def _top_level(violations: list[str]) -> list[str]:
    return [line for line in violations if not line.startswith(" ")]


def test_shape_files_are_the_recorded_bytes():
    """tests/assets/shacl/PROVENANCE.md records the sha256 of each file; they must not drift."""
    recorded = dict(re.findall(r"`([\w.-]+\.ttl)` \|[^\n]*\| `([0-9a-f]{64})`",
                               (SHAPES_DIR / "PROVENANCE.md").read_text(encoding="utf-8")))
    assert set(recorded) == {p.name for p in SHAPES_DIR.glob("*.ttl")}
    for name, digest in recorded.items():
        assert hashlib.sha256((SHAPES_DIR / name).read_bytes()).hexdigest() == digest, name


def test_signed_example_conforms_to_edc_generic_full():
    conforms, text = shacl_report(load_json(SIGNED))
    assert conforms, text


def test_unsigned_example_conforms_to_edc_generic_full(unsigned):
    conforms, text = shacl_report(unsigned)
    assert conforms, text


def _set_claim_title(document: dict) -> None:
    document["credentialSubject"]["hasClaim"][0]["title"] = "x"


def _set_volume_of_learning(document: dict) -> None:
    document["credentialSubject"]["hasClaim"][0]["specifiedBy"]["volumeOfLearning"] = "not a duration"


def _add_status_list_entry(document: dict) -> None:
    # the W3C way (StatusList2021Entry); its context is bundled with mcred, appended last
    document["@context"].append(STATUS_LIST_CONTEXT)
    document["credentialStatus"] = {
        "id": "https://its-esempio.example/status/3#94567",
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://its-esempio.example/status/3",
    }


NEGATIVE = {
    # name: (mutation, expected focus node, path, constraint component)
    "issued removed": (
        lambda d: d.pop("issued"), CREDENTIAL_ID, "cred:issued", "MinCountConstraintComponent"),
    "title a plain string": (
        _set_claim_title, "<urn:epass:learningAchievement:mc-python-data>", "dc:title",
        "DatatypeConstraintComponent"),
    "volumeOfLearning not a duration": (
        _set_volume_of_learning, "<urn:epass:qualification:mc-python-data>", "elm:volumeOfLearning",
        "DatatypeConstraintComponent"),
    "displayParameter removed": (
        lambda d: d.pop("displayParameter"), CREDENTIAL_ID, "elm:displayParameter",
        "MinCountConstraintComponent"),
    "issuer eIDASIdentifier removed": (
        lambda d: d["issuer"].pop("eIDASIdentifier"),
        "<did:key:z6MkfDFxYQp6BWtFPWMmG5qQLEJZ7QY11zVgsJ7kyQg7qrLm>", "elm:eidasLegalIdentifier",
        "MinCountConstraintComponent"),
    "W3C credentialStatus object": (
        _add_status_list_entry, CREDENTIAL_ID, "cred:credentialStatus", "DatatypeConstraintComponent"),
}


@pytest.mark.parametrize("name", list(NEGATIVE))
def test_negative_case_violates_the_named_property_and_nothing_else(unsigned, name):
    mutate, focus, path, component = NEGATIVE[name]
    violations = shacl_violations(_mutated(unsigned, mutate))
    report = "\n".join(violations)
    assert violations, f"{name}: expected a violation on {path}, but the credential conforms"
    assert any(line.lstrip().startswith(f"{focus} / {path} / ") and f"[{component}" in line
               for line in violations), report
    # every top-level result is about the mutated property, or is a failed sh:node whose
    # nested (indented) results carry it
    for line in _top_level(violations):
        assert f" / {path} / " in line or "[NodeConstraintComponent" in line, report


def test_eidas_identifier_is_reported_through_the_issuer_node_shape(unsigned):
    violations = shacl_violations(_mutated(unsigned, lambda d: d["issuer"].pop("eIDASIdentifier")))
    top = _top_level(violations)
    assert len(top) == 1, "\n".join(violations)
    assert top[0].startswith(f"{CREDENTIAL_ID} / cred:issuer / ")
    assert "edc:IssuerNodeShape" in top[0]


def test_credential_status_must_be_an_anyuri_literal_not_an_iri(unsigned):
    """The EDC shapes want credentialStatus to be an xsd:anyURI *literal*.

    credentials/v1 defines credentialStatus with "@type": "@id", so even a bare URL string
    becomes an IRI node and violates the shape; only an explicit typed value passes.
    """
    url = "https://its-esempio.example/status/3"
    as_string = shacl_violations(_mutated(unsigned, lambda d: d.__setitem__("credentialStatus", url)))
    assert [line.split(" [")[0] for line in as_string] == [
        f"{CREDENTIAL_ID} / cred:credentialStatus / Value is not Literal with datatype xsd:anyURI"]
    typed = {"@value": url, "@type": "http://www.w3.org/2001/XMLSchema#anyURI"}
    conforms, text = shacl_report(_mutated(unsigned, lambda d: d.__setitem__("credentialStatus", typed)))
    assert conforms, text


def test_superclass_shapes_apply_through_the_elm_class_hierarchy(unsigned):
    """The elm:Agent shape reaches an Organisation only via the ontology's rdfs:subClassOf.

    No Organisation shape constrains skos:prefLabel; elm:Agent's does (language-tagged).
    Without the ELM ontology's class hierarchy in the data graph this would conform.
    """
    document = _mutated(unsigned, lambda d: d["issuer"].__setitem__("prefLabel", "ITS Esempio"))
    violations = shacl_violations(document)
    issuer = "<did:key:z6MkfDFxYQp6BWtFPWMmG5qQLEJZ7QY11zVgsJ7kyQg7qrLm>"
    assert any(line.startswith(f"{issuer} / skos:prefLabel / ") and "edc:Agent-skos_prefLabel" in line
               for line in violations), "\n".join(violations)


def test_validation_opens_no_socket(unsigned, monkeypatch):
    """The autouse guard makes connections fail; this also catches an attempt that is swallowed."""
    attempts = []

    def record(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in the SHACL tests")

    monkeypatch.setattr(socket, "getaddrinfo", record)
    monkeypatch.setattr(socket, "create_connection", record)
    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(socket.socket, "connect_ex", record)
    shapes_graph.cache_clear()  # parse the shapes and the ontology again, under the recorder
    class_hierarchy.cache_clear()
    shacl_violations(_mutated(unsigned, lambda d: d.pop("issued")))
    assert attempts == []
