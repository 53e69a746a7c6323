"""Local copies of status lists, each verified like a credential before a verifier relies on it.

A copy whose proof fails, whose issuer does not control the signing key, or
that is outside its validity period, is kept but untrusted: a credential checked
against it gets "could not check", never "revoked" (:mod:`mcred.verify.status`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from mcred._files import read_json
from mcred.errors import InputError
from mcred.messages import translate
from mcred.report import Status, VerifyOptions

from .runner import verify_credential
from .status import MIN_ENTRIES, StatusList, StatusLists, parse_status_list


def load_status_list(path: str | Path, *, now: datetime | None = None, trust: Any = None,
                     documents: Any = None) -> StatusList:
    """Read one status list file and verify it like a credential (InputError if unusable).

    With ``trust`` (a :class:`mcred.verify.trust.TrustList`), a list signed with a key the
    trust file binds to its issuer verifies too, as a credential would; with ``documents`` (the user's
    DID documents, :mod:`mcred.keys.documents`), a list signed with a did:web key too.
    """
    document = read_json(Path(path))
    if not isinstance(document, dict):
        raise InputError("a status list must be a JSON object", file=str(path), code="STATUS_LIST_MALFORMED")
    report = verify_credential(document, now=now, file=str(path), options=VerifyOptions(now=now, trust=trust,
                                                                                         documents=documents))
    status_list = parse_status_list(document, file=str(path), facts=report.facts)
    _judge(status_list, report)
    return status_list


def load_status_lists(paths: Iterable[str | Path], *, now: datetime | None = None,
                      trust: Any = None, documents: Any = None) -> StatusLists:
    """Read and verify local copies of status lists (``mcred verify --status-list``).

    A file that is not a status list at all raises :class:`~mcred.errors.InputError`; a
    list whose proof fails, whose issuer does not control the signing key, or that is
    outside its validity period, is kept but marked untrusted.
    """
    return StatusLists(load_status_list(path, now=now, trust=trust, documents=documents) for path in paths)


def _judge(status_list: StatusList, report) -> None:
    """Set ``trusted`` (and ``problem``) from the list's own verification report."""
    if status_list.size < MIN_ENTRIES:
        status_list.problem = (
            f"it has {status_list.size} entries; the specification requires at least {MIN_ENTRIES}",
            f"ha {status_list.size} voci; la specifica ne richiede almeno {MIN_ENTRIES}")
        return
    failures = [c for c in report.checks if c.status == Status.FAILED]
    if report.unusable or failures:
        first = failures[0] if failures else report.checks[-1]
        status_list.problem = (first.message, _italian(first))
        return
    status_list.trusted = True


def _italian(result) -> str:
    return translate(result.code, result.message, result.hint, getattr(result, "params", {}), "it")[0]
