"""The fidelity thresholds ``make eval`` asserts, by the scale of the twin it builds.

At scale 1 (1M customers) they are the targets DESIGN.md states. The world is at real-world
magnitudes (docs/generator.md): about 1% of customers leave in a month and a +$5 notice adds
about 12 bp, so a smaller twin holds too few churners to judge. At scale 0.1 the data itself
showed a +$10 notice losing fewer customers than a +$2 one (each price notice reaches a few
thousand customers, about 30 of whom leave), so the response model, fitted on it, ordered the
rises wrongly on seed 5 and missed the truth at +$5 on seed 42. The run refuses a twin below
scale 1 (MIN_SCALE); the small-scale tier that passed at 0.1 when churn was ten times as
price-sensitive is gone with that world.
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
    # Conversions are rare (1-8% of the messages an offer reaches): the intervals of a
    # unit's conversion rate hold it 91-97% of the time on seeds 42, 7 and 11, so the upper
    # end allows 97%.
    coverage=(0.85, 0.97),
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

#: The smallest twin the evaluations judge (see the module's docstring).
MIN_SCALE = 1.0


def thresholds_for(scale: float) -> Thresholds:
    """The tier a twin of ``scale`` is held to."""
    if scale < MIN_SCALE:
        raise ValueError(
            f"CDT_EVAL_SCALE={scale:g} is too small to judge: at real-world magnitudes a twin "
            f"below scale {MIN_SCALE:g} holds too few churners for the checks. Use "
            f"{MIN_SCALE:g} or more (evals/thresholds.py)."
        )
    return FULL
