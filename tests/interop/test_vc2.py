"""`--format vc2` (ELM 3.2 on VC 2.0, EUHEMC) against Digital Bazaar's eddsa-jcs-2022
(`interop/verify.mjs`, `interop/sign.mjs`; the harness has no ecdsa-jcs-2019 suite): each example's
rendition verifies there, a changed credit does not, and Digital Bazaar signing the same unsigned
rendition with the same key and time gives the very proof mcred gives (Ed25519 is deterministic), so
both sides sign the same JSON bytes.

Needs Node.js and `npm ci --prefix interop`; missing prerequisites FAIL (see test_digitalbazaar.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcred.elm.outcomes import load_outcomes
from mcred.issue.vc2 import build_vc2, issue_vc2
from mcred.keys.ed25519 import load_signing_key
from tests.conftest import write_json
from tests.interop.test_digitalbazaar import KEY_PAIR, db_sign, db_verify, find_node

pytestmark = pytest.mark.interop

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CREATED = "2026-11-01T09:00:00Z"  # the harness's time (db_sign signs with it), after every example's award


@pytest.fixture(scope="module")
def node() -> str:
    return find_node()


def _outcomes(example: Path):
    return load_outcomes(example, now=CREATED)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_digital_bazaar_verifies_each_examples_vc2_rendition(node, tmp_path, example):
    outcomes = _outcomes(example)
    ed = issue_vc2(outcomes, outcomes.learners[0], load_signing_key(KEY_PAIR), issued=CREATED)
    changed = json.loads(json.dumps(ed))
    changed["credentialSubject"]["hasClaim"][0]["creditReceived"][0]["point"] = "15"
    files = [write_json(tmp_path / f"{name}.json", doc) for name, doc in
             (("eddsa", ed), ("changed", changed))]
    _, lines = db_verify(node, *files)
    assert [line["verified"] for line in lines] == [True, False], lines
    assert lines[1]["errors"] == ["Invalid signature."]


def test_digital_bazaar_signs_the_same_bytes(node, tmp_path):
    outcomes = _outcomes(ROOT / "examples" / "unito-short-course.yaml")
    key = load_signing_key(KEY_PAIR)
    unsigned = build_vc2(outcomes, outcomes.learners[0], issuer_id=key.did, issued=CREATED)
    ours = issue_vc2(outcomes, outcomes.learners[0], key, issued=CREATED)
    theirs = db_sign(node, "eddsa-jcs-2022", write_json(tmp_path / "unsigned.json", unsigned),
                     tmp_path / "theirs.json")
    assert theirs["proof"]["proofValue"] == ours["proof"]["proofValue"]
