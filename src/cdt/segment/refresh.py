"""A refresh after an incremental load: the customers it touched are re-assigned with the
stored run's preprocessing and centroids, without clustering again.

Drift is measured on the assignments that result, against those the run wrote:
- the population stability index (PSI) of the segments' shares, and
- the ratio of the mean distance to the assigned centroid.

Past either threshold, the caller clusters afresh (`cdt build --recluster` always does).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from cdt.backends.base import Backend
from cdt.progress import NullProgress, Progress
from cdt.rows import insert_rows
from cdt.segment.assign_sql import COLUMN, latest_run_model
from cdt.segment.preprocess import Preprocessor
from cdt.segment.stage import fit_state
from cdt.segment.statistics import dma_names, read_aggregates, segment_rows
from cdt.sqlfiles import read_sql
from cdt.state import last_details, last_fingerprint, record_stage

FEATURES_TABLE = "ANALYTICS.CUSTOMER_FEATURES_ENRICHED"
#: PSI above 0.1 is the usual "moderate shift" line in population monitoring.
PSI_THRESHOLD = 0.10
#: The mean distance to the assigned centroid may grow by this factor before a recluster.
DISTANCE_THRESHOLD = 1.20
_PENDING = "customer_id IN (SELECT customer_id FROM RAW.PENDING_REFRESH)"


@dataclass
class Drift:
    """How far the refreshed assignments moved from the run's."""

    psi: float
    distance_ratio: float
    psi_threshold: float = PSI_THRESHOLD
    distance_threshold: float = DISTANCE_THRESHOLD

    @property
    def crossed(self) -> bool:
        return self.psi > self.psi_threshold or self.distance_ratio > self.distance_threshold

    def to_dict(self) -> dict[str, object]:
        return {
            "psi": round(self.psi, 5),
            "psi_threshold": self.psi_threshold,
            "distance_ratio": round(self.distance_ratio, 4),
            "distance_threshold": self.distance_threshold,
            "crossed": self.crossed,
        }


@dataclass
class RefreshResult:
    """What a segment refresh did."""

    run_id: str
    reassigned: int
    moved: int  # customers whose segment changed
    drift: Drift
    segments: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "mode": "refresh",
            "run_id": self.run_id,
            "reassigned": self.reassigned,
            "moved_segment": self.moved,
            "drift": self.drift.to_dict(),
            "seconds": round(self.seconds, 2),
        }


class Drifted(Exception):
    """The refreshed assignments drifted past a threshold (the refresh was rolled back)."""

    def __init__(self, drift: Drift) -> None:
        super().__init__(f"drift {drift.to_dict()}")
        self.drift = drift


def refreshable(backend: Backend, params: list[object]) -> bool:
    """Whether the stored run can be refreshed: one exists, made with ``params``, with the
    state drift is measured against."""
    details = last_details(backend, "segment")
    return (
        details.get("params") == params
        and "counts" in details
        and latest_run_model(backend) is not None
    )


def refresh(
    backend: Backend, expected: str | None, progress: Progress | None = None
) -> RefreshResult:
    """Re-assign the pending customers (all of them after an EXTERNAL table changed) to the
    stored run's centroids, rewrite the segment statistics and record the stage as built
    from ``expected``, in one transaction.

    Raises:
        Drifted: the drift crossed a threshold; nothing was written.
    """
    progress = progress or NullProgress()
    progress.start("segment: re-assign", total=2)
    started = time.perf_counter()
    model = latest_run_model(backend)
    assert model is not None, "refreshable() is checked first"
    details = last_details(backend, "segment")
    run_id = str(details["run_id"])
    prep = Preprocessor.from_dict(model["preprocessor"])
    ids = sorted(model["centroids"])
    centres = np.array([model["centroids"][s] for s in ids])
    everyone = bool(backend.scalar(read_sql("pending_refresh_everyone_count", backend.dialect)))
    scope = "" if everyone else f" WHERE {_PENDING}"
    columns = ", ".join(dict.fromkeys(["customer_id", *(_column(c.name) for c in prep.columns)]))
    frame = backend.query_df(
        f"SELECT {columns} FROM {FEATURES_TABLE}{scope} ORDER BY customer_id"  # noqa: S608
    )
    matrix = prep.transform(frame)
    distances = np.column_stack([np.linalg.norm(matrix - c, axis=1) for c in centres])
    nearest = distances.argmin(axis=1) if len(frame) else np.zeros(0, dtype=int)
    named = {
        str(r["segment_id"]): (str(r["segment_name"]), str(r["name_reason"] or ""))
        for r in backend.query(read_sql("segment_names", backend.dialect)).to_pylist()
    }
    chosen = [ids[i] for i in nearest]
    progress.advance("segment: re-assign")
    with backend.work("load"), backend.transaction():
        before = backend.query(
            f"SELECT customer_id, segment_id FROM ANALYTICS.CUSTOMER_SEGMENTS{scope}"  # noqa: S608
        ).to_pydict()
        previous = dict(zip(before["customer_id"], before["segment_id"], strict=True))
        backend.execute(f"DELETE FROM ANALYTICS.CUSTOMER_SEGMENTS{scope}")  # noqa: S608
        backend.load(
            "ANALYTICS.CUSTOMER_SEGMENTS",
            pa.table(
                {
                    "customer_id": frame["customer_id"].to_arrow(),
                    "segment_id": pa.array(chosen, pa.string()),
                    "segment_name": pa.array([named[s][0] for s in chosen], pa.string()),
                    "distance_to_centroid": pa.array(
                        distances[np.arange(len(nearest)), nearest], pa.float64()
                    ),
                    "segmentation_run_id": pa.array([run_id] * len(chosen), pa.string()),
                }
            ),
        )
        now = fit_state(backend)
        reference = max(float(details["mean_distance"]), 1e-12)
        drift = Drift(
            _psi(details["counts"], now["counts"]),
            now["mean_distance"] / reference,
            PSI_THRESHOLD,
            DISTANCE_THRESHOLD,
        )
        if drift.crossed:
            progress.finish("segment: re-assign")
            raise Drifted(drift)
        aggregates = read_aggregates(backend)
        order = [s for s in ids if s in named]
        stats = segment_rows(aggregates, dma_names(backend), order, [named[s][0] for s in order],
                             [named[s][1] for s in order], run_id)  # fmt: skip
        backend.execute(read_sql("segment_statistics_forget", backend.dialect))
        insert_rows(backend, "ANALYTICS.SEGMENT_STATISTICS", stats)
        moved = sum(previous.get(c) != s for c, s in zip(frame["customer_id"], chosen, strict=True))
        # The response model's next refit recounts these customers' responses.
        backend.execute(read_sql("pending_cells_from_refresh", backend.dialect))
        backend.execute(read_sql("pending_refresh_forget", backend.dialect))
        result = RefreshResult(run_id, len(chosen), moved, drift, stats)
        # The fit's counts and distance stay the reference: drift accumulates over refreshes.
        record_stage(
            backend,
            "segment",
            expected,
            {
                **details,
                "features_fingerprint": last_fingerprint(backend, "features"),
                "refreshed": result.to_dict(),
            },
        )
    progress.advance("segment: re-assign")
    progress.finish("segment: re-assign")
    result.seconds = time.perf_counter() - started
    return result


def _column(name: str) -> str:
    if not COLUMN.fullmatch(name):
        raise ValueError(f"column {name!r} cannot be written into SQL")
    return name


def _psi(before: dict[str, int], after: dict[str, int]) -> float:
    """The population stability index of segment shares (each share floored at 1e-4)."""
    ids = sorted(set(before) | set(after))
    b_total = max(sum(before.values()), 1)
    a_total = max(sum(after.values()), 1)
    psi = 0.0
    for s in ids:
        b = max(before.get(s, 0) / b_total, 1e-4)
        a = max(after.get(s, 0) / a_total, 1e-4)
        psi += (a - b) * math.log(a / b)
    return psi
