"""Issuing ELM credentials: one learner, or a whole roster with a resumable manifest.

A roster run writes one signed credential per row into a folder, plus
``manifest.json`` (row -> file, credential id, sha256, status, error). Files are
named after the learner and the credential's deterministic id, and written
atomically, so a run that stops halfway can simply be run again: rows whose file
is already there (same credential, valid signature by the same key) are kept
and counted as issued, the others are issued, and no credential is issued twice.

With a status list, the parent process allocates the rows' indexes before any
worker starts (one sidecar update for the whole run, recorded before any
credential that uses them exists) and each row's index goes into the manifest.
A row whose file is already there gets no new index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from mcred._files import write_new_file
from mcred.elm.builder import build_credential, credential_id, display_image
from mcred.elm.outcomes import Outcomes
from mcred.errors import InputError, McredError
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import RDFC
from mcred.proofs.signing import sign_credential

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "mcred-manifest/1"


@dataclass
class RowResult:
    """What happened to one roster row."""

    row: int
    status: str  # "issued", "already-issued" or "failed"
    file: str | None = None
    credential_id: str | None = None
    sha256: str | None = None
    error: str | None = None
    status_list: str | None = None
    status_index: int | None = None


def issue_credential(outcomes: Outcomes, learner: dict, key: SigningKey, *, issued: str,
                     suite: str = RDFC, status: tuple[str, int] | None = None) -> dict:
    """Build and sign the credential of one learner; checks run before anything is signed.

    ``status`` is (status list id, index), already allocated (:func:`mcred.issue.status_lists.allocate_index`).
    """
    image = display_image(outcomes.data, outcomes.file.parent)
    unsigned = build_credential(outcomes.data, learner, issuer_did=key.did, issued=issued, image_base64=image,
                                status=status)
    from mcred.elm.lint import lint_credential
    from mcred.graph.facts import read_facts
    from mcred.graph.nodes import read_graph
    from mcred.jsonld.process import expand_safely

    # expanded once: the rules read its graph, and the eddsa-rdfc-2022 signature is made over it
    expanded = expand_safely(unsigned, file=str(outcomes.file))
    problems = [p for p in lint_credential(unsigned, facts=read_facts(read_graph(expanded))) if p.severity == "error"]
    if problems:
        first = problems[0]
        raise InputError(f"the built credential breaks a rule: {first.message}", path=first.path,
                         file=str(outcomes.file), code=first.code)
    # the credential was built here and nothing else holds it: signing need not copy it
    return sign_credential(unsigned, key, suite=suite, created=issued, file=str(outcomes.file), copy=False,
                           expanded=expanded if suite == RDFC else None)


def credential_bytes(credential: dict) -> bytes:
    return (json.dumps(credential, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def file_name(learner: dict, cred_id: str) -> str:
    """``rossi-giulia-1a2b3c4d.json``: readable, and unique through the credential id."""
    name = f"{learner['family_name']}-{learner['given_name']}"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "learner"
    return f"{slug}-{cred_id.rsplit(':', 1)[-1][:8]}.json"


# --- roster runs ---------------------------------------------------------------------------

_worker: dict = {}


def _init_worker(outcomes: Outcomes, seed: bytes, out_dir: str, issued: str, suite: str, force: bool,
                 worker: bool = True) -> None:
    if worker:  # a pool's process: it must not outlive a parent killed with kill -9
        from mcred._workers import die_with_parent

        die_with_parent()
    _worker.update(outcomes=outcomes, key=SigningKey.from_seed(seed), out_dir=Path(out_dir),
                   issued=issued, suite=suite, force=force)


def _issue_row(row: int, learner: dict, status: tuple[str, int] | None = None) -> RowResult:
    """Issue one row inside a worker; a failure is a result, never an exception.

    ``status`` was allocated by the parent (:func:`issue_roster`); a failed row keeps it in
    the manifest, spent: an index is never handed out again.
    """
    outcomes, key, out_dir = _worker["outcomes"], _worker["key"], _worker["out_dir"]
    cred_id = credential_id(outcomes.data, learner)
    path = out_dir / file_name(learner, cred_id)
    where = {"status_list": status[0], "status_index": status[1]} if status else {}
    try:
        if path.exists() and not _worker["force"]:
            return _existing(row, path, cred_id, key)
        signed = issue_credential(outcomes, learner, key, issued=_worker["issued"], suite=_worker["suite"],
                                  status=status)
        data = credential_bytes(signed)
        write_new_file(path, data, force=_worker["force"])
    except McredError as exc:
        error = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
        return RowResult(row, "failed", credential_id=cred_id, error=error, **where)
    return RowResult(row, "issued", path.name, cred_id, hashlib.sha256(data).hexdigest(), **where)


def _existing(row: int, path: Path, cred_id: str, key: SigningKey) -> RowResult:
    """A file from an earlier run: keep it if it is this row's credential, signed by this key."""

    from mcred.verify.runner import verify_credential

    data = path.read_bytes()
    try:
        report = verify_credential(json.loads(data), file=str(path))
    except (ValueError, RecursionError):
        report = None
    proof = report.proofs[0] if report is not None and report.proofs else None
    credential = report.facts if report is not None else None
    if proof is None or credential is None or credential.id != cred_id or proof.controller != key.did:
        raise InputError(f"{path.name} exists but is not this row's credential signed by this key",
                         hint="move it away, or pass --force to issue it again")
    from mcred.verify.status import StatusRef, status_refs

    refs = [ref for ref in status_refs(credential) if isinstance(ref, StatusRef)]
    where = {"status_list": refs[0].list_id, "status_index": refs[0].index} if refs else {}
    return RowResult(row, "already-issued", path.name, cred_id, hashlib.sha256(data).hexdigest(), **where)


def issue_roster(outcomes: Outcomes, rows: Iterable[tuple[int, dict | None, list[str]]], key: SigningKey,
                 out_dir: Path, *, issued: str, suite: str = RDFC, jobs: int = 1, force: bool = False,
                 progress: Callable[[RowResult], None] | None = None,
                 sources: dict | None = None, status_list: Path | None = None) -> list[RowResult]:
    """Issue every good row into ``out_dir`` and write the manifest; bad rows are reported, not fatal.

    ``rows`` are (row number, learner or None, problems). The manifest is rewritten
    as rows finish (at most every 2 % of the rows) and at the end. With ``status_list``,
    each row issued gets an index of that list, allocated here before any worker starts.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out_dir)
    rows = list(rows)
    results: dict[int, RowResult] = {}
    for number, learner, problems in rows:
        if learner is None:
            results[number] = RowResult(number, "failed", error="; ".join(problems))
    learners = rows_by(rows)
    refused = identity_conflicts(outcomes, rows, out_dir)
    for number, error in refused.items():
        results[number] = RowResult(number, "failed", credential_id=credential_id(outcomes.data, learners[number]),
                                    error=error)
    todo = [(number, learner) for number, learner, _ in rows if learner is not None and number not in results]
    statuses = _allocate_statuses(status_list, todo, outcomes, out_dir, key, force)
    initargs = (outcomes, key.private_seed(), str(out_dir), issued, suite, force)
    every = max(1, len(rows) // 50)
    done = 0

    def record(result: RowResult) -> None:
        nonlocal done
        results[result.row] = result
        done += 1
        if progress:
            progress(result)
        if done % every == 0:
            write_manifest(out_dir, results, key, sources)

    if jobs <= 1 or len(todo) < 2:
        _init_worker(*initargs, worker=False)
        for number, learner in todo:
            record(_issue_row(number, learner, statuses.get(number)))
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=initargs) as pool:
            chunk = max(1, min(50, len(todo) // (jobs * 8)))
            numbers = [n for n, _ in todo]
            learners = [learner for _, learner in todo]
            allocated = [statuses.get(n) for n in numbers]
            for result in pool.map(_issue_row, numbers, learners, allocated, chunksize=chunk):
                record(result)
    for number, learner, _ in rows:
        if (learner is None or number in refused) and progress:
            progress(results[number])
    write_manifest(out_dir, results, key, sources)
    return [results[number] for number in sorted(results)]


def rows_by(rows: list) -> dict[int, dict]:
    return {number: learner for number, learner, _ in rows if learner is not None}


def _person(learner: dict) -> tuple:
    """Who a row names: given and family name (compared without case or surrounding spaces), date of birth."""
    return tuple(" ".join(str(learner.get(name) or "").split()).casefold()
                 for name in ("given_name", "family_name", "date_of_birth"))


def identity_conflicts(outcomes: Outcomes, rows: list, out_dir: Path) -> dict[int, str]:
    """Rows that would issue one credential id to two people, or one person twice: row -> why it is refused.

    A credential's id is derived from what identifies the learner (codice fiscale, DID, e-mail, or names
    and birth date: :func:`mcred.elm.builder.learner_key`). Two rows with the same codice fiscale and different
    names are refused both (which one is right is for the issuer to say), and so is a row that names
    another person than the credential already issued under that id (the manifest of an earlier run); a
    row that repeats another exactly is refused as a duplicate.
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
    earlier = _manifest_files(out_dir)
    for number, learner in rows_by(rows).items():
        if number in conflicts:
            continue
        issued_as = earlier.get(credential_id(outcomes.data, learner))
        if issued_as is not None and issued_as != file_name(learner, credential_id(outcomes.data, learner)):
            conflicts[number] = (f"its credential id was issued to another person ({issued_as}, in "
                                 f"{MANIFEST}): the {learner_key(learner).split(':', 1)[0].replace('_', ' ')} "
                                 "names two people; correct the roster")
    return conflicts


def _manifest_files(out_dir: Path) -> dict[str, str]:
    """credential id -> file, as an earlier run's manifest records them (nothing when there is none)."""
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {row["credential_id"]: row["file"] for row in manifest.get("rows", [])
                if isinstance(row, dict) and row.get("file") and row.get("credential_id")}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def _allocate_statuses(status_list: Path | None, todo: list[tuple[int, dict]], outcomes: Outcomes,
                       out_dir: Path, key: SigningKey, force: bool) -> dict[int, tuple[str, int]]:
    """Status indexes for the rows that will be signed, allocated in this (the parent) process.

    One allocation for the whole run, written to the list's sidecar before any worker
    starts, so no two rows (or runs) share an index, whatever the number of jobs. A row
    whose file is already there gets none: it is kept as it is, or fails, unless ``force``.
    """
    if status_list is None:
        return {}
    from .status_lists import allocate_indexes

    needed = [number for number, learner in todo
              if force or not (out_dir / file_name(learner, credential_id(outcomes.data, learner))).exists()]
    allocations = allocate_indexes(status_list, len(needed), issuer=key.did) if needed else []
    return {number: (a.list_id, a.index) for number, a in zip(needed, allocations, strict=True)}


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files of a run that was killed mid-write (see _files.write_new_file): never results."""
    for stale in out_dir.glob(".*.json.*.tmp"):
        stale.unlink(missing_ok=True)


def write_manifest(out_dir: Path, results: dict[int, RowResult], key: SigningKey,
                   sources: dict | None) -> None:
    manifest = {
        "format": MANIFEST_FORMAT,
        "issuer": key.did,
        **(sources or {}),
        "counts": {status: sum(1 for r in results.values() if r.status == status)
                   for status in ("issued", "already-issued", "failed")},
        "rows": [{k: v for k, v in asdict(results[n]).items() if v is not None} for n in sorted(results)],
    }
    write_new_file(out_dir / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode(),
                   force=True)


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
