"""Scenarios: validation, deterministic parsing, and templates.

The parse finds what can be found without an LLM: a price change in dollars or percent, the
plans affected, a value-add and its worth, a competitor, a channel, and the kind of event. It
is shown back to the user and stored with the simulation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from cdt.errors import ConfigError

MAX_SCENARIO = 4000
PLANS = ("Glacier", "Flurry", "Powder", "Blizzard", "Summit", "Avalanche")
COMPETITORS = {
    "verizon": "Verizon",
    "at&t": "AT&T",
    "att": "AT&T",
    "t-mobile": "T-Mobile",
    "tmobile": "T-Mobile",
    "t mobile": "T-Mobile",
}
CHANNELS = {
    "email": "Email",
    "e-mail": "Email",
    "sms": "SMS",
    "text message": "SMS",
    "push": "App Push",
    "app": "App Push",
    "mail": "Direct Mail",
    "letter": "Direct Mail",
    "phone": "Phone",
    "call": "Phone",
}
VALUE_ADDS = (
    "streaming",
    "netflix",
    "disney",
    "hotspot",
    "international",
    "protection",
    "5g",
    "data",
    "cloud",
    "music",
)
_MONEY = re.compile(r"\$\s?(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s?(?:dollars|usd)\b", re.I)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?%")
_DECREASE = re.compile(r"\b(cut|decrease|reduc|lower|drop|discount|off\b|cheaper)", re.I)
#: Kinds whose dollar amount is an offer's worth, not a change to the customer's price.
OFFER_KINDS = (
    "competitor_offer",
    "outage_credit",
    "loyalty_reward",
    "new_plan",
    "streaming_bundle",
)
_INCREASE = re.compile(r"\b(increase|raise|rais|hike|up|more|higher|rise)", re.I)


@dataclass
class Scenario:
    """A validated scenario and what was parsed from it."""

    text: str
    kind: str = "other"  # price_increase, price_decrease, new_plan, competitor_offer, ...
    price_delta: float | None = None  # dollars per month; negative is a cut
    price_delta_pct: float | None = None
    plans: list[str] = field(default_factory=list)
    value_add: str | None = None
    value_add_worth: float | None = None
    competitor: str | None = None
    channel: str | None = None
    offer_value: float | None = None  # dollars: a competitor's offer, a credit, a reward
    template: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def clean(text: str) -> str:
    """Validate scenario text: control characters removed, whitespace collapsed.

    Raises:
        ConfigError: empty after cleaning, or longer than MAX_SCENARIO characters.
    """
    if text is None or not isinstance(text, str):
        raise ConfigError("the scenario must be text", fix='e.g. cdt simulate "price increase $5"')
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    collapsed = re.sub(r"\s+", " ", kept).strip()
    if not collapsed:
        raise ConfigError("the scenario is empty", fix='describe it, e.g. "price increase $5"')
    if len(collapsed) > MAX_SCENARIO:
        raise ConfigError(
            f"the scenario is {len(collapsed):,} characters long",
            fix=f"shorten it to at most {MAX_SCENARIO:,} characters",
        )
    return collapsed


def parse(text: str, *, template: str | None = None) -> Scenario:
    """Clean and parse a scenario deterministically."""
    scenario = Scenario(clean(text), template=template)
    lower = scenario.text.lower()
    scenario.plans = [p for p in PLANS if re.search(rf"\b{p.lower()}\b", lower)]
    scenario.competitor = next(
        (
            name
            for key, name in COMPETITORS.items()
            if re.search(rf"(?<![\w&-]){re.escape(key)}(?![\w&])", lower)
        ),
        None,
    )
    scenario.channel = next(
        (name for key, name in CHANNELS.items() if re.search(rf"\b{re.escape(key)}\b", lower)), None
    )
    amounts = [float(a or b) for a, b in _MONEY.findall(scenario.text)]
    percents = [float(p) for p in _PERCENT.findall(scenario.text)]
    value_add = next((v for v in VALUE_ADDS if re.search(rf"\b{v}", lower)), None)
    mentions_price = bool(re.search(r"\b(price|bill|plan|fee|cost|rate)s?\b", lower))
    decrease = bool(_DECREASE.search(lower)) and not re.search(r"\bincrease\b", lower)
    if value_add and re.search(r"\b(with|includ|plus|add)", lower):
        scenario.value_add = value_add
        if len(amounts) > 1:
            scenario.value_add_worth = amounts[1]
    if scenario.competitor:
        scenario.kind = "competitor_offer"
    elif re.search(r"\boutage\b", lower):
        scenario.kind = "outage_credit"
    elif re.search(r"\b(loyalty|reward|points|thank)", lower):
        scenario.kind = "loyalty_reward"
    elif re.search(r"\bnew plan\b|\blaunch", lower):
        scenario.kind = "new_plan"
    elif re.search(r"\bpolicy\b|\bterms\b|\bfee\b", lower) and not amounts:
        scenario.kind = "policy_change"
    if scenario.kind == "other" and value_add and re.search(r"bundle", lower):
        scenario.kind = "streaming_bundle"
    if amounts and scenario.kind in OFFER_KINDS:
        scenario.offer_value = amounts[0]
    elif amounts and (mentions_price or _INCREASE.search(lower) or decrease):
        delta = amounts[0]
        if scenario.kind in ("other", "policy_change"):
            scenario.kind = "price_decrease" if decrease else "price_increase"
        scenario.price_delta = -delta if decrease else delta
    elif percents and (mentions_price or _INCREASE.search(lower) or decrease):
        scenario.price_delta_pct = -percents[0] if decrease else percents[0]
        if scenario.kind == "other":
            scenario.kind = "price_decrease" if decrease else "price_increase"
    if scenario.kind == "price_increase" and scenario.value_add:
        scenario.kind = "price_increase_value_add"
    return scenario


@dataclass(frozen=True)
class Template:
    """A reusable scenario with parameters (``--set name=value``)."""

    name: str
    description: str
    text: str  # str.format pattern
    defaults: dict[str, str]


TEMPLATES = {t.name: t for t in (
    Template("price_increase", "A monthly price increase on some plans",
             "Snowmobile Wireless raises the price of the {plans} plan by ${amount} per month, "
             "announced by {channel}.", {"amount": "5", "plans": "Powder", "channel": "email"}),
    Template("price_increase_value_add", "A price increase that comes with a value-add",
             "Snowmobile Wireless raises the {plans} plan by ${amount} per month, with {value_add} "
             "included (worth ${worth}).",
             {"amount": "5", "plans": "Blizzard", "value_add": "streaming", "worth": "10"}),
    Template("new_plan_launch", "A new plan is launched",
             "Snowmobile Wireless launches a new plan: {description} for ${price} per month.",
             {"description": "unlimited data with 5G and hotspot", "price": "65"}),
    Template("streaming_bundle", "A streaming bundle offer",
             "Snowmobile Wireless offers a streaming bundle with {service} for ${price} per month.",
             {"service": "Netflix and Disney+", "price": "10"}),
    Template("policy_change", "A change to terms or fees",
             "Snowmobile Wireless changes its policy: {change}.",
             {"change": "paper bills now carry a $2 fee"}),
    Template("competitor_offer", "A competitor's switching offer",
             "{competitor} offers ${amount} per line to customers who switch from Snowmobile.",
             {"competitor": "T-Mobile", "amount": "200"}),
    Template("loyalty_reward", "A loyalty reward",
             "Snowmobile Wireless thanks loyal customers with ${amount} in rewards points.",
             {"amount": "20"}),
    Template("outage_credit", "A credit after a network outage",
             "After a {hours}-hour network outage, Snowmobile Wireless credits ${amount} to every "
             "affected account.", {"hours": "6", "amount": "10"}),
)}  # fmt: skip


def from_template(name: str, values: dict[str, str]) -> Scenario:
    """Fill a template and parse the result.

    Raises:
        ConfigError: unknown template or parameter.
    """
    if name not in TEMPLATES:
        raise ConfigError(
            f"unknown template {name!r}",
            fix=f"choose one of {', '.join(TEMPLATES)} (see `cdt templates`)",
        )
    template = TEMPLATES[name]
    unknown = sorted(set(values) - set(template.defaults))
    if unknown:
        raise ConfigError(
            f"template {name} has no parameter(s) {', '.join(unknown)}",
            fix=f"its parameters are {', '.join(template.defaults)}",
        )
    filled = {**template.defaults, **{k: clean(v) for k, v in values.items()}}
    return parse(template.text.format(**filled), template=name)
