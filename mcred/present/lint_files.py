"""``mcred lint`` over every file an issuer writes: credentials, outcome files, pathways, rosters, trust files.

Each file's kind is told by its content where it says (an outcome, pathway or
trust file begins ``mcred: outcomes/1``, ``pathway/1``, ``trust/1``; a credential
has an ``@context``; an issuer file for ``mcred stack --issuer`` has a
``legal_name`` and no tag) and by its extension otherwise (``.csv``/``.tsv``/``.txt``:
a roster). Every problem of a file is reported in one run, schema and rules together,
each with its path and, for YAML and rosters, its line; an unknown field gets the
nearest known name. mcred's own batch manifest is skipped (told by its content), so that
``mcred lint out/`` or ``out/*.json`` checks a batch as issued.

A file that cannot be read at all (not text, not YAML, an alias, of no kind mcred
knows) is *unusable* (exit 3); one that breaks a rule is *not clean* (exit 1).
This module sits above ``verify`` and ``stack`` because trust files and pathways
are theirs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mcred import _yaml
from mcred._files import is_mcred_manifest, read_json
from mcred._schema import schema_problems
from mcred.elm.lint import LintProblem, lint_credential
from mcred.elm.outcomes import check_outcome_data, load_yaml, read_roster
from mcred.errors import InputError, McredError

FORMAT = "mcred-lint/1"
#: the extensions a folder is searched for
EXTENSIONS = (".json", ".jsonld", ".yaml", ".yml", ".csv", ".tsv")
ROSTER_EXTENSIONS = (".csv", ".tsv", ".txt")
#: format tag -> kind
_TAGS = {"outcomes/1": "outcomes", "pathway/1": "pathway", "trust/1": "trust"}


@dataclass
class FileLint:
    """One file linted: its kind and problems, or why it could not be (``error``), or why it was skipped."""

    file: str
    kind: str | None = None
    problems: list[LintProblem] = field(default_factory=list)
    error: McredError | None = None
    skipped: str | None = None

    @property
    def clean(self) -> bool:
        return self.error is None and not any(p.severity == "error" for p in self.problems)

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return self.error.exit_code
        return 0 if self.clean else 1

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"format": FORMAT, "file": self.file, "kind": self.kind}
        if self.skipped:
            return {**data, "skipped": self.skipped}
        if self.error is not None:
            return {**data, "clean": False, "error": {"code": self.error.code, "message": self.error.message,
                                                     "hint": self.error.hint}}
        return {**data, "clean": self.clean, "problems": [p.to_dict() for p in self.problems]}


@dataclass
class LintSummary:
    """What a run found, counted: the last line of ``--format json``, whatever the number of files."""

    counts: Counter = field(default_factory=Counter)
    problems: Counter = field(default_factory=Counter)
    worst_exit: int = 0

    def add(self, result: FileLint) -> None:
        self.counts["skipped" if result.skipped else "unusable" if result.error else
                    "clean" if result.clean else "not_clean"] += 1
        for problem in result.problems:
            self.problems[problem.code] += 1
        if result.error is not None:
            self.problems[result.error.code] += 1
        self.worst_exit = max(self.worst_exit, result.exit_code)

    def to_dict(self) -> dict:
        return {"format": FORMAT, "summary": {
            "files": sum(self.counts.values()), "exit_code": self.worst_exit,
            **{name: self.counts[name] for name in ("clean", "not_clean", "unusable", "skipped")},
            "problems": dict(sorted(self.problems.items()))}}


def expand_lint_inputs(inputs: list[Path]) -> list[Path]:
    """Files as given, and under each folder every file mcred may have written or read (sorted)."""
    paths: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)
            if not found:
                raise InputError(f"the folder holds no file mcred lints ({', '.join(EXTENSIONS)})", file=str(item),
                                 code="LINT_FOLDER_EMPTY", hint="give the folder of the credentials or files")
            paths.extend(found)
        else:
            paths.append(item)
    return paths


def lint_file(path: Path, *, now: datetime | None = None) -> FileLint:
    """Lint one file of any kind mcred knows; ``now`` is the day an outcome file's award dates may not pass."""
    result = FileLint(str(path))
    try:
        if is_mcred_manifest(path):  # by its content, whatever its name
            result.kind, result.skipped = "manifest", "mcred's batch manifest: not a credential"
        elif path.suffix.lower() in ROSTER_EXTENSIONS:
            result.kind, result.problems = "roster", _roster_problems(path)
        else:
            result.kind, result.problems = _structured(path, now)
    except McredError as error:
        result.error = error
    return result


def _structured(path: Path, now: datetime | None) -> tuple[str, list[LintProblem]]:
    """A JSON or YAML file: a credential (``@context``) or an mcred file (its ``mcred:`` tag)."""
    if path.suffix.lower() in (".json", ".jsonld"):
        document = read_json(path)
        if isinstance(document, dict) and "@context" in document:
            return "credential", _credential_problems(document)
    # an mcred file in JSON is read as mcred reads it (as YAML, which JSON is): with the line of every field
    data, lines = load_yaml(path)
    tag = data.get("mcred") if isinstance(data, dict) else None
    kind = _TAGS.get(tag) if isinstance(tag, str) else None
    if kind is None and isinstance(data, dict) and tag is None and "legal_name" in data:
        kind = "issuer"  # mcred stack --issuer: an outcome file's issuer block on its own
    if kind is None:
        raise InputError("not a file mcred knows: a credential has an @context; an outcome, pathway or trust file "
                         f"begins with mcred: outcomes/1, pathway/1 or trust/1 (found mcred: {tag!r})",
                         file=str(path), code="LINT_KIND_UNKNOWN",
                         hint="see docs/issue.md, 'mcred lint' (the kinds of file it checks)")
    if kind == "outcomes":
        problems = [LintProblem(p.code, p.path, p.message, line=p.line) for p in
                    check_outcome_data(data, lines, now=now)]
    elif kind in ("pathway", "issuer"):
        schema, pointer = ("pathway-1.schema.json", "#") if kind == "pathway" else ("outcomes-1.schema.json",
                                                                                    "#/$defs/issuer")
        problems = [LintProblem(p.code, p.path, p.message, line=_yaml.line_of(lines, p.path))
                    for p in schema_problems(data, schema, pointer)]
    else:
        problems = _trust_problems(data, lines, path)
    return kind, problems


def _credential_problems(document: dict) -> list[LintProblem]:
    """The VC Data Model 2.0 rules (mcred.vcdm, for a VC 2.0 credential), then the JSON-LD and ELM rules; a
    problem both find (a JSON-LD one the data model rules met first) is listed once."""
    from mcred.vcdm import check_vcdm2

    problems = [LintProblem(p.code, p.path, p.message) for p in check_vcdm2(document)]
    seen = {(p.code, p.path) for p in problems}
    return problems + [p for p in lint_credential(document) if (p.code, p.path) not in seen]


def _trust_problems(data: Any, lines: dict[str, int], path: Path) -> list[LintProblem]:
    from mcred.verify.trust import TrustFileError, trust_list_from_data

    try:
        trust_list_from_data(data, file=str(path), lines=lines)
    except TrustFileError as exc:
        return [LintProblem("TRUST_FILE_INVALID", where, message, line=line) for where, message, line in exc.problems]
    return []


def _roster_problems(path: Path) -> list[LintProblem]:
    roster = read_roster(path)
    problems = [LintProblem("ROSTER_WARNING", "$", warning.removeprefix(f"{path}: "), "warning")
                for warning in roster.warnings]
    for row in roster:
        problems += [LintProblem(issue.code, f"row {row.row}" + (f", {issue.path}" if issue.path else ""),
                                 issue.message, line=row.line) for issue in row.issues]
    return problems

