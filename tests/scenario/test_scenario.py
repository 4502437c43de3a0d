"""Scenario validation, deterministic parsing and templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cdt.errors import ConfigError
from cdt.scenario import MAX_SCENARIO, TEMPLATES, clean, from_template, parse, plausible
from cdt.scenario.describe import prompt_text
from cdt.scenario.overrides import apply, compose, load_file
from cdt.scenario.vocab import Kind


@pytest.mark.parametrize(
    ("text", "kind", "delta", "plans"),
    [
        ("price increase $5", "price_change", 5.0, []),
        (
            "Raise Powder and Blizzard by $3.50 per month",
            "price_change",
            3.5,
            ["Powder", "Blizzard"],
        ),
        ("cut the Glacier price by $5", "price_change", -5.0, ["Glacier"]),
        (
            "price increase $5 with streaming included ($10 value)",
            "price_change_value_add",
            5.0,
            [],
        ),
        ("T-Mobile offers $200 to switch", "competitor_offer", None, []),
        ("a 6-hour outage, $10 credit", "service_credit", None, []),
    ],
)
def test_parse(text: str, kind: str, delta: float | None, plans: list[str]) -> None:
    scenario = parse(text)
    assert scenario.kind == kind
    assert scenario.price_delta == delta
    assert scenario.plans == plans


def test_offers_carry_their_worth_not_a_price_change() -> None:
    switch = parse("T-Mobile offers $200 to switch")
    assert switch.competitor_credit == 200.0 and switch.price_delta is None
    credit = parse("a 6-hour outage, $10 credit")
    assert credit.offer_value == 10.0 and credit.price_delta is None


def test_set_overrides_any_field_on_free_text() -> None:
    scenario = apply(
        parse("price increase $5"),
        {"price_delta": "-10", "plans": "Powder", "tenure_min_months": "24"},
    )
    assert scenario.price_delta == -10.0 and scenario.plans == ["Powder"]
    assert scenario.tenure_min_months == 24
    assert scenario.overrides == {
        "price_delta": -10.0,
        "plans": ["Powder"],
        "tenure_min_months": 24,
    }
    assert "goes down by $10" in prompt_text(scenario)  # the persona reacts to the edit


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("colour", "red", "colour: no such scenario field"),
        ("tenure_min_months", "-3", "tenure_min_months"),
        ("plans", "Titanium", "plans"),
        ("price_delta_pct", "150", "price_delta_pct"),
        ("price_delta", "five", "not a number"),
        ("kind", "price_hike", "kind"),
        ("price_temporary", "maybe", "true or false"),
        ("states", "Texas", "states"),
    ],
)
def test_bad_overrides_name_the_field(field: str, value: str, message: str) -> None:
    before = parse("price increase $5")
    with pytest.raises(ConfigError, match=message):
        apply(before, {field: value})
    assert before.price_delta == 5.0 and before.overrides == {}


def test_scenario_files_toml_and_json(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text('kind = "fee"\nprice_delta = 2\nstates = ["TX", "OK"]\n', encoding="utf-8")
    scenario = load_file(toml)
    assert scenario.kind == "fee" and scenario.price_delta == 2 and scenario.states == ["TX", "OK"]
    assert scenario.source == "file" and "A fee" in prompt_text(scenario)
    data = tmp_path / "s.json"
    data.write_text(json.dumps({"text": "Avalanche drops from $95 to $85", "channel": "SMS"}))
    read = load_file(data)
    assert read.price_delta == -10 and read.channel == "SMS" and read.plans == ["Avalanche"]
    bad = tmp_path / "bad.toml"
    bad.write_text("kind = 'fee'\ntenure_min_months = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="tenure_min_months"):
        load_file(bad)
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"kind": "fee", "amount": 3}', encoding="utf-8")
    with pytest.raises(ConfigError, match="no field"):
        load_file(unknown)


def test_one_source_at_a_time() -> None:
    with pytest.raises(ConfigError, match="give one scenario"):
        compose("price increase $5", template="fee")
    filled = compose(template="price_increase", values={"amount": "7", "tenure_max_months": "11"})
    assert filled.price_delta == 7.0 and filled.tenure_max_months == 11


def test_percent_and_value_add_worth() -> None:
    scenario = parse("increase all plan prices by 8% via email")
    assert scenario.price_delta_pct == 8.0 and scenario.price_delta is None
    assert scenario.channel == "Email"
    added = parse("raise Summit by $5 with Netflix included worth $10")
    assert added.value_add == "Netflix" and added.value_add_worth == 10.0


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


def test_templates_fill_and_parse_to_their_own_kind() -> None:
    for template in TEMPLATES.values():
        filled = from_template(template.name, {})
        assert filled.kind == template.kind and not any("kept as" in w for w in filled.warnings)
    scenario = from_template("price_increase", {"amount": "7", "plans": "Blizzard"})
    assert scenario.kind == "price_change" and scenario.price_delta == 7.0
    assert scenario.plans == ["Blizzard"] and scenario.template == "price_increase"
    with pytest.raises(ConfigError, match="unknown template"):
        from_template("price_hike", {})
    with pytest.raises(ConfigError, match="no parameter"):
        from_template("price_increase", {"colour": "red"})


def test_campaign_rows_may_carry_scenario_columns() -> None:
    from cdt.agents.campaign import variants_from_rows

    plain_row = {"variant": "plain", "scenario": "price increase $5", "tenure_min_months": "24"}
    texas_row = {"variant": "tx", "template": "price_increase", "amount": "3", "states": "TX"}
    rows = [plain_row | {"template": ""}, texas_row | {"scenario": ""}]
    (_, plain), (_, texas) = variants_from_rows(rows)
    assert plain.price_delta == 5 and plain.tenure_min_months == 24
    assert texas.price_delta == 3 and texas.states == ["TX"] and texas.template == "price_increase"
    with pytest.raises(ConfigError, match=r"line 2 \(plain\).*colour"):
        variants_from_rows([{"variant": "plain", "scenario": "price increase $5", "colour": "red"}])


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Glacier rises $2 for customers with more than 5 years and under 2 years of tenure.",
         "tenure_min_months", "tenure_max_months"),
        ("Summit drops $3 for customers over 70 and under 30.", "age_min", "age_max"),
    ],
)  # fmt: skip
def test_bounds_that_cannot_both_hold_get_no_numbers_until_set(
    text: str, low: str, high: str
) -> None:
    scenario = parse(text)  # read, not refused; but everyone is no answer to "two groups"
    assert getattr(scenario, low) is None
    assert getattr(scenario, high) is None
    assert any("cannot both hold" in w for w in scenario.warnings)
    (doubt,) = plausible.doubts(scenario, {"Glacier": 25.0, "Summit": 95.0})
    assert doubt.field == low
    assert f"--set {high}=" in doubt.fix() and f"then --set {low}=" in doubt.fix()


def test_cities_are_read_without_in_only_when_they_are_us_places() -> None:
    assert parse("Chicago and Milwaukee Powder customers: Powder drops $4.").places == [
        "Chicago", "Milwaukee"
    ]  # fmt: skip
    kansas = parse("Kansas City customers: Powder goes from $45 to $50.")
    assert (kansas.places, kansas.states) == (["Kansas City"], [])
    assert parse("Loyal customers: Powder drops $4.").places == []
    assert parse("Prepaid customers: Glacier up $2.").places == []


@pytest.mark.parametrize(
    ("text", "delta", "before", "after"),
    [
        # older prices in the text do not beat a change spelled with the price it brings
        ("Blizzard cost $69 in 2020 and $75 since 2023; from June it goes up by $3 to $78.",
         3, 75, 78),
        ("Their bills average $64. From May, Flurry falls $4 for them, landing at $31.",
         -4, 35, 31),
        # the bill's own from/to, not the shrinking discount's pair
        ("The loyalty discount on Summit shrinks from $10 off to $4 off, so the bill moves from "
         "$85 to $91.", 6, 85, 91),
    ],
)  # fmt: skip
def test_a_change_is_read_with_the_price_it_brings(
    text: str, delta: float, before: float, after: float
) -> None:
    read = parse(text)
    assert (read.price_delta, read.price_from, read.price_to) == (delta, before, after)


def test_a_launch_reaches_only_the_plans_named_as_its_customers() -> None:
    yardstick = parse("Snowmobile launches Drizzle, a $30 plan between Glacier and Flurry.")
    assert yardstick.kind == Kind.NEW_PLAN and yardstick.plans == []
    offered = parse("Snowmobile launches Drizzle at $30, offered first to Glacier customers.")
    assert offered.plans == ["Glacier"]


def test_a_plan_said_to_stay_at_its_price_is_no_audience() -> None:
    read = parse("Flurry will rise 6% in May, while most of our base stays on Summit at $95.")
    assert read.price_delta_pct == 6 and read.plans == ["Flurry"]
    assert "read as the new price" not in " ".join(parse("Glacier rises by $2 to $27.").warnings)


def test_our_cut_in_answer_to_a_rival_is_a_price_change_of_ours() -> None:
    read = parse("AT&T took its unlimited plan to $58; we answered by cutting Blizzard $7 to $68.")
    assert read.kind == Kind.COMPETITOR_OFFER and read.competitor == "AT&T"
    assert (read.price_delta, read.price_from, read.price_to) == (-7, 75, 68)
    assert read.offer_value is None and read.competitor_price == 58
    said = plausible.reading(read, {"Blizzard": 75.0})
    assert said.startswith("AT&T's offer ($58 a month), answered with -$7 a month on Blizzard")


@pytest.mark.parametrize(
    ("text", "name", "price", "intro"),
    [
        ("Changelog: added plan Blackice ($110/mo) to catalog, West only.", "Blackice", 110, None),
        ("heard about 'Rime', the $30 prepaid plan? looks decent", "Rime", 30, None),
        ("Corrie plan: one-fifteen a month, intro $95 for four months.", "Corrie", 115, 95),
        ("Drumlin family plan, 3 lines for $90, $75 for the first 2 months.", "Drumlin", 90, 75),
        ("they're launching something called 'Verglas' at 40 bucks a month", "Verglas", 40, None),
        ("Moraine, launched in May at $60 a month, sold well.", "Moraine", 60, None),
        ("Cirque, our new data-only plan, costs $20.", "Cirque", 20, None),
    ],
)  # fmt: skip
def test_a_plan_called_by_a_new_name_alone_is_a_launch(
    text: str, name: str, price: float, intro: float | None
) -> None:
    read = parse(text)
    assert read.kind == Kind.NEW_PLAN and read.new_plan == name
    assert (read.new_plan_price, read.intro_price) == (price, intro)


@pytest.mark.parametrize(
    "text",
    [
        "Your Blizzard plan drops $5 to $70 from May.",  # our plan, not a new one
        "Holiday plan: $10 off Powder through the holidays.",  # a plan of action
        "Snowmobile named Rhea Ostrander chief financial officer; she ran a $2 billion budget.",
        "Verizon's 'Welcome' plan is $30 a line now.",  # a rival's plan
    ],
)
def test_a_name_beside_plan_is_no_launch_where_it_is_ours_a_persons_or_a_rivals(text: str) -> None:
    assert parse(text).new_plan is None


def test_a_price_said_the_spoken_way_is_in_hundreds() -> None:
    read = parse("Avalanche is going from one forty to one forty-nine next month.")
    assert (read.price_from, read.price_to, read.price_delta) == (140, 149, 9)


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        ("Powder goes up $3 and now includes international texting to 100 countries.",
         "international texting"),
        ("Blizzard rises $5, now with a free smartwatch line.", "smartwatch line"),
        ("Add international calling to your Glacier line for $5/mo.", "international calling"),
    ],
)  # fmt: skip
def test_a_thing_named_in_two_words_keeps_both(text: str, thing: str) -> None:
    assert parse(text).value_add == thing


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("As a thank-you for 7 years with Snowmobile, here's a $30 credit.", 84),
        ("Thanks for 2 years! Enjoy a free month of Hulu.", 24),
        ("A $10 reward for Summit members hitting 6 years.", 72),
        ("A gift for customers on their 4-year anniversary: $15 off the next bill.", 48),
    ],
)
def test_a_milestone_a_reward_thanks_is_a_tenure(text: str, months: int) -> None:
    assert parse(text).tenure_min_months == months


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("After the fiber cut, Snowmobile is crediting 3 months of service in Tulsa.", 3),
        ("Move up from Powder to Blizzard and get 4 months of Peacock.", 4),
        ("Upgrade Flurry to Powder: the first month is on us.", 1),
        ("Outage credit: a whole free month of service for Omaha customers.", 1),
    ],
)
def test_how_long_an_offer_lasts_when_it_gives_months_of_something(text: str, months: int) -> None:
    assert parse(text).offer_months == months


@pytest.mark.parametrize(
    ("text", "delta", "before", "after"),
    [
        ("Flurry is $38 now, it was thirty-five last month.", 3, 35, 38),
        ("Powder now $59 with Hulu thrown in, was 55.", 4, 55, 59),
        ("Glacier +$3, $28/mo now.", 3, 25, 28),
        ("Blizzard is $70 now ($5 less) for everyone.", -5, 75, 70),
        ("Summit will be $89 for the spring, rather than 95.", -6, 95, 89),
        ("They lowered Avalanche by ten to $130.", -10, 140, 130),
    ],
)
def test_a_price_now_and_the_price_it_was_make_a_pair(
    text: str, delta: float, before: float, after: float
) -> None:
    read = parse(text)
    assert (read.price_delta, read.price_from, read.price_to) == (delta, before, after)


def test_a_discount_that_shrinks_raises_the_bill_when_its_size_comes_first() -> None:
    assert parse("My $15 Summit discount is shrinking to $5 in June.").price_delta == 10


def test_a_from_to_pair_in_gigs_is_no_price() -> None:
    read = parse("Powder +$4 and its hotspot goes from 15 to 30 gigs.")
    assert (read.price_delta, read.price_from, read.price_to) == (4, None, None)


def test_customers_with_two_ages_are_an_age_range_and_texts_that_went_out_are_sms() -> None:
    read = parse("A $6 music pack for customers 19 to 23; the texts went out on Monday.")
    assert (read.age_min, read.age_max, read.channel) == (19, 23, "SMS")
    assert parse("A $20 credit for customers 10 to 15 years with us.").age_min is None


def test_a_city_with_its_state_written_out_is_a_place_without_in() -> None:
    read = parse("Tulsa, Oklahoma folks: a $10 outage credit is on its way.")
    assert (read.places, read.states) == (["Tulsa"], ["OK"])


def test_a_plan_whose_price_is_locked_is_the_locks_audience() -> None:
    assert parse("Price lock: Blizzard stays at $75 for two years, guaranteed.").plans == [
        "Blizzard"
    ]
    assert parse("Powder goes up $4 to $59. Avalanche stays at $140.").plans == ["Powder"]


def test_a_sentences_own_capital_is_no_part_of_a_value_adds_name() -> None:
    assert parse("Hotspot doubles on Flurry, which goes up $2.").value_add == "hotspot"
    assert parse("Flurry up $2 with Device Protection included.").value_add == "Device Protection"
    assert parse("Netflix comes with Summit, now $99.").value_add == "Netflix"


def test_how_long_a_writer_has_paid_and_a_kept_plans_for_now_are_no_temporary_price() -> None:
    paid = parse("Flurry dropped $4 to $31 in Reno. I've paid on time for 60 months.")
    kept = parse("Glacier +$1, Powder +$2. Summit untouched (for now).")
    assert (paid.price_temporary, paid.price_months, kept.price_temporary) == (False, None, False)
