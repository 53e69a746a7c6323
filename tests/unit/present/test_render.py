"""The reporters' words for people (mcred.present.render): the rule behind a stack's figures."""

from __future__ import annotations

from mcred.present.render import hours_rule


def test_hours_that_make_the_credits_say_the_rule():
    assert hours_rule("6", "150") == ("150 hours = 6 CFU (25 hours per credit)", True)
    assert hours_rule("0.1", "2.5") == ("2.5 hours = 0.1 CFU (25 hours per credit)", True)


def test_hours_that_do_not_make_the_credits_are_flagged_with_the_rule():
    """Negative: 5 CFU beside 150 hours (6 CFU at 25 hours each) is flagged, saying which rule makes 6."""
    words, agree = hours_rule("5", "150")
    assert not agree
    assert words.startswith("150 hours = 6 CFU (25 hours per credit): not the 5 CFU the components state")
