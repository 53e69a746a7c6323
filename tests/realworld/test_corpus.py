"""The real-world corpus (issue 16's acceptance): what the field issues, verified offline with one report.

Each source's credentials are verified through the command line with only what a user can supply
(``tests/realworld/corpus.py`` says what). The source's verdict is the contract: no credential it
calls invalid is accepted; of those it calls valid, at most five that an offline verifier can reach
are refused; every one out of reach is refused with a reason that says why; no crash, no hang.
"""

from __future__ import annotations

import pytest

from tests.realworld.corpus import run, summary
from tests.test_fuzz import hang_guard

pytestmark = pytest.mark.slow

#: the failures that say "out of an offline verifier's reach", not "forged"
#: (a did:web or https key whose document no one gave is KEY_DOCUMENT_MISSING: "give its document with --did-documents";
#: RSA JWTs are JWT_ALG_UNSUPPORTED; a JWT file cut short is JWT_MALFORMED)
OUT_OF_REACH_CODES = {"PROOF_UNSUPPORTED", "PROOF_KEY_UNRESOLVABLE", "KEY_DOCUMENT_MISSING", "CONTEXT_UNKNOWN",
                      "JWT_ALG_UNSUPPORTED", "JWT_MALFORMED"}


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


def test_at_most_five_valid_credentials_in_reach_are_refused(items):
    refused = [(i.file, i.verdict, i.codes) for i in items
               if i.expected == "valid" and not i.agrees and not i.out_of_scope]
    assert len(refused) <= 5, refused
    assert summary(items)["valid refused (in reach)"] == len(refused)


def test_a_valid_credential_out_of_reach_is_refused_with_the_reason(items):
    # (one the source calls invalid may be refused for its own fault first: that is agreement, not reach)
    unexplained = [(i.file, i.codes) for i in items if i.expected == "valid" and i.out_of_scope
                   and i.verdict != "verified" and not OUT_OF_REACH_CODES & set(i.codes)]
    assert unexplained == []
