"""Price-sensitivity bands: which customers react steeply to a price increase.

The response model prices every customer of a cell alike, and a segment's loyal customers who
share cells with a minority of steep-sloped ones would be priced like the mix. So before the
model is fitted, a scorer learns from delivered price notices how steeply each customer reacts:
an L2 logistic regression of "churned or threatened to" on customer features × the price delta
(and segment × delta). A customer's *slope* is its fitted log-odds change for a $5 increase; the
customers are cut into ``BANDS`` equal-sized bands of that slope, and the band is one of the
model's customer inputs (crossed with the churn-risk band).

The scorer is linear, so its slope is a SQL expression over CUSTOMER_FEATURES_ENRICHED columns:
it is stored with the model (in its vocabulary), and the same bands are computed in SQL on
DuckDB and Snowflake whenever the model is read, so bands and model can never disagree.

Nothing per customer crosses the wire: the features are standardised by moments computed in
the warehouse (``read_moments``), the fit reads at most MAX_NOTICES notices with their
customers' features (``read_notices``), and the band cuts are quantiles of the slope taken in
the warehouse (``cuts_sql``). ``fit_scorer`` does the same in numpy, from every customer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa
from scipy import special

from cdt.backends.base import Backend
from cdt.sqlfiles import read_sql

BANDS = 3
DELTA = 5.0  # dollars: a slope is the log-odds change for this increase
#: Customer features the scorer reads (columns of ANALYTICS.CUSTOMER_FEATURES_ENRICHED).
FEATURES = (
    "age", "tenure_months", "plan_price", "lines_on_account", "monthly_arpu",
    "avg_data_usage_gb", "avg_voice_minutes", "support_contacts_12m", "avg_sentiment_score",
    "complaint_rate", "app_engagement_score", "population_density", "churn_risk_score",
    "nps_score", "complaint_count_12m", "lifetime_value",
)  # fmt: skip
LOGGED = frozenset({"population_density", "lifetime_value"})  # heavy right tails: log1p
#: The most notices the scorer is fitted on (the LIMIT of sql/common/scorer_notices.sql).
MAX_NOTICES = 100_000
_SEGMENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Scorer:
    """A fitted slope: ``intercept + Σ weight·g(feature) + segment term``, cut at ``cuts``."""

    intercept: float
    weights: Mapping[str, float]  # per raw (or log1p'd) feature value
    segments: Mapping[str, float]
    cuts: tuple[float, ...]
    notices: int = 0

    @property
    def bands(self) -> int:
        return len(self.cuts) + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "weights": dict(self.weights),
            "segments": dict(self.segments),
            "cuts": list(self.cuts),
            "notices": self.notices,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorer:
        return cls(
            float(data["intercept"]),
            {str(k): float(v) for k, v in data["weights"].items()},
            {str(k): float(v) for k, v in data["segments"].items()},
            tuple(float(c) for c in data["cuts"]),
            int(data.get("notices", 0)),
        )

    def slope_sql(self) -> str:
        """The slope as a SQL expression over ``f`` (features) and ``s`` (segments)."""
        terms = [_number(self.intercept)]
        for name, weight in self.weights.items():
            if name not in FEATURES:
                raise ValueError(f"unknown scorer feature {name!r}")
            value = f"COALESCE(CAST(f.{name} AS DOUBLE), 0)"
            if name in LOGGED:
                value = f"LN(1 + GREATEST({value}, 0))"
            terms.append(f"{_number(weight)} * {value}")
        cases = []
        for segment, weight in self.segments.items():
            if not _SEGMENT_ID.match(segment):
                raise ValueError(f"segment id {segment!r} is not a plain identifier")
            cases.append(f"WHEN '{segment}' THEN {_number(weight)}")
        if cases:
            terms.append(f"(CASE s.segment_id {' '.join(cases)} ELSE 0 END)")
        return "(" + " + ".join(terms) + ")"

    def band_sql(self) -> str:
        """The customer's band (0 … bands-1) as a SQL expression."""
        if not self.cuts:
            return "0"
        slope = self.slope_sql()
        whens = " ".join(f"WHEN {slope} < {_number(c)} THEN {i}" for i, c in enumerate(self.cuts))
        return f"CASE {whens} ELSE {len(self.cuts)} END"

    def slopes(self, people: Mapping[str, np.ndarray]) -> np.ndarray:
        """The slope of each customer in ``people`` (as sql/common/scorer_people.sql reads
        them), in numpy."""
        out = np.full(len(people["customer_id"]), self.intercept)
        for name, weight in self.weights.items():
            out += weight * _values(people, name)
        segment = np.asarray(people["segment_id"]).astype(str)
        for seg, weight in self.segments.items():
            out += weight * (segment == seg)
        return out


def _number(value: float) -> str:
    if not np.isfinite(value):
        raise ValueError(f"non-finite scorer coefficient {value}")
    return f"{float(value):.12g}"


def _values(people: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    raw: np.ndarray = np.nan_to_num(
        np.asarray(np.ma.filled(np.ma.asarray(people[name], dtype=float), 0.0), dtype=float)
    )
    return np.log1p(np.maximum(raw, 0.0)) if name in LOGGED else raw


def arrays(table: pa.Table) -> dict[str, np.ndarray]:
    """A query result as numpy arrays keyed by column name."""
    return {name: table.column(name).to_numpy(zero_copy_only=False) for name in table.column_names}


@dataclass(frozen=True)
class Moments:
    """What standardises the scorer's features: their mean and population standard deviation
    over every segmented customer (as ``_values`` reads them), and the segment ids."""

    mean: np.ndarray
    sd: np.ndarray
    segments: tuple[str, ...]
    customers: int


def moments_of(people: Mapping[str, np.ndarray]) -> Moments:
    """``Moments`` of ``people`` (every customer's features, as scorer_people.sql reads them)."""
    raw = np.column_stack([_values(people, name) for name in FEATURES])
    segments = tuple(sorted(set(np.asarray(people["segment_id"]).astype(str))))
    return Moments(raw.mean(axis=0), raw.std(axis=0), segments, len(raw))


def read_moments(backend: Backend) -> Moments:
    """``Moments`` computed in the warehouse (scorer_moments.sql): one row fetched."""
    (row,) = backend.query(read_sql("scorer_moments", backend.dialect)).to_pylist()
    segments = backend.query(read_sql("segment_ids", backend.dialect)).column("segment_id")
    return Moments(
        np.array([float(row[f"mean_{name}"] or 0.0) for name in FEATURES]),
        np.array([float(row[f"sd_{name}"] or 0.0) for name in FEATURES]),
        tuple(str(s) for s in segments.to_pylist()),
        int(row["customers"]),
    )


def read_people(backend: Backend) -> dict[str, np.ndarray]:
    """Every segmented customer's scorer features, ordered by customer_id (for checks and
    benchmarks: the fit itself reads only moments and notices)."""
    return arrays(backend.query(read_sql("scorer_people", backend.dialect)))


def read_notices(backend: Backend) -> dict[str, np.ndarray]:
    """Delivered price notices to segmented customers (at most MAX_NOTICES, a fixed hash
    sample beyond that), each with its customer's segment and features, by response id."""
    notices = arrays(backend.query(read_sql("scorer_notices", backend.dialect)))
    order = np.argsort(np.asarray(notices["response_id"]).astype(str), kind="stable")
    return {name: values[order] for name, values in notices.items()}


def with_features(
    notices: Mapping[str, np.ndarray], people: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """``notices`` (customer, campaign, delta, value-add, adverse) with each noticed
    customer's segment and features from ``people``; notices to unknown customers dropped."""
    ids = np.asarray(people["customer_id"]).astype(str)
    who = np.asarray(notices["customer_id"]).astype(str)
    rows = np.searchsorted(ids, who)
    known = (rows < len(ids)) & (ids[np.minimum(rows, len(ids) - 1)] == who)
    out = {name: np.asarray(values)[known] for name, values in notices.items()}
    for name in ("segment_id", *FEATURES):
        out[name] = np.asarray(people[name])[rows[known]]
    return out


def fit_scorer(
    people: Mapping[str, np.ndarray],
    notices: Mapping[str, np.ndarray],
    *,
    exclude: Sequence[str] = (),
    bands: int = BANDS,
) -> Scorer | None:
    """The scorer fitted in numpy from every customer in ``people``: ``fit_slope`` on their
    moments and ``notices``, cut into ``bands`` equal bands of their slopes."""
    if bands < 2:
        return None
    slope = fit_slope(moments_of(people), with_features(notices, people), exclude=exclude)
    if slope is None:
        return None
    levels = np.linspace(0, 1, bands + 1)[1:-1]
    return replace(slope, cuts=tuple(float(c) for c in np.quantile(slope.slopes(people), levels)))


def cuts_sql(backend: Backend, slope: Scorer, bands: int = BANDS) -> Scorer:
    """``slope`` cut into ``bands`` equal bands of every segmented customer's slope, the
    quantiles taken in the warehouse (as np.quantile's linear interpolation: PERCENTILE_CONT)."""
    levels = np.linspace(0, 1, bands + 1)[1:-1]
    quantiles = ", ".join(
        f"PERCENTILE_CONT({_number(q)}) WITHIN GROUP (ORDER BY v.slope) AS q{i}"
        for i, q in enumerate(levels)
    )
    (row,) = backend.query(
        f"SELECT {quantiles} FROM (SELECT {slope.slope_sql()} AS slope "  # noqa: S608
        "FROM ANALYTICS.CUSTOMER_FEATURES_ENRICHED f "
        "JOIN ANALYTICS.CUSTOMER_SEGMENTS s ON s.customer_id = f.customer_id) v"
    ).to_pylist()
    return replace(slope, cuts=tuple(float(row[f"q{i}"]) for i in range(len(levels))))


def fit_slope(
    moments: Moments, notices: Mapping[str, np.ndarray], *, exclude: Sequence[str] = ()
) -> Scorer | None:
    """The slope scorer (without cuts) fitted on ``notices`` with their customers' features
    (less the campaigns in ``exclude``, e.g. a backtest's held-out ones), standardised by
    ``moments``.

    Returns None when there is nothing to learn from: no price notices, or no adverse
    outcome (or only adverse outcomes) among them. The model then has one band.
    """
    keep = ~np.isin(np.asarray(notices["campaign_id"]).astype(str), list(exclude))
    adverse = np.asarray(notices["adverse"], dtype=float)[keep]
    if len(adverse) == 0 or adverse.min() == adverse.max():
        return None
    delta = np.nan_to_num(np.asarray(notices["delta"], dtype=float))[keep] / DELTA
    value_add = np.asarray(notices["value_add"], dtype=float)[keep]
    sd = np.where(moments.sd > 1e-12, moments.sd, 1.0)
    raw = np.column_stack([_values(notices, name)[keep] for name in FEATURES])
    z = (raw - moments.mean) / sd
    levels = list(moments.segments)
    segment = np.asarray(notices["segment_id"]).astype(str)[keep]
    seg = (segment[:, None] == np.array(levels)[None, :]).astype(float)
    d = delta[:, None]
    x = np.hstack([z, seg, z * d, seg * d, seg * value_add[:, None], np.maximum(-d, 0.0)])
    coef = logistic(x, adverse)[1:]
    k, s = len(FEATURES), len(levels)
    slope_z = coef[k + s : 2 * k + s]  # per standardised feature, for one $5 step
    slope_seg = coef[2 * k + s : 2 * k + 2 * s]
    weights = slope_z / sd
    return Scorer(
        intercept=float(-(weights * moments.mean).sum()),
        weights={name: float(w) for name, w in zip(FEATURES, weights, strict=True)},
        segments={level: float(w) for level, w in zip(levels, slope_seg, strict=True)},
        cuts=(),
        notices=len(adverse),
    )


def logistic(x: np.ndarray, y: np.ndarray, *, steps: int = 50) -> np.ndarray:
    """L2-regularised logistic regression (intercept first, unpenalised; the other weights
    under 0.5·|w|², as scikit-learn's LogisticRegression with C=1), fitted by Newton's
    method: a few dozen inputs, so each step is one small solve, and it stops at the optimum
    rather than at an iteration cap."""
    design = np.hstack([np.ones((len(x), 1)), x])
    penalty = np.ones(design.shape[1])
    penalty[0] = 0.0
    w = np.zeros(design.shape[1])
    for _ in range(steps):
        p = special.expit(design @ w)
        grad = design.T @ (p - y) + penalty * w
        hess = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        move = np.linalg.solve(hess + 1e-10 * np.eye(len(w)), grad)
        w = w - move
        if float(grad @ move) < 1e-10:  # twice the Newton decrement
            break
    return w
