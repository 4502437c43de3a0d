"""`cdt backtest`: how well the response model predicts campaigns it has not seen.

The most recent campaigns (by send date) are held out; the model is refitted on the rest and
predicts each held-out campaign's response, conversion and churn rate per segment. The same is
scored for three references: the overall mean (by campaign type), the per-segment mean (by
segment and campaign type) and, for a sample of units, the LLM's own numbers. The weight the
LLM may carry in a simulation's numbers is the one that lowers the error on that sample.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cdt.backends.base import Backend
from cdt.calibrate import logit
from cdt.calibrate.calibration import calibration_errors
from cdt.calibrate.cells import fit_scorer_step, read_campaigns, read_cells, scorer_inputs
from cdt.calibrate.response import ResponseModel, fit_model
from cdt.calibrate.sensitivity import Moments, Scorer
from cdt.calibrate.uplift import uplift_summary
from cdt.errors import BackendError, ConfigError, NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.rows import insert_rows
from cdt.sqlfiles import read_sql

HOLDOUT_SHARE = 0.15
RATES = ("response_rate", "conversion_rate", "churn_rate")
METHODS = ("model", "overall_mean", "segment_mean", "llm")
NOISE_DRAWS = 25  # binomial draws per replicate for the predictive interval
#: A held-out unit is scored only if this many messages reached it: a "rate" observed on one
#: message is 0 or 1, and one such unit moved a scale-1 MAE by half a point. When fewer than
#: MIN_SCORED units qualify (a tiny twin), every unit is scored and the summary says so.
MIN_DELIVERED = 30
MIN_SCORED = 10

#: Asked of the LLM for one held-out unit: the unit's description; returns the three rates.
LLMRates = Callable[[dict[str, Any]], dict[str, float]]


@dataclass
class BacktestResult:
    backtest_id: str
    holdout: dict[str, Any]
    summary: dict[str, Any]
    units: list[dict[str, Any]] = field(default_factory=list)
    llm_weight: float = 0.0

    def to_dict(self, units: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "backtest_id": self.backtest_id,
            "holdout": self.holdout,
            "metrics": self.summary,
            "llm_weight": self.llm_weight,
        }
        if units:
            out["units"] = self.units
        return out

    def headline(self) -> dict[str, Any]:
        """The model's backtested error, as shown with a simulation."""
        model = self.summary.get("model", {})
        return {
            "backtest_id": self.backtest_id,
            "response_rate_mae_pp": model.get("response_rate", {}).get("mae_pp"),
            "churn_rate_mae_pp": model.get("churn_rate", {}).get("mae_pp"),
            "conversion_rate_mae_pp": model.get("conversion_rate", {}).get("mae_pp"),
            "interval_coverage": model.get("response_rate", {}).get("coverage"),
            "churn_interval_coverage": model.get("churn_rate", {}).get("coverage"),
            "held_out_campaigns": self.holdout.get("campaigns"),
            "llm_weight": self.llm_weight,
        }


def split(cells: Mapping[str, np.ndarray], share: float) -> tuple[np.ndarray, list[str], str]:
    """Training mask, the held-out campaign ids (the most recent ``share``) and the cutoff.

    Raises:
        ConfigError: ``share`` outside (0, 0.5], or too few campaigns to hold any out.
    """
    if not 0 < share <= 0.5:
        raise ConfigError(
            f"holdout share {share} is out of range", fix="use a share in (0, 0.5], e.g. 0.15"
        )
    ids, which = np.unique(np.asarray(cells["campaign_id"]).astype(str), return_inverse=True)
    by_time = np.argsort(cells["sent_at"], kind="stable")
    _, earliest = np.unique(which.ravel()[by_time], return_index=True)
    first = dict(zip(ids.tolist(), list(cells["sent_at"][by_time[earliest]]), strict=True))
    ordered = sorted(first, key=lambda c: (first[c], c))
    held = max(1, round(share * len(ordered)))
    if len(ordered) - held < 2:
        raise NotBuiltError(
            f"only {len(ordered)} campaigns: too few to hold any out",
            fix="load more campaign history before backtesting",
        )
    holdout = ordered[-held:]
    mask = ~np.isin(cells["campaign_id"], holdout)
    return mask, holdout, str(first[holdout[0]])


def _units(cells: Mapping[str, np.ndarray], mask: np.ndarray) -> dict[tuple[str, str], np.ndarray]:
    """Cell indices per (campaign, segment)."""
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return {}
    campaigns, campaign = np.unique(np.asarray(cells["campaign_id"])[rows].astype(str),
                                    return_inverse=True)  # fmt: skip
    segments, segment = np.unique(np.asarray(cells["segment_id"])[rows].astype(str),
                                  return_inverse=True)  # fmt: skip
    code = campaign.ravel() * len(segments) + segment.ravel()
    order = np.argsort(code, kind="stable")
    starts = np.flatnonzero(np.diff(code[order], prepend=-1))
    return {
        (str(campaigns[code[order[i]] // len(segments)]),
         str(segments[code[order[i]] % len(segments)])): rows[group]
        for i, group in zip(starts, np.split(order, starts[1:]), strict=True)
    }  # fmt: skip


def _observed(cells: Mapping[str, np.ndarray], idx: np.ndarray) -> dict[str, float]:
    n = float(cells["delivered"][idx].sum())
    return {
        "delivered": n,
        "response_rate": float(1 - cells["ignored"][idx].sum() / n),
        "conversion_rate": float(cells["converted"][idx].sum() / n),
        "churn_rate": float(cells["churned"][idx].sum() / n),
    }


def backtest(
    cells: Mapping[str, np.ndarray],
    *,
    scorer: Scorer | None = None,
    share: float = HOLDOUT_SHARE,
    replicates: int = 20,
    seed: int = 42,
    llm: LLMRates | None = None,
    llm_units: int = 0,
    progress: Progress | None = None,
    warm: ResponseModel | None = None,
    controls: Mapping[str, np.ndarray] | None = None,
) -> BacktestResult:
    """Hold out the most recent campaigns, refit, and score every method on them. ``cells``
    are banded by ``scorer``, which must have been fitted without the held-out campaigns
    (see calibrate.backtest_cells). The refit starts from ``warm`` (the model fitted on all
    campaigns, when there is one): the same optimum, in fewer steps. ``controls``
    (read_controls, banded by the same scorer) give the price notices' uplift curve."""
    progress = progress or NullProgress()
    train, holdout, cutoff = split(cells, share)
    train_cells = {k: v[train] for k, v in cells.items()}
    fitted = fit_model(
        train_cells, scorer=scorer, replicates=replicates, seed=seed, progress=progress, warm=warm
    )
    known = fitted.facts
    rng = np.random.default_rng([seed, 7])

    train_units = _units(cells, train)
    by_type: dict[str, list[dict[str, float]]] = {}
    by_segment: dict[tuple[str, str], list[dict[str, float]]] = {}
    for (_campaign, segment), idx in train_units.items():
        kind = str(cells["campaign_type"][idx[0]])
        obs = _observed(cells, idx)
        by_type.setdefault(kind, []).append(obs)
        by_segment.setdefault((segment, kind), []).append(obs)

    # Every held-out cell scored at once; a unit then takes its cells' rows.
    held = np.flatnonzero(~train)
    held_cells = {k: v[held] for k, v in cells.items()}
    held_point = fitted.logit.predict(held_cells)
    held_draws = fitted.logit.predict_replicates(held_cells)
    position = np.zeros(len(train), dtype=np.int64)
    position[held] = np.arange(len(held))
    units = []
    for (campaign, segment), idx in sorted(_units(cells, ~train).items()):
        kind = str(cells["campaign_type"][idx[0]])
        obs = _observed(cells, idx)
        sub = {k: v[idx] for k, v in cells.items()}
        weights = sub["delivered"] / obs["delivered"]
        per_taker = float(known.get(kind, {}).get("conversion_per_taker", 0.0))
        point = weights @ logit.rates(held_point[position[idx]], per_taker)
        draws = np.einsum(
            "c,rck->rk", weights, logit.rates(held_draws[:, position[idx]], per_taker)
        )
        n = int(obs["delivered"])
        counts = rng.binomial(n, np.clip(draws, 0, 1)[:, None, :], (len(draws), NOISE_DRAWS, 3))
        # Each count spread over its unit width (mid-p): a 90% interval of a small count then
        # covers 90%, not "at least 90%" because whole counts sit on its ends.
        spread = counts + rng.uniform(-0.5, 0.5, counts.shape)
        low, high = np.clip(np.percentile(spread.reshape(-1, 3) / n, [5, 95], axis=0), 0, 1)
        unit: dict[str, Any] = {
            "campaign_id": campaign,
            "segment_id": segment,
            "campaign_type": kind,
            "campaign_name": str(sub["campaign_name"][0]),
            "offer_value": float(sub["offer_value"][0]),
            "channel": str(sub["channel"][0]),
            "value_add": bool(sub["value_add"][0]),
            "delivered": n,
            "observed": {r: obs[r] for r in RATES},
            "model": {r: float(point[j]) for j, r in enumerate(RATES)},
            "model_interval": {r: [float(low[j]), float(high[j])] for j, r in enumerate(RATES)},
        }
        pooled = by_type.get(kind, [])
        own = by_segment.get((segment, kind), [])
        for name, rows in (
            ("overall_mean", pooled),
            ("segment_mean", own if len(own) >= 3 else pooled),
        ):
            if not rows:
                continue
            total = sum(r["delivered"] for r in rows)
            unit[name] = {r: sum(x[r] * x["delivered"] for x in rows) / total for r in RATES}
            unit[f"{name}_interval"] = {
                r: [float(v) for v in np.percentile([x[r] for x in rows], [5, 95])] for r in RATES
            }
        units.append(unit)

    large = sum(u["delivered"] >= MIN_DELIVERED for u in units)
    min_delivered = MIN_DELIVERED if large >= MIN_SCORED else 1
    for unit in units:
        unit["scored"] = unit["delivered"] >= min_delivered
    scored = [u for u in units if u["scored"]]
    if llm is not None and llm_units > 0 and scored:
        step = max(1, len(scored) // llm_units)
        chosen = scored[::step][:llm_units]
        task = "backtest: LLM reference"
        progress.start(task, total=len(chosen))
        for unit in chosen:
            try:
                guess = llm(unit)
            except Exception as exc:  # one unit's failure must not sink the backtest
                unit["llm_error"] = str(exc)
            else:
                unit["llm"] = {r: float(guess[r]) for r in RATES}
            progress.advance(task)
        progress.finish(task)

    summary: dict[str, Any] = {method: _metrics(units, method) for method in METHODS}
    summary["uplift"] = uplift_summary(fitted, held_cells, controls, holdout, seed)
    weight = _earned_weight(units)
    summary["llm_blend"] = {"weight": weight}
    return BacktestResult(
        str(uuid.uuid4()),
        {
            "share": share,
            "campaigns": len(holdout),
            "campaign_ids": holdout,
            "cutoff_sent_at": cutoff,
            "units": len(units),
            "units_scored": len(scored),
            "min_delivered": min_delivered,
            "train_campaigns": len({str(c) for c in cells["campaign_id"][train]}),
        },
        summary,
        units,
        weight,
    )


def _metrics(units: list[dict[str, Any]], method: str) -> dict[str, Any]:
    answered = [u for u in units if method in u and u.get("scored", True)]
    out: dict[str, Any] = {}
    for rate in RATES:
        # A price notice never converts: its 0 is no prediction, and scoring it would pad
        # the conversion rate's coverage and errors with certain hits.
        never = rate == "conversion_rate"
        scored = [u for u in answered
                  if not (never and u.get("campaign_type") == logit.NOTICE)]  # fmt: skip
        if not scored:
            continue
        predicted = np.array([u[method][rate] for u in scored])
        observed = np.array([u["observed"][rate] for u in scored])
        error = predicted - observed
        entry: dict[str, Any] = {
            "units": len(scored),
            "mae_pp": round(float(np.abs(error).mean() * 100), 3),
            "bias_pp": round(float(error.mean() * 100), 3),
        }
        key = f"{method}_interval"
        if all(key in u for u in scored):
            inside = [u[key][rate][0] <= u["observed"][rate] <= u[key][rate][1] for u in scored]
            entry["coverage"] = round(float(np.mean(inside)), 3)
        if predicted.std() > 0:
            slope, intercept = np.polyfit(predicted, observed, 1)
            entry["calibration_slope"] = round(float(slope), 3)
            entry["calibration_intercept_pp"] = round(float(intercept * 100), 3)
        entry.update(calibration_errors(predicted, observed))
        order = np.argsort(predicted)
        entry["calibration_bins"] = [
            {
                "predicted": round(float(predicted[b].mean()), 5),
                "observed": round(float(observed[b].mean()), 5),
                "units": len(b),
            }
            for b in np.array_split(order, min(5, len(order)))
            if len(b)
        ]
        out[rate] = entry
    return out


def _earned_weight(units: list[dict[str, Any]]) -> float:
    """The LLM's blend weight: the one in 0, 0.1, …, 1 that minimises the mean absolute error
    of the blended rates on the units the LLM answered; 0 unless it beats the model alone."""
    sample = [u for u in units if "llm" in u]
    if not sample:
        return 0.0

    def error(w: float) -> float:
        return float(
            np.mean(
                [
                    abs((1 - w) * u["model"][r] + w * u["llm"][r] - u["observed"][r])
                    for u in sample
                    for r in RATES
                ]
            )
        )

    grid = [round(0.1 * i, 1) for i in range(11)]
    best = min(grid, key=lambda w: (error(w), w))
    return best if error(best) < error(0.0) else 0.0


def store_backtest(backend: Backend, result: BacktestResult, model_id: str | None) -> None:
    """Append ``result`` to ANALYTICS.RESPONSE_BACKTESTS."""
    insert_rows(
        backend,
        "ANALYTICS.RESPONSE_BACKTESTS",
        [
            {
                "backtest_id": result.backtest_id,
                "model_id": model_id,
                "holdout": json.dumps(result.holdout),
                "summary": json.dumps(result.summary),
                "units": json.dumps(result.units),
                "llm_weight": result.llm_weight,
            }
        ],
    )


def latest(backend: Backend) -> BacktestResult | None:
    """The most recent backtest, if any."""
    try:
        rows = backend.query(read_sql("latest_backtest", backend.dialect)).to_pylist()
    except BackendError:
        return None
    if not rows:
        return None
    row = rows[0]
    return BacktestResult(
        str(row["backtest_id"]),
        json.loads(row["holdout"]),
        json.loads(row["summary"]),
        json.loads(row["units"]),
        float(row["llm_weight"] or 0.0),
    )


def backtest_cells(
    backend: Backend,
    *,
    share: float | None = None,
    cells: Mapping[str, np.ndarray] | None = None,
    moments: Moments | None = None,
    notices: Mapping[str, np.ndarray] | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, np.ndarray], Scorer | None]:
    """The cells a backtest holding out the most recent ``share`` of campaigns scores, with
    customers banded by a scorer fitted on the training campaigns only (the held-out
    campaigns' outcomes must not shape the bands), and that scorer."""
    campaigns = read_campaigns(backend) if cells is None else cells
    _, holdout, _ = split(campaigns, HOLDOUT_SHARE if share is None else share)  # checks it
    if moments is None or notices is None:
        moments, notices = scorer_inputs(backend, progress)
    scorer = fit_scorer_step(backend, moments, notices, progress, exclude=holdout)
    return read_cells(backend, scorer), scorer
