"""cdt benchmarks: figures and ratios, printed. Run with `make bench`.

Wall-clock numbers live here, never in unit tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cdt import api
from cdt.config import load_settings


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def bench_init(repeat: int) -> None:
    """`cdt init` on a fresh DuckDB file, then again on an initialised one (idempotent path)."""
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
    print(f"ratio init-again / fresh: {statistics.median(again) / statistics.median(fresh):.2f}")


BENCHMARKS: dict[str, Callable[[int], None]] = {"init": bench_init}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=list(BENCHMARKS), help="benchmarks to run")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    for name in args.names:
        print(f"\n== {name} ==")
        BENCHMARKS[name](args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
