"""Italian rules: codice fiscale, credits and hours, durations, EQF level.

The codici fiscali below are not taken from mcred's output. Each was either
published with its check character by a third party, or computed by hand from
the public description of the algorithm, with the sums written out:

* conversion tables (characters at odd and even positions, remainder -> letter):
  https://fiscomania.com/carattere-controllo/ ; the same odd table appears in
  Microsoft's Dynamics AX 2012 reference for ``Bank_IT.getOdd`` and
  ``Bank_IT.getEven``, and omocodia (0->L ... 9->V in positions 7, 8, 10, 11,
  13, 14, 15) in https://github.com/squeeze69/codicefiscale
  (confrontacodicifiscali.go).
* odd positions (1st, 3rd, ... 15th): 0/A=1 1/B=0 2/C=5 3/D=7 4/E=9 5/F=13
  6/G=15 7/H=17 8/I=19 9/J=21 K=2 L=4 M=18 N=20 O=11 P=3 Q=6 R=8 S=12 T=14
  U=16 V=10 W=22 X=25 Y=24 Z=23; even positions: digits as themselves, A..Z as
  0..25; the sum modulo 26 gives the letter, A=0.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcred.elm.italy import (
    CFU_PER_YEAR,
    DEFAULT_TOLERANCE,
    HOURS_PER_CFU,
    CodiceFiscale,
    CodiceFiscaleError,
    DurationError,
    EqfLevelError,
    ItalianRuleError,
    WorkloadError,
    check_codice_fiscale,
    check_eqf_level,
    codice_fiscale_check_character,
    codice_fiscale_matches,
    duration_to_hours,
    hours_to_duration,
    reconcile_workload,
)

TODAY = date(2026, 6, 30)

# --- codice fiscale: known codes -----------------------------------------------------------------

# Published with their check character (each sum re-done by hand with the tables above):
PUBLISHED = [
    # http://madvero.it/articoli/ilcodicefiscale.asp: Franco Rossi, 31 December 1980, Milano (F205).
    # odd R8 S12 N20 8:19 T14 1:0 2:5 5:13 = 91; even S18 F5 C2 0 3 F5 0 = 33; 124 % 26 = 20 -> U
    ("RSSFNC80T31F205U", date(1980, 12, 31), "M", "F205"),
    # https://sgart.it/IT/informatica/il-codice-fiscale/post: Mario Rossi, 11/02/1979, Cesano Maderno (C566).
    # odd R8 S12 R8 7:17 B0 1:0 5:13 6:15 = 73; even S18 M12 A0 9 1 C2 6 = 48; 121 % 26 = 17 -> R
    ("RSSMRA79B11C566R", date(1979, 2, 11), "M", "C566"),
    # http://eduardo-lago.blogspot.com/2011 (a validator's sample row): Mario Rossi, Roma (H501).
    # odd R8 S12 R8 6:15 A1 5:13 5:13 1:0 = 70; even S18 M12 A0 0 1 H7 0 = 38; 108 % 26 = 4 -> E
    ("RSSMRA60A15H501E", date(1960, 1, 15), "M", "H501"),
    # https://github.com/squeeze69/codicefiscale README: a valid code and its omocodia variant.
    # odd A1 C5 E9 1:0 B0 3:7 4:9 2:5 = 36; even B1 D3 F5 2 2 P15 3 = 31; 67 % 26 = 15 -> P
    ("ABCDEF12B23P432P", date(2012, 2, 23), "M", "P432"),
    # position 15: 2 -> N (odd 5 -> 20): 82 % 26 = 4 -> E
    ("ABCDEF12B23P43NE", date(2012, 2, 23), "M", "P432"),
]

# Computed by hand:
HAND_COMPUTED = [
    # the project sample (shared/elm/samples): Giulia Rossi, F, 12 April 2000, Torino (L219).
    # odd R8 S12 L4 0:1 D7 2:5 2:5 9:21 = 63; even S18 G6 I8 0 5 L11 1 = 49; 112 % 26 = 8 -> I
    ("RSSGLI00D52L219I", date(2000, 4, 12), "F", "L219"),
    # the same with omocodia in position 15 (9 -> V, odd 21 -> 10): 101 % 26 = 23 -> X
    ("RSSGLI00D52L21VX", date(2000, 4, 12), "F", "L219"),
    # all seven digits replaced (0 0 5 2 2 1 9 -> L L R N N M V):
    # odd R8 S12 L4 L4 D7 N20 N20 V10 = 85; even S18 G6 I8 L11 R17 L11 M12 = 83; 168 % 26 = 12 -> M
    ("RSSGLILLDRNLNMVM", date(2000, 4, 12), "F", "L219"),
    # Luigi Verdi, M, 31 July 1985, Napoli (F839).
    # odd V10 D7 G15 8:19 L4 1:0 8:19 9:21 = 95; even R17 L11 U20 5 3 F5 3 = 64; 159 % 26 = 3 -> D
    ("VRDLGU85L31F839D", date(1985, 7, 31), "M", "F839"),
    # 29 February (a woman: day 69): from RSSGLI00D52L219I, D -> B (odd 7 -> 0), 5 -> 6 (even +1),
    # 2 -> 9 (odd 5 -> 21): odd 72, even 50; 122 % 26 = 18 -> S
    ("RSSGLI00B69L219S", date(2000, 2, 29), "F", "L219"),
]


@pytest.mark.parametrize(("code", "born", "sex", "place"), PUBLISHED + HAND_COMPUTED)
def test_valid_codes_are_decoded(code, born, sex, place):
    assert check_codice_fiscale(code, today=TODAY) == CodiceFiscale(code, born, sex, place)


@pytest.mark.parametrize(("code", "born", "sex", "place"), PUBLISHED + HAND_COMPUTED)
def test_the_check_character_is_the_published_one(code, born, sex, place):
    assert codice_fiscale_check_character(code[:15]) == code[15]


def test_lower_case_and_surrounding_spaces_are_normalised():
    cf = check_codice_fiscale("  rssgli00d52l219i\n", today=TODAY)
    assert cf.code == "RSSGLI00D52L219I"
    assert str(cf) == "RSSGLI00D52L219I"


# VRDLGU85L31F839D with the year 26 (7th 8 -> 2: odd 19 -> 5; 8th 5 -> 6: even +1): 146 % 26 = 16 -> Q
BORN_31_JULY_26 = "VRDLGU26L31F839Q"


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2026, 7, 30), 1926),
        (date(2026, 7, 31), 2026),
        (date(2026, 8, 1), 2026),
        (date(2125, 1, 1), 2026),
    ],
)
def test_the_century_is_the_latest_that_is_not_in_the_future(today, year):
    assert check_codice_fiscale(BORN_31_JULY_26, today=today).birth_date == date(year, 7, 31)


def test_29_february_of_a_year_00_depends_on_the_century():
    with pytest.raises(CodiceFiscaleError, match="impossible date of birth: there is no 29 February 1900"):
        check_codice_fiscale("RSSGLI00B69L219S", today=date(1999, 12, 31))


def test_the_default_today_is_the_system_date():
    assert check_codice_fiscale("RSSFNC80T31F205U").birth_date == date(1980, 12, 31)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("RSSGLI00D52L219", "a codice fiscale has 16 characters, this one has 15"),
        ("RSSGLI00D52L219IX", "has 16 characters, this one has 17"),
        ("12345678901", r"has 11 \(11 digits is a numeric codice fiscale, which is not a person's\)"),
        ("   ", "the codice fiscale is empty"),
        ("1SSGLI00D52L219I", "wrong character '1' at position 1: expected a letter"),
        ("RSSGLIA0D52L219I", r"wrong character 'A' at position 7: expected a digit \(or one of the omocodia"),
        ("RSSGLI0WD52L219I", "wrong character 'W' at position 8: expected a digit"),
        ("RSSGLI00D52L2 9I", "wrong character ' ' at position 14"),
        ("RSSGLI00D525219I", "wrong character '5' at position 12: expected a letter"),
        ("RSSGLI00D52L2199", "wrong character '9' at position 16: expected a letter"),
        ("RSSGLÌ00D52L219I", "wrong character 'Ì' at position 6"),
        ("RSSGLI00F52L219I", "invalid month letter 'F' at position 9: the months January to December are A"),
        ("RSSGLI00D00L219I", "invalid day 00 at positions 10-11: expected 01-31 for men or 41-71 for women"),
        ("RSSGLI00D35L219I", "invalid day 35 at positions 10-11"),
        ("RSSGLI00D72L219I", "invalid day 72 at positions 10-11"),
        # omocodia letters count with their own values: day RN (= 52) adds 12 (even) and 15 (odd)
        # to the sample's 112: 139 % 26 = 9 -> J
        ("RSSGLI00DRNL219I", "check character is 'I', expected 'J'"),
        # 30 February, a woman (day 70); the check character is right, so only the date is wrong:
        # from RSSGLI00B69L219S, 6 -> 7 (even +1) and 9 -> 0 (odd 21 -> 1): 103 % 26 = 25 -> Z
        ("RSSGLI00B70L219Z", "impossible date of birth: there is no 30 February 2000"),
        ("RSSGLI00D52L219X", "check character is 'X', expected 'I'"),
        ("RSSGLI00D52L21VI", "check character is 'I', expected 'X'"),
        # 11th character 2 -> 3 (odd 5 -> 7): 114 % 26 = 10 -> K
        ("RSSGLI00D53L219I", "check character is 'I', expected 'K'"),
    ],
)
def test_invalid_codes_say_why(code, reason):
    with pytest.raises(CodiceFiscaleError, match=reason):
        check_codice_fiscale(code, today=TODAY)


def test_a_code_that_is_not_a_string_is_refused():
    # a rule error, so that callers reading JSON or YAML need to catch only ItalianRuleError
    with pytest.raises(CodiceFiscaleError, match="a codice fiscale is a string of 16 characters, not int"):
        check_codice_fiscale(12345678901)  # type: ignore[arg-type]


def test_the_check_character_needs_fifteen_letters_and_digits():
    with pytest.raises(CodiceFiscaleError, match="expected 15 letters and digits"):
        codice_fiscale_check_character("RSSGLI00D52L21")


# --- codice fiscale: matching a stated date of birth and sex -------------------------------------

GIULIA = CodiceFiscale("RSSGLI00D52L219I", date(2000, 4, 12), "F", "L219")


def test_a_matching_date_and_sex_give_no_problems():
    assert codice_fiscale_matches(GIULIA, date_of_birth=date(2000, 4, 12), sex="F") == []
    assert codice_fiscale_matches(GIULIA, date_of_birth=None, sex="f") == []
    assert codice_fiscale_matches(GIULIA, date_of_birth=datetime(2000, 4, 12, tzinfo=timezone.utc)) == []


def test_only_two_digits_of_the_year_are_compared():
    assert codice_fiscale_matches(GIULIA, date_of_birth=date(1900, 4, 12)) == []


def test_mismatches_are_listed():
    assert codice_fiscale_matches(GIULIA, date_of_birth=date(2000, 4, 13), sex="M") == [
        "the codice fiscale says born 2000-04-12, the date of birth says 2000-04-13",
        "the codice fiscale says sex F, the sex given is M",
    ]
    assert codice_fiscale_matches(GIULIA, date_of_birth=date(2001, 4, 12)) == [
        "the codice fiscale says born 2000-04-12, the date of birth says 2001-04-12"
    ]


def test_a_sex_other_than_m_or_f_is_refused():
    with pytest.raises(ValueError, match="sex must be 'M' or 'F', not 'X'"):
        codice_fiscale_matches(GIULIA, date_of_birth=None, sex="X")


# --- codice fiscale: properties ------------------------------------------------------------------

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MONTHS = "ABCDEHLMPRST"
DIGIT_POSITIONS = (6, 7, 9, 10, 12, 13, 14)  # 0-based


@st.composite
def valid_codes(draw):
    """A valid code, its birth date, sex and place; omocodia replaces the rightmost digits first."""
    names = draw(st.text(LETTERS, min_size=6, max_size=6))
    born = draw(st.dates(min_value=date(1926, 7, 1), max_value=TODAY))
    sex = draw(st.sampled_from("MF"))
    place = draw(st.sampled_from(LETTERS)) + f"{draw(st.integers(0, 999)):03d}"
    day = born.day + (40 if sex == "F" else 0)
    chars = list(f"{names}{born.year % 100:02d}{MONTHS[born.month - 1]}{day:02d}{place}")
    for index in DIGIT_POSITIONS[len(DIGIT_POSITIONS) - draw(st.integers(0, 7)) :]:
        chars[index] = "LMNPQRSTUV"[int(chars[index])]
    first15 = "".join(chars)
    return first15 + codice_fiscale_check_character(first15), born, sex, place


@given(valid_codes())
def test_a_generated_code_decodes_to_what_it_was_built_from(generated):
    code, born, sex, place = generated
    assert check_codice_fiscale(code, today=TODAY) == CodiceFiscale(code, born, sex, place)


@given(valid_codes(), st.integers(0, 15), st.sampled_from(LETTERS + "0123456789 -Ì"))
def test_changing_any_one_character_is_detected(generated, index, replacement):
    code = generated[0]
    if code[index] == replacement:
        replacement = "-"
    altered = code[:index] + replacement + code[index + 1 :]
    with pytest.raises(CodiceFiscaleError):
        check_codice_fiscale(altered, today=TODAY)


# --- credits and hours ---------------------------------------------------------------------------


def test_the_constants():
    assert (HOURS_PER_CFU, CFU_PER_YEAR, DEFAULT_TOLERANCE) == (Decimal(25), 60, Decimal("0.20"))


@pytest.mark.parametrize(
    ("cfu", "hours"),
    [(2, Decimal(50)), ("0.5", Decimal("12.5")), (Decimal("2.25"), Decimal("56.25")), ("60", Decimal(1500))],
)
def test_hours_are_computed_from_credits(cfu, hours):
    workload = reconcile_workload(cfu=cfu, hours=None)
    assert (workload.hours, workload.derived, workload.rounded) == (hours, "hours", False)
    assert workload.deviation == 0
    assert str(workload.hours) == str(hours)  # 50, not 5E+1 or 50.00


@pytest.mark.parametrize(
    ("hours", "cfu", "rounded"),
    [
        (50, Decimal(2), False),
        ("12.5", Decimal("0.5"), False),
        ("10", Decimal("0.4"), False),
        ("0.25", Decimal("0.01"), False),
        ("12.345", Decimal("0.49"), True),  # 0.4938
        ("0.625", Decimal("0.03"), True),  # 0.025: half up (half even would give 0.02)
    ],
)
def test_credits_are_computed_from_hours(hours, cfu, rounded):
    workload = reconcile_workload(cfu=None, hours=hours)
    assert (workload.cfu, workload.derived, workload.rounded) == (cfu, "cfu", rounded)
    assert (workload.deviation > 0) == rounded


def test_rounding_shows_in_the_deviation():
    # 12.345 h -> 0.49 CFU -> 12.25 h: 0.095 / 12.25 = 0.007755... -> 0.0078
    assert reconcile_workload(cfu=None, hours="12.345").deviation == Decimal("0.0078")


def test_hours_too_few_for_a_hundredth_of_a_cfu_are_refused():
    with pytest.raises(WorkloadError, match="0.1 hours make 0.004 CFU, which is 0 at two decimal places"):
        reconcile_workload(cfu=None, hours="0.1")


@pytest.mark.parametrize(
    ("cfu", "hours", "deviation"),
    [(2, 50, Decimal(0)), (2, 60, Decimal("0.2")), (2, 40, Decimal("0.2")), ("2", "55", Decimal("0.1")),
     (3, 80, Decimal("0.0667"))],
)  # fmt: skip
def test_credits_and_hours_within_the_tolerance_agree(cfu, hours, deviation):
    workload = reconcile_workload(cfu=cfu, hours=hours)
    assert (workload.cfu, workload.hours, workload.derived, workload.deviation) == (
        Decimal(cfu),
        Decimal(hours),
        None,
        deviation,
    )


@pytest.mark.parametrize(
    ("cfu", "hours", "tolerance", "message"),
    [
        (2, 75, "0.20", r"2 CFU means 50 hours \(40 to 60 allowed at ±20 %\), but 75 hours are given"),
        (2, "60.01", DEFAULT_TOLERANCE, r"\(40 to 60 allowed at ±20 %\), but 60.01 hours are given"),
        (2, "39.99", DEFAULT_TOLERANCE, "but 39.99 hours are given"),
        (1, 1, DEFAULT_TOLERANCE, r"1 CFU means 25 hours \(20 to 30 allowed at ±20 %\), but 1 hour is given"),
        ("0.5", 20, "0.1", r"0.5 CFU means 12.5 hours \(11.25 to 13.75 allowed at ±10 %\)"),
        (2, 51, 0, r"2 CFU means 50 hours \(50 to 50 allowed at ±0 %\), but 51 hours are given"),
    ],
)
def test_credits_and_hours_that_disagree_are_refused(cfu, hours, tolerance, message):
    with pytest.raises(WorkloadError, match=message):
        reconcile_workload(cfu=cfu, hours=hours, tolerance=tolerance)


def test_a_wider_tolerance_accepts_more():
    assert reconcile_workload(cfu=2, hours=75, tolerance="0.5").deviation == Decimal("0.5")


@pytest.mark.parametrize(
    ("cfu", "hours", "tolerance", "message"),
    [
        (None, None, DEFAULT_TOLERANCE, "neither credits .CFU. nor hours are given"),
        (0, None, DEFAULT_TOLERANCE, "0 CFU: the workload must be more than zero"),
        (None, "-5", DEFAULT_TOLERANCE, "-5 hours: the workload must be more than zero"),
        (2, 0, DEFAULT_TOLERANCE, "0 hours: the workload must be more than zero"),
        ("2,5", None, DEFAULT_TOLERANCE, r"CFU: '2,5' is not a number \(write decimals with a point"),
        ("two", None, DEFAULT_TOLERANCE, "CFU: 'two' is not a number$"),
        ("NaN", None, DEFAULT_TOLERANCE, "CFU: 'NaN' is not a number"),
        (Decimal("NaN"), None, DEFAULT_TOLERANCE, "CFU: Decimal.'NaN'. is not a finite number"),
        (None, Decimal("Infinity"), DEFAULT_TOLERANCE, "hours: Decimal.'Infinity'. is not a finite number"),
        (None, "٥", DEFAULT_TOLERANCE, "hours: '٥' is not a number"),
        ("1e9", None, DEFAULT_TOLERANCE, "CFU: '1e9' is out of range"),
        (None, "0.0000000001", DEFAULT_TOLERANCE, r"at most 9 digits before the decimal point and 9 after"),
        (None, "1_000", DEFAULT_TOLERANCE, "hours: '1_000' is not a number"),
        (2, 50, "-0.1", "the tolerance must not be negative, not -0.1"),
    ],
)
def test_unusable_workloads_say_why(cfu, hours, tolerance, message):
    with pytest.raises(WorkloadError, match=message):
        reconcile_workload(cfu=cfu, hours=hours, tolerance=tolerance)


@pytest.mark.parametrize(
    ("cfu", "hours", "tolerance", "message"),
    [
        (2.0, None, DEFAULT_TOLERANCE, "CFU: got the float 2.0; pass a Decimal, an int or a string such as"),
        (None, 12.5, DEFAULT_TOLERANCE, "hours: got the float 12.5"),
        (2, 50, 0.2, "the tolerance: got the float 0.2"),
        (True, None, DEFAULT_TOLERANCE, "CFU: expected a Decimal, an int or a string, not bool"),
    ],
)
def test_floats_and_other_types_are_type_errors(cfu, hours, tolerance, message):
    with pytest.raises(TypeError, match=message):
        reconcile_workload(cfu=cfu, hours=hours, tolerance=tolerance)


# CFU with at most two decimal places, as credentials state them
credits = st.builds(lambda hundredths: Decimal(hundredths).scaleb(-2), st.integers(1, 10**9))


@given(credits)
def test_credits_to_hours_to_credits_is_exact(cfu):
    hours = reconcile_workload(cfu=cfu, hours=None).hours
    assert hours == cfu * 25
    back = reconcile_workload(cfu=None, hours=hours)
    assert (back.cfu, back.rounded, back.deviation) == (cfu, False, 0)


# --- durations -----------------------------------------------------------------------------------

# XML Schema 1.1 Part 2, duration lexical space restricted to its time part: whole hours and
# minutes, seconds with an optional fraction (https://www.w3.org/TR/xmlschema11-2/#duration)
XSD_TIME_DURATION = re.compile(r"PT(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?")


@pytest.mark.parametrize(
    ("hours", "duration"),
    [
        (50, "PT50H"),
        ("12.5", "PT12H30M"),
        ("12.75", "PT12H45M"),
        ("0.5", "PT30M"),
        ("100.05", "PT100H3M"),
        ("0.01", "PT36S"),
        ("0.0001", "PT0.36S"),
        ("1.0001", "PT1H0.36S"),
        (Decimal("5E+1"), "PT50H"),
        (Decimal("50.000"), "PT50H"),
        (0, "PT0H"),
    ],
)
def test_hours_become_durations(hours, duration):
    assert hours_to_duration(hours) == duration
    assert duration_to_hours(duration) == Decimal(hours)


def test_negative_hours_and_floats_are_refused():
    with pytest.raises(DurationError, match="-1 hours: a duration cannot be negative"):
        hours_to_duration(-1)
    with pytest.raises(TypeError, match="the hours: got the float 1.5"):
        hours_to_duration(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("duration", "hours"),
    [("PT50H", 50), ("PT90M", "1.5"), ("PT12H30M", "12.5"), ("PT36S", "0.01"), ("PT1H1.8S", "1.0005"),
     (" PT50H\n", 50), ("PT0S", 0)],
)  # fmt: skip
def test_durations_become_hours(duration, hours):
    assert duration_to_hours(duration) == Decimal(hours)


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        ("P60M", "P60M is 60 months; for 60 minutes write PT60M"),
        ("P1Y", "P1Y counts years, which have no fixed number of hours; give the hours, e.g. PT50H"),
        ("P2D", "P2D counts days, and a learning day is not 24 hours of work; give the hours"),
        ("P1DT2H", "P1DT2H counts days"),
        ("P1W", "P1W counts weeks, and a learning week is not 168 hours of work"),
        ("P", "P: 'P' must be followed by a number and its unit"),
        ("PT", "PT: 'T' must be followed by a number and its unit"),
        ("", "the duration is empty"),
        ("pt50h", "'pt50h': the letters of a duration are capitals, e.g. PT50H"),
        ("50H", "'50H' is not a duration: it must start with 'P'"),
        ("P50H", "'P50H': hours, minutes and seconds come after a 'T', e.g. PT50H"),
        ("PT30M2H", "'PT30M2H' is not an xsd:duration: expected P, then T and the hours, minutes and"),
        ("PT 50H", "'PT 50H' is not an xsd:duration"),
        ("-PT5H", "-PT5H is negative; a workload cannot be"),
        ("PT12.5H", "PT12.5H has a fraction of an hour; xsd:duration allows decimals only in the seconds: "
                    "write PT12H30M"),
        ("PT0.5M", "PT0.5M has a fraction of a minute; .* write PT30S"),
        ("PT1,5H", "PT1,5H has a decimal comma; xsd:duration uses a point: write PT1H30M"),
        ("PT20M", r"PT20M is 0.3333… hours, which is not an exact decimal number; round it to whole minutes "
                  r"divisible by 3, e.g. PT18M \(0.3 h\) or PT21M \(0.35 h\)"),
        ("PT1S", r"e.g. PT3M \(0.05 h\)$"),
    ],
)  # fmt: skip
def test_unusable_durations_say_why(duration, message):
    with pytest.raises(DurationError, match=message):
        duration_to_hours(duration)


def test_a_duration_that_is_not_a_string_is_refused():
    with pytest.raises(DurationError, match="50 is not a duration: write it as a string such as PT50H"):
        duration_to_hours(50)  # type: ignore[arg-type]


# any decimal number of hours within the bounds (< 10^9, at most 9 decimal places)
hours_values = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places), st.integers(0, 10**9 - 1), st.integers(0, 9)
)


@given(hours_values)
def test_hours_to_duration_to_hours_is_exact(hours):
    duration = hours_to_duration(hours)
    assert XSD_TIME_DURATION.fullmatch(duration), duration
    assert duration_to_hours(duration) == hours


# --- EQF level -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "level"), [(1, 1), (8, 8), ("5", 5), (" 4 ", 4), ("05", 5)])
def test_eqf_levels(value, level):
    assert check_eqf_level(value) == level


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "EQF levels go from 1 to 8, not 0"),
        (9, "EQF levels go from 1 to 8, not 9"),
        ("9", "EQF levels go from 1 to 8, not 9"),
        ("five", "'five' is not an EQF level: give a whole number from 1 to 8"),
        ("", "'' is not an EQF level"),
        ("5.0", "'5.0' is not an EQF level"),
        (5.0, "5.0 is not an EQF level"),
        (True, "True is not an EQF level"),
        (None, "None is not an EQF level"),
        ("٥", "'٥' is not an EQF level"),  # an Arabic-Indic five: not a level as written in a credential
    ],
)
def test_values_that_are_not_eqf_levels(value, message):
    with pytest.raises(EqfLevelError, match=message):
        check_eqf_level(value)


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [CodiceFiscaleError, WorkloadError, DurationError, EqfLevelError])
def test_every_rule_error_is_an_italian_rule_error_and_a_value_error(error):
    assert issubclass(error, ItalianRuleError)
    assert issubclass(error, ValueError)
