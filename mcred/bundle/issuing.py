"""Making bundles: every rendition of one learner's award and its signed manifest (``mcred issue --formats``), or a
manifest binding renditions issued earlier (``mcred bundle``).

Nothing is signed on trust: each rendition, as written, is verified and read back (:mod:`mcred.bundle.readers`),
the renditions must state the same award, and only then is the manifest signed with those facts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from mcred.errors import InputError, McredError, UsageError
from mcred.messages import register
from mcred.report import VerificationReport, VerifyOptions

from .compare import differences, merged_learner
from .facts import AwardFacts
from .formats import FORMATS, Format, Signers, key_thumbprint, rendition_signer, sha256_hex, stated_facts
from .manifest import SUFFIX, Rendition, manifest_bytes, sign_manifest

register({
    "BUNDLE_REFUSED_INVALID": ("{file} non è verificato ({cause}: {reason}): un bundle lega solo versioni valide",
                               "verificatelo con `mcred verify {file}`"),
    "BUNDLE_FORMAT_UNRECOGNISED": ("{file} non è una versione che mcred sa leggere (edc, jades, sd-jwt-vc, vc2, ob3)",
                                   None),
    "BUNDLE_ROW_CHANGED": ("{file} è stato emesso da un'altra versione di questa riga (da allora sono cambiati: "
                           "{fields}): resta com'è, e questa riga non è emessa di nuovo",
                           "usate --force per emettere di nuovo ogni riga (o emettete questa persona in un'altra "
                           "cartella)"),
    "BUNDLE_ROW_OTHER_LEARNER": ("{file} è il bundle di un'altra persona ({fields} diversi da questa riga): resta "
                                 "com'è, e questa riga non è emessa",
                           "spostate altrove il bundle della cartella, o usate --force per emettere di nuovo "
                           "ogni riga"),
})


class BundleRefused(McredError):
    """The renditions cannot be bound: one does not verify, is another issuer's, or states another award (exit 1)."""

    exit_code = 1
    code = "BUNDLE_REFUSED"


@dataclass(frozen=True)
class Examined:
    """A rendition verified and read back."""

    format: Format
    path: Path
    data: bytes
    report: VerificationReport
    facts: AwardFacts
    signer: str


def examine(path: Path, fmt: Format, options: VerifyOptions) -> Examined:
    """Verify one rendition file and read its facts; BundleRefused when it does not verify."""
    from mcred._files import read_input
    from mcred.verify.runner import verify_bytes

    from .readers import UnreadableFacts

    data = read_input(path, what="the rendition")
    report = verify_bytes(data, str(path), options=options)
    if not report.verified:
        first = report.failures[0] if report.failures else None
        cause, reason = (first.code, first.message) if first else ("UNUSABLE", "it cannot be read")
        raise BundleRefused(f"{path.name} does not verify ({cause}: {reason}): a bundle binds valid renditions only",
                            file=str(path), code="BUNDLE_REFUSED_INVALID", hint=f"check it with `mcred verify {path}`",
                            params={"file": path.name, "cause": cause, "reason": reason})
    try:
        facts = stated_facts(fmt, report)
    except UnreadableFacts as exc:
        raise BundleRefused(f"the facts of {path.name} ({fmt.name}) cannot be read: {exc}", file=str(path),
                            code="BUNDLE_FACTS_UNREADABLE",
                            params={"file": path.name, "format": fmt.name, "detail": str(exc)}) from None
    return Examined(fmt, path, data, report, facts, rendition_signer(fmt, data, report) or "")


def agreed_facts(examined: list[Examined]) -> AwardFacts:
    """The award every rendition states (learner facts: all those any of them states); BundleRefused
    BUNDLE_FACTS_DIFFER naming the first fact and both values, and the two files, when two disagree."""
    first = examined[0]
    merged = dataclasses.replace(first.facts, learner=merged_learner([e.facts for e in examined]))
    for other in examined[1:]:
        differ = differences(merged, other.facts)
        if differ:
            item = differ[0]
            raise BundleRefused(
                f"{other.path.name} ({other.format.name}) states {item.fact} {item.found}, {first.path.name} "
                f"({first.format.name}) {item.expected}: they are not the same award", file=str(other.path),
                code="BUNDLE_FACTS_DIFFER", hint="a bundle binds renditions of one award: issue them again from one "
                "outcome file", params={"file": other.path.name, "format": other.format.name, "fact": item.fact,
                                        "found": item.found, "expected": item.expected})
    return merged


def _check_signers(examined: list[Examined], signers: Signers) -> None:
    """Each rendition is the issuer's: its DID's proof, or the issuer's own certificate key (which it holds)."""
    for item in examined:
        if item.format.signed_by == "did":
            expected = signers.key.did
        elif item.format.signed_by == "x5c":
            if signers.ec_key is None:
                raise UsageError(f"{item.path.name} is an SD-JWT VC: give the issuer's P-256 key (--ec-key) that "
                                 "signed it, so that the manifest binds only the issuer's own credential")
            expected = key_thumbprint(signers.ec_key.public_key.key)
        else:
            expected = item.signer  # the seal's certificate: its payload must be the issuer's credential
            payload = {proof.controller for proof in item.report.proofs}
            if payload != {signers.key.did}:
                _mismatch(item, ", ".join(sorted(payload)) or "(no proof)", signers.key.did)
        if item.signer != expected:
            _mismatch(item, item.signer or "(several signers)", expected)


def _mismatch(item: Examined, found: str, expected: str) -> None:
    raise BundleRefused(f"{item.path.name} ({item.format.name}) is signed by {found}, not by {expected}: a bundle "
                        "binds one issuer's renditions", file=str(item.path), code="BUNDLE_ISSUER_MISMATCH",
                        hint="sign the manifest with the key of the issuer of every rendition",
                        params={"file": item.path.name, "format": item.format.name, "found": found,
                                "expected": expected, "issuer": expected})


def bind(examined: list[Examined], signers: Signers, *, issued: str) -> dict:
    """The signed manifest of renditions verified and read (:func:`examine`), once they are the issuer's and agree."""
    _check_signers(examined, signers)
    facts = agreed_facts(examined)
    renditions = [Rendition(e.format.name, e.path.name, sha256_hex(e.data), e.signer) for e in examined]
    return sign_manifest(facts, renditions, signers.key, issued=issued)


def sniff_format(path: Path) -> Format:
    """The format of a rendition file, from its content: an SD-JWT, a JAdES seal, an OB 3.0 credential, a VC 2.0
    credential (ELM 3.2), else an ELM/EDC credential; InputError for anything else."""
    from mcred._files import parse_json, read_input
    from mcred.sdjwt.compact import is_sd_jwt
    from mcred.seals.jades import is_jades

    data = read_input(path, what="the rendition")
    if is_sd_jwt(data):
        return FORMATS["sd-jwt-vc"]
    document = parse_json(data, file=str(path))
    if is_jades(document):
        return FORMATS["jades"]
    if isinstance(document, dict):
        types = document.get("type") if isinstance(document.get("type"), list) else [document.get("type")]
        context = document.get("@context")
        contexts = context if isinstance(context, list) else [context]
        if "OpenBadgeCredential" in types or "AchievementCredential" in types:
            return FORMATS["ob3"]
        if "https://www.w3.org/ns/credentials/v2" in contexts:
            return FORMATS["vc2"]
        if "EuropeanDigitalCredential" in types:
            return FORMATS["edc"]
    raise InputError(f"{path.name} is not a rendition mcred can read (edc, jades, sd-jwt-vc, vc2, ob3)",
                     file=str(path), code="BUNDLE_FORMAT_UNRECOGNISED", params={"file": path.name})


def issue_bundle(outcomes, learner: dict, formats: list[Format], signers: Signers, out_dir: Path, stem: str, *,
                 issued: str, force: bool = False) -> tuple[Path, str]:
    """Every rendition of one learner's award in ``out_dir`` (``<stem><suffix>``), verified and read back, and
    ``<stem>.bundle.json``; returns the manifest's path and what was done: "issued", "kept" (an earlier run's
    bundle of this learner, left as it is) or "completed" (an earlier run that stopped while moving its files).

    Resumable: a row's files are written in a staging folder beside them (``.<stem>.bundle-staging``), the
    manifest last, then moved into place, the manifest last. A re-run finds each row in one of three states:
    the manifest in place (kept: a bundle is never issued twice without ``force``), the staging folder with
    its manifest (the moves are finished), or a staging folder without one (it is removed: nothing of it was
    in place yet, and the row is issued again)."""
    import shutil

    from mcred._files import check_output_file, write_new_file
    from mcred.dates import parse_datetime

    paths = [out_dir / f"{stem}{fmt.suffix}" for fmt in formats]
    manifest_path = out_dir / f"{stem}{SUFFIX}"
    record_path = out_dir / f".{stem}{ROW_RECORD}"
    staging = out_dir / f".{stem}.bundle-staging"
    record = row_record(outcomes, learner, formats)
    if staging.is_dir() and not force and (staging / manifest_path.name).is_file():
        _move_into_place(staging, [*paths, record_path, manifest_path])
        return manifest_path, "completed"
    if staging.exists():  # a row stopped before its manifest was signed: nothing of it is in place
        shutil.rmtree(staging) if staging.is_dir() else staging.unlink()
    if manifest_path.exists() and not force:
        _check_kept(manifest_path, learner, record_path, record)
        return manifest_path, "kept"
    for path in (*paths, manifest_path):
        check_output_file(path, force=force)  # before anything is signed: nothing half-written
    written = [(fmt, fmt.issue(outcomes, learner, signers, issued)) for fmt in formats]
    staging.mkdir()
    staged = [staging / path.name for path in paths]
    for path, (_, data) in zip(staged, written, strict=True):
        write_new_file(path, data)
    options = VerifyOptions(now=parse_datetime(issued))
    try:
        examined = [examine(path, fmt, options) for path, (fmt, _) in zip(staged, written, strict=True)]
        manifest = bind(examined, signers, issued=issued)
    except McredError:
        shutil.rmtree(staging)  # renditions no manifest binds are not left behind as if they were a bundle's
        raise
    write_new_file(staging / record_path.name, record_bytes(record), mode=0o600)
    write_new_file(staging / manifest_path.name, manifest_bytes(manifest))
    _move_into_place(staging, [*paths, record_path, manifest_path])
    return manifest_path, "issued"


def _move_into_place(staging: Path, targets: list[Path]) -> None:
    """The staged files to their places, the manifest (last of ``targets``) last; then the staging folder goes.
    What is in place under those names is an earlier move of these very files, or was refused before staging."""
    import os

    for target in targets:
        source = staging / target.name
        if source.is_file():
            os.replace(source, target)
    for leftover in staging.iterdir():  # nothing else is written there
        leftover.unlink()
    staging.rmdir()


#: beside each bundle, ``.NAME.bundle-row``: the issuer's record of what it was issued from (the row's values and
#: the outcome file, as digests, and the formats); mode 0600, never published, as a roster's manifest.json
ROW_RECORD = ".bundle-row"
ROW_RECORD_FORMAT = "mcred-bundle-row/1"


def row_record(outcomes, learner: dict, formats: list[Format]) -> dict:
    """What a row's bundle is issued from: the learner's normalised values and the outcome file, as SHA-256
    digests (:mod:`mcred.issue.manifest`, as for rosters), and the formats."""
    from mcred.issue.issuing import sha256_file
    from mcred.issue.manifest import learner_digest, normalised_learner

    return {"format": ROW_RECORD_FORMAT, "row_sha256": learner_digest(normalised_learner(learner)),
            "outcomes_sha256": sha256_file(outcomes.file), "formats": [f.name for f in formats]}


def record_bytes(record: dict) -> bytes:
    import json

    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _changed(record_path: Path, record: dict) -> list[str]:
    """What differs between an earlier bundle's row record and this row's: none when there is no record (a
    bundle issued by `mcred bundle`, or before records were kept), or it cannot be read."""
    import json

    try:
        earlier = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(earlier, dict) or earlier.get("format") != ROW_RECORD_FORMAT:
        return []
    names = {"row_sha256": "the row's values", "outcomes_sha256": "the outcome file", "formats": "the formats"}
    return [said for key, said in names.items() if earlier.get(key) != record[key]]


def _check_kept(manifest_path: Path, learner: dict, record_path: Path, record: dict) -> None:
    """An earlier run's bundle is kept only if it is this learner's (the names, and the birth date and tax code
    when the row gives them, as its manifest states them) and was issued from what this row says now (its
    record: the row's values, the outcome file, the formats); else BUNDLE_ROW_CHANGED (nothing written)."""
    from .manifest import read_manifest

    changed = _changed(record_path, record)
    if changed:
        raise BundleRefused(f"{manifest_path.name} was issued from another version of this row "
                            f"({', '.join(changed)} changed since): it is kept, and this row is not issued again",
                            file=str(manifest_path), code="BUNDLE_ROW_CHANGED",
                            params={"file": manifest_path.name, "fields": ", ".join(changed)},
                            hint="pass --force to issue every row again (or issue this learner in another folder)")

    stated = dict(read_manifest(manifest_path).facts.learner)
    row = {"given_name": learner.get("given_name"), "family_name": learner.get("family_name"),
           "birth_date": learner.get("date_of_birth"), "national_id": learner.get("codice_fiscale")}
    differ = [kind for kind, value in row.items()
              if value and stated.get(kind) is not None and str(value) != str(stated[kind])]
    if differ:
        raise BundleRefused(f"{manifest_path.name} is the bundle of another learner ({', '.join(differ)} differ "
                            "from this row): it is kept, and this row is not issued", file=str(manifest_path),
                            code="BUNDLE_ROW_OTHER_LEARNER",
                            params={"file": manifest_path.name, "fields": ", ".join(differ)},
                            hint="move the folder's bundle away, or pass --force to issue every row again")


@dataclass(frozen=True)
class Row:
    """One learner to issue a bundle for: its row number (for messages), data, and file stem."""

    number: int
    learner: dict
    stem: str


@dataclass(frozen=True)
class RowDone:
    """What became of a row: its manifest's path, or the error that stopped it (never an exception)."""

    number: int
    manifest: Path | None = None
    error: McredError | None = None
    #: "issued", "kept" (an earlier run's) or "completed" (an earlier run's, stopped while moving its files)
    outcome: str = "issued"


_worker: dict = {}


def _init_worker(outcomes, names: list[str], signers: Signers, out_dir: str, issued: str, force: bool,
                 worker: bool = True) -> None:
    if worker:  # a pool's process: it must not outlive a parent killed with kill -9
        from mcred._workers import die_with_parent

        die_with_parent()
    _worker.update(outcomes=outcomes, formats=[FORMATS[n] for n in names], signers=signers, out_dir=Path(out_dir),
                   issued=issued, force=force)


def _issue_row(row: Row) -> RowDone:
    try:
        manifest, outcome = issue_bundle(_worker["outcomes"], row.learner, _worker["formats"], _worker["signers"],
                                         _worker["out_dir"], row.stem, issued=_worker["issued"],
                                         force=_worker["force"])
    except McredError as error:
        if isinstance(error, UsageError):  # an output that exists: every row would say it, stop the run
            raise
        return RowDone(row.number, error=error)
    return RowDone(row.number, manifest=manifest, outcome=outcome)


def issue_bundles(outcomes, rows: list[Row], formats: list[Format], signers: Signers, out_dir: Path, *,
                  issued: str, force: bool = False, jobs: int = 1, progress=None) -> list[RowDone]:
    """A bundle per row, in ``jobs`` worker processes (one: in this process); each row's result, in row order."""
    args = (outcomes, [f.name for f in formats], signers, str(out_dir), issued, force)
    done: list[RowDone] = []
    if jobs == 1 or len(rows) < 2:
        _init_worker(*args, worker=False)
        results = map(_issue_row, rows)
    else:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=min(jobs, len(rows)), initializer=_init_worker, initargs=args)
        results = pool.map(_issue_row, rows, chunksize=max(1, len(rows) // (jobs * 8)))
    try:
        for result in results:
            done.append(result)
            if progress is not None:
                progress(result)
    finally:
        if jobs != 1 and len(rows) >= 2:
            pool.shutdown(cancel_futures=True)
        _worker.clear()
    return done


def needs_of(formats: list[Format], signers: Signers) -> None:
    """Refuse, before any work, a format whose keys were not given (UsageError naming the options)."""
    for fmt in formats:
        missing = ((fmt.signed_by == "x5c" and (signers.ec_key is None or not signers.certs))
                   or (fmt.signed_by == "seal" and signers.seal_key is None))
        if missing:
            raise UsageError(f"the format {fmt.name} needs {fmt.needs}")
