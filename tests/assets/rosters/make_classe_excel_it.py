"""Write classe-excel-it.csv: a class of 30 as Excel in Italy saves "CSV" (run from the repository root).

``;`` between cells, Windows-1252, CRLF line ends, no BOM, dates DD/MM/YYYY, the
header in Italian as a secretary types it (capitals, spaces). Every codice
fiscale is well formed and agrees with its birth date; the names and codes are
invented. Run ``python tests/assets/rosters/make_classe_excel_it.py`` again to
get the same bytes.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from mcred.elm.italy import codice_fiscale_check_character

HEADER = ["Nome", "Cognome", "Data nascita", "Codice Fiscale", "Data conseguimento", "Voto", "Email"]
AWARD = "30/06/2026"
# (given name, family name, birth date, sex, Belfiore code, grade)
CLASS = [
    ("Nicolò", "Rossi", date(2001, 3, 14), "M", "F205", "28/30"),
    ("Niccolò", "Bianchi", date(2000, 11, 2), "M", "L219", "30/30 e lode"),
    ("Giulia", "D'Agostino", date(2002, 5, 21), "F", "F839", "27/30"),
    ("Maria", "Pietà", date(1999, 8, 9), "F", "H501", "30/30"),
    ("Lucia", "Fabbricatore", date(2001, 1, 30), "F", "F839", "25/30"),
    ("Mattia", "Barberà", date(2000, 7, 4), "M", "G273", "26/30"),
    ("Chiara", "Esposito", date(2002, 12, 12), "F", "F839", "29/30"),
    ("Francesco", "Russo", date(1998, 2, 27), "M", "H501", "24/30"),
    ("Sofia", "Romano", date(2003, 6, 1), "F", "A944", "30/30"),
    ("Alessandro", "Colombo", date(2001, 9, 18), "M", "F205", "22/30"),
    ("Aurora", "Ricci", date(2002, 4, 7), "F", "D612", "28/30"),
    ("Lorenzo", "Marino", date(2000, 10, 25), "M", "C351", "27/30"),
    ("Martina", "Greco", date(2001, 2, 3), "F", "L736", "30/30 e lode"),
    ("Andrea", "Bruno", date(1999, 12, 31), "M", "L219", "23/30"),
    ("Giorgia", "Gallo", date(2002, 8, 16), "F", "B157", "26/30"),
    ("Gabriele", "Conti", date(2000, 5, 5), "M", "D969", "29/30"),
    ("Alice", "De Luca", date(2003, 1, 11), "F", "A662", "25/30"),
    ("Tommaso", "Mancini", date(2001, 7, 22), "M", "H501", "28/30"),
    ("Beatrice", "Costa", date(2002, 3, 19), "F", "D969", "30/30"),
    ("Riccardo", "Giordano", date(1999, 4, 28), "M", "L219", "21/30"),
    ("Noemi", "Rizzo", date(2002, 9, 9), "F", "F158", "27/30"),
    ("Federico", "Lombardi", date(2000, 2, 14), "M", "F205", "26/30"),
    ("Anna", "Moretti", date(2001, 11, 8), "F", "A794", "29/30"),
    ("Edoardo", "Barbieri", date(2000, 6, 17), "M", "G224", "24/30"),
    ("Greta", "Fontana", date(2003, 5, 2), "F", "L781", "28/30"),
    ("Matteo", "Santoro", date(2001, 10, 13), "M", "A662", "30/30"),
    ("Irene", "Mariani", date(2002, 1, 24), "F", "D612", "25/30"),
    ("Davide", "Rinaldi", date(1998, 9, 6), "M", "G337", "27/30"),
    ("Emma", "Caruso", date(2002, 7, 29), "F", "F839", "30/30 e lode"),
    ("Pietro", "Ferrara", date(2000, 12, 3), "M", "H501", "22/30"),
]
MONTHS = "ABCDEHLMPRST"


def _letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return "".join(char for char in plain if char.isalpha())


def _three(text: str, *, given: bool) -> str:
    letters = _letters(text)
    consonants = [c for c in letters if c not in "AEIOU"]
    vowels = [c for c in letters if c in "AEIOU"]
    if given and len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return "".join(consonants + vowels + ["X"] * 3)[:3]


def codice_fiscale(given: str, family: str, born: date, sex: str, place: str) -> str:
    day = born.day + (40 if sex == "F" else 0)
    first = (f"{_three(family, given=False)}{_three(given, given=True)}{born.year % 100:02d}"
             f"{MONTHS[born.month - 1]}{day:02d}{place}")
    return first + codice_fiscale_check_character(first)


def main() -> None:
    lines = [";".join(HEADER)]
    for given, family, born, sex, place, grade in CLASS:
        email = f"{_letters(given).lower()}.{_letters(family).lower()}@studenti.example.org"
        lines.append(";".join([given, family, born.strftime("%d/%m/%Y"),
                               codice_fiscale(given, family, born, sex, place), AWARD, grade, email]))
    out = Path(__file__).with_name("classe-excel-it.csv")
    out.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


if __name__ == "__main__":
    main()
