"""Interop with an independent implementation: Digital Bazaar's JavaScript VC stack
(`interop/`, see its README). mcred's proofs verify there, theirs verify here, a
tampered credential is rejected by both, and - Ed25519 being deterministic - both
produce the very same proofValue for the same input, key and `created`, which
means they agree on canonicalization, hashing and proof layout byte for byte.

Needs Node.js and `npm ci --prefix interop`; deselect with ``-m "not interop"``.
Missing prerequisites FAIL the tests (they are never silently skipped).
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mcred import sign_credential, verify_file
from mcred.report import Status
from tests.conftest import ASSETS, NOW, VECTORS, load_json, write_json

pytestmark = pytest.mark.interop

REPO = Path(__file__).resolve().parents[2]
INTEROP = REPO / "interop"
KEY_PAIR = VECTORS / "keyPair.json"
VECTOR_DID = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
CREATED = "2026-11-01T09:00:00Z"
NOW_ARG = "2026-11-23T12:00:00Z"
ELM_SAMPLE = ASSETS / "elm" / "mcred-microcredential-sample.json"
ELM_SHA256 = "41a05f0e840dd2379567b368bca24f20cd92535355f61b41ab0e717fed9d6c22"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
INPUTS = ["alumni", "elm"]
CASES = [(name, suite) for name in INPUTS for suite in SUITES]


def find_node() -> str:
    """The `node` executable, with the harness's packages installed; fail (never skip)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (`node`) is not on PATH: install Node.js >= 20, then run "
                    "`npm ci --prefix interop` first")
    for package in ("@digitalbazaar/vc", "@digitalbazaar/eddsa-rdfc-2022-cryptosuite",
                    "@digitalbazaar/eddsa-jcs-2022-cryptosuite", "jsonld"):
        if not (INTEROP / "node_modules" / package / "package.json").is_file():
            pytest.fail(f"interop/node_modules/{package} is missing: "
                        "run `npm ci --prefix interop` first")
    return node


@pytest.fixture(scope="module")
def node() -> str:
    return find_node()


def node_run(node: str, script: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([node, str(INTEROP / script), *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def db_verify(node: str, *files: Path) -> tuple[int, list[dict]]:
    """Run verify.mjs; return its exit code and its JSON lines, keyed in file order."""
    result = node_run(node, "verify.mjs", "--now", NOW_ARG, *files)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [line["file"] for line in lines] == [str(f) for f in files], (
        result.stdout + result.stderr)
    return result.returncode, lines


def db_sign(node: str, suite: str, source: Path, target: Path) -> dict:
    result = node_run(node, "sign.mjs", "--suite", suite, "--key", KEY_PAIR,
                      "--created", CREATED, source, target)
    assert result.returncode == 0, result.stderr
    # vc.issue changed nothing but adding the proof (so both sides sign the same input)
    assert "vc.issue changed" not in result.stderr, result.stderr
    return load_json(target)


def unsigned(name: str) -> dict:
    """The two inputs, issued by the W3C vector key's did:key."""
    if name == "alumni":
        doc = load_json(VECTORS / "unsigned.json")
        doc["issuer"] = VECTOR_DID
        return doc
    doc = load_json(ELM_SAMPLE)
    doc["@context"].append(DATA_INTEGRITY_V2)
    doc["issuer"]["id"] = VECTOR_DID
    return doc


def tamper(name: str, doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    if name == "alumni":
        doc["credentialSubject"]["alumniOf"] = "The School of Forgery"
    else:
        doc["credentialSubject"]["id"] = "urn:epass:person:learner-2"
    return doc


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("unsigned")
    return {name: write_json(folder / f"{name}.json", unsigned(name)) for name in INPUTS}


@pytest.fixture(scope="module")
def mcred_signed(inputs, tmp_path_factory) -> dict[tuple[str, str], Path]:
    from mcred.keys.ed25519 import load_signing_key

    key = load_signing_key(KEY_PAIR)
    folder = tmp_path_factory.mktemp("mcred-signed")
    out = {}
    for name, suite in CASES:
        signed = sign_credential(load_json(inputs[name]), key, suite=suite, created=CREATED)
        out[name, suite] = write_json(folder / f"{name}-{suite}.json", signed)
    return out


@pytest.fixture(scope="module")
def db_signed(node, inputs, tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("db-signed")
    out = {}
    for name, suite in CASES:
        target = folder / f"{name}-{suite}.json"
        db_sign(node, suite, inputs[name], target)
        out[name, suite] = target
    return out


# --- prerequisites and inputs ------------------------------------------------------------


def test_prerequisites_present(node):
    """The helper found node and the packages (it fails the run, never skips, otherwise)."""
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    assert version.returncode == 0
    assert int(version.stdout.strip().lstrip("v").split(".")[0]) >= 20, version.stdout


def test_missing_node_modules_fails_with_the_npm_hint(monkeypatch, tmp_path):
    """Negative test for the helper: no node_modules -> a failure that says what to run."""
    monkeypatch.setattr(f"{__name__}.INTEROP", tmp_path)
    with pytest.raises(pytest.fail.Exception, match=r"run `npm ci --prefix interop` first"):
        find_node()


def test_missing_node_fails_with_the_npm_hint(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match=r"`node`\) is not on PATH.*npm ci"):
        find_node()


def test_elm_sample_is_the_recorded_file():
    assert hashlib.sha256(ELM_SAMPLE.read_bytes()).hexdigest() == ELM_SHA256


def test_vector_key_is_the_did_used_here(vector_key):
    assert vector_key.did == VECTOR_DID


# --- mcred signs, Digital Bazaar verifies -------------------------------------------------


def test_digitalbazaar_verifies_what_mcred_signed(node, mcred_signed):
    files = [mcred_signed[case] for case in CASES]
    code, lines = db_verify(node, *files)
    assert lines == [{"file": str(f), "verified": True, "errors": []} for f in files]
    assert code == 0


@pytest.mark.parametrize("name, suite", CASES)
def test_digitalbazaar_rejects_a_tampered_mcred_credential(node, mcred_signed, tmp_path,
                                                           name, suite):
    signed = mcred_signed[name, suite]
    bad = write_json(tmp_path / "tampered.json", tamper(name, load_json(signed)))
    code, lines = db_verify(node, signed, bad)
    assert lines[0]["verified"] is True  # control: the untouched file in the same run
    assert lines[1]["verified"] is False
    assert lines[1]["errors"] == ["Invalid signature."]
    assert code == 1


# --- Digital Bazaar signs, mcred verifies -------------------------------------------------


@pytest.mark.parametrize("name, suite", CASES)
def test_mcred_verifies_what_digitalbazaar_signed(db_signed, name, suite):
    report = verify_file(db_signed[name, suite], now=NOW)
    assert report.failures == []
    assert report.verified is True
    proof_checks = [c for c in report.checks if c.check == "proof"]
    assert [c.status for c in proof_checks] == [Status.PASSED]
    assert suite in proof_checks[0].message


@pytest.mark.parametrize("name, suite", CASES)
def test_mcred_rejects_a_tampered_digitalbazaar_credential(db_signed, tmp_path, name, suite):
    bad = write_json(tmp_path / "tampered.json", tamper(name, load_json(db_signed[name, suite])))
    report = verify_file(bad, now=NOW)
    assert report.verified is False
    failed = [(c.check, c.code) for c in report.checks if c.status is Status.FAILED]
    assert failed == [("proof", "PROOF_SIGNATURE_INVALID")]
    assert "signature does not match" in report.failures[0].message


# --- the same bytes: identical proofs -------------------------------------------------------


@pytest.mark.parametrize("name, suite", CASES)
def test_same_input_key_and_created_give_the_same_proof_value(mcred_signed, db_signed,
                                                              name, suite):
    ours = load_json(mcred_signed[name, suite])
    theirs = load_json(db_signed[name, suite])
    assert ours["proof"]["proofValue"] == theirs["proof"]["proofValue"]
    # and the whole signed documents agree (proof options included), as JSON values
    assert ours == theirs


def test_proof_values_differ_across_suites_and_inputs(mcred_signed):
    """Control for the test above: equal proofValues are not an artefact of the setup."""
    values = {load_json(path)["proof"]["proofValue"] for path in mcred_signed.values()}
    assert len(values) == len(CASES)


@pytest.mark.interop
@pytest.mark.parametrize("example", sorted(p.name for p in (REPO / "examples").glob("*.yaml")))
def test_issued_elm_credentials_verify_in_digital_bazaar(node, tmp_path, vector_key, example):
    """`mcred issue` output (ELM v3, eddsa-rdfc-2022 and eddsa-jcs-2022) verifies in the reference stack."""
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.issuing import credential_bytes, issue_credential

    outcomes = load_outcomes(REPO / "examples" / example)
    learner = outcomes.learners[0] if outcomes.learners else {
        "given_name": "Ada", "family_name": "Lovelace", "award_date": "2026-06-30"}
    files = []
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        signed = issue_credential(outcomes, learner, vector_key, issued="2026-07-01T09:00:00Z", suite=suite)
        path = tmp_path / f"{suite}.json"
        path.write_bytes(credential_bytes(signed))
        files.append(path)
    code, lines = db_verify(node, *files)
    assert code == 0 and all(line["verified"] for line in lines), lines


@pytest.mark.interop
def test_a_stacked_credential_verifies_in_digital_bazaar(node, tmp_path, vector_key):
    """The stack's own eddsa-rdfc-2022 proof (its components ride inside as attachments) verifies there too."""
    from mcred.elm.outcomes import load_outcomes
    from mcred.issue.issuing import credential_bytes, issue_credential
    from mcred.proofs.signing import sign_credential
    from mcred.report import VerifyOptions
    from mcred.stack.stacking import build_stack_credential, load_components, load_pathway, plan_stack

    paths = []
    for course in ("its-python-data", "its-sql-databases", "unito-short-course"):
        outcomes = load_outcomes(REPO / "examples" / f"{course}.yaml")
        path = tmp_path / f"{course}.json"
        path.write_bytes(credential_bytes(issue_credential(outcomes, outcomes.learners[0], vector_key,
                                                           issued="2026-09-30T10:00:00Z")))
        paths.append(path)
    pathway = load_pathway(REPO / "examples" / "stack" / "pathway-its-to-university.yaml")
    plan = plan_stack(load_components(paths, VerifyOptions()), pathway)
    unsigned = build_stack_credential(plan, issuer=pathway.data["issuer"], issuer_did=vector_key.did,
                                      issued="2026-10-01T09:00:00Z", title=pathway.data["title"], pathway=pathway)
    stack_path = tmp_path / "stack.json"
    stack_path.write_text(json.dumps(sign_credential(unsigned, vector_key, created="2026-10-01T09:00:00Z")))
    code, lines = db_verify(node, stack_path)
    assert code == 0 and lines[0]["verified"], lines
