"""Fit the meaning gate on labelled corpora and score it: ``python -m cdt.voices.fit CORPUS
[MORE …] [--train-only=CORPUS …] [--write]`` prints precision and recall per kind of text,
and ``--write`` stores the thresholds as ``meaning.json`` beside this module.

Each corpus is JSON lines with ``kind``, ``scenario``, ``outcome``, ``text`` and ``label`` (1:
a reader would show it for that scenario and outcome), written by one author. ``keep`` and
the reader's per-kind thresholds are chosen on the corpora left out one at a time, so they are
judged on wording the fit has not seen.
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

KEEPS = tuple(round(k, 3) for k in np.arange(0.80, 0.996, 0.005))
#: The reader's thresholds tried: the least chance of being sensible a shown text must have.
CHANCES = tuple(round(t, 2) for t in np.arange(0.0, 0.99, 0.01))
#: The reader's regularisation (L2, sklearn's C): strong, for ~1,400 texts and 393 features.
C = 0.1
KINDS = ("quote", "reaction", "persona")
#: A kind's precision is trusted from at least this many texts shown across the left-out sets.
MIN_SHOWN = 20


def read_corpus(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def items_of(rows: Sequence[dict[str, Any]]) -> list[Item]:
    return [Item(r["text"], r["kind"], r.get("scenario") or "", r.get("outcome") or "")
            for r in rows]  # fmt: skip


def _shown(
    values: dict[str, np.ndarray], at: np.ndarray, thresholds: dict[str, float]
) -> np.ndarray:
    return np.all([values[n][at] <= thresholds[n] + 1e-9 for n in thresholds], axis=0)


def reader(values: dict[str, np.ndarray], vectors: np.ndarray, y: np.ndarray, at: np.ndarray,
           thresholds: dict[str, float | None]) -> Reader:  # fmt: skip
    """A logistic regression fitted on the texts ``at`` (signals, then the text's vector)."""
    from sklearn.linear_model import LogisticRegression

    features = _features(values, vectors)[at]
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale = np.where(scale > 1e-6, scale, 1.0)  # a constant feature (stored to 8 places)
    model = LogisticRegression(C=C, max_iter=5000).fit((features - mean) / scale, y[at])
    return Reader(mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0]),
                  thresholds)  # fmt: skip


def _features(values: dict[str, np.ndarray], vectors: np.ndarray) -> np.ndarray:
    return np.hstack([np.column_stack([values[n] for n in SIGNALS]), vectors])


#: Per (keep, kind, reader threshold): sensible texts shown, texts shown, sensible texts.
Counts = dict[tuple[float, str, float], tuple[int, int, int]]


def cross_validated(values: dict[str, np.ndarray], vectors: np.ndarray, y: np.ndarray,
                    groups: np.ndarray, kinds: np.ndarray,
                    scored: Sequence[str]) -> Counts:  # fmt: skip
    """What the gate shows of each ``scored`` set when its thresholds and reader come from the
    other sets. The sets are written by different authors, so a set left out is wording the
    fit has not seen, as a user's model's will be. Sets not ``scored`` only ever train."""
    checks = {k: np.zeros(len(y), dtype=bool) for k in KEEPS}
    chance = np.full(len(y), np.nan)
    for group in scored:
        held = np.flatnonzero(groups == group)
        train = np.flatnonzero(groups != group)
        good = train[y[train] == 1]
        for keep in KEEPS:
            checks[keep][held] = _shown(values, held, thresholds_at(values, good, keep))
        fitted = reader(values, vectors, y, train, {})
        chance[held] = fitted.chance({n: values[n][held] for n in SIGNALS}, vectors[held])
    out: Counts = {}
    for keep, passed in checks.items():
        for kind in KINDS:
            mine = (kinds == kind) & np.isin(groups, scored)
            for threshold in CHANCES:
                shown = passed & mine & (chance >= threshold)
                out[(keep, kind, threshold)] = (int(y[shown].sum()), int(shown.sum()),
                                                int(y[mine].sum()))  # fmt: skip
    return out


def choose(counts: Counts) -> tuple[float, dict[str, float | None]]:
    """The ``keep`` and per-kind reader thresholds that show the most sensible texts while
    each kind's precision on the left-out sets reaches the target (over at least
    ``MIN_SHOWN`` texts). A kind that reaches it at no threshold gets ``None``: never shown."""
    best: tuple[int, float, dict[str, float | None]] | None = None
    for keep in KEEPS:
        chosen: dict[str, float | None] = {}
        recalled = 0
        for kind in KINDS:
            reaching = [(tp, -t) for t in CHANCES
                        for tp, n, _ in [counts[(keep, kind, t)]]
                        if n >= MIN_SHOWN and tp >= TARGET_PRECISION * n]  # fmt: skip
            if reaching:
                tp, negative = max(reaching)
                chosen[kind], recalled = -negative, recalled + tp
            else:
                chosen[kind] = None
        if best is None or recalled > best[0]:
            best = (recalled, keep, chosen)
    assert best is not None
    return best[1], best[2]


def summary(counts: Counts, keep: float, chosen: dict[str, float | None]) -> dict[str, Any]:
    """Precision and recall on the left-out sets at the chosen point, per kind and overall."""
    out: dict[str, Any] = {}
    totals = [0, 0, 0]
    for kind in KINDS:
        threshold = chosen[kind]
        tp, n, good = counts[(keep, kind, threshold)] if threshold is not None else (
            0, 0, counts[(keep, kind, 0.0)][2])  # fmt: skip
        out[kind] = {"shown": n, "precision": round(tp / n, 4) if n else None,
                     "recall": round(tp / good, 4) if good else 0.0}  # fmt: skip
        totals = [totals[0] + tp, totals[1] + n, totals[2] + good]
    tp, n, good = totals
    out["all"] = {"shown": n, "precision": round(tp / n, 4) if n else None,
                  "recall": round(tp / good, 4) if good else 0.0}  # fmt: skip
    return out


def fit(embedder: Embedder, sets: Sequence[tuple[str, Sequence[dict[str, Any]]]],
        train_only: Sequence[str] = ()) -> MeaningModel:  # fmt: skip
    """Meaning thresholds and reader fitted on the labelled ``sets`` (name, rows); texts that
    fail the form checks are left out: the form gate rejects them before meaning is asked.
    The sets named in ``train_only`` are never left out to choose the thresholds: one model's
    own output (the bundled model's voices) would measure the gate on that model alone."""
    rows = [(name, r) for name, part in sets for r in part]
    kept = [(name, r) for name, r in rows if form_ok(r)]
    values, vectors = measure(embedder, Anchors(embedder), items_of([r for _, r in kept]))
    y = np.array([int(r["label"]) for _, r in kept])
    groups = np.array([name for name, _ in kept])
    kinds = np.array([r["kind"] for _, r in kept])
    scored = [name for name, _ in sets if name not in train_only]
    counts = cross_validated(values, vectors, y, groups, kinds, scored)
    keep, chosen = choose(counts)
    digest = hashlib.sha256(json.dumps([r for _, r in rows], sort_keys=True).encode())
    return MeaningModel(
        embedder.model_id,
        keep,
        thresholds_at(values, np.flatnonzero(y == 1), keep),
        {"corpus": " + ".join(name for name, _ in sets), "texts": len(kept),
         "sha256": digest.hexdigest()[:12],
         "left_out_one_set_at_a_time": summary(counts, keep, chosen),
         "train_only": list(train_only)},
        reader(values, vectors, y, np.arange(len(y)), chosen),
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

    train_only = [Path(a.split("=", 1)[1]).name for a in argv if a.startswith("--train-only=")]
    corpora = [Path(a) for a in argv if not a.startswith("--")]
    corpora += [Path(a.split("=", 1)[1]) for a in argv if a.startswith("--train-only=")]
    if not corpora:
        print("usage: python -m cdt.voices.fit CORPUS.jsonl [MORE.jsonl …] "
              "[--train-only=MODEL_OUTPUT.jsonl …] [--write]", file=sys.stderr)  # fmt: skip
        return 2
    embedder = SentenceTransformerEmbedder()
    sets = [(corpus.name, read_corpus(corpus)) for corpus in corpora]
    rows = [row for _, part in sets for row in part]
    model = fit(embedder, sets, train_only)
    if "--write" in argv:
        target = Path(__file__).with_name(MODEL_FILE)
        target.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    report = {
        "keep": model.keep,
        "reader_thresholds": model.reader.thresholds if model.reader else None,
        "left_out_one_set_at_a_time": model.fitted_on["left_out_one_set_at_a_time"],
        "in_sample": score(MeaningGate(embedder, model), rows),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
