"""Plausibility before numbers: a reading that cannot be right for the twin's own plans and
prices gets no numbers until it is confirmed, and every reading is told back in words."""

from __future__ import annotations

import pytest

from cdt import api
from cdt.config import Settings
from cdt.errors import ConfigError
from cdt.scenario import Scenario, parse, plausible
from cdt.scenario.model import Kind
from cdt.scenario.overrides import apply as apply_overrides

PRICES = {"Glacier": 25.0, "Powder": 55.0, "Blizzard": 75.0, "Avalanche": 140.0}


def test_a_change_too_large_for_the_plan_is_doubted_and_said_in_words() -> None:
    scenario = Scenario(kind=Kind.PRICE_CHANGE, price_delta=85.0, plans=["Blizzard"])
    (doubt,) = plausible.doubts(scenario, PRICES)
    assert doubt.field == "price_delta" and doubt.confirm == "price_delta=85"
    assert doubt.reading == "+$85 a month on Blizzard (a 113% rise on its $75 price)"
    assert "--set price_delta=85" in doubt.fix()


def test_a_from_price_smaller_than_its_change_is_doubted() -> None:
    scenario = Scenario(
        kind=Kind.PRICE_CHANGE,
        price_delta=30.0,
        price_from=10.0,
        price_to=40.0,
        plans=["Avalanche"],
    )
    assert any("smaller than the change" in d.why for d in plausible.doubts(scenario, PRICES))


@pytest.mark.parametrize(
    ("scenario", "says"),
    [
        (Scenario(kind=Kind.SERVICE_CREDIT, price_delta=10.0), "service credit is read as a"),
        (
            Scenario(
                text="a $5 discount on Powder",
                kind=Kind.PRICE_CHANGE,
                price_delta=5.0,
                plans=["Powder"],
            ),
            "only has words that lower",
        ),
        (
            Scenario(
                text="Powder goes up $5", kind=Kind.PRICE_CHANGE, price_delta=-5.0, plans=["Powder"]
            ),
            "only has words that raise",
        ),
        (
            Scenario(
                kind=Kind.NEW_PLAN,
                new_plan="Summit Max",
                new_plan_price=30.0,
                price_delta=30.0,
                plans=["Avalanche"],
            ),
            "new plan's own price",
        ),
        (Scenario(kind=Kind.PRICE_CHANGE, price_delta_pct=80.0), "more than 50%"),
        (
            Scenario(  # the rise words are in a question the text answers "No"
                text="Is my bill going up? No. Powder customers get a $5 bill credit",
                kind=Kind.PRICE_CHANGE,
                price_delta=5.0,
                plans=["Powder"],
            ),
            "calls this amount a credit",
        ),
        (  # a reading at odds with itself (an LLM's): the change and the prices it names
            Scenario(
                kind=Kind.PRICE_CHANGE,
                price_delta=5.0,
                price_from=95.0,
                price_to=85.0,
                plans=["Blizzard"],
            ),
            "are a change of -$10",
        ),
    ],
)
def test_a_reading_against_its_kind_or_words_is_doubted(scenario: Scenario, says: str) -> None:
    assert any(says in d.why for d in plausible.doubts(scenario, PRICES)), says


def test_a_shrinking_discount_is_a_rise_and_not_doubted() -> None:
    scenario = parse("The Powder autopay discount falls from $10 to $5 on June 1")
    assert scenario.price_delta == 5.0 and scenario.price_from is None
    assert any("read as a +$5 change to the bill" in w for w in scenario.warnings)
    assert plausible.doubts(scenario, PRICES) == []
    credit = parse("Is my bill going up? No. Powder customers get a $5 bill credit")
    assert credit.kind != Kind.PRICE_CHANGE and credit.offer_value == 5.0


def test_a_plain_reading_passes_and_a_confirmed_value_is_kept() -> None:
    assert plausible.doubts(parse("price increase $5 on Powder"), PRICES) == []
    doubted = parse("Blizzard goes up $60")
    assert plausible.doubts(doubted, PRICES)
    confirmed = apply_overrides(doubted, {"price_delta": "60"})
    assert plausible.doubts(confirmed, PRICES) == []
    assert confirmed.price_delta == 60.0 and confirmed.overrides == {"price_delta": 60.0}


def test_an_implausible_reading_gets_no_numbers_until_confirmed(calibrated_twin: Settings) -> None:
    with pytest.raises(ConfigError, match="implausible") as raised:
        api.simulate(calibrated_twin, parse("Glacier goes up $40 a month"))
    assert raised.value.exit_code == 2 and "--set price_delta=40" in str(raised.value.fix)
    assert api.history(calibrated_twin) == []  # nothing stored
    with pytest.raises(ConfigError, match="implausible"):
        api.sweep(
            calibrated_twin,
            parse("Blizzard goes up $60"),
            param="offer_value",
            start=0,
            stop=10,
            step=5,
        )
    plan = api.plan(calibrated_twin, parse("Glacier goes up $40 a month"))  # a dry run says so
    assert plan["doubts"] and any("implausible" in w for w in plan["warnings"])
    confirmed = apply_overrides(parse("Blizzard goes up $60"), {"price_delta": "60"})
    result = api.simulate(calibrated_twin, confirmed)
    assert result.scenario["reading"].startswith("+$60 a month on Blizzard")
    assert result.scenario["overrides"] == {"price_delta": 60.0}
    replay = api.history_show(calibrated_twin, result.simulation_id)
    assert replay["scenario"]["reading"] == result.scenario["reading"]


def test_two_changes_in_one_sentence_are_read_as_two() -> None:
    scenario = parse("Summit goes up $5 to $100 while Glacier drops $3 to $32")
    assert [c.words() for c in scenario.changes] == [
        "+$5 on Summit ($95 to $100)",
        "-$3 on Glacier ($35 to $32)",
    ]
    assert scenario.plans == ["Summit", "Glacier"] and scenario.price_delta is None
    assert plausible.doubts(scenario, PRICES | {"Summit": 95.0}) == []
    said = plausible.reading(scenario, PRICES | {"Summit": 95.0})
    assert said == (
        "+$5 a month on Summit (a 5% rise on its $95 price), from $95 to $100; "
        "-$3 a month on Glacier (a 12% cut on its $25 price), from $35 to $32"
    )


def test_each_of_several_changes_is_checked_on_its_own_plans() -> None:
    scenario = parse("Glacier goes up $20 and Avalanche $5")  # $20 is 80% of Glacier's $25
    (doubt,) = plausible.doubts(scenario, PRICES)
    assert doubt.field == "change 1" and doubt.reading.startswith("+$20 a month on Glacier")
    assert "changes='Glacier:+20; Avalanche:+5'" in doubt.fix()
    confirmed = apply_overrides(scenario, {"changes": "Glacier:+20; Avalanche:+5"})
    assert plausible.doubts(confirmed, PRICES) == []


def test_a_bill_credit_is_a_benefit_not_a_price_rise() -> None:
    scenario = parse("Every customer gets a $25 bill credit this month")
    assert scenario.kind == Kind.LOYALTY_REWARD and scenario.offer_value == 25.0
    assert scenario.price_delta is None and plausible.doubts(scenario, PRICES) == []


def test_numbers_read_through_a_proxy_say_so_in_the_headline(calibrated_twin: Settings) -> None:
    bare = api.simulate(calibrated_twin, parse("T-Mobile offers $200 a line to switch"))
    assert bare.overall["grounded"] is False and bare.overall["expected_churners"] is None
    assert "no number for T-Mobile's pull" in bare.recommendation  # ours are not theirs
    result = api.simulate(
        calibrated_twin,
        parse("T-Mobile offers $200 a line to switch, and we answer with a $15/mo credit"),
    )
    assert result.overall["proxy"].startswith("your $15 answer, scored as Snowmobile's past")
    assert "T-Mobile's own pull on our customers is not measured" in result.overall["proxy"]
    assert result.recommendation.startswith("Read through a proxy (your $15 answer")
    plain = api.simulate(calibrated_twin, parse("price increase $5"))
    assert plain.overall["proxy"] is None and plain.recommendation.startswith("Proceed")
    # the console's headline names the proxy before its figures
    import io

    from rich.console import Console

    from cdt import console

    for shown, named in ((result, True), (plain, False)):
        buffer = io.StringIO()
        console.show_overall(Console(file=buffer, width=300), shown.to_dict())
        headline = buffer.getvalue().splitlines()[0]
        assert headline.startswith("overall (read as your $15 answer") is named, headline


def test_a_price_before_that_is_not_the_twins_is_said_not_doubted() -> None:
    scenario = parse("Blizzard rises by $10 to $95")  # the twin's Blizzard is $75
    assert plausible.doubts(scenario, PRICES) == []
    (aside,) = plausible.asides(scenario, PRICES)
    assert aside == (
        "the text's price before, $85, is not Blizzard's price in the twin ($75): the change, "
        "+$10, is applied to the twin's price"
    )
    assert plausible.asides(parse("Blizzard rises by $5 to $80"), PRICES) == []


def test_a_percent_reading_says_what_it_comes_to_on_the_twins_prices() -> None:
    said = plausible.reading(parse("Prices go up 8% for Glacier and Avalanche"), PRICES)
    assert said == "an 8% rise in the monthly price on Glacier, Avalanche (about $2–$11.20 a month)"


def test_an_at_risk_audience_cdt_cannot_select_is_said(calibrated_twin: Settings) -> None:
    text = "Retention offer: $20 off for 6 months to at-risk customers"
    plan = api.plan(calibrated_twin, parse(text))
    assert any(w.startswith("'at-risk' customers are not an audience") for w in plan["warnings"])
    aimed = api.plan(calibrated_twin, parse(text).model_copy(update={"segments": ["SEG01"]}))
    assert not any("at-risk" in w for w in aimed["warnings"])


def test_a_tenure_is_said_as_people_say_it() -> None:
    """61 months and up is "more than 5 years", up to 23 months "less than 2 years"; a bound
    that is no whole year stays in months."""
    from cdt.scenario.describe import tenure_words

    assert tenure_words(61, None) == "more than 5 years"
    assert tenure_words(24, None) == "at least 2 years"
    assert tenure_words(None, 23) == "less than 2 years"
    assert tenure_words(None, 11) == "less than a year"
    assert tenure_words(None, 36) == "at most 3 years"
    assert tenure_words(7, None) == "at least 7 months"
    assert tenure_words(12, 23) == "12 to 23 months"
    assert tenure_words(None, None) == ""
