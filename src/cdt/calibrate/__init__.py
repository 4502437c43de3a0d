"""`cdt calibrate`: fit the response model on CAMPAIGN_RESPONSES and store it.

Numbers from data: a simulation's action shares, churners and revenue at risk come from this
model, read at the scenario's parameters for each segment's customers, with 90% intervals from
bootstrap replicates (campaigns and customers resampled). The stage's parts: ``cells`` (the
data the model is fitted on and scores), ``logit`` (the multinomial logit fit), ``response``
(the stored response model), ``predict`` (a scenario's numbers and intervals) and
``backtest`` (how well it predicts campaigns it has not seen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cdt.backends.base import Backend
from cdt.calibrate.backtest import backtest as backtest_model
from cdt.calibrate.backtest import backtest_cells
from cdt.calibrate.backtest import store as store_backtest
from cdt.calibrate.cells import (
    bands_sql,
    facts,
    fit_scorer_step,
    read_cells,
    scorer_inputs,
)
from cdt.calibrate.predict import Inputs, Prediction, interval, population, predict
from cdt.calibrate.response import (
    MODEL_VERSION,
    REPLICATES,
    ResponseModel,
    fit_model,
    latest_model,
    latest_model_id,
    scorer_of,
    store,
)
from cdt.progress import Progress
from cdt.state import derive, last_fingerprint, record_stage

__all__ = [
    "REPLICATES",
    "CalibrateResult",
    "Inputs",
    "Prediction",
    "ResponseModel",
    "backtest_cells",
    "bands_sql",
    "calibrate",
    "facts",
    "fingerprint",
    "fit_model",
    "interval",
    "latest_model",
    "latest_model_id",
    "population",
    "predict",
    "read_cells",
    "scorer_of",
]


def fingerprint(backend: Backend, replicates: int, seed: int) -> str | None:
    """The calibrate stage's fingerprint: its inputs (segments) and parameters."""
    return derive(last_fingerprint(backend, "segment"), MODEL_VERSION, replicates, seed)


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
    moments, notices = scorer_inputs(backend, progress)
    scorer = fit_scorer_step(backend, moments, notices, progress)
    cells = read_cells(backend, scorer)
    fitted = fit_model(cells, scorer=scorer, replicates=replicates, seed=seed, progress=progress)
    tested = None
    if run_backtest:
        held, held_scorer = backtest_cells(backend, cells=cells, moments=moments, notices=notices)
        tested = backtest_model(
            held, scorer=held_scorer, replicates=replicates, seed=seed, progress=progress
        )
    stage_print = fingerprint(backend, replicates, seed)
    with backend.work("ml"), backend.transaction():
        store(backend, fitted, stage_print)
        if tested is not None:
            store_backtest(backend, tested, fitted.model_id)
        record_stage(backend, "calibrate", stage_print, fitted.summary())
    return CalibrateResult(fitted, tested)
