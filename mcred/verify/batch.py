"""Verifying many files: one process pool, results streamed as they finish, a summary at the end.

The pool is started once per batch and fed file paths, not parsed documents;
each worker loads the trust and status lists once. Results come back as small
dictionaries, and only counts are kept, so memory stays flat whatever the
number of files.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mcred.errors import UsageError
from mcred.report import VerifyOptions

from .runner import verify_file

SUMMARY_FORMAT = "mcred-summary/1"


@dataclass
class BatchSummary:
    """Counts by outcome and by problem code; the exit code is the worst seen."""

    outcomes: Counter = field(default_factory=Counter)
    problems: Counter = field(default_factory=Counter)
    worst_exit: int = 0

    def add(self, result: dict) -> None:
        report = result["report"]
        self.outcomes[report["outcome"]] += 1
        # a presentation's problems are its own and its credentials'
        for checks in [report["checks"], *(held["checks"] for held in report.get("credentials", ()))]:
            for check in checks:
                if check["status"] in ("failed", "warning"):
                    self.problems[check["code"]] += 1
        self.worst_exit = max(self.worst_exit, result["exit_code"])

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    def to_dict(self) -> dict:
        return {"format": SUMMARY_FORMAT, "files": self.total, "exit_code": self.worst_exit,
                "outcomes": dict(sorted(self.outcomes.items())), "problems": dict(sorted(self.problems.items()))}


def expand_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The files to verify, and the mcred manifests skipped among them.

    Files as given, and every ``*.json``, ``*.jwt`` and ``*.sd-jwt`` under each folder (sorted). The manifest that
    ``mcred issue`` writes beside a batch is no credential: it is recognised by its
    content (:func:`mcred._files.is_mcred_manifest`) wherever it is, in a folder or
    named by a glob such as ``out/*.json``, and skipped.
    """
    from mcred._files import is_mcred_manifest

    paths: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found = sorted(p for pattern in ("*.json", "*.jwt", "*.sd-jwt") for p in item.rglob(pattern) if p.is_file())
            if not found:
                raise UsageError("the folder holds no .json, .jwt or .sd-jwt files", file=str(item))
            paths.extend(found)
        else:
            paths.append(item)
    skipped = [p for p in paths if is_mcred_manifest(p)]
    if skipped and len(skipped) == len(paths):
        raise UsageError("there is no credential to verify: only mcred's issuing manifest", file=str(skipped[0]),
                         hint="give the credential files beside it, or their folder")
    return [p for p in paths if p not in skipped], skipped


_options: VerifyOptions | None = None
_lang = "en"
#: what a presentation is verified against: {"challenge", "domain", "holder_binding"} (``mcred verify``'s options)
_presentation: dict = {}


def _init(options: VerifyOptions | None, trust_path: str | None, status_paths: tuple[str, ...], strict: bool,
          now: datetime | None, lang: str, documents_paths: tuple[str, ...] = (), proof_only: bool = False,
          presentation: dict | None = None, sd_jwt: tuple = ((), "haip")) -> None:
    """Set up a process for verifying: the options given, or (in a fresh process) read from their files.
    ``sd_jwt`` is (the ``--type-metadata`` paths, the ``--profile``)."""
    global _options, _lang, _presentation
    _presentation = dict(presentation or {})
    type_metadata_paths, profile = sd_jwt
    _options = options if options is not None else load_options(
        trust_path, status_paths, strict, now, documents_paths, proof_only=proof_only,
        type_metadata_paths=type_metadata_paths, profile=profile)
    _lang = lang


def _init_worker(*initargs) -> None:
    """Set up a pool's worker (:func:`_init`), which must not outlive a parent killed with kill -9."""
    from mcred._workers import die_with_parent

    die_with_parent()
    _init(*initargs)


def load_options(trust_path: str | None, status_paths: tuple[str, ...], strict: bool,
                 now: datetime | None, documents_paths: tuple[str, ...] = (), *,
                 proof_only: bool = False, type_metadata_paths: tuple[str, ...] = (),
                 profile: str = "haip") -> VerifyOptions:
    """VerifyOptions with the trust list, DID documents, status lists and SD-JWT VC type metadata (the bundled
    types, after those of ``type_metadata_paths``) read from their files."""
    trust = status_lists = None
    if trust_path:
        from .trust import load_trust_list

        trust = load_trust_list(Path(trust_path))
    documents = load_documents(documents_paths, trust)
    if status_paths:
        from .status_copies import load_status_lists

        # a list signed with a key the trust file binds to its issuer counts as that issuer's
        status_lists = load_status_lists([Path(p) for p in status_paths], trust=trust, documents=documents)
    type_metadata = None
    if type_metadata_paths:  # without any, the bundled types are read when an SD-JWT VC needs them
        from mcred.sdjwt.type_metadata import load_type_metadata

        type_metadata = load_type_metadata([Path(p) for p in type_metadata_paths])
    return VerifyOptions(now=now, trust=trust, status_lists=status_lists, strict=strict, documents=documents,
                         proof_only=proof_only, type_metadata=type_metadata, profile=profile)


def load_documents(paths: tuple[str, ...], trust=None):
    """The DID and controller documents of ``--did-documents`` and of the trust file, as one set
    (:mod:`mcred.keys.documents`); None when there are none."""
    trusted = getattr(trust, "documents", None)
    if not paths:
        return trusted
    from mcred.keys.documents import load_documents as read

    return read(paths).merged(trusted)


def _verify_one(path: str) -> dict:
    report = verify_file(path, options=_options, presentation=_verify_presentation)
    return {"report": report.to_dict(_lang), "exit_code": report.exit_code}


def _verify_presentation(document, name: str):
    """A presentation's report (mcred.verify.presentation), or None for a document that is not one."""
    from .presentation import is_presentation, verify_presentation

    if not is_presentation(document):
        return None
    return verify_presentation(document, challenge=_presentation.get("challenge"),
                               domain=_presentation.get("domain"), options=_options, file=name,
                               holder_binding=_presentation.get("holder_binding", "warn"))


def verify_many(paths: list[Path], *, jobs: int, options: VerifyOptions, trust_path: str | None,
                status_paths: tuple[str, ...], lang: str, documents_paths: tuple[str, ...] = (),
                presentation: dict | None = None, type_metadata_paths: tuple[str, ...] = ()) -> Iterator[dict]:
    """Yield one result per file as it finishes (in input order with one job, finishing order with more).

    ``options`` are already loaded (trust and status lists read and checked once); worker
    processes made by fork inherit them, and only spawned ones read the files again. ``presentation`` holds
    what a presentation among the files is checked against: ``challenge``, ``domain``, ``holder_binding``.
    """
    if jobs <= 1 or len(paths) < 2:
        _init(options, trust_path, status_paths, options.strict, options.now, lang, documents_paths,
              options.proof_only, presentation)
        for path in paths:
            yield _verify_one(str(path))
        return
    chunk = max(1, min(64, len(paths) // (jobs * 16)))
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    # lists verified once here are handed to forked workers as they are; spawned ones reload them
    initargs = (options if forking else None, trust_path, status_paths, options.strict, options.now, lang,
                documents_paths, options.proof_only, presentation, (type_metadata_paths, options.profile))
    with context.Pool(processes=jobs, initializer=_init_worker, initargs=initargs) as pool:
        yield from pool.imap_unordered(_verify_one, (str(p) for p in paths), chunksize=chunk)
