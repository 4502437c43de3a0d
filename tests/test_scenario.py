"""Scenario validation, deterministic parsing and templates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cdt.agents.scenario import MAX_SCENARIO, TEMPLATES, clean, from_template, parse
from cdt.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "kind", "delta", "plans"),
    [
        ("price increase $5", "price_increase", 5.0, []),
        (
            "Raise Powder and Blizzard by $3.50 per month",
            "price_increase",
            3.5,
            ["Powder", "Blizzard"],
        ),
        ("cut the Glacier price by $5", "price_decrease", -5.0, ["Glacier"]),
        (
            "price increase $5 with streaming included ($10 value)",
            "price_increase_value_add",
            5.0,
            [],
        ),
        ("T-Mobile offers $200 to switch", "competitor_offer", None, []),
        ("a 6-hour outage, $10 credit", "outage_credit", None, []),
    ],
)
def test_parse(text: str, kind: str, delta: float | None, plans: list[str]) -> None:
    scenario = parse(text)
    assert scenario.kind == kind
    assert scenario.price_delta == delta
    assert scenario.plans == plans


def test_offers_carry_their_worth_not_a_price_change() -> None:
    assert parse("T-Mobile offers $200 to switch").offer_value == 200.0
    assert parse("a 6-hour outage, $10 credit").offer_value == 10.0


def test_percent_and_value_add_worth() -> None:
    scenario = parse("increase all plan prices by 8% via email")
    assert scenario.price_delta_pct == 8.0 and scenario.price_delta is None
    assert scenario.channel == "Email"
    added = parse("raise Summit by $5 with Netflix included worth $10")
    assert added.value_add == "netflix" and added.value_add_worth == 10.0


@pytest.mark.parametrize("text", ["", "   ", "\x00\x07\x1b"])
def test_empty_scenarios_are_rejected(text: str) -> None:
    with pytest.raises(ConfigError, match="empty"):
        clean(text)


def test_long_scenarios_are_rejected_and_control_characters_removed() -> None:
    with pytest.raises(ConfigError, match="at most 4,000"):
        clean("x" * (MAX_SCENARIO + 1))
    assert clean("price\x00 increase\x1b[31m $5") == "price increase [31m $5"


@given(st.text(max_size=300))
def test_any_text_parses_or_is_rejected_cleanly(text: str) -> None:
    try:
        scenario = parse(text)
    except ConfigError:
        return
    assert scenario.text == scenario.text.strip() and scenario.text


def test_templates_fill_and_parse() -> None:
    assert len(TEMPLATES) == 8
    scenario = from_template("price_increase", {"amount": "7", "plans": "Blizzard"})
    assert scenario.kind == "price_increase" and scenario.price_delta == 7.0
    assert scenario.plans == ["Blizzard"] and scenario.template == "price_increase"
    with pytest.raises(ConfigError, match="unknown template"):
        from_template("price_hike", {})
    with pytest.raises(ConfigError, match="no parameter"):
        from_template("price_increase", {"colour": "red"})
