"""The daily refresh at a scale: a full build from the data folder (load, features, segment,
calibrate, personas), then a one-day delta from load to a refreshed twin, in the same run, and
the refreshed feature tables against a full rebuild's, customer by customer.

    python -m benchmarks.run refresh --scale 1     (or CDT_BENCH_HOME=<a built twin's home>)
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

FEATURE_TABLES = (
    "ANALYTICS.CUSTOMER_USAGE_SUMMARY",
    "ANALYTICS.CUSTOMER_INTERACTION_SUMMARY",
    "ANALYTICS.CUSTOMER_FEATURES_ENRICHED",
)


def bench_refresh(scale: float, repeat: int) -> None:
    from cdt import api
    from cdt.config import load_settings

    reuse = os.environ.get("CDT_BENCH_HOME")
    with tempfile.TemporaryDirectory(prefix="cdt-bench-refresh-") as folder:
        home = Path(reuse or folder)
        # No LLM cache: the full build writes its personas afresh, as a first build does.
        settings = load_settings(
            {"home": str(home), "data_dir": str(home / "data"), "llm.cache": False}
        )
        if not reuse:
            api.generate(settings, scale=scale, seed=42)
        started = time.perf_counter()
        full = api.build(settings, source=settings.data_dir, force=True)
        full_seconds = time.perf_counter() - started
        stages = _stage_seconds(full)
        print(
            f"full build from the data folder: {full_seconds:.1f} s ("
            + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
            + ")"
        )
        started = time.perf_counter()
        delta = api.generate_delta(settings, days=1)
        print(
            f"generate --delta (not timed in the refresh): {sum(delta.rows.values()):,} rows in "
            f"{time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in delta.rows.items())
        )
        started = time.perf_counter()
        loaded = api.load_delta(settings, delta.out)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        refreshed = api.build(settings, source=settings.data_dir)
        build_seconds = time.perf_counter() - started
        total = load_seconds + build_seconds
        pieces = {"load --incremental": load_seconds, **_stage_seconds(refreshed)}
        customers = _count(settings, "RAW.CUSTOMERS")
        print(
            f"refresh: {total:.1f} s for {loaded.touched_customers:,} customers touched "
            f"({loaded.touched_customers / customers:.2%} of {customers:,}): "
            + ", ".join(f"{k} {v:.1f}" for k, v in pieces.items())
        )
        if refreshed.calibrated is not None:
            calibrated = refreshed.calibrated
            print(
                f"  calibrate ({calibrated.cells} cells): "
                + ", ".join(f"{k} {v:.2f}" for k, v in calibrated.timings.items())
            )
        segmented = refreshed.segmented
        if segmented is not None and hasattr(segmented, "drift"):
            print(f"  segment drift: {segmented.drift.to_dict() if segmented.drift else None}")
        print(
            f"refresh / full build: {total / full_seconds:.3f} (target <= 0.10); without "
            f"personas in the full build: {total / (full_seconds - stages.get('personas', 0)):.3f}"
        )
        _compare_features(settings, refreshed)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
        print(f"peak RSS of this process: {rss:.2f} GB; {os.cpu_count()} cores")


def _stage_seconds(result: Any) -> dict[str, float]:
    out = {}
    for name, done in (("load", result.loaded), ("features", result.featured),
                       ("segment", result.segmented), ("calibrate", result.calibrated),
                       ("personas", result.personas)):  # fmt: skip
        if done is not None:
            out[name] = float(done.seconds)
    return out


def _count(settings: Any, table: str) -> int:
    from cdt import api

    with api.connect(settings, read_only=True) as backend:
        return int(backend.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608


def _compare_features(settings: Any, refreshed: Any) -> None:
    """Every customer's features after the refresh against a full rebuild's: equal, doubles
    as close as two full builds are to each other (DuckDB's parallel AVG may differ in the
    last bit), or within 1e-15."""
    import polars as pl

    from cdt import api
    from cdt.features import build_features

    def tables() -> dict[str, pl.DataFrame]:
        with api.connect(settings, read_only=True) as backend:
            return {t: backend.query_df(f"SELECT * FROM {t}").sort("customer_id")  # noqa: S608
                    for t in FEATURE_TABLES}  # fmt: skip

    after = tables()
    started = time.perf_counter()
    with api.connect(settings) as backend:
        build_features(backend, full=True)
    full_seconds = time.perf_counter() - started
    rebuilt = tables()
    print(
        f"features: the refresh recomputed {refreshed.featured.refreshed or 0:,} customers in "
        f"{refreshed.featured.seconds:.2f} s; a full features build takes {full_seconds:.2f} s "
        f"({refreshed.featured.seconds / full_seconds:.2f} of it)"
    )
    with api.connect(settings) as backend:
        build_features(backend, full=True)
    again = tables()  # how far two full builds are apart: the floor for the refresh's match
    for table in FEATURE_TABLES:
        exact, worst = _difference(after[table], rebuilt[table])
        _, floor = _difference(again[table], rebuilt[table])
        print(
            f"  {table}: {after[table].height:,} customers; non-float mismatches {exact}; "
            f"worst float difference {worst:.1e} (relative; two full builds: {floor:.1e})"
        )
        assert exact == 0 and worst <= max(floor, 1e-15), table


def _difference(a: Any, b: Any) -> tuple[int, float]:
    """Mismatched non-float values, and the worst relative float difference, of two tables."""
    import numpy as np
    import polars as pl

    assert a.columns == b.columns and a.height == b.height
    exact, worst = 0, 0.0
    for column in a.columns:
        x, y = a[column], b[column]
        if x.dtype in (pl.Float32, pl.Float64):
            xv, yv = x.to_numpy(), y.to_numpy()
            both = ~(np.isnan(xv) | np.isnan(yv))
            assert (np.isnan(xv) == np.isnan(yv)).all(), column
            scale = np.maximum(np.abs(yv[both]), 1.0)
            worst = max(worst, float(np.max(np.abs(xv[both] - yv[both]) / scale, initial=0)))
        else:
            exact += int((x.eq_missing(y)).not_().sum())
    return exact, worst
