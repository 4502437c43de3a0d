"""The form half of the gate, one test per rejection reason."""

from __future__ import annotations

import pytest

from cdt.voices.form import Context, age_range, check, repeated_fields, trim

SEGMENT = Context(
    segment_name="Low-Spend Budget-Plan",
    sources=("Snowmobile Wireless raises the price of the Powder plan by $5 per month.",),
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("First Last, Age", "placeholder"),
        ("I live in City, State.", "placeholder"),
        ("Well… I guess.", "placeholder"),
        ("42% of customers like me would stay.", "statistic"),
        ("About 12 in 100 people like me would complain.", "count out of 100"),
        ("Only 3 out of every 100 of us leave.", "count out of 100"),
        ("My avg_arpu is fine.", "data column"),
        ("As a Low-Spend Budget-Plan customer I object.", "names the segment"),
        ("Snowmobile Wireless raises the price of the Powder plan. Fine.", "copies the prompt"),
        ("I'm not sure but I'm not sure but I'm not sure but I'm", "repeats itself"),
        ("SpecterSpecter is here.", "repeats itself"),
        ("I'm going to make sure you don't have to", "cut off"),
        ("", "empty"),
        ("Given a churn probability of 0.34, leaving was expected.", "statistic"),
        ("As this customer, I ignored the fee.", "task"),
        ("Switched because the $200 and also, so when the line, but then my.", "halfway"),
        ("Two dollars for paper, and by paper I mean the the bill.", "repeats itself"),
    ],
)
def test_each_rejection_reason(text: str, reason: str) -> None:
    verdict = check(text, SEGMENT)
    assert not verdict.ok and reason in str(verdict.reason)


def test_a_text_that_repeats_a_short_scenario_is_an_echo() -> None:
    short = Context(sources=("price increase $5",))
    echo = "My reaction: price increase $5. I said it: price increase $5."
    assert "repeats the scenario" in str(check(echo, short).reason)
    assert check("A price increase of $5 is steep for me.", short).ok


def test_a_quote_is_the_customer_speaking_not_a_story_about_them() -> None:
    story = check("She thinks the fee is unfair and calls support.", SEGMENT, quote=True)
    assert "story" in str(story.reason)
    assert check("Another five bucks a month? That adds up fast.", SEGMENT, quote=True).ok
    assert check("That is too much for me.", SEGMENT, quote=True).ok


def test_text_cut_off_after_a_sentence_is_trimmed() -> None:
    assert trim("I will stay. But if they raise it again I") == "I will stay."
    verdict = check("I will stay. But if they raise it again I", SEGMENT)
    assert verdict.ok and verdict.text == "I will stay."
    assert check("Every dollar counts", SEGMENT).ok  # a tagline, not a cut-off sentence
    assert not check("Short and plain, because I", SEGMENT).ok


def test_an_age_that_contradicts_the_data_is_rejected() -> None:
    sixties = Context(age=age_range("60-69"))
    assert "age (14)" in str(check("I'm a 14-year-old boy who loves cool stuff.", sixties).reason)
    assert check("I'm a 64-year-old retiree.", sixties).ok
    assert check("My 14-year-old son wants a phone.", Context(age=age_range(14))).ok
    assert age_range(42) == (42, 42) and age_range("40-49") == (40, 49) and age_range("") is None


def test_listing_the_answers_field_names_is_rejected() -> None:
    fields = Context(field_names=("satisfied", "frustrated", "considering_change"))
    verdict = check("Satisfied, frustrated, considering change", fields)
    assert "field names" in str(verdict.reason)
    assert check("I was frustrated when my bill went up.", fields).ok


def test_a_field_that_repeats_another_is_rejected() -> None:
    texts = {
        "personality_description": "I'm a customer who loves the freedom to make decisions.",
        "communication_style": "I'm a customer who loves the freedom to make decisions.",
        "decision_making_style": "I compare prices before I change anything.",
        "sample_quotes.satisfied": "A customer who loves the freedom to make decisions, I am.",
    }
    assert repeated_fields(texts) == {
        "communication_style": "it repeats personality_description",
        "sample_quotes.satisfied": "it repeats personality_description",
    }
    assert not repeated_fields({"a": "Fine.", "b": "Fine."})  # too short to call a repeat
