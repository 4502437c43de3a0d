"""A typed scenario told back in words: for the persona's prompt when fields were set by hand,
and for people reading what cdt understood."""

from __future__ import annotations

import re

from cdt.scenario.model import Scenario


def years(months: int) -> str:
    """Whole years of ``months`` in words: "a year", "5 years"."""
    return "a year" if months == 12 else f"{months // 12} years"


def tenure_words(low: int | None, high: int | None) -> str:
    """A tenure range as people say it: "more than 5 years" (61 months and up), "less than 2
    years" (up to 23 months), "12 to 23 months"."""
    if low is not None and high is not None:
        return f"{low} to {high} months"
    if low is not None:
        if low > 1 and (low - 1) % 12 == 0:
            return f"more than {years(low - 1)}"
        return f"at least {years(low)}" if low % 12 == 0 else f"at least {low} months"
    if high is not None:
        if (high + 1) % 12 == 0:
            return f"less than {years(high + 1)}"
        return f"at most {years(high)}" if high and high % 12 == 0 else f"at most {high} months"
    return ""


def money(value: float) -> str:
    """An amount as it is written in a sentence: "$5", "$4.99", "$1,200"."""
    return f"${abs(value):,.2f}".replace(".00", "")


def article(said: str) -> str:
    """ "a" or "an" before an amount or a number as it is read aloud: an $8 rise, an 11% cut,
    an $18 bill, a $28 bill, an $80 plan."""
    found = re.match(r"\$?([\d,]+)", said)
    if not found:
        return "an" if said[:1].lower() in tuple("aeiou") else "a"
    digits = found.group(1).replace(",", "")
    eleven = len(digits) % 3 == 2 and digits[:2] in ("11", "18")  # eleven, eighteen (thousand)
    return "an" if digits.startswith("8") or eleven else "a"


def describe(scenario: Scenario) -> str:
    """One or two sentences saying what ``scenario`` is and whom it reaches."""
    kind = scenario.kind.spoken()
    parts = [kind[:1].upper() + kind[1:] + " from Snowmobile Wireless"]
    if scenario.price_delta is not None:
        way = "up" if scenario.price_delta >= 0 else "down"
        parts.append(f"the monthly price goes {way} by {money(scenario.price_delta)}")
    elif scenario.price_delta_pct is not None:
        way = "up" if scenario.price_delta_pct >= 0 else "down"
        parts.append(f"the monthly price goes {way} by {abs(scenario.price_delta_pct):g}%")
    if scenario.price_from is not None and scenario.price_to is not None:
        parts.append(f"from {money(scenario.price_from)} to {money(scenario.price_to)} a month")
    if scenario.price_months:
        parts.append(f"for {scenario.price_months} months")
    if scenario.new_plan:
        parts.append(f"the new plan is {scenario.new_plan}")
    if scenario.new_plan_price is not None:
        parts.append(f"at {money(scenario.new_plan_price)} a month")
    if scenario.intro_price is not None:
        parts.append(f"introductory price {money(scenario.intro_price)} a month")
    if scenario.value_add:
        worth = f" worth {money(scenario.value_add_worth)}" if scenario.value_add_worth else ""
        parts.append(f"with {scenario.value_add}{worth} included")
    if scenario.offer_value is not None:
        months = f" for {scenario.offer_months} months" if scenario.offer_months else ""
        parts.append(f"the offer is worth {money(scenario.offer_value)}{months}")
    if scenario.target_plan:
        parts.append(f"moving customers to {scenario.target_plan}")
    if scenario.competitor:
        bits = [scenario.competitor]
        if scenario.competitor_price is not None:
            bits.append(f"at {money(scenario.competitor_price)} a month")
        if scenario.competitor_credit is not None:
            bits.append(f"with a {money(scenario.competitor_credit)} switching credit")
        parts.append("competitor: " + " ".join(bits))
    if scenario.channel:
        parts.append(f"announced by {scenario.channel}")
    text = parts[0] + (": " + ", ".join(parts[1:]) if len(parts) > 1 else "") + "."
    audience = audience_text(scenario)
    return text + (f" It is for {audience}." if audience else "")


def audience_text(scenario: Scenario) -> str:
    """Whom ``scenario`` reaches, in words ("" for everyone)."""
    bits = []
    if scenario.plans:
        bits.append("customers on " + ", ".join(scenario.plans))
    tenure = tenure_words(scenario.tenure_min_months, scenario.tenure_max_months)
    if tenure:
        bits.append(f"{tenure} with us")
    if scenario.age_min is not None or scenario.age_max is not None:
        bits.append(f"aged {scenario.age_min or 0} to {scenario.age_max or 'any'}")
    for name, label in (("states", "in"), ("regions", "in the"), ("dmas", "in DMA"),
                        ("zips", "in ZIP"), ("places", "in"), ("segments", "in segment"),
                        ("contract_types", "on"), ("device_tiers", "with")):  # fmt: skip
        values = getattr(scenario, name)
        if values:
            bits.append(f"{label} {', '.join(values)}")
    return "; ".join(bits)


def prompt_text(scenario: Scenario) -> str:
    """What a persona reacts to: the user's own words, or, when fields were set by hand (or
    there are no words), the scenario described from its fields."""
    if scenario.overrides or not scenario.text:
        return describe(scenario)
    return scenario.text
