"""Words on a built twin: every segment × ten scenarios through `cdt simulate`'s own path
(``cdt.api.simulate``), then the gate scored on its labelled corpora. Run on a built twin:

    .venv/bin/python -m benchmarks.words [--scenarios N] [--writer data|llm] [--json]

Reports the share of shown texts by source (llm, verbatim, composed), the stances that
contradict their segment's numbers (there should be none: the stance is derived from them),
the seconds to the numbers and to the last word of each simulation, and the gate's
precision and recall on the tuning corpora (in sample), the bundled model's own outputs and
the held-out file, with the cross-validated figures stored with the fit. Simulations are
stored in HISTORY like any other.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from cdt import api
from cdt.config import load_settings
from cdt.llm.embed import SentenceTransformerEmbedder
from cdt.voices import fit, stance
from cdt.voices.meaning import MeaningGate

SCENARIOS = (
    "price increase $5",  # a rise
    "Avalanche drops from $95 to $85",  # a cut
    "A $2 paper-bill fee starts in April",  # a fee
    "After a network outage, we credit $10 to every affected account",  # a credit
    "T-Mobile offers $200 to switch",  # a competitor's offer
    "Customers with us over 3 years get a $10 loyalty reward",  # a loyalty reward
    "Introducing Summit Max, $110 a month",  # a launch
    "Unlimited data is slowed after 50 GB in a month",  # a policy change
    "Powder goes up $3 a month with Netflix included",  # a rise with a value-add
    "Customers who call to cancel get $15 off per month for 6 months",  # a retention offer
)
CORPORA = {
    "tuning: corpus": "words_corpus.jsonl",
    "tuning: held-out set 1 (scored once, then tuned on)": "words_heldout.jsonl",
    "bundled model's outputs": "words_corpus_smollm2.jsonl",
    "tuning: held-out set 2 (scored once, then tuned on)": "words_heldout_v2.jsonl",
    "tuning: held-out set 3 (scored once, then tuned on)": "words_heldout_v3.jsonl",
    "tuning: held-out set 4 (scored once, then tuned on)": "words_heldout_v4.jsonl",
    "held-out v5 (written from a brief; chose this fit among three)": "words_heldout_v5.jsonl",
    "held-out v6 (written from a brief, scored once at the end)": "words_heldout_v6.jsonl",
}


def contradicts(row: dict[str, Any]) -> bool:
    """Whether a shown stance disagrees with the segment's own numbers."""
    shares = row.get("action_shares")
    if not shares or row.get("likely_action") is None:
        return False
    said = stance.from_shares(shares)
    return said.likely_action != row["likely_action"] or (
        abs(float(said.sentiment_score or 0) - float(row["sentiment_score"])) > 0.01
    )


def simulate_all(count: int) -> dict[str, Any]:
    settings = load_settings()
    sources: Counter[str] = Counter()
    contradictions = stances = 0
    timings = []
    for text in SCENARIOS[:count]:
        clock = time.perf_counter()
        numbers_at: list[float] = []

        def arrived(rows: object, plan: object, at: list[float] = numbers_at,
                    since: float = clock) -> None:  # fmt: skip
            at.append(time.perf_counter() - since)

        result = api.simulate(
            settings, api.understand(settings, api.parse_scenario(text)), on_numbers=arrived
        )
        done = time.perf_counter() - clock
        timings.append({"scenario": text, "numbers_s": round(numbers_at[0], 2),
                        "last_word_s": round(done, 2)})  # fmt: skip
        for row in result.segments:
            if row.get("likely_action"):
                stances += 1
                contradictions += contradicts(row)
            for voice in row.get("voices", []):
                sources[voice["source"]] += 1
    shown = sum(sources.values())
    return {
        "scenarios": count,
        "voices_shown": shown,
        "share_by_source": {k: round(v / shown, 3) for k, v in sources.items()} if shown else {},
        "stances": stances,
        "stances_contradicting_numbers": contradictions,
        "timings": timings,
        "numbers_s_max": max(t["numbers_s"] for t in timings),
        "last_word_s_max": max(t["last_word_s"] for t in timings),
    }


def gate_scores() -> dict[str, Any]:
    gate = MeaningGate(SentenceTransformerEmbedder())
    folder = Path(__file__).resolve().parent.parent / "tests" / "data"
    scores: dict[str, Any] = {
        name: fit.score(gate, fit.read_corpus(folder / file))["all"]
        for name, file in CORPORA.items()
        if (folder / file).exists()
    }
    fitted = gate.model.fitted_on
    scores["tuning, 5-fold cross-validated"] = {"texts": fitted["texts"], "shown": "—",
                                                **fitted["cross_validated"]}  # fmt: skip
    return scores


def main() -> None:
    count = int(sys.argv[sys.argv.index("--scenarios") + 1]) if "--scenarios" in sys.argv else 10
    if "--writer" in sys.argv:
        import os

        os.environ["CDT_VOICES_WRITER"] = sys.argv[sys.argv.index("--writer") + 1]
    report = {"simulations": simulate_all(count), "gate": gate_scores()}
    if "--json" in sys.argv:
        print(json.dumps(report, indent=2))
        return
    sims = report["simulations"]
    print(f"{count} scenarios: {sims['voices_shown']} voices shown, by source "
          f"{sims['share_by_source']}; stances contradicting their numbers: "
          f"{sims['stances_contradicting_numbers']} of {sims['stances']}")  # fmt: skip
    for timing in sims["timings"]:
        print(f"  {timing['scenario']}: numbers {timing['numbers_s']} s, "
              f"last word {timing['last_word_s']} s")  # fmt: skip
    for name, score in report["gate"].items():
        print(f"gate on {name}: {score['texts']} texts, {score['shown']} shown, precision "
              f"{score['precision']:.1%}, recall {score['recall']:.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
