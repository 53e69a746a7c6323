"""The issuer's own status lists, kept by the service: an entry in what it issues, updates by credential id.

``mcred serve --status-list LIST.json`` (one revocation list, one suspension list, or both, made
with ``mcred status init`` and the server's key). When a ``/credentials/issue`` request asks for a
status (``options.credentialStatus``), the service allocates an index in each list
(:func:`mcred.issue.status_lists.allocate_index`, durable before it is used) and adds a
``BitstringStatusListEntry``; it records which credential id got which index in
``LIST.json.issued`` (one JSON object a line, appended under an exclusive lock and fsynced), so
that ``/credentials/status`` can find it by the id alone.

``/credentials/verify`` checks credentials against these lists too (:meth:`StatusBook.verify_copies`),
read again whenever a list file changes.

Concurrent updates lose nothing: within a process a lock per list serialises them; across the
``--workers`` processes, :func:`mcred.issue.status_lists.update_status_list` holds the list's file
lock while it reads, changes, re-signs and atomically replaces the list.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from mcred.errors import InputError

from .problems import ServeProblem

#: what a /credentials/status request can ask, and the list purpose and library action each one is
STATUS_ACTIONS = {"revoked": ("revocation", "revoke"), "suspended": ("suspension", "suspend"),
                  "reinstated": ("suspension", "reinstate")}


@dataclass(frozen=True)
class OwnList:
    path: Path
    list_id: str
    purpose: str

    @property
    def issued_path(self) -> Path:
        return Path(f"{self.path}.issued")


class StatusBook:
    """The service's status lists by purpose, the record of what it issued with them, and their locks."""

    def __init__(self, paths: tuple[Path, ...], key) -> None:
        from mcred.issue.status_lists import load_status_list

        self._key = key
        self.lists: dict[str, OwnList] = {}
        for path in paths:
            status_list = load_status_list(Path(path))
            if key is None or status_list.issuer != key.did:
                raise InputError(f"the status list's issuer {status_list.issuer} is not the server key's DID",
                                 file=str(path), path="$.issuer", code="STATUS_LIST_FOREIGN",
                                 hint="give lists made with the server's key (`mcred status init --key ...`)")
            purpose = status_list.purposes[0]
            if purpose in self.lists:
                raise InputError(f"two {purpose} lists: give at most one list per purpose", file=str(path),
                                 code="SERVE_REQUEST_INVALID", params={"detail": "two lists of one purpose"})
            self.lists[purpose] = OwnList(Path(path), status_list.id, purpose)
        self._locks = {purpose: threading.Lock() for purpose in self.lists}
        self._copies_lock = threading.Lock()
        self._copies = None
        self._stamp: tuple = ()

    def verify_copies(self):
        """The service's own lists as ``mcred verify --status-list`` reads them, so that what the server revoked
        verifies as revoked; read again whenever a list file changed (this worker or another updated it)."""
        from mcred.verify.status_copies import load_status_lists

        if not self.lists:
            return None
        paths = [own.path for own in self.lists.values()]
        with self._copies_lock:
            stamp = tuple((stat.st_mtime_ns, stat.st_size, stat.st_ino) for stat in (p.stat() for p in paths))
            if stamp != self._stamp:  # stat first: a change during the read is seen by the next request
                self._copies, self._stamp = load_status_lists(paths), stamp
            return self._copies

    def add_entries(self, credential: dict) -> dict:
        """A copy of ``credential`` with a BitstringStatusListEntry in each of the service's lists."""
        from mcred.issue.status_lists import allocate_index, bitstring_entry

        if not self.lists:
            raise ServeProblem(409, "SERVE_STATUS_NO_LIST", "the service has no status list",
                               hint="start mcred serve with --status-list LIST.json", params={"purpose": "-"})
        credential_id = credential.get("id")
        if not isinstance(credential_id, str) or not credential_id:
            raise ServeProblem(422, "SERVE_CREDENTIAL_NO_ID", "the credential has no id: its status could never "
                               "be changed", path="$.id", hint="give the credential an id (urn:uuid:...)")
        contexts = credential.get("@context")
        first = contexts[0] if isinstance(contexts, list) and contexts else contexts
        if first != "https://www.w3.org/ns/credentials/v2":
            raise ServeProblem(422, "SERVE_STATUS_CONTEXT", "a BitstringStatusListEntry needs the VC 2.0 context",
                               path="$['@context']", hint="make https://www.w3.org/ns/credentials/v2 the first "
                               "@context")
        entries = []
        for own in self.lists.values():
            list_id, index, purpose = allocate_index(own.path, issuer=self._key.did)
            entries.append(bitstring_entry(list_id, index, purpose))
            self._record(own, credential_id, index)
        return {**credential, "credentialStatus": entries[0] if len(entries) == 1 else entries}

    def update(self, credential_id: str, status: str) -> dict:
        """Revoke, suspend or reinstate every index recorded for ``credential_id``; what changed."""
        from mcred.issue.status_lists import update_status_list

        purpose, action = STATUS_ACTIONS[status]
        own = self.lists.get(purpose)
        if own is None:
            raise ServeProblem(409, "SERVE_STATUS_NO_LIST", f"the service has no status list for {purpose}",
                               hint="start mcred serve with --status-list for that purpose",
                               params={"purpose": purpose})
        indexes = self._indexes(own, credential_id)
        if not indexes:
            raise ServeProblem(404, "SERVE_STATUS_UNKNOWN_CREDENTIAL", f"no credential {credential_id} was issued "
                               "with a status list of this service", path="$.credentialId",
                               hint="check the credential's id", params={"credential_id": credential_id})
        with self._locks[purpose]:
            result = update_status_list(own.path, self._key, indexes, action)
        return {"statusPurpose": purpose, "statusListCredential": own.list_id, "indexes": indexes,
                "changed": bool(result.changed)}

    def _record(self, own: OwnList, credential_id: str, index: int) -> None:
        """Append ``{"id", "index"}`` to LIST.json.issued, under an exclusive lock, durably."""
        line = (json.dumps({"id": credential_id, "index": index}, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(own.issued_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            _lock(fd)
            os.write(fd, line)  # one write of one line: O_APPEND puts it whole at the end
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock

    def _indexes(self, own: OwnList, credential_id: str) -> list[int]:
        try:
            text = own.issued_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        found = []
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except ValueError:  # a line cut short by a crash: its index was never given out in a credential
                continue
            if record.get("id") == credential_id:
                found.append(record["index"])
        return sorted(set(found))


def _lock(fd: int) -> None:
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX)
