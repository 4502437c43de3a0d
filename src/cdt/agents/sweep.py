"""`cdt sweep`: one numeric field of a scenario swept over a range, every point scored by the
response model alone (no LLM), with the net-revenue optimum, the break-even and which
segments to exempt.

Per point, segment and overall: churners, monthly revenue at risk (the churners' bills), the
revenue added by those who stay (the increase on each stayer's bill), and net revenue: added
revenue minus the revenue at risk *beyond* that of the same notice with no change (the churn
that happens anyway is not the increase's doing), each with its 90% band from the bootstrap
replicates (paired replicate by replicate). Net revenue is defined for price changes only;
for other kinds the sweep reports churners and revenue at risk.

A scenario with several price changes sweeps either one of them (``--param change:N``, its
size in its own unit, the others held) or a common offset added to every change
(``--param price_delta`` or ``price_delta_pct``, when all are in that unit); the result says
which in ``swept``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cdt.agents import grounding, sweep_points, targeting
from cdt.backends.base import Backend
from cdt.calibrate import Prediction, ResponseModel, population, predict
from cdt.calibrate.predict import interval, predict_line
from cdt.errors import ConfigError
from cdt.scenario import Scenario, plausible
from cdt.scenario.model import PRICE_KINDS

#: Exempting is searched exhaustively up to this many segments, greedily beyond.
EXHAUSTIVE = 16


@dataclass
class SweepResult:
    """A sweep's points and its answers."""

    param: str
    values: list[float]
    points: list[dict[str, Any]]
    net_defined: bool
    optimum: dict[str, Any] | None = None
    break_even: float | None = None
    targeting: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)
    reading: str = ""  # the scenario as read, in plain words
    swept: str = ""  # what the values vary, in plain words
    sweep_id: str | None = None  # set once stored in HISTORY.SWEEPS

    def to_dict(self) -> dict[str, Any]:
        return {
            "sweep_id": self.sweep_id,
            "param": self.param,
            "values": self.values,
            "net_revenue_defined": self.net_defined,
            "optimum": self.optimum,
            "break_even": self.break_even,
            "targeting": self.targeting,
            "warnings": self.warnings,
            "reading": self.reading,
            "swept": self.swept,
            "points": self.points,
        }


def _band(point: float, draws: np.ndarray, extrapolated: bool) -> list[float]:
    return [round(v, 2) for v in interval(point, draws, extrapolated=extrapolated)]


def _signed_band(point: float, draws: np.ndarray, extrapolated: bool) -> list[float]:
    """``interval`` for a figure that may be negative (net revenue): no floor at 0."""
    return [round(v, 2) for v in interval(point, draws, extrapolated=extrapolated, floor=None)]


def _increase(
    scenario: Scenario, people: dict[str, np.ndarray], mask: np.ndarray, prediction: Prediction
) -> float:
    """The monthly increase on one stayer's bill in the segment ``mask`` selects (with
    several changes, the stayers' mean: each pays the change on their own plan)."""
    if scenario.changes:
        return prediction.added_revenue / max(prediction.customers - prediction.churners, 1e-9)
    if scenario.price_delta is not None:
        return float(scenario.price_delta)
    if scenario.price_delta_pct is not None:
        customers = people["customers"][mask]
        price = float(customers @ people["plan_price"][mask].astype(float)) / max(
            float(customers.sum()), 1.0
        )
        return price * float(scenario.price_delta_pct) / 100
    if scenario.price_from is not None and scenario.price_to is not None:
        return float(scenario.price_to - scenario.price_from)
    return 0.0


def _figures(
    prediction: Prediction, increase: float | None, baseline: Prediction | None = None
) -> tuple[dict[str, Any], np.ndarray | None]:
    """A segment's figures at one point, and its net revenue per replicate (against
    ``baseline``, the same segment under no change)."""
    x = prediction.extrapolated
    out: dict[str, Any] = {
        "customers": round(prediction.customers),
        "churners": round(prediction.churners, 3),
        "churners_interval": _band(prediction.churners, prediction.churner_draws, x),
        "revenue_at_risk": round(prediction.revenue, 2),
        "revenue_at_risk_interval": _band(prediction.revenue, prediction.revenue_draws, x),
        "extrapolated": x,
    }
    if increase is None:
        return out, None
    added = increase * (prediction.customers - prediction.churners)
    added_draws = increase * (prediction.customers - prediction.churner_draws)
    base, base_draws = (
        (baseline.revenue, baseline.revenue_draws) if baseline else (0.0, np.zeros(0))
    )
    lost = prediction.revenue - base
    lost_draws = (
        prediction.revenue_draws - base_draws if len(base_draws) else prediction.revenue_draws
    )
    net = added - lost
    net_draws = added_draws - lost_draws
    out |= {
        "added_revenue": round(added, 2),
        "added_revenue_interval": _signed_band(added, added_draws, x),
        "revenue_lost_to_the_change": round(lost, 2),
        "net_revenue": round(net, 2),
        "net_revenue_interval": _signed_band(net, net_draws, x),
        "_net": net,
    }
    return out, net_draws


def run_sweep(
    backend: Backend,
    model: ResponseModel,
    scenario: Scenario,
    param: str,
    values: list[float],
    *,
    max_churners: float | None = None,
) -> SweepResult:
    """Score ``scenario`` with ``param`` at each of ``values``.

    Raises:
        ConfigError: the scenario has no grounding in the history (a sweep is numbers only),
        or a value the scenario's field refuses.
    """
    if max_churners is not None and not max_churners >= 0:
        raise ConfigError(f"--max-churners {max_churners:g} must be 0 or more", fix="e.g. 500")
    from cdt.agents.plan import plan_prices

    prices = plan_prices(backend)
    # the reading is checked as read: the swept field itself is the sweep's to vary
    confirmed = scenario.model_copy(
        update={"overrides": {**scenario.overrides, param: True, "changes": True}}
    )
    doubts = plausible.doubts(confirmed, prices)
    if doubts:
        raise ConfigError(doubts[0].message(), fix=doubts[0].fix())
    reach = targeting.resolve(backend, scenario)
    people = population(backend, model, reach.filters)
    net_defined = scenario.kind in PRICE_KINDS
    baseline = _baseline(model, people, scenario, param) if net_defined else {}
    points = []
    net_by_point = []
    draws_by_point = []
    warnings: list[str] = list(dict.fromkeys([*scenario.warnings, *reach.warnings]))
    scenarios, inputs = [], []
    swept = sweep_points.swept(scenario, param)
    for value in values:
        try:
            at = sweep_points.at(scenario, param, value)
        except ValueError as exc:
            raise ConfigError(
                f"{param}={value:g} is not a value the scenario takes: {exc}",
                fix="narrow --from/--to",
            ) from None
        grounded = grounding.ground(at, model.facts)
        if grounded.inputs is None:
            raise ConfigError(
                f"a sweep needs numbers, and this scenario has none: {grounded.reason}",
                fix="sweep a scenario the history grounds (e.g. a price change), or name a proxy",
            )
        scenarios.append(at)
        inputs.append(grounded.inputs)
    for value, at, predictions in zip(
        values, scenarios, predict_line(model, people, inputs), strict=True
    ):
        segments = {}
        total_draws: np.ndarray | None = None
        for segment, prediction in sorted(predictions.items()):
            mask = people["segment_id"] == segment
            increase = _increase(at, people, mask, prediction) if net_defined else None
            figures, net_draws = _figures(prediction, increase, baseline.get(segment))
            segments[segment] = figures
            if net_draws is not None:
                total_draws = net_draws if total_draws is None else total_draws + net_draws
        overall = _overall(predictions, segments, net_defined, total_draws)
        points.append({"value": value, "overall": overall, "segments": _public(segments)})
        net_by_point.append(overall.get("_net"))
        draws_by_point.append(total_draws)
        overall.pop("_net", None)
    _monotone_bands(points, "churners")
    _monotone_bands(points, "revenue_at_risk")
    result = SweepResult(param, values, points, net_defined, warnings=warnings,
                         reading=plausible.reading(scenario, prices), swept=swept)  # fmt: skip
    if net_defined and points:
        _answers(result, net_by_point, draws_by_point, max_churners)
    return result


def _baseline(
    model: ResponseModel, people: dict[str, np.ndarray], scenario: Scenario, param: str
) -> dict[str, Prediction]:
    """Each segment under the same notice with no change: the churn that happens anyway."""
    if scenario.changes:
        zero = [{"plans": c.plans, "price_delta": 0.0} for c in scenario.changes]
        grounded = grounding.ground(sweep_points.rebuilt(scenario, zero), model.facts)
        return predict(model, people, grounded.inputs) if grounded.inputs is not None else {}
    update: dict[str, Any] = {"price_delta": 0.0, "price_delta_pct": None}
    if param == "price_delta_pct" or scenario.price_delta_pct is not None:
        update = {"price_delta": None, "price_delta_pct": 0.0}
    unchanged = scenario.model_copy(update={**update, "price_from": None, "price_to": None})
    grounded = grounding.ground(unchanged, model.facts)
    return predict(model, people, grounded.inputs) if grounded.inputs is not None else {}


def _public(segments: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {s: {k: v for k, v in f.items() if not k.startswith("_")} for s, f in segments.items()}


def _overall(
    predictions: dict[str, Prediction],
    segments: dict[str, dict[str, Any]],
    net_defined: bool,
    net_draws: np.ndarray | None,
) -> dict[str, Any]:
    x = any(p.extrapolated for p in predictions.values())
    churners = sum(p.churners for p in predictions.values())
    churner_draws = _total([p.churner_draws for p in predictions.values()])
    revenue = sum(p.revenue for p in predictions.values())
    revenue_draws = _total([p.revenue_draws for p in predictions.values()])
    out: dict[str, Any] = {
        "churners": round(churners, 3),
        "churners_interval": _band(churners, churner_draws, x),
        "revenue_at_risk": round(revenue, 2),
        "revenue_at_risk_interval": _band(revenue, revenue_draws, x),
        "extrapolated": x,
    }
    if net_defined:
        net = sum(f["_net"] for f in segments.values())
        added = sum(f["added_revenue"] for f in segments.values())
        out |= {
            "added_revenue": round(added, 2),
            "net_revenue": round(net, 2),
            "net_revenue_interval": _signed_band(
                net, net_draws if net_draws is not None else np.zeros(0), x
            ),
            "_net": net,
        }
    return out


def _monotone_bands(points: list[dict[str, Any]], name: str) -> None:
    """Where a figure's point only rises (or only falls) along the sweep, its band does too:
    widening for extrapolation must not make a lower band fall as the price rises."""
    figures = [p["overall"][name] for p in points]
    bands = [p["overall"][f"{name}_interval"] for p in points]
    rising = all(b >= a for a, b in itertools.pairwise(figures))
    falling = all(b <= a for a, b in itertools.pairwise(figures))
    if len(points) < 2 or not (rising or falling):
        return
    order = range(len(points)) if rising else range(len(points) - 1, -1, -1)
    low = high = -np.inf
    for i in order:
        low, high = max(low, bands[i][0]), max(high, bands[i][1])
        bands[i][0], bands[i][1] = min(low, figures[i]), max(high, figures[i])


def _total(draws: list[np.ndarray]) -> np.ndarray:
    return np.sum(np.stack(draws), axis=0) if draws and len(draws[0]) else np.zeros(0)


def _answers(
    result: SweepResult,
    nets: list[Any],
    draws: list[np.ndarray | None],
    max_churners: float | None,
) -> None:
    values = np.array(result.values)
    net = np.array(nets, dtype=float)
    best = int(np.argmax(net))
    stacked = [d for d in draws if d is not None and len(d)]
    band = [float(values[best]), float(values[best])]
    if len(stacked) == len(values):
        per_replicate = values[np.argmax(np.stack(stacked), axis=0)]
        band = [float(np.percentile(per_replicate, 5)), float(np.percentile(per_replicate, 95))]
    result.optimum = {
        "value": float(values[best]),
        "interval": band,
        "net_revenue": round(float(net[best]), 2),
        "extrapolated": bool(result.points[best]["overall"]["extrapolated"]),
        # the best point at an end of the range is no optimum: net revenue may rise beyond it
        "inside": 0 < best < len(values) - 1,
    }
    result.break_even = _break_even(values, net, best)
    result.targeting = _targeting(result.points[best], max_churners)


def _break_even(values: np.ndarray, net: np.ndarray, best: int) -> float | None:
    """Where net revenue falls back to zero beyond the optimum (linear between points); None
    when it stays above zero over the whole range."""
    for i in range(best, len(values) - 1):
        if net[i] >= 0 > net[i + 1]:
            share = net[i] / (net[i] - net[i + 1])
            return round(float(values[i] + (values[i + 1] - values[i]) * share), 4)
    return None


def _targeting(point: dict[str, Any], max_churners: float | None) -> dict[str, Any]:
    """At ``point``: the segments to exempt that maximise net revenue, keeping the applied
    segments' churners within ``max_churners`` when given."""
    segments = point["segments"]
    ids = sorted(segments)

    def score(applied: tuple[str, ...]) -> tuple[float, float]:
        return (
            sum(segments[s]["net_revenue"] for s in applied),
            sum(segments[s]["churners"] for s in applied),
        )

    best: tuple[str, ...] | None = None
    best_net = -math.inf
    if len(ids) <= EXHAUSTIVE:
        for size in range(len(ids) + 1):
            for applied in itertools.combinations(ids, size):
                net, churners = score(applied)
                if max_churners is not None and churners > max_churners:
                    continue
                if net > best_net + 1e-9:
                    best, best_net = applied, net
    else:  # greedy: the best net per churner first
        chosen: list[str] = []
        for s in sorted(ids, key=lambda s: -segments[s]["net_revenue"]):
            if segments[s]["net_revenue"] <= 0:
                break
            if max_churners is not None and score((*chosen, s))[1] > max_churners:
                continue
            chosen.append(s)
        best = tuple(chosen)
        best_net = score(best)[0]
    assert best is not None
    exempt = [s for s in ids if s not in best]
    churners = round(score(best)[1], 3)
    if max_churners is not None:  # rounding up must not show a choice within the cap above it
        churners = min(churners, max_churners)
    return {
        "at_value": point["value"],
        "exempt": exempt,
        "apply_to": list(best),
        "net_revenue": round(best_net, 2),
        "churners": churners,
        "max_churners": max_churners,
    }
