"""Price-sensitivity bands (calibrate/sensitivity.py): the scorer finds the steep reactors, its
SQL bands the same customers as its numpy, and the backtest's scorer never sees held-out
campaigns."""

from __future__ import annotations

import numpy as np
import pytest

from cdt import api
from cdt.calibrate import backtest_cells, bands_sql, latest_model, population, scorer_of
from cdt.calibrate.backtest import split
from cdt.calibrate.sensitivity import FEATURES, Scorer, fit_scorer, read_notices, read_people
from cdt.config import Settings


def synthetic(rng: np.random.Generator, customers: int = 3000, notices: int = 60000) -> tuple:
    """Customers whose age says nothing and whose complaint_rate sets how steeply they react."""
    people = {
        "customer_id": np.array([f"C{i:06d}" for i in range(customers)]),
        "segment_id": np.array(["SEG01", "SEG02"])[rng.integers(0, 2, customers)],
    }
    for name in FEATURES:
        people[name] = rng.normal(0, 1, customers)
    steep = rng.random(customers) < 0.3
    people["complaint_rate"] = np.where(steep, 2.0, 0.0) + rng.normal(0, 0.3, customers)
    who = rng.integers(0, customers, notices)
    delta = rng.choice([-5.0, 2.0, 5.0, 10.0], notices)
    slope = np.where(steep[who], 0.5, 0.02)  # log-odds per dollar
    adverse = rng.random(notices) < 1 / (1 + np.exp(-(-4.0 + slope * delta)))
    table = {
        "customer_id": people["customer_id"][who],
        "campaign_id": np.array([f"P{i % 30}" for i in range(notices)]),
        "delta": delta,
        "value_add": np.zeros(notices),
        "adverse": adverse.astype(int),
    }
    return people, table, steep


def test_the_scorer_puts_steep_reactors_in_the_top_band() -> None:
    people, notices, steep = synthetic(np.random.default_rng(3))
    scorer = fit_scorer(people, notices)
    assert scorer is not None and scorer.bands == 3
    assert scorer.weights["complaint_rate"] > 0
    assert abs(scorer.weights["age"]) < scorer.weights["complaint_rate"] / 5
    band = np.searchsorted(scorer.cuts, scorer.slopes(people))
    assert np.bincount(band).min() > 0.3 * len(band)  # equal thirds
    assert (band[steep] == 2).mean() > 0.85  # the steep 30% sit in the top third
    assert (band[~steep] == 2).mean() < 0.1


def test_nothing_to_learn_gives_one_band() -> None:
    people, notices, _ = synthetic(np.random.default_rng(4), notices=2000)
    calm = dict(notices, adverse=np.zeros(len(notices["adverse"]), int))
    assert fit_scorer(people, calm) is None
    assert fit_scorer(people, notices, exclude=sorted(set(notices["campaign_id"]))) is None
    assert fit_scorer(people, notices, bands=1) is None


def test_excluded_campaigns_are_not_learned_from() -> None:
    people, notices, _ = synthetic(np.random.default_rng(5), notices=6000)
    full = fit_scorer(people, notices)
    some = fit_scorer(people, notices, exclude=["P0", "P1", "P2"])
    assert full is not None and some is not None
    assert some.notices == full.notices - int(
        np.isin(notices["campaign_id"], ["P0", "P1", "P2"]).sum()
    )
    assert some.weights != full.weights


def test_scorer_sql_refuses_what_it_cannot_write_safely() -> None:
    scorer = Scorer(0.1, {"age": 0.01}, {"SEG01": 0.2}, (0.0, 1.0))
    assert Scorer.from_dict(scorer.to_dict()) == scorer
    assert "WHEN 'SEG01' THEN 0.2" in scorer.band_sql()
    with pytest.raises(ValueError, match="plain identifier"):
        Scorer(0.1, {"age": 0.01}, {"SEG01' OR 1=1 --": 0.2}, (0.0,)).band_sql()
    with pytest.raises(ValueError, match="unknown scorer feature"):
        Scorer(0.1, {"age; DROP TABLE x": 0.01}, {}, (0.0,)).band_sql()
    with pytest.raises(ValueError, match="non-finite"):
        Scorer(float("nan"), {}, {}, (0.0,)).band_sql()
    assert Scorer(0.0, {}, {}, ()).band_sql() == "0"


def test_the_stored_model_bands_customers_in_sql_as_its_scorer_does(
    calibrated_twin: Settings,
) -> None:
    with api.connect(calibrated_twin) as backend:
        model = latest_model(backend)
        scorer = scorer_of(model)
        assert scorer is not None and model.logit.vocab.sensitivity_bands == 3
        assert model.summary()["sensitivity_bands"] == 3
        in_sql = backend.query(
            f"SELECT customer_id, sensitivity_band FROM ({bands_sql(backend, scorer)}) b "
            "ORDER BY customer_id"
        ).to_pydict()
        people = read_people(backend)
        grouped = population(backend, model)
    in_numpy = np.searchsorted(scorer.cuts, scorer.slopes(people))
    assert list(in_sql["customer_id"]) == list(people["customer_id"])
    assert (np.array(in_sql["sensitivity_band"]) == in_numpy).mean() > 0.999
    sizes = np.bincount(in_numpy) / len(in_numpy)
    assert sizes.min() > 0.3  # the cuts are the fitted customers' terciles
    by_band = np.bincount(grouped["sensitivity_band"], weights=grouped["customers"])
    assert by_band.tolist() == np.bincount(np.array(in_sql["sensitivity_band"])).tolist()


def test_the_backtest_bands_come_from_training_campaigns_only(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend:
        cells, scorer = backtest_cells(backend, share=0.2)
        people, notices = read_people(backend), read_notices(backend)
    _, holdout, _ = split(cells, 0.2)
    assert scorer is not None
    held = np.isin(notices["campaign_id"], holdout)
    assert held.any()
    assert scorer.notices == int((~held).sum())
    assert set(np.unique(cells["sensitivity_band"])) == {0, 1, 2}
    full = fit_scorer(people, notices)
    assert full is not None and full.notices == len(held)


def test_the_warehouse_fit_equals_the_fit_from_every_customer(calibrated_twin: Settings) -> None:
    # Moments, notices and cuts from the warehouse: the scorer fitted from every customer (to
    # the optimiser's tolerance).
    from cdt.calibrate.cells import fit_scorer_step, scorer_inputs

    with api.connect(calibrated_twin) as backend:
        moments, notices = scorer_inputs(backend)
        in_warehouse = fit_scorer_step(backend, moments, notices, None)
        people = read_people(backend)
    in_numpy = fit_scorer(people, notices)
    assert in_warehouse is not None and in_numpy is not None
    assert moments.customers == len(people["customer_id"])
    assert in_warehouse.notices == in_numpy.notices == len(notices["adverse"])
    for name in FEATURES:
        assert in_warehouse.weights[name] == pytest.approx(
            in_numpy.weights[name], rel=1e-4, abs=1e-9
        )
    assert in_warehouse.cuts == pytest.approx(in_numpy.cuts, rel=1e-4, abs=1e-6)


def test_the_scorers_logistic_fit_matches_scikit_learn() -> None:
    """sensitivity.logistic is scikit-learn's LogisticRegression(C=1), fitted to the end."""
    from sklearn.linear_model import LogisticRegression

    from cdt.calibrate.sensitivity import logistic

    rng = np.random.default_rng(2)
    x = rng.normal(0, 1, (4000, 12)) * rng.uniform(0.2, 3, 12)
    y = (rng.uniform(size=4000) < 1 / (1 + np.exp(-(x @ rng.normal(0, 0.7, 12) - 1)))).astype(float)
    ours = logistic(x, y)
    theirs = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(x, y)
    np.testing.assert_allclose(ours[0], theirs.intercept_[0], atol=1e-5)
    np.testing.assert_allclose(ours[1:], theirs.coef_[0], atol=1e-5)
