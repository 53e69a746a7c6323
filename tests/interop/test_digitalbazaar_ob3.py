"""Open Badges 3.0 renditions and Digital Bazaar's stack (`interop/verify.mjs`, `sign.mjs`): what mcred issues
verifies there with the bundled OB contexts, a changed credit value is rejected there too, and both sign the
same unsigned badge to the same proofValue (they agree on its canonical form, fractional credits included)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from mcred.elm.outcomes import load_outcomes
from mcred.issue import ob3
from mcred.issue.award import credential_bytes
from mcred.issue.ob3 import issue_ob3

from .test_digitalbazaar import CREATED, db_sign, db_verify, node  # noqa: F401  (node is a fixture)

pytestmark = pytest.mark.interop

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = ["its-python-data.yaml", "its-sql-databases.yaml", "unito-short-course.yaml"]


def issued(example: str, key) -> dict:
    outcomes = load_outcomes(REPO / "examples" / example)
    return issue_ob3(outcomes, outcomes.learners[0], key, issued=CREATED)


def write(path: Path, credential: dict) -> Path:
    path.write_bytes(credential_bytes(credential))
    return path


def test_digital_bazaar_verifies_every_example_rendition(node, tmp_path, vector_key):  # noqa: F811
    files = [write(tmp_path / example.replace(".yaml", ".ob3.json"), issued(example, vector_key))
             for example in EXAMPLES]
    code, lines = db_verify(node, *files)
    assert code == 0 and all(line["verified"] for line in lines), lines


def test_digital_bazaar_rejects_a_changed_credit_value(node, tmp_path, vector_key):  # noqa: F811
    badge = issued(EXAMPLES[0], vector_key)
    badge["credentialSubject"]["achievement"]["creditsAvailable"] += 1
    code, lines = db_verify(node, write(tmp_path / "tampered.json", badge))
    assert code == 1 and not lines[0]["verified"], lines


@pytest.mark.parametrize("credits", [None, 1.5], ids=["whole", "fractional"])
def test_both_sign_a_badge_to_the_same_proof_value(node, tmp_path, vector_key, monkeypatch, credits):  # noqa: F811
    if credits is not None:
        real = ob3.ob3_from_elm

        def with_credits(elm, data):
            credential = real(elm, data)
            credential["credentialSubject"]["achievement"]["creditsAvailable"] = credits
            return credential

        monkeypatch.setattr(ob3, "ob3_from_elm", with_credits)
    ours = issued(EXAMPLES[0], vector_key)
    unsigned = copy.deepcopy(ours)
    del unsigned["proof"]
    theirs = db_sign(node, "eddsa-rdfc-2022", write(tmp_path / "unsigned.json", unsigned), tmp_path / "theirs.json")
    assert theirs["proof"]["proofValue"] == ours["proof"]["proofValue"]
