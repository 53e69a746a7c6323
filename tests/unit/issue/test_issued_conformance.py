"""Every credential `mcred issue` makes from the examples conforms to the EC's edc-generic-full SHACL."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcred.elm.outcomes import load_outcomes, read_roster
from mcred.issue.issuing import issue_credential
from mcred.verify.runner import verify_credential
from tests.conftest import NOW
from tests.shacl import shacl_report, shacl_violations

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
ISSUED = "2026-07-01T09:00:00Z"


def learners_for(outcomes):
    roster = [row.learner for row in read_roster(EXAMPLES / "roster.csv")]
    return outcomes.learners + roster


@pytest.mark.parametrize("example", ["its-python-data.yaml", "unito-short-course.yaml"])
def test_issued_credentials_conform_and_verify(example, test_key):
    outcomes = load_outcomes(EXAMPLES / example)
    for learner in learners_for(outcomes):
        credential = issue_credential(outcomes, learner, test_key, issued=ISSUED)
        conforms, text = shacl_report(credential)
        assert conforms, "\n".join(shacl_violations(credential))
        assert verify_credential(credential, now=NOW).verified


def test_a_broken_build_is_caught_by_the_shapes(test_key):
    """The check above can fail: a credential without displayParameter does not conform."""
    outcomes = load_outcomes(EXAMPLES / "its-python-data.yaml")
    credential = issue_credential(outcomes, outcomes.learners[0], test_key, issued=ISSUED)
    del credential["displayParameter"]
    assert any("displayParameter" in line for line in shacl_violations(credential))
