"""The response model's design and its Newton fit (calibrate.logit, calibrate.newton)."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from cdt.calibrate import logit as M
from cdt.calibrate import newton as N
from tests.model.test_calibrate import known_logit


def cells_with_strangers(rng: np.random.Generator, rows: int) -> dict[str, np.ndarray]:
    """Cells over every kind of level, including ones the vocabulary has never seen."""
    kind = np.array([M.NOTICE, "Retention Offer", "Upgrade Offer", "Brand New Type"])[
        rng.integers(0, 4, rows)
    ]
    return {
        "segment_id": np.array(["SEG01", "SEG02", "SEG03", "SEG99"])[rng.integers(0, 4, rows)],
        "campaign_type": kind,
        "offer_value": rng.choice([-5.0, 0.0, 2.0, 7.5, 20.0], rows),
        "value_add": rng.integers(0, 2, rows).astype(float),
        "channel": np.array(["Email", "SMS", "Carrier Pigeon"])[rng.integers(0, 3, rows)],
        "plan_name": np.array(["Powder", "Blizzard", "Retired Plan"])[rng.integers(0, 3, rows)],
        "tenure_band": rng.integers(0, M.TENURE_BANDS + 1, rows),
        "risk_band": rng.integers(0, M.RISK_BANDS, rows),
        "sensitivity_band": rng.integers(0, 4, rows),  # band 3 is beyond the vocabulary's
    }


def dense_from_names(cells: dict[str, np.ndarray], vocab: M.Vocabulary) -> np.ndarray:
    """The design rebuilt column by column from each input's name: a product of factors."""
    notice = cells["campaign_type"] == M.NOTICE
    delta = np.where(notice, cells["offer_value"] / M.DELTA_SCALE, 0.0)
    band = cells["risk_band"] + M.RISK_BANDS * cells["sensitivity_band"]
    labels = np.array([vocab.bands[b] if b < len(vocab.bands) else "?" for b in band])
    plain = {
        "intercept": np.ones(len(delta)),
        "delta": delta,
        "price_cut": np.maximum(-delta, 0.0),
        "value_add": np.where(notice, cells["value_add"], 0.0),
        "offer": (~notice).astype(float),
    }
    keyed = {
        "seg": cells["segment_id"],
        "type": cells["campaign_type"],
        "plan": cells["plan_name"],
        "tenure": cells["tenure_band"].astype(str),
        "risk": labels,
    }

    def factor(part: str) -> np.ndarray:
        if part in plain:
            return plain[part]
        if part.startswith("channel="):
            return (cells["channel"] == part.removeprefix("channel=")).astype(float)
        key, level = part.split("=", 1)
        return (keyed[key] == level).astype(float)

    columns = []
    for name in M.feature_names(vocab):
        if name.startswith("worth×type="):
            kind = name.removeprefix("worth×type=")
            scale = vocab.value_scale[kind]
            columns.append((cells["campaign_type"] == kind) * cells["offer_value"] / scale)
            continue
        column = np.ones(len(delta))
        for part in name.split("×"):  # a band's label ("3/sens=1") holds no ×
            column = column * factor(part)
        columns.append(column)
    return np.column_stack(columns)


def test_sparse_design_equals_the_inputs_named_by_feature_names() -> None:
    rng = np.random.default_rng(11)
    cells = cells_with_strangers(rng, 2000)
    known = {
        k: v[np.isin(cells["segment_id"], ["SEG01", "SEG02", "SEG03"])] for k, v in cells.items()
    }
    vocab = M.Vocabulary(
        ("SEG01", "SEG02", "SEG03"),
        (M.NOTICE, "Retention Offer", "Upgrade Offer"),
        ("Blizzard", "Powder"),
        ("Email", "SMS"),
        {"Retention Offer": 15.0, "Upgrade Offer": 40.0, M.NOTICE: 4.0},
        {"cuts": [0.1, 0.5]},  # three sensitivity bands
    )
    assert len(known["segment_id"]) < 2000  # strangers are in the cells
    x = M.design(cells, vocab)
    assert sparse.issparse(x) and x.shape == (2000, len(M.feature_names(vocab)))
    np.testing.assert_array_equal(x.toarray(), dense_from_names(cells, vocab))
    assert x.nnz == np.count_nonzero(dense_from_names(cells, vocab))  # no stored zeros


def lbfgs_optimum(
    x: sparse.csr_matrix, counts: np.ndarray, prior_sd: float | np.ndarray
) -> np.ndarray:
    """The same loss minimised by a general-purpose optimiser, to a tight tolerance."""
    penalty = np.broadcast_to(1.0 / np.asarray(prior_sd, float) ** 2, x.shape[1]).copy()
    penalty[0] = 0.0

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        state = N.evaluate(x, counts, penalty, flat.reshape(x.shape[1], -1))
        return state.value, state.grad.ravel()

    initial = np.zeros(x.shape[1] * counts.shape[1])
    result = minimize(loss, initial, jac=True, method="L-BFGS-B",
                      options={"maxiter": 20000, "gtol": 1e-9, "ftol": 1e-15})  # fmt: skip
    return result.x.reshape(x.shape[1], -1)


def test_newton_reaches_the_optimum_a_general_optimiser_finds() -> None:
    rng = np.random.default_rng(5)
    cells = cells_with_strangers(rng, 600)
    vocab = M.Vocabulary.from_cells(cells)
    x = M.design(cells, vocab)
    # duplicated rows, which the problem merges
    x = sparse.vstack([x, x[:150]]).tocsr()
    counts = rng.poisson(rng.uniform(1, 40, (x.shape[0], len(M.OUTCOMES)))).astype(float)
    problem = N.Problem.of(x, len(M.OUTCOMES), prior_sd=2.0)
    assert problem.x.shape[0] <= 600
    fit = N.newton(problem, counts)
    reference = lbfgs_optimum(x, counts, 2.0)
    assert fit.steps < 15
    np.testing.assert_allclose(M.softmax(x @ fit.coef), M.softmax(x @ reference), atol=2e-5)
    assert fit.decrement < N.TOLERANCE
    # pushed further, the gradient on the original rows vanishes
    tight = N.newton(problem, counts, fit.coef, tolerance=1e-14)
    assert np.abs(N.evaluate(x, counts, problem.penalty, tight.coef).grad).max() < 1e-5


def test_hessian_from_pairs_equals_the_direct_sum() -> None:
    rng = np.random.default_rng(8)
    cells = cells_with_strangers(rng, 300)
    vocab = M.Vocabulary.from_cells(cells)
    problem = N.Problem.of(M.design(cells, vocab), len(M.OUTCOMES), prior_sd=1.5)
    x = problem.x.toarray()
    probs = M.softmax(rng.normal(0, 1, (x.shape[0], len(M.OUTCOMES))))
    totals = rng.uniform(1, 50, x.shape[0])
    direct = sum(
        t * np.kron(np.outer(row, row), np.diag(p) - np.outer(p, p))
        for row, p, t in zip(x, probs, totals, strict=True)
    )
    direct[np.diag_indices_from(direct)] += np.repeat(problem.penalty, len(M.OUTCOMES))
    # in the free coordinates (each input's coefficients summing to 0 over the outcomes)
    basis = np.kron(np.eye(x.shape[1]), problem.basis)
    free = basis.T @ direct @ basis
    np.testing.assert_allclose(N.hessian(problem, totals, probs), np.tril(free), atol=1e-9)
    # and as Factor factors it: Jacobi-scaled, in single precision
    scaled, scale = N.scaled_hessian(problem, totals, probs)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scale, 1 / np.sqrt(np.diag(free)))
    np.testing.assert_allclose(scaled, np.tril(free * np.outer(scale, scale)), atol=1e-6)


def test_replicates_approximate_the_refits_they_stand_for() -> None:
    """Each replicate (chord steps from the fit, with the fit's Hessian) heads for the
    optimum of its own resampled data, found by a full Newton refit: two steps get nearer
    than one, and well over half of the way from the fit."""
    rng = np.random.default_rng(9)
    cells = cells_with_strangers(rng, 800)
    campaign = np.array([f"C{i % 25}" for i in range(800)])
    vocab = M.Vocabulary.from_cells(cells)
    x = M.design(cells, vocab)
    counts = rng.poisson(rng.uniform(20, 200, (800, len(M.OUTCOMES)))).astype(float)
    problem = N.Problem.of(x, len(M.OUTCOMES), M.PRIOR_SD)
    fit = N.newton(problem, counts)
    one = N.replicates(problem, counts, campaign, fit, 4, seed=3, steps=1)
    two = N.replicates(problem, counts, campaign, fit, 4, seed=3, steps=2)
    draws = np.random.default_rng(3)  # the same draws as N.replicates makes
    ids, index = np.unique(campaign, return_inverse=True)

    def probs(coef: np.ndarray) -> np.ndarray:
        return M.softmax(x @ coef)

    for first, second in zip(one, two, strict=True):
        weight = draws.poisson(1.0, len(ids)).astype(float)[index]
        resampled = draws.poisson(counts).astype(float) * weight[:, None]
        refit = probs(N.newton(problem, resampled, fit.coef, tolerance=1e-8).coef)
        moved = np.abs(refit - probs(fit.coef)).mean()
        assert np.abs(refit - probs(second)).mean() < np.abs(refit - probs(first)).mean()
        assert np.abs(refit - probs(second)).mean() < 0.5 * moved


def test_a_nearly_singular_fit_still_reaches_the_optimum() -> None:
    """Inputs that repeat each other, held apart only by the prior, make a Hessian whose
    single-precision factoring gives no descent direction: Newton then factors in double and
    still ends at the optimum, the one a problem without the repeats has. (Three copies were
    enough with the numpy and scipy of earlier installs; numpy 2.4.6 and scipy 1.17.1 factor
    three, and four, in single precision, so each input repeats six times.)"""
    _, _, x, counts, _ = known_logit(np.random.default_rng(3), 1000)
    repeated = sparse.hstack([x] + [x[:, 1:]] * 5, format="csr")  # each input six times
    fit = N.newton(N.Problem.of(repeated, len(M.OUTCOMES), M.PRIOR_SD), counts)
    assert fit.decrement < N.TOLERANCE and fit.factor.double
    # Six copies under the prior act as one input with a prior six times as wide.
    plain = N.Problem.of(x, len(M.OUTCOMES), M.PRIOR_SD)
    plain.penalty[1:] /= 6
    reference = N.newton(plain, counts, tolerance=1e-10)
    np.testing.assert_allclose(
        M.softmax(repeated @ fit.coef), M.softmax(x @ reference.coef), atol=1e-4
    )


def test_the_slopes_departures_get_the_tighter_prior_and_newton_still_finds_the_optimum() -> None:
    rng = np.random.default_rng(9)
    cells = cells_with_strangers(rng, 400)
    vocab = M.Vocabulary.from_cells(cells)
    names, sd = M.feature_names(vocab), M.prior_sd(vocab)
    for name, value in zip(names, sd, strict=True):
        departs = name.startswith(("delta×", "value_add×"))
        assert value == (M.SLOPE_PRIOR_SD if departs else M.PRIOR_SD), name
    assert sd[names.index("delta")] == M.PRIOR_SD  # the main slope keeps the loose prior
    x = M.design(cells, vocab)
    counts = rng.poisson(rng.uniform(1, 40, (x.shape[0], len(M.OUTCOMES)))).astype(float)
    problem = N.Problem.of(x, len(M.OUTCOMES), sd)
    fit = N.newton(problem, counts, tolerance=1e-12)
    assert np.abs(N.evaluate(x, counts, problem.penalty, fit.coef).grad).max() < 1e-5
    reference = lbfgs_optimum(x, counts, sd)
    np.testing.assert_allclose(M.softmax(x @ fit.coef), M.softmax(x @ reference), atol=1e-4)
