"""mcred._yaml: every YAML file mcred reads is plain data; a hostile one is refused with its line, at once."""

from __future__ import annotations

import pytest

from mcred._yaml import YamlError, parse
from mcred.elm.outcomes import load_outcomes

#: nine levels of nine aliases: a billion strings once expanded (3.5 KB with the padding below)
ANCHOR_BOMB = "\n".join(
    ["mcred: outcomes/1", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(97 + i)}: &{chr(97 + i)} [{','.join(['*' + chr(96 + i)] * 9)}]" for i in range(1, 10)]
    + ["# " + "padding " * 40] * 10) + "\n"


def refusal(text: str) -> YamlError:
    with pytest.raises(YamlError) as caught:
        parse(text, file="hostile.yaml")
    return caught.value


def test_an_anchor_bomb_is_refused_at_its_first_alias_before_any_expansion():
    assert 3000 < len(ANCHOR_BOMB.encode()) < 4000
    error = refusal(ANCHOR_BOMB)
    assert error.code == "YAML_ALIAS_REFUSED" and error.line == 3 and error.exit_code == 3


def test_an_anchor_bomb_outcome_file_is_refused_by_its_loader(tmp_path):
    path = tmp_path / "course.yaml"
    path.write_text(ANCHOR_BOMB, encoding="utf-8")
    with pytest.raises(YamlError) as caught:
        load_outcomes(path)
    assert caught.value.code == "YAML_ALIAS_REFUSED" and caught.value.file == str(path)


def test_one_harmless_alias_is_refused_too():
    assert refusal("a: &x 1\nb: *x\n").code == "YAML_ALIAS_REFUSED"


def test_deep_nesting_is_an_input_error_not_a_recursion_error():
    error = refusal("[" * 100_000)
    assert error.code == "YAML_INVALID" and "nested too deeply" in error.message


def test_a_5000_digit_integer_is_refused_with_its_line():
    error = refusal("mcred: outcomes/1\ncredits: " + "9" * 5000 + "\n")
    assert error.code == "YAML_INVALID" and error.line == 2 and "5,000 digits" in error.message


def test_a_field_given_twice_is_refused():
    error = refusal("mcred: outcomes/1\nmcred: pathway/1\n")
    assert error.code == "YAML_INVALID" and error.line == 2 and "given twice" in error.message


def test_dates_and_norway_stay_strings_and_lines_are_the_keys():
    data, lines = parse("issuer:\n  country: NO\naward_date: 2026-06-30\nn: 12\n", file="ok.yaml")
    assert data == {"issuer": {"country": "NO"}, "award_date": "2026-06-30", "n": 12}
    assert lines["$.issuer.country"] == 2 and lines["$.award_date"] == 3


def test_a_control_character_is_refused_with_its_line():
    error = refusal("mcred: outcomes/1\ntitle: a\x00b\n")
    assert error.code == "YAML_INVALID" and error.line == 2 and "#x0000" in error.message
