"""Whether a reading of a scenario is plausible, checked against the twin's own plans and
prices before any number is computed, and the reading told back in plain words.

A reading is implausible when:

- a price change is more than ``SHARE_LIMIT`` of the cheapest affected plan's price (a
  percent change more than ``PCT_LIMIT``);
- a "from" price is smaller than its change (a $10 rise to $95 read as from $10);
- a credit, discount or cut is read as a rise, or a rise as a cut: by the kind (a service
  credit, loyalty reward or retention offer that raises the price), or by the text's
  direction words (only words that lower a price, and a rise read; or the reverse);
- a launch price is read as a change (the change equals the new plan's or intro price).

With several changes (``changes``), each is checked on its own plans; the direction words of
the text are not applied to them, since one text then holds words for each way. A field set
by hand (``--set``, the form, a scenario file) is a confirmation: it is kept, shown and
stored, and not doubted again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cdt.scenario.changes import format_changes
from cdt.scenario.cues import LOWERS, RAISES
from cdt.scenario.describe import article, money, tenure_words
from cdt.scenario.direction import discount_moves
from cdt.scenario.model import PLANS, Change, Kind, Scenario
from cdt.scenario.prices import TWO_CHANGES
from cdt.scenario.rules import BOUNDS

SHARE_LIMIT = 0.5  # of the cheapest affected plan's monthly price
PCT_LIMIT = 50.0
_BENEFITS = (Kind.SERVICE_CREDIT, Kind.LOYALTY_REWARD, Kind.RETENTION_OFFER)


@dataclass(frozen=True)
class Doubt:
    """One implausible field: what was read, in plain words, why it is doubted, and the
    ``--set`` that confirms or corrects it."""

    field: str
    reading: str
    why: str
    confirm: str
    advice: str = ""  # what to do instead of confirming, where a confirmation means nothing

    def message(self) -> str:
        return f"{self.field} reads as {self.reading}, which is implausible: {self.why}"

    def fix(self) -> str:
        if self.advice:
            return self.advice
        if self.field.startswith("change "):  # one of several: the list is set as a whole
            return f"confirm with --set {self.confirm}, or correct the change in that list"
        return f"confirm with --set {self.confirm}, or correct it with --set {self.field}=VALUE"


def _an(share: float) -> str:
    """The article before a share as a percent: "an 80%", "an 11%", "a 9%"."""
    return article(f"{share * 100:.0f}")


def _number(value: float) -> str:
    return f"{value:g}"


def affected(plans: list[str], prices: dict[str, float]) -> dict[str, float]:
    """The prices of the plans a change reaches: all of the twin's plans when it names none."""
    named = plans or [p for p in PLANS if p in prices]
    return {p: prices[p] for p in named if p in prices}


def _said(change: Change, prices: dict[str, float]) -> str:
    """One change in plain words: "+$5 a month on Powder (a 9% rise on its $55 price)"."""
    plans = affected(change.plans, prices)
    where = ", ".join(change.plans) if change.plans else "every plan"
    if change.price_delta is None:
        pct = change.price_delta_pct or 0.0
        way = "rise" if pct >= 0 else "cut"
        said = f"{_an(abs(pct) / 100)} {abs(pct):g}% {way} in the monthly price on {where}"
        if plans:  # what it comes to on the twin's prices
            low, high = (abs(pct) / 100 * v for v in (min(plans.values()), max(plans.values())))
            span = money(low) if len(plans) == 1 else f"{money(low)}–{money(high)}"
            said += f" (about {span} a month)"
        return said
    delta = change.price_delta
    words = f"{'+' if delta >= 0 else '-'}{money(delta)} a month on {where}"
    if plans:
        way = "rise" if delta >= 0 else "cut"
        cheapest, dearest = min(plans.values()), max(plans.values())
        most, least = abs(delta) / cheapest, abs(delta) / dearest
        if len(plans) == 1:
            words += f" ({_an(most)} {most:.0%} {way} on its {money(cheapest)} price)"
        else:
            words += (f" ({_an(least)} {least:.0%}–{most:.0%} {way} on prices of "
                      f"{money(cheapest)}–{money(dearest)})")  # fmt: skip
    if change.price_from is not None and change.price_to is not None:
        words += f", from {money(change.price_from)} to {money(change.price_to)}"
    return words


def reading(scenario: Scenario, prices: dict[str, float]) -> str:
    """What was read, in plain words: "+$5 a month on Powder (a 9% rise on its $55 price)";
    several changes are joined by "; ". What comes with it, how long it lasts and who it is
    for follow ("..., with in-flight Wi-Fi added; for customers in KS on Month-to-Month")."""
    said = _what(scenario, prices)
    if scenario.value_add and scenario.kind == Kind.PRICE_CHANGE_VALUE_ADD:
        said += f", with {scenario.value_add} added"
    if scenario.intro_price is not None and scenario.new_plan:
        months = f" for the first {scenario.price_months} months" if scenario.price_months else ""
        said += f" ({money(scenario.intro_price)} a month{months})"
    elif scenario.price_temporary and scenario.price_changes():
        said += f", for {scenario.price_months} months" if scenario.price_months else ", for a time"
    who = audience_words(scenario)
    return f"{said}; for customers {who}" if who else said


def audience_words(scenario: Scenario) -> str:
    """Who a reading is for beyond its plans, in words ("in KS, on Month-to-Month, with us at
    least 61 months"); empty for everyone on the plans."""
    bits = []
    tenure = tenure_words(scenario.tenure_min_months, scenario.tenure_max_months)
    if tenure:
        bits.append("with us " + tenure)
    if scenario.age_min is not None or scenario.age_max is not None:
        bits.append("aged " + _range(scenario.age_min, scenario.age_max, ""))
    where = [
        *scenario.states,
        *(f"the {r}" for r in scenario.regions),
        *scenario.places,
        *(f"DMA {d}" for d in scenario.dmas),
        *(f"ZIP {z}" for z in scenario.zips),
    ]
    if where:
        bits.append("in " + ", ".join(where))
    if scenario.contract_types:
        bits.append("on " + ", ".join(scenario.contract_types))
    if scenario.device_tiers:
        bits.append("with " + ", ".join(scenario.device_tiers) + " phones")
    if scenario.segments:
        bits.append("in " + ", ".join(scenario.segments))
    return ", ".join(bits)


def _range(low: int | None, high: int | None, unit: str) -> str:
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{low}–{high}{unit}"
    return f"at least {low}{unit}" if low is not None else f"at most {high}{unit}"


def _what(scenario: Scenario, prices: dict[str, float]) -> str:
    changes = scenario.price_changes()
    if changes:
        said = "; ".join(_said(c, prices) for c in changes)
        if scenario.kind == Kind.COMPETITOR_OFFER:  # "we answered by cutting Blizzard $5"
            return f"{_rivals(scenario)}, answered with {said}"
        return said
    if scenario.new_plan:
        price = f" at {money(scenario.new_plan_price)} a month" if scenario.new_plan_price else ""
        return f"a new plan, {scenario.new_plan}{price}"
    if scenario.kind == Kind.COMPETITOR_OFFER:
        said = _rivals(scenario)
        if scenario.offer_value is not None:
            months = f" a month for {scenario.offer_months} months" if scenario.offer_months else ""
            said += f", answered with an offer worth {money(scenario.offer_value)}{months}"
        return said
    if scenario.offer_value is not None:
        # an offer that lasts some months is worth its amount each month ("$10/mo off for 12")
        months = f" a month for {scenario.offer_months} months" if scenario.offer_months else ""
        return f"{scenario.kind.spoken()} worth {money(scenario.offer_value)}{months}"
    if scenario.kind == Kind.OTHER:
        return "no price, fee or offer for customers: nothing to simulate as it stands"
    if scenario.offer_months:  # "20% off your bill for a year": its dollar worth is not given
        return (f"{scenario.kind.spoken()} for {scenario.offer_months} months, its dollar "
                "worth not given")  # fmt: skip
    return f"{scenario.kind.spoken()} with no price change"


def _rivals(scenario: Scenario) -> str:
    """A competitor's offer in words: "Verizon's offer ($65 a month, $400 to switch)"."""
    rival = scenario.competitor or "a competitor"
    theirs = [f"{money(v)} {what}" for v, what in ((scenario.competitor_price, "a month"),
              (scenario.competitor_credit, "to switch")) if v is not None]  # fmt: skip
    return f"{rival}'s offer" + (f" ({', '.join(theirs)})" if theirs else "")


def doubts(scenario: Scenario, prices: dict[str, float]) -> list[Doubt]:
    """Every implausible field of ``scenario`` that was not set by hand."""
    confirmed = set(scenario.overrides)
    out: list[Doubt] = []
    several = bool(scenario.changes)
    if several and "changes" in confirmed:
        return out
    out += _bounds(scenario, confirmed)
    for n, change in enumerate(scenario.price_changes(), 1):
        said = _said(change, prices)
        if several:
            field, confirm = f"change {n}", f"changes='{format_changes(scenario.changes)}'"
            out += _doubted(scenario, change, prices, field, said, confirm)
            continue
        if change.price_delta is not None and "price_delta" not in confirmed:
            confirm = f"price_delta={_number(change.price_delta)}"
            out += _doubted(scenario, change, prices, "price_delta", said, confirm)
        elif change.price_delta is None and "price_delta_pct" not in confirmed:
            confirm = f"price_delta_pct={_number(change.price_delta_pct or 0)}"
            out += _doubted(scenario, change, prices, "price_delta_pct", said, confirm)
    return out


def _bounds(scenario: Scenario, confirmed: set[str]) -> list[Doubt]:
    """An audience whose bounds were read the wrong way round ("over 5 years and under 2
    years" is two groups, or a misreading): the rules left both out, and numbers for everyone
    would answer a question nobody asked."""
    out = []
    for warning in scenario.warnings:
        m = re.match(r"(tenure in months|age) read as at least (\d+) and at most (\d+), " + BOUNDS,
                     warning)  # fmt: skip
        if not m:
            continue
        low, high = ("tenure_min_months", "tenure_max_months") if m[1] != "age" else (
            "age_min", "age_max")  # fmt: skip
        if low in confirmed or high in confirmed:
            continue
        unit = " months" if m[1] != "age" else ""
        out.append(Doubt(
            low,
            f"at least {m[2]} and at most {m[3]}{unit}, so the audience would be everyone",
            "one range cannot hold both; the text may name two groups",
            f"{high}={m[3]}",
            f"simulate each group on its own: --set {high}={m[3]}, then --set {low}={m[2]}",
        ))  # fmt: skip
    return out


def asides(scenario: Scenario, prices: dict[str, float]) -> list[str]:
    """What is worth saying about a plausible reading: a "from" price that is not the twin's
    price of the one plan it names (the change is applied to the twin's price as read)."""
    out = []
    for change in scenario.price_changes():
        plans = affected(change.plans, prices)
        if change.price_from is None or len(plans) != 1:
            continue
        ((plan, price),) = plans.items()
        if abs(change.price_from - price) > 0.1 * price:
            sign = "+" if (change.price_delta or 0) >= 0 else "-"
            out.append(
                f"the text's price before, {money(change.price_from)}, is not {plan}'s price in "
                f"the twin ({money(price)}): the change, {sign}{money(change.price_delta or 0)}"
                ", is applied to the twin's price"
            )
    return out


def _doubted(scenario: Scenario, change: Change, prices: dict[str, float], field: str,
             said: str, confirm: str) -> list[Doubt]:  # fmt: skip
    """Why one change is implausible, if it is."""
    out: list[Doubt] = []
    pct, delta = change.price_delta_pct, change.price_delta
    if delta is None:
        if abs(pct or 0) > PCT_LIMIT:
            out.append(Doubt(field, said, f"more than {PCT_LIMIT:g}%", confirm))
        wrong = _direction(scenario, pct or 0)
        if wrong:
            out.append(Doubt(field, said, wrong, confirm))
        return out
    plans = affected(change.plans, prices)
    cheapest = min(plans.values()) if plans else None
    if cheapest and abs(delta) > SHARE_LIMIT * cheapest:
        whose = (
            f"{next(iter(plans))}'s price"
            if len(plans) == 1
            else "the cheapest affected plan's price"
        )
        why = f"more than {SHARE_LIMIT:.0%} of {whose} ({money(cheapest)})"
        out.append(Doubt(field, said, why, confirm))
    if change.price_from is not None and change.price_to is not None:
        moved = round(change.price_to - change.price_from, 2)
        if abs(moved - delta) > 0.005:
            named = f"{money(change.price_from)} to {money(change.price_to)}"
            sign = "+" if moved >= 0 else "-"
            out.append(Doubt(field, said, f"the prices it names, {named}, are a change of "
                             f"{sign}{money(moved)}", confirm))  # fmt: skip
    if change.price_from is not None and change.price_from < abs(delta):
        why = f"the price it changes from ({money(change.price_from)}) is smaller"
        out.append(Doubt(field, said, f"{why} than the change", confirm))
    launch = {scenario.new_plan_price, scenario.intro_price} - {None}
    if scenario.new_plan and abs(delta) in launch:
        out.append(Doubt(field, said, "it is the new plan's own price, not a change", confirm))
    if delta > 0 and _called_given(scenario.text, delta):
        out.append(Doubt(field, said, "the text calls this amount a credit or a discount, which "
                         "lowers a bill, but a rise is read", confirm))  # fmt: skip
    wrong = None if scenario.changes else _direction(scenario, delta)
    if wrong:
        out.append(Doubt(field, said, wrong, confirm))
    two = next((w for w in scenario.warnings if w.startswith(TWO_CHANGES)), None)
    if two:
        out.append(Doubt(field, said, two + ": set each change (--set changes='PLANS:SIZE; "
                         "PLANS:SIZE')", confirm))  # fmt: skip
    return out


def _called_given(text: str, amount: float) -> bool:
    """Whether ``text`` names ``amount`` as money given back ("a $5 bill credit", "$5 off")."""
    written = re.escape(f"{amount:g}")
    return bool(re.search(rf"\$\s?{written}(?:\.00?)?\b[^.;$]{{0,25}}?\b(?:credit|rebate|discount|"
                          rf"off|back|refund)\b", text, re.IGNORECASE))  # fmt: skip


def _direction(scenario: Scenario, change: float) -> str | None:
    """Why the change's sign contradicts the scenario's kind or its words, if it does."""
    if change > 0 and scenario.kind in _BENEFITS:
        return f"{scenario.kind.spoken()} is read as a price rise"
    text = scenario.text
    if not text or scenario.kind not in (Kind.PRICE_CHANGE, Kind.FEE) or discount_moves(text):
        return None  # a discount that shrinks raises the bill: its words run the other way
    up, down = bool(RAISES.search(text)), bool(LOWERS.search(text))
    if change > 0 and down and not up:
        return "the text only has words that lower a price, but a rise is read"
    if change < 0 and up and not down:
        return "the text only has words that raise a price, but a cut is read"
    return None
