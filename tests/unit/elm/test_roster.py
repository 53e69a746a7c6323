"""Rosters as spreadsheets write them: delimiters, encodings, Italian headers, day-first dates, each refusal's code."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mcred.elm import spreadsheet
from mcred.elm.outcomes import load_outcomes, read_roster
from mcred.errors import InputError

ROOT = Path(__file__).resolve().parents[3]
ITALIAN_EXCEL = ROOT / "tests" / "assets" / "rosters" / "classe-excel-it.csv"
OUTCOMES = ROOT / "examples" / "its-python-data.yaml"
ISSUED = "2026-07-01T09:00:00Z"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def refusal(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_roster(path)
    return caught.value


def test_the_italian_excel_class_of_30_is_read_with_a_warning_about_its_encoding():
    roster = read_roster(ITALIAN_EXCEL, outcomes=load_outcomes(OUTCOMES), now=ISSUED)
    assert (roster.delimiter, roster.encoding, len(roster)) == (";", "Windows-1252", 30)
    assert [row.problems for row in roster if row.problems] == []
    names = {row.learner["given_name"] + " " + row.learner["family_name"] for row in roster}
    assert {"Nicolò Rossi", "Niccolò Bianchi", "Giulia D'Agostino", "Maria Pietà"} <= names
    first = roster.rows[0].learner
    assert first["date_of_birth"] == "2001-03-14" and first["award_date"] == "2026-06-30"
    assert len(roster.warnings) == 1 and "read as Windows-1252" in roster.warnings[0]
    assert "'Nicolò' on row 2" in roster.warnings[0]


def test_a_bom_tabs_and_headers_in_any_case_and_spacing(tmp_path):
    path = write(tmp_path, "\ufeff Given Name\tFAMILY-NAME\taward date\nAnna\tBè\t2026-06-30\n")
    roster = read_roster(path)
    assert roster.delimiter == "\t" and roster.warnings == []
    assert roster.rows[0].learner == {"given_name": "Anna", "family_name": "Bè", "award_date": "2026-06-30"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_sniffed_from_the_header(tmp_path, delimiter):
    path = write(tmp_path, delimiter.join(["nome", "cognome", "data_conseguimento", "voto"]) + "\n"
                 + delimiter.join(["Anna", "Bruni", "30/06/2026", '"28,5/30"']) + "\n")
    row = read_roster(path).rows[0]
    assert row.learner == {"given_name": "Anna", "family_name": "Bruni", "award_date": "2026-06-30",
                           "grade": "28,5/30"}


def test_unknown_columns_are_ignored_with_a_warning(tmp_path):
    path = write(tmp_path, "given_name,family_name,award_date,classe\nAnna,Bruni,2026-06-30,5A\n")
    roster = read_roster(path)
    assert roster.rows[0].learner == {"given_name": "Anna", "family_name": "Bruni", "award_date": "2026-06-30"}
    assert len(roster.warnings) == 1 and "'classe' not used by mcred, ignored" in roster.warnings[0]


def test_a_missing_column_names_the_italian_and_english_headers(tmp_path):
    error = refusal(write(tmp_path, "nome;cognome\nAnna;Bruni\n"))
    assert error.code == "ROSTER_INVALID" and error.exit_code == 3
    assert "award_date: award_date or data_conseguimento" in error.message


def test_an_empty_file_and_a_header_only_file_are_the_same_refusal(tmp_path):
    empty = refusal(write(tmp_path, "", name="empty.csv"))
    header_only = refusal(write(tmp_path, "nome;cognome;data_conseguimento\r\n", name="header.csv"))
    assert empty.code == header_only.code == "ROSTER_EMPTY"
    assert empty.exit_code == header_only.exit_code == 3


def test_a_cell_over_the_csv_limit_is_an_input_error_naming_row_and_column(tmp_path):
    error = refusal(write(tmp_path, "given_name,family_name,award_date\nA,B,2026-06-30\nA," + "x" * 140_000
                          + ",2026-06-30\n"))
    assert error.code == "ROSTER_CELL_TOO_LARGE" and error.exit_code == 3
    assert "row 3 (line 3), column 2 ('family_name')" in error.message


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_with_a_hint(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"given_name,family_name,award_date\nA,\x81,2026-06-30\n")   # 0x81 is unassigned in 1252
    error = refusal(path)
    assert error.code == "ROSTER_ENCODING_UNKNOWN" and "CSV UTF-8" in error.hint


@pytest.mark.parametrize("cell, expected", [
    ("30/06/2026", "2026-06-30"), ("2026-06-30", "2026-06-30"), ("1/7/2026", "2026-07-01"),
    ("30.06.2026", "2026-06-30"), ("30/06/2026 00:00", "2026-06-30"),
])
def test_dates_day_first_or_iso(cell, expected):
    assert spreadsheet.read_date(cell).value.isoformat() == expected


@pytest.mark.parametrize("cell, code, words", [
    ("31/06/2026", "DATE_INVALID", "not a real date"),
    ("06/30/2026", "DATE_INVALID", "there is no month 30"),
    ("30/06/26", "DATE_AMBIGUOUS", "two-digit year"),
    ("46203", "DATE_INVALID", "a number, not a date"),
    ("June 30", "DATE_INVALID", "DD/MM/YYYY or YYYY-MM-DD"),
])
def test_dates_refused_say_why_in_words(cell, code, words):
    read = spreadsheet.read_date(cell)
    assert read.value is None and read.code == code and words in read.problem


def test_row_problems_say_what_was_expected_in_words_never_a_pattern(tmp_path):
    path = write(tmp_path, "given_name,family_name,award_date,email,did\nA,B,2026-6-31,x@y,key:z\n")
    problems = "; ".join(read_roster(path).rows[0].problems)
    assert "award_date: '2026-6-31' is not a real date" in problems
    assert "email: 'x@y' is not an e-mail address such as name@example.org" in problems
    assert "did: 'key:z' is not a DID" in problems
    assert "^" not in problems and "\\d" not in problems


def test_a_month_first_date_puts_the_other_ambiguous_dates_in_doubt(tmp_path):
    path = write(tmp_path, "given_name,family_name,award_date\nA,B,03/04/2026\nC,D,04/13/2026\n")
    first, second = read_roster(path).rows
    assert [p.code for p in first.issues] == ["DATE_AMBIGUOUS"] and "row 3" in first.problems[0]
    assert [p.code for p in second.issues] == ["DATE_INVALID"]


def test_csv_module_reads_what_the_fixture_holds():
    # the fixture is Excel's "CSV" for Italy: ';', Windows-1252, CRLF, no BOM
    data = ITALIAN_EXCEL.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and "Nicolò".encode("cp1252") in data
    rows = list(csv.reader(data.decode("cp1252").splitlines(), delimiter=";"))
    assert len(rows) == 31 and rows[0][0] == "Nome"
