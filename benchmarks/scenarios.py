"""Scenario parsing: field-exact accuracy of the rule parser on the evaluation corpus
(tests/data/scenario_corpus.jsonl), per field and per kind, and its speed.

    .venv/bin/python benchmarks/scenarios.py [--json]

The held-out set (tests/data/scenario_heldout.jsonl) was written after the parser was tuned
on the corpus and never tuned against: it is the figure to expect on new phrasings.
A field counts when it is expected or read, so reading a field that was not meant is an
error too (the same scoring as tests/test_scenario_corpus.py).
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cdt.scenario import parse
from test_scenario_corpus import compare, load

HELDOUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "scenario_heldout.jsonl"


def main() -> None:
    for name, cases in (("corpus", load()), ("held out", load(HELDOUT))):
        report(name, cases)


def report(title: str, cases: list[dict[str, Any]]) -> None:
    by_field: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    exact = 0
    for case in cases:
        rows = compare(case)
        kind = case.get("expect", {}).get("kind", "error")
        wrong = [r for r in rows if r[1] != r[2]] if "error" not in case else rows
        exact += not wrong
        for name, want, got in rows or [("error", 1, 1)]:
            by_field[name][0] += want == got
            by_field[name][1] += 1
            by_kind[kind][0] += want == got
            by_kind[kind][1] += 1
    texts = [c["text"] for c in cases if "expect" in c]
    clock = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for text in texts:
            parse(text)
    per_parse_ms = (time.perf_counter() - clock) / (rounds * len(texts)) * 1000
    right = sum(v[0] for v in by_field.values())
    total = sum(v[1] for v in by_field.values())
    figures = {
        "phrasings": len(cases),
        "field_exact_accuracy": round(right / total, 4),
        "fields_scored": total,
        "phrasings_all_fields_right": round(exact / len(cases), 4),
        "per_field": {k: round(v[0] / v[1], 4) for k, v in sorted(by_field.items())},
        "per_kind": {k: round(v[0] / v[1], 4) for k, v in sorted(by_kind.items())},
        "parse_ms": round(per_parse_ms, 3),
    }
    if "--json" in sys.argv:
        print(json.dumps({title: figures}, indent=2))
        return
    print(f"== {title}")
    print(
        f"{figures['phrasings']} phrasings, {total} fields scored: field-exact "
        f"{figures['field_exact_accuracy']:.1%}, every field right in "
        f"{figures['phrasings_all_fields_right']:.1%} of phrasings; {per_parse_ms:.2f} ms a parse"
    )
    print("per field: " + ", ".join(f"{k} {v:.0%}" for k, v in figures["per_field"].items()))
    print("per kind:  " + ", ".join(f"{k} {v:.0%}" for k, v in figures["per_kind"].items()))


if __name__ == "__main__":
    main()
