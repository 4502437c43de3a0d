"""The backtest's uplift curve for price notices: do the segments the model expects to lose
the most customers to a notice really lose the most, against the notice's control group?

Each held-out price notice that kept an untreated control group (contract.CONTROL_GROUP)
gives one unit per segment: its notified customers and how many left in the window, its
control customers and how many left, and the model's predicted churn uplift per customer (the
notice's churn minus a $0 notice's, over the notified cells). The units, ranked by predicted
uplift, give the Qini curve (Radcliffe 2007): after the first units, the notified churners
minus the control churners scaled to as many customers. Its area above the random line,
divided by the perfect ranking's, is the Qini coefficient (scikit-uplift's
``qini_auc_score``, which tests/model/test_uplift.py checks this against row by row).

Written here rather than called from scikit-uplift: the curve is a cumulative sum over a few
dozen units, while that library (last released in 2022) works on one row per customer, pulls
in matplotlib, and calls a scikit-learn function that scikit-learn 1.10 removes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cdt.calibrate import logit
from cdt.calibrate.response import ResponseModel

#: Parametric bootstrap draws of every unit's churner counts for the coefficient's interval.
DRAWS = 400
CHURNED = logit.OUTCOMES.index("churned")


def uplift_units(
    fitted: ResponseModel,
    held: Mapping[str, np.ndarray],
    controls: Mapping[str, np.ndarray],
    campaigns: list[str],
) -> list[dict[str, Any]]:
    """One unit per (held-out price notice with a control group, segment): notified and
    control customers and churners, and the model's predicted churn uplift per customer.
    ``held`` are the backtest's cells (delivered messages), ``controls`` read_controls'."""
    kept = set(campaigns) & set(np.asarray(controls.get("campaign_id", [])).tolist())
    notices = np.isin(held["campaign_id"], list(kept)) & (held["campaign_type"] == logit.NOTICE)
    if not notices.any():
        return []
    cells = {k: v[notices] for k, v in held.items()}
    quiet = logit.quiet(cells)
    gain = fitted.logit.predict(cells)[:, CHURNED] - fitted.logit.predict(quiet)[:, CHURNED]
    control_key, key = _unit_key(controls), _unit_key(cells)
    units = []
    for unit in sorted(set(key.tolist())):
        mine, theirs = key == unit, control_key == unit
        notified = float(cells["delivered"][mine].sum())
        control = float(controls["customers"][theirs].sum())
        if notified <= 0 or control <= 0:
            continue
        campaign, segment = unit.split("|", 1)
        units.append(
            {
                "campaign_id": campaign,
                "segment_id": segment,
                "offer_value": float(cells["offer_value"][mine][0]),
                "notified": notified,
                "notified_churned": float(cells["churned"][mine].sum()),
                "control": control,
                "control_churned": float(controls["churned"][theirs].sum()),
                "predicted_uplift": float(cells["delivered"][mine] @ gain[mine] / notified),
            }
        )
    return units


#: Why a backtest has no uplift curve.
NO_CONTROLS = (
    "no held-out price notice kept a control group: keep an untreated control group in price "
    "notices (rows with delivered = FALSE and offer_type 'Control Group') to measure which "
    "segments a notice really moves"
)


def uplift_summary(
    fitted: ResponseModel,
    held: Mapping[str, np.ndarray],
    controls: Mapping[str, np.ndarray] | None,
    holdout: list[str],
    seed: int,
) -> dict[str, Any]:
    """The held-out price notices' Qini curve, or why there is none."""
    found = uplift_units(fitted, held, controls, holdout) if controls else []
    return qini(found, seed) if found else {"reason": NO_CONTROLS}


def _unit_key(cells: Mapping[str, np.ndarray]) -> np.ndarray:
    """Each cell's "campaign|segment"."""
    campaign = np.asarray(cells["campaign_id"], str)
    return np.char.add(campaign, np.char.add("|", np.asarray(cells["segment_id"], str)))


def qini(units: list[dict[str, Any]], seed: int = 42) -> dict[str, Any]:
    """The Qini curve of ``units`` ranked by predicted uplift, its coefficient with a 90%
    interval (the units' churner counts redrawn from their observed rates), and the observed
    added churners: what the uplift curve says in numbers."""
    order = sorted(range(len(units)), key=lambda i: -units[i]["predicted_uplift"])
    ranked = [units[i] for i in order]
    counts = np.array(
        [[u["notified"], u["notified_churned"], u["control"], u["control_churned"]]
         for u in ranked]
    )  # fmt: skip
    score = np.array([u["predicted_uplift"] for u in ranked])
    coefficient, curve = _coefficient(counts, score)
    rng = np.random.default_rng([seed, 11])
    draws = []
    for _ in range(DRAWS):
        again = counts.copy()
        again[:, 1] = rng.binomial(counts[:, 0].astype(int), counts[:, 1] / counts[:, 0])
        again[:, 3] = rng.binomial(counts[:, 2].astype(int), counts[:, 3] / counts[:, 2])
        draws.append(_coefficient(again, score)[0])
    low, high = np.nanpercentile(draws, [5, 95]) if draws else (np.nan, np.nan)
    total = counts.sum(axis=0)
    added = total[1] - total[3] * total[0] / total[2]
    return {
        "units": len(ranked),
        "campaigns": len({u["campaign_id"] for u in ranked}),
        "notified": int(total[0]),
        "control": int(total[2]),
        "notified_churn": round(float(total[1] / total[0]), 5),
        "control_churn": round(float(total[3] / total[2]), 5),
        "added_churners": round(float(added), 1),
        "predicted_added_churners": round(float(counts[:, 0] @ score), 1),
        "qini_coefficient": round(float(coefficient), 3),
        "qini_interval": [round(float(low), 3), round(float(high), 3)],
        "curve": curve,
        "order": [f"{u['campaign_id']}/{u['segment_id']}" for u in ranked],
    }


def _coefficient(counts: np.ndarray, score: np.ndarray) -> tuple[float, list[dict[str, float]]]:
    """The Qini coefficient of units ``counts`` (notified, their churners, control, theirs)
    ranked in their order, units of equal ``score`` taken together as one threshold, and the
    curve's points (customers reached so far, as a share, and the added churners so far)."""
    if len(counts) == 0:
        return float("nan"), []
    ends = np.r_[np.flatnonzero(np.diff(score)), len(score) - 1]
    running = np.cumsum(counts, axis=0)[ends]
    reached = running[:, 0] + running[:, 2]
    gains = _gain(running)
    x = np.r_[0.0, reached]
    y = np.r_[0.0, gains]
    n_t, y_t, n_c, y_c = counts.sum(axis=0)
    n = n_t + n_c
    base = _area([0.0, n], [0.0, y[-1]])
    # The perfect ranking (scikit-uplift's, negative effects included): every notified
    # churner first, then everyone who stayed, then every control churner.
    perfect = _area([0.0, y_t, n - y_c, n], [0.0, y_t, y_t, y[-1]]) - base
    found = _area(x, y) - base
    curve = [{"share": round(float(a / n), 4), "added_churners": round(float(b), 1)}
             for a, b in zip(x, y, strict=True)]  # fmt: skip
    return (found / perfect if perfect else float("nan")), curve


def _gain(running: np.ndarray) -> np.ndarray:
    """Notified churners minus control churners scaled to the notified count, so far."""
    n_t, y_t, n_c, y_c = running.T
    scaled = np.divide(n_t, n_c, out=np.zeros_like(n_t), where=n_c != 0)
    return np.asarray(y_t - y_c * scaled)


def _area(x: Any, y: Any) -> float:
    return float(np.trapezoid(np.asarray(y, float), np.asarray(x, float)))
