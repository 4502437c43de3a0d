"""Every figure within what is possible, however far a scenario extrapolates: shares and their
intervals in [0, 1], churners at most the customers reached, revenue at risk at most their
revenue, and a sweep's bands rising with its churners."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdt import api
from cdt.calibrate.predict import UNCERTAIN_SHARE, interval, too_uncertain
from cdt.config import Settings
from cdt.scenario import Kind, Scenario
from cdt.scenario.overrides import apply


def _change(delta: float) -> Scenario:  # confirmed, so a large one is not refused
    return Scenario(kind=Kind.PRICE_CHANGE, price_delta=delta, overrides={"price_delta": delta})


SCENARIOS = st.one_of(
    st.builds(_change, st.floats(-20, 40)),
    st.builds(lambda v: Scenario(kind=Kind.LOYALTY_REWARD, offer_value=v), st.floats(0, 400)),
    st.builds(lambda v: Scenario(kind=Kind.RETENTION_OFFER, offer_value=v, offer_months=6),
              st.floats(0, 200)),
)  # fmt: skip


@given(st.floats(0, 1), st.lists(st.floats(0, 1), min_size=5, max_size=40), st.booleans())
def test_an_interval_keeps_to_its_floor_and_ceiling(point: float, draws: list[float],
                                                     widened: bool) -> None:  # fmt: skip
    low, high = interval(point, np.array(draws), extrapolated=widened, ceiling=1.0)
    assert 0.0 <= low <= point <= high <= 1.0 or (point == low == high)


def test_too_uncertain_is_a_rule_on_the_interval_and_the_reached() -> None:
    assert too_uncertain([0.0, 40.0], 100, 250) is None
    assert too_uncertain([0.0, 60.0], 100, 250) == (
        "too uncertain: 250 comparable messages in the history"
    )
    assert too_uncertain([0.0, 60.0], 100, None) == (
        "too uncertain: the 90% interval spans 0–60 of 100"
    )
    assert too_uncertain([0.0, 0.0], 0, 0) is None


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(SCENARIOS)
def test_simulated_figures_stay_within_what_is_possible(
    calibrated_twin: Settings, scenario: Scenario
) -> None:
    result = api.simulate(calibrated_twin, scenario)
    for row in result.segments:
        if not row.get("action_shares"):
            continue
        for low, high in row["action_share_intervals"].values():
            assert 0.0 <= low <= high <= 1.0
        reached = row["affected_customers"]
        c_low, c_high = row["expected_churners_interval"]
        assert 0.0 <= c_low <= row["expected_churners"] <= c_high <= reached + 0.5
        assert row["revenue_at_risk_interval"][0] >= 0.0
        # an interval too wide to act on is said so, with the evidence behind it
        wide = c_high - c_low > UNCERTAIN_SHARE * reached
        assert bool(row["too_uncertain"]) == wide
        assert row["comparable_messages"] is not None and row["comparable_messages"] >= 0
        if wide:
            assert row["too_uncertain"] == (
                f"too uncertain: {row['comparable_messages']:,} comparable messages in the history"
            )
    overall = result.overall
    if "expected_churners_interval" in overall:
        assert overall["expected_churners_interval"][1] <= overall["affected_customers"] + 0.5


def test_a_sweeps_churner_bands_rise_with_its_churners(calibrated_twin: Settings) -> None:
    scenario = apply(api.parse_scenario("price increase $5"), {"price_delta": "5"})
    swept = api.sweep(calibrated_twin, scenario, param="price_delta", start=0, stop=30, step=5)
    churners = [p["overall"]["churners"] for p in swept.points]
    lows = [p["overall"]["churners_interval"][0] for p in swept.points]
    highs = [p["overall"]["churners_interval"][1] for p in swept.points]
    assert churners == sorted(churners)
    assert lows == sorted(lows) and highs == sorted(highs)
    assert all(lo <= c <= hi for lo, c, hi in zip(lows, churners, highs, strict=True))
    if swept.optimum is not None:
        at_end = swept.optimum["value"] in (swept.values[0], swept.values[-1])
        assert swept.optimum["inside"] is not at_end
