"""The response model: a regularised multinomial logit fitted on counted campaign outcomes.

Inputs are the campaign (type, price delta, value-add, offer worth, channel) and the customer
(segment, plan, tenure band, churn-risk band crossed with price-sensitivity band). Each
coefficient has a name, so the model can be read: ``delta×seg=SEG03`` on ``churned`` is how
much a dollar of price increase moves SEG03's churn log-odds. Price notices have plan
intercepts of their own (``type=Price Change Notice×plan=…``): how a plan's customers take an
offer says little of how they take a notice, and one plan term shared by both mispriced the
notices' acceptance plan by plan (backtested response MAE 0.80 → 0.70 pp on seed 42; a plan
term per type of campaign did no better). It fits (``newton``) on aggregated
cells (one row per group of customers who got the same message and share those inputs), which
is what makes millions of responses fit in seconds.

Everything here is plain numpy/scipy on arrays; reading and writing tables is the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from cdt.contract import OUTCOMES

NOTICE = "Price Change Notice"
DELTA_SCALE = 5.0  # dollars: delta features are in units of $5
TENURE_BANDS = 3
RISK_BANDS = 10
PRIOR_SD = 2.0  # Gaussian prior on every coefficient but the intercepts
#: ... but a tighter one on how a segment, band, tenure or plan departs from the main price
#: and value-add slopes (per $5): a thin history then keeps the main slopes instead of
#: bending a segment's churn the wrong way. Chosen by measurement (README, "Numbers from
#: data"): at scale 1 it kept every archetype's churn at +$5 within 12% of the truth and
#: narrowed the intervals, and at scale 0.02 the whole twin's churn rises with the price.
SLOPE_PRIOR_SD = 0.25


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
    names += [f"type={NOTICE}×plan={p}" for p in vocab.plans]
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


def quiet(cells: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``cells`` in a month without a message: a $0 price notice with no value-add (what a
    price notice's untreated control group measures)."""
    n = len(cells["segment_id"])
    return dict(cells, campaign_type=np.full(n, NOTICE), offer_value=np.zeros(n),
                value_add=np.zeros(n))  # fmt: skip


def prior_sd(vocab: Vocabulary) -> np.ndarray:
    """Each input's prior standard deviation, in ``feature_names`` order."""
    names = feature_names(vocab)
    slopes = [name.startswith(("delta×", "value_add×")) for name in names]
    return np.where(slopes, SLOPE_PRIOR_SD, PRIOR_SD)


def _index(values: np.ndarray, levels: Sequence[object]) -> np.ndarray:
    """Each value's position in ``levels``, -1 where it is not one of them."""
    lookup = {level: i for i, level in enumerate(levels)}
    return np.array([lookup.get(v, -1) for v in values.tolist()], dtype=np.int64)


def _band(values: np.ndarray, count: int) -> np.ndarray:
    index = np.asarray(values, dtype=np.int64)
    return np.where((index >= 0) & (index < count), index, -1)


def design(cells: Mapping[str, np.ndarray], vocab: Vocabulary) -> sparse.csr_matrix:
    """The design matrix for ``cells`` (arrays of equal length keyed by column name), with
    the columns of ``feature_names``.

    Needed keys: segment_id, campaign_type, offer_value, value_add (0/1), channel,
    plan_name, tenure_band, risk_band, and sensitivity_band (taken as 0 when absent). Unknown
    levels get all-zero indicators. Built sparse: a row has at most 20 nonzero entries, one
    per term below, so 1M rows take tens of MB.
    """
    n = len(cells["segment_id"])
    segments, plans, bands = len(vocab.segments), len(vocab.plans), len(vocab.bands)
    seg = _index(np.asarray(cells["segment_id"]), vocab.segments)
    kind = np.asarray(cells["campaign_type"])
    type_ = _index(kind, vocab.types)
    plan = _index(np.asarray(cells["plan_name"]), vocab.plans)
    tenure = _band(np.asarray(cells["tenure_band"]), TENURE_BANDS)
    band = _band(
        np.asarray(cells["risk_band"])
        + RISK_BANDS * np.asarray(cells.get("sensitivity_band", np.zeros(n, int))),
        bands,
    )
    channel = _index(np.asarray(cells["channel"]), vocab.channels)
    notice = (kind == NOTICE).astype(float)
    value = np.asarray(cells["offer_value"], dtype=float)
    delta = notice * value / DELTA_SCALE
    value_add = notice * np.asarray(cells["value_add"], dtype=float)
    worth_types = [t for t in vocab.types if t != NOTICE]
    worth = _index(kind, worth_types)
    scale = np.array([vocab.value_scale.get(t, 1.0) for t in worth_types] + [1.0])
    one = np.ones(n)

    def cross(a: np.ndarray, b: np.ndarray, width: int) -> np.ndarray:
        return np.where((a >= 0) & (b >= 0), a * width + b, -1)

    def always(column: int) -> np.ndarray:
        return np.full(n, column, dtype=np.int64)

    # (position within its block or -1, the block's width, the entry's value), in column order
    terms = [
        (always(0), 1, one),
        (seg, segments, one),
        (type_, len(vocab.types), one),
        (cross(type_, seg, segments), len(vocab.types) * segments, one),
        (plan, plans, one),
        (np.where(kind == NOTICE, plan, -1), plans, one),
        (tenure, TENURE_BANDS, one),
        (band, bands, one),
        (always(0), 1, delta),
        (always(0), 1, np.maximum(-delta, 0.0)),
        (always(0), 1, value_add),
        (seg, segments, delta),
        (band, bands, delta),
        (tenure, TENURE_BANDS, delta),
        (cross(seg, band, bands), segments * bands, delta),
        (cross(seg, plan, plans), segments * plans, delta),
        (seg, segments, value_add),
        (band, bands, value_add),
        (cross(seg, band, bands), segments * bands, value_add),
        (worth, len(worth_types), value / scale[worth]),
        (channel, len(vocab.channels), 1.0 - notice),
    ]
    columns = np.empty((n, len(terms)), dtype=np.int64)
    values = np.empty((n, len(terms)))
    offset = 0
    for j, (position, width, entry) in enumerate(terms):
        columns[:, j] = np.where(position >= 0, position + offset, -1)
        values[:, j] = entry
        offset += width
    if offset != len(feature_names(vocab)):
        raise AssertionError("logit.design lost step with feature_names")
    keep = (columns >= 0) & (values != 0)
    return sparse.csr_matrix(
        (values[keep], columns[keep], np.concatenate([[0], np.cumsum(keep.sum(axis=1))])),
        shape=(n, offset),
    )


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


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
    """A fitted model: the point estimate and the bootstrap replicates (``newton``)."""

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
