"""Scenario parsing: field-exact accuracy of the rule parser on the evaluation corpus
(tests/data/scenario_corpus.jsonl), per field and per kind, and its speed.

    .venv/bin/python -m benchmarks.scenarios [--json]

The held-out sets (tests/data/scenario_heldout*.jsonl) were written from a brief by someone who
saw neither the corpus nor the code; the newest is scored once and then joins the corpus, and
its first score is the figure to expect on new phrasings (see the README).
A field counts when it is expected or read, so reading a field that was not meant is an
error too (the same scoring as tests/scenario/test_scenario_corpus.py). "Silent misreads" are
phrasings whose numbers-bearing fields (kind, the price change, an offer's worth, a launch's
prices, the plans) are wrong and that the plausibility check lets through without a doubt.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.scenario.test_scenario_corpus import compare, load

from cdt.errors import ConfigError
from cdt.scenario import Scenario, parse, plausible

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
#: the twin's plan prices, as the generator sets them (plausibility reads them from the twin)
PRICES = {"Glacier": 25.0, "Flurry": 35.0, "Powder": 55.0, "Blizzard": 75.0, "Summit": 95.0,
          "Avalanche": 140.0}  # fmt: skip
ENGINE = {"kind", "price_delta", "price_delta_pct", "price_from", "price_to", "changes",
          "offer_value", "competitor_price", "competitor_credit", "new_plan_price", "intro_price",
          "plans"}  # fmt: skip


def main() -> None:
    sets = [("corpus", load())]
    sets += [(path.stem, load(path)) for path in sorted(DATA.glob("scenario_heldout*.jsonl"))]
    figures = {name: report(name, cases) for name, cases in sets}
    if "--json" in sys.argv:
        print(json.dumps(figures, indent=2))


def report(title: str, cases: list[dict[str, Any]]) -> dict[str, Any]:
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
            _read(text)
    per_parse_ms = (time.perf_counter() - clock) / (rounds * len(texts)) * 1000
    silent = 0
    for case in cases:
        wrong = (
            {r[0] for r in compare(case) if r[1] != r[2]} & ENGINE if "expect" in case else set()
        )
        read = _read(case["text"])  # a refused text is no silent misread: it is said
        silent += bool(wrong) and read is not None and not plausible.doubts(read, PRICES)
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
        "silent_misreads": silent,
    }
    if "--json" in sys.argv:
        return figures
    print(f"== {title}")
    print(
        f"{figures['phrasings']} phrasings, {total} fields scored: field-exact "
        f"{figures['field_exact_accuracy']:.1%}, every field right in "
        f"{figures['phrasings_all_fields_right']:.1%} of phrasings; {per_parse_ms:.2f} ms a parse; "
        f"{silent} silent misread(s) (numbers-bearing fields wrong, no plausibility doubt)"
    )
    print("per field: " + ", ".join(f"{k} {v:.0%}" for k, v in figures["per_field"].items()))
    print("per kind:  " + ", ".join(f"{k} {v:.0%}" for k, v in figures["per_kind"].items()))
    return figures


def _read(text: str) -> Scenario | None:
    """``text`` parsed, or None when the parser refuses it."""
    try:
        return parse(text)
    except ConfigError:
        return None


if __name__ == "__main__":
    main()
