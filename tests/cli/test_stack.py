"""`mcred stack`: three example micro-credentials into one, the binding, and each rule's refusal."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml

from mcred.cli.app import app
from mcred.elm.outcomes import load_outcomes
from mcred.issue.issuing import credential_bytes, issue_credential
from mcred.keys.ed25519 import SigningKey, save_signing_key
from mcred.proofs.signing import sign_credential
from mcred.verify.runner import verify_file
from tests.conftest import load_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PATHWAY = EXAMPLES / "stack" / "pathway-its-to-university.yaml"
NOW = ["--now", "2026-11-23T12:00:00Z"]
ISSUED = "2026-10-01T09:00:00Z"
COURSES = ("its-python-data", "its-sql-databases", "unito-short-course")


@pytest.fixture(scope="module")
def issuer_key() -> SigningKey:
    return SigningKey.from_seed(bytes(range(32)))


@pytest.fixture
def key_file(tmp_path, issuer_key):
    path = tmp_path / "issuer.pem"
    save_signing_key(issuer_key, path)
    return path


def issue_to(tmp_path: Path, key: SigningKey, course: str, learner: dict | None = None, **changes) -> Path:
    outcomes = load_outcomes(EXAMPLES / f"{course}.yaml")
    person = dict(learner or outcomes.learners[0], **changes)
    path = tmp_path / f"{course}-{person['given_name']}.json"
    path.write_bytes(credential_bytes(issue_credential(outcomes, person, key, issued="2026-09-30T10:00:00Z")))
    return path


@pytest.fixture
def giulia(tmp_path, issuer_key) -> list[Path]:
    return [issue_to(tmp_path, issuer_key, course) for course in COURSES]


def stack(runner, *args):
    return runner.invoke(app, ["stack", *map(str, args)])


def test_three_examples_stack_and_verify(runner, tmp_path, key_file, giulia):
    out = tmp_path / "stack.json"
    result = stack(runner, *giulia, "--target", PATHWAY, "--key", key_file, "--out", out, "--issued", ISSUED, *NOW)
    assert result.exit_code == 0, result.output
    credential = load_json(out)
    achievement = credential["credentialSubject"]["hasClaim"][0]
    assert len(achievement["hasPart"]) == 3 and len(credential["attachment"]) == 3
    spec = achievement["specifiedBy"]
    assert spec["volumeOfLearning"] == "PT150H"                    # 50 + 25 + 75 hours
    assert spec["creditPoint"][0]["point"] == "6"                  # worth its parts' 6 CFU, beside their hours
    assert achievement["creditReceived"][0]["point"] == "5"        # 1 cut ("attività di base": 0)
    assert spec["additionalNote"][0]["noteLiteral"]["it"].startswith("Crediti riconosciuti all'accesso")
    assert spec["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    report = verify_file(out)
    assert report.verified, report.to_dict()
    assert [c.code for c in report.checks if c.check == "components"] == ["STACK_COMPONENTS_OK"]
    assert len(report.components) == 3 and all(r.verified for r in report.components)


def test_the_stack_conforms_to_the_edc_shapes(runner, tmp_path, key_file, giulia):
    from tests.shacl import shacl_violations

    out = tmp_path / "stack.json"
    assert stack(runner, *giulia, "--target", PATHWAY, "--key", key_file, "--out", out, *NOW).exit_code == 0
    assert shacl_violations(load_json(out)) == []
    assert runner.invoke(app, ["lint", str(out)]).exit_code == 0


def test_plan_prints_covered_missing_recognised_and_cut(runner, giulia):
    result = stack(runner, *giulia[:1], giulia[2], "--target", PATHWAY, "--plan", "--format", "json", *NOW)
    assert result.exit_code == 1                                   # the SQL course is required
    plan = json.loads(result.stdout)
    assert plan["requirements"]["missing"] == ["spec urn:mcred:its-esempio:qualification:sql-databases-2026"]
    assert {p["code"] for p in plan["problems"]} == {"STACK_REQUIREMENT_MISSING"}
    full = json.loads(stack(runner, *giulia, "--target", PATHWAY, "--plan", "--format", "json", *NOW).stdout)
    assert full["ok"] and full["totals"] == {"cfu": "6", "hours": "150", "recognised_cfu": "5"}
    cut = [c for c in full["components"] if c["cut"]]
    assert len(cut) == 1 and "attività di base" in cut[0]["cut"][0]
    assert full["learner_fields_compared"] == ["nationalID.notation"]


def test_a_tampered_component_is_refused(runner, tmp_path, key_file, giulia):
    document = load_json(giulia[0])
    document["credentialSubject"]["hasClaim"][0]["title"]["en"] = "Advanced everything"
    giulia[0].write_text(json.dumps(document))
    result = stack(runner, *giulia, "--key", key_file, "--out", tmp_path / "s.json", "--title", "en=x", *NOW)
    assert result.exit_code == 1
    assert "STACK_COMPONENT_INVALID" in result.stdout and "PROOF_SIGNATURE_INVALID" in result.stdout
    assert not (tmp_path / "s.json").exists()


def test_a_component_of_another_learner(runner, tmp_path, key_file, issuer_key, giulia):
    outcomes = load_outcomes(EXAMPLES / "its-sql-databases.yaml")
    marco = {"given_name": "Marco", "family_name": "Bianchi", "award_date": "2026-07-10",
             "email": "marco@example.org"}
    other = issue_to(tmp_path, issuer_key, "its-sql-databases", marco)
    del outcomes
    result = stack(runner, giulia[0], other, giulia[2], "--plan", "--title", "en=x", *NOW)
    assert result.exit_code == 1 and "STACK_OTHER_LEARNER" in result.stdout
    assert "compared" in result.stdout


def test_the_same_component_twice(runner, tmp_path, giulia):
    copy = tmp_path / "copy.json"
    copy.write_bytes(giulia[0].read_bytes())
    result = stack(runner, *giulia, copy, "--plan", "--title", "en=x", *NOW)
    assert result.exit_code == 1 and "STACK_DUPLICATE" in result.stdout


def test_an_expired_component(runner, tmp_path, issuer_key, giulia):
    outcomes = yaml.safe_load((EXAMPLES / "unito-short-course.yaml").read_text())
    outcomes["credential"]["valid_until"] = "2026-10-31"
    path = tmp_path / "expiring.yaml"
    path.write_text(yaml.safe_dump(outcomes, allow_unicode=True))
    loaded = load_outcomes(path)
    expired = tmp_path / "expired.json"
    expired.write_bytes(credential_bytes(issue_credential(loaded, loaded.learners[0], issuer_key,
                                                          issued="2026-09-30T10:00:00Z")))
    result = stack(runner, giulia[0], giulia[1], expired, "--plan", "--title", "en=x", *NOW)
    assert result.exit_code == 1 and "STACK_COMPONENT_INVALID" in result.stdout
    assert "VALIDITY_EXPIRED" in result.stdout


def test_a_revoked_component(runner, tmp_path, issuer_key, giulia):
    from mcred.issue.status_lists import allocate_index, init_status_list, update_status_list

    status_list = tmp_path / "revocations.json"
    init_status_list(status_list, issuer_key, "urn:uuid:5a5a5a5a-0000-4000-8000-000000000001")
    list_id, index, _ = allocate_index(status_list)
    outcomes = load_outcomes(EXAMPLES / "its-sql-databases.yaml")
    revoked = tmp_path / "revoked.json"
    revoked.write_bytes(credential_bytes(issue_credential(outcomes, outcomes.learners[0], issuer_key,
                                                          issued="2026-09-30T10:00:00Z", status=(list_id, index))))
    update_status_list(status_list, issuer_key, [index], "revoke")
    result = stack(runner, giulia[0], revoked, giulia[2], "--plan", "--title", "en=x",
                   "--status-list", status_list, *NOW)
    assert result.exit_code == 1 and "STATUS_REVOKED" in result.stdout


def test_a_level_above_the_target(runner, giulia):
    result = stack(runner, *giulia, "--target", PATHWAY, "--plan", "--eqf-level", "7", *NOW)
    assert result.exit_code == 1 and "STACK_LEVEL_TOO_HIGH" in result.stdout


def test_the_target_s_level_above_every_part_is_refused(runner, tmp_path, key_file, giulia):
    """Negative: the pathway's EQF 6 from two EQF 5 parts: refused, with the way out; nothing is signed."""
    out = tmp_path / "stack.json"
    result = stack(runner, *giulia[:2], "--target", PATHWAY, "--key", key_file, "--out", out, *NOW)
    assert result.exit_code == 1 and not out.exists()
    text = " ".join(result.stdout.split())
    assert "error STACK_EQF_ABOVE_PARTS: EQF level 6 (the target's) is above every component's (highest: 5)" in text
    assert "--eqf-level 5" in text and "eqf_above_parts: true" in text
    assert stack(runner, *giulia[:2], "--target", PATHWAY, "--plan", "--eqf-level", "5", *NOW).exit_code == 0
    awards = tmp_path / "pathway.yaml"
    awards.write_text(PATHWAY.read_text(encoding="utf-8") + "eqf_above_parts: true\n", encoding="utf-8")
    result = stack(runner, *giulia[:2], "--target", awards, "--plan", *NOW)
    assert result.exit_code == 0 and "warning STACK_EQF_ABOVE_PARTS" in result.stdout


def test_the_plan_says_which_rule_relates_hours_and_credits(runner, giulia):
    result = stack(runner, *giulia, "--target", PATHWAY, "--plan", *NOW)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "total: 6 CFU, 150 hours (the components' sums); recognised: 5 CFU (after the caps)" in text
    assert "150 hours = 6 CFU (25 hours per credit)" in text


def test_plan_needs_no_key_but_signing_does(runner, tmp_path, giulia):
    result = stack(runner, *giulia, "--target", PATHWAY, *NOW)
    assert result.exit_code == 2 and "--plan" in result.stderr


# --- the binding: a stack re-signed over other attachments --------------------------------------


def _resign_with(stack_path: Path, key: SigningKey, attachments: list[dict]) -> dict:
    document = load_json(stack_path)
    document.pop("proof")
    document["attachment"] = attachments
    return sign_credential(document, key, created=ISSUED)


def _attachment_of(path: Path, template: dict) -> dict:
    content = base64.b64encode(path.read_bytes()).decode()
    return dict(template, content=content)


@pytest.fixture
def signed_stack(runner, tmp_path, key_file, giulia) -> Path:
    out = tmp_path / "stack.json"
    assert stack(runner, *giulia, "--target", PATHWAY, "--key", key_file, "--out", out, *NOW).exit_code == 0
    return out


def codes(document) -> list[str]:
    from mcred.verify.runner import verify_credential

    report = verify_credential(document)
    return [c.code for c in report.checks if c.check == "components" and c.status.value == "failed"]


def test_swapped_component(tmp_path, issuer_key, signed_stack):
    attachments = load_json(signed_stack)["attachment"]
    other = issue_to(tmp_path, issuer_key, "its-sql-databases", grade="18/30")   # valid, but not the bound one
    attachments[1] = _attachment_of(other, attachments[1])
    assert sorted(codes(_resign_with(signed_stack, issuer_key, attachments))) == [
        "STACK_COMPONENT_MISSING", "STACK_COMPONENT_NOT_BOUND"]


def test_dropped_and_added_components(tmp_path, issuer_key, signed_stack):
    attachments = load_json(signed_stack)["attachment"]
    assert codes(_resign_with(signed_stack, issuer_key, attachments[:2])) == ["STACK_COMPONENT_MISSING"]
    extra = issue_to(tmp_path, issuer_key, "its-python-data", grade="19/30")
    added = attachments + [dict(_attachment_of(extra, attachments[0]), id="urn:x:extra#mcred-attachment")]
    assert codes(_resign_with(signed_stack, issuer_key, added)) == ["STACK_COMPONENT_NOT_BOUND"]
    # the same attachment id twice is one attachment node with two contents in the graph: neither is read
    merged = attachments + [_attachment_of(extra, attachments[0])]
    assert codes(_resign_with(signed_stack, issuer_key, merged)) == ["STACK_ATTACHMENT_UNREADABLE",
                                                                     "STACK_COMPONENT_MISSING"]


def test_an_edited_stack_fails_its_own_proof(signed_stack):
    document = load_json(signed_stack)
    document["attachment"][0]["content"] = document["attachment"][1]["content"]
    from mcred.verify.runner import verify_credential

    report = verify_credential(document)
    assert [c.code for c in report.failures] == ["PROOF_SIGNATURE_INVALID"]


def test_a_stack_of_stacks_verifies_recursively(runner, tmp_path, key_file, issuer_key, giulia):
    first = tmp_path / "first.json"
    # issued before NOW, at which the outer stack verifies it (by default a stack is issued at the wall clock's
    # time, which NOW, a fixed time, does not follow)
    assert stack(runner, giulia[0], giulia[1], "--key", key_file, "--out", first, "--title", "en=ITS", *NOW,
                 "--issued", "2026-11-20T09:00:00Z", "--issuer", EXAMPLES / "stack" / "issuer-its.yaml").exit_code == 0
    outer = tmp_path / "outer.json"
    result = stack(runner, first, giulia[2], "--key", key_file, "--out", outer, "--title", "en=All", *NOW,
                   "--issuer", EXAMPLES / "stack" / "issuer-its.yaml")
    assert result.exit_code == 0, result.output
    report = verify_file(outer)
    assert report.verified
    inner = [component for component in report.components if component.components]
    assert len(report.components) == 2 and len(inner) == 1 and len(inner[0].components) == 2
    # a stack and one of its own components cannot be stacked together
    twice = stack(runner, first, giulia[0], "--plan", "--title", "en=x", *NOW)
    assert twice.exit_code == 1 and "STACK_DUPLICATE" in twice.stdout


# --- one credential counted once, however it is given or spelt (issue 13) -------------------------------


def _signed_nothing(result, out: Path) -> None:
    assert result.exit_code == 1, result.output
    assert not out.exists()


def test_the_same_file_twice_is_refused_and_nothing_is_signed(runner, tmp_path, key_file, giulia, monkeypatch):
    out = tmp_path / "stack.json"
    result = stack(runner, *giulia, giulia[1], "--key", key_file, "--out", out, "--title", "en=x", *NOW)
    _signed_nothing(result, out)
    assert "STACK_DUPLICATE" in result.stdout and "the same file" in result.stdout
    monkeypatch.chdir(tmp_path)  # ./b.json and b.json
    result = stack(runner, *giulia, f"./{giulia[1].name}", "--key", key_file, "--out", out, "--title", "en=x", *NOW)
    _signed_nothing(result, out)
    assert "STACK_DUPLICATE" in result.stdout


@pytest.mark.parametrize("plan", [
    [((), "id", "compact_id")],
    [((), "id", "prefix_id"), ((), "credentialSubject", "full_iri")],
    [(("credentialSubject",), "hasClaim", "alias"), ((), "issuer", "compact_id")],
    [((), "credentialSubject", "included"), ((), "proof", "array")],
])
def test_the_same_credential_spelt_another_way_is_refused(runner, tmp_path, key_file, giulia, plan):
    """A copy whose JSON differs but whose graph (and proof) is the same: the same credential, by its digest."""
    from mcred.jsonld.process import canonical_nquads
    from tests import rewrites

    document = load_json(giulia[1])
    disguised = rewrites.compose(document, plan)
    assert disguised != document and canonical_nquads(disguised) == canonical_nquads(document)
    copy = tmp_path / "disguised.json"
    copy.write_text(json.dumps(disguised))
    out = tmp_path / "stack.json"
    result = stack(runner, *giulia, copy, "--key", key_file, "--out", out, "--title", "en=x", *NOW)
    _signed_nothing(result, out)
    assert "STACK_DUPLICATE" in result.stdout and "STACK_COMPONENT_INVALID" not in result.stdout


def test_two_credentials_of_one_achievement_are_refused(runner, tmp_path, issuer_key, giulia):
    """The same course issued twice (another day, so another proof and digest) is one achievement."""
    outcomes = load_outcomes(EXAMPLES / "its-python-data.yaml")
    again = tmp_path / "again.json"
    again.write_bytes(credential_bytes(issue_credential(outcomes, outcomes.learners[0], issuer_key,
                                                        issued="2026-10-15T10:00:00Z")))
    result = stack(runner, *giulia, again, "--plan", "--title", "en=x", *NOW)
    assert result.exit_code == 1 and "STACK_DUPLICATE" in result.stdout


def test_two_learners_are_two_learners_however_their_ids_are_written(runner, tmp_path, key_file, issuer_key):
    """Giulia's and Marco's credentials, identified by DIDs only; each subject id written "p1:" through an inline
    prefix bound to that learner's DID (the JSON of both reads the same): still two learners."""
    from tests import rewrites

    paths = []
    for course, did, name in (("its-python-data", "did:example:giulia", "Giulia"),
                              ("its-sql-databases", "did:example:marco", "Marco")):
        person = {"given_name": name, "family_name": "Esempio", "award_date": "2026-07-10", "did": did}
        document = load_json(issue_to(tmp_path, issuer_key, course, person))
        disguised = rewrites.compose(document, [(("credentialSubject",), "id", "prefix_id")])
        assert disguised["credentialSubject"]["id"] == "p1:"
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(disguised))
        paths.append(path)
    out = tmp_path / "stack.json"
    result = stack(runner, *paths, "--key", key_file, "--out", out, "--title", "en=x", *NOW)
    _signed_nothing(result, out)
    assert "STACK_OTHER_LEARNER" in result.stdout and "credentialSubject.id" in result.stdout


def test_a_component_verified_with_warnings(runner, tmp_path, key_file, giulia):
    """An issuer the trust file does not list: a warning in the plan, and with --strict a refusal."""
    trust = tmp_path / "trust.yaml"
    trust.write_text("mcred: trust/1\nissuers: []\n", encoding="utf-8")
    result = stack(runner, *giulia, "--plan", "--title", "en=x", "--trust", trust, *NOW)
    assert result.exit_code == 0, result.output
    assert "STACK_COMPONENT_WARNING" in result.stdout and "TRUST_UNKNOWN_ISSUER" in result.stdout
    out = tmp_path / "stack.json"
    result = stack(runner, *giulia, "--key", key_file, "--out", out, "--title", "en=x", "--trust", trust,
                   "--strict", *NOW)
    _signed_nothing(result, out)
    assert "STACK_COMPONENT_INVALID" in result.stdout and "TRUST_UNKNOWN_ISSUER" in result.stdout


def test_a_stack_carries_its_components_warnings(runner, tmp_path, key_file, issuer_key, giulia):
    """A component whose status could not be checked: the stack verifies with warnings, not verified; with
    --strict it does not verify."""
    from mcred.issue.status_lists import allocate_index, init_status_list
    from mcred.report import VerifyOptions
    from mcred.verify.runner import verify_credential

    status_list = tmp_path / "revocations.json"
    init_status_list(status_list, issuer_key, "urn:uuid:5a5a5a5a-0000-4000-8000-000000000002",
                     now="2026-09-01T00:00:00Z")
    list_id, index, _ = allocate_index(status_list)
    outcomes = load_outcomes(EXAMPLES / "its-sql-databases.yaml")
    with_status = tmp_path / "with-status.json"
    with_status.write_bytes(credential_bytes(issue_credential(outcomes, outcomes.learners[0], issuer_key,
                                                              issued="2026-09-30T10:00:00Z",
                                                              status=(list_id, index))))
    out = tmp_path / "stack.json"
    result = stack(runner, giulia[0], with_status, giulia[2], "--key", key_file, "--out", out, "--title", "en=x",
                   "--issuer", EXAMPLES / "stack" / "issuer-its.yaml", "--status-list", status_list,
                   "--issued", "2026-11-20T09:00:00Z", *NOW)
    assert result.exit_code == 0, result.output
    from tests.conftest import NOW as AT

    stacked = load_json(out)
    report = verify_credential(stacked, now=AT)     # no --status-list: the component's status is not checked
    assert report.outcome == "verified-with-warnings", [(c.code, c.message) for c in report.failures]
    assert [c.code for c in report.warnings] == ["STACK_COMPONENT_WARNING"]
    assert "STATUS_NOT_CHECKED" in report.warnings[0].message
    strict = verify_credential(stacked, now=AT, options=VerifyOptions(now=AT, strict=True))
    assert strict.outcome == "invalid" and "STACK_COMPONENT_INVALID" in [c.code for c in strict.failures]


def _plan_of(paths):
    from mcred.report import VerifyOptions
    from mcred.stack.stacking import load_components, plan_stack
    from tests.conftest import NOW as AT

    plan = plan_stack(load_components(paths, VerifyOptions(now=AT)), None)
    return sorted(p.code for p in plan.problems), plan.to_dict()["totals"], plan.learner_fields


COMPONENT_TARGETS = [((), "id"), ((), "issuer"), ((), "validFrom"), ((), "credentialSubject"),
                     (("credentialSubject",), "id"), (("credentialSubject",), "nationalID"),
                     (("credentialSubject",), "hasClaim"), (("credentialSubject", "hasClaim", 0), "specifiedBy"),
                     (("credentialSubject", "hasClaim", 0), "awardedBy"),
                     (("credentialSubject", "hasClaim", 0, "specifiedBy"), "creditPoint"),
                     (("credentialSubject", "hasClaim", 0, "specifiedBy"), "volumeOfLearning"),
                     (("credentialSubject", "nationalID"), "notation")]


def test_every_rewrite_of_a_component_gets_the_same_plan(tmp_path, giulia):
    """Credits, learner and duplicates are read from each component's graph: a rewritten component (its proof
    still valid) is planned exactly as the original, and given next to the original it is the same credential."""
    from mcred.jsonld.process import canonical_nquads
    from tests import rewrites

    expected = _plan_of(giulia)
    document = load_json(giulia[1])
    variants = list(rewrites.variants(document, COMPONENT_TARGETS))
    assert len(variants) > 40
    for index, (label, variant) in enumerate(variants):
        assert canonical_nquads(variant) == canonical_nquads(document), label
        path = tmp_path / f"variant-{index}.json"
        path.write_text(json.dumps(variant))
        assert _plan_of([giulia[0], path, giulia[2]]) == expected, label
        codes, _, _ = _plan_of([*giulia, path])
        assert "STACK_DUPLICATE" in codes and "STACK_COMPONENT_INVALID" not in codes, label


def test_every_rewrite_of_another_learners_component_is_another_learner(tmp_path, issuer_key, giulia):
    from tests import rewrites

    marco = {"given_name": "Marco", "family_name": "Bianchi", "award_date": "2026-07-10",
             "codice_fiscale": "BNCMRC99A15L219T", "date_of_birth": "1999-01-15"}
    other = load_json(issue_to(tmp_path, issuer_key, "its-sql-databases", marco))
    for index, (label, variant) in enumerate(rewrites.variants(other, COMPONENT_TARGETS)):
        path = tmp_path / f"marco-{index}.json"
        path.write_text(json.dumps(variant))
        codes, _, fields = _plan_of([giulia[0], path, giulia[2]])
        assert codes == ["STACK_OTHER_LEARNER"] and fields == ["nationalID.notation"], label


def test_an_anchor_bomb_target_is_refused_at_once(runner, tmp_path, giulia):
    from tests.unit.test_yaml import ANCHOR_BOMB

    target = tmp_path / "pathway.yaml"
    target.write_text(ANCHOR_BOMB.replace("outcomes/1", "pathway/1"), encoding="utf-8")
    result = stack(runner, *giulia, "--target", target, "--plan", *NOW)
    assert result.exit_code == 3
    assert "line 3: anchors and aliases are not allowed" in result.stderr
