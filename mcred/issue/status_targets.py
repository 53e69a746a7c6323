"""Which status-list indexes a secretary means: by index or range, credential file, credential id, learner or row.

``mcred status revoke LIST TARGET...`` takes what people have at hand, not only the index
``status_index`` the manifest records:

* an index (``48213``) or a range of indexes (``100-120``);
* a credential file (``out/rossi-giulia-1a2b3c4d.json``): its status entry is read from the signed
  graph, and the credential must verify, signed by the list's issuer (a file edited by hand, or
  another issuer's, names nothing); for a Token Status List, an SD-JWT VC file
  (``out/rossi-giulia-1a2b3c4d.sd-jwt``): its issuer-signed payload's ``status.status_list``, once its
  ``x5c`` leaf is the list's own key and the signature verifies with it;
* a credential id (``urn:uuid:…`` or a URL), a learner's codice fiscale (``--learner``) or a roster
  row (``--row``): looked up in the manifest of the run that issued it (``--manifest``,
  :mod:`mcred.issue.manifest`). A learner's credentials are those that stand (not replaced by a
  reissue); a row is the row of the manifest's last run.

Every target is resolved before the list is changed: one that names nothing (not found, issued
without a status entry, its entry in another list) refuses the whole command, and says which.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from mcred.errors import InputError, UsageError

from .manifest import Manifest, RowResult

_INDEX = re.compile(r"\d{1,12}")
_RANGE = re.compile(r"(\d{1,12})-(\d{1,12})")
_CREDENTIAL_ID = re.compile(r"(urn|https?|did):", re.IGNORECASE)
NOT_FOUND = "STATUS_TARGET_NOT_FOUND"
NO_ENTRY = "STATUS_TARGET_NO_ENTRY"


@dataclass
class Target:
    """One index to change, and how the command names it to a person."""

    index: int
    label: str


def resolve_targets(list_path: Path, targets: list[str], *, learners: list[str] = (), rows: list[int] = (),
                    manifest: Manifest | None = None, manifest_file: str | None = None,
                    issuer: str | None = None, status_list=None, issuer_key=None) -> list[Target]:
    """The indexes ``targets``, ``learners`` and ``rows`` name in the list ``list_path``, in order, once each.

    ``issuer`` is a Bitstring list's issuer (the key's DID): a credential file must be signed by it.
    ``status_list`` is a Token Status List already read, with its ``id`` (``uri``) and ``size``, and
    ``issuer_key`` its key (:class:`mcred.keys.ecdsa.EcSigningKey`): an SD-JWT VC file must be signed by it.
    UsageError (exit 2) for a target that names nothing in this list, InputError (exit 3) for a credential
    file that cannot be read or is not this issuer's.
    """
    from .status_lists import load_status_list

    token = status_list is not None
    status_list = status_list if token else load_status_list(Path(list_path))
    read_file = (lambda path: _sd_jwt_file_target(path, status_list.id, issuer_key)) if token else \
        (lambda path: _file_target(path, status_list.id, issuer))
    found: list[Target] = []
    for target in targets:
        found += _resolve(target, status_list, manifest, manifest_file, read_file)
    if (learners or rows) and manifest is None:
        raise UsageError("--learner and --row look the credential up in a manifest: give --manifest DIR/manifest.json",
                         code="USAGE")
    for fiscal_code in learners:
        found += [_record_target(r, status_list.id, manifest_file) for r in _by_learner(fiscal_code, manifest,
                                                                                         manifest_file)]
    for number in rows:
        found.append(_record_target(_by_row(number, manifest, manifest_file), status_list.id, manifest_file))
    if not found:
        raise UsageError("say which credentials: give an index, a range, a credential file or id, --learner CF or "
                         "--row N", code="USAGE")
    unique: dict[int, Target] = {}
    for target in found:
        unique.setdefault(target.index, target)
    return list(unique.values())


def _resolve(target: str, status_list, manifest: Manifest | None, manifest_file: str | None,
             read_file) -> list[Target]:
    if _INDEX.fullmatch(target):
        return [Target(int(target), target)]
    span = _RANGE.fullmatch(target)
    if span:
        first, last = int(span.group(1)), int(span.group(2))
        if first > last or last >= status_list.size:
            raise UsageError(f"the range {target} is not within the list (0 to {status_list.size - 1}, "
                             "the smaller index first)", code=NOT_FOUND)
        return [Target(index, str(index)) for index in range(first, last + 1)]
    if _CREDENTIAL_ID.match(target) and not Path(target).exists():
        if manifest is None:
            raise UsageError(f"{target}: a credential id is looked up in the manifest of the run that issued it",
                             code=NOT_FOUND, hint="give --manifest DIR/manifest.json, or the credential's file")
        records = [r for r in manifest.credentials() if r.credential_id == target]
        if not records:
            raise UsageError(f"no credential {target} in the manifest", file=manifest_file, code=NOT_FOUND,
                             hint="check the id, or give the credential's file")
        return [_record_target(records[0], status_list.id, manifest_file)]
    if Path(target).exists():
        return [read_file(Path(target))]
    raise UsageError(f"{target!r} is not an index, a range (100-120), a credential id (urn:uuid:…) or a file that "
                     "exists", code=NOT_FOUND, hint="for a learner, give --learner CF (or --row N) and --manifest")


def _file_target(path: Path, list_id: str, issuer: str | None) -> Target:
    """The status entry a credential file's signed graph holds."""
    from mcred._files import read_input
    from mcred.sdjwt.compact import is_sd_jwt
    from mcred.verify.runner import verify_credential
    from mcred.verify.status import StatusRef, status_refs

    data = read_input(path)
    if is_sd_jwt(data):
        raise UsageError("an SD-JWT VC: its status is in a Token Status List (LIST.jwt), not in this W3C Bitstring "
                         "list", file=str(path), code=NOT_FOUND, hint="give the Token Status List it was issued with")
    try:
        report = verify_credential(json.loads(data), file=str(path))
    except (ValueError, RecursionError):
        raise InputError("not a credential: malformed JSON", file=str(path), code="JSON_MALFORMED") from None
    proof = report.proofs[0] if report.proofs else None
    if report.facts is None or proof is None or (issuer is not None and proof.controller != issuer):
        raise InputError("not a credential signed by this list's issuer (its signature does not verify, or another "
                         "key signed it)", file=str(path), code="STATUS_TARGET_NOT_ISSUERS",
                         hint="give the credential as it was issued, or its index (status_index in the manifest)")
    refs = [ref for ref in status_refs(report.facts) if isinstance(ref, StatusRef)]
    if not refs:
        raise _no_entry(path)
    mine = [ref for ref in refs if ref.list_id == list_id]
    if not mine:
        raise _other_list(path, refs[0].list_id, list_id)
    return Target(mine[0].index, path.name)


def _sd_jwt_file_target(path: Path, list_id: str, issuer_key) -> Target:
    """The Token Status List entry an SD-JWT VC file's issuer-signed payload holds, if this list's key signed it.

    The ``x5c`` leaf must certify the list's key and the signature verify with it: the holder's copy of
    a credential, with or without its disclosures, names its index; an edited one, or another issuer's,
    could point at someone else's index, and names nothing.
    """
    from .sd_jwt_vc import read_own_sd_jwt_vc

    own = read_own_sd_jwt_vc(path, issuer_key)
    if own is None:
        raise InputError("not an SD-JWT VC signed by this list's key (it is not an SD-JWT, its x5c certificate is "
                         "another key's, or its signature does not verify)", file=str(path),
                         code="STATUS_TARGET_NOT_ISSUERS",
                         hint="give the credential as it was issued, or its index (status_index in the manifest)")
    if own.status is None:
        raise _no_entry(path)
    uri, index = own.status
    if uri != list_id:
        raise _other_list(path, uri, list_id)
    return Target(index, path.name)


def _no_entry(path: Path) -> UsageError:
    return UsageError("the credential carries no status entry: it was issued without a status list and can never "
                      "be revoked or suspended", file=str(path), code=NO_ENTRY,
                      hint="issue it again with --status-list and --reissue (docs/issue.md, 'Re-runs')")


def _other_list(path: Path, theirs: str, list_id: str) -> UsageError:
    return UsageError(f"the credential's status is in list {theirs}, not in this one ({list_id})",
                      file=str(path), code=NOT_FOUND, hint="give the list it names")


def _by_learner(fiscal_code: str, manifest: Manifest, manifest_file: str | None) -> list[RowResult]:
    wanted = fiscal_code.strip().upper()
    records = [r for r in manifest.standing()
               if (r.learner or {}).get("codice_fiscale", "").upper() == wanted]
    if not records:
        why = (" (it was written by an older mcred, which did not record the learners: give the credential's file)"
               if manifest.legacy else "")
        raise UsageError(f"no credential for the codice fiscale {wanted} in the manifest{why}", file=manifest_file,
                         code=NOT_FOUND, hint="check the codice fiscale, or give the credential's file")
    return records


def _by_row(number: int, manifest: Manifest, manifest_file: str | None) -> RowResult:
    records = [r for r in manifest.rows if r.row == number]
    if not records:
        raise UsageError(f"no row {number} in the manifest", file=manifest_file, code=NOT_FOUND,
                         hint="rows are numbered as in the roster (its header is row 1)")
    if not records[0].has_credential:
        raise UsageError(f"row {number} has no credential (its issue failed: {records[0].error})", file=manifest_file,
                         code=NOT_FOUND)
    return records[0]


def _record_target(record: RowResult, list_id: str, manifest_file: str | None) -> Target:
    if record.status_index is None:
        raise UsageError(f"{record.label()}: issued without a status list, it can never be revoked or suspended",
                         file=manifest_file, code=NO_ENTRY,
                         hint="issue it again with --status-list and --reissue (docs/issue.md, 'Re-runs')")
    if record.status_list != list_id:
        raise UsageError(f"{record.label()}: its status is in list {record.status_list}, not in this one ({list_id})",
                         file=manifest_file, code=NOT_FOUND, hint="give the list it names")
    return Target(record.status_index, ", ".join(part for part in (f"row {record.row}", record.name, record.file)
                                                 if part))


def records_by_index(manifest: Manifest, list_id: str) -> dict[int, RowResult]:
    """Each index of the list ``list_id`` the manifest records, with its credential's record."""
    return {record.status_index: record for record in manifest.credentials()
            if record.status_list == list_id and record.status_index is not None}
