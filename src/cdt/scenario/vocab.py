"""The scenario's vocabulary: the plans, channels, contracts and device tiers a scenario may
name, the kinds of event and the history's campaign types each is read as, and every field a
user may set, with what it means."""

from __future__ import annotations

from enum import StrEnum

from cdt.contract import PLANS

CHANNELS = ("Email", "SMS", "App Push", "Direct Mail", "Phone")
CONTRACT_TYPES = ("Prepaid", "Month-to-Month", "12-Month", "24-Month Installment")
DEVICE_TIERS = ("Budget", "Mid-Range", "Flagship")
MAX_MONTHS = 600  # tenure and durations: 50 years
MAX_DOLLARS = 10_000.0


class Kind(StrEnum):
    """What kind of event a scenario is; each maps to campaign types in the history."""

    PRICE_CHANGE = "price_change"
    FEE = "fee"
    PRICE_CHANGE_VALUE_ADD = "price_change_value_add"
    ADD_ON_BUNDLE = "add_on_bundle"
    NEW_PLAN = "new_plan"
    COMPETITOR_OFFER = "competitor_offer"
    SERVICE_CREDIT = "service_credit"
    LOYALTY_REWARD = "loyalty_reward"
    RETENTION_OFFER = "retention_offer"
    UPGRADE_OFFER = "upgrade_offer"
    POLICY_CHANGE = "policy_change"
    OTHER = "other"

    def spoken(self) -> str:
        """The kind as a sentence names it, with its article: "a price change", "an add-on or
        bundle", "an announcement" (other)."""
        return _SPOKEN[self.value]


_SPOKEN = {
    "price_change": "a price change", "fee": "a fee",
    "price_change_value_add": "a price change with a value-add",
    "add_on_bundle": "an add-on or bundle", "new_plan": "a new plan",
    "competitor_offer": "a competitor's offer", "service_credit": "a service credit",
    "loyalty_reward": "a loyalty reward", "retention_offer": "a retention offer",
    "upgrade_offer": "an upgrade offer", "policy_change": "a policy change",
    "other": "an announcement",
}  # fmt: skip


#: Each kind's comparable campaign types in RAW.CAMPAIGN_RESPONSES, nearest first, and a note
#: when the comparison is a stretch. A kind with none gets words and no numbers.
CAMPAIGN_TYPES: dict[Kind, tuple[tuple[str, ...], str | None]] = {
    Kind.PRICE_CHANGE: (("Price Change Notice",), None),
    Kind.FEE: (("Price Change Notice",), "a fee is read as a price change of the same amount"),
    Kind.PRICE_CHANGE_VALUE_ADD: (("Price Change Notice",), None),
    Kind.ADD_ON_BUNDLE: (("Add-On Promo",), None),
    Kind.NEW_PLAN: (("Upgrade Offer",), "a new plan launch is read as an upgrade offer"),
    Kind.COMPETITOR_OFFER: (("Competitor Response",), None),
    Kind.SERVICE_CREDIT: (("Loyalty Reward",), "a service credit is read as a loyalty reward"),
    Kind.LOYALTY_REWARD: (("Loyalty Reward",), None),
    Kind.RETENTION_OFFER: (("Retention Offer",), None),
    Kind.UPGRADE_OFFER: (("Upgrade Offer",), None),
    Kind.POLICY_CHANGE: ((), None),
    Kind.OTHER: ((), None),
}
PRICE_KINDS = (Kind.PRICE_CHANGE, Kind.FEE, Kind.PRICE_CHANGE_VALUE_ADD)

#: Every field a user may set, with what it means (the README and `cdt simulate --help` show
#: these). ``text``, ``warnings``, ``overrides`` and ``source`` are written by cdt.
FIELDS: dict[str, str] = {
    "kind": "what happens: " + ", ".join(k.value for k in Kind),
    "price_delta": "change to the monthly price in dollars (negative: a cut)",
    "price_delta_pct": "change to the monthly price in percent of each customer's plan price",
    "price_from": "the price before, in dollars a month",
    "price_to": "the price after, in dollars a month",
    "price_temporary": "true when the price holds only for a while (an introductory price)",
    "price_months": "how many months a temporary or introductory price lasts",
    "intro_price": "a launched plan's introductory monthly price in dollars (for price_months)",
    "value_add": "what comes with a price change, e.g. streaming",
    "value_add_worth": "what the value-add is worth, in dollars a month",
    "offer_value": "what an offer, credit or reward is worth, in dollars",
    "offer_months": "how many months an offer lasts",
    "new_plan": "the name of a plan being launched",
    "new_plan_price": "a launched plan's monthly price in dollars",
    "target_plan": "the plan an offer moves customers to (not its audience)",
    "competitor": "the competitor making an offer",
    "competitor_price": "the competitor's monthly price in dollars",
    "competitor_credit": "the competitor's switching credit in dollars",
    "channel": "how customers hear of it: " + ", ".join(CHANNELS),
    "plans": "audience: customers on these plans (" + ", ".join(PLANS) + ")",
    "tenure_min_months": "audience: at least this many months with Snowmobile",
    "tenure_max_months": "audience: at most this many months with Snowmobile",
    "states": "audience: two-letter state codes",
    "regions": "audience: regions of EXTERNAL.ZIP_DEMOGRAPHICS (e.g. Midwest)",
    "dmas": "audience: DMA codes or names",
    "zips": "audience: five-digit ZIP codes",
    "places": "audience: place names, matched against ZIP and DMA names",
    "segments": "audience: segment ids or names",
    "contract_types": "audience: " + ", ".join(CONTRACT_TYPES),
    "device_tiers": "audience: " + ", ".join(DEVICE_TIERS),
    "age_min": "audience: at least this age",
    "age_max": "audience: at most this age",
    "proxy": "a campaign type of the history to read a kind without one as",
    "changes": (
        "several price changes, each on its own plans: 'Glacier:+2; Avalanche,Summit:+5%; "
        "Powder:55->60' (then plans is every changed plan, and price_delta, price_delta_pct, "
        "price_from and price_to stay empty)"
    ),
}
TARGETING = (
    "plans",
    "tenure_min_months",
    "tenure_max_months",
    "states",
    "regions",
    "dmas",
    "zips",
    "places",
    "segments",
    "contract_types",
    "device_tiers",
    "age_min",
    "age_max",
)
LIST_FIELDS = (
    "plans", "states", "regions", "dmas", "zips", "places", "segments", "contract_types",
    "device_tiers",
)  # fmt: skip
