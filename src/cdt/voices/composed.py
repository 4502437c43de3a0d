"""Sentences composed from data: the voice of a segment's customers where no LLM writes (or
what it wrote failed the gate twice) and no real verbatim fits. Every fact in them (the
scenario's change, plan, bill, lines, tenure, contract, how they reach support) comes from
the typed scenario or the twin's data; nothing is invented. Each outcome has a few phrasings,
chosen by a stable hash of the segment and the outcome, so segments do not all read alike."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from cdt.scenario import Scenario
from cdt.scenario.describe import article, money

CONTACT = {"Phone": "calling", "Chat": "messaging support", "App": "writing in the app",
           "Store": "going to the store", "Email": "emailing", "Social": "posting"}  # fmt: skip


def change_phrase(scenario: Scenario, variant: int = 0) -> str:
    """The scenario as a short noun phrase a customer would say ("a $5 rise in my monthly
    price"); ``variant`` picks among the ways to say a price change, so lines vary."""
    kind = str(getattr(scenario.kind, "value", scenario.kind))
    if kind == "competitor_offer" and scenario.competitor:
        credit = scenario.competitor_credit or scenario.offer_value
        return (
            f"{scenario.competitor}'s {money(credit)} switching offer"
            if credit
            else (f"the {scenario.competitor} offer")
        )
    if kind == "fee" and scenario.price_delta:
        return f"a new {money(scenario.price_delta)} fee"
    if scenario.price_delta:
        amount = money(scenario.price_delta)
        an = article(amount)
        if scenario.price_delta > 0:
            ways = (f"{an} {amount} rise in my monthly price", f"another {amount} a month",
                    f"the {amount} increase", f"{amount} more on my bill")  # fmt: skip
        else:
            ways = (f"{an} {amount} cut in my monthly price", f"{amount} off my bill each month",
                    f"the {amount} price cut", f"a bill {amount} lower")  # fmt: skip
        return ways[variant % len(ways)]
    if scenario.price_delta_pct:
        way = "rise" if scenario.price_delta_pct > 0 else "cut"
        pct = f"{abs(scenario.price_delta_pct):g}"
        return f"{article(pct)} {pct}% {way} in my monthly price"
    if kind == "service_credit" and scenario.offer_value:
        return f"the {money(scenario.offer_value)} credit"
    if scenario.new_plan:
        return f"the new {scenario.new_plan} plan"
    if scenario.value_add:
        return f"the {scenario.value_add}"
    if scenario.offer_value:
        offer = money(scenario.offer_value)
        return f"{article(offer)} {offer} offer"
    return {"fee": "this fee", "policy_change": "this change to my plan's terms",
            "loyalty_reward": "this reward", "new_plan": "the new plan"}.get(
        kind, f"this {kind.replace('_', ' ')}"
    )  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """What the data says about a segment's typical customer."""

    plan: str
    arpu: float
    tenure: str
    lines: float
    contract: str
    contact: str

    @property
    def bill(self) -> str:
        return f"${self.arpu:.0f}" if self.arpu else "what I pay"

    @property
    def a_bill(self) -> str:
        """The bill with its article ("an $88"), or "my" where the data has none."""
        return f"{article(self.bill)} {self.bill}" if self.arpu else "my"

    @property
    def for_lines(self) -> str:
        return f" for our {round(self.lines)} lines" if self.lines >= 1.5 else ""


def facts(persona: dict[str, Any]) -> Facts:
    arpu = float(persona.get("typical_arpu") or persona.get("avg_arpu") or 0)
    plan = str(persona.get("typical_plan") or "").split(" (")[0] or "my"
    lines = re.findall(r"\d+(?:\.\d+)?", str(persona.get("typical_household") or ""))
    channels: dict[str, float] = persona.get("channel_preferences") or {}
    channel = max(channels, key=lambda c: channels[c]) if channels else "Phone"
    return Facts(
        plan,
        arpu,
        str(persona.get("typical_tenure") or "").strip(),
        float(lines[0]) if lines else 1.0,
        str(persona.get("typical_contract") or ""),
        CONTACT.get(channel, "calling"),
    )


PHRASINGS: dict[str, tuple[str, ...]] = {
    "accepted": (
        "I'll go along with {change}; {plan} at about {bill} a month still works for me.",
        "{Change} is fine by me. After {tenure_with}, switching isn't worth the hassle.",
        "I'll take {change}. {Plan} is still fair for what I get.",
    ),
    "ignored": (
        "{Change} won't change much for me; I'll leave my {plan} plan as it is.",
        "I saw the note about {change}. Not worth a call; I'm keeping {plan}.",
        "{Change} barely registers next to the {bill} I pay each month. I'll let it go.",
    ),
    "complained": (
        "I'm {contact} about {change}; I already pay about {bill} a month{for_lines}.",
        "{Change} with nothing new in return? I'm {contact} to complain.",
        "After {tenure_with}, {change} is not how I expect to be treated. I'm {contact}.",
    ),
    "threatened_churn": (
        "If {change} goes ahead, I'll start looking at other carriers.",
        "{Change} has me comparing other carriers' prices{no_contract}.",
        "One more thing like {change} and I'll take my {lines_word} elsewhere.",
    ),
    "churned": (
        "After {change}, I'm taking my number to another carrier.",
        "{Change} is the last straw; I'm moving my {lines_word} to another carrier.",
        "I'm done: {change} on {a_bill} bill sends me to another carrier.",
    ),
    "upgraded": (
        "With {change}, I'd rather move up to a bigger plan.",
        "{Change} makes the next plan up worth it for me, so I'm moving up.",
    ),
    "downgraded": (
        "After {change}, I'll drop to a cheaper plan to keep my bill near {bill}.",
        "{Change} pushes me down a plan; I don't need everything {plan} has.",
    ),
}


# Where the scenario is a benefit (a cut, a credit, a reward) or a rival's offer, some
# outcomes read differently; these phrasings replace the general ones for that direction.
#: a rival's offer let pass, whether Snowmobile answered it or not
_RIVAL_PASSED = (
    "{Change} doesn't tempt me; I'm staying on {plan}.",
    "I saw {change}. Switching isn't worth the hassle after {tenure_with}.",
)
BY_DIRECTION: dict[tuple[str, str], tuple[str, ...]] = {
    ("benefit", "accepted"): (
        "I'll take {change}; it helps with {a_bill} bill.",
        "{Change}? Good, I'll take it.",
    ),
    ("benefit", "complained"): (
        "{Change} doesn't make up for what I pay; I'm {contact} anyway.",
        "{Change} is too little for {a_bill} bill. I'm {contact} about it.",
    ),
    ("benefit", "ignored"): (
        "{Change} won't change much for me; I'll leave my {plan} plan as it is.",
        "I saw the note about {change}. Nice, but I won't do anything about it.",
    ),
    # those who leave in the month of a benefit would have left anyway: it did not keep them
    ("benefit", "churned"): (
        "{Change} comes too late for me; I'm already moving my {lines_word} to another carrier.",
        "{Change} doesn't change my mind. I'm leaving Snowmobile this month.",
    ),
    ("benefit", "threatened_churn"): (
        "{Change} is nice, but I'm still comparing other carriers' prices{no_contract}.",
    ),
    ("benefit", "downgraded"): (
        "Even with {change}, I'll drop to a cheaper plan; I don't need everything {plan} has.",
    ),
    ("rival", "accepted"): (
        "If Snowmobile matches {change}, I'll stay on {plan}.",
        "I'd take a matching offer from Snowmobile rather than switch.",
    ),
    ("rival", "ignored"): _RIVAL_PASSED,
    ("rival", "complained"): (
        "New {rival} customers get {change} and loyal ones get nothing? I'm {contact}.",
    ),
    ("rival", "churned"): ("I'm taking {change} and moving my {lines_word} over.",),
    ("rival", "threatened_churn"): ("Match {change} or I'm moving my {lines_word} over.",),
    # a rival's offer that Snowmobile answered: the numbers are those of the answer
    ("answered", "accepted"): (
        "Snowmobile answered {change}, so I'll stay on {plan}.",
        "Good that Snowmobile answered {change}; I'm not switching.",
    ),
    ("answered", "ignored"): _RIVAL_PASSED,
    ("answered", "complained"): ("Snowmobile's answer to {change} is too small. I'm {contact}.",),
    ("answered", "churned"): ("Snowmobile's answer isn't enough; I'm taking {change}.",),
    ("answered", "threatened_churn"): (
        "Snowmobile's answer doesn't close the gap with {change}; I'm still comparing.",
    ),
}


#: A phrasing that is said only of a change small next to the bill (``_small``).
SMALL_ONLY = "barely registers"
#: A change is small next to the bill below this share of it (5% of $100: $5).
SMALL_SHARE = 0.05


def _small(scenario: Scenario, bill: float) -> bool:
    """Whether the scenario's change is under SMALL_SHARE of the customer's ``bill``."""
    if scenario.price_delta_pct is not None:
        return abs(scenario.price_delta_pct) / 100 < SMALL_SHARE
    if scenario.price_delta is not None and bill > 0:
        return abs(scenario.price_delta) / bill < SMALL_SHARE
    return False


def direction(scenario: Scenario) -> str:
    """Whether the scenario costs the customer, benefits them, or is a rival's offer."""
    kind = str(getattr(scenario.kind, "value", scenario.kind))
    if kind == "competitor_offer":  # answered: "... we answer with $10 off" or "by cutting $5"
        return "rival" if scenario.offer_worth() is None else "answered"
    change = scenario.price_delta or scenario.price_delta_pct or 0
    if change < 0 or (
        not change
        and kind in ("service_credit", "loyalty_reward", "retention_offer", "upgrade_offer")
    ):
        return "benefit"
    return "cost"  # fmt: skip


def _variant(*key: str) -> int:
    return hashlib.sha256(":".join(("phrase", *key)).encode()).digest()[0]


def _pick(options: tuple[str, ...], *key: str) -> str:
    digest = hashlib.sha256(":".join(key).encode()).digest()
    return options[digest[0] % len(options)]


def voice(outcome: str, persona: dict[str, Any], scenario: Scenario) -> str:
    """One first-person line for a customer of ``persona``'s segment taking ``outcome``."""
    fact = facts(persona)
    options = BY_DIRECTION.get((direction(scenario), outcome), PHRASINGS[outcome])
    if not _small(scenario, fact.arpu):  # "barely registers" only where it is small
        options = tuple(o for o in options if SMALL_ONLY not in o) or options
    if not re.fullmatch(r"\d+ months", fact.tenure):  # "after under 2 years" reads badly
        options = tuple(o for o in options if "{tenure_with}" not in o) or options
    template = _pick(options, str(persona.get("segment_id") or ""), outcome)
    change = change_phrase(scenario, _variant(str(persona.get("segment_id") or ""), outcome))
    tenure_with = f"{fact.tenure} with Snowmobile" if fact.tenure else "years with Snowmobile"
    values = {
        "change": change,
        "Change": change[:1].upper() + change[1:],
        "plan": fact.plan,
        "Plan": fact.plan[:1].upper() + fact.plan[1:],
        "bill": fact.bill,
        "a_bill": fact.a_bill,
        "tenure_with": tenure_with,
        "contact": fact.contact,
        "for_lines": fact.for_lines,
        "lines_word": "lines" if fact.lines >= 1.5 else "line",
        "no_contract": "; nothing ties me down" if "month" in fact.contract.lower() else "",
        "rival": scenario.competitor or "their",
    }
    return template.format(**values)


def reasoning(outcome: str, persona: dict[str, Any]) -> str:
    """Why, in data: the plan, bill, lines and tenure behind the primary voice."""
    fact = facts(persona)
    with_us = f" and have been with Snowmobile for {fact.tenure}" if fact.tenure else ""
    return f"I am on {fact.plan} at about {fact.bill} a month{fact.for_lines}{with_us}."


def change_mind(outcome: str, persona: dict[str, Any]) -> str:
    """What would change the primary voice's mind, in data terms."""
    fact = facts(persona)
    if outcome in ("accepted", "ignored", "upgraded"):
        return "A clearly better deal from another carrier might."
    return f"Keeping my bill near {fact.bill} a month, or getting more for the money."
