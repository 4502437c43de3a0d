"""Numbers from data: a typed scenario in the response model's terms, or no numbers at all.

Each kind of scenario maps to campaign types of the history (``cdt.scenario.model``). A kind
with none, or whose campaign type this twin's history lacks, is not grounded: it gets words
and no number, unless the user names a proxy campaign type (``--set proxy=...``). A value
outside the history's range is extrapolated, which widens its intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cdt.calibrate import Inputs
from cdt.calibrate.logit import NOTICE
from cdt.errors import ConfigError
from cdt.scenario import Kind, Scenario
from cdt.scenario.model import CAMPAIGN_TYPES, PRICE_KINDS

NOT_GROUNDED = "not grounded: no comparable campaign in the history"
#: why a text that is no event for customers ("we rename the company") gets no numbers
NOTHING_TO_GROUND = "not grounded: the text names no price, fee or offer for customers"


@dataclass(frozen=True)
class Grounding:
    """How a scenario's numbers are read: the model's inputs, or why there are none."""

    inputs: Inputs | None
    reason: str = ""  # why there are no numbers
    notes: tuple[str, ...] = field(default_factory=tuple)
    proxy: str | None = None  # what the numbers stand in for, when they answer another question

    @property
    def grounded(self) -> bool:
        return self.inputs is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "grounded": self.grounded,
            "campaign_type": self.inputs.campaign_type if self.inputs else None,
            "reason": self.reason or None,
            "notes": list(self.notes),
            "proxy": self.proxy,
        }


def no_pull(rival: str) -> str:
    """Why a competitor's offer gets no number: the history holds our answers, not theirs."""
    return (
        f"no number for {rival}'s pull on our customers: the history holds Snowmobile's own "
        "price-match answers to competitors, not what a rival's offer does to our churn. To "
        "score an answer, say it (e.g. '… and we answer with a $15/mo credit'), or read the "
        "offer as our past answers with --set proxy='Competitor Response'"
    )


def proxy_type(proxy: str, known: list[str]) -> str:
    """The history's campaign type that ``proxy`` names (case and separators ignored).

    Raises:
        ConfigError: no such campaign type in the history.
    """
    wanted = proxy.strip().lower().replace("_", " ").replace("-", " ")
    for kind in known:
        if kind.lower().replace("-", " ") == wanted:
            return kind
    raise ConfigError(
        f"proxy: the history has no '{proxy}' campaigns",
        fix=f"name one of {', '.join(sorted(known))}",
    )


def ground(scenario: Scenario, facts: dict[str, Any]) -> Grounding:
    """The response model's inputs for ``scenario``, given what its history covers
    (``facts``: per campaign type, see ``cdt.calibrate.facts``).

    Raises:
        ConfigError: a proxy that is not a campaign type of the history.
    """
    types, stretch = CAMPAIGN_TYPES[scenario.kind]
    notes: list[str] = []
    campaign_type: str | None
    if scenario.proxy:
        campaign_type = proxy_type(scenario.proxy, list(facts))
        notes.append(f"read as the history's '{campaign_type}' campaigns, the proxy you named")
    else:
        campaign_type = next((t for t in types if t in facts), None)
        if campaign_type is None:
            known = ", ".join(f"'{t}'" for t in sorted(facts))
            if scenario.kind == Kind.OTHER:
                return Grounding(None, (
                    f"{NOTHING_TO_GROUND}. If it does, say what it is with --set kind=KIND, or "
                    f"read it as one of the history's campaign types ({known}) with "
                    "--set proxy=TYPE"
                ))  # fmt: skip
            reason = NOT_GROUNDED
            if types:
                reason += f" (this twin's history has no '{types[0]}' campaigns)"
            return Grounding(None, (
                f"{reason} for {scenario.kind.spoken()}. Read it as one of the history's campaign "
                f"types ({known}) with --set proxy=TYPE to get numbers"
            ))  # fmt: skip
        if stretch:
            notes.append(stretch)
    if campaign_type == NOTICE:
        delta, pct = _price_change(scenario)
        if delta is None and pct is None and not scenario.changes:
            return Grounding(
                None,
                "the size of the price change is unknown: set price_delta or price_delta_pct "
                "(e.g. --set price_delta=5)",
            )
        if scenario.price_temporary:
            notes.append("a temporary price is read as a lasting one")
        value_add = scenario.kind == Kind.PRICE_CHANGE_VALUE_ADD or bool(scenario.value_add)
        by_plan = tuple(
            (plan, c.price_delta, c.price_delta_pct) for c in scenario.changes for plan in c.plans
        )
        return Grounding(
            Inputs(
                campaign_type=NOTICE,
                delta=delta,
                delta_pct=pct,
                by_plan=by_plan,
                value_add=value_add,
                channel=scenario.channel,
                notes=tuple(notes),
            ),
            notes=tuple(notes),
        )
    worth = scenario.offer_worth()
    proxy = None
    rival = scenario.competitor or "the competitor"
    if scenario.proxy:
        proxy = f"the history's '{campaign_type}' campaigns, the proxy you named"
    elif scenario.kind == Kind.COMPETITOR_OFFER and worth is None:
        return Grounding(None, no_pull(rival))
    elif scenario.kind == Kind.COMPETITOR_OFFER:
        proxy = (
            f"your ${worth:g} answer, scored as Snowmobile's past price-match responses; "
            f"{rival}'s own pull on our customers is not measured"
        )
    elif stretch:
        proxy = f"the history's '{campaign_type}' campaigns ({stretch})"
    if scenario.kind == Kind.COMPETITOR_OFFER and scenario.competitor_credit is not None:
        # The history's competitor-response campaigns are Snowmobile's own price-match credits:
        # a competitor's switching bonus is not their offer's worth, and read as one it turned
        # "T-Mobile offers $200" into near-certain acceptance.
        answer = (
            f"read at your answer's ${worth:g}"
            if worth is not None
            else "set offer_value to the credit you would answer with"
        )
        notes.append(
            f"the competitor's ${scenario.competitor_credit:g} is not a model input: the "
            "numbers are those of Snowmobile's past price-match responses to competitors "
            f"({answer})"
        )
    if worth is None and campaign_type in facts:
        typical = facts[campaign_type].get("value_typical", 0.0)
        notes.append(
            # a launch's prices are no offer's worth: "New Frostbite plan at $40"
            f"a launch's price is not a model input: read at the history's typical "
            f"{campaign_type} worth of ${typical:g} (set one with --set offer_value=AMOUNT)"
            if scenario.kind == Kind.NEW_PLAN
            else f"the offer's worth in dollars is not given: read at the history's typical "
            f"${typical:g} (set it with --set offer_value=AMOUNT)"
        )
    if scenario.kind in PRICE_KINDS and scenario.price_changes():
        notes.append("the price change itself is not a model input for this campaign type")
    return Grounding(
        Inputs(
            campaign_type=campaign_type,
            offer_value=worth,
            channel=scenario.channel,
            notes=tuple(notes),
        ),
        notes=tuple(notes),
        proxy=proxy,
    )


def _price_change(scenario: Scenario) -> tuple[float | None, float | None]:
    if scenario.price_delta is not None:
        return scenario.price_delta, None
    if scenario.price_delta_pct is not None:
        return None, scenario.price_delta_pct
    if scenario.price_from is not None and scenario.price_to is not None:
        return scenario.price_to - scenario.price_from, None
    return None, None
