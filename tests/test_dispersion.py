"""The backtest's interval noise (calibrate.dispersion): beta-binomial draws, and the
out-of-bag estimate of how far units stray beyond binomial noise."""

from __future__ import annotations

import numpy as np
import pytest

from cdt.calibrate import dispersion as D
from cdt.calibrate import logit as M
from cdt.calibrate.response import fit_model
from tests.test_calibrate import synthetic_cells

CAMPAIGNS, SEGMENTS, PER_CELL = 60, 3, 200


def campaign_cells(
    rng: np.random.Generator, shift_sd: float
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Cells of CAMPAIGNS campaigns, their outcomes drawn from a known logit, each unit
    (campaign × segment) shifted on every outcome but ignoring by N(0, ``shift_sd``): what
    the model cannot know about a campaign. Also each cell's true response rate, with the
    shift and without."""
    rows = 2400
    cells = synthetic_cells(rng, rows)
    cells["campaign_id"] = np.array([f"C{i % CAMPAIGNS:02d}" for i in range(rows)])
    vocab = M.Vocabulary.from_cells(cells)
    x = M.design(cells, vocab)
    truth = rng.normal(0, 0.2, (x.shape[1], len(M.OUTCOMES)))
    truth[0] = [-1.5, 1.5, -2.0, -2.5, -3.0, -2.0, -3.0]
    logits = np.asarray(x @ truth)
    unit = (np.arange(rows) % CAMPAIGNS) * SEGMENTS + np.searchsorted(
        ["SEG01", "SEG02", "SEG03"], cells["segment_id"]
    )
    shift = rng.normal(0, shift_sd, CAMPAIGNS * SEGMENTS)[unit]
    logits[:, [i for i, o in enumerate(M.OUTCOMES) if o != "ignored"]] += shift[:, None]
    plain = 1 - M.softmax(np.asarray(x @ truth))[:, M.OUTCOMES.index("ignored")]
    probs = M.softmax(logits)
    counts = np.array([rng.multinomial(PER_CELL, p) for p in probs])
    for j, outcome in enumerate(M.OUTCOMES):
        cells[outcome] = counts[:, j]
    cells["delivered"] = counts.sum(axis=1)
    cells["converted"] = cells["accepted"] + cells["upgraded"]
    return cells, 1 - probs[:, M.OUTCOMES.index("ignored")], plain


def unit_rho(cells: dict[str, np.ndarray], shifted: np.ndarray, plain: np.ndarray) -> float:
    """The intra-unit correlation of the response rate that the shifts put there: the mean
    square of what they move the units' true rates by, over p(1 - p)."""
    unit, n, _ = D.unit_counts(cells)
    moved = np.bincount(unit, (shifted - plain) * cells["delivered"]) / n
    rate = np.bincount(unit, shifted * cells["delivered"]) / n
    return float(np.mean(moved**2) / np.mean(rate * (1 - rate)))


@pytest.mark.parametrize("rho", [0.0, 0.02])
def test_draws_vary_as_the_beta_binomial(rho: float) -> None:
    rng = np.random.default_rng(5)
    n, p = 1000, np.array([[0.1, 0.3, 0.02]])
    counts = D.draw_counts(rng, n, p, (rho, rho, 0.0), 40_000)[0]
    np.testing.assert_allclose(counts.mean(axis=0), n * p[0], rtol=0.02)
    binomial = n * p[0] * (1 - p[0])
    expected = binomial * np.array([1 + (n - 1) * rho] * 2 + [1.0])
    np.testing.assert_allclose(counts.var(axis=0), expected, rtol=0.06)


def test_units_that_stray_are_measured_and_binomial_ones_are_not() -> None:
    """On binomial data the estimate stays near none; with unit shifts it finds them, at
    about the size they were drawn with."""
    plain, _, _ = campaign_cells(np.random.default_rng(11), 0.0)
    strays, shifted, unshifted = campaign_cells(np.random.default_rng(11), 0.15)
    found = {}
    for name, cells in (("plain", plain), ("strays", strays)):
        fitted = fit_model(cells, replicates=20, seed=3)
        found[name] = D.estimate(fitted, cells, seed=3, min_delivered=30)
    typical = float(np.median(D.unit_counts(strays)[1]))
    assert found["strays"].pairs > CAMPAIGNS * SEGMENTS * 20 * 0.25  # about 37% out of bag
    assert found["plain"].inflation(typical)["response_rate"] < 1.5
    drawn = unit_rho(strays, shifted, unshifted)
    assert drawn * 0.5 < found["strays"].rho[0] < drawn * 2
    assert found["strays"].inflation(typical)["response_rate"] > 3


def test_a_model_without_replicates_adds_no_noise() -> None:
    cells, _, _ = campaign_cells(np.random.default_rng(2), 0.1)
    fitted = fit_model(cells, replicates=0)
    assert D.estimate(fitted, cells, seed=42, min_delivered=30) == D.NONE
