"""The fidelity thresholds ``make eval`` asserts, by the scale of the twin it builds.

At scale 1 (1M customers) they are the targets DESIGN.md states. A smaller twin has fewer
customers per backtest unit and per archetype, so binomial noise alone moves its figures: at
scale 0.1 a backtest unit's response rate carries about three times the noise it does at
scale 1. The small-scale tier therefore drops the absolute error target and checks what noise does
not excuse: the model beating the segment means, calibrated intervals, monotone directions,
the whole twin's churn inside its interval, the typical archetype's churn. It passes at scale
0.1 on seeds 42, 5 and 7 and at scale 0.05 on seeds 42 and 5. Below scale 0.05 a twin is too
small to judge (at 0.02 the response model is only 25% better than the segment means and the
median archetype misses by 32%), so the run refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """What each evaluation must reach. ``None`` means the check does not run at this scale."""

    scale_tier: str
    # Segments against the hidden archetypes (adjusted Rand index).
    ari: float
    # Backtest on held-out campaigns: the rates checked (coverage and calibration), those
    # whose error must be at least ``below_segment_mean`` below the segment-mean baseline's,
    # its 90% intervals' coverage inside this range, and the response rate's absolute error.
    # Churn is not held to beat the segment means: at real-world magnitudes a held-out unit's
    # churn (about 1% of a few thousand messages) carries a binomial noise of about 0.2 pp,
    # the size of the whole gap between the methods, so both errors are mostly that noise.
    rates: tuple[str, ...]
    beat_rates: tuple[str, ...]
    below_segment_mean: float
    coverage: tuple[float, float]
    response_mae_pp: float | None
    # Calibration: ICI (the mean gap, in points, between the prediction and the observed rate
    # smoothed against it) at most this, and the response rate's E90 at most this. Not judged
    # against the segment means: an average is calibrated in the large while telling no one
    # apart, so a baseline's ICI can be small (0.42 pp at scale 0.05, seed 5).
    ici_pp: float
    response_e90_pp: float | None
    # Churners at a price notice, the whole twin: the truth inside the model's 90% interval
    # always, and |model / truth - 1| at most this.
    total_churn: float | None
    # Per archetype: the largest |model / truth - 1| at +$2, +$5 and +$10 (scale 1) or the
    # median one (smaller scales, where an archetype holds a few thousand customers); at +$5,
    # the scale-1 twin is held to the tighter ``archetype_churn_at_5``.
    archetype_churn: float
    archetype_churn_of: str
    archetype_churn_at_5: float
    # A simulation's 90% interval of a segment's churners holds the truth this often, and its
    # median half-width relative to the point is at most this.
    truth_intervals: float
    truth_half_width: float | None


FULL = Thresholds(
    scale_tier="scale 1",
    ari=0.70,
    rates=("response_rate", "conversion_rate", "churn_rate"),
    beat_rates=("response_rate", "conversion_rate"),
    below_segment_mean=0.30,
    coverage=(0.85, 0.95),
    response_mae_pp=1.5,
    ici_pp=0.5,
    response_e90_pp=0.5,
    total_churn=0.10,
    archetype_churn=0.25,
    archetype_churn_of="max",
    archetype_churn_at_5=0.15,
    truth_intervals=0.85,
    truth_half_width=0.25,
)

SMALL = Thresholds(
    scale_tier="below scale 1",
    ari=0.70,
    rates=("response_rate", "conversion_rate"),
    beat_rates=("response_rate", "conversion_rate"),
    below_segment_mean=0.30,
    coverage=(0.85, 0.97),
    response_mae_pp=None,
    ici_pp=1.0,
    response_e90_pp=None,
    total_churn=None,
    archetype_churn=0.25,
    archetype_churn_of="median",
    archetype_churn_at_5=0.25,
    truth_intervals=0.85,
    truth_half_width=None,
)


#: The smallest twin the evaluations judge.
MIN_SCALE = 0.05


def thresholds_for(scale: float) -> Thresholds:
    """The tier a twin of ``scale`` is held to."""
    if scale < MIN_SCALE:
        raise ValueError(
            f"CDT_EVAL_SCALE={scale:g} is too small to judge: at scales below {MIN_SCALE:g} "
            f"noise alone fails the checks. Use {MIN_SCALE:g} or more (1 for the targets at "
            "full size, evals/thresholds.py)."
        )
    return FULL if scale >= 1.0 else SMALL
