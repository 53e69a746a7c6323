"""The Open Badges 3.0 rendition: every example's credentials meet the OB 3.0 JSON Schema and verify; what breaks
the schema is refused by path before signing; a changed credit value breaks the signature; the award's facts
are read back from the signed graph, whatever a holder does to the JSON keys."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from mcred.bundle.facts import AwardFacts
from mcred.bundle.readers_ob3 import ob3_facts
from mcred.elm.outcomes import load_outcomes, read_roster
from mcred.errors import InputError
from mcred.issue import ob3
from mcred.issue.ob3 import check_ob3_schema, issue_ob3
from mcred.report import Status
from mcred.verify.runner import verify_credential
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
ISSUED = "2026-07-01T09:00:00Z"
EXAMPLE_FILES = ["its-python-data.yaml", "its-sql-databases.yaml", "unito-short-course.yaml"]
#: the schema as 1EdTech publishes it (the project's shared copy, read here only to check the bundled one)
PUBLISHED_SHA256 = "b7358e895f492e74055dc6bfc7ffc420d0e497f90c4579fb83d9519b86d393ea"
OB_CREDITS = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsAvailable"
XSD_FLOAT = "https://www.w3.org/2001/XMLSchema#float"


def published_schema() -> dict:
    """The bundled schema file, read with the standard library and jsonschema alone (not through mcred)."""
    return json.loads((ROOT / "mcred" / "schemas" / ob3.SCHEMA).read_text(encoding="utf-8"))


def schema_errors(credential: dict) -> list[str]:
    validator = jsonschema.Draft201909Validator(published_schema())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(credential)]


def learners(outcomes):
    return outcomes.learners + [row.learner for row in read_roster(EXAMPLES / "roster.csv")]


@pytest.fixture(scope="module")
def python_data():
    return load_outcomes(EXAMPLES / "its-python-data.yaml")


@pytest.fixture
def badge(python_data, test_key) -> dict:
    return issue_ob3(python_data, python_data.learners[0], test_key, issued=ISSUED)


def test_the_bundled_schema_is_the_published_file():
    import hashlib

    data = (ROOT / "mcred" / "schemas" / ob3.SCHEMA).read_bytes()
    assert hashlib.sha256(data).hexdigest() == PUBLISHED_SHA256
    assert PUBLISHED_SHA256 in (ROOT / "mcred" / "schemas" / "PROVENANCE.md").read_text()


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_every_example_rendition_meets_the_ob3_schema_and_verifies(example, test_key):
    outcomes = load_outcomes(EXAMPLES / example)
    for learner in learners(outcomes):
        credential = issue_ob3(outcomes, learner, test_key, issued=ISSUED)
        assert schema_errors(credential) == []
        report = verify_credential(credential, now=NOW)
        assert report.verified, [(c.check, c.message) for c in report.checks]
        assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        assert credential["issuer"]["id"] == test_key.did
        assert credential["credentialSubject"]["achievement"]["achievementType"] == "MicroCredential"


def test_the_schema_check_can_fail(badge):
    """Control for the test above: a credential without criteria breaks the published schema."""
    del badge["credentialSubject"]["achievement"]["criteria"]
    assert any("criteria" in line for line in schema_errors(badge))


def test_a_credential_that_breaks_the_schema_is_refused_by_path(badge):
    del badge["credentialSubject"]["achievement"]["criteria"]
    with pytest.raises(InputError) as caught:
        check_ob3_schema(badge, file="x.yaml")
    assert caught.value.code == "OB3_SCHEMA_INVALID"
    assert caught.value.path == "$.credentialSubject.achievement.criteria"
    assert "$.credentialSubject.achievement.criteria" in caught.value.message


def test_nothing_is_signed_when_the_mapping_breaks_the_schema(python_data, test_key, monkeypatch):
    real = ob3.ob3_from_elm

    def broken(elm, data):
        credential = real(elm, data)
        credential["credentialSubject"]["identifier"][0]["identityType"] = "not an identity type"
        return credential

    monkeypatch.setattr(ob3, "ob3_from_elm", broken)
    with pytest.raises(InputError) as caught:
        issue_ob3(python_data, python_data.learners[0], test_key, issued=ISSUED)
    assert caught.value.code == "OB3_SCHEMA_INVALID"
    assert caught.value.path == "$.credentialSubject.identifier[0].identityType"


def test_a_changed_credit_value_fails_the_signature(badge):
    badge["credentialSubject"]["achievement"]["creditsAvailable"] = 3
    report = verify_credential(badge, now=NOW)
    proof = next(c for c in report.checks if c.check == "proof")
    assert not report.verified and proof.status == Status.FAILED
    assert proof.code == "PROOF_SIGNATURE_INVALID"


def test_credits_are_written_as_whole_numbers_when_whole(badge):
    """The badge's JSON says 2, as the outcome file does, not 2.0."""
    assert type(badge["credentialSubject"]["achievement"]["creditsAvailable"]) is int


# --- the award's facts, from the signed graph ----------------------------------------------------------------

def expected_facts(example: str, learner: dict) -> AwardFacts:
    """The facts, from the outcome file as YAML (not through mcred's builder)."""
    import yaml

    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    credential, first = data["credential"], next(iter(data["credential"]["title"]))
    hours = Decimal(str(credential["workload"]["hours"]))
    return AwardFacts(
        learner=tuple(sorted([("given_name", learner["given_name"]), ("family_name", learner["family_name"]),
                              ("birth_date", learner["date_of_birth"]),
                              ("national_id", learner["codice_fiscale"])])),
        title=credential["title"][first],
        credits_ects=format((hours / 25).normalize(), "f"),
        eqf_level=credential["eqf_level"],
        awarded=learner["award_date"],
        valid_until=credential.get("valid_until"),
        awarding_body=data["issuer"]["legal_name"][first],
        learning_outcomes=tuple(sorted(o["text"][first] for o in credential["learning_outcomes"])))


def test_the_facts_are_the_outcome_files(python_data, badge):
    import yaml

    learner = yaml.safe_load((EXAMPLES / "its-python-data.yaml").read_text())["learners"][0]
    assert ob3_facts(verify_credential(badge, now=NOW)) == expected_facts("its-python-data.yaml", learner)


def test_a_holder_moving_a_key_does_not_change_the_facts(badge):
    """creditsAvailable moved out of the achievement's JSON object, into another object with the achievement's id
    (@included): the same signed graph, so the proof verifies and the facts are the same, though the JSON path
    a key-reader would look at is now empty."""
    moved = copy.deepcopy(badge)
    achievement = moved["credentialSubject"]["achievement"]
    moved["@included"] = [{"id": achievement["id"], "type": ["Achievement"],
                           "creditsAvailable": achievement.pop("creditsAvailable")}]
    report = verify_credential(moved, now=NOW)
    assert report.verified
    assert "creditsAvailable" not in moved["credentialSubject"]["achievement"]
    assert ob3_facts(report) == ob3_facts(verify_credential(badge, now=NOW))


def test_an_unmapped_credits_key_is_never_a_fact(badge):
    """A creditsAvailable where no context defines it (on the subject) is not signed: mcred refuses the proof,
    and the facts with it, rather than read 9."""
    decoy = copy.deepcopy(badge)
    decoy["credentialSubject"]["creditsAvailable"] = 9
    report = verify_credential(decoy, now=NOW)
    assert next(c for c in report.checks if c.check == "jsonld").code == "JSONLD_UNDEFINED_TERM"
    with pytest.raises(InputError) as caught:
        ob3_facts(report)
    assert caught.value.code == "OB3_FACT_MISSING" and "proof" in caught.value.message


def test_the_same_graph_respelled_gives_the_same_facts(badge):
    """creditsAvailable under its full IRI, as a value object: another JSON text, the same signed graph."""
    respelled = copy.deepcopy(badge)
    achievement = respelled["credentialSubject"]["achievement"]
    achievement[OB_CREDITS] = {"@value": achievement.pop("creditsAvailable"), "@type": XSD_FLOAT}
    report = verify_credential(respelled, now=NOW)
    assert report.verified
    assert ob3_facts(report) == ob3_facts(verify_credential(badge, now=NOW))


def test_facts_are_refused_when_the_proof_fails(badge):
    badge["credentialSubject"]["achievement"]["creditsAvailable"] = 3
    with pytest.raises(InputError) as caught:
        ob3_facts(verify_credential(badge, now=NOW))
    assert caught.value.code == "OB3_FACT_MISSING"


def test_an_elm_credential_states_no_ob3_facts(python_data, test_key):
    from mcred.issue.award import issue_credential

    elm = issue_credential(python_data, python_data.learners[0], test_key, issued=ISSUED)
    with pytest.raises(InputError) as caught:
        ob3_facts(verify_credential(elm, now=NOW))
    assert caught.value.code == "OB3_FACT_MISSING" and "OpenBadgeCredential" in caught.value.message


def test_two_eqf_levels_are_refused(python_data, test_key, monkeypatch):
    real = ob3.ob3_from_elm

    def two_levels(elm, data):
        credential = real(elm, data)
        alignment = credential["credentialSubject"]["achievement"]["alignment"]
        alignment.append({**alignment[0], "targetUrl": "http://data.europa.eu/snb/eqf/6", "targetCode": "6"})
        return credential

    monkeypatch.setattr(ob3, "ob3_from_elm", two_levels)
    signed = issue_ob3(python_data, python_data.learners[0], test_key, issued=ISSUED)
    with pytest.raises(InputError) as caught:
        ob3_facts(verify_credential(signed, now=NOW))
    assert caught.value.code == "OB3_FACT_INVALID" and "2 different levels" in caught.value.message


def test_fractional_credits_read_back_as_written(python_data, test_key, monkeypatch):
    """1.5 ECTS: a float in JSON, "1.5E0"^^xsd:float in the graph, "1.5" as a fact."""
    real = ob3.ob3_from_elm

    def one_and_a_half(elm, data):
        credential = real(elm, data)
        credential["credentialSubject"]["achievement"]["creditsAvailable"] = 1.5
        return credential

    monkeypatch.setattr(ob3, "ob3_from_elm", one_and_a_half)
    signed = issue_ob3(python_data, python_data.learners[0], test_key, issued=ISSUED)
    assert ob3_facts(verify_credential(signed, now=NOW)).credits_ects == "1.5"


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_each_example_states_its_own_facts(example, test_key):
    import yaml

    outcomes = load_outcomes(EXAMPLES / example)
    learner = yaml.safe_load((EXAMPLES / example).read_text())["learners"][0]
    signed = issue_ob3(outcomes, outcomes.learners[0], test_key, issued=ISSUED)
    assert ob3_facts(verify_credential(signed, now=NOW)) == expected_facts(example, learner)


def test_a_learner_with_a_did_is_the_subject(python_data, test_key):
    learner = {**python_data.learners[0], "did": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}
    signed = issue_ob3(python_data, learner, test_key, issued=ISSUED)
    assert signed["credentialSubject"]["id"] == learner["did"]
    assert schema_errors(signed) == [] and verify_credential(signed, now=NOW).verified


def test_a_learner_without_a_did_has_no_subject_id(badge):
    assert "id" not in badge["credentialSubject"]
