"""The synthetic world's magnitudes against their published ranges (docs/generator.md):
monthly churn, the churn a +$5 notice adds, and offer take-up.

    python -m benchmarks.magnitudes                    # the truth on seeds 42 and 7
    python -m benchmarks.magnitudes --data DIR         # and what DIR's generated rows show
    python -m benchmarks.magnitudes --json
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from evals.magnitudes import TARGETS, observed_magnitudes, truth_magnitudes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="42,7")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="a generated data folder to count")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    truth = {seed: truth_magnitudes(seed, args.customers) for seed in seeds}
    observed = observed_magnitudes(args.data) if args.data else None
    if args.json:
        print(json.dumps({
            "cores": os.cpu_count(),
            "targets": TARGETS,
            "truth": {seed: m.to_dict() | {"misses": m.misses()} for seed, m in truth.items()},
            "observed": observed,
        }, indent=2, default=str))  # fmt: skip
        return 0
    print(f"targets: {TARGETS}")
    for seed, m in truth.items():
        print(f"seed {seed} (truth over {args.customers:,} customers):")
        print(f"  monthly churn: postpaid {m.postpaid_monthly_churn:.2%}, "
              f"prepaid {m.prepaid_monthly_churn:.2%}")  # fmt: skip
        print("  churn when every plan gets a notice: "
              + ", ".join(f"${d:+.0f} {c:.3%}" for d, c in m.churn_by_delta.items())
              + f"; a +$5 notice adds {m.added_churn_at_plus_5 * 1e4:+.1f} bp")  # fmt: skip
        print("  offer take-up: "
              + ", ".join(f"{k} {v:.1%}" for k, v in m.offer_take_up.items()))  # fmt: skip
        print(f"  outside the published ranges: {m.misses() or 'none'}")
    if observed:
        print(f"observed in {args.data}:")
        for group, figures in observed["control_churn"].items():
            print(f"  control groups, {group}: {figures['churn']:.2%} of {figures['rows']:,}")
        for delta, figures in observed["notified_churn_by_delta"].items():
            print(f"  notified of ${delta:+.0f}: churn {figures['churn']:.2%} "
                  f"of {figures['rows']:,}")  # fmt: skip
        for kind, figures in observed["offer_take_up"].items():
            print(f"  {kind}: take-up {figures['take_up']:.1%} of {figures['rows']:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
