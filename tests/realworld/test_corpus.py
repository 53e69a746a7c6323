"""The real-world corpus (issue 16's acceptance): what the field issues, verified offline with one report.

Each source's credentials are verified through the command line with only what a user can supply
(``tests/realworld/corpus.py`` says what). The source's verdict is the contract: no credential it
calls invalid is accepted; of those it calls valid, at most five that an offline verifier can reach
are refused; every one out of reach is refused with a reason that says why; no crash, no hang.
"""

from __future__ import annotations

import pytest

from tests.realworld.corpus import run
from tests.test_fuzz import hang_guard

pytestmark = pytest.mark.slow

#: the failures that say "out of an offline verifier's reach", not "forged"
OUT_OF_REACH_CODES = {"PROOF_UNSUPPORTED", "PROOF_KEY_UNRESOLVABLE", "CONTEXT_UNKNOWN"}


@pytest.fixture(scope="module")
def items():
    with hang_guard(seconds=600):
        return run()


def test_no_credential_the_source_calls_invalid_is_accepted(items):
    accepted = [i.file for i in items if i.expected == "invalid" and i.verdict == "verified"]
    assert accepted == []


def test_every_credential_gets_a_report_never_a_crash(items):
    assert [(i.file, i.codes) for i in items if i.verdict == "not run"] == []
    assert not any("INTERNAL" in code for i in items for code in i.codes)


def test_a_credential_out_of_reach_is_refused_with_the_reason(items):
    unexplained = [(i.file, i.codes) for i in items if i.out_of_scope and i.verdict != "verified"
                   and not OUT_OF_REACH_CODES & set(i.codes)]
    assert unexplained == []
