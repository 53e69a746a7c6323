"""The manifest of a roster run, ``DIR/manifest.json``: what was issued, from what, and what replaced what.

``mcred-manifest/2``::

    {"format": "mcred-manifest/2", "issuer": "did:key:z6Mk...",
     "outcomes": "course.yaml", "outcomes_sha256": "...", "roster": "roster.csv", "roster_sha256": "...",
     "status_list": "revocations.json",   # SD-JWT VCs: revocations.jwt, a Token Status List (its uri per row)
     "counts": {"issued": 1, "already-issued": 28, "reissued": 1, "failed": 0},
     "rows": [{"row": 2, "status": "issued", "file": "rossi-giulia-1a2b3c4d.json", "credential_id": "urn:uuid:...",
               "sha256": "...", "status_list": "<list id>", "status_index": 48213,
               "learner": {"award_date": "2026-06-30", "family_name": "Rossi", "given_name": "Giulia", ...},
               "learner_sha256": "...", "outcomes_sha256": "...", "suite": "eddsa-rdfc-2022"}, ...],
     "earlier": [...],
     "superseded": [{..., "superseded_by": "urn:uuid:...", "revoked": true}]}

Each credential's record says what it was signed from: the learner's values as read from the
roster (:func:`normalised_learner`) with their SHA-256, the outcome file's SHA-256, and the
cryptosuite (``--suite``, or for an SD-JWT VC ``sd-jwt-vc/ES256`` and its profile: the one option
that changes a credential of the same row and outcome file; ``--issued`` does not make a credential
another one, and the status entry is compared apart). A re-run compares them with the roster and
outcome file it is given, row by row (:mod:`mcred.issue.reruns`).
The values are kept, not only their digest, so that a refused re-run can say what changed
("grade 28/30 → 30/30"); the manifest holds what the credentials beside it hold, and is the
issuer's record, never published.

* ``rows``: this run's rows. ``status`` is ``issued`` (new), ``already-issued`` (unchanged, kept),
  ``reissued`` (changed: a new credential, with ``supersedes``) or ``failed`` (with ``error``).
  Before any credential is signed, the manifest is written with each row to sign as ``pending``
  (its id, file and digests), so that a run killed halfway leaves a record of what every file it
  wrote was signed from; a ``pending`` record whose file was never written is void.
* ``earlier``: credentials of earlier runs that no row of this run accounts for (a row that failed
  this time, a learner no longer in the roster): kept, so that they can still be found and revoked.
* ``superseded``: credentials replaced by a reissue, with ``superseded_by``; ``revoked`` (or
  ``suspended``, on a suspension list) once their status entry is set.

``mcred-manifest/1`` (before re-runs were compared) is read too: it has ``rows`` only, and the
outcome file's and roster's SHA-256 for the whole run.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mcred._files import write_new_file
from mcred.errors import InputError

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "mcred-manifest/2"
LEGACY_FORMAT = "mcred-manifest/1"
#: the statuses a row's result is counted under
COUNTED = ("issued", "already-issued", "reissued", "failed")
#: a manifest lists every learner of a roster: larger than any credential, still bounded
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


@dataclass
class RowResult:
    """One credential's record in the manifest, and what happened to one roster row."""

    row: int
    status: str  # "issued", "already-issued", "reissued", "failed"; "pending" while (or if killed) signing
    file: str | None = None
    credential_id: str | None = None
    sha256: str | None = None
    error: str | None = None
    status_list: str | None = None
    status_index: int | None = None
    #: the learner's values the credential was signed from (normalised_learner) and their SHA-256
    learner: dict | None = None
    learner_sha256: str | None = None
    #: the SHA-256 of the outcome file the credential was signed from
    outcomes_sha256: str | None = None
    #: the option that changes a credential of the same row and outcome file: its cryptosuite
    suite: str | None = None
    #: the credential this one replaces (a reissue), and the one that replaced it
    supersedes: str | None = None
    superseded_by: str | None = None
    revoked: bool | None = None
    suspended: bool | None = None

    @property
    def has_credential(self) -> bool:
        return bool(self.file and self.credential_id) and self.status != "failed"

    @property
    def name(self) -> str:
        """"Rossi Giulia", as recorded (empty when the manifest does not say)."""
        learner = self.learner or {}
        return " ".join(part for part in (learner.get("family_name"), learner.get("given_name")) if part)

    def label(self) -> str:
        """How the record is named to a person: row, name, file."""
        who = f" ({self.name})" if self.name else ""
        return f"row {self.row}{who}, {self.file or self.credential_id}"

    def to_json(self) -> dict:
        return {name: value for name, value in asdict(self).items() if value is not None}


@dataclass
class Manifest:
    """A roster folder's manifest: the run's sources, and every credential's record."""

    format: str
    #: what the run was made from: issuer, outcomes (+ sha256), roster (+ sha256), status_list (a path)
    sources: dict
    rows: list[RowResult]
    earlier: list[RowResult] = field(default_factory=list)
    superseded: list[RowResult] = field(default_factory=list)

    @property
    def legacy(self) -> bool:
        """Written before each record said what it was signed from."""
        return self.format == LEGACY_FORMAT

    def standing(self) -> list[RowResult]:
        """The credentials that stand, not replaced: this run's rows that have one, then the earlier ones."""
        return [record for record in self.rows + self.earlier if record.has_credential]

    def credentials(self) -> list[RowResult]:
        """Every credential recorded, standing or superseded."""
        return self.standing() + [record for record in self.superseded if record.has_credential]


def normalised_learner(learner: dict) -> dict[str, str]:
    """A learner's values as a credential is signed from them: NFC, white space collapsed, empty ones left out.

    The values as read (a roster's cells, after its columns and dates are understood), never the
    file's bytes: a roster saved again with another delimiter or encoding says the same thing.
    """
    values = {}
    for name in sorted(learner):
        text = " ".join(unicodedata.normalize("NFC", str(learner[name])).split())
        if text:
            values[name] = text
    return values


def learner_digest(values: dict[str, str]) -> str:
    """The SHA-256 of normalised learner values (canonical JSON: sorted keys, no spaces, UTF-8)."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(path: str | Path) -> Manifest:
    """A manifest file; InputError (``MANIFEST_INVALID``) if it is unreadable or not one mcred wrote."""
    path = Path(path)

    def refuse(message: str, where: str | None = None) -> InputError:
        return InputError(message, file=str(path), path=where, code="MANIFEST_INVALID",
                          hint="give the manifest.json `mcred issue --out-dir` wrote (never edit it by hand)")

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read the manifest: {exc.strerror}") from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise refuse(f"the manifest is larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refuse("the manifest is not JSON") from None
    if not isinstance(document, dict) or document.get("format") not in (LEGACY_FORMAT, MANIFEST_FORMAT):
        found = document.get("format") if isinstance(document, dict) else None
        raise refuse(f"not an mcred manifest ({MANIFEST_FORMAT} or {LEGACY_FORMAT}): format {found!r}", "$.format")
    lists = {}
    for part in ("rows", "earlier", "superseded"):
        items = document.get(part, [])
        if not isinstance(items, list):
            raise refuse(f"{part} is not a list", f"$.{part}")
        lists[part] = [_record(item, refuse, f"$.{part}[{index}]") for index, item in enumerate(items)]
    sources = {name: value for name, value in document.items()
               if name not in ("format", "counts", "rows", "earlier", "superseded") and isinstance(value, str)}
    return Manifest(document["format"], sources, lists["rows"], lists["earlier"], lists["superseded"])


_KINDS = {"row": int, "status": str, "file": str, "credential_id": str, "sha256": str, "error": str,
          "status_list": str, "status_index": int, "learner": dict, "learner_sha256": str, "outcomes_sha256": str,
          "suite": str, "supersedes": str, "superseded_by": str, "revoked": bool, "suspended": bool}


def _record(item, refuse, where: str) -> RowResult:
    if not isinstance(item, dict):
        raise refuse("a record is not a JSON object", where)
    values = {}
    for name, kind in _KINDS.items():
        value = item.get(name)
        if value is None:
            continue
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise refuse(f"{name} is not a {kind.__name__}", f"{where}.{name}")
        values[name] = value
    if "row" not in values or "status" not in values:
        raise refuse("a record has no row or status", where)
    if not all(isinstance(value, str) for value in values.get("learner", {}).values()):
        raise refuse("the learner's values are not strings", f"{where}.learner")
    name = values.get("file")
    if name is not None and (Path(name).name != name or name.startswith(".")):
        # records name files in the manifest's own folder; anything else is not mcred's
        raise refuse(f"{name!r} is not a file name of the folder", f"{where}.file")
    return RowResult(**values)


def write_manifest(out_dir: Path, manifest: Manifest) -> None:
    """Write ``out_dir/manifest.json`` atomically (a crash leaves the old one or the new one)."""
    counts = {status: sum(1 for r in manifest.rows if r.status == status) for status in COUNTED}
    pending = sum(1 for r in manifest.rows if r.status == "pending")
    if pending:
        counts["pending"] = pending
    document = {
        "format": MANIFEST_FORMAT,
        **manifest.sources,
        "counts": counts,
        "rows": [record.to_json() for record in sorted(manifest.rows, key=lambda r: r.row)],
        "earlier": [record.to_json() for record in manifest.earlier],
        "superseded": [record.to_json() for record in manifest.superseded],
    }
    write_new_file(out_dir / MANIFEST, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode(),
                   force=True)
