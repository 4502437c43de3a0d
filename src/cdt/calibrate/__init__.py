"""`cdt calibrate`: fit the response model on CAMPAIGN_RESPONSES and store it.

Numbers from data: a simulation's action shares, churners and revenue at risk come from this
model, read at the scenario's parameters for each segment's customers, with 90% intervals from
bootstrap replicates (campaigns and customers resampled). See ``model`` for the model itself
and ``backtest`` for how well it predicts campaigns it has not seen.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cdt.backends.base import Backend
from cdt.calibrate import model as M
from cdt.calibrate.sensitivity import Scorer, arrays, fit_scorer, read_notices, read_people
from cdt.errors import BackendError, NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.rows import insert_rows
from cdt.scenario.filters import EVERYONE, Filters
from cdt.sqlfiles import read_sql
from cdt.state import derive, last_fingerprint, record_stage

MODEL_VERSION = 3  # 2: ten risk bands, value-add × risk terms; 3: price-sensitivity bands
REPLICATES = 20
#: Extrapolated scenarios get intervals this many times wider around the point estimate.
EXTRAPOLATION_WIDENING = 2.0
INTERVAL = (5.0, 95.0)


def fingerprint(backend: Backend, replicates: int, seed: int) -> str | None:
    """The calibrate stage's fingerprint: its inputs (segments) and parameters."""
    return derive(last_fingerprint(backend, "segment"), MODEL_VERSION, replicates, seed)


SENSITIVITY_MARK = "/* sensitivity_band */ 0"


def bands_sql(backend: Backend, scorer: Scorer | None) -> str:
    """Each customer's inputs to the model (response_bands.sql), banded by ``scorer``."""
    bands = read_sql("response_bands", backend.dialect)
    if SENSITIVITY_MARK not in bands:
        raise AssertionError("response_bands.sql lost its sensitivity_band mark")
    if scorer is not None:  # numbers and checked names only, see Scorer.band_sql
        bands = bands.replace(SENSITIVITY_MARK, scorer.band_sql())
    return bands


def _with_bands(backend: Backend, name: str, scorer: Scorer | None) -> str:
    bands = bands_sql(backend, scorer)
    return f"WITH bands AS ({bands})\n{read_sql(name, backend.dialect)}"


def scorer_of(model: ResponseModel) -> Scorer | None:
    """The price-sensitivity scorer ``model`` was fitted with, if any."""
    stored = model.fitted.vocab.sensitivity
    return Scorer.from_dict(stored) if stored else None


def _not_built() -> NotBuiltError:
    return NotBuiltError(
        "the twin has no segments or campaign responses yet",
        fix="run `cdt build` (or `cdt segment`) first",
    )


def read_cells(backend: Backend, scorer: Scorer | None = None) -> dict[str, np.ndarray]:
    """The training cells (see response_cells.sql), as numpy arrays, with customers banded
    by ``scorer``'s price sensitivity (one band without it).

    Raises:
        NotBuiltError: no segments or no campaign responses yet.
    """
    try:
        table = backend.query(_with_bands(backend, "response_cells", scorer))
    except BackendError as exc:
        raise _not_built() from exc
    if table.num_rows == 0:
        raise NotBuiltError(
            "there are no delivered campaign responses for segmented customers",
            fix="load data with RAW.CAMPAIGN_RESPONSES and run `cdt segment` first",
        )
    cells = arrays(table)
    for outcome in (*M.OUTCOMES, "delivered", "converted"):
        cells[outcome] = cells[outcome].astype(float)
    cells["offer_value"] = np.nan_to_num(cells["offer_value"].astype(float))
    cells["value_add"] = np.array(["Value Add" in str(v) for v in cells["offer_type"]], float)
    cells["campaign_type"] = cells["campaign_type"].astype(str)
    cells["segment_id"] = cells["segment_id"].astype(str)
    cells["plan_name"] = cells["plan_name"].astype(str)
    cells["channel"] = cells["channel"].astype(str)
    return cells


def population(
    backend: Backend, model: ResponseModel, audience: Filters = EVERYONE
) -> dict[str, np.ndarray]:
    """Today's customers that ``audience`` reaches, grouped by the customer inputs of
    ``model`` (banded by its own price-sensitivity scorer)."""
    sql = (
        f"WITH audience AS ({read_sql('audience', backend.dialect)}),\n"
        f"bands AS ({bands_sql(backend, scorer_of(model))})\n"
        + read_sql("response_population", backend.dialect)
    )
    cells = arrays(backend.query(sql, audience.binds()))
    cells["customers"] = cells["customers"].astype(float)
    cells["segment_id"] = cells["segment_id"].astype(str)
    cells["plan_name"] = cells["plan_name"].astype(str)
    return cells


def facts(cells: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """What the history covers, per campaign type: channel mix, offer worths seen, and how
    many of those who accepted or upgraded converted (the conversion rate's link to the
    model's outcomes)."""
    out: dict[str, Any] = {}
    for kind in sorted(set(cells["campaign_type"])):
        mask = cells["campaign_type"] == kind
        delivered = cells["delivered"][mask]
        takers = (cells["accepted"] + cells["upgraded"])[mask].sum()
        channels = {
            str(c): float(delivered[cells["channel"][mask] == c].sum() / delivered.sum())
            for c in sorted(set(cells["channel"][mask]))
        }
        values = cells["offer_value"][mask]
        out[kind] = {
            "campaigns": len(set(cells["campaign_id"][mask])),
            "channel_mix": channels,
            "value_min": float(values.min()),
            "value_max": float(values.max()),
            "value_typical": float(np.median(values)),
            "conversion_per_taker": float(cells["converted"][mask].sum() / takers)
            if takers
            else 0.0,
            "value_add_seen": bool(cells["value_add"][mask].any()),
        }
    return out


@dataclass
class ResponseModel:
    """A fitted response model as stored in ANALYTICS.RESPONSE_MODELS."""

    model_id: str
    fitted: M.Fitted
    facts: dict[str, Any]
    n_cells: int = 0
    n_responses: int = 0
    fit_seconds: float = 0.0

    def coefficients(self) -> dict[str, dict[str, float]]:
        """Coefficients by outcome and input name, for reading the model."""
        names = M.feature_names(self.fitted.vocab)
        return {
            outcome: {name: float(self.fitted.coef[i, j]) for i, name in enumerate(names)}
            for j, outcome in enumerate(M.OUTCOMES)
        }

    def summary(self) -> dict[str, Any]:
        """The model in a few lines: size, and the price-delta slopes on churn per segment."""
        coef = self.coefficients()["churned"]
        slopes = {
            seg: round((coef["delta"] + coef[f"delta×seg={seg}"]) / M.DELTA_SCALE, 4)
            for seg in self.fitted.vocab.segments
        }
        return {
            "model_id": self.model_id,
            "cells": self.n_cells,
            "responses": self.n_responses,
            "inputs": len(M.feature_names(self.fitted.vocab)),
            "outcomes": list(M.OUTCOMES),
            "replicates": len(self.fitted.replicates),
            "fit_seconds": round(self.fit_seconds, 2),
            "campaign_types": {k: v["campaigns"] for k, v in self.facts.items()},
            "churn_log_odds_per_dollar": slopes,
            "sensitivity_bands": self.fitted.vocab.sensitivity_bands,
        }


def fit_model(
    cells: Mapping[str, np.ndarray],
    *,
    scorer: Scorer | None = None,
    replicates: int = REPLICATES,
    seed: int = 42,
    progress: Progress | None = None,
) -> ResponseModel:
    """Fit the point estimate and ``replicates`` bootstrap refits on ``cells`` (banded by
    ``scorer``, which the model keeps so that it bands customers the same way later). The
    replicates hold the scorer fixed: its own sampling error is not in the intervals."""
    progress = progress or NullProgress()
    clock = time.perf_counter()
    vocab = M.Vocabulary.from_cells(cells, scorer.to_dict() if scorer else None)
    x = M.design(cells, vocab)
    counts = np.column_stack([cells[o] for o in M.OUTCOMES])
    task = "calibrate: fit response model"
    progress.start(task, total=replicates + 1)
    coef = M.fit(x, counts)
    progress.advance(task)
    reps = M.bootstrap(
        x,
        counts,
        cells["campaign_id"],
        coef,
        replicates,
        seed,
        on_replicate=lambda: progress.advance(task),
    )
    progress.finish(task)
    return ResponseModel(
        str(uuid.uuid4()),
        M.Fitted(vocab, coef, reps),
        facts(cells),
        n_cells=len(cells["segment_id"]),
        n_responses=int(counts.sum()),
        fit_seconds=time.perf_counter() - clock,
    )


@dataclass
class CalibrateResult:
    model: ResponseModel
    backtest: Any = None  # backtest.BacktestResult

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"model": self.model.summary()}
        if self.backtest is not None:
            out["backtest"] = self.backtest.to_dict(units=False)
        return out


def calibrate(
    backend: Backend,
    *,
    replicates: int = REPLICATES,
    seed: int = 42,
    run_backtest: bool = True,
    progress: Progress | None = None,
) -> CalibrateResult:
    """Fit and store the response model; with ``run_backtest``, also backtest it (without
    the LLM reference, which `cdt backtest` adds). One transaction writes both."""
    from cdt.calibrate.backtest import backtest as _backtest
    from cdt.calibrate.backtest import store as store_backtest

    people, notices = _scorer_inputs(backend, progress)
    scorer = _fit_scorer(people, notices, progress)
    cells = read_cells(backend, scorer)
    fitted = fit_model(cells, scorer=scorer, replicates=replicates, seed=seed, progress=progress)
    tested = None
    if run_backtest:
        held, held_scorer = backtest_cells(backend, cells=cells, people=people, notices=notices)
        tested = _backtest(
            held, scorer=held_scorer, replicates=replicates, seed=seed, progress=progress
        )
    stage_print = fingerprint(backend, replicates, seed)
    with backend.work("ml"), backend.transaction():
        store(backend, fitted, stage_print)
        if tested is not None:
            store_backtest(backend, tested, fitted.model_id)
        record_stage(backend, "calibrate", stage_print, fitted.summary())
    return CalibrateResult(fitted, tested)


def _scorer_inputs(
    backend: Backend, progress: Progress | None = None
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    progress = progress or NullProgress()
    task = "calibrate: read customers and price notices"
    progress.start(task, total=1)
    try:
        people, notices = read_people(backend), read_notices(backend)
    except BackendError as exc:
        raise _not_built() from exc
    progress.finish(task)
    return people, notices


def _fit_scorer(
    people: Mapping[str, np.ndarray],
    notices: Mapping[str, np.ndarray],
    progress: Progress | None,
    exclude: list[str] | None = None,
) -> Scorer | None:
    progress = progress or NullProgress()
    task = "calibrate: price-sensitivity scorer"
    progress.start(task, total=1)
    scorer = fit_scorer(people, notices, exclude=exclude or ())
    progress.finish(task)
    return scorer


def backtest_cells(
    backend: Backend,
    *,
    share: float | None = None,
    cells: Mapping[str, np.ndarray] | None = None,
    people: Mapping[str, np.ndarray] | None = None,
    notices: Mapping[str, np.ndarray] | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, np.ndarray], Scorer | None]:
    """The cells a backtest holding out the most recent ``share`` of campaigns scores, with
    customers banded by a scorer fitted on the training campaigns only (the held-out
    campaigns' outcomes must not shape the bands), and that scorer."""
    from cdt.calibrate.backtest import HOLDOUT_SHARE, split

    if cells is None:
        cells = read_cells(backend)
    _, holdout, _ = split(cells, HOLDOUT_SHARE if share is None else share)  # checks the share
    if people is None or notices is None:
        people, notices = _scorer_inputs(backend, progress)
    scorer = _fit_scorer(people, notices, progress, exclude=holdout)
    return read_cells(backend, scorer), scorer


def _floats(array: np.ndarray) -> list[Any]:
    return list(np.round(array, 6).tolist())


def store(backend: Backend, fitted: ResponseModel, stage_print: str | None) -> None:
    """Append ``fitted``, fitted from input ``stage_print``, to ANALYTICS.RESPONSE_MODELS."""
    # The JSON lives in TEXT columns (portable), so it is serialised here.
    insert_rows(
        backend,
        "ANALYTICS.RESPONSE_MODELS",
        [
            {
                "model_id": fitted.model_id,
                "fingerprint": stage_print,
                "n_cells": fitted.n_cells,
                "n_responses": fitted.n_responses,
                "vocabulary": json.dumps(fitted.fitted.vocab.to_dict()),
                "feature_names": json.dumps(M.feature_names(fitted.fitted.vocab)),
                "coefficients": json.dumps(_floats(fitted.fitted.coef)),
                "replicates": json.dumps([_floats(r) for r in fitted.fitted.replicates]),
                "facts": json.dumps(fitted.facts),
                "fit_seconds": fitted.fit_seconds,
            }
        ],
    )


def latest_model_id(backend: Backend) -> str | None:
    """The id of the most recently fitted response model, if any."""
    try:
        value = backend.scalar(
            "SELECT model_id FROM ANALYTICS.RESPONSE_MODELS ORDER BY created_at DESC LIMIT 1"
        )
    except BackendError:
        return None
    return None if value is None else str(value)


def latest_model(backend: Backend) -> ResponseModel:
    """The most recently fitted response model.

    Raises:
        NotBuiltError: none has been fitted.
    """
    try:
        rows = backend.query(
            "SELECT * FROM ANALYTICS.RESPONSE_MODELS ORDER BY created_at DESC LIMIT 1"
        ).to_pylist()
    except BackendError as exc:
        raise NotBuiltError(
            "the twin has no response model table", fix="run `cdt init` then `cdt calibrate`"
        ) from exc
    if not rows:
        raise NotBuiltError(
            "no response model has been fitted yet",
            fix="run `cdt calibrate` (or `cdt build`) first",
        )
    row = rows[0]
    vocab = M.Vocabulary.from_dict(json.loads(row["vocabulary"]))
    if json.loads(row["feature_names"]) != M.feature_names(vocab):
        raise NotBuiltError(
            "the stored response model was fitted by another version of cdt",
            fix="run `cdt calibrate` again",
        )
    return ResponseModel(
        str(row["model_id"]),
        M.Fitted(
            vocab,
            np.array(json.loads(row["coefficients"])),
            [np.array(r) for r in json.loads(row["replicates"])],
        ),
        json.loads(row["facts"]),
        n_cells=int(row["n_cells"]),
        n_responses=int(row["n_responses"]),
        fit_seconds=float(row["fit_seconds"] or 0.0),
    )


@dataclass(frozen=True)
class Inputs:
    """A scenario in the model's terms."""

    campaign_type: str
    delta: float | None = None  # dollars per month, for price notices
    delta_pct: float | None = None  # percent of each customer's plan price
    value_add: bool = False
    offer_value: float | None = None  # dollars, for offers
    channel: str | None = None
    plans: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # why the scenario is outside the history, if it is


def interval(point: float, draws: np.ndarray, *, extrapolated: bool = False) -> list[float]:
    """The 90% interval of a figure from its bootstrap ``draws``: their spread below and above
    their median, placed around the point estimate (so the interval always holds it), and
    widened when extrapolated."""
    if len(draws) == 0:
        return [point, point]
    low, middle, high = np.percentile(draws, [INTERVAL[0], 50.0, INTERVAL[1]])
    factor = EXTRAPOLATION_WIDENING if extrapolated else 1.0
    return [
        float(max(point - factor * (middle - low), 0.0)),
        float(point + factor * (high - middle)),
    ]


@dataclass
class Prediction:
    """A segment's predicted reaction: point estimates and per-replicate draws."""

    segment_id: str
    customers: float
    shares: dict[str, float]
    share_draws: np.ndarray  # replicates × OUTCOMES
    churners: float
    churner_draws: np.ndarray
    revenue: float  # monthly revenue of churners
    revenue_draws: np.ndarray
    response_rate: float
    conversion_rate: float
    rate_draws: np.ndarray  # replicates × 2 (response, conversion)
    extrapolated: bool
    notes: list[str] = field(default_factory=list)

    def interval(self, point: float, draws: np.ndarray) -> list[float]:
        return interval(point, draws, extrapolated=self.extrapolated)

    def to_dict(self) -> dict[str, Any]:
        shares = {k: round(v, 5) for k, v in self.shares.items()}
        share_intervals = {
            k: [round(v, 5) for v in self.interval(self.shares[k], self.share_draws[:, j])]
            for j, k in enumerate(M.OUTCOMES)
        }
        return {
            "affected_customers": round(self.customers),
            "action_shares": shares,
            "action_share_intervals": share_intervals,
            "response_rate": round(self.response_rate, 5),
            "response_rate_interval": [
                round(v, 5) for v in self.interval(self.response_rate, self.rate_draws[:, 0])
            ],
            "conversion_rate": round(self.conversion_rate, 5),
            "conversion_rate_interval": [
                round(v, 5) for v in self.interval(self.conversion_rate, self.rate_draws[:, 1])
            ],
            "expected_churners": round(self.churners, 1),
            "expected_churners_interval": [
                round(v, 1) for v in self.interval(self.churners, self.churner_draws)
            ],
            "revenue_at_risk_monthly": round(self.revenue, 2),
            "revenue_at_risk_interval": [
                round(v, 2) for v in self.interval(self.revenue, self.revenue_draws)
            ],
            "extrapolated": self.extrapolated,
            "extrapolation_notes": self.notes,
        }


def _scenario_cells(
    model: ResponseModel, people: Mapping[str, np.ndarray], inputs: Inputs
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Design inputs for ``people`` under ``inputs``, and what makes them extrapolated."""
    n = len(people["segment_id"])
    notes = list(inputs.notes)
    known = model.facts.get(inputs.campaign_type)
    if known is None:
        notes.append(f"no '{inputs.campaign_type}' campaigns in the history")
        known = {"value_typical": 0.0, "value_min": 0.0, "value_max": 0.0}
    if inputs.campaign_type == M.NOTICE:
        if inputs.delta_pct is not None:
            value = people["plan_price"].astype(float) * inputs.delta_pct / 100
        else:
            value = np.full(n, float(inputs.delta or 0.0))
        if inputs.value_add and not known.get("value_add_seen"):
            notes.append("no price change with a value-add in the history")
    else:
        worth = inputs.offer_value if inputs.offer_value is not None else known["value_typical"]
        value = np.full(n, float(worth))
    if n and (value.min() < known["value_min"] - 1e-9 or value.max() > known["value_max"] + 1e-9):
        notes.append(
            f"value ${value.min():.2f}..${value.max():.2f} outside the history's "
            f"${known['value_min']:.2f}..${known['value_max']:.2f}"
        )
    cells = {
        "segment_id": people["segment_id"],
        "plan_name": people["plan_name"],
        "tenure_band": people["tenure_band"],
        "risk_band": people["risk_band"],
        "sensitivity_band": people["sensitivity_band"],
        "campaign_type": np.full(n, inputs.campaign_type),
        "offer_value": value,
        "value_add": np.full(n, 1.0 if inputs.value_add else 0.0),
    }
    return cells, notes


def predict(
    model: ResponseModel, people: Mapping[str, np.ndarray], inputs: Inputs
) -> dict[str, Prediction]:
    """Each segment's predicted reaction to ``inputs`` (customers in ``people``, see
    ``population``), restricted to the scenario's plans when it names any."""
    people = dict(people)
    if inputs.plans:
        keep = np.isin(people["plan_name"], list(inputs.plans))
        people = {k: v[keep] for k, v in people.items()}
    cells, notes = _scenario_cells(model, people, inputs)
    facts_ = model.facts.get(inputs.campaign_type, {})
    mix = (
        {inputs.channel: 1.0}
        if inputs.channel
        else facts_.get("channel_mix") or {model.fitted.vocab.channels[0]: 1.0}
    )
    n = len(people["segment_id"])
    point = np.zeros((n, len(M.OUTCOMES)))
    draws = np.zeros((len(model.fitted.replicates), n, len(M.OUTCOMES)))
    for channel, weight in mix.items():
        cells["channel"] = np.full(n, channel)
        point += weight * model.fitted.predict(cells)
        if model.fitted.replicates:
            draws += weight * model.fitted.predict_replicates(cells)
    per_taker = float(facts_.get("conversion_per_taker", 0.0))
    churned = M.OUTCOMES.index("churned")
    customers = people["customers"]
    arpu = people["arpu_total"].astype(float)
    out = {}
    for segment in sorted(set(people["segment_id"])):
        mask = people["segment_id"] == segment
        count = float(customers[mask].sum())
        weights = customers[mask] / max(count, 1.0)
        shares = weights @ point[mask]
        share_draws = np.einsum("c,rco->ro", weights, draws[:, mask])
        churners = float(customers[mask] @ point[mask, churned])
        revenue = float(arpu[mask] @ point[mask, churned])
        churner_draws = draws[:, mask, churned] @ customers[mask]
        revenue_draws = draws[:, mask, churned] @ arpu[mask]
        response, conversion, _ = M.rates(shares, per_taker)
        out[segment] = Prediction(
            segment,
            count,
            {k: float(shares[j]) for j, k in enumerate(M.OUTCOMES)},
            share_draws,
            churners,
            churner_draws,
            revenue,
            revenue_draws,
            float(response),
            float(conversion),
            M.rates(share_draws, per_taker)[:, :2],
            extrapolated=bool(notes),
            notes=notes,
        )
    return out
