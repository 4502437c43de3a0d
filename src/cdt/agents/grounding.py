"""Numbers from data: each segment's action shares for a scenario, from its own history.

For a price change, every outcome rate is fitted across the segment's past price-change
notices as a straight line in the dollar delta (plus a value-add term), weighted by the
customers each notice reached, and read at the scenario's delta. Other kinds of event use the
segment's mean outcome over the matching campaign type. A scenario with no matching history is
marked extrapolated. (`cdt calibrate` will replace this with a fitted response model.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cdt.agents.scenario import Scenario
from cdt.personas.history import RESPONSE_TYPES

OUTCOMES = RESPONSE_TYPES
CAMPAIGN_TYPE = {
    "price_increase": "Price Change Notice",
    "price_decrease": "Price Change Notice",
    "price_increase_value_add": "Price Change Notice",
    "competitor_offer": "Competitor Response",
    "loyalty_reward": "Loyalty Reward",
    "outage_credit": "Loyalty Reward",
    "new_plan": "Upgrade Offer",
    "streaming_bundle": "Add-On Promo",
}
VALUE_ADD_DEFAULT_WORTH = 10.0


@dataclass
class Estimate:
    """A segment's expected action shares for a scenario, and where they came from."""

    shares: dict[str, float] = field(default_factory=dict)
    basis: str = ""
    extrapolated: bool = False
    campaigns_used: int = 0


def estimate(history: list[dict[str, Any]], scenario: Scenario, arpu: float) -> Estimate:
    """Shares of a segment that would take each action, from its historical reactions."""
    kind = CAMPAIGN_TYPE.get(scenario.kind)
    rows = [r for r in history if kind and r["event_type"] == kind]
    if not rows:
        rows = [r for r in history if r["event_type"] == "Price Change Notice"]
        result = _mean(rows)
        result.extrapolated = True
        result.basis = (
            "no comparable past campaigns: the segment's average reaction to price "
            "notices, treated as extrapolated"
        )
        return result
    if kind != "Price Change Notice":
        result = _mean(rows)
        result.basis = f"mean of {len(rows)} past '{kind}' campaigns"
        return result
    delta = scenario.price_delta
    if delta is None and scenario.price_delta_pct is not None:
        delta = arpu * scenario.price_delta_pct / 100
    if delta is None:
        result = _mean(rows)
        result.extrapolated = True
        result.basis = "price change of unknown size: the segment's average price-notice reaction"
        return result
    value_add = 1.0 if scenario.value_add else 0.0
    rates = [_rates(r) for r in rows]
    x = np.array([[1.0, float(r["offer_value"]), float(r["value_add"])] for r in rates])
    w = np.sqrt(np.array([float(r["exposed"]) for r in rates]))
    shares = {}
    for outcome in OUTCOMES:
        y = np.array([r[outcome] for r in rates])
        coef, *_ = np.linalg.lstsq(x * w[:, None], y * w, rcond=None)
        shares[outcome] = float(max(0.0, coef @ [1.0, delta, value_add]))
    total = sum(shares.values()) or 1.0
    seen = [float(r["offer_value"]) for r in rates]
    outside = not (min(seen) <= delta <= max(seen))
    return Estimate(
        {k: v / total for k, v in shares.items()},
        f"line fitted over {len(rows)} past price-change notices (deltas "
        f"${min(seen):+.0f} to ${max(seen):+.0f}) read at ${delta:+.2f}",
        extrapolated=outside,
        campaigns_used=len(rows),
    )


def _rates(row: dict[str, Any]) -> dict[str, float]:
    rates = row["outcome_rates"]
    rates = json.loads(rates) if isinstance(rates, str) else rates
    return {
        **{k: float(rates.get(k) or 0.0) for k in OUTCOMES},
        "offer_value": float(rates.get("offer_value") or 0.0),
        "value_add": 1.0 if "Value Add" in str(rates.get("offer_type")) else 0.0,
        "exposed": float(row.get("customers_exposed") or 1),
    }


def _mean(rows: list[dict[str, Any]]) -> Estimate:
    if not rows:
        return Estimate(
            {k: (1.0 if k == "ignored" else 0.0) for k in OUTCOMES},
            "no history at all",
            extrapolated=True,
        )
    rates = [_rates(r) for r in rows]
    weights = np.array([r["exposed"] for r in rates])
    shares = {k: float(np.average([r[k] for r in rates], weights=weights)) for k in OUTCOMES}
    return Estimate(shares, "", campaigns_used=len(rows))
