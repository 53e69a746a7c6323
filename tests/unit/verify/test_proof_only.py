"""Proof-only verification (``VerifyOptions.proof_only``, ``mcred verify --proof-only``): every proof must verify,
and the issuer rule is not applied; without it, a proof chain with a second signer still fails the issuer rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcred.cli.app import app
from mcred.report import Status, VerifyOptions
from mcred.verify.runner import verify_credential, verify_file
from tests.conftest import NOW

REALWORLD = Path(__file__).resolve().parents[2] / "assets" / "realworld" / "w3c-vc-di-eddsa"
SETS_AND_CHAINS = sorted(REALWORLD.glob("proof-set-chain__*.json"))


def codes(report) -> dict[str, str]:
    return {c.code: c.status.value for c in report.checks}


def test_the_w3c_vectors_are_there():
    assert len(SETS_AND_CHAINS) == 4


@pytest.mark.parametrize("path", SETS_AND_CHAINS, ids=lambda p: p.stem)
def test_a_proof_set_or_chain_with_several_signers_verifies_proof_only(path):
    report = verify_file(path, options=VerifyOptions(now=NOW, proof_only=True))
    assert report.verified, report.failures
    assert codes(report)["SKIPPED_PROOF_ONLY"] == "skipped"
    assert [c.code for c in report.checks if c.check == "proof"] == ["PROOF_OK"] * len(report.proofs)


@pytest.mark.parametrize("path", SETS_AND_CHAINS, ids=lambda p: p.stem)
def test_without_proof_only_the_issuer_rule_still_refuses_a_second_signer(path):
    report = verify_file(path, options=VerifyOptions(now=NOW))
    assert not report.verified
    assert codes(report)["ISSUER_NOT_SIGNER"] == "failed"


def test_proof_only_still_needs_every_proof_to_verify():
    # a holder changes a claim without touching any signature: proof-only does not excuse it
    document = json.loads(SETS_AND_CHAINS[0].read_text(encoding="utf-8"))
    document["credentialSubject"]["alumniOf"] = "Another University"
    report = verify_credential(document, options=VerifyOptions(now=NOW, proof_only=True))
    assert not report.verified
    assert "PROOF_SIGNATURE_INVALID" in [c.code for c in report.failures]
    assert all(c.status != Status.PASSED for c in report.checks if c.check == "issuer")


def test_the_cli_option(runner, tmp_path):
    chain = SETS_AND_CHAINS[0]
    done = runner.invoke(app, ["verify", str(chain), "--proof-only", "--now", "2026-11-23T12:00:00Z"])
    assert done.exit_code == 0, done.output
    assert "ISSUER NOT CHECKED (--proof-only)" in done.output
    done = runner.invoke(app, ["verify", str(chain), "--now", "2026-11-23T12:00:00Z", "--format", "json"])
    assert done.exit_code == 1
    assert "ISSUER_NOT_SIGNER" in done.output
    italian = runner.invoke(app, ["verify", str(chain), "--proof-only", "--lang", "it", "--format", "json"])
    report = json.loads(italian.output.splitlines()[0])
    skipped = next(c for c in report["checks"] if c["code"] == "SKIPPED_PROOF_ONLY")
    assert "verifica delle sole prove" in skipped["message"]
