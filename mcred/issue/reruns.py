"""A roster run into a folder that holds credentials already: is each row unchanged, new or changed?

A row is matched with the credential an earlier run issued for the same learner (the manifest's
record, found by what identifies the learner: :func:`mcred.elm.builder.learner_key`), and the
record says what that credential was signed from (:mod:`mcred.issue.manifest`):

* ``unchanged``: the same learner values and the same outcome file; the file is kept (a worker
  checks it is that credential, signed by this key) and counted as ``already-issued``;
* ``new``: no credential yet (or its file is gone): issued;
* ``changed``: the row's values or the outcome file differ from what the credential was signed
  from. Never kept silently: the run is refused (:class:`RerunRefused`, nothing written) unless
  ``--reissue``, which issues a new credential under a new id and file, beside the old one;
* ``unrevocable``: unchanged, but issued without a status entry while the run has a status list:
  it can never be revoked, so the run is refused unless ``--reissue`` (which gives it an entry).

A file with no record (a manifest lost, a run of an mcred older than these records killed
halfway) and a record of ``mcred-manifest/1`` whose roster changed say nothing about what was
signed: the credential is then built again from the row, as it was issued (same ``issued``, same
status entry), and compared with the file.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mcred.elm.builder import build_credential, display_image, learner_key
from mcred.elm.outcomes import ROSTER_COLUMNS, Outcomes
from mcred.errors import InputError, McredError
from mcred.keys.ed25519 import SigningKey

from .manifest import MANIFEST, Manifest, RowResult, learner_digest, normalised_learner

OUTCOMES_CHANGED = "the outcome file changed since these credentials were issued"
#: a namespace of mcred's own for the ids of reissued credentials
_REISSUE = uuid.UUID("6d4c1a8e-3f0b-5c57-9e0e-2b1f8a4d7c31")


class RerunRefused(McredError):
    """A re-run would keep credentials that are no longer what the roster says: nothing was issued (exit 1)."""

    exit_code = 1
    code = "ROSTER_CHANGED"


class RosterFormat(Protocol):
    """What a roster run and this planner ask of the format they issue (:mod:`mcred.issue.roster_formats`)."""

    suite: str
    issuer: str
    suffix: str
    #: whether a credential's id follows from the learner (then a failed row records the id it would have)
    ids_from_learner: bool

    def new_id(self, outcomes: Outcomes, learner: dict) -> str:
        """The id of a row's first credential."""

    def sign(self, outcomes: Outcomes, learner: dict, *, issued: str, status: tuple[str, int] | None,
             cred_id: str) -> bytes:
        """The signed credential's file content; McredError when a rule or the key refuses it."""

    def existing(self, path: Path, cred_id: str) -> tuple[bytes, tuple[str, int] | None]:
        """A file of an earlier run: (its bytes, its status entry) if it is the credential ``cred_id`` signed
        by this key; InputError if it is not."""

    def same_as_row(self, path: Path, plan: RowPlan, outcomes: Outcomes) -> tuple[bool, bool]:
        """For a file nothing records: (whether it is what this row makes, whether it has a status entry)."""

    def allocate(self, list_path: Path, count: int) -> list[tuple[str, int]]:
        """``count`` new unpredictable indexes of the status list, recorded before they are returned."""

    def list_id(self, list_path: Path) -> str:
        """The id (a Token Status List's ``uri``) the manifest records for the list's entries."""

    def withdraw(self, list_path: Path, indexes: list[int]) -> str:
        """Revoke (or suspend) ``indexes``; "revoked" or "suspended"."""


@dataclass
class RowPlan:
    """What a run does with one good row."""

    row: int
    learner: dict
    #: the learner's normalised values, and their SHA-256: what the credential is (or was) signed from
    values: dict
    digest: str
    #: the id and file name of the row's credential: kept, signed again, or (a reissue) new
    credential_id: str
    file: str
    kind: str = "new"  # "new", "unchanged", "changed", "unrevocable", "forced"
    #: the credential issued for this learner before (its record), if any
    before: RowResult | None = None
    #: what differs from what ``before`` was signed from: "grade 28/30 → 30/30"
    changes: list[str] = field(default_factory=list)
    outcomes_changed: bool = False

    @property
    def keep(self) -> bool:
        return self.kind == "unchanged"

    @property
    def reissue(self) -> bool:
        return self.kind in ("changed", "unrevocable")

    @property
    def who(self) -> str:
        return f"row {self.row} ({self.values.get('family_name', '')} {self.values.get('given_name', '')})"


def file_name(learner: dict, cred_id: str, suffix: str = ".json") -> str:
    """``rossi-giulia-1a2b3c4d.json`` (``.sd-jwt``): readable, and unique through the credential id."""
    return f"{_slug(learner)}-{cred_id.rsplit(':', 1)[-1][:8]}{suffix}"


def _slug(learner: dict) -> str:
    name = f"{learner['family_name']}-{learner['given_name']}"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "learner"


def _slug_of_file(name: str) -> str:
    # a slug and an id's prefix have no dot: what follows the first one is the suffix (.json, .sd-jwt)
    return name.split(".", 1)[0].rsplit("-", 1)[0]


def reissued_id(previous: str) -> str:
    """The id of the credential that replaces ``previous``: new, and the same if a killed run is resumed."""
    return f"urn:uuid:{uuid.uuid5(_REISSUE, previous)}"


def settle_pending(manifest: Manifest, out_dir: Path) -> None:
    """The records a killed run left ``pending``: issued if their file was written, else void.

    A void reissue gives its place back to the credential it was to replace.
    """
    for record in [r for r in manifest.rows if r.status == "pending"]:
        if record.file and (out_dir / record.file).exists():
            record.status = "issued"
            continue
        manifest.rows.remove(record)
        replaced = [r for r in manifest.superseded if r.credential_id == record.supersedes]
        for old in replaced:
            manifest.superseded.remove(old)
            old.superseded_by = old.revoked = old.suspended = None
            manifest.earlier.append(old)


class _Earlier:
    """The credentials an earlier run issued into the folder, found by learner, id, or (``/1``) row and name."""

    def __init__(self, manifest: Manifest | None) -> None:
        self.manifest = manifest
        self.by_learner: dict[str, RowResult] = {}
        self.by_id: dict[str, RowResult] = {}
        self.by_row: dict[int, RowResult] = {}
        self.claimed: set[str] = set()
        for record in manifest.standing() if manifest else []:
            if record.learner:
                self.by_learner.setdefault(learner_key(record.learner), record)
            else:
                self.by_row.setdefault(record.row, record)
            self.by_id.setdefault(record.credential_id, record)

    def find(self, row: int, values: dict, base_id: str) -> RowResult | None:
        record = self.by_learner.get(learner_key(values)) or self.by_id.get(base_id)
        if record is None:
            legacy = self.by_row.get(row)  # an mcred-manifest/1 record of the same row and name
            if legacy is not None and _slug_of_file(legacy.file) == _slug(values):
                record = legacy
        if record is None or record.credential_id in self.claimed:
            return None
        self.claimed.add(record.credential_id)
        return record

    def unclaimed(self) -> list[RowResult]:
        return [r for r in (self.manifest.standing() if self.manifest else []) if r.credential_id not in self.claimed]


def plan_rows(outcomes: Outcomes, todo: list[tuple[int, dict]], out_dir: Path, manifest: Manifest | None, *,
              outcomes_sha256: str, roster_sha256: str | None, kind: RosterFormat, status_in_use: bool,
              force: bool = False) -> tuple[list[RowPlan], dict[int, str], list[RowResult]]:
    """Each good row's plan, the rows refused (row -> why), and the earlier credentials no row claims.

    ``kind`` is the format issued (:mod:`mcred.issue.roster_formats`): its key checks the files kept, its
    ``suite`` is compared with the one each credential was issued with.
    """
    earlier = _Earlier(manifest)
    plans: list[RowPlan] = []
    refused: dict[int, str] = {}
    suite = kind.suite
    for number, learner in todo:
        values = normalised_learner(learner)
        base_id = kind.new_id(outcomes, learner)
        before = earlier.find(number, values, base_id)
        if before is not None and _slug_of_file(before.file) != _slug(learner):
            what = learner_key(values).split(":", 1)[0].replace("_", " ")
            refused[number] = (f"its credential id was issued to another person ({before.file}, in {MANIFEST}): "
                               f"the {what} names two people; correct the roster")
            earlier.claimed.discard(before.credential_id)
            continue
        plan = RowPlan(number, learner, values, learner_digest(values),
                       before.credential_id if before else base_id,
                       before.file if before else file_name(learner, base_id, kind.suffix), before=before)
        try:
            if force:
                plan.kind = "forced"
            else:
                _classify(plan, outcomes, out_dir, manifest, outcomes_sha256, roster_sha256, kind, status_in_use)
                if plan.kind == "unchanged" and before.suite and suite and before.suite != suite:
                    plan.changes.append(f"suite {before.suite} → {suite}")
                    plan.kind = "changed"
        except InputError as exc:  # a file in the way that is not this row's credential signed by this key
            refused[number] = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
            continue
        plans.append(plan)
    return plans, refused, earlier.unclaimed()


def _classify(plan: RowPlan, outcomes: Outcomes, out_dir: Path, manifest: Manifest | None, outcomes_sha256: str,
              roster_sha256: str | None, kind: RosterFormat, status_in_use: bool) -> None:
    path = out_dir / plan.file
    before = plan.before
    has_entry = before is not None and before.status_index is not None
    if before is not None and before.learner_sha256 is not None:
        plan.outcomes_changed = before.outcomes_sha256 != outcomes_sha256
        if before.learner_sha256 != plan.digest:
            plan.changes = _differences(before.learner or {}, plan.values) or ["the row's values changed"]
    elif before is not None and manifest is not None and manifest.sources.get("outcomes_sha256") != outcomes_sha256:
        plan.outcomes_changed = True  # an mcred-manifest/1 record: the outcome file of the whole run
    elif path.exists() and not (before is not None and manifest.sources.get("roster_sha256") == roster_sha256):
        # nothing says what the file was signed from: build the credential again and compare
        same, has_entry = kind.same_as_row(path, plan, outcomes)
        if not same:
            plan.changes = [f"what {plan.file} says differs from this row, or cannot be compared with it (nothing "
                            "records what it was issued from: an mcred older than these records, or a lost manifest)"]
    if plan.changes or plan.outcomes_changed:
        plan.kind = "changed"
    elif not path.exists():
        plan.kind = "new"  # its file is gone (or was never written): issued again, under the same id
    elif status_in_use and not has_entry:
        plan.kind = "unrevocable"
    else:
        plan.kind = "unchanged"


def _differences(before: dict, now: dict) -> list[str]:
    names = [*ROSTER_COLUMNS, *sorted((set(before) | set(now)) - set(ROSTER_COLUMNS))]
    return [f"{name} {before.get(name, '(empty)')} → {now.get(name, '(empty)')}"
            for name in names if before.get(name) != now.get(name)]


def existing_credential(path: Path, cred_id: str, key: SigningKey):
    """A file from an earlier run: (its bytes, its facts, its status entry or None) if it is the credential
    ``cred_id`` signed by this key; InputError if it is not (a file edited by hand, another issuer's)."""
    from mcred._files import read_input
    from mcred.verify.runner import verify_credential
    from mcred.verify.status import StatusRef, status_refs

    data = read_input(path)
    try:
        report = verify_credential(json.loads(data), file=str(path))
    except (ValueError, RecursionError):
        report = None
    proof = report.proofs[0] if report is not None and report.proofs else None
    facts = report.facts if report is not None else None
    if proof is None or facts is None or facts.id != cred_id or proof.controller != key.did:
        raise InputError(f"{path.name} exists but is not this row's credential signed by this key",
                         file=str(path), hint="move it away, or pass --force to issue it again")
    refs = [ref for ref in status_refs(facts) if isinstance(ref, StatusRef)]
    return data, facts, refs[0] if refs else None


def signed_from_row(path: Path, plan: RowPlan, outcomes: Outcomes, key: SigningKey) -> tuple[bool, bool]:
    """(whether the credential in ``path`` is what this row makes, whether it has a status entry)."""
    data, _, entry = existing_credential(path, plan.credential_id, key)
    document = json.loads(data)
    status = (entry.list_id, entry.index) if entry else None
    issued = document.get("issued")
    if not isinstance(issued, str):
        return False, entry is not None
    rebuilt = build_credential(outcomes.data, plan.learner, issuer_did=key.did, issued=issued,
                               image_base64=display_image(outcomes.data, outcomes.file.parent), status=status,
                               cred_id=plan.credential_id)
    unsigned = {name: value for name, value in document.items() if name != "proof"}
    return rebuilt == unsigned, entry is not None


def refusal(plans: list[RowPlan], out_dir: Path) -> RerunRefused | None:
    """Why the run cannot go on without ``--reissue`` (changed rows, credentials no list can revoke), or None."""
    changed = [p for p in plans if p.kind == "changed"]
    unrevocable = [p for p in plans if p.kind == "unrevocable"]
    if not changed and not unrevocable:
        return None
    lines, hints = [], []
    if changed:
        since = "its credential was" if len(changed) == 1 else "their credentials were"
        lines.append(f"{_rows(len(changed))} changed since {since} issued:")
        outcome = [p for p in changed if p.outcomes_changed]
        if outcome:
            lines.append(f"  {OUTCOMES_CHANGED} ({_rows(len(outcome))})")
        lines += [f"  {p.who}: {'; '.join(p.changes)}" for p in changed if p.changes]
        hints.append("correct the roster (or the outcome file) back, or pass --reissue to issue a new credential for "
                     "each changed row (a new id and file, beside the old one; with a status list the old one is "
                     "revoked)")
    if unrevocable:
        lines.append(f"{_rows(len(unrevocable))} issued without a status list: "
                     f"{'its credential carries' if len(unrevocable) == 1 else 'their credentials carry'} no status "
                     "entry and can never be revoked, so --status-list cannot apply to "
                     f"{'it' if len(unrevocable) == 1 else 'them'}:")
        lines += [f"  {p.who}: {p.file}" for p in unrevocable]
        hints.append("pass --reissue to issue them again with a status entry (the old credentials stay valid and "
                     "cannot be revoked: ask the learners to replace them), or run without --status-list")
    lines[0] = lines[0].rstrip(":") + "; nothing was issued or overwritten:"
    code = "ROSTER_CHANGED" if changed else "STATUS_LIST_ADDED"
    return RerunRefused("\n".join(lines), file=str(out_dir / MANIFEST), code=code, hint="; ".join(hints))


def _rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"
