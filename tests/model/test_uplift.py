"""The backtest's uplift curve for price notices (calibrate.uplift): the Qini coefficient is
scikit-uplift's, a ranking that follows the real uplift scores above one that inverts it, and
a twin whose notices keep control groups reports the curve."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from cdt import api
from cdt.calibrate.uplift import NO_CONTROLS, qini
from cdt.config import Settings


def _units(rng: np.random.Generator, uplifts: list[float], noise: float = 0.0) -> list[dict]:
    """Units with 4,000 notified and 400 control customers each, churning at 2% plus the
    unit's true uplift among the notified; predicted uplift = truth + ``noise``."""
    units = []
    for i, true in enumerate(uplifts):
        notified, control = 4000, 400
        units.append(
            {
                "campaign_id": "CMP-1",
                "segment_id": f"SEG{i:02d}",
                "notified": notified,
                "notified_churned": float(rng.binomial(notified, 0.02 + true)),
                "control": control,
                "control_churned": float(rng.binomial(control, 0.02)),
                "predicted_uplift": true + noise * rng.normal(),
            }
        )
    return units


def _rows(units: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per customer, as scikit-uplift takes them."""
    y, t, score = [], [], []
    for u in units:
        for treated, n, churned in ((1, u["notified"], u["notified_churned"]),
                                    (0, u["control"], u["control_churned"])):  # fmt: skip
            y += [1] * int(churned) + [0] * int(n - churned)
            t += [treated] * int(n)
            score += [u["predicted_uplift"]] * int(n)
    return np.array(y), np.array(t), np.array(score)


def test_the_qini_coefficient_is_scikit_uplifts() -> None:
    sklift_metrics = pytest.importorskip("sklift.metrics")
    rng = np.random.default_rng(3)
    for noise in (0.0, 0.02):
        units = _units(rng, [0.0, 0.002, 0.01, 0.03, 0.05, 0.005], noise)
        ours = qini(units)
        y, t, score = _rows(units)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # its use of stable_cumsum
            theirs = sklift_metrics.qini_auc_score(y, score, t)
            x, curve = sklift_metrics.qini_curve(y, score, t)
        assert ours["qini_coefficient"] == pytest.approx(theirs, abs=5e-4)
        assert [p["added_churners"] for p in ours["curve"]] == pytest.approx(curve, abs=0.06)
        assert [p["share"] for p in ours["curve"]] == pytest.approx(x / len(y), abs=1e-4)


def test_a_ranking_that_follows_the_uplift_scores_above_its_inverse() -> None:
    rng = np.random.default_rng(5)
    units = _units(rng, [0.0, 0.001, 0.004, 0.02, 0.04, 0.06, 0.08, 0.1])
    right = qini(units)
    inverted = qini([u | {"predicted_uplift": -u["predicted_uplift"]} for u in units])
    assert right["qini_coefficient"] > 0.1 > 0 > inverted["qini_coefficient"]
    low, high = right["qini_interval"]
    assert low <= right["qini_coefficient"] <= high and low > 0
    # the last point of the curve is the added churners of everyone, whatever the order
    assert right["curve"][-1] == inverted["curve"][-1]
    assert right["curve"][-1]["added_churners"] == pytest.approx(right["added_churners"], abs=0.1)
    assert right["order"][0].endswith("SEG07")


def test_a_twin_with_control_groups_gets_the_curve(calibrated_twin: Settings) -> None:
    result = api.backtest(calibrated_twin, llm_units=0, replicates=4)
    uplift = result.summary["uplift"]
    assert "reason" not in uplift, uplift
    assert uplift["campaigns"] >= 1 and uplift["units"] >= 2 and uplift["control"] > 0
    shares = [p["share"] for p in uplift["curve"]]
    assert shares[0] == 0.0 and shares[-1] == pytest.approx(1.0) and shares == sorted(shares)
    low, high = uplift["qini_interval"]
    assert low <= high


def test_no_control_groups_says_how_to_get_them(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend:
        backend.execute("DELETE FROM RAW.CAMPAIGN_RESPONSES WHERE offer_type = 'Control Group'")
    result = api.backtest(calibrated_twin, llm_units=0, replicates=2)
    assert result.summary["uplift"] == {"reason": NO_CONTROLS}
    assert "Control Group" in NO_CONTROLS
