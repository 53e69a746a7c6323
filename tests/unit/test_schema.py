"""mcred._schema: problems named by their own path and said in words, and what the rules may still read."""

from __future__ import annotations

from mcred._schema import schema_problems, without_problems

SCHEMA = "outcomes-1.schema.json"
LEARNER = "#/$defs/learner"


def test_an_unknown_field_is_named_by_its_own_path_with_the_nearest_known_name():
    [problem] = schema_problems({"given_name": "A", "family_name": "B", "award_date": "2026-06-30",
                                 "emial": "a@b.it"}, SCHEMA, LEARNER)
    assert (problem.code, problem.path) == ("SCHEMA_UNKNOWN_FIELD", "$.emial")
    assert problem.message == "unknown field 'emial' (did you mean 'email'?)"


def test_a_value_is_said_in_words_never_as_its_pattern():
    [problem] = schema_problems({"given_name": "A", "family_name": "B", "award_date": "30/06/2026"}, SCHEMA, LEARNER)
    assert (problem.code, problem.path) == ("SCHEMA_INVALID_VALUE", "$.award_date")
    assert problem.message == "'30/06/2026' is not a date as YYYY-MM-DD, such as 2026-06-30"


def test_each_missing_field_is_its_own_problem():
    problems = schema_problems({"given_name": "A"}, SCHEMA, LEARNER)
    assert [(p.code, p.path) for p in problems] == [("SCHEMA_MISSING_FIELD", "$.family_name"),
                                                    ("SCHEMA_MISSING_FIELD", "$.award_date")]


def test_the_rules_read_what_passed_the_schema_with_list_indexes_kept():
    data = {"credential": {"isced_f": ["0613", 613, "0611"], "eqf_level": 9, "mode": "online"}}
    problems = [p for p in schema_problems(data, SCHEMA) if p.path.startswith("$.credential.")]
    kept = without_problems(data, problems)
    assert kept["credential"]["isced_f"] == ["0613", None, "0611"]
    assert "eqf_level" not in kept["credential"] and kept["credential"]["mode"] == "online"
    assert data["credential"]["eqf_level"] == 9   # the caller's data is left as it was
