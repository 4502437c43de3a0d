"""The stored response model: fitted (point estimate and bootstrap replicates) from campaign
cells, appended to ANALYTICS.RESPONSE_MODELS, and read back."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cdt.backends.base import Backend
from cdt.calibrate import logit, newton
from cdt.calibrate.cells import facts
from cdt.calibrate.sensitivity import Scorer
from cdt.errors import BackendError, NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.rows import insert_rows
from cdt.sqlfiles import read_sql

MODEL_VERSION = 5  # 2: ten risk bands, value-add × risk terms; 3: price-sensitivity bands;
# 4: the Newton fit (to the optimum) and chord-step replicates; 5: notices' own plan intercepts
REPLICATES = 20


@dataclass
class ResponseModel:
    """A fitted response model as stored in ANALYTICS.RESPONSE_MODELS."""

    model_id: str
    logit: logit.LogitFit
    facts: dict[str, Any]
    n_cells: int = 0
    n_responses: int = 0
    fit_seconds: float = 0.0
    #: Seconds of this fit's pieces (point_fit, intervals); not stored.
    timings: dict[str, float] = field(default_factory=dict)

    def coefficients(self) -> dict[str, dict[str, float]]:
        """Coefficients by outcome and input name, for reading the model."""
        names = logit.feature_names(self.logit.vocab)
        return {
            outcome: {name: float(self.logit.coef[i, j]) for i, name in enumerate(names)}
            for j, outcome in enumerate(logit.OUTCOMES)
        }

    def summary(self) -> dict[str, Any]:
        """The model in a few lines: size, and the price-delta slopes on churn per segment."""
        coef = self.coefficients()["churned"]
        slopes = {
            seg: round((coef["delta"] + coef[f"delta×seg={seg}"]) / logit.DELTA_SCALE, 4)
            for seg in self.logit.vocab.segments
        }
        return {
            "model_id": self.model_id,
            "cells": self.n_cells,
            "responses": self.n_responses,
            "inputs": len(logit.feature_names(self.logit.vocab)),
            "outcomes": list(logit.OUTCOMES),
            "replicates": len(self.logit.replicates),
            "fit_seconds": round(self.fit_seconds, 2),
            "campaign_types": {k: v["campaigns"] for k, v in self.facts.items()},
            "churn_log_odds_per_dollar": slopes,
            "sensitivity_bands": self.logit.vocab.sensitivity_bands,
        }


def fit_model(
    cells: Mapping[str, np.ndarray],
    *,
    scorer: Scorer | None = None,
    replicates: int = REPLICATES,
    seed: int = 42,
    progress: Progress | None = None,
    warm: ResponseModel | None = None,
) -> ResponseModel:
    """Fit the point estimate and ``replicates`` bootstrap replicates on ``cells`` (banded by
    ``scorer``, which the model keeps so that it bands customers the same way later),
    starting from ``warm``'s coefficients where given. The replicates hold the scorer fixed:
    its own sampling error is not in the intervals."""
    progress = progress or NullProgress()
    clock = time.perf_counter()
    vocab = logit.Vocabulary.from_cells(cells, scorer.to_dict() if scorer else None)
    counts = np.column_stack([cells[o] for o in logit.OUTCOMES])
    task = "calibrate: fit response model"
    progress.start(task, total=2)
    x = logit.design(cells, vocab)
    problem = newton.Problem.of(x, len(logit.OUTCOMES), logit.prior_sd(vocab))
    initial = main_effects(x, vocab, counts) if warm is None else aligned(warm, vocab)
    point = newton.newton(problem, counts, initial)
    fitted = time.perf_counter()
    progress.advance(task)
    reps = newton.replicates(problem, counts, cells["campaign_id"], point, replicates, seed)
    progress.finish(task)
    done = time.perf_counter()
    return ResponseModel(
        str(uuid.uuid4()),
        logit.LogitFit(vocab, point.coef, reps),
        facts(cells),
        n_cells=len(cells["segment_id"]),
        n_responses=int(counts.sum()),
        fit_seconds=done - clock,
        timings={"point_fit": fitted - clock, "intervals": done - fitted},
    )


def main_effects(x: Any, vocab: logit.Vocabulary, counts: np.ndarray) -> np.ndarray:
    """A start for the full fit: the model without its interactions, fitted (a small
    problem), with the interactions at 0. From there Newton takes fewer of its costly steps
    than from the outcome shares alone."""
    names = logit.feature_names(vocab)
    keep = [
        i
        for i, name in enumerate(names)
        if "×" not in name or name.startswith(("worth×", "channel="))
    ]
    small = newton.Problem.of(x[:, keep], len(logit.OUTCOMES), logit.prior_sd(vocab)[keep])
    coef = np.zeros((len(names), len(logit.OUTCOMES)))
    coef[keep] = newton.newton(small, counts, tolerance=1.0).coef
    return coef


def aligned(model: ResponseModel, vocab: logit.Vocabulary) -> np.ndarray:
    """``model``'s coefficients on the inputs of ``vocab``, by name (0 for inputs it lacks)."""
    known = dict(zip(logit.feature_names(model.logit.vocab), model.logit.coef, strict=True))
    zero = np.zeros(len(logit.OUTCOMES))
    return np.array([known.get(name, zero) for name in logit.feature_names(vocab)])


def scorer_of(model: ResponseModel) -> Scorer | None:
    """The price-sensitivity scorer ``model`` was fitted with, if any."""
    stored = model.logit.vocab.sensitivity
    return Scorer.from_dict(stored) if stored else None


def _floats(array: np.ndarray) -> list[Any]:
    return list(np.round(array, 6).tolist())


def store_model(backend: Backend, fitted: ResponseModel, stage_print: str | None) -> None:
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
                "vocabulary": json.dumps(fitted.logit.vocab.to_dict()),
                "feature_names": json.dumps(logit.feature_names(fitted.logit.vocab)),
                "coefficients": json.dumps(_floats(fitted.logit.coef)),
                "replicates": json.dumps([_floats(r) for r in fitted.logit.replicates]),
                "facts": json.dumps(fitted.facts),
                "fit_seconds": fitted.fit_seconds,
            }
        ],
    )


def latest_model_id(backend: Backend) -> str | None:
    """The id of the most recently fitted response model, if any."""
    try:
        value = backend.scalar(read_sql("latest_response_model_id", backend.dialect))
    except BackendError:
        return None
    return None if value is None else str(value)


#: Why a twin without RAW.CAMPAIGN_RESPONSES has no response model, and what gives it one.
NO_HISTORY = "no campaign history: load RAW.CAMPAIGN_RESPONSES to get churn and revenue figures"


def has_history(backend: Backend) -> bool:
    """Whether the twin holds any campaign response to fit a response model on."""
    return bool(backend.scalar(read_sql("has_campaign_history", backend.dialect)))


def model_or_none(backend: Backend) -> ResponseModel | None:
    """The latest response model; None when the twin has no campaign history (its numbers are
    withheld with ``NO_HISTORY``).

    Raises:
        NotBuiltError: the twin has campaign history but no model fitted on it yet.
    """
    if not has_history(backend):
        return None
    return latest_model(backend)


def latest_model(backend: Backend) -> ResponseModel:
    """The most recently fitted response model.

    Raises:
        NotBuiltError: none has been fitted.
    """
    try:
        rows = backend.query(read_sql("latest_response_model", backend.dialect)).to_pylist()
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
    vocab = logit.Vocabulary.from_dict(json.loads(row["vocabulary"]))
    if json.loads(row["feature_names"]) != logit.feature_names(vocab):
        raise NotBuiltError(
            "the stored response model was fitted by another version of cdt",
            fix="run `cdt calibrate` again",
        )
    return ResponseModel(
        str(row["model_id"]),
        logit.LogitFit(
            vocab,
            np.array(json.loads(row["coefficients"])),
            [np.array(r) for r in json.loads(row["replicates"])],
        ),
        json.loads(row["facts"]),
        n_cells=int(row["n_cells"]),
        n_responses=int(row["n_responses"]),
        fit_seconds=float(row["fit_seconds"] or 0.0),
    )
