"""The meaning gate's signals: for each text, how far it is from its scenario, how much it
sounds like the carrier's agent or like melodrama, how its tone sits with its outcome, how
well its sentences hold together, and what its words say about topics, amounts and the
customer's choice. Every signal is oriented the same way: higher is worse."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from cdt.llm.embed import Embedder
from cdt.voices.lexicon import (
    AGENT_ANCHORS,
    AGENT_PHRASES,
    AMOUNT,
    CONTRADICTS,
    CUES,
    CUSTOMER_ANCHORS,
    DRAMA_ANCHORS,
    LEAN,
    PERSONA_ANCHORS,
    STOP,
    SUPPORTS,
    TOPICS,
    WORD_NUMBERS,
)

SIGNALS = (
    "off_topic",
    "agent",
    "agent_phrase",
    "drama",
    "tone",
    "incoherence",
    "repetition",
    "foreign",
    "contradiction",
)


@dataclass(frozen=True)
class Item:
    """A text to judge, with what it must be about."""

    text: str
    kind: str  # quote | reaction | persona
    scenario: str = ""
    outcome: str = ""


#: A folder holding VADER's two lexicons, where its package's own folder cannot (inside
#: Snowflake the package is imported from a zip, and the lexicons come as separate imports).
VADER_FOLDER = "CDT_VADER_LEXICONS"
VADER_FILES = ("vader_lexicon.txt", "emoji_utf8_lexicon.txt")


@cache
def _vader() -> Any:
    import os

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    folder = os.environ.get(VADER_FOLDER)
    if folder:  # absolute paths: VADER joins them to its own folder, which keeps them as given
        lexicon, emoji = (os.path.join(folder, name) for name in VADER_FILES)
        return SentimentIntensityAnalyzer(lexicon_file=lexicon, emoji_lexicon=emoji)
    return SentimentIntensityAnalyzer()


def tone(text: str) -> float:
    """VADER's compound sentiment of ``text``, -1..1."""
    return float(_vader().polarity_scores(text)["compound"])


class Anchors:
    """The anchor phrases' vectors under one embedder, embedded once."""

    def __init__(self, embedder: Embedder) -> None:
        self.model_id = embedder.model_id
        groups = {
            "customer": CUSTOMER_ANCHORS,
            "agent": AGENT_ANCHORS,
            "drama": DRAMA_ANCHORS,
            "persona": PERSONA_ANCHORS,
        }
        texts = [t for phrases in groups.values() for t in phrases]
        vectors = embedder.embed(texts)
        self.vectors: dict[str, np.ndarray] = {}
        at = 0
        for name, phrases in groups.items():
            self.vectors[name] = vectors[at : at + len(phrases)]
            at += len(phrases)


def measure(
    embedder: Embedder, anchors: Anchors, items: Sequence[Item]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each signal's values for ``items`` (higher is worse), and the texts' vectors."""
    if not items:
        return {name: np.zeros(0) for name in SIGNALS}, np.zeros((0, embedder.dim))
    texts = [i.text for i in items]
    scenarios = sorted({i.scenario for i in items if i.scenario})
    vectors = embedder.embed(texts + scenarios)
    text_v, scen_v = vectors[: len(texts)], vectors[len(texts) :]
    scen_of = dict(zip(scenarios, scen_v, strict=True))
    persona = (text_v @ anchors.vectors["persona"].T).max(axis=1)
    customer = (text_v @ anchors.vectors["customer"].T).max(axis=1)
    agent = (text_v @ anchors.vectors["agent"].T).max(axis=1)
    drama = (text_v @ anchors.vectors["drama"].T).max(axis=1)
    joined = _coherence(embedder, texts)
    out: dict[str, list[float]] = {name: [] for name in SIGNALS}
    for j, item in enumerate(items):
        about = item.kind != "persona" and bool(item.scenario)
        out["off_topic"].append(-float(scen_of[item.scenario] @ text_v[j] if about else persona[j]))
        out["agent"].append(float(agent[j] - customer[j]))
        out["agent_phrase"].append(float(bool(AGENT_PHRASES.search(item.text))))
        out["drama"].append(float(drama[j]))
        out["tone"].append(_tone_against(item) if about else 0.0)
        out["incoherence"].append(1.0 - joined[j])
        out["repetition"].append(repetition(item.text))
        foreign, against = cues(item.text, item.outcome, item.scenario) if about else (0.0, 0.0)
        out["foreign"].append(foreign)
        out["contradiction"].append(against)
    return {name: np.array(values) for name, values in out.items()}, text_v


def _tone_against(item: Item) -> float:
    """How far the text's tone is from its outcome's lean: a cheerful complainer or a furious
    upgrader score high; for ignoring, any strong feeling does."""
    compound = tone(item.text)
    lean = LEAN.get(item.outcome, 0.0)
    if not item.outcome:
        return 0.0
    if lean == 0.0:
        return abs(compound)
    return -compound * (1.0 if lean > 0 else -1.0)


def _topics(text: str) -> set[str]:
    lower = text.lower()
    return {name for name, pattern in TOPICS.items() if re.search(pattern, lower)}


def _amounts(text: str) -> set[float]:
    found = set()
    for match in AMOUNT.finditer(text):
        digits, number, word = match.groups()
        value = digits or number
        found.add(float(value) if value else float(WORD_NUMBERS[word.lower()]))
    return found


def cues(text: str, outcome: str, scenario: str) -> tuple[float, float]:
    """Lexical evidence: how many topics and amounts the text names that the scenario lacks,
    and how many of its cues contradict the outcome beyond those that support it."""
    lower = text.lower()
    foreign = len(_topics(text) - _topics(scenario)) if scenario else 0
    numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", scenario)}
    numbers |= {
        float(v) for w, v in WORD_NUMBERS.items() if re.search(rf"\b{w}\b", scenario.lower())
    }
    amounts = _amounts(text)
    stray = bool(scenario) and bool(amounts) and not amounts & numbers
    found = {name for name, pattern in CUES.items() if re.search(pattern, lower, re.IGNORECASE)}
    against = len(found & set(CONTRADICTS.get(outcome, ()))) if outcome else 0
    support = len(found & set(SUPPORTS.get(outcome, ()))) if outcome else 0
    return float(foreign + stray), float(max(against - support, 0))


def repetition(text: str) -> float:
    """How often the text's most repeated content word (by its first five letters) recurs
    beyond its first use: word salad goes round in circles."""
    stems = [w[:5] for w in re.findall(r"[a-z']+", text.lower()) if w not in STOP and len(w) > 2]
    if not stems:
        return 0.0
    return float(max(stems.count(s) for s in set(stems)) - 1)


def _coherence(embedder: Embedder, texts: Sequence[str]) -> list[float]:
    """Per text, the least similarity between two consecutive sentences (1 for one sentence):
    a join of two unrelated sentences scores low."""
    parts = [[p for p in re.split(r"(?<=[.!?])\s+", t) if len(p.split()) >= 2] for t in texts]
    flat = [p for ps in parts if len(ps) > 1 for p in ps]
    vectors = iter(embedder.embed(flat)) if flat else iter(())
    out = []
    for ps in parts:
        if len(ps) < 2:
            out.append(1.0)
            continue
        v = [next(vectors) for _ in ps]
        out.append(float(min(a @ b for a, b in itertools.pairwise(v))))
    return out
