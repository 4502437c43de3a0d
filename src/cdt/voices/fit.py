"""Fit the meaning gate on a labelled corpus and score it: ``python -m cdt.voices.fit CORPUS
[MORE …] [--write]`` prints precision and recall per kind of text, and ``--write`` stores
the thresholds as ``meaning.json`` beside this module.

The corpus is JSON lines with ``kind``, ``scenario``, ``outcome``, ``text`` and ``label`` (1:
a reader would show it for that scenario and outcome). ``keep`` is chosen on 5-fold
cross-validation, so it is not tuned on the very texts it is scored on.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cdt.llm.embed import Embedder
from cdt.voices.form import Context, check
from cdt.voices.meaning import (
    MODEL_FILE,
    TARGET_PRECISION,
    MeaningGate,
    MeaningModel,
    thresholds_at,
)
from cdt.voices.prompts import EXAMPLE
from cdt.voices.signals import Anchors, Item, signals

FOLDS = 5
SEED = 7
KEEPS = tuple(round(k, 3) for k in np.arange(0.80, 0.996, 0.005))


def read_corpus(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def items_of(rows: Sequence[dict[str, Any]]) -> list[Item]:
    return [Item(r["text"], r["kind"], r.get("scenario") or "", r.get("outcome") or "")
            for r in rows]  # fmt: skip


def _shown(
    values: dict[str, np.ndarray], at: np.ndarray, thresholds: dict[str, float]
) -> np.ndarray:
    return np.all([values[n][at] <= thresholds[n] + 1e-9 for n in thresholds], axis=0)


def cross_validated_precision(values: dict[str, np.ndarray], y: np.ndarray, keep: float) -> float:
    """The precision of texts shown when each fold's thresholds come from the other folds."""
    order = np.random.default_rng(SEED).permutation(len(y))
    shown = np.zeros(len(y), dtype=bool)
    for fold in range(FOLDS):
        held = order[fold::FOLDS]
        train = np.setdiff1d(order, held)
        good = train[y[train] == 1]
        shown[held] = _shown(values, held, thresholds_at(values, good, keep))
    return float(y[shown].mean()) if shown.any() else 0.0


def choose_keep(values: dict[str, np.ndarray], y: np.ndarray) -> float:
    """The loosest ``keep`` whose cross-validated precision reaches the target; when none
    does, the one with the best cross-validated precision (the loosest of equals)."""
    scored = [(cross_validated_precision(values, y, k), k) for k in sorted(KEEPS, reverse=True)]
    for precision, keep in scored:
        if precision >= TARGET_PRECISION:
            return float(keep)
    best = max(p for p, _ in scored)
    return float(next(k for p, k in scored if p == best))


def fit(embedder: Embedder, rows: Sequence[dict[str, Any]], source: str) -> MeaningModel:
    """Meaning thresholds fitted on ``rows`` (texts that fail the form checks are left out:
    the form gate rejects them before meaning is asked)."""
    kept = [r for r in rows if form_ok(r)]
    values = signals(embedder, Anchors(embedder), items_of(kept))
    y = np.array([int(r["label"]) for r in kept])
    keep = choose_keep(values, y)
    digest = hashlib.sha256(json.dumps(list(rows), sort_keys=True).encode()).hexdigest()[:12]
    return MeaningModel(
        embedder.model_id,
        keep,
        thresholds_at(values, np.flatnonzero(y == 1), keep),
        {"corpus": source, "texts": len(kept), "sha256": digest},
    )


def form_ok(row: dict[str, Any]) -> bool:
    """Whether ``row``'s text passes the form checks as the writer's prompt would see it (the
    scenario and the worked example are what it must not copy)."""
    example = json.dumps(EXAMPLE[1])
    context = Context(sources=(row.get("scenario") or "", EXAMPLE[0], example))
    return check(row["text"], context, quote=row["kind"] == "quote").ok


def score(gate: MeaningGate, rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Precision (share of shown texts labelled sensible) and recall (share of sensible texts
    shown) per kind and overall, for the whole gate: form, then meaning."""
    judged = gate.judge(items_of(rows))
    shown = [form_ok(r) and j.ok for r, j in zip(rows, judged, strict=True)]
    out: dict[str, dict[str, float]] = {}
    for kind in ("quote", "reaction", "persona", "all"):
        picked = [
            (s, int(r["label"]))
            for s, r in zip(shown, rows, strict=True)
            if kind in ("all", r["kind"])
        ]
        shown_labels = [label for s, label in picked if s]
        good = sum(label for _, label in picked)
        out[kind] = {
            "texts": len(picked),
            "shown": len(shown_labels),
            "precision": round(sum(shown_labels) / len(shown_labels), 4) if shown_labels else 0.0,
            "recall": round(sum(shown_labels) / good, 4) if good else 0.0,
        }
    return out


def main(argv: Sequence[str]) -> int:
    from cdt.llm.embed import SentenceTransformerEmbedder

    corpora = [Path(a) for a in argv if not a.startswith("--")]
    if not corpora:
        print("usage: python -m cdt.voices.fit CORPUS.jsonl [MORE.jsonl …] [--write]",
              file=sys.stderr)  # fmt: skip
        return 2
    embedder = SentenceTransformerEmbedder()
    rows = [row for corpus in corpora for row in read_corpus(corpus)]
    model = fit(embedder, rows, " + ".join(c.name for c in corpora))
    if "--write" in argv:
        target = Path(__file__).with_name(MODEL_FILE)
        target.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    report = {"keep": model.keep, "score": score(MeaningGate(embedder, model), rows)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
