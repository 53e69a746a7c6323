"""Interop of ecdsa-rdfc-2019 with Digital Bazaar's `@digitalbazaar/ecdsa-rdfc-2019-cryptosuite` (`interop/`,
see its README), with the W3C vc-di-ecdsa vectors' P-256 and P-384 keys: mcred's credentials verify there,
theirs verify here, and a tampered one fails in both. ECDSA signatures are randomised, so unlike the EdDSA
interop test the two sides' proofValues differ; everything else in the signed documents is equal.

Needs Node.js and `npm ci --prefix interop`; deselect with ``-m "not interop"`` (never skipped).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from mcred import sign_credential, verify_file
from mcred.keys.ecdsa import load_any_signing_key
from mcred.report import Status
from tests.conftest import NOW, load_json, write_json
from tests.interop.test_digitalbazaar import INTEROP, db_verify, find_node, node_run

pytestmark = pytest.mark.interop

ECDSA = Path(__file__).resolve().parents[1] / "vectors" / "w3c-vc-di-ecdsa" / "TestVectors"
SUITE = "ecdsa-rdfc-2019"
CREATED = "2026-11-01T09:00:00Z"
KEYS = {"P-256": ECDSA / "p256KeyPair.json", "P-384": ECDSA / "p384KeyPair.json"}
#: each curve with both inputs: the alumni credential (no blank nodes) and the employment one (blank nodes,
#: whose RDFC-1.0 labels depend on the hash: SHA-384 for P-384)
CASES = [(curve, name) for curve in KEYS for name in ("unsigned", "employmentAuth")]


@pytest.fixture(scope="module")
def node() -> str:
    node = find_node()
    for package in ("@digitalbazaar/ecdsa-rdfc-2019-cryptosuite", "@digitalbazaar/ecdsa-multikey"):
        if not (INTEROP / "node_modules" / package / "package.json").is_file():
            pytest.fail(f"interop/node_modules/{package} is missing: run `npm ci --prefix interop` first")
    return node


def unsigned(curve: str, name: str) -> dict:
    doc = load_json(ECDSA / f"{name}.json")
    doc["issuer"] = f"did:key:{load_json(KEYS[curve])['publicKeyMultibase']}"
    return doc


def tamper(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    doc["name"] = doc["name"] + " (with honours)"
    return doc


@pytest.fixture(scope="module")
def mcred_signed(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("mcred-ecdsa")
    out = {}
    for curve, name in CASES:
        key = load_any_signing_key(KEYS[curve])
        signed = sign_credential(unsigned(curve, name), key, suite=SUITE, created=CREATED)
        out[curve, name] = write_json(folder / f"{curve}-{name}.json", signed)
    return out


@pytest.fixture(scope="module")
def db_signed(node, tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("db-ecdsa")
    out = {}
    for curve, name in CASES:
        source = write_json(folder / f"{curve}-{name}-in.json", unsigned(curve, name))
        target = folder / f"{curve}-{name}.json"
        result = node_run(node, "sign.mjs", "--suite", SUITE, "--key", KEYS[curve], "--created", CREATED,
                          source, target)
        assert result.returncode == 0, result.stderr
        assert "vc.issue changed" not in result.stderr, result.stderr
        out[curve, name] = target
    return out


def test_digitalbazaar_verifies_what_mcred_signed(node, mcred_signed):
    files = [mcred_signed[case] for case in CASES]
    code, lines = db_verify(node, *files)
    assert lines == [{"file": str(f), "verified": True, "errors": []} for f in files]
    assert code == 0


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_digitalbazaar_rejects_a_tampered_mcred_credential(node, mcred_signed, tmp_path, case):
    bad = write_json(tmp_path / "tampered.json", tamper(load_json(mcred_signed[case])))
    code, lines = db_verify(node, mcred_signed[case], bad)
    assert lines[0]["verified"] is True  # control: the untouched file in the same run
    assert lines[1]["verified"] is False
    assert lines[1]["errors"] == ["Invalid signature."]
    assert code == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_mcred_verifies_what_digitalbazaar_signed(db_signed, case):
    report = verify_file(db_signed[case], now=NOW)
    assert report.failures == [] and report.verified is True
    proof_checks = [c for c in report.checks if c.check == "proof"]
    assert [c.status for c in proof_checks] == [Status.PASSED]
    assert SUITE in proof_checks[0].message


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_mcred_rejects_a_tampered_digitalbazaar_credential(db_signed, tmp_path, case):
    bad = write_json(tmp_path / "tampered.json", tamper(load_json(db_signed[case])))
    report = verify_file(bad, now=NOW)
    failed = [(c.check, c.code) for c in report.checks if c.status is Status.FAILED]
    assert failed == [("proof", "PROOF_SIGNATURE_INVALID")]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_both_sides_sign_the_same_document_and_proof_options(mcred_signed, db_signed, case):
    ours, theirs = load_json(mcred_signed[case]), load_json(db_signed[case])
    assert ours["proof"].pop("proofValue") != theirs["proof"].pop("proofValue")  # ECDSA is randomised
    assert ours == theirs
