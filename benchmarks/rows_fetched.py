"""Rows fetched to the client per stage on the Snowflake backend (fakesnow), counted at the
connector boundary: every result set that cdt fetches goes through
``cdt.backends.snowflake._fetch_arrow``, and this script counts the rows it returns.

    .venv/bin/python -m benchmarks.rows_fetched [--scale 1] [--json]

It generates a dataset at ``--scale``, then loads, builds features, segments, calibrates
(with the backtest) and scores one scenario's numbers and a 31-point sweep, on Snowflake
through fakesnow. No LLM is called (personas are not generated): the stages measured are the
ones that read customer rows. The target (issue 19): no stage fetches more than the
segmentation sample (100K rows) plus aggregates.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any


def numbers(settings: Any, scenario: Any) -> None:
    """One simulation's numbers (the response model's, no LLM), as `cdt simulate` scores them."""
    from cdt import api
    from cdt.agents.plan import plan_simulation
    from cdt.calibrate import latest_model

    with api.connect(settings, read_only=True) as backend:
        plan_simulation(backend, latest_model(backend), scenario)


def main() -> None:
    scale = float(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1.0
    import fakesnow

    import cdt.backends.snowflake as snowflake_backend
    from cdt import api
    from cdt.config import load_settings
    from cdt.generate import generate

    fetched: dict[str, int] = defaultdict(int)
    largest: dict[str, int] = defaultdict(int)
    stage = ["setup"]
    original = snowflake_backend._fetch_arrow

    def counting(cursor: Any) -> Any:
        table = original(cursor)
        fetched[stage[0]] += table.num_rows
        largest[stage[0]] = max(largest[stage[0]], table.num_rows)
        return table

    snowflake_backend._fetch_arrow = counting
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cdt-rows-") as folder:
        data = Path(folder) / "data"
        generate(data, scale=scale, seed=42)
        for name in list(os.environ):
            if name.startswith(("CDT_", "SNOWFLAKE_")):
                del os.environ[name]
        os.environ.update(
            {"SNOWFLAKE_ACCOUNT": "fake", "SNOWFLAKE_USER": "u", "SNOWFLAKE_PASSWORD": "p"}
        )
        settings = load_settings(
            {"backend": "snowflake", "home": str(Path(folder) / ".cdt"), "data_dir": str(data)}
        )
        nops = [  # as tests/conftest.py's FAKESNOW_NOPS: what fakesnow cannot run
            r"^\s*GRANT\b",
            r"^\s*CREATE\s+ROLE\b",
            r"^\s*USE\s+ROLE\b",
            r"^\s*CREATE\s+WAREHOUSE\b",
            r"^\s*USE\s+WAREHOUSE\b",
            r"^\s*CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+PERSONAS\.PERSONA_EMBEDDINGS\b",
        ]

        with fakesnow.patch(nop_regexes=nops):
            scenario = api.parse_scenario("price increase $5")
            steps = [
                ("init", lambda: api.init(settings)),
                ("load", lambda: api.load(settings, source=data)),
                ("features", lambda: api.features(settings)),
                ("segment", lambda: api.segment(settings)),
                ("calibrate", lambda: api.calibrate(settings)),
                ("simulate (numbers)", lambda: numbers(settings, scenario)),
                ("sweep (31 points)", lambda: api.sweep(
                    settings, scenario, param="price_delta", start=0, stop=15, step=0.5)),
            ]  # fmt: skip
            for name, run in steps:
                stage[0] = name
                clock = time.perf_counter()
                run()
                seconds[name] = round(time.perf_counter() - clock, 1)
                print(
                    f"{name:<20} {fetched[name]:>10,} rows fetched "
                    f"(largest result {largest[name]:,}) in {seconds[name]:.1f} s",
                    flush=True,
                )
    report = {
        "scale": scale,
        "cores": os.cpu_count(),
        "stages": {
            name: {"rows": fetched[name], "largest": largest[name], "seconds": seconds[name]}
            for name in seconds
        },
    }
    if "--json" in sys.argv:
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
