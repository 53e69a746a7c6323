"""What a verification report lets a person conclude: the ribbon of ``mcred show`` and ``mcred render``, the
heading of ``mcred verify``'s text.

The report's ``outcome`` is the machines' contract (the exit code, the JSON report) and does not change
here: ``verified`` means that every check that ran passed. Two checks may not have run at all, and a
person reading "Verified" would not guess it: whether the issuer is who it claims to be (no trust list
given, ``--trust``: ``SKIPPED_NO_TRUST``), and whether the credential has been revoked (it has a status
entry, but no copy of its list was given, ``--status-list``: ``STATUS_NOT_CHECKED``). So the words people
read have their own states, and only a signature by an issuer of the reader's trust list, with nothing
left unchecked, is plainly verified (green):

=============================  ===========================================================================
state                          when
=============================  ===========================================================================
``verified``                   every check passed, and the issuer is in the trust list given
``revocation-unchecked``       as ``verified``, but a status entry's list was not given
``signed-issuer-unchecked``    the signature is valid, but no trust list was given
``signed-unchecked``           both: no trust list, and a status entry's list not given
``issuer-unlisted``            the signature is valid, but the issuer is not in the trust list given
``partial``                    verified with any other warning (a list that does not verify, Annex I, ...)
``failed``                     not valid, or the input unusable
=============================  ===========================================================================

A stack's components count too: a component whose status was not checked leaves the stack's
revocation unchecked (its ``STACK_COMPONENT_WARNING`` is read through the component's own report); a
component whose issuer is not in the trust list is a plain warning (``partial``), since the stack's own
issuer may well be in it.
Everything is read from the report as a dict (:meth:`mcred.report.VerificationReport.to_dict`), the form
``mcred verify`` has for every file of a batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

VERIFIED = "verified"
REVOCATION_UNCHECKED = "revocation-unchecked"
SIGNED_ISSUER_UNCHECKED = "signed-issuer-unchecked"
SIGNED_UNCHECKED = "signed-unchecked"
ISSUER_UNLISTED = "issuer-unlisted"
PARTIAL = "partial"
FAILED = "failed"
#: every state, from the best to the worst
STATES = (VERIFIED, REVOCATION_UNCHECKED, SIGNED_ISSUER_UNCHECKED, SIGNED_UNCHECKED, ISSUER_UNLISTED, PARTIAL,
          FAILED)

#: the codes that say what was left unchecked, or what the trust list said
NO_TRUST = "SKIPPED_NO_TRUST"
#: the issuer rule not applied at all (``--proof-only``): the issuer is as unchecked as without a trust list
PROOF_ONLY = "SKIPPED_PROOF_ONLY"
UNLISTED = "TRUST_UNKNOWN_ISSUER"
STATUS_NOT_CHECKED = "STATUS_NOT_CHECKED"
COMPONENT_WARNING = "STACK_COMPONENT_WARNING"
#: an SD-JWT VC's codes for the same two facts: no X.509 anchors given, and no copy of its Token Status List
SD_JWT_NO_TRUST = "SDJWT_CHAIN_NOT_CHECKED"
SD_JWT_STATUS_NOT_CHECKED = "SDJWT_STATUS_UNCHECKED"


@dataclass(frozen=True)
class Verdict:
    """The state, and the facts it was decided from (a ``partial`` verdict may leave things unchecked too)."""

    state: str
    issuer_unchecked: bool = False        # no trust list was given
    issuer_unlisted: bool = False         # a trust list was given, and the issuer is not in it
    revocation_unchecked: bool = False    # a status entry whose list was not given
    other_warnings: bool = False


def verdict(report: Mapping) -> Verdict:
    """The verdict of a report given as a dict (``VerificationReport.to_dict()``)."""
    found: set[str] = set()
    _read(report, found)
    facts = {"issuer_unchecked": NO_TRUST in found, "issuer_unlisted": UNLISTED in found,
             "revocation_unchecked": STATUS_NOT_CHECKED in found, "other_warnings": "other" in found}
    if report.get("outcome") not in ("verified", "verified-with-warnings"):
        return Verdict(FAILED, **facts)
    if facts["other_warnings"]:
        state = PARTIAL
    elif facts["issuer_unlisted"]:
        state = ISSUER_UNLISTED
    elif facts["issuer_unchecked"]:
        state = SIGNED_UNCHECKED if facts["revocation_unchecked"] else SIGNED_ISSUER_UNCHECKED
    else:
        state = REVOCATION_UNCHECKED if facts["revocation_unchecked"] else VERIFIED
    return Verdict(state, **facts)


def _read(report: Mapping, found: set[str], *, component: bool = False) -> None:
    components = [c for c in report.get("components") or () if isinstance(c, Mapping)]
    for check in report.get("checks") or ():
        code, status = check.get("code"), check.get("status")
        if code in (NO_TRUST, PROOF_ONLY, SD_JWT_NO_TRUST):
            found.add(NO_TRUST)
        elif code == SD_JWT_STATUS_NOT_CHECKED:
            found.add(STATUS_NOT_CHECKED)
        elif status == "warning":
            if code == STATUS_NOT_CHECKED or (code == UNLISTED and not component):
                found.add(code)
            elif not (code == COMPONENT_WARNING and components):  # else: the component's own report says why
                # (a component's issuer not in the trust list is not the stack's issuer: a plain warning)
                found.add("other")
    for part in components:
        _read(part, found, component=True)
