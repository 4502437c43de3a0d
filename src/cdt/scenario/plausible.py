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

A field set by hand (``--set``, the form, a scenario file) is a confirmation: it is kept,
shown and stored, and not doubted again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cdt.scenario.kinds import DOWN, UP
from cdt.scenario.model import PLANS, Kind, Scenario
from cdt.scenario.prices import TWO_CHANGES

SHARE_LIMIT = 0.5  # of the cheapest affected plan's monthly price
PCT_LIMIT = 50.0
_UP = re.compile(rf"\b(?:{UP})", re.IGNORECASE)
_DOWN = re.compile(rf"\b(?:{DOWN})", re.IGNORECASE)
_BENEFITS = (Kind.SERVICE_CREDIT, Kind.LOYALTY_REWARD, Kind.RETENTION_OFFER)


@dataclass(frozen=True)
class Doubt:
    """One implausible field: what was read, in plain words, why it is doubted, and the
    ``--set`` that confirms or corrects it."""

    field: str
    reading: str
    why: str
    confirm: str

    def message(self) -> str:
        return f"{self.field} reads as {self.reading}, which is implausible: {self.why}"

    def fix(self) -> str:
        return f"confirm with --set {self.confirm}, or correct it with --set {self.field}=VALUE"


def _money(value: float) -> str:
    return f"${abs(value):,.2f}".replace(".00", "")


def _number(value: float) -> str:
    return f"{value:g}"


def affected(scenario: Scenario, prices: dict[str, float]) -> dict[str, float]:
    """The prices of the plans the scenario reaches (all of the twin's plans when it names
    none)."""
    named = scenario.plans or [p for p in PLANS if p in prices]
    return {p: prices[p] for p in named if p in prices}


def reading(scenario: Scenario, prices: dict[str, float]) -> str:
    """What was read, in plain words: "+$5 a month on Powder (a 9% rise on its $55 price)"."""
    plans = affected(scenario, prices)
    where = ", ".join(scenario.plans) if scenario.plans else "every plan"
    cheapest = min(plans.values()) if plans else None
    if scenario.price_delta is not None:
        sign = "+" if scenario.price_delta >= 0 else "-"
        words = f"{sign}{_money(scenario.price_delta)} a month on {where}"
        if cheapest:
            way = "rise" if scenario.price_delta >= 0 else "cut"
            dearest = max(plans.values())
            most, least = abs(scenario.price_delta) / cheapest, abs(scenario.price_delta) / dearest
            if len(plans) == 1:
                words += f" (a {most:.0%} {way} on its {_money(cheapest)} price)"
            else:
                words += (f" (a {least:.0%}–{most:.0%} {way} on prices of "
                          f"{_money(cheapest)}–{_money(dearest)})")  # fmt: skip
        if scenario.price_from is not None and scenario.price_to is not None:
            words += f", from {_money(scenario.price_from)} to {_money(scenario.price_to)}"
        return words
    if scenario.price_delta_pct is not None:
        way = "rise" if scenario.price_delta_pct >= 0 else "cut"
        return f"a {abs(scenario.price_delta_pct):g}% {way} on {where}"
    if scenario.new_plan:
        price = f" at {_money(scenario.new_plan_price)} a month" if scenario.new_plan_price else ""
        return f"a new plan, {scenario.new_plan}{price}"
    if scenario.offer_value is not None:
        months = f" for {scenario.offer_months} months" if scenario.offer_months else ""
        return f"an offer worth {_money(scenario.offer_value)}{months} ({scenario.kind.value})"
    return f"a {scenario.kind.value.replace('_', ' ')} with no price change"


def doubts(scenario: Scenario, prices: dict[str, float]) -> list[Doubt]:
    """Every implausible field of ``scenario`` that was not set by hand."""
    said = reading(scenario, prices)
    confirmed = set(scenario.overrides)
    out: list[Doubt] = []
    delta, pct = scenario.price_delta, scenario.price_delta_pct
    plans = affected(scenario, prices)
    if delta is not None and "price_delta" not in confirmed:
        confirm = f"price_delta={_number(delta)}"
        cheapest = min(plans.values()) if plans else None
        if cheapest and abs(delta) > SHARE_LIMIT * cheapest:
            why = f"more than {SHARE_LIMIT:.0%} of the affected plans' cheapest price"
            out.append(Doubt("price_delta", said, f"{why} ({_money(cheapest)})", confirm))
        if scenario.price_from is not None and scenario.price_from < abs(delta):
            why = f"the price it changes from ({_money(scenario.price_from)}) is smaller"
            out.append(Doubt("price_delta", said, f"{why} than the change", confirm))
        launch = {scenario.new_plan_price, scenario.intro_price} - {None}
        if scenario.new_plan and abs(delta) in launch:
            out.append(Doubt("price_delta", said, "it is the new plan's own price, not a change",
                             confirm))  # fmt: skip
        wrong = _direction(scenario, delta)
        if wrong:
            out.append(Doubt("price_delta", said, wrong, confirm))
        two = next((w for w in scenario.warnings if w.startswith(TWO_CHANGES)), None)
        if two:
            out.append(Doubt("price_delta", said, two + ": simulate each change on its own "
                             "(--set plans=… --set price_delta=…)", confirm))  # fmt: skip
    if pct is not None and "price_delta_pct" not in confirmed:
        confirm = f"price_delta_pct={_number(pct)}"
        if abs(pct) > PCT_LIMIT:
            out.append(Doubt("price_delta_pct", said, f"more than {PCT_LIMIT:g}%", confirm))
        wrong = _direction(scenario, pct)
        if wrong:
            out.append(Doubt("price_delta_pct", said, wrong, confirm))
    return out


def _direction(scenario: Scenario, change: float) -> str | None:
    """Why the change's sign contradicts the scenario's kind or its words, if it does."""
    if change > 0 and scenario.kind in _BENEFITS:
        return f"a {scenario.kind.value.replace('_', ' ')} is read as a price rise"
    text = scenario.text
    if not text or scenario.kind not in (Kind.PRICE_CHANGE, Kind.FEE):
        return None
    up, down = bool(_UP.search(text)), bool(_DOWN.search(text))
    if change > 0 and down and not up:
        return "the text only has words that lower a price, but a rise is read"
    if change < 0 and up and not down:
        return "the text only has words that raise a price, but a cut is read"
    return None
