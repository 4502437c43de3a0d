"""The calibrate stage: fit the response model on CAMPAIGN_RESPONSES (whole, or the stored
fit's cells updated by a refresh), its bootstrap intervals and its backtest, stored together
(the package's face is ``cdt.calibrate``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from cdt.backends.base import Backend
from cdt.calibrate.backtest import HOLDOUT_SHARE, split, store_backtest
from cdt.calibrate.backtest import backtest as backtest_model
from cdt.calibrate.cells import (
    fit_scorer_step,
    read_campaigns,
    read_cell_pair,
    read_cells,
    read_controls,
    scorer_inputs,
)
from cdt.calibrate.incremental import store_fit, updated_cells
from cdt.calibrate.response import (
    MODEL_VERSION,
    REPLICATES,
    ResponseModel,
    fit_model,
    scorer_of,
    store_model,
)
from cdt.progress import Progress
from cdt.state import derive, last_details, record_stage, responses_fingerprint


def fingerprint(backend: Backend, replicates: int, seed: int) -> str | None:
    """The calibrate stage's fingerprint: its inputs (the campaign responses and the
    segmentation run) and parameters. A refresh that re-assigns some customers to the same
    run without new responses keeps the fitted model."""
    return derive(
        responses_fingerprint(backend),
        last_details(backend, "segment").get("run_id"),
        MODEL_VERSION,
        replicates,
        seed,
    )


@dataclass
class CalibrateResult:
    model: ResponseModel
    backtest: Any = None  # backtest.BacktestResult
    #: Wall seconds per piece of the stage: read (the warehouse queries), scorer (the
    #: price-sensitivity scorers), point_fit, intervals (the bootstrap replicates), backtest
    #: (its refit, replicates and scoring) and store.
    timings: dict[str, float] = field(default_factory=dict)
    #: How the fit's cells were read: "full", or "incremental" (the last fit's cells updated
    #: with what a refresh changed, calibrate/incremental.py).
    cells: str = "full"

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "model": self.model.summary(),
            "seconds": round(self.seconds, 2),
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
            "cells": self.cells,
        }
        if self.backtest is not None:
            out["backtest"] = self.backtest.to_dict(units=False)
        return out


class _Clock:
    """Adds the seconds since the last lap to a named piece."""

    def __init__(self) -> None:
        self.pieces: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, piece: str) -> None:
        now = time.perf_counter()
        self.pieces[piece] = self.pieces.get(piece, 0.0) + now - self.last
        self.last = now


def calibrate(
    backend: Backend,
    *,
    replicates: int = REPLICATES,
    seed: int = 42,
    run_backtest: bool = True,
    progress: Progress | None = None,
    warm: ResponseModel | None = None,
) -> CalibrateResult:
    """Fit and store the response model; with ``run_backtest``, also backtest it (without
    the LLM reference, which `cdt backtest` adds), its refit starting from the model. One
    transaction writes both. The fit starts from ``warm`` where given (a refresh starts from
    the stored model: the same optimum in fewer steps); without a backtest, it also keeps
    ``warm``'s price-sensitivity scorer instead of fitting a new one."""
    clock = _Clock()
    source = "full"  # how the cells were read: whole, or the last fit's updated
    refreshing = warm is not None and not run_backtest
    if warm is not None and refreshing:
        # A refresh keeps the stored model's price-sensitivity bands: a day's responses
        # refit the coefficients, and the bands stay those the model was read with.
        scorer = scorer_of(warm)
    else:
        moments, notices = scorer_inputs(backend, progress)
        clock.lap("read")
        scorer = fit_scorer_step(backend, moments, notices, progress)
        clock.lap("scorer")
    if run_backtest:  # the backtest's own scorer, then both sets of cells in one read
        _, holdout, _ = split(read_campaigns(backend), HOLDOUT_SHARE)
        clock.lap("read")
        held_scorer = fit_scorer_step(backend, moments, notices, progress, exclude=holdout)
        clock.lap("scorer")
        cells, held = read_cell_pair(backend, scorer, held_scorer)
        controls = read_controls(backend, held_scorer)
    else:
        # A refresh's bands are the last fit's: its cells can be updated.
        updated = updated_cells(backend, scorer) if refreshing else None
        source = "full" if updated is None else "incremental"
        cells = read_cells(backend, scorer) if updated is None else updated
    clock.lap("read")
    fitted = fit_model(
        cells, scorer=scorer, replicates=replicates, seed=seed, progress=progress, warm=warm
    )
    clock.pieces.update(fitted.timings)
    clock.last = time.perf_counter()
    tested = None
    if run_backtest:
        tested = backtest_model(
            held,
            scorer=held_scorer,
            replicates=replicates,
            seed=seed,
            progress=progress,
            warm=fitted,
            controls=controls,
        )
        clock.lap("backtest")
    stage_print = fingerprint(backend, replicates, seed)
    run = last_details(backend, "segment").get("run_id")
    with backend.work("ml"), backend.transaction():
        store_model(backend, fitted, stage_print)
        store_fit(backend, cells, scorer, everyone=source == "full")
        if tested is not None:
            store_backtest(backend, tested, fitted.model_id)
        record_stage(
            backend, "calibrate", stage_print, {**fitted.summary(), "segmentation_run_id": run}
        )
    clock.lap("store")
    return CalibrateResult(fitted, tested, clock.pieces, cells=source)
