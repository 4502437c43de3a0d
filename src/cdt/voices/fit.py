"""Fit the meaning gate on a labelled corpus and score it: ``python -m cdt.voices.fit CORPUS
[MORE …] [--write]`` prints precision and recall per kind of text, and ``--write`` stores
the thresholds as ``meaning.json`` beside this module.

The corpus is JSON lines with ``kind``, ``scenario``, ``outcome``, ``text`` and ``label`` (1:
a reader would show it for that scenario and outcome). ``keep`` and the reader's threshold
are chosen together on 5-fold cross-validation, so they are not tuned on the very texts they
are scored on.
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
    Reader,
    thresholds_at,
)
from cdt.voices.prompts import EXAMPLE
from cdt.voices.signals import SIGNALS, Anchors, Item, measure

FOLDS = 5
SEED = 7
KEEPS = tuple(round(k, 3) for k in np.arange(0.80, 0.996, 0.005))
#: The reader's thresholds tried: the least chance of being sensible a shown text must have.
CHANCES = tuple(round(t, 2) for t in np.arange(0.0, 0.96, 0.05))
#: The reader's regularisation (L2, sklearn's C): strong, for ~700 texts and 393 features.
C = 0.1


def read_corpus(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def items_of(rows: Sequence[dict[str, Any]]) -> list[Item]:
    return [Item(r["text"], r["kind"], r.get("scenario") or "", r.get("outcome") or "")
            for r in rows]  # fmt: skip


def _shown(
    values: dict[str, np.ndarray], at: np.ndarray, thresholds: dict[str, float]
) -> np.ndarray:
    return np.all([values[n][at] <= thresholds[n] + 1e-9 for n in thresholds], axis=0)


def reader(values: dict[str, np.ndarray], vectors: np.ndarray, y: np.ndarray,
           at: np.ndarray, threshold: float) -> Reader:  # fmt: skip
    """A logistic regression fitted on the texts ``at`` (signals, then the text's vector)."""
    from sklearn.linear_model import LogisticRegression

    features = _features(values, vectors)[at]
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale = np.where(scale > 1e-6, scale, 1.0)  # a constant feature (stored to 8 places)
    model = LogisticRegression(C=C, max_iter=5000).fit((features - mean) / scale, y[at])
    return Reader(mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0]),
                  threshold)  # fmt: skip


def _features(values: dict[str, np.ndarray], vectors: np.ndarray) -> np.ndarray:
    return np.hstack([np.column_stack([values[n] for n in SIGNALS]), vectors])


def cross_validated(
    values: dict[str, np.ndarray], vectors: np.ndarray, y: np.ndarray
) -> dict[tuple[float, float], tuple[float, float]]:
    """Per (keep, reader threshold): the precision and recall of the texts shown when each
    fold's thresholds and reader come from the other folds."""
    order = np.random.default_rng(SEED).permutation(len(y))
    checks = {k: np.zeros(len(y), dtype=bool) for k in KEEPS}
    chance = np.zeros(len(y))
    for fold in range(FOLDS):
        held = order[fold::FOLDS]
        train = np.setdiff1d(order, held)
        good = train[y[train] == 1]
        for keep in KEEPS:
            checks[keep][held] = _shown(values, held, thresholds_at(values, good, keep))
        fitted = reader(values, vectors, y, train, 0.0)
        chance[held] = fitted.chance({n: values[n][held] for n in SIGNALS}, vectors[held])
    out = {}
    for keep, passed in checks.items():
        for threshold in CHANCES:
            shown = passed & (chance >= threshold)
            precision = float(y[shown].mean()) if shown.any() else 0.0
            out[(keep, threshold)] = (precision, float(y[shown].sum() / max(y.sum(), 1)))
    return out


def choose(scores: dict[tuple[float, float], tuple[float, float]]) -> tuple[float, float]:
    """The (keep, threshold) that shows the most sensible texts at the target precision;
    when none reaches it, the one with the best precision."""
    reaching = [(r, p, k) for k, (p, r) in scores.items() if p >= TARGET_PRECISION]
    if reaching:
        return max(reaching)[2]
    return max((p, r, k) for k, (p, r) in scores.items())[2]


def fit(embedder: Embedder, rows: Sequence[dict[str, Any]], source: str) -> MeaningModel:
    """Meaning thresholds and reader fitted on ``rows`` (texts that fail the form checks are
    left out: the form gate rejects them before meaning is asked)."""
    kept = [r for r in rows if form_ok(r)]
    values, vectors = measure(embedder, Anchors(embedder), items_of(kept))
    y = np.array([int(r["label"]) for r in kept])
    scores = cross_validated(values, vectors, y)
    keep, threshold = choose(scores)
    digest = hashlib.sha256(json.dumps(list(rows), sort_keys=True).encode()).hexdigest()[:12]
    precision, recall = scores[(keep, threshold)]
    return MeaningModel(
        embedder.model_id,
        keep,
        thresholds_at(values, np.flatnonzero(y == 1), keep),
        {"corpus": source, "texts": len(kept), "sha256": digest,
         "cross_validated": {"precision": round(precision, 4), "recall": round(recall, 4)}},
        reader(values, vectors, y, np.arange(len(y)), threshold),
    )  # fmt: skip


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
    report = {
        "keep": model.keep,
        "reader_threshold": model.reader.threshold if model.reader else None,
        "cross_validated": model.fitted_on["cross_validated"],
        "in_sample": score(MeaningGate(embedder, model), rows),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
