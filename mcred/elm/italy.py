"""Italian rules that ``mcred issue`` checks before it signs a credential.

Pure functions over the standard library, one section per rule:

* the codice fiscale of a person (DM 23 December 1976): its form, the birth date
  and sex it encodes, omocodia, and its check character;
* credits and hours: 1 CFU = 25 hours of student work, 60 CFU a year (DM 509/1999
  and DM 270/2004, art. 5), reconciled in ``Decimal``, never in floats;
* ``volumeOfLearning`` as an ``xsd:duration`` in hours, minutes and seconds;
* the EQF level, which is also the Italian QNQ level.

Every error is an ``ItalianRuleError`` (a ``ValueError``) whose message says what
is wrong with the value; it names no field, because only the caller knows where
the value came from.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

__all__ = [
    "CFU_PER_YEAR",
    "DEFAULT_TOLERANCE",
    "HOURS_PER_CFU",
    "CodiceFiscale",
    "CodiceFiscaleError",
    "DurationError",
    "EqfLevelError",
    "ItalianRuleError",
    "Workload",
    "WorkloadError",
    "check_codice_fiscale",
    "check_eqf_level",
    "codice_fiscale_check_character",
    "codice_fiscale_matches",
    "duration_to_hours",
    "hours_to_duration",
    "reconcile_workload",
]

#: what the credit and hour functions accept; floats are refused on purpose
Number = Decimal | int | str


class ItalianRuleError(ValueError):
    """A value that breaks an Italian rule; the caller adds where the value came from."""


class CodiceFiscaleError(ItalianRuleError):
    """A string that is not a well-formed codice fiscale of a person."""


class WorkloadError(ItalianRuleError):
    """Credits and hours that are missing, not positive, or do not agree."""


class DurationError(ItalianRuleError):
    """A duration that is malformed or not a number of hours."""


class EqfLevelError(ItalianRuleError):
    """A value that is not an EQF level from 1 to 8."""


# --- codice fiscale ------------------------------------------------------------------------------

_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
# Omocodia: when two people would get the same code, the Agenzia delle Entrate replaces
# digits, from the right, by the letter at the digit's index here (0 -> L, ..., 9 -> V).
_OMOCODIA_LETTERS = "LMNPQRSTUV"
_OMOCODIA_DIGIT = {letter: str(digit) for digit, letter in enumerate(_OMOCODIA_LETTERS)}
# 0-based indices of the seven digits omocodia may replace (1-based 7, 8, 10, 11, 13, 14, 15)
_DIGIT_INDICES = frozenset({6, 7, 9, 10, 12, 13, 14})
_MONTH_LETTERS = "ABCDEHLMPRST"
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Check character, odd (1st, 3rd, ... 15th) positions: the value of A..Z, digits 0..9 counting
# as A..J. Even positions count A..Z as 0..25 and digits as themselves.
_ODD_VALUES = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23)


@dataclass(frozen=True)
class CodiceFiscale:
    """What a valid codice fiscale says about its holder.

    ``code`` is the code as checked, in capitals (omocodia letters kept);
    ``birth_place`` is the Belfiore code of the comune, or of the foreign state
    (Z...), with omocodia letters turned back into digits.
    """

    code: str
    birth_date: date
    sex: Literal["M", "F"]
    birth_place: str

    def __str__(self) -> str:
        return self.code


def check_codice_fiscale(code: str, *, today: date | None = None) -> CodiceFiscale:
    """Check a person's codice fiscale and return what it encodes.

    Surrounding spaces are ignored and letters may be in lower case; a value that
    is not a string is refused like a malformed code. The code is checked in this
    order, and the first problem found is raised as a
    ``CodiceFiscaleError``: its length (16), the kind of character at each
    position (letters, or digits and the omocodia letters LMNPQRSTUV where digits
    belong), the month letter, the day (01-31 for men, 41-71 for women), that the
    date exists, and last the check character.

    The code holds only two digits of the year. The birth year is the most recent
    year ending in those digits that does not put the birth after ``today``
    (default: the system date): on 30 June 2026, "26" before July means 2026 and
    "26" from July on means 1926. A person aged 100 or more is therefore read as
    a child; ``codice_fiscale_matches`` compares only the two digits for that
    reason.

    The letters for name and surname are not checked against any name, and the
    Belfiore code is not looked up in a list of comuni.
    """
    normalised = _normalise(code)
    _check_characters(normalised)
    digits = _undo_omocodia(normalised)
    month = _birth_month(normalised[8])
    day, sex = _birth_day_and_sex(int(digits[9:11]))
    birth_date = _birth_date(int(digits[6:8]), month, day, today or date.today())
    _check_check_character(normalised)
    return CodiceFiscale(normalised, birth_date, sex, normalised[11] + digits[12:15])


def codice_fiscale_check_character(first_fifteen: str) -> str:
    """The check character (the 16th) of the codice fiscale that begins with these 15 characters.

    Each character is turned into a number, with one table for the odd positions
    (1st, 3rd, ... 15th) and another for the even ones; the sum modulo 26 is the
    check character, 0 being A.
    """
    text = first_fifteen.upper()
    if len(text) != 15 or not set(text) <= _LETTERS | _DIGITS:
        raise CodiceFiscaleError(f"expected 15 letters and digits, got {first_fifteen!r}")
    total = 0
    for index, char in enumerate(text):
        value = int(char) if char in _DIGITS else ord(char) - ord("A")
        # 0-based even indices are the 1-based odd positions
        total += _ODD_VALUES[value] if index % 2 == 0 else value
    return chr(ord("A") + total % 26)


def codice_fiscale_matches(
    cf: CodiceFiscale, *, date_of_birth: date | None, sex: str | None = None
) -> list[str]:
    """The ways the codice fiscale disagrees with a stated date of birth and sex; empty if none.

    Only the day, the month and the last two digits of the year are compared,
    because that is all the code holds (see ``check_codice_fiscale`` on the
    century). ``date_of_birth`` may be a ``datetime``; ``sex`` is "M" or "F" in
    either case, and ``None`` skips that comparison.
    """
    problems = []
    if date_of_birth is not None:
        born = cf.birth_date
        if (date_of_birth.year % 100, date_of_birth.month, date_of_birth.day) != (
            born.year % 100,
            born.month,
            born.day,
        ):
            stated = date(date_of_birth.year, date_of_birth.month, date_of_birth.day)
            problems.append(
                f"the codice fiscale says born {born.isoformat()}, "
                f"the date of birth says {stated.isoformat()}"
            )
    if sex is not None:
        stated_sex = sex.strip().upper()
        if stated_sex not in ("M", "F"):
            raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
        if stated_sex != cf.sex:
            problems.append(f"the codice fiscale says sex {cf.sex}, the sex given is {stated_sex}")
    return problems


def _normalise(code: str) -> str:
    """The code in capitals without surrounding spaces, if it has 16 characters."""
    if not isinstance(code, str):
        # a rule error, not a TypeError: the value usually comes straight from a JSON or YAML file
        raise CodiceFiscaleError(f"a codice fiscale is a string of 16 characters, not {type(code).__name__}")
    text = code.strip().upper()
    if len(text) == 16:
        return text
    if not text:
        raise CodiceFiscaleError("the codice fiscale is empty")
    message = f"a codice fiscale has 16 characters, this one has {len(text)}"
    if len(text) == 11 and text.isdigit():
        # 11 digits is the numeric codice fiscale of companies (and of temporary codes)
        message += " (11 digits is a numeric codice fiscale, which is not a person's)"
    raise CodiceFiscaleError(message)


def _check_characters(code: str) -> None:
    """Raise for the first character of the wrong kind for its position."""
    for index, char in enumerate(code):
        if index in _DIGIT_INDICES:
            if char not in _DIGITS and char not in _OMOCODIA_DIGIT:
                raise CodiceFiscaleError(
                    f"wrong character {char!r} at position {index + 1}: expected a digit "
                    f"(or one of the omocodia letters {_OMOCODIA_LETTERS})"
                )
        elif char not in _LETTERS:
            raise CodiceFiscaleError(f"wrong character {char!r} at position {index + 1}: expected a letter")


def _undo_omocodia(code: str) -> str:
    """The code with the omocodia letters in digit positions turned back into digits."""
    return "".join(
        _OMOCODIA_DIGIT.get(char, char) if index in _DIGIT_INDICES else char
        for index, char in enumerate(code)
    )


def _birth_month(letter: str) -> int:
    """The month (1-12) that the 9th character stands for."""
    if letter not in _MONTH_LETTERS:
        months = " ".join(_MONTH_LETTERS)
        raise CodiceFiscaleError(
            f"invalid month letter {letter!r} at position 9: the months January to December are {months}"
        )
    return _MONTH_LETTERS.index(letter) + 1


def _birth_day_and_sex(value: int) -> tuple[int, Literal["M", "F"]]:
    """The day of birth and the sex: women's days are written with 40 added."""
    if 1 <= value <= 31:
        return value, "M"
    if 41 <= value <= 71:
        return value - 40, "F"
    raise CodiceFiscaleError(
        f"invalid day {value:02d} at positions 10-11: expected 01-31 for men or 41-71 for women (day + 40)"
    )


def _birth_date(two_digits: int, month: int, day: int, today: date) -> date:
    """The birth date, in the most recent century that does not put it after ``today``."""
    year = today.year - (today.year - two_digits) % 100
    # tuples, not dates: 29 February may not exist in the year first tried
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    try:
        return date(year, month, day)
    except ValueError:
        raise CodiceFiscaleError(
            f"impossible date of birth: there is no {day} {_MONTH_NAMES[month - 1]} {year}"
        ) from None


def _check_check_character(code: str) -> None:
    """Raise if the 16th character is not the one the first 15 call for."""
    expected = codice_fiscale_check_character(code[:15])
    if code[15] != expected:
        raise CodiceFiscaleError(f"check character is {code[15]!r}, expected {expected!r}")


# --- credits and hours ---------------------------------------------------------------------------

#: DM 509/1999 and DM 270/2004, art. 5: one CFU is 25 hours of student work
HOURS_PER_CFU = Decimal(25)
#: the average full-time year
CFU_PER_YEAR = 60
#: decrees may set a CFU at 25 hours ± 20 %, so stated hours may differ that much
DEFAULT_TOLERANCE = Decimal("0.20")

_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CFU_PLACES = Decimal("0.01")
_DEVIATION_PLACES = Decimal("0.0001")
# Bounds that cover any workload and keep every sum and product exact in Decimal's
# default 28 significant digits (e.g. hours * 3600 has at most 22).
_MAX_INTEGER_DIGITS = 9
_MAX_DECIMAL_PLACES = 9


@dataclass(frozen=True)
class Workload:
    """Credits and hours that agree.

    ``derived`` names the one that was computed from the other ("cfu" or
    "hours"), or is ``None`` when both were given. ``deviation`` is how far the
    hours are from 25 hours per CFU, as a fraction (0.1 is 10 %) to four decimal
    places. ``rounded`` is true when derived credits were rounded to two
    decimal places.
    """

    cfu: Decimal
    hours: Decimal
    derived: Literal["cfu", "hours"] | None
    deviation: Decimal
    rounded: bool = False


def reconcile_workload(
    *, cfu: Number | None, hours: Number | None, tolerance: Number = DEFAULT_TOLERANCE
) -> Workload:
    """Check credits (CFU) and hours against each other, or compute the missing one.

    Values may be ``Decimal``, ``int`` or ``str`` ("2.5"); a float raises
    ``TypeError``, because it cannot hold most decimal fractions exactly. Both
    must be more than zero.

    * Only credits: hours = CFU × 25, exactly.
    * Only hours: CFU = hours / 25. That division always ends (1/25 = 0.04);
      when it needs more than two decimal places it is rounded half up to two,
      ``rounded`` is set and ``deviation`` shows the effect. Half up, not half
      even, because it is what a person checking by hand expects, and a
      credential states its own credits rather than a sum of rounded ones.
    * Both: the hours may differ from CFU × 25 by at most ``tolerance`` (a
      fraction, default 0.20) of it, bounds included; otherwise
      ``WorkloadError`` names the implied hours and the allowed range. The
      comparison is exact; only the reported ``deviation`` is rounded.
    """
    allowed = _to_decimal(tolerance, "the tolerance", WorkloadError)
    if allowed < 0:
        raise WorkloadError(f"the tolerance must not be negative, not {_text(allowed)}")
    if cfu is None and hours is None:
        raise WorkloadError("neither credits (CFU) nor hours are given: give one of them, or both")
    credits = None if cfu is None else _positive(cfu, "CFU")
    workload_hours = None if hours is None else _positive(hours, "hours")
    if workload_hours is None:
        return Workload(_plain(credits), _plain(credits * HOURS_PER_CFU), "hours", Decimal(0))
    if credits is None:
        return _credits_from_hours(workload_hours)
    return _check_agreement(credits, workload_hours, allowed)


def _credits_from_hours(hours: Decimal) -> Workload:
    """The workload with credits computed from hours, rounded to two places if need be."""
    exact = hours / HOURS_PER_CFU
    credits = exact.quantize(_CFU_PLACES, rounding=ROUND_HALF_UP)
    if credits == 0:
        raise WorkloadError(
            f"{_text(hours)} hours make {_text(exact)} CFU, which is 0 at two decimal places"
        )
    implied = credits * HOURS_PER_CFU
    return Workload(_plain(credits), _plain(hours), "cfu", _deviation(hours, implied), credits != exact)


def _check_agreement(credits: Decimal, hours: Decimal, tolerance: Decimal) -> Workload:
    """The workload if the hours are within the tolerance of 25 per CFU; raise otherwise."""
    implied = credits * HOURS_PER_CFU
    # exact: compare the gap with tolerance × implied instead of dividing
    margin = tolerance * implied
    if abs(hours - implied) > margin:
        given = "1 hour is" if hours == 1 else f"{_text(hours)} hours are"
        raise WorkloadError(
            f"{_text(credits)} CFU means {_text(implied)} hours ({_text(implied - margin)} to "
            f"{_text(implied + margin)} allowed at ±{_text(tolerance * 100)} %), but {given} given"
        )
    return Workload(_plain(credits), _plain(hours), None, _deviation(hours, implied))


def _deviation(hours: Decimal, implied: Decimal) -> Decimal:
    """|hours − implied| / implied, to four decimal places."""
    return _plain((abs(hours - implied) / implied).quantize(_DEVIATION_PLACES, rounding=ROUND_HALF_UP))


def _positive(value: Number, unit: str) -> Decimal:
    """The value as a Decimal, if it is more than zero."""
    number = _to_decimal(value, unit, WorkloadError)
    if number <= 0:
        raise WorkloadError(f"{_text(number)} {unit}: the workload must be more than zero")
    return number


def _to_decimal(value: Number, what: str, error: type[ItalianRuleError]) -> Decimal:
    """A Decimal from an int, a str or a Decimal, within the bounds that keep arithmetic exact."""
    if isinstance(value, float):
        raise TypeError(
            f"{what}: got the float {value!r}; pass a Decimal, an int or a string such as '12.5', "
            "because a float cannot hold most decimal fractions exactly"
        )
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise TypeError(f"{what}: expected a Decimal, an int or a string, not {type(value).__name__}")
    # Decimal() alone would also take "1_000", "NaN" and non-ASCII digits
    if isinstance(value, str) and not _NUMBER_TEXT.fullmatch(value.strip()):
        hint = " (write decimals with a point, e.g. '2.5')" if "," in value else ""
        raise error(f"{what}: {value!r} is not a number{hint}")
    number = Decimal(value.strip() if isinstance(value, str) else value)
    if not number.is_finite():
        raise error(f"{what}: {value!r} is not a finite number")
    # trailing zeros do not count: 2.000000000000 is as exact as 2
    places = -number.normalize().as_tuple().exponent
    if number.adjusted() >= _MAX_INTEGER_DIGITS or places > _MAX_DECIMAL_PLACES:
        raise error(
            f"{what}: {value!r} is out of range (at most {_MAX_INTEGER_DIGITS} digits before "
            f"the decimal point and {_MAX_DECIMAL_PLACES} after)"
        )
    return number


def _plain(number: Decimal) -> Decimal:
    """The number without trailing zeros, whole numbers without an exponent (50, not 5E+1)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def decimal_text(number: Decimal) -> str:
    """The number as a person writes it, and as ELM wants credit points: no exponent, no trailing zeros."""
    return f"{_plain(number):f}"


_text = decimal_text


# --- durations -----------------------------------------------------------------------------------

# xsd:duration (XML Schema 1.1 Part 2, 3.3.6), plus weeks (ISO 8601) so that they can be refused
# by name. Decimal commas and fractions in any component are matched here and refused below,
# with a reason, rather than failing the whole match.
_NUMBER = r"[0-9]+(?:[.,][0-9]+)?"
_DURATION = re.compile(
    rf"(?P<sign>-)?P(?:(?P<years>{_NUMBER})Y)?(?:(?P<months>{_NUMBER})M)?"
    rf"(?:(?P<weeks>{_NUMBER})W)?(?:(?P<days>{_NUMBER})D)?"
    rf"(?:(?P<time>T)(?:(?P<hours>{_NUMBER})H)?(?:(?P<minutes>{_NUMBER})M)?(?:(?P<seconds>{_NUMBER})S)?)?"
)
# the 3-minute grid (0.05 h) on which whole minutes are exact decimal hours
_EXACT_STEP_SECONDS = 180
_EXACT_STEP = Decimal("0.05")


def hours_to_duration(hours: Number) -> str:
    """The ``xsd:duration`` for a number of hours, e.g. "PT50H", "PT12H30M" for 12.5.

    Hours and whole minutes are used where they are exact (12.75 → "PT12H45M");
    what is left is written in seconds (0.01 → "PT36S", 0.0001 → "PT0.36S"),
    because ``xsd:duration`` allows a decimal fraction only in the seconds, so
    "PT0.01H" would not be valid in a credential. Every decimal number of hours
    has an exact form, and ``duration_to_hours`` gives the same number back.
    Zero is "PT0H"; negative hours raise ``DurationError``.
    """
    value = _to_decimal(hours, "the hours", DurationError)
    if value < 0:
        raise DurationError(f"{_text(value)} hours: a duration cannot be negative")
    return _format_seconds(value * 3600)


def _format_seconds(total: Decimal) -> str:
    """The xsd:duration of so many seconds, in whole hours and minutes and the seconds left."""
    whole_hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    components = ((whole_hours, "H"), (minutes, "M"), (seconds, "S"))
    parts = [f"{_text(amount)}{unit}" for amount, unit in components if amount]
    return "PT" + ("".join(parts) or "0H")


def duration_to_hours(text: str) -> Decimal:
    """The number of hours in an ``xsd:duration`` such as "PT50H" or "PT12H30M".

    Years, months, weeks and days are refused with a ``DurationError``: a month
    or a year has no fixed length, and a day or a week of learning is not 24 or
    168 hours of work, so a workload must be stated in hours (and minutes). A
    malformed string, a negative duration, a fraction anywhere but in the
    seconds (as ``xsd:duration`` requires) and a decimal comma are refused too,
    each with the reason, and so is a value that is not a string. So is a
    duration that is not an exact decimal number of hours (PT20M is 1/3 h); the
    message suggests the nearest whole minutes that are.
    """
    if not isinstance(text, str):
        # a rule error, not a TypeError: the value usually comes straight from a JSON or YAML file
        raise DurationError(f"{text!r} is not a duration: write it as a string such as PT50H")
    stripped = text.strip()
    match = _DURATION.fullmatch(stripped)
    if match is None:
        raise DurationError(_malformed(stripped))
    parts = match.groupdict()
    if parts["sign"]:
        raise DurationError(f"{stripped} is negative; a workload cannot be")
    _refuse_calendar_units(stripped, parts)
    if not any(parts[unit] for unit in ("hours", "minutes", "seconds")):
        where = "'T'" if parts["time"] else "'P'"
        raise DurationError(f"{stripped}: {where} must be followed by a number and its unit, e.g. PT50H")
    hours, minutes, seconds = (
        Fraction(parts[unit].replace(",", ".")) if parts[unit] else Fraction(0)
        for unit in ("hours", "minutes", "seconds")
    )
    total_seconds = hours * 3600 + minutes * 60 + seconds
    _refuse_bad_numbers(stripped, parts, total_seconds)
    return _exact_hours(stripped, total_seconds / 3600)


def _malformed(text: str) -> str:
    """Why a string is not an ``xsd:duration``, as precisely as can be told."""
    if not text:
        return "the duration is empty"
    if _DURATION.fullmatch(text.upper()):
        return f"{text!r}: the letters of a duration are capitals, e.g. {text.upper()}"
    if not text.lstrip("-").startswith("P"):
        return f"{text!r} is not a duration: it must start with 'P', e.g. PT50H"
    if "T" not in text and re.search(r"[0-9](H|S)", text):
        return f"{text!r}: hours, minutes and seconds come after a 'T', e.g. {text.replace('P', 'PT', 1)}"
    return (
        f"{text!r} is not an xsd:duration: expected P, then T and the hours, minutes and seconds "
        "in that order, each a number and its letter, e.g. PT50H or PT12H30M"
    )


def _refuse_calendar_units(text: str, parts: dict[str, str | None]) -> None:
    """Refuse years, months, weeks and days, whose length in working hours is not fixed."""
    if parts["years"]:
        raise DurationError(
            f"{text} counts years, which have no fixed number of hours; give the hours, e.g. PT50H"
        )
    if parts["months"]:
        amount = parts["months"]
        raise DurationError(f"{text} is {amount} months; for {amount} minutes write PT{amount}M")
    for unit, hours in (("weeks", 168), ("days", 24)):
        if parts[unit]:
            raise DurationError(
                f"{text} counts {unit}, and a learning {unit[:-1]} is not {hours} hours of work; "
                "give the hours, e.g. PT50H"
            )


def _refuse_bad_numbers(text: str, parts: dict[str, str | None], total_seconds: Fraction) -> None:
    """Refuse decimal commas, and fractions in hours or minutes, saying how to write the duration."""
    if "," in text:
        reason = "has a decimal comma; xsd:duration uses a point"
    elif "." in (parts["hours"] or ""):
        reason = "has a fraction of an hour; xsd:duration allows decimals only in the seconds"
    elif "." in (parts["minutes"] or ""):
        reason = "has a fraction of a minute; xsd:duration allows decimals only in the seconds"
    else:
        return
    # components that are exact decimals add up to an exact decimal number of seconds
    raise DurationError(f"{text} {reason}: write {_format_seconds(_decimal(total_seconds))}")


def _exact_hours(text: str, hours: Fraction) -> Decimal:
    """The hours as a Decimal if they are an exact decimal number; raise with suggestions if not."""
    if _is_decimal(hours):
        return _to_decimal(f"{_decimal(hours):f}", text, DurationError)
    steps = hours * 3600 / _EXACT_STEP_SECONDS
    nearest = [Decimal(step) * _EXACT_STEP for step in (math.floor(steps), math.ceil(steps)) if step > 0]
    options = " or ".join(f"{hours_to_duration(value)} ({_text(value)} h)" for value in nearest)
    approximate = (Decimal(hours.numerator) / hours.denominator).quantize(Decimal("0.0001"))
    raise DurationError(
        f"{text} is {_text(approximate)}… hours, which is not an exact decimal number; "
        f"round it to whole minutes divisible by 3, e.g. {options}"
    )


def _is_decimal(value: Fraction) -> bool:
    """Whether the fraction has a finite decimal expansion (its denominator divides a power of 10)."""
    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    return denominator == 1


def _decimal(value: Fraction) -> Decimal:
    """The exact Decimal for a fraction with a finite decimal expansion."""
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return Decimal(int(value * 10**places)).scaleb(-places)


# --- EQF level -----------------------------------------------------------------------------------


def check_eqf_level(value: int | str) -> int:
    """The EQF level (1 to 8) given as an int or a string of digits such as "5".

    The Italian QNQ (DI 8 January 2018, art. 3) has eight levels, each the
    counterpart of the EQF level with the same number, so a QNQ level is checked
    and stated as that EQF level. Anything else raises ``EqfLevelError``.
    """
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        level = int(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        level = value
    else:
        raise EqfLevelError(f"{value!r} is not an EQF level: give a whole number from 1 to 8")
    if not 1 <= level <= 8:
        raise EqfLevelError(f"EQF levels go from 1 to 8, not {level}")
    return level
