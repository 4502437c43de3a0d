"""Calibration in the field's terms: the observed rate smoothed against the predicted one
(LOWESS), and how far the prediction sits from that curve (ICI, E50, E90)."""

from __future__ import annotations

from typing import Any

import numpy as np

#: Smallest number of held-out units a smoothed calibration curve is drawn through.
MIN_CALIBRATION_UNITS = 10
#: Points the stored calibration curve is drawn at.
CURVE_POINTS = 20


def calibration_errors(predicted: np.ndarray, observed: np.ndarray) -> dict[str, Any]:
    """The field's calibration figures over held-out units (Austin & Steyerberg, 2019): the
    observed rate smoothed against the predicted one by LOWESS (statsmodels; span 2/3, no
    robustness passes), then the absolute gap between that curve and the prediction at each
    unit, in percentage points: its mean (ICI), median (E50) and 90th percentile (E90).
    Empty when the units are too few or all predict alike (no curve to draw)."""
    if len(predicted) < MIN_CALIBRATION_UNITS or predicted.std() == 0:
        return {}
    from statsmodels.nonparametric.smoothers_lowess import lowess

    # The smoothed curve at each unit, and at CURVE_POINTS predicted rates across the units'
    # range (the reliability diagram's line, `cdt backtest --out`). Where many units predict
    # the same rate a neighbourhood can have no width and LOWESS gives no value there: such
    # points are left out, and with too few left there is no curve.
    grid = np.linspace(predicted.min(), predicted.max(), CURVE_POINTS)
    with np.errstate(invalid="ignore", divide="ignore"):
        smoothed = lowess(observed, predicted, frac=2 / 3, it=0, return_sorted=False)
        curve = lowess(observed, predicted, frac=2 / 3, it=0, xvals=grid)
    drawn = np.isfinite(smoothed)
    if drawn.sum() < MIN_CALIBRATION_UNITS:
        return {}
    gap = np.abs(smoothed[drawn] - predicted[drawn]) * 100
    return {
        "ici_pp": round(float(gap.mean()), 3),
        "e50_pp": round(float(np.median(gap)), 3),
        "e90_pp": round(float(np.percentile(gap, 90)), 3),
        "calibration_curve": [
            {"predicted": round(float(x), 5), "observed": round(float(y), 5)}
            for x, y in zip(grid, curve, strict=True)
            if np.isfinite(y)
        ],
    }
