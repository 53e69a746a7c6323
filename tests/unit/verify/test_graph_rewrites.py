"""What mcred checks is what is signed: no graph-preserving rewrite of a credential changes its verdict.

For credentials in every state a check decides (valid, expired, not yet valid, revoked, suspended, a stack),
every property a check or a view reads is rewritten in each way the review used (tests/rewrites.py): the
variant's RDF dataset is the original's (asserted: the canonical N-Quads are equal), so its
``eddsa-rdfc-2022`` proof still verifies. Each variant must then get exactly the original's report, view,
lint and digest. With ``eddsa-jcs-2022``, which signs the JSON text, a variant must fail its proof (or, if
the rewrite did not touch the signed text's meaning and form, verify as the original): never better.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

from mcred.elm.lint import lint_credential
from mcred.elm.outcomes import load_outcomes
from mcred.issue.issuing import issue_credential
from mcred.issue.status_lists import bitstring_entry, init_status_list, update_status_list
from mcred.jsonld.process import canonical_nquads
from mcred.present.view import credential_view
from mcred.proofs.data_integrity import JCS, RDFC, add_proof
from mcred.proofs.signing import sign_credential
from mcred.report import VerifyOptions
from mcred.verify.digest import credential_digest
from mcred.verify.runner import verify_credential
from mcred.verify.status_copies import load_status_lists
from tests import rewrites
from tests.conftest import NOW, VECTORS, load_json
from tests.showcase import EXAMPLES, ISSUED, issue_examples, stack_of

LIST_ID = "https://its.example/status/1"
SUSPENSION_ID = "https://its.example/status/2"
CLAIM = ("credentialSubject", "hasClaim", 0)
SPEC = (*CLAIM, "specifiedBy")

#: (object path, key) of every property a check or a view reads, for ELM credentials
ELM_TARGETS = [
    ((), "issuer"), ((), "validFrom"), ((), "issuanceDate"), ((), "issued"), ((), "expirationDate"),
    ((), "credentialStatus"), ((), "credentialSubject"), ((), "proof"), ((), "displayParameter"),
    (("credentialSubject",), "nationalID"), (("credentialSubject",), "dateOfBirth"),
    (("credentialSubject",), "givenName"), (("credentialSubject",), "familyName"),
    (("credentialSubject",), "hasClaim"), (("credentialSubject",), "fullName"),
    (CLAIM, "title"), (CLAIM, "specifiedBy"), (CLAIM, "awardedBy"), (CLAIM, "provenBy"), (CLAIM, "hasPart"),
    (SPEC, "volumeOfLearning"), (SPEC, "creditPoint"), (SPEC, "eqfLevel"), (SPEC, "learningOutcome"),
    (SPEC, "title"), (SPEC, "mode"), (SPEC, "accreditation"),
    ((*SPEC, "creditPoint", 0), "point"), ((*CLAIM, "awardedBy"), "awardingDate"),
    (("credentialSubject", "nationalID"), "notation"), ((), "attachment"),
]
#: the same for the W3C (VC 2.0) credential with a Bitstring Status List entry
VC2_TARGETS = [
    ((), "issuer"), ((), "validFrom"), ((), "validUntil"), ((), "credentialStatus"), ((), "credentialSubject"),
    ((), "proof"), (("credentialStatus",), "statusListIndex"), (("credentialStatus",), "statusPurpose"),
    (("credentialStatus",), "statusListCredential"), (("credentialSubject",), "alumniOf"),
]


def _issue(key, course="its-python-data", *, learner=None, status=None, **credential) -> dict:
    outcomes = load_outcomes(EXAMPLES / f"{course}.yaml")
    outcomes.data["credential"].update(credential)
    return issue_credential(outcomes, dict(learner or outcomes.learners[0]), key, issued=ISSUED, status=status)


@pytest.fixture(scope="module")
def key():
    from mcred.keys.ed25519 import SigningKey

    return SigningKey.from_seed(bytes(range(32)))


@pytest.fixture(scope="module")
def lists(tmp_path_factory, key):
    """A revocation list with index 7 revoked, a suspension list with index 9 suspended."""
    folder = tmp_path_factory.mktemp("lists")
    revocation, suspension = folder / "revocation.json", folder / "suspension.json"
    init_status_list(revocation, key, LIST_ID, now="2026-10-01T00:00:00Z")
    init_status_list(suspension, key, SUSPENSION_ID, purpose="suspension", now="2026-10-01T00:00:00Z")
    for path in (revocation, suspension):
        side = Path(f"{path}.alloc")
        side.write_text(json.dumps({**json.loads(side.read_text()), "allocated": 131_072}))
    update_status_list(revocation, key, [7], "revoke", now="2026-11-01T00:00:00Z")
    update_status_list(suspension, key, [9], "suspend", now="2026-11-01T00:00:00Z")
    return load_status_lists([revocation, suspension], now=NOW)


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory, key) -> dict[str, tuple[dict, list]]:
    """Unsigned credentials in each state a check decides, with the targets to rewrite."""
    folder = tmp_path_factory.mktemp("scenarios")
    learner = load_outcomes(EXAMPLES / "its-python-data.yaml").learners[0]
    alumni = load_json(VECTORS / "unsigned.json")
    alumni.update(issuer=key.did, validFrom="2026-01-01T00:00:00Z")
    unsigned = {
        "valid": _issue(key),
        "expired": _issue(key, valid_until="2026-10-31"),
        "not yet valid": _issue(key, learner={**learner, "award_date": "2027-03-01"}),
        "revoked": _issue(key, status=(LIST_ID, 7)),
        "not revoked": _issue(key, status=(LIST_ID, 8)),
        "suspended": {**alumni, "credentialStatus": bitstring_entry(SUSPENSION_ID, 9, "suspension")},
        "expired vc2": {**alumni, "validUntil": "2026-06-30T00:00:00Z"},
        "stack": load_json(stack_of(issue_examples(folder, key), key, folder / "stack.json")),
    }
    return {name: ({k: v for k, v in doc.items() if k != "proof"}, VC2_TARGETS if "vc2" in name or
                   name == "suspended" else ELM_TARGETS) for name, doc in unsigned.items()}


#: what mcred refuses, by name, rather than read the same: a proof must be under the key "proof" (as for every
#: Data Integrity verifier: the proof is found by that key before anything is expanded)
REFUSALS = {"proof": {"PROOF_MISSING"}}
OUTCOMES = ["verified", "verified-with-warnings", "invalid", "unusable"]


def _same_or_refused(label: str, facts: dict, expected: dict) -> bool:
    """The same report; or, for what mcred refuses by name, a worse verdict with that code. Never better."""
    if facts == expected:
        return True
    key = label.rsplit(".", 1)[-1]
    codes = {c["code"] for c in facts["checks"] if c["status"] == "failed"}
    assert OUTCOMES.index(facts["outcome"]) >= max(2, OUTCOMES.index(expected["outcome"])), label
    assert codes & REFUSALS.get(key, set()), f"{label}: {sorted(codes)}"
    return False


def _report(document, lists):
    report = verify_credential(document, now=NOW, options=VerifyOptions(now=NOW, status_lists=lists))
    facts = report.to_dict()
    facts.pop("file")
    for check in facts["checks"]:
        if check["check"] == "proof":  # a proof is found by its JSON key: its path is where the JSON has it
            check.pop("path", None)
    return report, facts


def _view(document, report):
    return replace(credential_view(document, report, checked_at=NOW), file=None)


def _variants(document, targets):
    found = list(rewrites.variants(document, targets))
    assert found, "no rewrite applied"
    return found


@pytest.mark.parametrize("name", ["valid", "expired", "not yet valid", "revoked", "not revoked", "suspended",
                                  "expired vc2", "stack"])
def test_every_rewrite_of_an_rdfc_credential_gets_the_same_report_view_lint_and_digest(scenarios, key, lists,
                                                                                      name):
    unsigned, targets = scenarios[name]
    signed = sign_credential(unsigned, key, suite=RDFC, created=ISSUED)
    original, expected = _report(signed, lists)
    nquads = canonical_nquads(signed)
    view, lint, digest = _view(signed, original), lint_credential(signed), credential_digest(signed)
    families = set()
    for label, variant in _variants(signed, targets):
        assert canonical_nquads(variant) == nquads, f"{label}: the rewrite changed the graph"
        report, facts = _report(variant, lists)
        if not _same_or_refused(label, facts, expected):
            continue
        assert _view(variant, report) == view, label
        assert lint_credential(variant) == lint, label
        assert credential_digest(variant) == digest, label
        families.add(label.split()[0])
    assert {"full_iri", "alias", "included", "array", "compact_id", "prefix_id", "reverse"} <= families
    if targets is ELM_TARGETS:  # the ELM context defines prefixes (elm:, cred:, dc: ...) that VC 2.0's does not
        assert {"compact_key", "value_object"} <= families


@pytest.mark.parametrize("name", ["valid", "expired", "revoked", "suspended", "stack"])
def test_a_rewrite_of_a_jcs_credential_never_verifies_better(scenarios, key, lists, name):
    unsigned, targets = scenarios[name]
    signed = sign_credential(unsigned, key, suite=JCS, created=ISSUED)
    _, expected = _report(signed, lists)
    for label, variant in _variants(signed, targets):
        report, facts = _report(variant, lists)
        if facts != expected:  # the JSON text changed, so the proof fails (or is not found): never better
            codes = {c["code"] for c in facts["checks"] if c["status"] == "failed"}
            assert codes & {"PROOF_SIGNATURE_INVALID", *REFUSALS.get(label.rsplit(".", 1)[-1], ())}, label
            assert report.exit_code >= 1, label


def test_the_states_are_what_they_say(scenarios, key, lists):
    """The originals: each scenario fails (or passes) for its own reason, so the rewrites above can hide it."""
    expected = {"valid": [], "expired": ["VALIDITY_EXPIRED"], "not yet valid": ["VALIDITY_NOT_YET_VALID"],
                "revoked": ["STATUS_REVOKED"], "not revoked": [], "suspended": ["STATUS_SUSPENDED"],
                "expired vc2": ["VALIDITY_EXPIRED"], "stack": []}
    for name, (unsigned, _) in scenarios.items():
        report, _ = _report(sign_credential(unsigned, key, created=ISSUED), lists)
        assert [c.code for c in report.failures] == expected[name], name


def test_rewrites_compose(scenarios, key, lists):
    """Several families at once, on one credential (the slow job tries many more combinations)."""
    unsigned, _ = scenarios["revoked"]
    signed = sign_credential(unsigned, key, created=ISSUED)
    _, expected = _report(signed, lists)
    variant = rewrites.compose(signed, [((), "credentialStatus", "included"), ((), "expirationDate", "alias"),
                                        (("credentialSubject",), "nationalID", "prefix_id"),
                                        ((), "issuer", "full_iri"), ((), "credentialSubject", "compact_id"),
                                        (CLAIM, "specifiedBy", "reverse"), ((), "validFrom", "reverse")])
    assert canonical_nquads(variant) == canonical_nquads(signed)
    assert _report(variant, lists)[1] == expected


def test_a_single_valued_property_with_two_values_fails_never_the_first(scenarios, key):
    """The issuer signed two expiry dates (one past, one future): the credential says two things at once."""
    unsigned = copy.deepcopy(scenarios["valid"][0])
    unsigned["expirationDate"] = ["2026-01-01T00:00:00Z", "2099-01-01T00:00:00Z"]
    report, _ = _report(sign_credential(unsigned, key, created=ISSUED), None)
    [failure] = report.failures
    assert (failure.check, failure.code, failure.path) == ("validity", "MULTIPLE_VALUES", "$.expirationDate")
    assert "expirationDate has 2 values" in failure.message


def test_the_credential_is_found_by_its_type_not_by_which_object_is_on_top(scenarios, key):
    """The subject on top, the credential under @reverse: the proof still verifies (it does not cover where
    the JSON puts it), and the facts are still the credential's: still expired."""
    unsigned = scenarios["expired"][0]
    signed = sign_credential(unsigned, key, created=ISSUED)
    subject = copy.deepcopy(signed["credentialSubject"])
    credential = {k: v for k, v in signed.items() if k not in ("@context", "proof", "credentialSubject")}
    inside_out = {"@context": signed["@context"], **subject,
                  "@reverse": {rewrites.VC_SUBJECT: credential}, "proof": signed["proof"]}
    report, _ = _report(inside_out, None)
    assert "VALIDITY_EXPIRED" in [c.code for c in report.failures]


def test_two_credentials_in_one_graph_are_refused(scenarios, key):
    unsigned = copy.deepcopy(scenarios["valid"][0])
    unsigned["@context"] = [*unsigned["@context"], {"@version": 1.1}]
    unsigned["@included"] = [{"id": "urn:x:other", "type": ["VerifiableCredential"]}]
    report, _ = _report(sign_credential(unsigned, key, created=ISSUED), None)
    assert [(c.check, c.code) for c in report.failures] == [("jsonld", "GRAPH_SEVERAL_CREDENTIALS")]


# --- the slow job: many rewrites at once, on every scenario -------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.fixture(scope="module")
def signed_scenarios(scenarios, key, lists):
    """Each scenario signed with each suite, with its report (what every rewrite must get, or worse for JCS)."""
    out = {}
    for name, (unsigned, targets) in scenarios.items():
        for suite in (RDFC, JCS):
            signed = sign_credential(unsigned, key, suite=suite, created=ISSUED)
            out[(name, suite)] = (signed, targets, _report(signed, lists)[1], canonical_nquads(signed))
    return out


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_many_composed_rewrites_never_change_a_verdict(signed_scenarios, lists, data):
    name, suite = data.draw(st.sampled_from(sorted(signed_scenarios)), label="scenario")
    signed, targets, expected, nquads = signed_scenarios[(name, suite)]
    chosen = data.draw(st.lists(st.sampled_from(targets), min_size=1, max_size=6, unique=True), label="targets")
    plan = [(path, key, data.draw(st.sampled_from(sorted(rewrites.FAMILIES)), label=f"{key}"))
            for path, key in chosen]
    variant = rewrites.compose(signed, plan)
    report, facts = _report(variant, lists)
    if suite == RDFC:
        assert canonical_nquads(variant) == nquads, plan
        if facts != expected:  # only a named refusal: a proof moved off its key, by one of the rewrites
            codes = {c["code"] for c in facts["checks"] if c["status"] == "failed"}
            assert any(key == "proof" for _, key, _ in plan) and "PROOF_MISSING" in codes, (plan, codes)
            assert OUTCOMES.index(facts["outcome"]) >= max(2, OUTCOMES.index(expected["outcome"]))
    elif facts != expected:
        codes = {c["code"] for c in facts["checks"] if c["status"] == "failed"}
        assert codes & {"PROOF_SIGNATURE_INVALID", "PROOF_MISSING"}, (plan, codes)
        assert report.exit_code >= 1


def test_a_graph_without_a_credential_is_refused(scenarios, key):
    """The type VerifiableCredential is what makes a node the credential: without it there is nothing to check."""
    unsigned = copy.deepcopy(scenarios["expired vc2"][0])
    unsigned["type"] = ["BitstringStatusListCredential"]  # defined by VC 2.0, but not a VerifiableCredential
    # signed as another issuer might: mcred sign refuses it (VCDM2_CREDENTIAL_TYPE, mcred.vcdm)
    report, _ = _report(add_proof(unsigned, key, created=ISSUED), None)
    assert ("jsonld", "GRAPH_NO_CREDENTIAL") in [(c.check, c.code) for c in report.failures]
    assert [c.code for c in report.checks if c.check == "validity"] == ["SKIPPED_NO_GRAPH"]


def test_two_issuers_fail_the_issuer_check(scenarios, key):
    """A second issuer, said in another object with the credential's id: two issuers, never "the first"."""
    unsigned = copy.deepcopy(scenarios["valid"][0])
    unsigned["@context"] = [*unsigned["@context"], {"@version": 1.1}]
    unsigned["@included"] = [{"id": unsigned["id"], "type": unsigned["type"], "issuer": "did:example:other"}]
    report, _ = _report(sign_credential(unsigned, key, created=ISSUED), None)
    [failure] = [c for c in report.failures if c.check == "issuer"]
    assert (failure.code, failure.path) == ("MULTIPLE_VALUES", "$.issuer") and "issuer has 2 values" in failure.message
