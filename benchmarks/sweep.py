"""A 31-point sweep against the numbers of one simulation, measured in the same run (the
issue's target: at most 5x). Run on a built twin:

    .venv/bin/python -m benchmarks.sweep [--repeat N] [--json]

No LLM is called: both are the response model's numbers only.
"""

from __future__ import annotations

import json
import os
import sys
import time

from cdt import api
from cdt.agents.plan import plan_simulation
from cdt.agents.sweep import run_sweep
from cdt.agents.sweep_points import sweep_values
from cdt.calibrate import latest_model
from cdt.config import load_settings


def main() -> None:
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    settings = load_settings()
    scenario = api.parse_scenario("price increase $5")
    values = sweep_values("price_delta", 0, 15, 0.5)
    single, swept = [], []
    with api.connect(settings, read_only=True) as backend:
        model = latest_model(backend)
        customers = int(backend.scalar("SELECT count(*) FROM ANALYTICS.CUSTOMER_SEGMENTS"))
        for _ in range(repeat):
            clock = time.perf_counter()
            plan_simulation(backend, model, scenario)
            single.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            run_sweep(backend, model, scenario, "price_delta", values)
            swept.append(time.perf_counter() - clock)
    report = {
        "customers": customers,
        "points": len(values),
        "cores": os.cpu_count(),
        "one_simulation_numbers_s": round(min(single), 3),
        "sweep_s": round(min(swept), 3),
        "ratio": round(min(swept) / min(single), 2),
    }
    if "--json" in sys.argv:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{report['points']}-point sweep on {customers:,} customers, {report['cores']} cores: "
        f"{report['sweep_s']} s; one simulation's numbers {report['one_simulation_numbers_s']} s; "
        f"ratio {report['ratio']}x (target <= 5x)"
    )


if __name__ == "__main__":
    main()
