"""The generator's hidden truth, read for evaluations and benchmarks only (never by the
pipeline): the customers' true archetypes and their true churn at a price notice, and the
fidelity figures computed against them.

Each function takes a built twin's settings (and, where it says so, a fitted response model)
and returns plain numbers, so that ``evals/`` can assert on them and ``benchmarks/`` can print
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cdt import api
from cdt.calibrate import Inputs, bands_sql, latest_model, population, predict, scorer_of
from cdt.calibrate import logit as M
from cdt.calibrate.predict import interval
from cdt.config import Settings
from cdt.contract import PLANS
from cdt.generate import archetypes as A
from cdt.generate import campaigns as G

# The price notices the checks run at (dollars a month, by email, no value-add).
NOTICES = (-5.0, 2.0, 5.0, 10.0)


def truth_folder(settings: Settings) -> Path:
    """Where the generator wrote the hidden truth for ``settings``' data."""
    return settings.data_dir / "truth" / "customer_archetypes"


def segment_ari(settings: Settings) -> float:
    """The adjusted Rand index of the twin's segments against the hidden archetypes."""
    import duckdb
    from sklearn.metrics import adjusted_rand_score

    with api.connect(settings, read_only=True) as backend:
        assigned = backend.query_df(
            "SELECT customer_id, segment_id FROM ANALYTICS.CUSTOMER_SEGMENTS"
        )
    truth = duckdb.sql(
        "SELECT customer_id, archetype FROM read_parquet($glob)",
        params={"glob": str(truth_folder(settings) / "*.parquet")},
    ).pl()
    joined = assigned.join(truth, on="customer_id")
    return float(
        adjusted_rand_score(joined["archetype"].to_numpy(), joined["segment_id"].to_numpy())
    )


@dataclass(frozen=True)
class Population:
    """Every scored customer of a twin: the fitted model, its band columns per customer
    (``rows``), their hidden archetypes (positions in ``A.ARCHETYPE_NAMES``) and the model's
    people (``predict``'s input)."""

    fitted: Any
    rows: dict[str, list[Any]]
    which: np.ndarray
    people: Any


def read_population(settings: Settings) -> Population:
    """The twin's customers with the latest response model's bands and their true archetypes."""
    with api.connect(settings) as backend:
        fitted = latest_model(backend)
        banded = bands_sql(backend, scorer_of(fitted))
        rows = backend.query(
            "SELECT b.customer_id, b.segment_id, b.plan_name, b.tenure_band, b.risk_band, "  # noqa: S608
            f"b.sensitivity_band, f.tenure_months FROM ({banded}) b "
            "JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = b.customer_id"
        ).to_pydict()
        people = population(backend, fitted)
    return Population(fitted, rows, archetypes_of(rows, settings), people)


def archetypes_of(rows: dict[str, list[Any]], settings: Settings) -> np.ndarray:
    """``rows``' customers' archetypes, as ``A.ARCHETYPE_NAMES`` positions."""
    import polars as pl

    truth = pl.read_parquet(truth_folder(settings))
    archetype = dict(truth.select("customer_id", "archetype").iter_rows())
    names = list(A.ARCHETYPE_NAMES)
    return np.array([names.index(archetype[c]) for c in rows["customer_id"]])


def true_churn(rows: dict[str, list[Any]], which: np.ndarray, delta: float) -> np.ndarray:
    """The true churn probabilities of ``rows``' customers, of archetypes ``which``, at a
    ``delta`` price notice by email with no value-add (the generator's own model)."""
    n = len(which)
    plans = list(PLANS)
    plan = np.array([plans.index(name) for name in rows["plan_name"]])
    return G.probabilities(
        G.logits(which, np.zeros(n, int), np.full(n, delta), np.zeros(n, bool),
                 np.zeros(n, int), np.array(rows["tenure_months"]), plan)
    )[:, G.R["churned"]]  # fmt: skip


def churn_by_archetype(people: Population, delta: float) -> list[tuple[str, float, float]]:
    """Per archetype: (name, the model's mean churn, the hidden truth's mean churn) over the
    same customers at a ``delta`` price notice (by email, no value-add)."""
    rows, which = people.rows, people.which
    true = true_churn(rows, which, delta)
    keys = ("segment_id", "plan_name", "tenure_band", "risk_band", "sensitivity_band")
    # Predict once per distinct combination of the model's inputs (a million-row dense design
    # matrix would not fit in memory with many bands).
    combos, where = np.unique(
        np.array(
            ["|".join(map(str, values)) for values in zip(*(rows[k] for k in keys), strict=True)]
        ),
        return_inverse=True,
    )
    first = np.unique(where, return_index=True)[1]
    inputs = {k: np.array(rows[k])[first] for k in keys}
    m = len(combos)
    inputs.update(
        campaign_type=np.full(m, M.NOTICE),
        offer_value=np.full(m, delta),
        value_add=np.zeros(m),
        channel=np.full(m, "Email"),
    )
    model = people.fitted.logit.predict(inputs)[:, M.OUTCOMES.index("churned")][where]
    return [
        (name, float(model[which == i].mean()), float(true[which == i].mean()))
        for i, name in enumerate(A.ARCHETYPE_NAMES)
        if (which == i).any()
    ]


def churners_at(people: Population, delta: float, *, value_add: bool = False) -> float:
    """The model's expected churners over the whole twin at a ``delta`` price notice."""
    found = predict(
        people.fitted, people.people, Inputs(M.NOTICE, delta=delta, value_add=value_add)
    )
    return float(sum(p.churners for p in found.values()))


@dataclass(frozen=True)
class Coverage:
    """How often a simulation's 90% interval of a segment's expected churners held the hidden
    truth, and the intervals' median half-width relative to the point."""

    held: int
    figures: int
    median_half_width: float

    @property
    def share(self) -> float:
        return self.held / self.figures


def intervals_against_truth(people: Population) -> Coverage:
    """Every segment at each of ``NOTICES``: does the 90% interval of the segment's expected
    churners hold the truth's expected churners?"""
    segments = np.array(people.rows["segment_id"])
    held = figures = 0
    widths = []
    for delta in NOTICES:
        true = true_churn(people.rows, people.which, delta)
        found = predict(people.fitted, people.people, Inputs(M.NOTICE, delta=delta))
        for segment, one in found.items():
            low, high = one.interval(one.churners, one.churner_draws)
            held += bool(low <= true[segments == segment].sum() <= high)
            figures += 1
            widths.append((high - low) / 2 / one.churners)
    return Coverage(held, figures, float(np.median(widths)))


@dataclass(frozen=True)
class Churners:
    """The whole twin's expected churners at one notice: the model's point and 90% interval
    (its segments' bootstrap draws summed replicate by replicate), and the truth's."""

    model: float
    low: float
    high: float
    truth: float

    @property
    def miss(self) -> float:
        return abs(self.model / self.truth - 1)


def churners_against_truth(people: Population, delta: float) -> Churners:
    """The model's and the hidden truth's expected churners over the whole twin at a ``delta``
    price notice by email with no value-add."""
    found = predict(people.fitted, people.people, Inputs(M.NOTICE, delta=delta))
    point = sum(p.churners for p in found.values())
    draws = np.sum([p.churner_draws for p in found.values()], axis=0)
    extrapolated = any(p.extrapolated for p in found.values())
    low, high = interval(point, draws, extrapolated=extrapolated)
    true = true_churn(people.rows, people.which, delta)
    return Churners(float(point), low, high, float(true.sum()))
