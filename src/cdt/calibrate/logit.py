"""The response model: a regularised multinomial logit fitted on counted campaign outcomes.

Inputs are the campaign (type, price delta, value-add, offer worth, channel) and the customer
(segment, plan, tenure band, churn-risk band crossed with price-sensitivity band). Each
coefficient has a name, so the model can be read: ``delta×seg=SEG03`` on ``churned`` is how
much a dollar of price increase moves SEG03's churn log-odds. It fits on aggregated cells (one
row per group of customers who got the same message and share those inputs), which is what
makes millions of responses fit in seconds.

Everything here is plain numpy/scipy on arrays; reading and writing tables is the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

#: The response types the pipeline reads from RAW.CAMPAIGN_RESPONSES (spec §3.1).
OUTCOMES = (
    "accepted",
    "ignored",
    "complained",
    "threatened_churn",
    "churned",
    "upgraded",
    "downgraded",
)
NOTICE = "Price Change Notice"
DELTA_SCALE = 5.0  # dollars: delta features are in units of $5
TENURE_BANDS = 3
RISK_BANDS = 10
PRIOR_SD = 2.0  # Gaussian prior on every coefficient but the intercepts


@dataclass(frozen=True)
class Vocabulary:
    """The levels each categorical input can take, fixed at fit time."""

    segments: tuple[str, ...]
    types: tuple[str, ...]
    plans: tuple[str, ...]
    channels: tuple[str, ...]
    value_scale: Mapping[str, float]  # a type's mean offer worth, so worth enters as ~1
    #: The price-sensitivity scorer that bands customers (sensitivity.Scorer.to_dict()), or
    #: None for one band.
    sensitivity: Mapping[str, Any] | None = None

    @property
    def sensitivity_bands(self) -> int:
        return len(self.sensitivity["cuts"]) + 1 if self.sensitivity else 1

    @property
    def bands(self) -> list[str]:
        """The customer bands: churn-risk band × sensitivity band, as the design numbers them
        (risk_band + RISK_BANDS × sensitivity_band)."""
        if self.sensitivity_bands == 1:
            return [str(r) for r in range(RISK_BANDS)]
        return [f"{r}/sens={s}" for s in range(self.sensitivity_bands) for r in range(RISK_BANDS)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "segments": list(self.segments),
            "types": list(self.types),
            "plans": list(self.plans),
            "channels": list(self.channels),
            "value_scale": dict(self.value_scale),
            "sensitivity": dict(self.sensitivity) if self.sensitivity else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vocabulary:
        return cls(
            tuple(data["segments"]),
            tuple(data["types"]),
            tuple(data["plans"]),
            tuple(data["channels"]),
            dict(data["value_scale"]),
            data.get("sensitivity"),
        )

    @classmethod
    def from_cells(
        cls, cells: Mapping[str, np.ndarray], sensitivity: Mapping[str, Any] | None = None
    ) -> Vocabulary:
        types = tuple(sorted({str(t) for t in cells["campaign_type"]}))
        scale = {}
        for t in types:
            values = np.abs(cells["offer_value"][cells["campaign_type"] == t])
            scale[t] = float(values.mean()) if len(values) and values.mean() > 0 else 1.0
        return cls(
            tuple(sorted({str(s) for s in cells["segment_id"]})),
            types,
            tuple(sorted({str(p) for p in cells["plan_name"]})),
            tuple(sorted({str(c) for c in cells["channel"]})),
            scale,
            sensitivity,
        )


def feature_names(vocab: Vocabulary) -> list[str]:
    """The model's inputs, in column order."""
    names = ["intercept"]
    names += [f"seg={s}" for s in vocab.segments]
    names += [f"type={t}" for t in vocab.types]
    names += [f"type={t}×seg={s}" for t in vocab.types for s in vocab.segments]
    names += [f"plan={p}" for p in vocab.plans]
    names += [f"tenure={b}" for b in range(TENURE_BANDS)]
    names += [f"risk={b}" for b in vocab.bands]
    names += ["delta", "price_cut", "value_add"]
    names += [f"delta×seg={s}" for s in vocab.segments]
    names += [f"delta×risk={b}" for b in vocab.bands]
    names += [f"delta×tenure={b}" for b in range(TENURE_BANDS)]
    names += [f"delta×seg={s}×risk={b}" for s in vocab.segments for b in vocab.bands]
    names += [f"delta×seg={s}×plan={p}" for s in vocab.segments for p in vocab.plans]
    names += [f"value_add×seg={s}" for s in vocab.segments]
    names += [f"value_add×risk={b}" for b in vocab.bands]
    names += [f"value_add×seg={s}×risk={b}" for s in vocab.segments for b in vocab.bands]
    names += [f"worth×type={t}" for t in vocab.types if t != NOTICE]
    names += [f"channel={c}×offer" for c in vocab.channels]
    return names


def design(cells: Mapping[str, np.ndarray], vocab: Vocabulary) -> sparse.csr_matrix:
    """The design matrix for ``cells`` (arrays of equal length keyed by column name).

    Needed keys: segment_id, campaign_type, offer_value, value_add (0/1), channel,
    plan_name, tenure_band, risk_band, and sensitivity_band (taken as 0 when absent). Unknown
    levels get all-zero indicators.
    """
    n = len(cells["segment_id"])
    columns: list[np.ndarray] = [np.ones(n)]

    def onehot(values: np.ndarray, levels: Sequence[object]) -> list[np.ndarray]:
        return [(values == level).astype(float) for level in levels]

    seg = onehot(np.asarray(cells["segment_id"]), vocab.segments)
    kind = np.asarray(cells["campaign_type"])
    types = onehot(kind, vocab.types)
    notice = (kind == NOTICE).astype(float)
    offer = 1.0 - notice
    value = np.asarray(cells["offer_value"], dtype=float)
    delta = notice * value / DELTA_SCALE
    tenure = onehot(np.asarray(cells["tenure_band"]), range(TENURE_BANDS))
    band = np.asarray(cells["risk_band"]) + RISK_BANDS * np.asarray(
        cells.get("sensitivity_band", np.zeros(n, int))
    )
    risk = onehot(band, range(len(vocab.bands)))
    value_add = notice * np.asarray(cells["value_add"], dtype=float)
    channel = onehot(np.asarray(cells["channel"]), vocab.channels)

    columns += seg + types
    columns += [t * s for t in types for s in seg]
    plans = onehot(np.asarray(cells["plan_name"]), vocab.plans)
    columns += plans + tenure + risk
    columns += [delta, np.maximum(-delta, 0.0), value_add]
    columns += [delta * s for s in seg]
    columns += [delta * r for r in risk]
    columns += [delta * t for t in tenure]
    columns += [delta * s * r for s in seg for r in risk]
    columns += [delta * s * p for s in seg for p in plans]
    columns += [value_add * s for s in seg]
    columns += [value_add * r for r in risk]
    columns += [value_add * s * r for s in seg for r in risk]
    columns += [
        (kind == t) * value / vocab.value_scale.get(t, 1.0) for t in vocab.types if t != NOTICE
    ]
    columns += [c * offer for c in channel]
    return sparse.csr_matrix(np.column_stack(columns))


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def fit(
    x: sparse.csr_matrix,
    counts: np.ndarray,
    *,
    prior_sd: float = PRIOR_SD,
    start: np.ndarray | None = None,
    max_iter: int = 400,
) -> np.ndarray:
    """Maximum a-posteriori coefficients (features × outcomes) for outcome ``counts``.

    The loss is the multinomial negative log-likelihood of the counts plus a Gaussian prior
    (sd ``prior_sd``) on every coefficient except the intercept row; it is convex.
    """
    features, outcomes = x.shape[1], counts.shape[1]
    totals = counts.sum(axis=1)
    scale = max(float(totals.sum()), 1.0)
    penalty = np.full((features, 1), 1.0 / prior_sd**2)
    penalty[0] = 0.0
    xt = x.T.tocsr()

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(features, outcomes)
        logits = x @ w
        top = logits.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
        log_lik = float((counts * logits).sum() - (totals * log_norm).sum())
        probs = np.exp(logits - log_norm[:, None])
        grad = np.asarray(xt @ (probs * totals[:, None] - counts)) + penalty * w
        value = -log_lik + 0.5 * float((penalty * w * w).sum())
        return value / scale, (grad / scale).ravel()

    initial = np.zeros(features * outcomes) if start is None else start.ravel()
    result = minimize(
        loss, initial, jac=True, method="L-BFGS-B", options={"maxiter": max_iter, "gtol": 1e-7}
    )
    return np.asarray(result.x).reshape(features, outcomes)


def rates(probs: np.ndarray, per_taker: float) -> np.ndarray:
    """Outcome probabilities (..., OUTCOMES) as (..., 3) rates: response (anything but
    ignoring), conversion (accepting or upgrading, times the type's conversions per taker)
    and churn."""
    take = probs[..., OUTCOMES.index("accepted")] + probs[..., OUTCOMES.index("upgraded")]
    return np.stack(
        [
            1 - probs[..., OUTCOMES.index("ignored")],
            take * per_taker,
            probs[..., OUTCOMES.index("churned")],
        ],
        axis=-1,
    )


@dataclass
class LogitFit:
    """A fitted model: the point estimate and the bootstrap replicates."""

    vocab: Vocabulary
    coef: np.ndarray  # features × outcomes
    replicates: list[np.ndarray] = field(default_factory=list)

    def predict(self, cells: Mapping[str, np.ndarray]) -> np.ndarray:
        """Outcome probabilities (cells × OUTCOMES) at the point estimate."""
        return softmax(design(cells, self.vocab) @ self.coef)

    def predict_replicates(self, cells: Mapping[str, np.ndarray]) -> np.ndarray:
        """Outcome probabilities under every bootstrap replicate (replicates × cells × OUTCOMES)."""
        x = design(cells, self.vocab)
        return np.stack([softmax(x @ w) for w in self.replicates])


def bootstrap(
    x: sparse.csr_matrix,
    counts: np.ndarray,
    campaign: np.ndarray,
    coef: np.ndarray,
    replicates: int,
    seed: int,
    *,
    prior_sd: float = PRIOR_SD,
    on_replicate: Any = None,
) -> list[np.ndarray]:
    """Refits on resampled data: campaigns drawn with Poisson(1) weights (clusters), and each
    cell's counts redrawn as Poisson(count) (customers, Poisson bootstrap). Warm-started at the
    point estimate, so each refit takes a fraction of the first."""
    rng = np.random.default_rng(seed)
    ids, index = np.unique(campaign, return_inverse=True)
    out = []
    for _ in range(replicates):
        weight = rng.poisson(1.0, len(ids)).astype(float)[index]
        resampled = rng.poisson(counts).astype(float) * weight[:, None]
        out.append(fit(x, resampled, prior_sd=prior_sd, start=coef, max_iter=150))
        if on_replicate:
            on_replicate()
    return out
