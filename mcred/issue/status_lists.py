"""Bitstring Status Lists kept by an issuer, as local files: create, allocate indexes, revoke, suspend, show.

**Allocation.** Beside ``LIST.json`` the issuer keeps ``LIST.json.alloc`` (mode
0600, never published)::

    {"format": "mcred-status-alloc/1", "list": "<list id>", "size": 131072,
     "shuffle_key": "<64 hex digits>", "allocated": 12}

The n-th index handed out is ``P(n)``, where P is a permutation of [0, size) keyed
by ``shuffle_key`` (an 8-round Feistel network over HMAC-SHA-256, cycle-walked
into the range). ``allocated`` only ever grows, and P is a bijection, so an
index is never handed out twice; the order looks random, as the spec asks
("SHOULD assign indexes randomly"), so an index says nothing about when a
credential was issued or how many there are. The new count is written (atomically,
then the folder is fsynced) *before* the index is returned, so before any
credential that uses it exists: a crash can waste indexes, never reuse one. A
scan of the list could not do this (an unrevoked credential's bit is 0, like an
unused one), so the sidecar is the record; without it mcred refuses to allocate.
Allocation and updates hold an exclusive lock on ``LIST.json.lock``.

**The entry, and the ELM trade-off.** A W3C credential gets a standard entry::

    "credentialStatus": {"id": "<list id>#<index>", "type": "BitstringStatusListEntry",
                         "statusPurpose": "revocation", "statusListIndex": "<index>",
                         "statusListCredential": "<list id>"}

ELM/EDC credentials cannot: the EDC SHACL shapes (``edc-generic-full``) require
``credentialStatus`` to be a literal of datatype ``xsd:anyURI`` (at most one); an
object fails, and so does a plain string, which VC 1.1's context makes an IRI
node. So an ELM credential carries the typed literal::

    "credentialStatus": {"@value": "<list id>#<index>",
                         "@type": "http://www.w3.org/2001/XMLSchema#anyURI"}

the list's id with the index as the fragment; the purpose is the list's. It
conforms to the shapes and is covered by the signature like any other value. The
cost: it is mcred's convention, not a W3C entry type, so other verifiers will not
know to check it, and an ELM credential has one status (one list, one purpose).
A credential issued without a status list has no ``credentialStatus`` at all.

The lists themselves, their entries and how a verifier checks them: :mod:`mcred.verify.status`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from mcred._files import read_json, write_new_file
from mcred.errors import InputError, OutputExistsError, SigningError, UsageError
from mcred.keys.ed25519 import SigningKey
from mcred.proofs.data_integrity import RDFC
from mcred.verify.status import (
    MAX_ENTRIES,
    MIN_ENTRIES,
    PURPOSES,
    VC2_CONTEXT,
    StatusList,
    bit_is_set,
    encode_bitstring,
    parse_status_list,
    set_bit,
    set_indexes,
)
from mcred.verify.status_copies import load_status_list

ALLOC_FORMAT = "mcred-status-alloc/1"
SHOW_FORMAT = "mcred-status/1"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`#]+$")
_ROUNDS = 8


def bitstring_entry(list_id: str, index: int, purpose: str) -> dict:
    """A W3C ``BitstringStatusListEntry`` (for VC 2.0 credentials)."""
    return {"id": f"{list_id}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_id}






class Allocation(NamedTuple):
    list_id: str
    index: int
    purpose: str


@dataclass
class UpdateResult:
    """What ``revoke`` / ``suspend`` / ``reinstate`` did."""

    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    #: the re-signed list, when something changed
    document: dict | None = None


def alloc_path(list_path: Path) -> Path:
    return Path(f"{list_path}.alloc")


def init_status_list(path: Path, key: SigningKey, list_id: str, *, purpose: str = "revocation",
                     size: int = MIN_ENTRIES, now: str | None = None) -> dict:
    """Create an empty signed status list at ``path`` and its allocation sidecar; return the list.

    Refuses to overwrite either file (a list is changed only by revoke/suspend/reinstate),
    except the sidecar of an interrupted ``init`` that handed out nothing.
    """
    from mcred.dates import now_timestamp

    path = Path(path)
    _check_list_id(list_id)
    if purpose not in PURPOSES:
        raise UsageError(f"--purpose {purpose!r}: choose revocation or suspension")
    if size % 8 or not MIN_ENTRIES <= size <= MAX_ENTRIES:
        raise UsageError(f"--size {size}: a status list has a multiple of 8 entries, from {MIN_ENTRIES} "
                         f"(the specification's minimum) to {MAX_ENTRIES}")
    now = now or now_timestamp()
    document = _bitstring_list(list_id, f"{list_id}#list", key.did, now, purpose, bytes(size // 8))
    with _locked(path):
        if path.exists():
            raise OutputExistsError("the status list already exists", file=str(path),
                                    hint="a list is changed with `mcred status revoke/suspend/reinstate`, "
                                    "never re-created (its indexes are in use)")
        sidecar = {"format": ALLOC_FORMAT, "list": list_id, "size": size,
                   "shuffle_key": secrets.token_hex(32), "allocated": 0}
        _write_sidecar(path, sidecar, replace=_interrupted_init(path))
        signed = _sign(document, key, now, str(path))
        write_new_file(path, _json_bytes(signed))
        _sync_folder(path)
    return signed


def _bitstring_list(list_id: str, subject_id: str | None, issuer: str, now: str, purpose: str, bits: bytes) -> dict:
    """An unsigned BitstringStatusListCredential, as mcred writes one."""
    subject = {"id": subject_id} if subject_id else {}
    subject.update(type="BitstringStatusList", statusPurpose=purpose, encodedList=encode_bitstring(bits))
    return {"@context": [VC2_CONTEXT], "id": list_id, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer, "validFrom": now, "credentialSubject": subject}


def _list_document(status_list: StatusList, key: SigningKey, now: str, bits: bytes) -> dict:
    if status_list.kind != "BitstringStatusList" or len(status_list.purposes) != 1:
        raise InputError("mcred updates Bitstring Status Lists with one purpose, as `mcred status init` makes "
                         f"them; this one is a {status_list.kind} ({'/'.join(status_list.purposes)})",
                         file=status_list.file, code="STATUS_LIST_UNSUPPORTED")
    return _bitstring_list(status_list.id, status_list.subject_id, key.did, now, status_list.purposes[0], bits)


def _interrupted_init(path: Path) -> bool:
    """A sidecar without its list, that handed out nothing, is what a crashed ``init`` leaves: redo it."""
    side = alloc_path(path)
    if not side.exists():
        return False
    try:
        allocated = json.loads(side.read_text(encoding="utf-8")).get("allocated")
    except (OSError, ValueError, AttributeError):
        allocated = None
    if allocated != 0:
        raise OutputExistsError(f"{side.name} already exists", file=str(side),
                                hint="it records indexes already handed out; move it away only if you are "
                                "sure no credential uses this list")
    return True


def allocate_index(list_path: str | Path, *, issuer: str | None = None) -> tuple[str, int, str]:
    """Hand out one never-used index of a status list: (list id, index, purpose).

    With ``issuer`` (the DID that will issue the credential), a list of another issuer is
    refused: verifiers would not use it (``STATUS_LIST_FOREIGN``).
    """
    return allocate_indexes(list_path, 1, issuer=issuer)[0]


def allocate_indexes(list_path: str | Path, count: int, *, issuer: str | None = None) -> list[Allocation]:
    """Hand out ``count`` never-used indexes, recording them (durably) before returning them."""
    list_path = Path(list_path)
    with _locked(list_path):
        status_list = parse_status_list(read_json(list_path), file=str(list_path))
        if issuer is not None and status_list.issuer != issuer:
            raise InputError(f"the status list's issuer {status_list.issuer} is not the issuer of the credentials "
                             f"({issuer})", file=str(list_path), path="$.issuer", code="STATUS_LIST_FOREIGN",
                             hint="use a list made with the same key (`mcred status init --key ...`)")
        sidecar = _read_sidecar(list_path, status_list)
        start = sidecar["allocated"]
        if start + count > status_list.size:
            raise InputError(f"the status list is full: {start} of {status_list.size} indexes are in use",
                             file=str(list_path), code="STATUS_LIST_FULL",
                             hint="create another list with `mcred status init` and issue with that one")
        key = bytes.fromhex(sidecar["shuffle_key"])
        indexes = [shuffled_index(key, n, status_list.size) for n in range(start, start + count)]
        _write_sidecar(list_path, {**sidecar, "allocated": start + count}, replace=True)
    purpose = status_list.purposes[0]
    return [Allocation(status_list.id, index, purpose) for index in indexes]


def update_status_list(path: str | Path, key: SigningKey, indexes: Iterable[int], action: str, *,
                       now: str | None = None) -> UpdateResult:
    """Revoke, suspend or reinstate indexes, re-sign the list and replace it atomically.

    Refuses a list that does not verify (re-signing would launder a tampered copy),
    a key that is not the list's issuer, an action the list's purpose does not allow,
    and an index outside the list or (when the sidecar is there) never handed out.
    """
    from mcred.dates import now_timestamp

    path = Path(path)
    wanted_purpose = "revocation" if action == "revoke" else "suspension"
    with _locked(path):
        status_list = load_status_list(path)
        if not status_list.trusted:
            raise InputError(f"the status list does not verify: {status_list.problem[0]}", file=str(path),
                             code="STATUS_LIST_INVALID", hint="restore the list from a backup; mcred will not "
                             "re-sign a list that may have been changed")
        if status_list.issuer != key.did:
            raise SigningError(f"this key ({key.did}) is not the list's issuer ({status_list.issuer})",
                               file=str(path), path="$.issuer", hint="use the key the list was created with")
        _check_action(action, wanted_purpose, status_list, path)
        indexes = sorted(set(indexes))
        _check_indexes(indexes, status_list, path)
        bits = bytearray(status_list.bits)
        result = UpdateResult()
        for index in indexes:
            target = action != "reinstate"
            (result.changed if bit_is_set(bits, index) != target else result.unchanged).append(index)
            set_bit(bits, index, target)
        if not result.changed:
            return result
        now = now or now_timestamp()
        # the new list is written from what the old one says (its graph), in mcred's own form
        document = _list_document(status_list, key, now, bytes(bits))
        result.document = _sign(document, key, now, str(path))
        write_new_file(path, _json_bytes(result.document), force=True)
        _sync_folder(path)
    return result


def withdraw(path: str | Path, key: SigningKey, indexes: Iterable[int], *, now: str | None = None) -> str:
    """Take credentials that were replaced out of use: revoke them in a revocation list, suspend them in a
    suspension list. Returns what was done: "revoked" or "suspended"."""
    status_list = load_status_list(Path(path))
    action = "suspend" if status_list.purposes == ("suspension",) else "revoke"
    update_status_list(path, key, indexes, action, now=now)
    return "suspended" if action == "suspend" else "revoked"


def describe_status_list(path: str | Path, *, index: int | None = None, now: datetime | None = None,
                         cap: int = 10_000) -> dict:
    """What ``mcred status show`` reports (the ``mcred-status/1`` JSON): InputError if not a status list."""
    path = Path(path)
    status_list = load_status_list(path, now=now)
    set_bits = list(itertools.islice(set_indexes(status_list.bits), cap + 1))
    info: dict[str, Any] = {
        "format": SHOW_FORMAT, "file": str(path), "id": status_list.id, "kind": status_list.kind,
        "issuer": status_list.issuer, "purpose": "/".join(status_list.purposes),
        "valid_from": status_list.valid_from, "size": status_list.size, "verified": status_list.trusted,
        "problem": status_list.problem[0] if status_list.problem else None,
        "set_count": int.from_bytes(status_list.bits, "big").bit_count(),
        "set": set_bits[:cap], "set_truncated": len(set_bits) > cap, "allocated": None,
    }
    with contextlib.suppress(InputError):
        info["allocated"] = _read_sidecar(path, status_list)["allocated"]
    if index is not None:
        if not 0 <= index < status_list.size:
            raise UsageError(f"--index {index} is outside the list (0 to {status_list.size - 1})", file=str(path))
        info["index"] = {"index": index, "set": status_list.is_set(index)}
    return info


def _check_action(action: str, wanted: str, status_list: StatusList, path: Path) -> None:
    if action not in ("revoke", "suspend", "reinstate"):
        raise UsageError(f"unknown action {action!r}")
    if wanted in status_list.purposes:
        return
    listed = "/".join(status_list.purposes)
    hint = ("revocation is final; to be able to undo, issue with a suspension list" if action == "reinstate"
            else f"{action} needs a {wanted} list; this one is a {listed} list")
    raise UsageError(f"cannot {action} in a {listed} list", file=str(path), hint=hint)


def _check_indexes(indexes: list[int], status_list: StatusList, path: Path) -> None:
    if not indexes:
        raise UsageError("give at least one index")
    outside = [i for i in indexes if not 0 <= i < status_list.size]
    if outside:
        raise UsageError(f"index {outside[0]} is outside the list (0 to {status_list.size - 1})", file=str(path))
    side = alloc_path(path)
    if not side.exists():
        return  # a copy of the list without its sidecar: nothing to check against
    sidecar = _read_sidecar(path, status_list)
    key = bytes.fromhex(sidecar["shuffle_key"])
    never = [i for i in indexes if unshuffled_position(key, i, status_list.size) >= sidecar["allocated"]]
    if never:
        raise UsageError(f"index {never[0]} was never handed out from this list", file=str(path),
                         hint="check the index in the issuing manifest (status_index)")


def _sign(document: dict, key: SigningKey, now: str, file: str) -> dict:
    from mcred.proofs.signing import sign_credential

    return sign_credential(document, key, suite=RDFC, created=now, file=file)  # it signs a copy


# --- allocation order: a keyed permutation of [0, size) ----------------------------------------


def shuffled_index(key: bytes, position: int, size: int) -> int:
    """The index handed out ``position``-th: a keyed permutation of [0, size), cycle-walked."""
    return _cycle_walk(key, position, size, inverse=False)


def unshuffled_position(key: bytes, index: int, size: int) -> int:
    """The inverse of :func:`shuffled_index`: at which position an index is handed out."""
    return _cycle_walk(key, index, size, inverse=True)


def _cycle_walk(key: bytes, value: int, size: int, *, inverse: bool) -> int:
    # the Feistel network permutes a power of four at least as large as size; walk until back inside it
    half = _half_bits(size)
    while True:
        value = _feistel(key, value, half, inverse=inverse)
        if value < size:
            return value


def _half_bits(size: int) -> int:
    return max(1, ((size - 1).bit_length() + 1) // 2)


def _feistel(key: bytes, value: int, half: int, *, inverse: bool) -> int:
    mask = (1 << half) - 1
    left, right = value >> half, value & mask
    if not inverse:
        for round_ in range(_ROUNDS):
            left, right = right, left ^ _round(key, round_, right, mask)
    else:
        for round_ in reversed(range(_ROUNDS)):
            left, right = right ^ _round(key, round_, left, mask), left
    return (left << half) | right


def _round(key: bytes, round_: int, value: int, mask: int) -> int:
    digest = hmac.new(key, bytes([round_]) + value.to_bytes(8, "big"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") & mask


# --- files ---------------------------------------------------------------------------------


def _read_sidecar(list_path: Path, status_list: StatusList) -> dict:
    side = alloc_path(list_path)
    try:
        sidecar = json.loads(side.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{side.name} is missing, so mcred cannot tell which indexes are free", file=str(side),
                         code="STATUS_ALLOC_MISSING", hint="allocate from the issuer's own copy of the list, "
                         "the one `mcred status init` made (the sidecar is never published)") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the allocation file: {exc}", file=str(side),
                         code="STATUS_ALLOC_INVALID") from None
    valid = (isinstance(sidecar, dict) and sidecar.get("format") == ALLOC_FORMAT
             and isinstance(sidecar.get("allocated"), int) and isinstance(sidecar.get("shuffle_key"), str)
             and re.fullmatch(r"[0-9a-f]{64}", sidecar["shuffle_key"]) is not None)
    if not valid:
        raise InputError(f"{side.name} is not an {ALLOC_FORMAT} file", file=str(side), code="STATUS_ALLOC_INVALID")
    if sidecar.get("list") != status_list.id or sidecar.get("size") != status_list.size:
        raise InputError(f"{side.name} belongs to another list ({sidecar.get('list')}, "
                         f"{sidecar.get('size')} entries)", file=str(side), code="STATUS_ALLOC_INVALID")
    return sidecar


def _write_sidecar(list_path: Path, sidecar: dict, *, replace: bool) -> None:
    side = alloc_path(list_path)
    write_new_file(side, _json_bytes(sidecar), mode=0o600, force=replace)
    _sync_folder(side)


def _sync_folder(path: Path) -> None:
    """fsync the folder, so that the rename that put ``path`` in place survives a power cut."""
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(path.parent if str(path.parent) else ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(list_path: Path) -> Iterator[None]:
    """An exclusive lock on ``LIST.json.lock`` (released by the OS if the process dies)."""
    folder = list_path.parent if str(list_path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("the folder does not exist", file=str(folder))
    fd = os.open(f"{list_path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _lock_fd(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _lock_fd(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _json_bytes(document: dict) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _check_list_id(list_id: str) -> None:
    if not _IRI.match(list_id or ""):
        raise UsageError(f"--id {list_id!r} is not an absolute URL or URN without a fragment",
                         hint="e.g. --id https://its.example/status/1 or --id urn:uuid:... (the index "
                         "becomes the fragment: <id>#<index>)")
