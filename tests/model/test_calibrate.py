"""The response model, its intervals and the backtest (`cdt calibrate`, `cdt backtest`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cdt import api
from cdt.agents import grounding
from cdt.calibrate import Inputs, latest_model, population, predict
from cdt.calibrate import logit as M
from cdt.calibrate import newton as N
from cdt.calibrate.backtest import _earned_weight, _metrics, split
from cdt.config import Settings, load_settings
from cdt.errors import ConfigError, NotBuiltError
from cdt.scenario import parse


def synthetic_cells(rng: np.random.Generator, rows: int) -> dict[str, np.ndarray]:
    types = np.array([M.NOTICE, "Retention Offer", "Upgrade Offer"])
    kind = types[rng.integers(0, 3, rows)]
    return {
        "campaign_id": np.array([f"C{i % 40}" for i in range(rows)]),
        "segment_id": np.array(["SEG01", "SEG02", "SEG03"])[rng.integers(0, 3, rows)],
        "campaign_type": kind,
        "offer_value": np.where(
            kind == M.NOTICE,
            rng.choice([-5.0, 2.0, 5.0, 10.0], rows),
            rng.choice([10.0, 20.0], rows),
        ),
        "value_add": np.where(kind == M.NOTICE, rng.integers(0, 2, rows), 0).astype(float),
        "channel": np.array(["Email", "SMS"])[rng.integers(0, 2, rows)],
        "plan_name": np.array(["Powder", "Blizzard"])[rng.integers(0, 2, rows)],
        "tenure_band": rng.integers(0, M.TENURE_BANDS, rows),
        "risk_band": rng.integers(0, M.RISK_BANDS, rows),
    }


def known_logit(
    rng: np.random.Generator, rows: int
) -> tuple[dict[str, np.ndarray], M.Vocabulary, Any, np.ndarray, np.ndarray]:
    """``rows`` synthetic cells, their vocabulary and design, and 3,000 messages per cell
    counted by outcome from a known multinomial logit, whose probabilities come last."""
    cells = synthetic_cells(rng, rows)
    vocab = M.Vocabulary.from_cells(cells)
    x = M.design(cells, vocab)
    truth = rng.normal(0, 0.4, (x.shape[1], len(M.OUTCOMES)))
    truth[0] = [-1.0, 1.5, -1.5, -2.5, -3.0, -2.0, -3.0]
    probs = M.softmax(x @ truth)
    counts = np.array([rng.multinomial(3000, p) for p in probs], dtype=float)
    return cells, vocab, x, counts, probs


def test_fit_recovers_known_probabilities() -> None:
    """Counts drawn from a known multinomial logit are fitted back to its probabilities."""
    cells, vocab, x, counts, probs = known_logit(np.random.default_rng(3), 3000)
    problem = N.Problem.of(x, len(M.OUTCOMES), M.PRIOR_SD)
    fitted = M.LogitFit(vocab, N.newton(problem, counts).coef)
    error = np.abs(fitted.predict(cells) - probs)
    assert error.mean() < 0.004 and error.max() < 0.05
    naive = np.abs(counts.sum(axis=0) / counts.sum() - probs).mean()
    assert error.mean() < naive / 5


def test_bootstrap_replicates_spread_around_the_fit() -> None:
    rng = np.random.default_rng(4)
    cells = synthetic_cells(rng, 400)
    vocab = M.Vocabulary.from_cells(cells)
    x = M.design(cells, vocab)
    counts = rng.poisson(30, (400, len(M.OUTCOMES))).astype(float)
    problem = N.Problem.of(x, len(M.OUTCOMES), M.PRIOR_SD)
    fit = N.newton(problem, counts)
    reps = N.replicates(problem, counts, cells["campaign_id"], fit, 5, seed=1)
    assert len(reps) == 5
    spread = np.std([M.softmax(x @ r) for r in reps], axis=0)
    assert spread.mean() > 0  # replicates differ
    assert not np.allclose(reps[0], reps[1])
    again = N.replicates(problem, counts, cells["campaign_id"], fit, 5, seed=1)
    np.testing.assert_array_equal(reps[3], again[3])  # a seed gives the same replicates


def test_price_directions_from_the_fitted_model(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        people = population(backend, model)

    def churn(text: str) -> dict[str, float]:
        inputs = grounding.ground(parse(text), model.facts).inputs
        assert inputs is not None
        found = predict(model, people, inputs)
        return {s: p.shares["churned"] for s, p in found.items()}

    small, five, big = (
        churn("price increase $2"),
        churn("price increase $5"),
        churn("price increase $10"),
    )
    cut = churn("cut the price by $5")
    softened = churn("price increase $5 with streaming included")
    for segment in five:
        assert small[segment] < five[segment] < big[segment]
        assert cut[segment] < five[segment]
    # A $10 value-add takes $3.50 off a rise: at real-world magnitudes about 6% of its churn,
    # less than this 50K-customer history's noise (about 0.8 of a standard error), so its
    # direction is checked on a full-size twin against the hidden truth (evals/,
    # test_directions), not here.
    assert all(0 < softened[segment] < 1 for segment in five)


def test_shares_intervals_and_churners_are_consistent(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        people = population(backend, model)
    found = predict(model, people, Inputs(M.NOTICE, delta=5.0))
    assert sum(p.customers for p in found.values()) == people["customers"].sum()
    for prediction in found.values():
        out = prediction.to_dict()
        assert sum(out["action_shares"].values()) == pytest.approx(1.0, abs=1e-4)
        for outcome, (low, high) in out["action_share_intervals"].items():
            assert low <= out["action_shares"][outcome] + 1e-4 and high >= low
        low, high = out["expected_churners_interval"]
        assert low <= out["expected_churners"] <= high and high > low
        assert out["expected_churners"] == pytest.approx(
            out["action_shares"]["churned"] * out["affected_customers"], rel=1e-3, abs=0.2
        )
        assert not out["extrapolated"]


def test_added_churners_are_the_messages_own(calibrated_twin: Settings) -> None:
    """Churners in the month after a message, less the same customers' in a month without
    it (a $0 notice): none at $0, more at a rise, fewer at a cut, each inside its interval."""
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        people = population(backend, model)

    def added(inputs: Inputs) -> float:
        total = 0.0
        for prediction in predict(model, people, inputs).values():
            out = prediction.to_dict()
            low, high = out["added_churners_interval"]
            assert low <= out["added_churners"] <= high
            assert out["added_churners"] < out["expected_churners"]
            total += out["added_churners"]
        return total

    assert added(Inputs(M.NOTICE, delta=0.0)) == pytest.approx(0.0, abs=1e-6)
    assert added(Inputs(M.NOTICE, delta=-5.0)) < 0 < added(Inputs(M.NOTICE, delta=5.0))
    assert added(Inputs(M.NOTICE, delta=5.0)) < added(Inputs(M.NOTICE, delta=10.0))
    # an offer is aimed (a retention offer at customers about to leave) and keeps no control
    # group: its difference from a month without it is not measured, so not said
    with_offer = predict(model, people, Inputs("Retention Offer", offer_value=20.0))
    assert all(p.to_dict()["added_churners"] is None for p in with_offer.values())


def test_plans_restrict_the_affected_customers(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        people = population(backend, model)
    everyone = predict(model, people, Inputs(M.NOTICE, delta=5.0))
    powder = predict(model, people, Inputs(M.NOTICE, delta=5.0, plans=("Powder",)))
    on_powder = people["customers"][people["plan_name"] == "Powder"].sum()
    assert sum(p.customers for p in powder.values()) == on_powder
    assert sum(p.customers for p in everyone.values()) > on_powder


def test_novel_scenarios_are_extrapolated_with_wider_intervals(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        people = population(backend, model)
    unknown = grounding.ground(parse("we now answer support calls in Klingon"), model.facts)
    assert not unknown.grounded and unknown.reason.startswith(grounding.NOTHING_TO_GROUND)
    assert "--set proxy=TYPE" in unknown.reason and "'Price Change Notice'" in unknown.reason
    stretched = grounding.ground(parse("a 6-hour outage, $10 credit"), model.facts).inputs
    assert stretched is not None and stretched.notes
    found = predict(model, people, stretched)
    beyond = predict(model, people, Inputs(M.NOTICE, delta=40.0))
    assert all(p.extrapolated for p in found.values())
    assert all(p.extrapolated and "outside" in p.notes[0] for p in beyond.values())
    prediction = next(iter(beyond.values()))
    plain_low, middle, plain_high = np.percentile(prediction.churner_draws, [5, 50, 95])
    low, high = prediction.interval(prediction.churners, prediction.churner_draws)
    # each side of the bootstrap spread is doubled around the point; the low side stops at 0
    point = prediction.churners
    assert high - point == pytest.approx(2 * (plain_high - middle)) and plain_high > middle
    assert low == pytest.approx(max(point - 2 * (middle - plain_low), 0.0))
    assert high - low > (plain_high - plain_low)


def test_backtest_beats_the_baselines_and_covers(calibrated_twin: Settings) -> None:
    result = api.backtest(calibrated_twin, llm_units=0, replicates=8)
    model, segment = result.summary["model"], result.summary["segment_mean"]
    assert result.holdout["campaigns"] >= 1 and result.holdout["units"] > 10
    assert model["response_rate"]["mae_pp"] < segment["response_rate"]["mae_pp"]
    assert 0.6 <= model["response_rate"]["coverage"] <= 1.0
    assert result.summary["llm"] == {} and result.llm_weight == 0.0
    least = result.holdout["min_delivered"]
    assert model["response_rate"]["units"] == result.holdout["units_scored"] > 10
    assert all(u["scored"] == (u["delivered"] >= least) for u in result.units)
    with api.connect(calibrated_twin) as backend:
        stored = backend.scalar("SELECT count(*) FROM ANALYTICS.RESPONSE_BACKTESTS")
    assert stored == 2  # the calibrate run's and this one


def test_holdout_is_the_most_recent_campaigns() -> None:
    cells = {
        "campaign_id": np.array(["A", "B", "C", "D", "A"]),
        "sent_at": np.array(["2024-01-01", "2024-03-01", "2024-02-01", "2024-04-01", "2024-01-01"]),
    }
    mask, held, cutoff = split(cells, 0.5)
    assert held == ["B", "D"] and cutoff == "2024-03-01"
    assert mask.tolist() == [True, False, True, False, True]
    with pytest.raises(ConfigError, match="holdout"):
        split(cells, 0.9)


def test_units_reached_by_a_few_messages_are_not_scored() -> None:
    def unit(delivered: int, observed: float, scored: bool) -> dict[str, object]:
        rates = ("response_rate", "conversion_rate", "churn_rate")
        return {
            "delivered": delivered,
            "scored": scored,
            "observed": dict.fromkeys(rates, observed),
            "model": dict.fromkeys(rates, 0.2),
        }

    units = [unit(500, 0.21, True), unit(800, 0.19, True), unit(1, 1.0, False)]
    assert _metrics(units, "model")["response_rate"]["mae_pp"] == pytest.approx(1.0)
    assert _metrics(units, "model")["response_rate"]["units"] == 2
    assert _metrics([{**u, "scored": True} for u in units], "model")["response_rate"][
        "mae_pp"
    ] == pytest.approx(27.3333, abs=1e-3)
    # a price notice never converts: its conversion rate is no prediction, so not scored
    notices = [{**u, "campaign_type": "Price Change Notice"} for u in units[:1]]
    both = _metrics(units + notices, "model")
    assert both["conversion_rate"]["units"] == 2 and both["response_rate"]["units"] == 3


def test_the_llm_earns_weight_only_when_it_helps() -> None:
    def unit(observed: float, model: float, llm: float) -> dict[str, object]:
        rates = ("response_rate", "conversion_rate", "churn_rate")
        return {
            "observed": dict.fromkeys(rates, observed),
            "model": dict.fromkeys(rates, model),
            "llm": dict.fromkeys(rates, llm),
        }

    assert _earned_weight([unit(0.3, 0.2, 0.3), unit(0.1, 0.2, 0.1)]) == 1.0
    assert _earned_weight([unit(0.3, 0.3, 0.9), unit(0.1, 0.1, 0.0)]) == 0.0
    assert _earned_weight([]) == 0.0


def test_calibrate_before_segments_is_a_clear_error(isolated_home: Path) -> None:
    settings = load_settings()
    api.init(settings)
    with pytest.raises(NotBuiltError, match="cdt"):
        api.calibrate(settings)
    with api.connect(settings) as backend, pytest.raises(NotBuiltError, match="cdt calibrate"):
        latest_model(backend)


def test_a_competitors_offer_gets_no_number_unless_our_answer_is_given() -> None:
    facts = {"Competitor Response": {"value_typical": 15.0, "value_min": 10.0, "value_max": 25.0}}
    read = grounding.ground(parse("T-Mobile offers $200 to switch"), facts)
    # The history's competitor-response campaigns are our own price-match credits: they say
    # nothing of T-Mobile's pull, so no number stands in for it.
    assert read.inputs is None and read.reason == grounding.no_pull("T-Mobile")
    answered = parse("T-Mobile offers $200 to switch").model_copy(update={"offer_value": 20.0})
    ours = grounding.ground(answered, facts)
    assert ours.inputs is not None and ours.inputs.offer_value == 20.0
    assert ours.proxy is not None and ours.proxy.startswith("your $20 answer")
    assert "T-Mobile's own pull on our customers is not measured" in ours.proxy
    assert any("competitor's $200 is not a model input" in n for n in ours.notes)
    named = parse("T-Mobile offers $200 to switch").model_copy(
        update={"proxy": "competitor response"}
    )
    by_proxy = grounding.ground(named, facts)
    assert by_proxy.inputs is not None and by_proxy.proxy is not None
    assert any("typical $15" in n for n in by_proxy.notes)
    # our answer given as a cut of our own plan is scored at its worth a month
    cut = parse("Verizon went to $55 for unlimited; we responded by cutting Powder $4 to $51.")
    assert cut.price_delta == -4 and cut.offer_value is None
    scored = grounding.ground(cut, facts)
    assert scored.inputs is not None and scored.inputs.offer_value == 4.0
    assert scored.proxy is not None and scored.proxy.startswith("your $4 answer")


def test_a_launch_read_as_an_upgrade_offer_says_its_price_is_no_offers_worth() -> None:
    facts = {"Upgrade Offer": {"value_typical": 200.0, "value_min": 50.0, "value_max": 400.0}}
    launch = grounding.ground(parse("New Frostbite plan at $40 a month, $35 for 3 months."), facts)
    assert launch.inputs is not None and launch.inputs.offer_value is None
    said = " ".join(launch.notes)
    assert "a launch's price is not a model input" in said and "$200" in said
    assert "worth in dollars is not given" not in said


def test_one_read_gives_both_scorers_cells_exactly(calibrated_twin: Settings) -> None:
    """read_cell_pair counts by both sensitivity bands at once and sums each away: the same
    arrays, dtypes and order as two read_cells, and the holdout from read_campaigns is the
    one the cells give."""
    from cdt.calibrate.backtest import HOLDOUT_SHARE
    from cdt.calibrate.cells import (
        fit_scorer_step,
        read_campaigns,
        read_cell_pair,
        read_cells,
        scorer_inputs,
    )

    with api.connect(calibrated_twin) as backend:
        moments, notices = scorer_inputs(backend)
        scorer = fit_scorer_step(backend, moments, notices, None)
        full = read_cells(backend, scorer)
        _, holdout, cutoff = split(read_campaigns(backend), HOLDOUT_SHARE)
        assert (holdout, cutoff) == split(full, HOLDOUT_SHARE)[1:]
        held_scorer = fit_scorer_step(backend, moments, notices, None, exclude=holdout)
        assert held_scorer is not None and held_scorer.cuts != scorer.cuts  # bands differ
        expected = (full, read_cells(backend, held_scorer))
        got = read_cell_pair(backend, scorer, held_scorer)
    for want, have in zip(expected, got, strict=True):
        assert list(want) == list(have)
        for name in want:
            assert want[name].dtype == have[name].dtype, name
            np.testing.assert_array_equal(want[name], have[name], err_msg=name)


def test_calibration_errors_measure_the_gap_to_the_smoothed_observed_rate() -> None:
    from cdt.calibrate.calibration import calibration_errors

    rng = np.random.default_rng(3)
    predicted = rng.uniform(0.05, 0.5, 200)
    exact = calibration_errors(predicted, predicted.copy())
    assert exact["ici_pp"] < 1e-6 and exact["e90_pp"] < 1e-6
    halved = calibration_errors(predicted, predicted / 2)  # every rate over-predicted twofold
    assert halved["ici_pp"] == pytest.approx(float(np.mean(predicted / 2)) * 100, rel=1e-3)
    assert halved["e50_pp"] <= halved["e90_pp"]
    noisy = calibration_errors(predicted, predicted + rng.normal(0, 0.02, 200))
    assert noisy["ici_pp"] < halved["ici_pp"] / 5  # noise around the truth is not miscalibration
    assert calibration_errors(predicted[:5], predicted[:5]) == {}  # too few units for a curve
    # Many units predicting the same rate (a small twin's churn): no NaN reaches the figures.
    tied = np.repeat([0.001, 0.002, 0.01], [150, 40, 10])
    found = calibration_errors(tied, tied + rng.normal(0, 0.001, 200))
    figures = [v for k, v in found.items() if k != "calibration_curve"]
    points = [v for p in found.get("calibration_curve", []) for v in p.values()]
    assert all(np.isfinite(figures)) and all(np.isfinite(points))
