"""The response model compiled to SQL scores a scenario as Python's ``predict`` does: the
same per-segment shares to 1e-9 on DuckDB, with the scenario's values bound, never written."""

from __future__ import annotations

import pytest
import sqlglot

from cdt import api
from cdt.calibrate import latest_model
from cdt.calibrate import logit as M
from cdt.calibrate.predict import Inputs, population, predict
from cdt.calibrate.score_sql import NAME, scenario_binds, scoring_sql, shares_in_sql
from cdt.config import Settings

HOSTILE = "Price Change Notice'; DROP TABLE RAW.CUSTOMERS; --"


SCENARIOS = [
    Inputs(M.NOTICE, delta=5.0),
    Inputs(M.NOTICE, delta=-10.0, channel="Email"),
    Inputs(M.NOTICE, delta_pct=8.0, value_add=True, plans=("Powder", "Summit")),
    Inputs(  # several changes: dollars on two plans, a percent cut on a third
        M.NOTICE,
        plans=("Glacier", "Summit", "Avalanche"),
        by_plan=(("Glacier", 2.0, None), ("Summit", 5.0, None), ("Avalanche", None, -4.0)),
    ),
    Inputs("Loyalty Reward", offer_value=10.0),
    Inputs("Competitor Response"),  # the history's typical worth
    Inputs("Retention Offer", offer_value=40.0, channel="a channel the model never saw"),
    Inputs("A campaign type the model never saw", offer_value=5.0),
]


@pytest.mark.parametrize(
    "inputs", SCENARIOS, ids=lambda i: f"{i.campaign_type}-{i.delta}-{len(i.by_plan)}"
)
def test_sql_shares_equal_pythons_predict(calibrated_twin: Settings, inputs: Inputs) -> None:
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        expected = predict(model, population(backend, model), inputs)
        found = shares_in_sql(backend, model, inputs)
    assert set(found) == set(expected) and found
    for segment, prediction in expected.items():
        assert found[segment]["customers"] == pytest.approx(prediction.customers, abs=1e-9)
        for outcome in M.OUTCOMES:
            assert found[segment]["shares"][outcome] == pytest.approx(
                prediction.shares[outcome], abs=1e-9
            ), (segment, outcome)
        assert found[segment]["churners"] == pytest.approx(prediction.churners, rel=1e-9)
        assert found[segment]["revenue_at_risk"] == pytest.approx(prediction.revenue, rel=1e-9)


def test_the_scenario_is_bound_never_written(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        sql = scoring_sql(backend, model)
        hostile = Inputs(HOSTILE, offer_value=5.0, plans=("x'); DROP TABLE y; --",))
        binds = scenario_binds(model, hostile)
        assert HOSTILE in binds and "DROP TABLE" not in sql
        # A hostile scenario is just a type nobody was fitted on: scored, nothing dropped.
        assert shares_in_sql(backend, model, hostile) == {}  # no plan matches
        assert backend.scalar("SELECT count(*) FROM RAW.CUSTOMERS") > 0
    # The query is the same text whatever the scenario, and parses as Snowflake's.
    assert sqlglot.parse_one(sql, read="snowflake") is not None


def test_names_that_could_break_out_of_a_literal_are_refused() -> None:
    assert NAME.fullmatch("Summit Family") and NAME.fullmatch("Price Change Notice")
    for bad in ("O'Brien", "a\nb", "x; DROP", "", "x" * 81):
        assert not NAME.fullmatch(bad)
    from cdt.calibrate.score_sql import _name

    with pytest.raises(ValueError, match="cannot be written"):
        _name("SEG01' OR '1'='1")
