"""The response model's fit: Newton's method on the regularised multinomial logit.

The loss (``logit`` has the model) is convex and smooth, and at scale 1 it has ~5,000
coefficients over ~130K cells, so its exact Hessian fits in memory (200 MB) and is cheap to
build: a cell's contribution is its design row's outer product times its outcomes' covariance,
and a row touches at most 20 of the 700 inputs. ``Problem`` lists, once, every pair of inputs
that share a row (about 20K pairs), so each Hessian is one sparse product. Newton then converges
in a handful of steps to the optimum, where a first-order method stopped hundreds of steps short
of it. Identical design rows are merged first (their counts add), which is exact.

Everything here is plain numpy/scipy on arrays; the caller reads and writes tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, sparse

#: Stop when the Newton decrement (half of g·H⁻¹g, the loss still to gain, in log-likelihood
#: units) falls below this: far below the 0.5 unit of a coefficient's standard error.
TOLERANCE = 1e-4
MAX_STEPS = 50
#: The intercepts carry no prior; this much ridge pins the one direction the softmax leaves
#: free (adding a constant to every outcome's intercept), so the Hessian can be factored.
INTERCEPT_RIDGE = 1e-6
#: Keep the last factoring for the next step while the decrement is below CHORD_BELOW after a
#: full step, and refactor once a step with it shrinks the decrement less than CHORD_RATE×.
CHORD_BELOW = 10.0
CHORD_RATE = 0.2
#: Replicates whose gradients are taken together (memory: rows × BATCH × outcomes floats).
BATCH = 5


@dataclass
class Problem:
    """A design with its identical rows merged and its co-occurring input pairs listed."""

    x: sparse.csr_matrix  # unique rows × features
    merge: sparse.csr_matrix  # unique rows × original rows, 0/1: sums counts per unique row
    pairs: sparse.csr_matrix  # input pairs × unique rows: x[r, a] * x[r, b]
    first: np.ndarray  # each pair's inputs, first <= second
    second: np.ndarray
    penalty: np.ndarray  # features: the prior's precision per input
    basis: np.ndarray  # outcomes × (outcomes - 1), orthonormal, each column summing to 0

    @classmethod
    def of(cls, x: sparse.csr_matrix, outcomes: int, prior_sd: float | np.ndarray) -> Problem:
        unique, inverse = _unique_rows(x)
        rows = x.shape[0]
        merge = sparse.csr_matrix(
            (np.ones(rows), (inverse, np.arange(rows))), shape=(unique.shape[0], rows)
        )
        pairs, first, second = _pairs(unique)
        penalty = np.broadcast_to(1.0 / np.asarray(prior_sd, float) ** 2, x.shape[1]).copy()
        penalty[0] = INTERCEPT_RIDGE
        basis = linalg.null_space(np.ones((1, outcomes)))
        return cls(unique, merge, pairs, first, second, penalty, basis)

    @property
    def features(self) -> int:
        return int(self.x.shape[1])

    @property
    def size(self) -> int:
        """The number of free coefficients: features × (outcomes - 1)."""
        return self.features * self.basis.shape[1]

    def merged(self, counts: np.ndarray) -> np.ndarray:
        """Counts per original row, summed per unique row."""
        return np.asarray(self.merge @ counts)

    def reduce(self, coef: np.ndarray) -> np.ndarray:
        """Coefficients (features × outcomes) in the free coordinates, flat."""
        return np.asarray(coef @ self.basis).ravel()

    def expand(self, free: np.ndarray) -> np.ndarray:
        """Free coordinates back as coefficients (features × outcomes), summing to 0."""
        return np.asarray(free.reshape(self.features, -1) @ self.basis.T)


def _unique_rows(x: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The distinct rows of ``x`` and, for each row, the index of its distinct row."""
    x = x.copy()
    x.sort_indices()
    lengths = np.diff(x.indptr)
    width = int(lengths.max(initial=0))
    slot = np.arange(x.nnz) - np.repeat(x.indptr[:-1], lengths)
    row = np.repeat(np.arange(x.shape[0]), lengths)
    keys = np.full((x.shape[0], 2 * width), -1.0)
    keys[row, slot] = x.indices
    keys[row, width + slot] = x.data
    # Rows are grouped by a random projection, then checked entry by entry: exact, and a
    # 1-d sort instead of a sort of whole rows.
    mixed = keys @ np.random.default_rng(0).uniform(1.0, 2.0, 2 * width)
    _, first, inverse = np.unique(mixed, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if not np.array_equal(keys, keys[first][inverse]):
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
    return x[first], inverse


def _pairs(x: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Every pair (a <= b) of inputs that are both nonzero in some row of ``x``, and the
    products x[r, a] * x[r, b] as a pairs × rows matrix."""
    features = x.shape[1]
    lengths = np.diff(x.indptr)
    rows, codes, values = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    for width in np.unique(lengths[lengths > 0]):
        chosen = np.flatnonzero(lengths == width)
        at = x.indptr[chosen][:, None] + np.arange(width)
        i, j = np.triu_indices(width)
        rows.append(np.repeat(chosen, len(i)))
        codes.append((x.indices[at[:, i]] * features + x.indices[at[:, j]]).ravel())
        values.append((x.data[at[:, i]] * x.data[at[:, j]]).ravel())
    code = np.concatenate(codes)
    seen = np.zeros(features**2, dtype=bool)
    seen[code] = True
    distinct = np.flatnonzero(seen)
    lookup = np.zeros(features**2, dtype=np.int64)
    lookup[distinct] = np.arange(len(distinct))
    pairs = sparse.csr_matrix(
        (np.concatenate(values), (lookup[code], np.concatenate(rows))),
        shape=(len(distinct), x.shape[0]),
    )
    return pairs, distinct // features, distinct % features


@dataclass
class State:
    """The loss at one point: its value, gradient and the cells' outcome probabilities."""

    coef: np.ndarray  # features × outcomes
    value: float
    grad: np.ndarray  # features × outcomes
    probs: np.ndarray  # rows × outcomes


def evaluate(
    x: sparse.csr_matrix, counts: np.ndarray, penalty: np.ndarray, coef: np.ndarray
) -> State:
    """The negative log-posterior (up to a constant) of ``coef`` and its gradient."""
    totals = counts.sum(axis=1)
    logits = np.asarray(x @ coef)
    top = logits.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
    probs = np.exp(logits - log_norm[:, None])
    prior = 0.5 * float((penalty[:, None] * coef * coef).sum())
    value = -float((counts * logits).sum() - (totals * log_norm).sum()) + prior
    grad = np.asarray(x.T @ (probs * totals[:, None] - counts)) + penalty[:, None] * coef
    return State(coef, value, grad, probs)


def hessian(problem: Problem, totals: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """The loss's Hessian in the free coordinates, lower triangle only (what the Cholesky
    factoring reads), for cells with ``totals`` responses and outcome ``probs`` (the unique
    rows of ``problem``). Index: feature × (outcomes - 1) + free coordinate."""
    return scaled_hessian(problem, totals, probs, float, scaled=False)[0]


def scaled_hessian(
    problem: Problem,
    totals: np.ndarray,
    probs: np.ndarray,
    dtype: type = np.float32,
    *,
    scaled: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """``hessian`` Jacobi-scaled to a unit diagonal, S H S, in ``dtype``, and S's diagonal:
    assembled scaled, so single precision never holds the unscaled matrix's range."""
    q = problem.basis
    free = q.shape[1]
    m, n = np.triu_indices(free)
    # A cell's outcomes' covariance, diag(p) - p pᵀ, in the free coordinates: Qᵀ C Q.
    spread = probs @ (q[:, m] * q[:, n])
    projected = probs @ q
    weights = totals[:, None] * (spread - projected[:, m] * projected[:, n])
    blocks = np.asarray(problem.pairs @ weights)  # input pairs × coordinate pairs
    size = problem.size
    a, b = problem.first[:, None], problem.second[:, None]
    apart = problem.first < problem.second
    # The pair (a <= b) and coordinates (m <= n) fill (b, n | a, m) and, when a < b, also
    # (b, m | a, n): both in the lower triangle.
    places = [
        (b * free + n, a * free + m, blocks),
        ((b * free + m)[apart], (a * free + n)[apart], blocks[apart]),
    ]
    rows, cols = places[0][0].ravel(), places[0][1].ravel()
    on = rows == cols  # (a, m | a, m): each once
    diagonal = np.repeat(problem.penalty, free)
    diagonal[rows[on]] += blocks.ravel()[on]
    scale = 1.0 / np.sqrt(diagonal) if scaled else np.ones(size)
    h: np.ndarray = np.zeros((size, size), dtype=dtype)
    flat = h.reshape(-1)
    for rows, cols, values in places:
        flat[(rows * size + cols).ravel()] = (values * scale[rows] * scale[cols]).ravel()
    h[np.diag_indices_from(h)] = diagonal * scale * scale
    return h, scale


class Factor:
    """The Hessian at one point, factored for solving: Cholesky in single precision of the
    Jacobi-scaled matrix (three times faster than double at this size), then one step of
    iterative refinement whose residual takes the exact Hessian's product from the data,
    which brings a solve to double's accuracy for all practical purposes. Factors in double
    (``double``) when single precision cannot factor the matrix, or when asked: ``newton``
    asks once a single-precision solve gave it no descent direction."""

    def __init__(
        self, problem: Problem, totals: np.ndarray, probs: np.ndarray, *, double: bool = False
    ) -> None:
        self.problem, self.totals, self.probs = problem, totals, probs
        self.double = double
        if not double:
            h, self.scale = scaled_hessian(problem, totals, probs)
            try:
                self.cholesky = linalg.cho_factor(
                    h, lower=True, overwrite_a=True, check_finite=False
                )
                return
            except linalg.LinAlgError:
                self.double = True
        h, self.scale = scaled_hessian(problem, totals, probs, float)
        self.cholesky = linalg.cho_factor(h, lower=True, overwrite_a=True, check_finite=False)

    def _rough(self, rhs: np.ndarray) -> np.ndarray:
        scale = self.scale if rhs.ndim == 1 else self.scale[:, None]
        scaled = (rhs * scale).astype(self.cholesky[0].dtype)
        return np.asarray(linalg.cho_solve(self.cholesky, scaled, check_finite=False)) * scale

    def solve(self, rhs: np.ndarray, *, refine: bool = True) -> np.ndarray:
        """H⁻¹ rhs, for a vector or a matrix (free coordinates × columns) of right-hand
        sides; without ``refine``, to single precision (a relative error of about 1e-2)."""
        out = self._rough(rhs)
        return out + self._rough(rhs - self.times(out)) if refine else out

    def times(self, v: np.ndarray) -> np.ndarray:
        """H v, from the data: X'(n (p ⊙ Xv - p (p · Xv))) + Λ v, per column of ``v``."""
        if v.ndim == 2:
            return np.column_stack([self.times(column) for column in v.T])
        problem = self.problem
        coef = problem.expand(v)
        along = np.asarray(problem.x @ coef)
        mean = (self.probs * along).sum(axis=1, keepdims=True)
        weighted = self.totals[:, None] * self.probs * (along - mean)
        product = np.asarray(problem.x.T @ weighted) + problem.penalty[:, None] * coef
        return problem.reduce(product)

    def draws(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` draws from N(0, H⁻¹) (free coordinates × count)."""
        noise = rng.standard_normal((len(self.scale), count))
        factor = self.cholesky[0].astype(float)
        # L Lᵀ = S H S with S = diag(scale): S L⁻ᵀ ε has covariance H⁻¹ (to single precision)
        return (
            np.asarray(
                linalg.solve_triangular(factor, noise, lower=True, trans="T", check_finite=False)
            )
            * self.scale[:, None]
        )


@dataclass
class Fit:
    """Newton's result: the optimum and the factored Hessian (in the free coordinates) at it
    or within a step of it, which the intervals reuse."""

    coef: np.ndarray
    factor: Factor
    steps: int
    factorings: int
    decrement: float


def start(counts: np.ndarray, features: int) -> np.ndarray:
    """Every cell at the overall outcome shares: the intercepts' optimum when nothing else
    moves."""
    shares = (counts.sum(axis=0) + 0.5) / (counts.sum() + 0.5 * counts.shape[1])
    coef = np.zeros((features, counts.shape[1]))
    coef[0] = np.log(shares) - np.log(shares).mean()
    return coef


def _factor(problem: Problem, totals: np.ndarray, state: State, double: bool = False) -> Factor:
    return Factor(problem, totals, state.probs, double=double)


def newton(
    problem: Problem,
    counts: np.ndarray,
    initial: np.ndarray | None = None,
    *,
    tolerance: float = TOLERANCE,
    max_steps: int = MAX_STEPS,
) -> Fit:
    """The loss's minimum for ``counts`` (original rows × outcomes), by Newton's method with
    a backtracking line search, from ``initial`` (default: ``start``).

    The minimum has every input's coefficients summing to 0 over the outcomes (the prior
    pulls that sum to 0 and the likelihood does not depend on it), so Newton works in those
    free coordinates. Near the minimum, where the Hessian barely moves, a step keeps the
    previous factoring (a chord step) for as long as the decrement keeps falling fast.
    """
    merged = problem.merged(counts)
    totals = merged.sum(axis=1)
    coef = start(merged, problem.features) if initial is None else initial
    coef = coef - coef.mean(axis=1, keepdims=True)  # the same probabilities, summing to 0
    state = evaluate(problem.x, merged, problem.penalty, coef)
    factor: Factor | None = None
    fresh, factorings, last, double = False, 0, np.inf, False
    for step in range(1, max_steps + 1):
        if factor is None:
            factor, fresh = _factor(problem, totals, state, double), True
            factorings += 1
        grad = problem.reduce(state.grad)
        direction = -factor.solve(grad)
        decrement = -0.5 * float(grad @ direction)
        if not fresh and decrement > CHORD_RATE * last:  # the old factoring no longer serves
            factor, fresh = _factor(problem, totals, state, double), True
            factorings += 1
            direction = -factor.solve(grad)
            decrement = -0.5 * float(grad @ direction)
        if not decrement > 0 and not factor.double and float(grad @ grad) > 0:
            # Single precision lost the direction (a nearly singular Hessian: inputs that
            # nearly repeat each other, held apart only by the prior): factor in double,
            # from here on.
            double = True
            factor, fresh = _factor(problem, totals, state, double), True
            factorings += 1
            direction = -factor.solve(grad)
            decrement = -0.5 * float(grad @ direction)
        if decrement < tolerance:
            return Fit(state.coef, factor, step, factorings, decrement)
        move, size = problem.expand(direction), 1.0
        while True:
            trial = evaluate(problem.x, merged, problem.penalty, state.coef + size * move)
            # Armijo: accept once the loss falls by a tenth of what the step promised.
            if trial.value <= state.value - 0.2 * size * decrement or size < 1e-6:
                break
            size *= 0.5
        state, last, fresh = trial, decrement, False
        if size < 1.0 or decrement > CHORD_BELOW:
            factor = None
    if factor is None:
        factor, factorings = _factor(problem, totals, state, double), factorings + 1
    return Fit(state.coef, factor, max_steps, factorings, decrement)


def replicates(
    problem: Problem,
    counts: np.ndarray,
    campaign: np.ndarray,
    fit: Fit,
    count: int,
    seed: int,
    *,
    steps: int = 2,
) -> list[np.ndarray]:
    """Bootstrap replicates of ``fit``: campaigns drawn with Poisson(1) weights (clusters),
    and each cell's counts redrawn as Poisson(count) (customers). Each replicate's optimum is
    approached by ``steps`` Newton steps from the fit that keep the fit's factored Hessian
    (the resampled data's Hessian is close to it), so a replicate costs a few gradients, not
    a fit; all replicates share each step's solve."""
    rng = np.random.default_rng(seed)
    ids, index = np.unique(campaign, return_inverse=True)
    resampled = []
    for _ in range(count):
        weight = rng.poisson(1.0, len(ids)).astype(float)[index]
        resampled.append(problem.merged(rng.poisson(counts).astype(float) * weight[:, None]))
    coefs = [fit.coef] * count
    for _ in range(steps):
        grads = np.column_stack(
            [_gradients(problem, resampled[i : i + BATCH], coefs[i : i + BATCH])
             for i in range(0, count, BATCH)]
        ) if count else np.zeros((problem.size, 0))  # fmt: skip
        moves = fit.factor.solve(grads, refine=False)  # a replicate needs no more
        coefs = [w - problem.expand(moves[:, r]) for r, w in enumerate(coefs)]
    return coefs


def _gradients(problem: Problem, counts: list[np.ndarray], coefs: list[np.ndarray]) -> np.ndarray:
    """The loss's gradient (free coordinates × problems) for several count tables at once:
    one product with the design for all of them."""
    outcomes = counts[0].shape[1]
    stacked = np.hstack(coefs)  # features × (problems · outcomes)
    logits = np.asarray(problem.x @ stacked).reshape(problem.x.shape[0], len(coefs), outcomes)
    logits -= logits.max(axis=2, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=2, keepdims=True)
    table = np.stack(counts, axis=1)  # rows × problems × outcomes
    residual = probs * table.sum(axis=2, keepdims=True) - table
    grad = np.asarray(problem.x.T @ residual.reshape(problem.x.shape[0], -1))
    grad = grad.reshape(problem.features, len(coefs), outcomes).transpose(1, 0, 2)
    grad += problem.penalty[None, :, None] * np.stack(coefs)
    return np.column_stack([problem.reduce(g) for g in grad])
