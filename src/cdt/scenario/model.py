"""The typed scenario: the one object the engine consumes, whoever wrote it.

The rule parser, a template, a scenario file, the app's form and an LLM extraction all produce
a ``Scenario``. Its fields are flat so that any of them can be overridden by name
(``--set price_delta=-10``); ``FIELDS`` documents each one. One price change is written in
the flat fields; several, each on its own plans, in ``changes`` (``price_changes()`` gives
either as a list). Values are checked here, so an
impossible scenario (a negative tenure, a plan that does not exist, a cut of more than 100%)
never reaches the engine.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cdt.errors import ConfigError
from cdt.scenario.vocab import (  # noqa: F401 (the model's face)
    CAMPAIGN_TYPES,
    CHANNELS,
    CONTRACT_TYPES,
    DEVICE_TIERS,
    FIELDS,
    LIST_FIELDS,
    MAX_DOLLARS,
    MAX_MONTHS,
    PLANS,
    PRICE_KINDS,
    TARGETING,
    Kind,
)

Dollars = Field(default=None, ge=-MAX_DOLLARS, le=MAX_DOLLARS, allow_inf_nan=False)
Positive = Field(default=None, ge=0, le=MAX_DOLLARS, allow_inf_nan=False)
Months = Field(default=None, ge=0, le=MAX_MONTHS)
Age = Field(default=None, ge=0, le=120)
PRICE_FIELDS = ("price_delta", "price_delta_pct", "price_from", "price_to")


class Change(BaseModel):
    """One price change of several: the plans it applies to and its size (dollars, percent,
    or a from/to pair, whose difference is its dollar change)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plans: list[str] = Field(default_factory=list)
    price_delta: float | None = Dollars
    price_delta_pct: float | None = Field(default=None, ge=-100, le=100, allow_inf_nan=False)
    price_from: float | None = Positive
    price_to: float | None = Positive

    @field_validator("plans", mode="before")
    @classmethod
    def _plans(cls, value: Any) -> Any:
        return [_member(v, PLANS, "plans") for v in _listed(value)]

    @model_validator(mode="after")
    def _size(self) -> Change:
        if (self.price_from is None) != (self.price_to is None):
            raise ValueError("give both price_from and price_to, or neither")
        implied = None
        if self.price_from is not None and self.price_to is not None:
            implied = round(self.price_to - self.price_from, 2)
        if implied is not None and self.price_delta is None and self.price_delta_pct is None:
            object.__setattr__(self, "price_delta", implied)
        elif (
            implied is not None
            and self.price_delta is not None
            and abs(implied - self.price_delta) > 0.005
        ):
            raise ValueError(
                f"price_delta {self.price_delta:g} is not price_to - price_from ({implied:g})"
            )
        if self.price_delta is not None and self.price_delta_pct is not None:
            raise ValueError("give price_delta or price_delta_pct, not both")
        if self.price_delta is None and self.price_delta_pct is None:
            raise ValueError("no size: give price_delta, price_delta_pct or price_from/price_to")
        return self

    def words(self) -> str:
        """'+$2 on Glacier', '-5% on Summit, Avalanche', '+$5 on Powder ($55 to $60)'."""
        where = ", ".join(self.plans) if self.plans else "every plan"
        if self.price_delta_pct is not None:
            return f"{self.price_delta_pct:+g}% on {where}"
        delta = float(self.price_delta or 0.0)
        sign = "-" if delta < 0 else "+"
        said = f"{sign}{_dollars(delta)} on {where}"
        if self.price_from is not None and self.price_to is not None:
            said += f" ({_dollars(self.price_from)} to {_dollars(self.price_to)})"
        return said


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
    changes: list[Change] = Field(default_factory=list)
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

    @model_validator(mode="before")
    @classmethod
    def _one_or_several(cls, data: Any) -> Any:
        """One change is written in the flat fields; several in ``changes``, whose plans are
        then the audience's plans."""
        if not isinstance(data, dict) or not data.get("changes"):
            return data
        data = dict(data)
        changes = [c.model_dump() if isinstance(c, Change) else c for c in data["changes"]]
        if len(changes) == 1 and isinstance(changes[0], dict):
            (only,) = changes
            flat = [f for f in PRICE_FIELDS if data.get(f) is not None]
            if flat:
                raise ValueError(f"give the price change as changes or as {flat[0]}, not both")
            data.update({f: only.get(f) for f in PRICE_FIELDS})
            if only.get("plans"):
                data["plans"] = only["plans"]
            data["changes"] = []
        return data

    @model_validator(mode="after")
    def _several(self) -> Scenario:
        if not self.changes:
            return self
        flat = [f for f in PRICE_FIELDS if getattr(self, f) is not None]
        if flat:
            raise ValueError(f"give the price change as changes or as {flat[0]}, not both")
        seen: dict[str, int] = {}
        for n, change in enumerate(self.changes, 1):
            if not change.plans:
                raise ValueError(
                    f"change {n} ({change.words()}) names no plan: with several changes, each "
                    "names its plans"
                )
            for plan in change.plans:
                if plan in seen:
                    raise ValueError(
                        f"changes {seen[plan]} and {n} both change {plan}: a plan has one change"
                    )
                seen[plan] = n
        union = list(seen)
        if self.plans and sorted(self.plans) != sorted(union):
            raise ValueError(
                f"plans ({', '.join(self.plans)}) are not the changed plans ({', '.join(union)}): "
                "with several changes, the audience's plans are the changes' plans"
            )
        if not self.plans:
            object.__setattr__(self, "plans", union)
        return self

    def price_changes(self) -> list[Change]:
        """The scenario's price changes: its list, or its one flat change (none when it has no
        price change)."""
        if self.changes:
            return list(self.changes)
        values = {f: getattr(self, f) for f in PRICE_FIELDS}
        sized = values["price_delta"] is not None or values["price_delta_pct"] is not None
        if not sized and (values["price_from"] is None or values["price_to"] is None):
            return []
        if values["price_delta"] is None and values["price_delta_pct"] is None:
            values["price_delta"] = round(values["price_to"] - values["price_from"], 2)
        # the flat fields are not held together (a reading may disagree with itself, and
        # plausibility says so): price_delta wins, as the engine reads it
        return [Change.model_construct(plans=list(self.plans), **values)]

    def offer_worth(self) -> float | None:
        """What the offer is worth a month: its ``offer_value``, or, for our answer to a rival
        given as a cut of our own plan ("we answered by cutting Blizzard $5"), the cut."""
        cut = self.price_delta
        if self.offer_value is None and self.kind == Kind.COMPETITOR_OFFER:
            return -cut if cut is not None and cut < 0 else None
        return self.offer_value

    def change_sizes(self) -> list[float | None]:
        """Each price change's size, in dollars or else percent (None: neither given)."""
        return [c.price_delta if c.price_delta is not None else c.price_delta_pct
                for c in self.price_changes()]  # fmt: skip

    def adverse(self) -> bool:
        """A price rise (every change a rise) or a new fee: accepting it is putting up with it."""
        sizes = self.change_sizes()
        rises = bool(sizes) and all(s is not None and s > 0 for s in sizes)
        return rises or (self.kind == Kind.FEE and not any(s is not None and s < 0 for s in sizes))

    def on_plan(self, plan: str) -> Scenario:
        """This scenario as one customer on ``plan`` meets it: with several changes, only the
        change on that plan (the scenario itself otherwise)."""
        change = next((c for c in self.changes if plan in c.plans), None)
        if change is None:
            return self
        values = {f: getattr(change, f) for f in PRICE_FIELDS}
        return self.model_copy(update={"changes": [], "plans": [plan], **values})

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


def _dollars(value: float) -> str:
    return f"${abs(value):,.2f}".replace(".00", "")


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
        said = _explain(exc, where)
        fix = (
            "give each plan one change, e.g. changes='Glacier:+2; Summit,Avalanche:+5%'"
            if "change" in said
            else "correct the value or leave it out"
        )
        raise ConfigError(said, fix=fix) from exc


def _explain(exc: ValidationError, where: str) -> str:
    parts = []
    for error in exc.errors()[:3]:
        loc = list(error["loc"])
        if len(loc) >= 2 and loc[0] == "changes" and isinstance(loc[1], int):  # 1-based
            loc = [f"change {loc[1] + 1}'s {'.'.join(str(p) for p in loc[2:]) or 'size'}"]
        path = ".".join(str(p) for p in loc if not isinstance(p, int))
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{path}: {message}" if path else message)
    return f"{where} is invalid: " + "; ".join(parts)
