"""The response model's data: each customer's bands (response_bands.sql, banded by the
price-sensitivity scorer), the campaign cells the model is fitted on, the population a
scenario is scored over, and each campaign type's facts from the history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from cdt.backends.base import Backend
from cdt.calibrate import logit
from cdt.calibrate.sensitivity import (
    BANDS,
    Moments,
    Scorer,
    arrays,
    cuts_sql,
    fit_slope,
    read_moments,
    read_notices,
)
from cdt.contract import CONTROL_GROUP
from cdt.errors import BackendError, NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.sqlfiles import read_sql

SENSITIVITY_MARK = "/* sensitivity_band */ 0"
#: What a cell is counted by (with its sensitivity band), what it counts, and its campaign's
#: columns (the least value in the cell, as response_cells.sql's MIN()).
CELL_KEYS = ("campaign_id", "segment_id", "plan_name", "tenure_band", "risk_band")
COUNTS = (*logit.OUTCOMES, "delivered", "converted")
CAMPAIGN_MINIMA = ("campaign_name", "campaign_type", "offer_type", "offer_value", "channel",
                   "sent_at")  # fmt: skip


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


def not_built() -> NotBuiltError:
    return NotBuiltError(
        "the twin has no segments or campaign responses yet",
        fix="run `cdt build` (or `cdt segment`) first",
    )


def no_responses() -> NotBuiltError:
    return NotBuiltError(
        "there are no delivered campaign responses for segmented customers",
        fix="load data with RAW.CAMPAIGN_RESPONSES and run `cdt segment` first",
    )


def read_cells(backend: Backend, scorer: Scorer | None = None) -> dict[str, np.ndarray]:
    """The training cells (see response_cells.sql), as numpy arrays, with customers banded
    by ``scorer``'s price sensitivity (one band without it).

    Raises:
        NotBuiltError: no segments or no campaign responses yet.
    """
    try:
        table = backend.query(_with_bands(backend, "response_cells", scorer), [True, True])
    except BackendError as exc:
        raise not_built() from exc
    if table.num_rows == 0:
        raise no_responses()
    return prepared(arrays(table))


def read_controls(backend: Backend, scorer: Scorer | None = None) -> dict[str, np.ndarray]:
    """The price notices' untreated control groups per campaign and customer cell, banded
    like ``read_cells`` (control_cells.sql); empty arrays when the history keeps none."""
    table = backend.query(_with_bands(backend, "control_cells", scorer), [CONTROL_GROUP])
    found = arrays(table)
    for name in ("campaign_id", "segment_id", "plan_name"):
        found[name] = found[name].astype(str)
    for name in ("customers", "churned"):
        found[name] = found[name].astype(float)
    return found


def prepared(cells: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    for outcome in COUNTS:
        cells[outcome] = cells[outcome].astype(float)
    cells["offer_value"] = np.nan_to_num(cells["offer_value"].astype(float))
    cells["value_add"] = np.array(["Value Add" in str(v) for v in cells["offer_type"]], float)
    cells["campaign_type"] = cells["campaign_type"].astype(str)
    cells["segment_id"] = cells["segment_id"].astype(str)
    cells["plan_name"] = cells["plan_name"].astype(str)
    cells["channel"] = cells["channel"].astype(str)
    return cells


def read_campaigns(backend: Backend) -> dict[str, np.ndarray]:
    """The campaigns ``read_cells`` would hold, each with its first send (campaign_id,
    sent_at): enough to choose a backtest's holdout.

    Raises:
        NotBuiltError: no segments or no campaign responses yet.
    """
    try:
        table = backend.query(read_sql("response_campaigns", backend.dialect))
    except BackendError as exc:
        raise not_built() from exc
    if table.num_rows == 0:
        raise no_responses()
    return arrays(table)


def read_cell_pair(
    backend: Backend, scorer: Scorer | None, held: Scorer | None
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """``read_cells`` for ``scorer`` and for ``held`` (the backtest's scorer), the same
    arrays in the same order, from one query (response_cells_pair.sql): the responses are
    scanned once, counted by both bands, and each band is summed away on the client.

    Raises:
        NotBuiltError: no segments or no campaign responses yet.
    """
    column = f"{SENSITIVITY_MARK} AS sensitivity_band"
    bands = bands_sql(backend, None)
    if column not in bands:
        raise AssertionError("response_bands.sql lost its sensitivity_band column")
    bands = bands.replace(
        column, f"{_band(held)} AS held_band, {_band(scorer)} AS sensitivity_band"
    )
    try:
        table = backend.query(
            f"WITH bands AS ({bands})\n{read_sql('response_cells_pair', backend.dialect)}"
        )
    except BackendError as exc:
        raise not_built() from exc
    if table.num_rows == 0:
        raise no_responses()
    return prepared(_collapse(table, "sensitivity_band")), prepared(_collapse(table, "held_band"))


def _band(scorer: Scorer | None) -> str:
    return "0" if scorer is None else scorer.band_sql()  # numbers and checked names only


def _collapse(both: pa.Table, band: str) -> dict[str, np.ndarray]:
    """Cells counted by both bands summed over all but ``band``: response_cells.sql's rows,
    in its order (by campaign, segment, plan, tenure, risk and that band)."""
    keys = [*CELL_KEYS, band]
    grouped = both.group_by(keys, use_threads=False).aggregate(
        [(name, "sum") for name in COUNTS] + [(name, "min") for name in CAMPAIGN_MINIMA]
    )
    grouped = grouped.sort_by([(key, "ascending") for key in keys])
    cells = arrays(grouped)
    for name in COUNTS:
        cells[name] = cells.pop(f"{name}_sum")
    for name in CAMPAIGN_MINIMA:
        cells[name] = cells.pop(f"{name}_min")
    cells["sensitivity_band"] = cells.pop(band)
    return {name: cells[name] for name in both.column_names if name in cells}


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
            # the messages of this type each segment got: the evidence behind its figures
            "messages_by_segment": {
                str(s): int(delivered[cells["segment_id"][mask] == s].sum())
                for s in sorted(set(cells["segment_id"][mask]))
            },
        }
    return out


def scorer_inputs(
    backend: Backend, progress: Progress | None = None
) -> tuple[Moments, dict[str, np.ndarray]]:
    """What the scorer is fitted on, read once for the fit and the backtest's refit: the
    customers' moments and a bounded sample of price notices (no per-customer rows)."""
    progress = progress or NullProgress()
    task = "calibrate: read price notices"
    progress.start(task, total=1)
    try:
        moments, notices = read_moments(backend), read_notices(backend)
    except BackendError as exc:
        raise not_built() from exc
    progress.finish(task)
    return moments, notices


def fit_scorer_step(
    backend: Backend,
    moments: Moments,
    notices: Mapping[str, np.ndarray],
    progress: Progress | None,
    exclude: list[str] | None = None,
) -> Scorer | None:
    """The price-sensitivity scorer, fitted on the client and cut in the warehouse."""
    progress = progress or NullProgress()
    task = "calibrate: price-sensitivity scorer"
    progress.start(task, total=1)
    slope = fit_slope(moments, notices, exclude=exclude or ())
    scorer = None if slope is None else cuts_sql(backend, slope, BANDS)
    progress.finish(task)
    return scorer
