"""`cdt features`: the spec's analytics tables (§3.3, §6.2), built by the same SQL on both
backends in one transaction.

After an incremental load (cdt.refresh) only the customers it touched are recomputed, plus
those whose 12-month contact window moved with the newest contact; an EXTERNAL table
replaced, or a twin without features yet, means every customer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cdt.backends.base import Backend
from cdt.errors import NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.sqlfiles import read_sql
from cdt.state import data_fingerprint, last_details, record_stage, row_count

#: (table, SQL file) in build order: the enriched table reads the two summaries.
STEPS = (
    ("ANALYTICS.CUSTOMER_USAGE_SUMMARY", "features_usage_summary"),
    ("ANALYTICS.CUSTOMER_INTERACTION_SUMMARY", "features_interaction_summary"),
    ("ANALYTICS.CUSTOMER_FEATURES_ENRICHED", "features_enriched"),
)
#: The scope predicate's bind in each step's SQL: TRUE (everyone) or FALSE (the pending).
_BINDS = {"features_usage_summary": 2, "features_interaction_summary": 2, "features_enriched": 1}
_PENDING = "customer_id IN (SELECT customer_id FROM RAW.PENDING_REFRESH)"


@dataclass
class FeaturesResult:
    """What `cdt features` wrote: rows per table (all of them, or the refreshed ones)."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    refreshed: int | None = None  # customers recomputed by a refresh; None: a full build

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "seconds": round(self.seconds, 2),
            "mode": "full" if self.refreshed is None else "refresh",
            "refreshed_customers": self.refreshed,
        }


def build_features(
    backend: Backend, *, progress: Progress | None = None, full: bool = False
) -> FeaturesResult:
    """Rebuild the three feature tables from RAW and EXTERNAL, all or nothing: for the
    customers an incremental load touched when that is all that changed (unless ``full``),
    else for everyone.

    Raises:
        NotBuiltError: RAW.CUSTOMERS is empty (nothing loaded yet).
    """
    progress = progress or NullProgress()
    if row_count(backend, "RAW.CUSTOMERS") == 0:
        raise NotBuiltError(
            "there are no customers to build features from",
            fix="run `cdt load` (or `cdt build`) first",
        )
    started = time.perf_counter()
    result = FeaturesResult()
    progress.start("features", total=len(STEPS))
    latest = backend.scalar(read_sql("latest_contact", backend.dialect))
    with backend.work("load"), backend.transaction():
        scoped = not full and _can_refresh(backend)
        if scoped:
            _add_window_moves(backend, latest)
            result.refreshed = int(
                backend.scalar(read_sql("pending_refresh_customers", backend.dialect))
            )
        for table, _ in STEPS:
            where = f" WHERE {_PENDING}" if scoped else ""
            backend.execute(f"DELETE FROM {table}{where}")  # noqa: S608 (allow-listed constants)
        for table, name in STEPS:
            backend.execute(read_sql(name, backend.dialect), [not scoped] * _BINDS[name])
            result.rows[table] = (
                int(backend.scalar(f"SELECT count(*) FROM {table} WHERE {_PENDING}"))  # noqa: S608
                if scoped
                else row_count(backend, table)
            )
            progress.advance("features")
        record_stage(
            backend,
            "features",
            data_fingerprint(backend),
            {**result.to_dict(), "latest_contact": None if latest is None else str(latest)},
        )
    progress.finish("features")
    result.seconds = time.perf_counter() - started
    return result


def _can_refresh(backend: Backend) -> bool:
    """Whether only the pending customers need recomputing: some are pending, none for an
    EXTERNAL table, and the features were built before (with the newest contact recorded)."""
    pending = int(backend.scalar(read_sql("pending_refresh_count", backend.dialect)))
    external = int(backend.scalar(read_sql("pending_refresh_everyone_count", backend.dialect)))
    built = row_count(backend, "ANALYTICS.CUSTOMER_FEATURES_ENRICHED") > 0
    return (
        bool(pending)
        and not external
        and built
        and "latest_contact" in last_details(backend, "features")
    )


def _add_window_moves(backend: Backend, latest: object) -> None:
    """Mark the customers whose contacts left the 12-month window since the last build (it
    ends at the newest contact in the data)."""
    before = last_details(backend, "features").get("latest_contact")
    if before is None or latest is None or str(latest) == before:
        return
    backend.execute(read_sql("features_window_moves", backend.dialect), [before, str(latest)])
