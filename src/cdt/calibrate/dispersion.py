"""How far a campaign lands from the model's rate beyond its customers' binomial noise.

A backtest's 90% interval for a held-out unit (one campaign's messages to one segment) has
three parts: the model's own uncertainty (the bootstrap replicates), the sampling of the
unit's customers (binomial), and what the model does not capture about that campaign and
segment. The third is measured here, out of bag: a replicate's Poisson weights leave out about
37% of the campaigns, so its rates for them are predictions made without them. Over every
(unit, replicate) pair where the unit's campaign was left out and at least ``min_delivered``
messages reached the unit, a moment estimate per rate of the beta-binomial intra-unit
correlation:

    rho = max(0, Σ [(x - n·p)² - n·p·(1 - p)] / Σ n·(n - 1)·p·(1 - p))

where x is the unit's observed count, n its delivered messages and p the replicate's rate for
it. A count then varies as n·p·(1 - p)·(1 + (n - 1)·rho): a large unit strays further than
binomial noise alone would let it. The left-out fit's own error is part of (x - n·p) and is
not subtracted, though the replicates add it to the interval again: a conservative choice,
measured (subtracting it left seed 42's churn intervals covering 85-87%, not 90%).

Only training campaigns are read, so a backtest's coverage stays an honest check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cdt.calibrate import logit, newton
from cdt.calibrate.response import ResponseModel

RATES = ("response_rate", "conversion_rate", "churn_rate")
_FLOOR = 1e-9  # rates are kept inside (0, 1) for the beta draws


@dataclass(frozen=True)
class Dispersion:
    """The intra-unit correlation per rate (RATES order), and how many out-of-bag
    (unit, replicate) pairs it was measured on."""

    rho: tuple[float, float, float]
    pairs: int

    def inflation(self, n: float) -> dict[str, float]:
        """The variance of a unit of ``n`` messages as a multiple of binomial noise."""
        return {r: 1 + (n - 1) * rho for r, rho in zip(RATES, self.rho, strict=True)}

    def to_dict(self, typical: float) -> dict[str, object]:
        return {
            "rho": dict(zip(RATES, self.rho, strict=True)),
            "out_of_bag_pairs": self.pairs,
            "typical_unit": round(typical),
            "variance_vs_binomial": {k: round(v, 3) for k, v in self.inflation(typical).items()},
        }


NONE = Dispersion((0.0, 0.0, 0.0), 0)


def unit_counts(cells: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each cell's unit (campaign × segment) as an index, every unit's delivered messages,
    and its observed counts (units × RATES): responses (anything but ignoring), conversions
    and churners, as the backtest counts them."""
    _, campaign = np.unique(np.asarray(cells["campaign_id"]).astype(str), return_inverse=True)
    segments, segment = np.unique(np.asarray(cells["segment_id"]).astype(str),
                                  return_inverse=True)  # fmt: skip
    _, unit = np.unique(campaign.ravel() * len(segments) + segment.ravel(), return_inverse=True)
    unit = unit.ravel()
    delivered = np.asarray(cells["delivered"], dtype=float)
    n = np.bincount(unit, delivered)
    observed = np.column_stack(
        [
            n - np.bincount(unit, np.asarray(cells["ignored"], dtype=float), len(n)),
            np.bincount(unit, np.asarray(cells["converted"], dtype=float), len(n)),
            np.bincount(unit, np.asarray(cells["churned"], dtype=float), len(n)),
        ]
    )
    return unit, n, observed


def per_taker(cells: Mapping[str, np.ndarray], fitted: ResponseModel) -> np.ndarray:
    """Each cell's conversions per taker of the offer (by its campaign type)."""
    kinds = np.asarray(cells["campaign_type"]).astype(str)
    known = {k: float(v.get("conversion_per_taker", 0.0)) for k, v in fitted.facts.items()}
    return np.array([known.get(k, 0.0) for k in kinds.tolist()])


def estimate(
    fitted: ResponseModel, cells: Mapping[str, np.ndarray], seed: int, min_delivered: int
) -> Dispersion:
    """The dispersion of ``cells``' units around ``fitted``'s out-of-bag rates. ``fitted``
    must have been fitted on ``cells`` with ``seed`` (its replicates' campaign weights are
    drawn again from it)."""
    count = len(fitted.logit.replicates)
    if count == 0 or len(cells["segment_id"]) == 0:
        return NONE
    unit, n, observed = unit_counts(cells)
    weights = newton.campaign_weights(cells["campaign_id"], count, seed)
    x = logit.design(cells, fitted.logit.vocab)
    taker = per_taker(cells, fitted)
    delivered = np.asarray(cells["delivered"], dtype=float)
    large = (n >= min_delivered)[unit]
    excess = np.zeros(len(RATES))
    scale = np.zeros(len(RATES))
    pairs = 0
    for coef, weight in zip(fitted.logit.replicates, weights, strict=True):
        rows = np.flatnonzero((weight == 0) & large)
        if len(rows) == 0:
            continue
        rates = logit.rates(logit.softmax(x[rows] @ coef), taker[rows])
        held = np.unique(unit[rows])
        p = (
            np.column_stack(
                [np.bincount(unit[rows], delivered[rows] * rates[:, k], len(n)) for k in range(3)]
            )[held]
            / n[held, None]
        )
        p = np.clip(p, _FLOOR, 1 - _FLOOR)
        size = n[held, None]
        excess += ((observed[held] - size * p) ** 2 - size * p * (1 - p)).sum(axis=0)
        scale += (size * (size - 1) * p * (1 - p)).sum(axis=0)
        pairs += len(held)
    rho = np.where(scale > 0, np.maximum(excess, 0) / np.where(scale > 0, scale, 1), 0.0)
    return Dispersion((float(rho[0]), float(rho[1]), float(rho[2])), pairs)


def draw_counts(
    rng: np.random.Generator, n: int, rates: np.ndarray, rho: tuple[float, ...], draws: int
) -> np.ndarray:
    """Counts a unit of ``n`` messages may show (replicates × draws × RATES), given each
    replicate's ``rates`` (replicates × RATES): beta-binomial with intra-unit correlation
    ``rho`` per rate, binomial where it is 0."""
    p = np.clip(rates, _FLOOR, 1 - _FLOOR)[:, None, :]
    shape = (len(rates), draws, len(RATES))
    r = np.asarray(rho, dtype=float)
    spread = r > 0
    safe = np.where(spread, r, 0.5)  # any valid value where the binomial is kept
    mixed = rng.beta(p * (1 - safe) / safe, (1 - p) * (1 - safe) / safe, shape)
    return rng.binomial(n, np.where(spread, mixed, np.broadcast_to(p, shape)))
