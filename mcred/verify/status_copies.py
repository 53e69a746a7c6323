"""Local copies of status lists, each verified like a credential before a verifier relies on it.

A copy whose proof fails, whose issuer does not control the signing key, or
that is outside its validity period, is kept but untrusted: a credential checked
against it gets "could not check", never "revoked" nor "active" (:mod:`mcred.verify.status`;
a set bit in a copy that verifies as another signer's refuses the credential, fail safe).
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
from .status import MIN_ENTRIES, StatusList, StatusLists, UnreadableList, parse_status_list


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

    Never raises for a file's content: a file that cannot be read or is not a status list at
    all is kept as an :class:`~mcred.verify.status.UnreadableList` (the credentials pointing
    to it get ``STATUS_LIST_UNREADABLE``, a warning, and everything else is checked as
    usual); a list whose proof fails, whose issuer does not control the signing key, or that
    is outside its validity period, is kept but marked untrusted (``STATUS_LIST_INVALID``).
    """
    from .token_status import read_token_copy

    lists = StatusLists()
    for path in paths:
        # a Status List Token (SD-JWT VCs) is told apart by its content; it is verified per credential,
        # with that credential's issuer key (:mod:`mcred.verify.sdjwt`), not here
        token = read_token_copy(path)
        if token is not None:
            lists.add_token(token)
            continue
        try:
            lists.add(load_status_list(path, now=now, trust=trust, documents=documents))
        except InputError as exc:
            lists.add_unreadable(_unreadable(path, exc))
    return lists


def _unreadable(path: str | Path, exc: InputError) -> UnreadableList:
    """Why a file could not be used as a status list, and which list it says it is (if it says)."""
    claimed = None
    try:
        document = read_json(Path(path))
        if isinstance(document, dict) and isinstance(document.get("id"), str):
            claimed = document["id"]
    except InputError:
        pass  # unreadable JSON names no list
    reason = f"{exc.code}: {exc.message}" if exc.code else exc.message
    italian = translate(exc.code, exc.message, exc.hint, getattr(exc, "params", {}) or {}, "it")[0]
    return UnreadableList(str(path), claimed, reason, f"{exc.code}: {italian}" if exc.code else italian)


def _judge(status_list: StatusList, report) -> None:
    """Set ``verified``, ``trusted`` (and ``problem``) from the list's own verification report."""
    failures = [c for c in report.checks if c.status == Status.FAILED]
    # its signer's proof, key and dates hold (whoever the signer is, whatever its size)
    status_list.verified = not report.unusable and not failures
    if status_list.size < MIN_ENTRIES:
        status_list.problem = (
            f"it has {status_list.size} entries; the specification requires at least {MIN_ENTRIES}",
            f"ha {status_list.size} voci; la specifica ne richiede almeno {MIN_ENTRIES}")
        return
    if report.unusable or failures:
        first = failures[0] if failures else report.checks[-1]
        status_list.problem = (first.message, _italian(first))
        return
    status_list.trusted = True


def _italian(result) -> str:
    return translate(result.code, result.message, result.hint, getattr(result, "params", {}), "it")[0]
