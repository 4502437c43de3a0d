"""Scenario templates: reusable announcements with parameters (``--set name=value``)."""

from __future__ import annotations

from dataclasses import dataclass

from cdt.errors import ConfigError
from cdt.scenario.model import Kind, Scenario
from cdt.scenario.rules import parse
from cdt.scenario.text import clean


@dataclass(frozen=True)
class Template:
    """A reusable scenario: a ``str.format`` pattern, its defaults and the kind it makes."""

    name: str
    description: str
    text: str
    defaults: dict[str, str]
    kind: Kind


TEMPLATES = {t.name: t for t in (
    Template("price_increase", "A monthly price increase on some plans",
             "Snowmobile Wireless raises the price of the {plans} plan by ${amount} per month, "
             "announced by {channel}.", {"amount": "5", "plans": "Powder", "channel": "email"},
             Kind.PRICE_CHANGE),
    Template("price_increase_value_add", "A price increase that comes with a value-add",
             "Snowmobile Wireless raises the {plans} plan by ${amount} per month, with {value_add} "
             "included (worth ${worth}).",
             {"amount": "5", "plans": "Blizzard", "value_add": "streaming", "worth": "10"},
             Kind.PRICE_CHANGE_VALUE_ADD),
    Template("fee", "A new or higher monthly fee",
             "Snowmobile Wireless adds a ${amount} monthly {fee} fee to every account.",
             {"amount": "2", "fee": "paper-bill"}, Kind.FEE),
    Template("new_plan_launch", "A new plan is launched",
             "Snowmobile Wireless launches a new plan called {name}: {description} for ${price} "
             "per month.",
             {"name": "Drift", "description": "unlimited data with 5G and hotspot", "price": "65"},
             Kind.NEW_PLAN),
    Template("streaming_bundle", "A streaming bundle add-on",
             "Snowmobile Wireless offers an optional streaming bundle with {service}, ${worth} "
             "off per month.", {"service": "Netflix and Disney+", "worth": "10"},
             Kind.ADD_ON_BUNDLE),
    Template("policy_change", "A change to terms or policy",
             "Snowmobile Wireless changes its policy: {change}.",
             {"change": "unlimited data is slowed after 50 GB in a month"}, Kind.POLICY_CHANGE),
    Template("competitor_offer", "A competitor's switching offer",
             "{competitor} offers ${amount} per line to customers who switch from Snowmobile.",
             {"competitor": "T-Mobile", "amount": "200"}, Kind.COMPETITOR_OFFER),
    Template("loyalty_reward", "A loyalty reward",
             "Snowmobile Wireless thanks loyal customers with ${amount} in rewards points.",
             {"amount": "20"}, Kind.LOYALTY_REWARD),
    Template("outage_credit", "A credit after a network outage",
             "After a {hours}-hour network outage, Snowmobile Wireless credits ${amount} to every "
             "affected account.", {"hours": "6", "amount": "10"}, Kind.SERVICE_CREDIT),
    Template("retention_offer", "A discount for customers who want to leave",
             "Customers who call to cancel are offered ${amount} off per month for {months} "
             "months to stay.", {"amount": "15", "months": "6"}, Kind.RETENTION_OFFER),
    Template("upgrade_offer", "An upgrade offer to a higher plan",
             "Customers on {plans} get a free upgrade to {target} for {months} months.",
             {"plans": "Powder", "target": "Blizzard", "months": "3"}, Kind.UPGRADE_OFFER),
)}  # fmt: skip


def from_template(name: str, values: dict[str, str]) -> Scenario:
    """Fill a template and parse the result; its kind is the template's.

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
            fix=f"its parameters are {', '.join(template.defaults)} (scenario fields go in "
            "--set too, e.g. --set price_delta=3)",
        )
    filled = {**template.defaults, **{k: clean(v) for k, v in values.items()}}
    scenario = parse(template.text.format(**filled), template=name)
    if scenario.kind != template.kind:
        scenario.warnings = [
            *scenario.warnings,
            f"the filled template reads as a '{scenario.kind.value}'; kept as the template's "
            f"'{template.kind.value}'",
        ]
        scenario.kind = template.kind
    return scenario
