"""cdt benchmarks: figures and ratios, printed. Run with `make bench` (or pick some by name).

Wall-clock numbers live here, never in unit tests. Each stage runs in a fresh subprocess so that
its peak RSS is its own.

    python -m benchmarks.run                      # all, at scale 1
    python -m benchmarks.run pipeline --scale 0.1

The fidelity checks against the generator's hidden truth that these print (ARI, churn by
archetype, intervals) are asserted, with thresholds, by ``make eval`` (``evals/``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.llm import bench_llm, bench_simulate, timed

ROOT = Path(__file__).resolve().parents[1]


def run_stage(stage: str, workdir: Path, scale: float) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.stage", stage, str(workdir), str(scale)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{stage} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_stage(figures: dict[str, Any]) -> None:
    rate = figures["rows"] / max(figures["seconds"], 1e-9)
    print(
        f"{figures['stage']:<16} {figures['seconds']:8.2f} s  {figures['rows']:>12,.0f} rows  "
        f"{rate:>12,.0f} rows/s  peak RSS {figures['peak_rss_mb']:8.0f} MB"
    )
    for piece, seconds in (figures.get("pieces") or {}).items():
        print(f"  {piece:<14} {seconds:8.2f} s")


def bench_pipeline(scale: float, repeat: int) -> None:
    """generate, load, features and segment at ``scale``, with lower bounds and quality."""
    with tempfile.TemporaryDirectory(prefix="cdt-bench-") as folder:
        workdir = Path(folder)
        figures = {
            stage: run_stage(stage, workdir, scale)
            for stage in ("generate", "load", "scan", "features", "scan_db", "segment")
        }
        for stage in ("generate", "load", "features", "segment"):
            print_stage(figures[stage])
        print(
            f"load / bare DuckDB scan of the same Parquet:     "
            f"{figures['load']['seconds'] / figures['scan']['seconds']:.1f}x"
        )
        print(
            f"features / bare DuckDB scan of the input tables: "
            f"{figures['features']['seconds'] / figures['scan_db']['seconds']:.1f}x"
        )
        print(
            "targets at scale 1 on 2 cores: generate <= 60 s and <= 4096 MB; load <= 20 s; "
            "features <= 15 s; segment <= 10 s"
        )
        segment_quality(workdir)


def segment_quality(workdir: Path) -> None:
    """ARI of the segments against the hidden archetypes, with and without EXTERNAL features
    (``evals.truth`` reads the truth; the pipeline never does)."""
    from evals.truth import segment_ari

    from cdt import api
    from cdt.config import load_settings
    from cdt.segment import DEFAULT_FEATURES
    from cdt.segment.preprocess import EXTERNAL_COLUMNS

    settings = load_settings({"home": str(workdir / "home"), "data_dir": str(workdir / "data")})
    with_external = segment_ari(settings)
    segments = api.segments(settings)
    internal = ",".join(
        f for f in DEFAULT_FEATURES.split(",") if f.split(":")[0] not in EXTERNAL_COLUMNS
    )
    result = api.segment(settings, features=internal, seed=42)
    without_external = segment_ari(settings)
    print(
        f"segments vs hidden archetypes: ARI {with_external:.3f} with EXTERNAL features, "
        f"{without_external:.3f} without (make eval asserts >= 0.7); silhouette without "
        f"{result.silhouette:.3f}; {len(segments)} segments"
    )


def bench_init(scale: float, repeat: int) -> None:
    """`cdt init` on a fresh DuckDB file, then again on an initialised one (idempotent path)."""
    from cdt import api
    from cdt.config import load_settings

    with tempfile.TemporaryDirectory() as folder:
        fresh = []
        for i in range(repeat):
            settings = load_settings({"home": str(Path(folder) / f"h{i}")})
            fresh += timed(lambda s=settings: api.init(s), 1)
        settings = load_settings({"home": str(Path(folder) / "h0")})
        again = timed(lambda: api.init(settings), repeat)
        with api.connect(settings) as backend:
            query = timed(lambda: backend.scalar("SELECT count(*) FROM RAW.CUSTOMERS"), repeat * 20)
        connect = timed(lambda: api.connect(settings, read_only=True).close(), repeat * 5)
    print(f"init, fresh file      median {statistics.median(fresh) * 1000:8.1f} ms")
    print(f"init, already there   median {statistics.median(again) * 1000:8.1f} ms")
    print(f"short-lived connect   median {statistics.median(connect) * 1000:8.1f} ms")
    print(f"query round trip      median {statistics.median(query) * 1000:8.3f} ms")


def bench_response(scale: float, repeat: int) -> None:
    """The response model at ``scale``: fit and bootstrap time, the backtest against the
    baselines, and the check against the generator's hidden truth (benchmarks only): each
    archetype's churn at a $5 (and $10, -$5) price change, model vs truth, over the same
    customers. Builds the twin without personas (or reuses CDT_BENCH_HOME)."""

    from evals import truth as T

    from cdt import api
    from cdt.calibrate import fit_model, read_cells
    from cdt.calibrate import logit as M
    from cdt.calibrate.cells import fit_scorer_step, scorer_inputs
    from cdt.config import load_settings

    reuse = os.environ.get("CDT_BENCH_HOME")
    with tempfile.TemporaryDirectory(prefix="cdt-bench-resp-") as folder:
        home = Path(reuse or folder)
        settings = load_settings({"home": str(home), "data_dir": str(home / "data")})
        if not reuse:  # CDT_BENCH_SEED draws another synthetic world (default 42)
            seed = int(os.environ.get("CDT_BENCH_SEED", "42"))
            api.build(settings, scale=scale, seed=seed, with_personas=False)
        with api.connect(settings) as backend:
            started = time.perf_counter()
            moments, notices = scorer_inputs(backend)
            read = time.perf_counter() - started
            started = time.perf_counter()
            scorer = fit_scorer_step(backend, moments, notices, None)
            scored = time.perf_counter() - started
            started = time.perf_counter()
            cells = read_cells(backend, scorer)
            read += time.perf_counter() - started
        started = time.perf_counter()
        point = fit_model(cells, scorer=scorer, replicates=0)
        fit = time.perf_counter() - started
        started = time.perf_counter()
        result = api.calibrate(settings)
        full = time.perf_counter() - started
        responses = int(sum(cells[o].sum() for o in M.OUTCOMES))
        print(
            f"cells: {len(cells['segment_id']):,} from {responses:,} responses; reads {read:.1f} s"
        )
        print(
            f"sensitivity scorer on {len(notices['adverse']):,} price notices {scored:.1f} s; "
            f"point fit {fit:.1f} s; calibrate (scorers, fit, 20 replicates, backtest) {full:.1f} s"
        )
        del point
        metrics = result.backtest.summary
        for rate in ("response_rate", "conversion_rate", "churn_rate"):
            model = metrics["model"][rate]
            seg = metrics["segment_mean"][rate]
            overall = metrics["overall_mean"][rate]
            print(
                f"backtest {rate:16s} MAE model {model['mae_pp']:.2f} pp, segment mean "
                f"{seg['mae_pp']:.2f}, overall mean {overall['mae_pp']:.2f} "
                f"({1 - model['mae_pp'] / seg['mae_pp']:.0%} below segment mean); "
                f"coverage {model['coverage']:.0%}"
            )
        print("  targets: response MAE <= 1.5 pp and >= 30% below segment mean; coverage 85-95%")

        people = T.read_population(settings)
        for delta in (5.0, 10.0, -5.0):
            print(f"churn at a ${delta:+.0f} notice, model vs truth by archetype:")
            found = T.churn_by_archetype(people, delta)
            for name, model, true in found:
                print(f"  {name:18s} model {model:.4f} truth {true:.4f} ratio {model / true:.2f}")
            inside = sum(abs(model / true - 1) <= 0.25 for _, model, true in found)
            print(f"  within +/-25%: {inside} of {len(found)} archetypes")
        churn = {d: T.churners_at(people, d) for d in sorted(T.NOTICES)}
        softened = T.churners_at(people, 5.0, value_add=True)
        print(
            "directions: churners at "
            + " < ".join(f"${d:+.0f} {n:.0f}" for d, n in churn.items())
            + f"; +$5 with value-add {softened:.0f}"
        )
        held = T.intervals_against_truth(people)
        print(
            f"simulations' 90% intervals of a segment's expected churners hold the hidden "
            f"truth in {held.held} of {held.figures} (segments x notices of "
            + ", ".join(f"${d:+.0f}" for d in T.NOTICES)
            + f"); median half-width {held.median_half_width:.1%}"
        )


# The spec's Snowflake estimates (docs/architecture.md §8), in seconds.
SPEC_ESTIMATES = {"load": 30 * 60, "features": 15 * 60, "segment": 20 * 60, "personas": 10 * 60}
REPORT_STAGES = (
    "generate", "load", "scan", "features", "scan_db", "pandas_features", "segment",
    "scan_responses", "calibrate", "personas", "simulate", "backtest",
)  # fmt: skip


def bench_report(scale: float, repeat: int) -> None:
    """`make bench`: every stage at scale 0.1 and 1 (wall time, rows/s, peak RSS), ratios
    against a bare DuckDB scan, a pandas feature step and the spec's Snowflake estimates;
    written to benchmarks/results/<date>.json."""
    import datetime
    import platform

    report: dict[str, object] = {
        "date": datetime.date.today().isoformat(),
        "machine": {
            "cores": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "scales": {},
    }
    for each in (0.1, 1.0) if scale == 1.0 else (scale,):
        print(f"\n-- scale {each} --")
        with tempfile.TemporaryDirectory(prefix="cdt-bench-") as folder:
            figures = {}
            for stage in REPORT_STAGES:
                figures[stage] = run_stage(stage, Path(folder), each)
                print_stage(figures[stage])
        ratios = {
            "load_vs_bare_scan": figures["load"]["seconds"] / figures["scan"]["seconds"],
            "features_vs_bare_scan": figures["features"]["seconds"] / figures["scan_db"]["seconds"],
            "pandas_features_vs_features": figures["pandas_features"]["seconds"]
            / figures["features"]["seconds"],
            "calibrate_vs_load": figures["calibrate"]["seconds"] / figures["load"]["seconds"],
            "calibrate_vs_bare_scan": figures["calibrate"]["seconds"]
            / figures["scan_responses"]["seconds"],
            **{
                f"calibrate_{piece}_vs_load": seconds / figures["load"]["seconds"]
                for piece, seconds in dict(figures["calibrate"].get("pieces") or {}).items()
            },
            **{
                f"spec_estimate_{stage}_vs_ours": SPEC_ESTIMATES[stage] / figures[stage]["seconds"]
                for stage in SPEC_ESTIMATES
            },
        }
        for name, value in ratios.items():
            print(f"  {name:34s} {value:8.1f}x")
        report["scales"][str(each)] = {"stages": figures, "ratios": ratios}  # type: ignore[index]
    folder = Path(__file__).parent / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"{report['date']}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten: {path}")


def bench_refresh(scale: float, repeat: int) -> None:
    """A one-day delta, load to refreshed twin, against a full build (benchmarks/refresh.py)."""
    from benchmarks.refresh import bench_refresh as run_refresh

    run_refresh(scale, repeat)


BENCHMARKS: dict[str, Callable[[float, int], None]] = {
    "report": bench_report,
    "refresh": bench_refresh,
    "response": bench_response,
    "simulate": bench_simulate,
    "llm": bench_llm,
    "init": bench_init,
    "pipeline": bench_pipeline,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=list(BENCHMARKS), help="benchmarks to run")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, scale {args.scale}")
    for name in args.names:
        print(f"\n== {name} ==")
        BENCHMARKS[name](args.scale, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
