"""Dates that cannot be right are refused before signing, each for its own reason (code)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from mcred.elm.outcomes import OutcomeFileError, load_outcomes
from mcred.elm.rules import check_learner

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "its-python-data.yaml"
ISSUED = "2026-07-01T09:00:00Z"
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc)
GIULIA = {"given_name": "Giulia", "family_name": "Rossi", "date_of_birth": "2000-04-12",
          "codice_fiscale": "RSSGLI00D52L219I", "award_date": "2026-06-30"}


def codes(learner: dict, **context) -> list[str]:
    return [code for _, _, code in check_learner(learner, **context)]


def test_a_consistent_learner_passes():
    assert codes(GIULIA, valid_until="2030-12-31", now=NOW) == []


@pytest.mark.parametrize("changes, context, expected", [
    ({"award_date": "2026-07-02"}, {"now": NOW}, ["AWARD_DATE_IN_FUTURE"]),
    ({"award_date": "2026-06-30"}, {"valid_until": "2026-06-29"}, ["VALID_UNTIL_BEFORE_AWARD"]),
    ({"date_of_birth": "2030-01-01", "codice_fiscale": None}, {"now": NOW}, ["DATE_OF_BIRTH_IN_FUTURE"]),
    ({"date_of_birth": "1890-01-01", "codice_fiscale": None}, {}, ["DATE_OF_BIRTH_IMPLAUSIBLE"]),
    ({"date_of_birth": "2020-01-01", "codice_fiscale": None}, {}, ["DATE_OF_BIRTH_IMPLAUSIBLE"]),
    ({"date_of_birth": "2000-04-13"}, {}, ["CODICE_FISCALE_MISMATCH"]),
    ({"award_date": "2026-02-30"}, {}, ["DATE_INVALID"]),
], ids=["award-future", "valid-until-before-award", "born-future", "born-1890", "aged-6", "cf-vs-birth",
        "award-not-a-date"])
def test_each_date_rule_refuses_for_its_reason(changes, context, expected):
    learner = {key: value for key, value in {**GIULIA, **changes}.items() if value is not None}
    assert codes(learner, **context) == expected


def test_an_award_date_of_today_is_allowed_and_tomorrow_is_not_within_the_verifiers_skew():
    assert codes({**GIULIA, "award_date": "2026-07-01"}, now=NOW) == []
    just_before_midnight = datetime(2026, 6, 30, 23, 56, tzinfo=timezone.utc)   # 4 minutes: within the skew
    assert codes({**GIULIA, "award_date": "2026-07-01"}, now=just_before_midnight) == []
    an_hour_before = datetime(2026, 6, 30, 23, 0, tzinfo=timezone.utc)
    assert codes({**GIULIA, "award_date": "2026-07-01"}, now=an_hour_before) == ["AWARD_DATE_IN_FUTURE"]


def test_an_outcome_file_valid_until_before_the_issuing_date(tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["credential"]["valid_until"] = "2026-06-01"
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(OutcomeFileError) as caught:
        load_outcomes(path, now=ISSUED)
    assert {p.code for p in caught.value.problems} == {"VALID_UNTIL_PASSED", "VALID_UNTIL_BEFORE_AWARD"}
