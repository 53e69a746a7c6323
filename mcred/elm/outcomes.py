"""Learning-outcome files and rosters: read, validate, and report every problem with its place.

An outcome file (YAML, or JSON) describes one micro-credential, its issuer and,
optionally, its learners; a roster (CSV) lists learners, one per row. Both are
validated against ``schemas/outcomes-1.schema.json`` and then against the rules
a JSON Schema cannot express (vocabulary keys, the 25-hours-per-CFU rule, the
codice fiscale). Every problem is reported, each with its field path and, for
YAML, its line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mcred._files import read_input
from mcred._schema import schema_iter_errors
from mcred.errors import InputError

SCHEMA = "outcomes-1.schema.json"
ROSTER_COLUMNS = ("given_name", "family_name", "date_of_birth", "email", "codice_fiscale", "did",
                  "award_date", "grade")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (field path, line) and what."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, {self.path}" if self.line else self.path
        return f"{where}: {self.message}"


class OutcomeFileError(InputError):
    """An outcome file or roster with one or more problems; all of them are in ``problems``."""

    code = "OUTCOMES_INVALID"

    def __init__(self, problems: list[Problem], *, file: str) -> None:
        count = len(problems)
        summary = "\n  ".join(str(p) for p in problems[:50])
        more = f"\n  ... and {count - 50} more" if count > 50 else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''}:\n  {summary}{more}", file=file,
                         hint="see docs/formats.md, 'The learning-outcome file'")
        self.problems = problems


@dataclass
class Outcomes:
    """A validated outcome file."""

    file: Path
    data: dict
    learners: list[dict] = field(default_factory=list)


class _StringDatesLoader(yaml.SafeLoader):
    """YAML 1.1 without its surprises: dates stay strings, and yes/no/on/off/NO stay strings.

    (Otherwise the country code NO, Norway, would be read as False.)
    """


_StringDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StringDatesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _read_text(path: Path) -> str:
    data = read_input(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path),
                         code="OUTCOMES_INVALID") from None


def yaml_lines(node: yaml.Node, path: str = "$", out: dict | None = None) -> dict[str, int]:
    """Map each JSON path in a YAML node tree to its 1-based line."""
    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yaml_lines(value, f"{path}.{key.value}", out)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            yaml_lines(value, f"{path}[{index}]", out)
    return out


def load_yaml(path: str | Path) -> tuple[object, dict[str, int]]:
    """Parse a YAML (or JSON) file: its data, and the line of each JSON path in it."""
    path = Path(path)
    text = _read_text(path)
    try:
        node = yaml.compose(text, Loader=_StringDatesLoader)
        data = yaml.load(text, Loader=_StringDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise OutcomeFileError([Problem("$", f"not valid YAML or JSON: {getattr(exc, 'problem', exc)}",
                                        line)], file=str(path)) from None
    return data, (yaml_lines(node) if node is not None else {})


def load_outcomes(path: str | Path) -> Outcomes:
    """Read and validate an outcome file (YAML or JSON); raise OutcomeFileError listing every problem."""
    path = Path(path)
    data, lines = load_yaml(path)
    problems = [Problem(p, m, line_of(lines, p)) for p, m in schema_iter_errors(data, SCHEMA)]
    if problems:
        raise OutcomeFileError(problems, file=str(path))
    learners = list(data.get("learners", []))
    from .rules import check_outcomes

    problems = [Problem(p, m, line_of(lines, p)) for p, m in check_outcomes(data)]
    problems += [Problem(f"$.learners[{i}]{sub[1:]}", m, line_of(lines, f"$.learners[{i}]{sub[1:]}"))
                 for i, learner in enumerate(learners) for sub, m in _learner_rules(learner)]
    if problems:
        raise OutcomeFileError(problems, file=str(path))
    return Outcomes(file=path, data=data, learners=learners)


def line_of(lines: dict[str, int], path: str) -> int | None:
    """The line of a JSON path, or of its nearest parent that has one."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def _learner_rules(learner: dict) -> list[tuple[str, str]]:
    from .rules import check_learner

    return check_learner(learner)


@dataclass(frozen=True)
class RosterRow:
    """One roster row: its 1-based row number (the header is row 1), the learner, or its problems."""

    row: int
    learner: dict | None
    problems: list[str]


def read_roster(path: str | Path) -> list[RosterRow]:
    """Read a CSV roster; every row is validated on its own, so one bad row does not stop the rest."""
    path = Path(path)
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:  # all at once (the file is bounded): a cell over csv.field_size_limit() is said, not raised
        header = reader.fieldnames or []
        records = list(reader)
    except csv.Error as exc:
        raise InputError(f"roster line {reader.line_num + 1}: {exc}", file=str(path), code="ROSTER_INVALID",
                         hint="no cell of a roster holds that much: check that this file is the roster") from None
    unknown = [name for name in header if name not in ROSTER_COLUMNS]
    missing = [name for name in ("given_name", "family_name", "award_date") if name not in header]
    if unknown or missing:
        details = []
        if unknown:
            details.append(f"unknown column(s) {', '.join(unknown)}")
        if missing:
            details.append(f"missing column(s) {', '.join(missing)}")
        raise InputError(f"roster header: {'; '.join(details)}", file=str(path), code="ROSTER_INVALID",
                         hint=f"the columns are: {', '.join(ROSTER_COLUMNS)}")
    rows = []
    for number, record in enumerate(records, start=2):
        if None in record:
            rows.append(RosterRow(number, None, ["more fields than columns in the header"]))
            continue
        learner = {key: value.strip() for key, value in record.items() if value and value.strip()}
        problems = [f"{p.removeprefix('$.')}: {m}" for p, m in schema_iter_errors(learner, SCHEMA,
                                                                                  "#/$defs/learner")]
        if not problems:
            problems = [f"{p.removeprefix('$.')}: {m}" for p, m in _learner_rules(learner)]
        rows.append(RosterRow(number, None if problems else learner, problems))
    return rows
