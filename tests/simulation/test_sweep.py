"""`cdt sweep`: every point is the response model's single-simulation figure at that value,
the answers (optimum, break-even, exemptions) follow from the points, and bad ranges are
refused with a fix."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdt import api
from cdt.agents import sweep as S
from cdt.agents.plan import plan_simulation
from cdt.agents.sweep_points import sweep_values
from cdt.calibrate import latest_model
from cdt.calibrate import logit as M
from cdt.calibrate.predict import Inputs, population, predict, predict_line
from cdt.config import Settings
from cdt.errors import ConfigError
from cdt.scenario import parse


@pytest.mark.parametrize(
    ("param", "start", "stop", "step", "says"),
    [
        ("price_delta", 5, 1, 1, "above --to"),
        ("price_delta", 0, 5, 0, "must be above 0"),
        ("price_delta", 0, 500, 1, "more than 200"),
        ("competitor", 0, 5, 1, "not a numeric field"),
        ("price_temporary", 0, 1, 1, "not a numeric field"),
    ],
)
def test_bad_ranges_are_refused(
    param: str, start: float, stop: float, step: float, says: str
) -> None:
    with pytest.raises(ConfigError, match=says) as raised:
        sweep_values(param, start, stop, step)
    assert raised.value.fix


def test_the_points_are_the_range() -> None:
    assert sweep_values("price_delta", 0, 15, 1) == [float(v) for v in range(16)]
    assert sweep_values("price_delta_pct", 0, 1, 0.25) == [0, 0.25, 0.5, 0.75, 1.0]
    assert len(sweep_values("price_delta", 0, 199, 1)) == 200


def test_each_point_equals_a_single_simulation(calibrated_twin: Settings) -> None:
    scenario = parse("price increase $5")
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        result = S.run_sweep(backend, model, scenario, "price_delta", [0.0, 3.0, 7.5, 12.0])
        unchanged = plan_simulation(
            backend, model, scenario.model_copy(update={"price_delta": 0.0})
        ).predictions
        for point in result.points:
            single = plan_simulation(
                backend, model, scenario.model_copy(update={"price_delta": point["value"]})
            ).predictions
            for segment, prediction in single.items():
                found = point["segments"][segment]
                assert found["churners"] == pytest.approx(prediction.churners, abs=1e-3)
                assert found["revenue_at_risk"] == pytest.approx(prediction.revenue, abs=5e-3)
                stayers = prediction.customers - prediction.churners
                lost = prediction.revenue - unchanged[segment].revenue
                assert found["net_revenue"] == pytest.approx(
                    point["value"] * stayers - lost, abs=5e-3
                )
    # With no change there is nothing gained and nothing lost to the change.
    assert result.points[0]["overall"]["net_revenue"] == pytest.approx(0.0, abs=0.05)
    assert result.optimum is not None and result.optimum["value"] in result.values
    assert result.targeting is not None


def test_churners_rise_with_the_increase_and_net_revenue_is_continuous(
    calibrated_twin: Settings,
) -> None:
    values = sweep_values("price_delta", 0, 15, 0.5)
    with api.connect(calibrated_twin) as backend:
        result = S.run_sweep(
            backend, latest_model(backend), parse("price increase $5"), "price_delta", values
        )
    for segment in result.points[0]["segments"]:
        churners = [p["segments"][segment]["churners"] for p in result.points]
        assert all(b >= a - 1e-6 for a, b in itertools.pairwise(churners)), segment
    net = np.array([p["overall"]["net_revenue"] for p in result.points])
    customers = sum(s["customers"] for s in result.points[0]["segments"].values())
    # A half-dollar step moves net revenue by at most what half a dollar on every bill is.
    assert np.abs(np.diff(net)).max() <= 0.5 * customers * 1.5


def test_the_optimum_of_a_known_response_is_found() -> None:
    # Net revenue v·(N − churn(v)) − arpu·churn(v) with churn linear in v peaks where its
    # derivative is zero: the sweep's answer must be the grid point nearest it.
    values = np.arange(0, 20.5, 0.5)
    customers, arpu, slope = 1000.0, 50.0, 20.0
    churn = slope * values
    net = values * (customers - churn) - arpu * churn
    best = S._break_even(values, net, int(np.argmax(net)))
    truth = (customers - arpu * slope) / (2 * slope)  # d/dv = N − 2·s·v − a·s = 0
    assert values[int(np.argmax(net))] == pytest.approx(truth, abs=0.25)
    assert best == pytest.approx((customers - arpu * slope) / slope, abs=1e-6)  # net = 0 again


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(-500, 500), st.floats(0, 50)), min_size=1, max_size=6),
       st.one_of(st.none(), st.floats(0, 120)))  # fmt: skip
def test_exemptions_maximise_net_revenue_within_the_cap(
    segments: list[tuple[float, float]], cap: float | None
) -> None:
    point = {
        "value": 5.0,
        "segments": {f"SEG{i:02d}": {"net_revenue": n, "churners": c}
                     for i, (n, c) in enumerate(segments)},
    }  # fmt: skip
    chosen = S._targeting(point, cap)
    applied = chosen["apply_to"]
    assert set(applied) | set(chosen["exempt"]) == set(point["segments"])
    if cap is not None:
        assert chosen["churners"] <= cap + 1e-9
    # No single change (apply one more, or exempt one) does better within the cap.
    for s in point["segments"]:
        other = [x for x in applied if x != s] if s in applied else [*applied, s]
        net = sum(point["segments"][x]["net_revenue"] for x in other)
        churners = sum(point["segments"][x]["churners"] for x in other)
        if cap is None or churners <= cap:
            assert net <= chosen["net_revenue"] + 0.01  # it is rounded to cents


def test_a_scenario_without_numbers_cannot_be_swept(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend, pytest.raises(ConfigError, match="needs numbers"):
        S.run_sweep(
            backend,
            latest_model(backend),
            parse("we now answer support calls in Klingon"),
            "offer_value",
            [1.0, 2.0],
        )


@pytest.mark.parametrize(
    "make",
    [
        lambda v: Inputs(M.NOTICE, delta=v),
        lambda v: Inputs(M.NOTICE, delta_pct=v, value_add=True, plans=("Powder", "Summit")),
        lambda v: Inputs("Loyalty Reward", offer_value=abs(v), channel="Email"),
    ],
    ids=["dollars", "percent", "offer"],
)
def test_the_linear_sweep_equals_predict_at_every_point(
    calibrated_twin: Settings, make: Any
) -> None:
    values = [-6.0, -0.5, 0.0, 0.25, 3.0, 11.0, 40.0]
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        people = population(backend, model)
    line = predict_line(model, people, [make(v) for v in values])
    for value, found in zip(values, line, strict=True):
        expected = predict(model, people, make(value))
        assert set(found) == set(expected)
        for segment, prediction in expected.items():
            got = found[segment]
            for outcome, share in prediction.shares.items():
                assert got.shares[outcome] == pytest.approx(share, rel=1e-9, abs=1e-12)
            assert got.churners == pytest.approx(prediction.churners, rel=1e-9)
            assert np.allclose(got.churner_draws, prediction.churner_draws, rtol=1e-9)
            assert got.notes == prediction.notes


def test_a_sweep_is_stored_and_replays_without_the_model(calibrated_twin: Settings) -> None:
    scenario = api.parse_scenario("price increase $5")
    result = api.sweep(calibrated_twin, scenario, param="price_delta", start=0, stop=6, step=2)
    assert result.sweep_id
    listed = api.sweep_history(calibrated_twin)
    assert [r["sweep_id"] for r in listed] == [result.sweep_id]
    assert listed[0]["param"] == "price_delta" and listed[0]["range_to"] == 6
    replay = api.history_show(calibrated_twin, result.sweep_id[:8])
    assert replay["kind"] == "sweep" and replay["scenario"]["price_delta"] == 5.0
    assert replay["points"] == result.to_dict()["points"]
    assert replay["optimum"] == result.optimum
    with pytest.raises(ConfigError, match="no simulation or sweep"):
        api.history_show(calibrated_twin, "ffffffff")
    # A refused range stores nothing.
    with pytest.raises(ConfigError):
        api.sweep(calibrated_twin, scenario, param="price_delta", start=6, stop=0, step=1)
    assert len(api.sweep_history(calibrated_twin)) == 1
