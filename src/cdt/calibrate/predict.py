"""A scenario scored by the response model: each segment's shares, churners and revenue at
risk, with 90% intervals from the bootstrap replicates (``prediction`` holds the result)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from cdt.backends.base import Backend
from cdt.calibrate import logit
from cdt.calibrate.cells import bands_sql
from cdt.calibrate.prediction import (
    EXTRAPOLATION_WIDENING,
    INTERVAL,
    UNCERTAIN_SHARE,
    Prediction,
    interval,
    reached_arpu,
    too_uncertain,
)
from cdt.calibrate.response import ResponseModel, scorer_of
from cdt.calibrate.sensitivity import arrays
from cdt.scenario.filters import EVERYONE, Filters
from cdt.sqlfiles import read_sql


def population(
    backend: Backend, model: ResponseModel, audience: Filters = EVERYONE
) -> dict[str, np.ndarray]:
    """Today's customers that ``audience`` reaches, grouped by the customer inputs of
    ``model`` (banded by its own price-sensitivity scorer)."""
    sql = (
        f"WITH audience AS ({read_sql('audience', backend.dialect)}),\n"
        f"bands AS ({bands_sql(backend, scorer_of(model))})\n"
        + read_sql("response_population", backend.dialect)
    )
    cells = arrays(backend.query(sql, audience.binds()))
    cells["customers"] = cells["customers"].astype(float)
    cells["segment_id"] = cells["segment_id"].astype(str)
    cells["plan_name"] = cells["plan_name"].astype(str)
    return cells


@dataclass(frozen=True)
class Inputs:
    """A scenario in the model's terms."""

    campaign_type: str
    delta: float | None = None  # dollars per month, for price notices
    delta_pct: float | None = None  # percent of each customer's plan price
    value_add: bool = False
    offer_value: float | None = None  # dollars, for offers
    channel: str | None = None
    plans: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # why the scenario is outside the history, if it is
    #: several price changes: (plan, dollars, percent) for each changed plan, one of the two
    #: set; a plan named here takes its own change instead of ``delta``/``delta_pct``
    by_plan: tuple[tuple[str, float | None, float | None], ...] = ()


def quiet_inputs(inputs: Inputs) -> Inputs:
    """A month without the message for the customers ``inputs`` reach: a $0 price notice."""
    return Inputs(campaign_type=logit.NOTICE, delta=0.0, plans=inputs.plans)


def notice_value(inputs: Inputs, plan_name: np.ndarray, plan_price: np.ndarray) -> np.ndarray:
    """Each customer's price change in dollars a month under a price notice: the change on
    their plan (``by_plan``), else the scenario's one change in dollars or percent."""
    price = plan_price.astype(float)
    if inputs.delta_pct is not None:
        value = price * inputs.delta_pct / 100
    else:
        value = np.full(len(price), float(inputs.delta or 0.0))
    for plan, dollars, pct in inputs.by_plan:
        on = plan_name == plan
        value[on] = price[on] * pct / 100 if pct is not None else float(dollars or 0.0)
    return value


def _scenario_cells(
    model: ResponseModel, people: Mapping[str, np.ndarray], inputs: Inputs
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Design inputs for ``people`` under ``inputs``, and what makes them extrapolated."""
    n = len(people["segment_id"])
    notes = list(inputs.notes)
    known = model.facts.get(inputs.campaign_type)
    if known is None:
        notes.append(f"no '{inputs.campaign_type}' campaigns in the history")
        known = {"value_typical": 0.0, "value_min": 0.0, "value_max": 0.0}
    if inputs.campaign_type == logit.NOTICE:
        value = notice_value(inputs, people["plan_name"], people["plan_price"])
        if inputs.value_add and not known.get("value_add_seen"):
            notes.append("no price change with a value-add in the history")
    else:
        worth = inputs.offer_value if inputs.offer_value is not None else known["value_typical"]
        value = np.full(n, float(worth))
    if n and (value.min() < known["value_min"] - 1e-9 or value.max() > known["value_max"] + 1e-9):
        notes.append(
            f"value ${value.min():.2f}..${value.max():.2f} outside the history's "
            f"${known['value_min']:.2f}..${known['value_max']:.2f}"
        )
    cells = {
        "segment_id": people["segment_id"],
        "plan_name": people["plan_name"],
        "tenure_band": people["tenure_band"],
        "risk_band": people["risk_band"],
        "sensitivity_band": people["sensitivity_band"],
        "campaign_type": np.full(n, inputs.campaign_type),
        "offer_value": value,
        "value_add": np.full(n, 1.0 if inputs.value_add else 0.0),
    }
    return cells, notes


def _prepared(
    model: ResponseModel, people: Mapping[str, np.ndarray], inputs: Inputs
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list[str], dict[str, float]]:
    """The scenario's customers (its plans only, when it names any), their design cells, the
    extrapolation notes and the channel mix."""
    people = dict(people)
    if inputs.plans:
        keep = np.isin(people["plan_name"], list(inputs.plans))
        people = {k: v[keep] for k, v in people.items()}
    cells, notes = _scenario_cells(model, people, inputs)
    return people, cells, notes, channel_mix(model, inputs)


def channel_mix(model: ResponseModel, inputs: Inputs) -> dict[str, float]:
    """The channels a scenario is sent through, with weights: its own, else the history's
    mix for its campaign type, else the model's first channel."""
    if inputs.channel:
        return {inputs.channel: 1.0}
    facts_ = model.facts.get(inputs.campaign_type, {})
    return dict(facts_.get("channel_mix") or {model.logit.vocab.channels[0]: 1.0})


def _logits(
    model: ResponseModel, cells: dict[str, np.ndarray], channel: str
) -> tuple[np.ndarray, np.ndarray]:
    """Point and per-replicate logits of ``cells`` sent through ``channel`` (one design)."""
    x = logit.design({**cells, "channel": np.full(len(cells["segment_id"]), channel)},
                     model.logit.vocab)  # fmt: skip
    point = np.asarray(x @ model.logit.coef)
    draws = (
        np.stack([np.asarray(x @ w) for w in model.logit.replicates])
        if model.logit.replicates
        else np.zeros((0, *point.shape))
    )
    return point, draws


def _mixed(
    logits: list[tuple[float, np.ndarray, np.ndarray]], n: int, replicates: int
) -> tuple[np.ndarray, np.ndarray]:
    """Outcome probabilities, point and per replicate, mixed over channels by weight."""
    point = np.zeros((n, len(logit.OUTCOMES)))
    draws = np.zeros((replicates, n, len(logit.OUTCOMES)))
    for weight, at, at_draws in logits:
        point += weight * logit.softmax(at)
        for r in range(replicates):
            draws[r] += weight * logit.softmax(at_draws[r])
    return point, draws


def predict(
    model: ResponseModel, people: Mapping[str, np.ndarray], inputs: Inputs
) -> dict[str, Prediction]:
    """Each segment's predicted reaction to ``inputs`` (customers in ``people``, see
    ``population``), restricted to the scenario's plans when it names any."""
    people, cells, notes, mix = _prepared(model, people, inputs)
    logits = [(w, *_logits(model, cells, channel)) for channel, w in mix.items()]
    point, draws = _mixed(logits, len(people["segment_id"]), len(model.logit.replicates))
    quiet = _quiet(model, cells) if inputs.campaign_type == logit.NOTICE else None
    return _aggregate(model, people, inputs, point, draws, notes, quiet)


def _quiet(
    model: ResponseModel, cells: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Each cell's churn in a month without a message: a $0 price notice (the control groups'
    month), point and per replicate; None for a model whose history has no price notice.
    Asked for price notices only: an offer's campaign type is aimed at whom it is aimed at
    (a retention offer at customers about to leave), so its difference from a $0 notice
    mixes that aim with the offer's effect, and offers keep no control group to tell them
    apart."""
    if logit.NOTICE not in model.logit.vocab.types:
        return None
    n = len(cells["segment_id"])
    # notices have no channel term, so any channel scores them
    point, draws = _logits(model, logit.quiet(cells), model.logit.vocab.channels[0])
    churned = logit.OUTCOMES.index("churned")
    return logit.softmax(point)[:, churned], np.array(
        [logit.softmax(d)[:, churned] for d in draws]
    ).reshape(len(draws), n)


def _quiet_churners(
    quiet: tuple[np.ndarray, np.ndarray] | None,
    mask: np.ndarray,
    customers: np.ndarray,
    arpu: np.ndarray,
) -> dict[str, Any]:
    """A segment's churners in a month without the message and their monthly revenue, point
    and draws."""
    if quiet is None:
        return {}
    point, draws = quiet
    return {
        "quiet_churners": float(customers[mask] @ point[mask]),
        "quiet_draws": draws[:, mask] @ customers[mask],
        "quiet_revenue": float(arpu[mask] @ point[mask]),
        "quiet_revenue_draws": draws[:, mask] @ arpu[mask],
    }


def _main_plan(plans: np.ndarray, customers: np.ndarray, arpu: np.ndarray) -> dict[str, Any]:
    """The plan most of these customers are on, and their mean monthly bill."""
    if not len(plans):
        return {}
    names = sorted(set(plans.tolist()))
    counts = [float(customers[plans == p].sum()) for p in names]
    main = names[int(np.argmax(counts))]
    on = plans == main
    bill = float(arpu[on].sum()) / max(float(customers[on].sum()), 1.0)
    return {"main_plan": str(main), "main_plan_arpu": round(bill, 2)}


def predict_line(
    model: ResponseModel, people: Mapping[str, np.ndarray], inputs: list[Inputs]
) -> list[dict[str, Prediction]]:
    """``predict`` for scenarios that differ only in their value (the price change in dollars
    or percent, or the offer's worth), as a sweep asks: the design is linear in the value on
    each side of zero, so it is built three times, not once per point. Falls back to
    ``predict`` per point when the scenarios differ in anything else."""

    def rest(i: Inputs) -> Inputs:
        return replace(i, delta=None, delta_pct=None, offer_value=None, notes=())

    kinds = {(i.delta is not None, i.delta_pct is not None, i.offer_value is not None)
             for i in inputs}  # fmt: skip
    if not inputs or len({rest(i) for i in inputs}) > 1 or len(kinds) > 1:
        return [predict(model, people, i) for i in inputs]
    field_name = (
        "delta_pct"
        if inputs[0].delta_pct is not None
        else ("offer_value" if inputs[0].campaign_type != logit.NOTICE else "delta")
    )

    def at(i: Inputs, value: float) -> Inputs:
        changes: dict[str, Any] = {field_name: value}
        return replace(i, **changes)

    first = inputs[0]
    if field_name == "offer_value" and first.offer_value is None:
        return [predict(model, people, i) for i in inputs]
    people_, cells0, _, mix = _prepared(model, people, at(first, 0.0))
    quiet = _quiet(model, cells0) if first.campaign_type == logit.NOTICE else None
    Step = tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    anchors: dict[float, list[Step]] = {}
    bases = {channel: _logits(model, cells0, channel) for channel in mix}
    for side in (1.0, -1.0):
        _, cells_side, _, _ = _prepared(model, people, at(first, side))
        anchors[side] = []
        for channel, w in mix.items():
            base, base_draws = bases[channel]
            moved, moved_draws = _logits(model, cells_side, channel)
            anchors[side].append((w, base, base_draws, moved - base, moved_draws - base_draws))
    out = []
    n, replicates = len(people_["segment_id"]), len(model.logit.replicates)
    for item in inputs:
        value = float(getattr(item, field_name) or 0.0)
        side = 1.0 if value >= 0 else -1.0
        logits = [(w, base + abs(value) * step, base_draws + abs(value) * step_draws)
                  for w, base, base_draws, step, step_draws in anchors[side]]  # fmt: skip
        point, draws = _mixed(logits, n, replicates)
        _, _, notes, _ = _prepared(model, people, item)
        out.append(_aggregate(model, people_, item, point, draws, notes, quiet))
    return out


def _aggregate(
    model: ResponseModel,
    people: dict[str, np.ndarray],
    inputs: Inputs,
    point: np.ndarray,
    draws: np.ndarray,
    notes: list[str],
    quiet: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, Prediction]:
    """Per-segment figures from per-cell outcome probabilities (and each cell's churn in a
    month without the message, ``quiet``)."""
    facts_ = model.facts.get(inputs.campaign_type, {})
    per_taker = float(facts_.get("conversion_per_taker", 0.0))
    messages = facts_.get("messages_by_segment")  # absent from models fitted before it
    churned = logit.OUTCOMES.index("churned")
    customers = people["customers"]
    arpu = people["arpu_total"].astype(float)
    change = (
        notice_value(inputs, people["plan_name"], people["plan_price"])
        if inputs.campaign_type == logit.NOTICE
        else np.zeros(len(customers))
    )
    out = {}
    for segment in sorted(set(people["segment_id"])):
        mask = people["segment_id"] == segment
        count = float(customers[mask].sum())
        weights = customers[mask] / max(count, 1.0)
        shares = weights @ point[mask]
        share_draws = np.einsum("c,rco->ro", weights, draws[:, mask])
        churners = float(customers[mask] @ point[mask, churned])
        revenue = float(arpu[mask] @ point[mask, churned])
        churner_draws = draws[:, mask, churned] @ customers[mask]
        revenue_draws = draws[:, mask, churned] @ arpu[mask]
        response, conversion, _ = logit.rates(shares, per_taker)
        out[segment] = Prediction(
            segment,
            count,
            {k: float(shares[j]) for j, k in enumerate(logit.OUTCOMES)},
            share_draws,
            churners,
            churner_draws,
            revenue,
            revenue_draws,
            float(response),
            float(conversion),
            logit.rates(share_draws, per_taker)[:, :2],
            extrapolated=bool(notes),
            notes=notes,
            reached_revenue=float(arpu[mask].sum()),
            added_revenue=float(customers[mask] @ ((1.0 - point[mask, churned]) * change[mask])),
            messages=int(messages.get(segment, 0)) if messages is not None else None,
            **_main_plan(people["plan_name"][mask], customers[mask], arpu[mask]),
            **_quiet_churners(quiet, mask, customers, arpu),
        )
    return out


__all__ = [
    "EXTRAPOLATION_WIDENING",
    "INTERVAL",
    "UNCERTAIN_SHARE",
    "Inputs",
    "Prediction",
    "interval",
    "population",
    "predict",
    "predict_line",
    "quiet_inputs",
    "reached_arpu",
    "too_uncertain",
]
