"""The typed scenario: the one object the engine consumes, whoever wrote it.

The rule parser, a template, a scenario file, the app's form and an LLM extraction all produce
a ``Scenario``. Its fields are flat so that any of them can be overridden by name
(``--set price_delta=-10``); ``FIELDS`` documents each one. Values are checked here, so an
impossible scenario (a negative tenure, a plan that does not exist, a cut of more than 100%)
never reaches the engine.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cdt.errors import ConfigError

PLANS = ("Glacier", "Flurry", "Powder", "Blizzard", "Summit", "Avalanche")
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

Dollars = Field(default=None, ge=-MAX_DOLLARS, le=MAX_DOLLARS, allow_inf_nan=False)
Positive = Field(default=None, ge=0, le=MAX_DOLLARS, allow_inf_nan=False)
Months = Field(default=None, ge=0, le=MAX_MONTHS)
Age = Field(default=None, ge=0, le=120)


class Scenario(BaseModel):
    """A scenario in the engine's terms. See ``FIELDS`` for each field's meaning."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    text: str = ""
    kind: Kind = Kind.OTHER
    price_delta: float | None = Dollars
    price_delta_pct: float | None = Field(default=None, ge=-100, le=100, allow_inf_nan=False)
    price_from: float | None = Positive
    price_to: float | None = Positive
    price_temporary: bool = False
    price_months: int | None = Months
    intro_price: float | None = Positive
    value_add: str | None = None
    value_add_worth: float | None = Positive
    offer_value: float | None = Positive
    offer_months: int | None = Months
    new_plan: str | None = None
    new_plan_price: float | None = Positive
    target_plan: str | None = None
    competitor: str | None = None
    competitor_price: float | None = Positive
    competitor_credit: float | None = Positive
    channel: str | None = None
    plans: list[str] = Field(default_factory=list)
    tenure_min_months: int | None = Months
    tenure_max_months: int | None = Months
    states: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    dmas: list[str] = Field(default_factory=list)
    zips: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    segments: list[str] = Field(default_factory=list)
    contract_types: list[str] = Field(default_factory=list)
    device_tiers: list[str] = Field(default_factory=list)
    age_min: int | None = Age
    age_max: int | None = Age
    proxy: str | None = None
    template: str | None = None
    source: str = "rules"
    overrides: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)

    @field_validator("plans", mode="before")
    @classmethod
    def _plans(cls, value: Any) -> Any:
        return [_member(v, PLANS, "plans") for v in _listed(value)]

    @field_validator("target_plan", mode="before")
    @classmethod
    def _target_plan(cls, value: Any) -> Any:
        return None if value in (None, "") else _member(value, PLANS, "target_plan")

    @field_validator("channel", mode="before")
    @classmethod
    def _channel(cls, value: Any) -> Any:
        return None if value in (None, "") else _member(value, CHANNELS, "channel")

    @field_validator("contract_types", mode="before")
    @classmethod
    def _contracts(cls, value: Any) -> Any:
        return [_member(v, CONTRACT_TYPES, "contract_types") for v in _listed(value)]

    @field_validator("device_tiers", mode="before")
    @classmethod
    def _tiers(cls, value: Any) -> Any:
        return [_member(v, DEVICE_TIERS, "device_tiers") for v in _listed(value)]

    @field_validator("states", mode="before")
    @classmethod
    def _states(cls, value: Any) -> Any:
        out = []
        for item in _listed(value):
            code = str(item).strip().upper()
            if len(code) != 2 or not code.isalpha():
                raise ValueError(f"{item!r} is not a two-letter state code")
            out.append(code)
        return out

    @field_validator("zips", mode="before")
    @classmethod
    def _zips(cls, value: Any) -> Any:
        out = []
        for item in _listed(value):
            code = str(item).strip()
            if len(code) != 5 or not code.isdigit():
                raise ValueError(f"{item!r} is not a five-digit ZIP code")
            out.append(code)
        return out

    @field_validator("regions", "dmas", "places", "segments", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return [str(v).strip() for v in _listed(value) if str(v).strip()]

    @model_validator(mode="after")
    def _ranges(self) -> Scenario:
        for low, high in (("tenure_min_months", "tenure_max_months"), ("age_min", "age_max")):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b:
                raise ValueError(f"{low} ({a}) is above {high} ({b})")
        return self

    def targeting(self) -> dict[str, Any]:
        """The audience filters that are set."""
        return {name: getattr(self, name) for name in TARGETING if getattr(self, name)}

    def fields(self) -> dict[str, Any]:
        """The fields that differ from their defaults, for display."""
        blank = Scenario()
        return {
            name: getattr(self, name)
            for name in FIELDS
            if getattr(self, name) != getattr(blank, name)
        }

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _listed(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v for v in (part.strip() for part in value.split(",")) if v]
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


def _member(value: Any, choices: tuple[str, ...], name: str) -> str:
    wanted = str(value).strip().lower().replace("_", "-")
    for choice in choices:
        if choice.lower() == wanted or choice.lower().replace(" ", "-") == wanted:
            return choice
    raise ValueError(f"{value!r} is not one of {', '.join(choices)}")


def build(values: dict[str, Any], *, where: str = "the scenario") -> Scenario:
    """A ``Scenario`` from ``values``; every problem names its field.

    Raises:
        ConfigError: an unknown field or an impossible value.
    """
    unknown = sorted(set(values) - set(Scenario.model_fields))
    if unknown:
        raise ConfigError(
            f"{where} has no field(s) {', '.join(unknown)}",
            fix=f"the fields are {', '.join(FIELDS)} (and text)",
        )
    try:
        return Scenario.model_validate(values)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, where), fix="correct the value or leave it out") from exc


def _explain(exc: ValidationError, where: str) -> str:
    parts = []
    for error in exc.errors()[:3]:
        field = ".".join(str(p) for p in error["loc"] if not isinstance(p, int)) or "value"
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{field}: {message}")
    return f"{where} is invalid: " + "; ".join(parts)
