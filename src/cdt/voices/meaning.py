"""The meaning half of the gate: is a text about this scenario and this outcome, does its tone
fit the outcome, does it speak as the customer, and does it hold together?

Each check compares one signal (``cdt.voices.signals``, higher is worse) with a threshold. A
threshold is the ``keep`` quantile of that signal among the texts a reader labelled sensible
in the corpus (``tests/data/words_corpus.jsonl`` and ``words_heldout.jsonl``): each check
alone lets through that share of sensible texts. A text that passes every check is then read
by ``Reader``: a logistic regression over the nine signals and the text's own vector, fitted
on the same labels, which must give it at least ``threshold`` chance of being sensible. The
pair (``keep``, ``threshold``) is the one that shows the most sensible texts while the
corpus's cross-validated precision still reaches ``TARGET_PRECISION`` (``cdt.voices.fit``).
Nothing here is set by hand but what each signal listens for.

The fitted thresholds (``meaning.json``) belong to the embedder they were fitted with:
vectors from another model are not comparable, so a gate given another embedder withholds
every text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

from cdt.llm.embed import Embedder
from cdt.voices.signals import SIGNALS, Anchors, Item, measure

MODEL_FILE = "meaning.json"
TARGET_PRECISION = 0.95
__all__ = ["Item", "Judgement", "MeaningGate", "MeaningModel", "Reader", "stored_model"]

# What failing each check means, for the retry's feedback and the record.
REASONS = {
    "off_topic": "it is not about this scenario",
    "agent": "it speaks as the carrier's agent, not as the customer",
    "agent_phrase": "it speaks as the carrier's agent, not as the customer",
    "drama": "it is melodramatic",
    "tone": "its tone does not fit a customer who would {doing}",
    "incoherence": "its sentences do not hold together",
    "repetition": "it goes round in circles, repeating its own words",
    "foreign": "it talks about something this scenario does not include",
    "contradiction": "it says the customer does something else than {doing}",
    "reader": "it does not read as this customer's own, sensible reply to this scenario",
}


ARRAYS = ("mean", "scale", "coef")


@dataclass(frozen=True)
class Reader:
    """A logistic regression over the standardised signals (in ``SIGNALS`` order) followed by
    the text's vector: the chance that a reader would call the text sensible."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def chance(self, values: dict[str, np.ndarray], vectors: np.ndarray) -> np.ndarray:
        features = np.hstack([np.column_stack([values[n] for n in SIGNALS]), vectors])
        z = ((features - self.mean) / self.scale) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "intercept": round(self.intercept, 8),
            **{k: [round(float(x), 8) for x in getattr(self, k)] for k in ARRAYS},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reader:
        arrays = {k: np.asarray(data[k], dtype=np.float64) for k in ARRAYS}
        return cls(**arrays, intercept=float(data["intercept"]),
                   threshold=float(data["threshold"]))  # fmt: skip


@dataclass(frozen=True)
class Judgement:
    """Whether a text makes sense here, and why not when it does not."""

    reason: str | None
    failed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class MeaningModel:
    """Per check, the threshold above which a text fails."""

    embedder_id: str
    keep: float
    thresholds: dict[str, float]
    fitted_on: dict[str, Any]
    reader: Reader | None = None

    def failures(
        self, values: dict[str, np.ndarray], vectors: np.ndarray | None = None
    ) -> list[tuple[str, ...]]:
        """Per text, the checks it fails, in ``SIGNALS`` order, then ``reader``'s."""
        size = len(next(iter(values.values()))) if values else 0
        out = [
            tuple(n for n in SIGNALS if values[n][j] > self.thresholds[n] + 1e-9)
            for j in range(size)
        ]
        if self.reader is None or vectors is None or not size:
            return out
        chance = self.reader.chance(values, vectors)
        # a chance that is not a number (a feature out of range) is no chance: never shown
        return [f or (() if chance[j] >= self.reader.threshold else ("reader",)) for j, f in
                enumerate(out)]  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "embedder_id": self.embedder_id,
            "keep": self.keep,
            "thresholds": {k: round(v, 6) for k, v in self.thresholds.items()},
            "fitted_on": self.fitted_on,
            "reader": self.reader.to_dict() if self.reader else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeaningModel:
        thresholds = {k: float(v) for k, v in data["thresholds"].items()}
        if set(thresholds) != set(SIGNALS):
            raise ValueError("the stored meaning model has other checks; refit it")
        reader = Reader.from_dict(data["reader"]) if data.get("reader") else None
        return cls(str(data["embedder_id"]), float(data["keep"]), thresholds,
                   dict(data["fitted_on"]), reader)  # fmt: skip


def thresholds_at(values: dict[str, np.ndarray], good: np.ndarray, keep: float) -> dict[str, float]:
    """Each signal's ``keep`` quantile among the sensible texts (``good``)."""
    return {n: float(np.quantile(values[n][good], keep)) for n in SIGNALS}


@cache
def stored_model() -> MeaningModel:
    """The thresholds fitted on the labelled corpus and shipped with cdt."""
    text = files("cdt.voices").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return MeaningModel.from_dict(json.loads(text))


class MeaningGate:
    """Judges texts for meaning with ``model`` (the stored one by default)."""

    def __init__(self, embedder: Embedder, model: MeaningModel | None = None) -> None:
        self.embedder = embedder
        self.model = model or stored_model()
        self.usable = embedder.model_id == self.model.embedder_id
        self._anchors: Anchors | None = None

    def measure(self, items: Sequence[Item]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        if self._anchors is None:
            self._anchors = Anchors(self.embedder)
        return measure(self.embedder, self._anchors, items)

    def judge(self, items: Sequence[Item]) -> list[Judgement]:
        """Each item's judgement; with another embedder than the model's, none passes."""
        if not items:
            return []
        if not self.usable:
            reason = (
                f"the meaning gate was fitted with {self.model.embedder_id}, not "
                f"{self.embedder.model_id}"
            )
            return [Judgement(reason, ("embedder",)) for _ in items]
        out = []
        for item, failed in zip(items, self.model.failures(*self.measure(items)), strict=True):
            if not failed:
                out.append(Judgement(None))
                continue
            out.append(Judgement(REASONS[failed[0]].format(doing=_doing(item.outcome)), failed))
        return out


def _doing(outcome: str) -> str:
    from cdt.voices.stance import DOING

    return DOING.get(outcome, "react this way")
