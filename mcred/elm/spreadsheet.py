"""CSV files as spreadsheets write them, Italian offices' Excel first.

Excel in Italy saves "CSV" with ``;`` between cells (the comma is the decimal
separator), in Windows-1252 unless "CSV UTF-8" is chosen (then with a byte-order
mark), and dates as they are shown: ``30/06/2026``. This module reads such text
without guessing where a wrong guess would be signed: the delimiter is the one
the header row uses, text that is not UTF-8 is read as Windows-1252 *and the
caller is told*, and a date is read day first (DD/MM/YYYY) or as ISO 8601
(YYYY-MM-DD), and refused when it cannot be read one way only.

Pure functions over the standard library; :func:`mcred.elm.outcomes.read_roster`
puts them together.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date

#: the delimiters a roster may use, in the order a tie is broken
DELIMITERS = (";", ",", "\t")

#: roster columns -> the header names accepted for them (compared after :func:`header_key`)
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "given_name": ("given_name", "nome"),
    "family_name": ("family_name", "cognome"),
    "date_of_birth": ("date_of_birth", "data_nascita", "data_di_nascita"),
    "email": ("email", "e_mail"),
    "codice_fiscale": ("codice_fiscale", "cf"),
    "did": ("did",),
    "award_date": ("award_date", "data_conseguimento", "data_di_conseguimento"),
    "grade": ("grade", "voto"),
}
_COLUMN_OF = {name: column for column, names in COLUMN_NAMES.items() for name in names}


class SpreadsheetError(ValueError):
    """Text that cannot be read as a spreadsheet's CSV; the message says why."""


@dataclass(frozen=True)
class Text:
    """A file's text, and the encoding it was read in when that was not UTF-8 (else None)."""

    text: str
    fallback_encoding: str | None = None


def decode(data: bytes) -> Text:
    """The text of a CSV file: UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252.

    Windows-1252 is what Excel writes in Western Europe; it includes every printable
    Latin-1 character. Bytes that are not Windows-1252 either raise SpreadsheetError.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(f"not UTF-16 text, though it begins as UTF-16 (byte {exc.start})") from None
    try:
        return Text(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        return Text(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(f"neither UTF-8 nor Windows-1252 text (byte {exc.start} is "
                               f"0x{data[exc.start]:02X})") from None


def split_sep_line(text: str) -> tuple[str | None, str]:
    """Excel's optional first line ``sep=;``: (the delimiter it names, the text after it)."""
    match = re.match(r"sep=(.)\r?\n", text)
    return (match.group(1), text[match.end():]) if match else (None, text)


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header row: whichever of ``;`` ``,`` and tab it has most of (outside quotes)."""
    header = _first_row(text)
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _first_row(text: str) -> str:
    """The first row that is not blank, without its quoted parts (a quoted cell may hold a delimiter)."""
    row: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            if "".join(row).strip():
                break
            row = []
        else:
            row.append(char)
    return "".join(row)


def header_key(name: str) -> str:
    """A header name compared without case, surrounding spaces or the difference between ``_``, ``-`` and space."""
    return re.sub(r"[\s_\-]+", "_", name.strip().lower()).strip("_")


def column_of(name: str) -> str | None:
    """The roster column a header name stands for (``Data di nascita`` -> date_of_birth), or None."""
    return _COLUMN_OF.get(header_key(name))


# --- dates ---------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_SHORT_YEAR = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{2})")
# Excel may add a time of day to a date cell; midnight is what it writes for a date alone
_MIDNIGHT = re.compile(r"\s+0{1,2}:00(?::00)?$")
EXPECTED = "a date as DD/MM/YYYY or YYYY-MM-DD, such as 30/06/2026"


@dataclass(frozen=True)
class CellDate:
    """A date cell read: the date, or why not (``code`` DATE_INVALID or DATE_AMBIGUOUS).

    ``month_first`` is set for a date that can only be month first (04/13/2026): it makes
    every other day-first date of the file doubtful.
    """

    value: date | None
    problem: str | None = None
    code: str | None = None
    month_first: bool = False


def read_date(text: str) -> CellDate:
    """A spreadsheet date: YYYY-MM-DD, or day first (D/M/YYYY, DD/MM/YYYY; ``.`` or ``-`` also separate)."""
    cell = _MIDNIGHT.sub("", text.strip())
    if match := _ISO.fullmatch(cell):
        year, month, day = (int(part) for part in match.groups())
        return _real(year, month, day, text)
    if match := _DAY_FIRST.fullmatch(cell):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if month > 12 and day <= 12:
            return CellDate(None, f"{text!r} is not a real date read day first (there is no month {month}): "
                            f"if it is month first, write it as {month:02d}/{day:02d}/{year} or "
                            f"{year}-{day:02d}-{month:02d}", "DATE_INVALID", month_first=True)
        return _real(year, month, day, text)
    if _SHORT_YEAR.fullmatch(cell):
        return CellDate(None, f"{text!r} has a two-digit year, which could be 19.. or 20..: write the year in "
                        "full (DD/MM/YYYY)", "DATE_AMBIGUOUS")
    if cell.isdigit():
        return CellDate(None, f"{text!r} is a number, not a date (the spreadsheet's date serial number?): "
                        f"format the column as dates; expected {EXPECTED}", "DATE_INVALID")
    return CellDate(None, f"{text!r} is not {EXPECTED}", "DATE_INVALID")


def _real(year: int, month: int, day: int, text: str) -> CellDate:
    try:
        return CellDate(date(year, month, day))
    except ValueError:
        return CellDate(None, f"{text!r} is not a real date (day {day}, month {month}, year {year})", "DATE_INVALID")


def is_day_month_ambiguous(text: str) -> bool:
    """True for a day-first date whose day could be its month (03/04/2026), not for 03/03/2026 or 13/04/2026."""
    match = _DAY_FIRST.fullmatch(_MIDNIGHT.sub("", text.strip()))
    if not match:
        return False
    day, month = int(match.group(1)), int(match.group(3))
    return day <= 12 and month <= 12 and day != month


def long_cell_column(text: str, start: int, delimiter: str, limit: int) -> int | None:
    """The 0-based column of the first cell over ``limit`` characters in the record starting on line ``start``.

    The csv module says only that a cell is too long; this finds which one, reading as it
    does (a quoted cell may hold delimiters and line ends).
    """
    offset = 0
    for _ in range(start - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    column, length, quoted = 0, 0, False
    for char in text[offset:]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == delimiter:
            column, length = column + 1, 0
            continue
        elif not quoted and char in "\r\n":
            return None
        length += 1
        if length > limit:
            return column
    return None
