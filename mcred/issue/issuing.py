"""Issuing ELM credentials: one learner, or a whole roster with a resumable, honest manifest.

A roster run (ELM JSON-LD, or SD-JWT VCs: :mod:`mcred.issue.roster_formats`) writes one signed credential per
row into a folder, plus
``manifest.json`` (:mod:`mcred.issue.manifest`: row -> file, credential id, sha256,
status entry, and what the credential was signed from). Files are named after the
learner and the credential's id, and written atomically, so a run that stops halfway
can simply be run again. A re-run compares each row with what its credential was
signed from (:mod:`mcred.issue.reruns`): an unchanged row is kept (its file checked:
the same credential, a valid signature by the same key), a new one is issued, and a
changed one is never kept silently: the run is refused unless ``reissue``, which issues
a new credential and revokes the one it replaces when a status list is in use.

With a status list, the parent process allocates the rows' indexes before any
worker starts (one sidecar update for the whole run, recorded before any
credential that uses them exists) and each row's index goes into the manifest.
A row whose file is kept gets no new index.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from mcred._files import write_new_file
from mcred.elm.builder import credential_id
from mcred.elm.outcomes import Outcomes
from mcred.errors import McredError, UsageError
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import RDFC

from .award import credential_bytes, issue_credential  # one learner's award; kept importable from here
from .manifest import MANIFEST, MANIFEST_FORMAT, Manifest, RowResult, read_manifest, write_manifest
from .reruns import RosterFormat, RowPlan, file_name, plan_rows, refusal, reissued_id, settle_pending

__all__ = ["MANIFEST", "MANIFEST_FORMAT", "RosterRun", "RowResult", "credential_bytes", "file_name",
           "issue_credential", "issue_roster"]


# --- roster runs ---------------------------------------------------------------------------

_worker: dict = {}


def _init_worker(outcomes: Outcomes, kind: RosterFormat, out_dir: str, issued: str, force: bool,
                 worker: bool = True) -> None:
    if worker:  # a pool's process: it must not outlive a parent killed with kill -9
        from mcred._workers import die_with_parent

        die_with_parent()
    _worker.update(outcomes=outcomes, kind=kind, out_dir=Path(out_dir), issued=issued, force=force)


class Job(NamedTuple):
    """One row for a worker: sign its credential (new, again, or reissued), or check the file that is kept."""

    row: int
    learner: dict
    credential_id: str
    file: str
    keep: bool


def _issue_row(job: Job, status: tuple[str, int] | None = None) -> RowResult:
    """Issue one row inside a worker; a failure is a result, never an exception.

    ``status`` was allocated by the parent (:func:`issue_roster`); a failed row keeps it in
    the manifest, spent: an index is never handed out again.
    """
    outcomes, kind, out_dir = _worker["outcomes"], _worker["kind"], _worker["out_dir"]
    path = out_dir / job.file
    where = {"status_list": status[0], "status_index": status[1]} if status else {}
    try:
        if job.keep:
            return _existing(job.row, path, job.credential_id, kind)
        data = kind.sign(outcomes, job.learner, issued=_worker["issued"], status=status, cred_id=job.credential_id)
        write_new_file(path, data, force=_worker["force"])
    except McredError as exc:
        error = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
        return RowResult(job.row, "failed", credential_id=job.credential_id, error=error, **where)
    return RowResult(job.row, "issued", path.name, job.credential_id, hashlib.sha256(data).hexdigest(), **where)


def _existing(row: int, path: Path, cred_id: str, kind: RosterFormat) -> RowResult:
    """A file from an earlier run, kept: it must be this row's credential, signed by this key."""
    data, entry = kind.existing(path, cred_id)
    where = {"status_list": entry[0], "status_index": entry[1]} if entry else {}
    return RowResult(row, "already-issued", path.name, cred_id, hashlib.sha256(data).hexdigest(), **where)


@dataclass
class RosterRun:
    """What a roster run did: each row's result, and what became of the credentials it replaced."""

    rows: list[RowResult]
    #: credentials replaced by this run's reissues (or an earlier run's) whose status entry it set
    withdrawn: list[RowResult] = field(default_factory=list)
    #: the purpose of the list they were set in: "revoked" or "suspended"
    withdrawn_as: str = "revoked"
    #: credentials replaced by this run with no status entry: they stay valid (learners should replace them)
    still_valid: list[RowResult] = field(default_factory=list)
    #: credentials issued before for learners this roster does not list (any more): they stand
    unlisted: list[RowResult] = field(default_factory=list)
    #: why replaced credentials could not be revoked (running the same command again retries)
    withdraw_error: McredError | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def issue_roster(outcomes: Outcomes, rows: Iterable[tuple[int, dict | None, list[str]]], key: SigningKey,
                 out_dir: Path, *, issued: str, suite: str = RDFC, jobs: int = 1, force: bool = False,
                 reissue: bool = False, progress: Callable[[RowResult], None] | None = None,
                 sources: dict | None = None, status_list: Path | None = None,
                 kind: RosterFormat | None = None) -> RosterRun:
    """Issue every good row into ``out_dir`` and write the manifest; bad rows are reported, not fatal.

    ``kind`` is the format (:mod:`mcred.issue.roster_formats`): ELM signed by ``key`` with ``suite`` when
    not given, or SD-JWT VCs (:class:`~mcred.issue.roster_formats.SdJwtVcRoster`, whose key signs; ``key``
    and ``suite`` are then not used) with their statuses in a Token Status List.

    ``rows`` are (row number, learner or None, problems). A folder with a manifest is a re-run
    (:mod:`mcred.issue.reruns`): a changed row, or a credential ``status_list`` cannot revoke,
    raises :class:`mcred.issue.reruns.RerunRefused` before anything is written, unless
    ``reissue``. The manifest is written before any credential is signed (each row ``pending``),
    rewritten as rows finish (at most every 2 % of the rows) and at the end. With a status list
    (``status_list``, or the one the manifest records), each credential signed gets an index,
    allocated here before any worker starts, and the credentials reissues replace are revoked.
    """
    from .roster_formats import ElmRoster

    kind = kind or ElmRoster(key, suite)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out_dir, kind.suffix)
    rows = list(rows)
    earlier = _read_earlier(out_dir)
    sources = {"issuer": kind.issuer, **(sources or {})}
    outcomes_sha256 = sources.setdefault("outcomes_sha256", sha256_file(outcomes.file))
    list_path = status_list or _recorded_list(earlier)
    if list_path is not None:
        sources["status_list"] = str(list_path)

    results: dict[int, RowResult] = {}
    for number, learner, problems in rows:
        if learner is None:
            results[number] = RowResult(number, "failed", error="; ".join(problems))
    learners = rows_by(rows)

    def would_be(number: int) -> str | None:  # the id a failed row's credential would have had, if it is known
        return credential_id(outcomes.data, learners[number]) if kind.ids_from_learner else None

    for number, error in identity_conflicts(rows).items():
        results[number] = RowResult(number, "failed", credential_id=would_be(number), error=error)
    todo = [(number, learner) for number, learner, _ in rows if learner is not None and number not in results]
    plans, refused, unclaimed = plan_rows(outcomes, todo, out_dir, earlier, outcomes_sha256=outcomes_sha256,
                                          roster_sha256=sources.get("roster_sha256"), kind=kind,
                                          status_in_use=list_path is not None, force=force)
    for number, error in refused.items():
        results[number] = RowResult(number, "failed", credential_id=would_be(number), error=error)
    problem = refusal(plans, out_dir)
    if problem is not None and not reissue:
        raise problem
    for plan in plans:
        if plan.reissue:
            plan.credential_id = reissued_id(plan.before.credential_id)
            plan.file = file_name(plan.learner, plan.credential_id, kind.suffix)
    lists = _lists_for(plans, list_path, status_list is None, kind)
    statuses = _allocate_statuses(list_path, [p for p in plans if not p.keep], kind)

    # credentials a row of the last run had, that no row of this one has
    unlisted = [record for record in unclaimed if earlier is not None and record in earlier.rows]
    # recorded before anything is signed: what each file about to be written is signed from
    ledger = Manifest(MANIFEST_FORMAT, sources, [], unclaimed, earlier.superseded if earlier else [])
    current = dict(results)
    for plan in plans:
        current[plan.row] = _pending(plan, statuses.get(plan.row), outcomes_sha256, kind.suite)
        if plan.reissue:
            plan.before.superseded_by = plan.credential_id
            ledger.superseded.append(plan.before)

    def write() -> None:
        ledger.rows = list(current.values())
        write_manifest(out_dir, ledger)

    write()
    by_row = {plan.row: plan for plan in plans}
    every = max(1, len(rows) // 50)
    done = 0

    def record(result: RowResult) -> None:
        nonlocal done
        current[result.row] = _completed(by_row[result.row], result, outcomes_sha256, kind.suite, ledger)
        done += 1
        if progress:
            progress(result)
        if done % every == 0:
            write()

    work = [Job(p.row, p.learner, p.credential_id, p.file, p.keep) for p in plans]
    initargs = (outcomes, kind, str(out_dir), issued, force)
    if jobs <= 1 or len(work) < 2:
        _init_worker(*initargs, worker=False)
        for job in work:
            record(_issue_row(job, statuses.get(job.row)))
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=initargs) as pool:
            chunk = max(1, min(50, len(work) // (jobs * 8)))
            allocated = [statuses.get(job.row) for job in work]
            for result in pool.map(_issue_row, work, allocated, chunksize=chunk):
                record(result)
    for number in sorted(results):
        if progress:
            progress(results[number])
    run = RosterRun([current[number] for number in sorted(current)], unlisted=unlisted)
    run.still_valid = [p.before for p in plans if p.reissue and current[p.row].status == "reissued"
                       and p.before.status_index is None]
    _withdraw_superseded(ledger, lists, kind, out_dir, run)
    write()
    return run


def _pending(plan: RowPlan, status: tuple[str, int] | None, outcomes_sha256: str, suite: str) -> RowResult:
    """The row's record before its credential is signed (or its kept file checked)."""
    where = {"status_list": status[0], "status_index": status[1]} if status else {}
    if plan.keep:
        where = {"status_list": plan.before.status_list, "status_index": plan.before.status_index}
    return RowResult(plan.row, "pending", plan.file, plan.credential_id, learner=plan.values,
                     learner_sha256=plan.digest, outcomes_sha256=outcomes_sha256,
                     suite=plan.before.suite if plan.keep else suite, supersedes=_supersedes(plan), **where)


def _supersedes(plan: RowPlan) -> str | None:
    if plan.before is None:
        return None
    return plan.before.credential_id if plan.reissue else plan.before.supersedes


def _completed(plan: RowPlan, result: RowResult, outcomes_sha256: str, suite: str, ledger: Manifest) -> RowResult:
    """A worker's result, with what the credential was signed from; a failed row's earlier credential stands."""
    if result.status == "failed":
        before = plan.before
        if before is not None:
            if before in ledger.superseded:
                ledger.superseded.remove(before)
                before.superseded_by = None
            ledger.earlier.append(before)
        return result
    result.learner, result.learner_sha256, result.outcomes_sha256 = plan.values, plan.digest, outcomes_sha256
    result.suite = plan.before.suite if plan.keep else suite
    result.supersedes = _supersedes(plan)
    if plan.reissue:
        result.status = "reissued"
    return result


def _read_earlier(out_dir: Path) -> Manifest | None:
    """The folder's manifest, its killed run's ``pending`` records settled; None when there is none."""
    path = out_dir / MANIFEST
    if not path.exists():
        return None
    manifest = read_manifest(path)
    settle_pending(manifest, out_dir)
    return manifest


def _recorded_list(manifest: Manifest | None) -> Path | None:
    recorded = manifest.sources.get("status_list") if manifest else None
    return Path(recorded) if recorded else None


def _lists_for(plans: list[RowPlan], list_path: Path | None, recorded: bool, kind: RosterFormat) -> dict[str, Path]:
    """The run's status list by id (the one given, or the one the manifest records); {} when there is none.

    Refuses a run that cannot do what it must: sign with a list that is not there, or revoke a replaced
    credential whose status is in another list.
    """
    to_sign = any(not p.keep for p in plans)
    to_revoke = [p for p in plans if p.reissue and p.before.status_index is not None]
    lists = {}
    if list_path is not None and list_path.is_file():
        lists[kind.list_id(list_path)] = list_path
    elif list_path is not None and (to_sign or to_revoke):
        where = "the manifest records the status list" if recorded else "the status list"
        raise UsageError(f"{where} {list_path}, which is not there", file=str(list_path),
                         hint="give the list with --status-list (its path from here)")
    for plan in to_revoke:
        if plan.before.status_list not in lists:
            given = f"{list_path} ({next(iter(lists))})" if lists else "none"
            raise UsageError(f"{plan.who}: the credential it replaces has its status in list "
                             f"{plan.before.status_list}; this run's status list is {given}",
                             hint="give that list with --status-list, so that the replaced credential is revoked")
    return lists


def _withdraw_superseded(ledger: Manifest, lists: dict[str, Path], kind: RosterFormat, out_dir: Path,
                         run: RosterRun) -> None:
    """Revoke (or suspend, in a suspension list) the credentials replaced by one now in the folder.

    After the new credentials are written, so that a learner is never left with none; a run killed in
    between leaves them unrevoked in the manifest, and the next run revokes them.
    """
    replaced = {r.credential_id for r in ledger.standing() if r.status != "pending" and (out_dir / r.file).exists()}
    waiting = [r for r in ledger.superseded if r.superseded_by in replaced and r.status_index is not None
               and not (r.revoked or r.suspended) and r.status_list in lists]
    for list_id, path in lists.items():
        records = [r for r in waiting if r.status_list == list_id]
        if not records:
            continue
        try:
            run.withdrawn_as = kind.withdraw(path, [r.status_index for r in records])
        except McredError as exc:  # the new credentials stand; the next run retries
            run.withdraw_error = exc
            continue
        for record in records:
            setattr(record, run.withdrawn_as, True)
        run.withdrawn += records


def rows_by(rows: list) -> dict[int, dict]:
    return {number: learner for number, learner, _ in rows if learner is not None}


def _person(learner: dict) -> tuple:
    """Who a row names: given and family name (compared without case or surrounding spaces), date of birth."""
    return tuple(" ".join(str(learner.get(name) or "").split()).casefold()
                 for name in ("given_name", "family_name", "date_of_birth"))


def identity_conflicts(rows: list) -> dict[int, str]:
    """Rows that would issue one credential id to two people, or one person twice: row -> why it is refused.

    A credential's id is derived from what identifies the learner (codice fiscale, DID, e-mail, or names
    and birth date: :func:`mcred.elm.builder.learner_key`). Two rows with the same codice fiscale and different
    names are refused both (which one is right is for the issuer to say); a row that repeats another exactly
    is refused as a duplicate. A row that names another person than the credential an earlier run issued
    for that learner is refused by :func:`mcred.issue.reruns.plan_rows`.
    """
    from mcred.elm.builder import learner_key

    conflicts: dict[int, str] = {}
    by_key: dict[str, list[tuple[int, dict]]] = {}
    for number, learner in rows_by(rows).items():
        by_key.setdefault(learner_key(learner), []).append((number, learner))
    for key, group in by_key.items():
        what = key.split(":", 1)[0].replace("_", " ")
        people = {_person(learner) for _, learner in group}
        numbers = ", ".join(str(number) for number, _ in group)
        if len(people) > 1:
            names = "; ".join(f"row {n}: {learner['given_name']} {learner['family_name']}" for n, learner in group)
            for number, _ in group:
                conflicts[number] = (f"the same {what} names two people ({names}): one credential id cannot be "
                                     "issued to both; correct the roster")
        else:
            for number, _ in group[1:]:
                conflicts[number] = f"the same learner as row {group[0][0]} (rows {numbers}): issued once"
    return conflicts


def _allocate_statuses(status_list: Path | None, plans: list[RowPlan],
                       kind: RosterFormat) -> dict[int, tuple[str, int]]:
    """Status indexes for the rows that will be signed, allocated in this (the parent) process.

    One allocation for the whole run, written to the list's sidecar before any worker
    starts, so no two rows (or runs) share an index, whatever the number of jobs. A row
    whose file is kept gets none.
    """
    if status_list is None or not plans:
        return {}
    allocations = kind.allocate(status_list, len(plans))
    return {plan.row: allocation for plan, allocation in zip(plans, allocations, strict=True)}


def _remove_stale_temporaries(out_dir: Path, suffix: str = ".json") -> None:
    """Temporary files of a run that was killed mid-write (see _files.write_new_file): never results.

    Those of the credentials (``suffix``) and of the manifest (``.json``)."""
    for stale in [p for pattern in {".json", suffix} for p in out_dir.glob(f".*{pattern}.*.tmp")]:
        stale.unlink(missing_ok=True)


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
