"""Learning-outcome files and rosters: read, validate, and report every problem with its place.

An outcome file (YAML, or JSON) describes one micro-credential, its issuer and,
optionally, its learners; a roster (CSV) lists learners, one per row. Both are
validated against ``schemas/outcomes-1.schema.json`` and then against the rules
a JSON Schema cannot express (vocabulary keys, the 25-hours-per-CFU rule, the
codice fiscale, dates that agree with each other). Every problem is reported at
once, each with its field path and, for YAML, its line: the rules read whatever
passed the schema, so a schema problem does not hide a rule problem elsewhere.

Rosters are read as spreadsheets write them (:mod:`mcred.elm.spreadsheet`):
``;``, ``,`` or tab between cells, UTF-8 or Windows-1252, Italian or English
column names, dates day first or ISO.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mcred import _yaml
from mcred._files import read_input
from mcred._schema import schema_problems, without_problems
from mcred._yaml import line_of, yaml_lines  # noqa: F401  (also imported from here)
from mcred.dates import parse_datetime
from mcred.errors import InputError

from . import spreadsheet
from .rules import check_learner, check_outcomes

SCHEMA = "outcomes-1.schema.json"
ROSTER_COLUMNS = tuple(spreadsheet.COLUMN_NAMES)
REQUIRED_COLUMNS = ("given_name", "family_name", "award_date")
#: the roster columns that hold dates
DATE_COLUMNS = ("date_of_birth", "award_date")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (field path, line), what, and a stable code."""

    path: str
    message: str
    line: int | None = None
    code: str = "OUTCOMES_INVALID"

    def __str__(self) -> str:
        where = f"line {self.line}, {self.path}" if self.line else self.path
        return f"{where}: {self.message}"


class OutcomeFileError(InputError):
    """An outcome file or roster with one or more problems; all of them are in ``problems``."""

    code = "OUTCOMES_INVALID"

    def __init__(self, problems: list[Problem], *, file: str,
                 hint: str = "see docs/formats.md, 'The learning-outcome file'") -> None:
        count = len(problems)
        summary = "\n  ".join(str(p) for p in problems[:50])
        more = f"\n  ... and {count - 50} more" if count > 50 else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''}:\n  {summary}{more}", file=file, hint=hint)
        self.problems = problems


@dataclass
class Outcomes:
    """A validated outcome file."""

    file: Path
    data: dict
    learners: list[dict] = field(default_factory=list)


def _read_text(path: Path) -> str:
    data = read_input(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path), code="TEXT_NOT_UTF8",
                         hint="save the file as UTF-8 (every editor can; mcred reads only UTF-8 YAML)") from None


def load_yaml(path: str | Path) -> tuple[object, dict[str, int]]:
    """Parse a YAML (or JSON) file: its data, and the line of each JSON path in it.

    Refused (:class:`mcred._yaml.YamlError`, exit 3): text that is not UTF-8, YAML
    aliases (code ``YAML_ALIAS_REFUSED``), a field given twice, a syntax error.
    """
    path = Path(path)
    return _yaml.parse(_read_text(path), file=str(path))


def as_time(value: str | date | datetime | None) -> date | datetime | None:
    """An issuing time as a datetime (from an XML Schema date-time), a date left as it is."""
    return parse_datetime(value) if isinstance(value, str) else value


def check_outcome_data(data: Any, lines: dict[str, int], *, now: date | datetime | None = None,
                       learners_issued: bool = True) -> list[Problem]:
    """Every problem of an outcome file's data, schema and rules together, in the order of their lines.

    The rules read what passed the schema, so both kinds are found in one run. ``now``
    is the issuing date (award dates may not be after it); None leaves that rule out.
    ``learners_issued`` False (a roster lists who is issued) checks the file's learners
    without ``now``.
    """
    found = schema_problems(data, SCHEMA)
    problems = [Problem(p.path, p.message, line_of(lines, p.path), p.code) for p in found]
    valid = without_problems(data, found)
    if isinstance(valid, dict):
        credential = valid.get("credential") if isinstance(valid.get("credential"), dict) else {}
        problems += [Problem(path, message, line_of(lines, path), code)
                     for path, message, code in check_outcomes(valid, now=now)]
        for index, learner in enumerate(valid.get("learners") or []):
            if isinstance(learner, dict):
                for sub, message, code in check_learner(learner, valid_until=credential.get("valid_until"),
                                                       now=now if learners_issued else None):
                    path = f"$.learners[{index}]{sub[1:]}"
                    problems.append(Problem(path, message, line_of(lines, path), code))
    order = {id(problem): index for index, problem in enumerate(problems)}
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0, order[id(p)]))


def load_outcomes(path: str | Path, *, now: str | date | datetime | None = None,
                  learners_issued: bool = True) -> Outcomes:
    """Read and validate an outcome file (YAML or JSON); raise OutcomeFileError listing every problem.

    ``now`` is the issuing time (``--issued``): an award date may not be after it (the
    verifier's clock skew allowed), and ``valid_until`` not before it. None leaves those two rules out.
    ``learners_issued`` False leaves the file's own learners out of the first rule: a roster
    lists who is issued, and its rows are checked by :func:`read_roster`.
    """
    path = Path(path)
    data, lines = load_yaml(path)
    problems = check_outcome_data(data, lines, now=as_time(now), learners_issued=learners_issued)
    if problems:
        raise OutcomeFileError(problems, file=str(path))
    return Outcomes(file=path, data=data, learners=list(data.get("learners", [])))


# --- rosters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    """One roster row: its number (the header is row 1), the learner, or its problems.

    ``issues`` are the problems with their column (as the header names it) and code;
    ``problems`` the same as "column: message" lines. ``line`` is the line the row starts on.
    """

    row: int
    learner: dict | None
    issues: tuple[Problem, ...] = ()
    line: int | None = None

    @property
    def problems(self) -> list[str]:
        return [f"{p.path}: {p.message}" if p.path else p.message for p in self.issues]


@dataclass
class Roster:
    """A roster read: its rows (blank rows left out), and what the reader had to assume (``warnings``)."""

    file: Path
    rows: list[RosterRow]
    warnings: list[str] = field(default_factory=list)
    #: roster column -> its name in the file's header
    columns: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","
    encoding: str = "UTF-8"

    def __iter__(self) -> Iterator[RosterRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _roster_error(message: str, path: Path, code: str = "ROSTER_INVALID", hint: str | None = None) -> InputError:
    return InputError(message, file=str(path), code=code,
                      hint=hint or "see docs/formats.md, 'Rosters' (the columns, dates and encodings mcred reads)")


def read_roster(path: str | Path, *, outcomes: Outcomes | None = None,
                now: str | date | datetime | None = None) -> Roster:
    """Read a CSV roster; every row is validated on its own, so one bad row does not stop the rest.

    Raises InputError for a file that is not a roster at all: not text, not CSV, a cell
    over the csv module's limit (``ROSTER_CELL_TOO_LARGE``), a required column missing
    (``ROSTER_INVALID``), no learner under the header (``ROSTER_EMPTY``). With
    ``outcomes``, an award date after its ``valid_until`` is a row's problem; with ``now``
    (the issuing time), an award date after it.
    """
    path = Path(path)
    try:
        decoded = spreadsheet.decode(read_input(path))
    except spreadsheet.SpreadsheetError as exc:
        raise _roster_error(str(exc), path, "ROSTER_ENCODING_UNKNOWN",
                            "save the roster as 'CSV UTF-8' (Excel: File > Save as > CSV UTF-8)") from None
    declared, text = spreadsheet.split_sep_line(decoded.text)
    delimiter = declared or spreadsheet.sniff_delimiter(text)
    # a row's number is the spreadsheet's: blank rows count, though they are left out
    filled = [(number, line, cells) for number, (line, cells) in enumerate(_records(text, delimiter, path), start=1)
              if any(cell.strip() for cell in cells)]
    if not filled:
        raise _roster_error("the roster is empty: no header row and no learners", path, "ROSTER_EMPTY")
    (_, _, header), data = filled[0], filled[1:]
    if not data:
        raise _roster_error("the roster has no learners: no row under the header", path, "ROSTER_EMPTY")
    columns, warnings = _header(header, data, path)
    if decoded.fallback_encoding:
        warnings.insert(0, _encoding_warning(path, decoded.fallback_encoding, data))
    valid_until = outcomes.data["credential"].get("valid_until") if outcomes is not None else None
    doubtful = _month_first_row(data, columns)
    names = {column: header[index].strip() for column, index in columns.items()}
    rows = [_roster_row(number, line, cells, len(header), columns, names, doubtful, valid_until, as_time(now))
            for number, line, cells in data]
    return Roster(path, rows, warnings, names, delimiter, decoded.fallback_encoding or "UTF-8")


def _records(text: str, delimiter: str, path: Path) -> list[tuple[int, list[str]]]:
    """(first line, cells) of every CSV record; InputError naming the row where the CSV breaks."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            row = len(records) + 1
            if "field larger than field limit" in str(exc):
                index = spreadsheet.long_cell_column(text, start, delimiter, csv.field_size_limit())
                header = records[0][1] if records else []
                column = ("" if index is None else f", column {index + 1}"
                          + (f" ({header[index].strip()!r})" if index < len(header) else ""))
                raise _roster_error(f"row {row} (line {start}){column}: a cell is longer than "
                                    f"{csv.field_size_limit():,} characters; a roster cell holds a name, a date "
                                    "or a code", path,
                                    "ROSTER_CELL_TOO_LARGE",
                                    "check the row: an unclosed quote (\") makes the rest of the file one cell"
                                    ) from None
            raise _roster_error(f"row {row} (line {start}): not CSV text ({exc})", path) from None
        records.append((start, cells))


def _header(header: list[str], data: list, path: Path) -> tuple[dict[str, int], list[str]]:
    """Roster column -> its index; warnings for the columns ignored. InputError when a column is missing."""
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, name in enumerate(header):
        column = spreadsheet.column_of(name)
        if column is None:
            if name.strip() or any(index < len(cells) and cells[index].strip() for _, _, cells in data):
                unknown.append(repr(name.strip()) if name.strip() else f"column {index + 1} (no name)")
            continue
        if column in columns:
            raise _roster_error(f"two columns give {column}: {header[columns[column]]!r} (column "
                                f"{columns[column] + 1}) and {name!r} (column {index + 1})", path)
        columns[column] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        accepted = "; ".join(f"{name}: {' or '.join(spreadsheet.COLUMN_NAMES[name])}" for name in missing)
        raise _roster_error(f"missing column(s) {', '.join(missing)} (the header names accepted: {accepted}); "
                            f"the header row read is {header!r}", path,
                            hint=f"the columns are: {', '.join(ROSTER_COLUMNS)} (or their Italian names: "
                                 "see docs/formats.md, 'Rosters')")
    warnings = []
    if unknown:
        warnings.append(f"{path}: column(s) {', '.join(unknown)} not used by mcred, ignored (the columns "
                        f"read: {', '.join(ROSTER_COLUMNS)})")
    return columns, warnings


def _encoding_warning(path: Path, encoding: str, data: list) -> str:
    sample = next(((number, cell) for number, _, cells in data for cell in cells if not cell.isascii()), None)
    check = f": check the accented letters, e.g. {sample[1].strip()!r} on row {sample[0]}" if sample else ""
    return (f"{path}: not UTF-8, read as {encoding} (what Excel writes for 'CSV' in Italy){check}; save it as "
            "'CSV UTF-8' to be sure")


def _month_first_row(data: list, columns: dict[str, int]) -> tuple[int, str] | None:
    """The first (row, cell) whose date can only be month first (04/13/2026): day-first dates are then in doubt."""
    for number, _, cells in data:
        for column in DATE_COLUMNS:
            index = columns.get(column)
            if index is not None and index < len(cells) and spreadsheet.read_date(cells[index]).month_first:
                return number, cells[index].strip()
    return None


def _roster_row(number: int, line: int, cells: list[str], width: int, columns: dict[str, int],
                names: dict[str, str], doubtful: tuple | None, valid_until: str | None,
                now: date | datetime | None) -> RosterRow:
    """One row checked: its dates read, then the learner schema and rules; problems named by column."""
    if any(cell.strip() for cell in cells[width:]):
        return RosterRow(number, None, (Problem("", f"{len(cells)} cells, but the header has {width} columns (a "
                                                "cell with a delimiter in it needs quotes)", line,
                                                "ROSTER_ROW_TOO_LONG"),), line)
    learner = {column: cells[index].strip() for column, index in columns.items()
               if index < len(cells) and cells[index].strip()}
    issues: list[tuple[str, str, str]] = []
    for column in DATE_COLUMNS:
        if column in learner:
            problem = _date_problem(learner[column], doubtful)
            if isinstance(problem, tuple):
                issues.append((column, *problem))
                del learner[column]
            else:
                learner[column] = problem
    refused = {column for column, _, _ in issues}
    found = schema_problems(learner, SCHEMA, "#/$defs/learner")
    for problem in found:
        column = problem.path.removeprefix("$.")
        if column not in refused:
            message = "is empty" if problem.code == "SCHEMA_MISSING_FIELD" else problem.message
            issues.append((column, message, problem.code))
    valid = without_problems(learner, found)
    issues += [(sub.removeprefix("$."), message, code)
               for sub, message, code in check_learner(valid, valid_until=valid_until, now=now)]
    found_here = tuple(Problem(names.get(column, column), message, line, code) for column, message, code in issues)
    return RosterRow(number, None if found_here else learner, found_here, line)


def _date_problem(text: str, doubtful: tuple[int, str] | None) -> str | tuple[str, str]:
    """The date of a cell as YYYY-MM-DD, or (message, code) when it cannot be read one way only."""
    cell = spreadsheet.read_date(text)
    if cell.value is None:
        return cell.problem, cell.code
    if doubtful and spreadsheet.is_day_month_ambiguous(text):
        return (f"{text!r} could be read day first or month first: row {doubtful[0]} has {doubtful[1]!r}, which "
                "can only be month first; write the dates as YYYY-MM-DD", "DATE_AMBIGUOUS")
    return cell.value.isoformat()
