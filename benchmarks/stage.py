"""One pipeline stage in a process of its own, so that its peak RSS is its own; prints one JSON
line of figures. ``benchmarks.run`` starts it:

    python -m benchmarks.stage STAGE WORKDIR SCALE
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from cdt import api
from cdt.config import Settings, load_settings

#: the input tables of the feature SQL, and the tables calibrate reads
FEATURE_INPUTS = (
    "RAW.CUSTOMERS", "RAW.MONTHLY_USAGE", "RAW.SUPPORT_INTERACTIONS",
    "EXTERNAL.ZIP_DEMOGRAPHICS", "EXTERNAL.ECONOMIC_INDICATORS",
    "EXTERNAL.COMPETITIVE_LANDSCAPE", "EXTERNAL.LIFESTYLE_SEGMENTS",
)  # fmt: skip
RESPONSE_INPUTS = (
    "RAW.CAMPAIGN_RESPONSES", "ANALYTICS.CUSTOMER_FEATURES_ENRICHED",
    "ANALYTICS.CUSTOMER_SEGMENTS",
)  # fmt: skip


def stream_tables(settings: Settings, tables: tuple[str, ...]) -> int:
    """Stream every column of ``tables`` out of the twin, keeping nothing: a stage's lower
    bound. Returns the rows read."""
    import duckdb

    conn = duckdb.connect(str(settings.database_path), read_only=True)
    rows = 0
    for table in tables:
        reader = conn.sql(f"SELECT * FROM {table}").to_arrow_reader()  # noqa: S608 (fixed names)
        rows += sum(batch.num_rows for batch in reader)
    return rows


def scan_parquet(workdir: Path) -> int:
    """Decode every column of the generated Parquet, streaming: the lower bound of a load."""
    import duckdb

    from cdt.contract import TABLES

    conn = duckdb.connect()
    rows = 0
    for name in TABLES:
        files = sorted(str(p) for p in (workdir / "data" / name).glob("*.parquet"))
        reader = conn.sql("SELECT * FROM read_parquet(?)", params=[files]).to_arrow_reader()
        rows += sum(batch.num_rows for batch in reader)
    return rows


def run_stage(stage: str, workdir: Path, scale: float) -> dict[str, Any]:
    """Run ``stage`` on the twin under ``workdir``; its figures."""
    settings = load_settings({"home": str(workdir / "home"), "data_dir": str(workdir / "data")})
    with_llm = load_settings(
        {
            "home": str(workdir / "home"),
            "data_dir": str(workdir / "data"),
            "llm.provider": "llamacpp",
            "llm.cache": False,
        }
    )
    pieces = None
    started = time.perf_counter()
    if stage == "generate":
        rows = api.generate(settings, scale=scale, seed=42).total_rows
    elif stage == "load":
        rows = sum(api.load(settings).rows.values())
    elif stage == "features":
        rows = sum(api.features(settings).rows.values())
    elif stage == "segment":
        rows = api.segment(settings, seed=42).customers
    elif stage == "scan_db":
        rows = stream_tables(settings, FEATURE_INPUTS)
    elif stage == "scan_responses":
        rows = stream_tables(settings, RESPONSE_INPUTS)
    elif stage == "scan":
        rows = scan_parquet(workdir)
    elif stage == "pandas_features":
        from benchmarks.pandas_features import features

        rows = len(features(workdir / "data"))
    elif stage == "personas":
        rows = len(api.generate_personas(with_llm).personas)
    elif stage == "simulate":
        from cdt.scenario import parse

        result = api.simulate(with_llm, parse("price increase $5"))
        rows = sum(r["customer_count"] for r in result.segments)
    elif stage == "backtest":
        rows = len(api.backtest(with_llm, llm_units=8).units)
    elif stage == "calibrate":
        result = api.calibrate(settings)
        rows = result.model.n_responses
        pieces = result.timings
    else:
        raise SystemExit(f"unknown stage {stage}")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures: dict[str, Any] = {"stage": stage, "seconds": seconds, "rows": rows}
    figures["peak_rss_mb"] = peak_mb
    if pieces is not None:
        figures["pieces"] = pieces
    return figures


if __name__ == "__main__":
    print(json.dumps(run_stage(sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]))))
