"""`cdt features`: the spec's analytics tables (§3.3, §6.2), built by the same SQL on both
backends in one transaction."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cdt.backends.base import Backend
from cdt.errors import NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.sqlfiles import read_sql
from cdt.state import last_fingerprint, record_stage, row_count

#: (table, SQL file) in build order: the enriched table reads the two summaries.
STEPS = (
    ("ANALYTICS.CUSTOMER_USAGE_SUMMARY", "features_usage_summary"),
    ("ANALYTICS.CUSTOMER_INTERACTION_SUMMARY", "features_interaction_summary"),
    ("ANALYTICS.CUSTOMER_FEATURES_ENRICHED", "features_enriched"),
)


@dataclass
class FeaturesResult:
    """What `cdt features` wrote."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {"rows": self.rows, "seconds": round(self.seconds, 2)}


def build_features(backend: Backend, *, progress: Progress | None = None) -> FeaturesResult:
    """Rebuild the three feature tables from RAW and EXTERNAL, all or nothing.

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
    with backend.work("load"), backend.transaction():
        for table, _ in STEPS:
            backend.execute(f"DELETE FROM {table}")  # noqa: S608 (allow-listed constant)
        for table, name in STEPS:
            backend.execute(read_sql(name, backend.dialect))
            result.rows[table] = row_count(backend, table)
            progress.advance("features")
        record_stage(backend, "features", last_fingerprint(backend, "load"), result.rows)
    progress.finish("features")
    result.seconds = time.perf_counter() - started
    return result
