"""The verdict people read (mcred.present.verdict): from a report's checks to the ribbon's state."""

from __future__ import annotations

import pytest

from mcred.present.verdict import verdict


def check(code, status="passed"):
    return {"check": "x", "status": status, "code": code, "message": "m"}


def report(*checks, outcome="verified", components=()):
    return {"outcome": outcome, "checks": list(checks), "components": list(components)}


TRUSTED, NO_TRUST = check("TRUST_TRUSTED"), check("SKIPPED_NO_TRUST", "skipped")
UNLISTED = check("TRUST_UNKNOWN_ISSUER", "warning")
NOT_CHECKED = check("STATUS_NOT_CHECKED", "warning")


@pytest.mark.parametrize("checks, outcome, state", [
    ((TRUSTED,), "verified", "verified"),
    ((TRUSTED, NOT_CHECKED), "verified-with-warnings", "revocation-unchecked"),
    ((NO_TRUST,), "verified", "signed-issuer-unchecked"),
    ((NO_TRUST, NOT_CHECKED), "verified-with-warnings", "signed-unchecked"),
    ((UNLISTED,), "verified-with-warnings", "issuer-unlisted"),
    ((TRUSTED, check("ANNEX_I_MISSING", "warning")), "verified-with-warnings", "partial"),
    ((NO_TRUST, check("PROOF_SIGNATURE_INVALID", "failed")), "invalid", "failed"),
    ((check("JSON_MALFORMED", "failed"),), "unusable", "failed"),
])
def test_each_state_from_its_checks(checks, outcome, state):
    assert verdict(report(*checks, outcome=outcome)).state == state


def test_a_failure_is_never_softened_by_what_was_left_unchecked():
    """Negative: an invalid credential with no trust list is failed, not "signature valid"."""
    judged = verdict(report(NO_TRUST, NOT_CHECKED, outcome="invalid"))
    assert judged.state == "failed" and judged.issuer_unchecked and judged.revocation_unchecked


def test_a_component_s_unchecked_status_leaves_the_stack_s_revocation_unchecked():
    component = report(TRUSTED, NOT_CHECKED, outcome="verified-with-warnings")
    stack = report(TRUSTED, check("STACK_COMPONENT_WARNING", "warning"), outcome="verified-with-warnings",
                   components=[component])
    assert verdict(stack).state == "revocation-unchecked"


def test_a_component_s_issuer_not_in_the_trust_list_is_a_plain_warning_of_the_stack():
    """Negative: the stack's issuer is in the trust list; a component's is not: "partial", not "issuer-unlisted"
    (which would say the stack's own issuer is unknown)."""
    component = report(UNLISTED, outcome="verified-with-warnings")
    stack = report(TRUSTED, check("STACK_COMPONENT_WARNING", "warning"), outcome="verified-with-warnings",
                   components=[component])
    judged = verdict(stack)
    assert judged.state == "partial" and not judged.issuer_unlisted

