"""Word quality on the embedded model: every segment's persona reacting to ten scenarios,
through the quality gate. Per field: the gate's pass rate at the first try, after the retry,
and how often a verbatim or a composed sentence replaced the text. Run on a built twin:

    .venv/bin/python benchmarks/words.py [--scenarios N] [--samples] [--json]

It calls the LLM (the configured one; the bundled model by default) and writes nothing to
HISTORY: each reaction is asked directly, as `cdt ask` does.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from typing import Any

from cdt.agents.vetting import TEXTS

from cdt import api
from cdt.config import load_settings

SCENARIOS = (
    "price increase $5",
    "Avalanche drops from $95 to $85",
    "We're adding $4 a month to Powder, with Netflix included (a $6 value)",
    "A $2 paper-bill fee starts in April",
    "T-Mobile offers $200 to switch",
    "After a 6-hour network outage, we credit $10 to every affected account",
    "Customers with us over 3 years get a free upgrade to Avalanche",
    "Introducing Summit Max, $110 a month, first 3 months $90",
    "Unlimited data is slowed after 50 GB in a month",
    "Customers who call to cancel get $15 off per month for 6 months",
)


def main() -> None:
    count = int(sys.argv[sys.argv.index("--scenarios") + 1]) if "--scenarios" in sys.argv else 10
    settings = load_settings()
    personas = api.personas(settings)
    first: dict[str, Counter[str]] = defaultdict(Counter)
    final: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    clock = time.perf_counter()
    asked = retried = 0
    samples: list[dict[str, Any]] = []
    for number, text in enumerate(SCENARIOS[:count]):
        scenario = api.parse_scenario(text)
        for persona in personas:
            answer = api.ask(settings, persona["segment_id"], scenario)
            asked += 1
            reasons.update(answer.get("gate_rejected", []))
            rejected = [r.split(":")[0] for r in answer.get("gate_rejected", [])]
            retried += bool(rejected)
            if persona is personas[number % len(personas)]:
                samples.append(
                    {"persona": answer["persona_name"], "scenario": text, **answer["reaction"]}
                    | {"sources": answer["text_sources"]}
                )
            for name in TEXTS:
                first[name]["pass" if name not in rejected else "fail"] += 1
                final[f"{name}:{answer['text_sources'][name]}"] += 1
    seconds = time.perf_counter() - clock
    report: dict[str, Any] = {
        "segments": len(personas),
        "scenarios": count,
        "reactions": asked,
        "seconds": round(seconds, 1),
        "seconds_per_reaction": round(seconds / max(asked, 1), 2),
        "retried_share": round(retried / max(asked, 1), 3),
        "per_field": {
            name: {
                "first_try_pass": round(first[name]["pass"] / asked, 3),
                "after_retry_llm": round(final[f"{name}:llm"] / asked, 3),
                "verbatim": round(final[f"{name}:verbatim"] / asked, 3),
                "composed": round(final[f"{name}:composed"] / asked, 3),
            }
            for name in TEXTS
        },
    }
    llm_texts = sum(final[f"{n}:llm"] for n in TEXTS)
    report["llm_texts_without_fallback"] = round(llm_texts / (asked * len(TEXTS)), 3)
    report["reasons"] = dict(reasons.most_common())  # first try, then "retry ..."
    report["samples"] = samples  # one reaction per scenario, from a different segment each
    if "--json" in sys.argv:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{asked} reactions ({len(personas)} segments × {count} scenarios) in {seconds:.0f} s; "
        f"retried {report['retried_share']:.0%}; LLM texts kept without fallback "
        f"{report['llm_texts_without_fallback']:.0%}"
    )
    for name, row in report["per_field"].items():
        print(
            f"  {name}: first try {row['first_try_pass']:.0%}, after retry (llm) "
            f"{row['after_retry_llm']:.0%}, verbatim {row['verbatim']:.0%}, "
            f"composed {row['composed']:.0%}"
        )
    if "--samples" in sys.argv:
        for sample in samples:
            print(json.dumps(sample))


if __name__ == "__main__":
    main()
