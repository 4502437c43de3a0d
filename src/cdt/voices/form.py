"""The form half of the gate on every LLM text a user sees (voices, reasoning, persona prose).

A text is rejected when it echoes a placeholder, recites statistics (percents, counts out of
100, probabilities, column names, the segment's own name), talks about the task, copies the
prompt or repeats the scenario, repeats itself, stops halfway through a sentence, tells a
story about the customer where a quote must be the customer speaking, or is cut off with
nothing whole left. A text cut off mid-sentence is trimmed to its last full sentence when
one is left. ``check`` says which, so the reason can be fed back to the model for one retry.
Meaning (scenario, outcome, tone, speaker) is ``cdt.voices.meaning``'s.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDERS = re.compile(
    r"\bFirst Last\b|\bCity, State\b|\bFirst Name\b|\bLast Name\b|\bYour Name\b|\[[^\]]*\]|"
    r"<[^>]*>|\{[^}]*\}|…|\.\.\.|\bLorem\b|\bipsum\b|\bTBD\b|\bXXX\b|\bN/A\b|\bplaceholder\b|"
    r"\bpersona_name\b|\bsample_verbatim\b",
    re.IGNORECASE,
)
PERCENT = re.compile(r"\d+(?:\.\d+)?\s?(?:%|percent\b|pct\b)", re.IGNORECASE)
PER_HUNDRED = re.compile(r"\b\d+\s+(?:in|of|out of)\s+(?:every\s+)?(?:100|a hundred)\b", re.I)
STATISTIC = re.compile(
    r"(?<![\d$])0?\.\d+\b|\bprobabilit\w*|\blikelihood\b|\bchurn (?:rate|risk|probability)\b|"
    r"\bARPU\b|\bsegment\b|\bbasis points?\b|\b\d+(?:\.\d+)?x\b|\bmultiplier\b|"
    r"\bper the (?:model|data)\b",
    re.IGNORECASE,
)
META = re.compile(
    r"\b(?:as this customer|in character|you are a customer|as a customer who|say something|"
    r"my reaction to|the scenario|"
    r"scenario:|outcome:|this persona|as an? (?:AI|language model))",
    re.IGNORECASE,
)
COLUMN = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself|we|we're|our|us)\b", re.I)
THIRD_PERSON = re.compile(r"\b(?:he|she|his|her|him|himself|herself|the customer)\b", re.I)
SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
STATED_AGE = re.compile(r"\b(\d{1,3})[- ](?:years?|yrs?)[- ]old\b", re.IGNORECASE)
AGE_SLACK = 3  # years either side of the data's range before a stated age contradicts it
SAME_FIELD = 0.7  # word overlap (Jaccard) at which one field repeats another
COPY_WORDS = 6  # this many words in a row taken from the prompt or the scenario is a copy


@dataclass(frozen=True)
class Context:
    """What a text must not echo: the segment's name, the prompt's text, the scenario."""

    segment_name: str = ""
    sources: tuple[str, ...] = ()  # prompt and scenario texts
    extra_terms: tuple[str, ...] = field(default_factory=tuple)
    field_names: tuple[str, ...] = ()  # the answer's own keys: listing them is an echo
    age: tuple[int, int] | None = None  # the customer's age range, from data


def age_range(value: object) -> tuple[int, int] | None:
    """An age (42) or an age band ("40-49") as an inclusive range; None when there is none."""
    found = [int(n) for n in re.findall(r"\d{1,3}", str(value or ""))][:2]
    if not found:
        return None
    return (min(found), max(found))


@dataclass(frozen=True)
class Verdict:
    """A text's fate: kept (perhaps trimmed) or rejected with a reason."""

    text: str
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def trim(text: str) -> str:
    """``text`` up to its last full sentence ("" when it has none)."""
    text = text.strip()
    if SENTENCE_END.search(text):
        return text
    ends = [m.end() for m in re.finditer(r"[.!?][\"')\]]*(?=\s|$)", text)]
    return text[: ends[-1]].strip() if ends else ""


_DANGLING = {
    "a", "an", "the", "and", "or", "but", "to", "of", "for", "with", "in", "on", "at", "by",
    "i", "you", "we", "they", "my", "your", "our", "is", "are", "was", "have", "has", "be",
    "that", "this", "if", "so", "because", "when", "than", "as", "it's", "i'm", "don't",
}  # fmt: skip


def _fragment(text: str) -> bool:
    """A short phrase that was never meant as a sentence ("Every dollar counts"), as opposed to
    a sentence cut off in the middle ("I'm going to make sure you don't have to")."""
    words = _words(text)
    return 0 < len(words) <= 6 and words[-1] not in _DANGLING and not text.rstrip().endswith(",")


def _repeats(text: str) -> bool:
    words = _words(text)
    if len(words) >= 6:
        grams = Counter(tuple(words[i : i + 3]) for i in range(len(words) - 2))
        if grams.most_common(1)[0][1] >= 3:
            return True
    if any(a == b for a, b in itertools.pairwise(words) if len(a) > 3 or a in _DANGLING):
        return True
    return bool(re.search(r"\b(\w{4,})\1\b", text, re.IGNORECASE))  # "SpecterSpecter"


_NEVER_LAST = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "my",
        "your",
        "our",
        "their",
        "because",
        "than",
        "of",
        "which",
    }
)


def _dangling_end(text: str) -> bool:
    """A sentence that ends on a word that cannot end one ("…but then my.")."""
    for sentence in re.findall(r"[^.!?]+[.!?]", text):
        words = _words(sentence)
        if len(words) > 2 and words[-1] in _NEVER_LAST:
            return True
    return False


def _count(text: str, phrase: str) -> int:
    return text.lower().count(phrase.strip().lower()) if len(phrase.strip()) > 8 else 0


def _copied(text: str, sources: tuple[str, ...]) -> bool:
    words = _words(text)
    if len(words) < COPY_WORDS:
        return False
    grams = {" ".join(words[i : i + COPY_WORDS]) for i in range(len(words) - COPY_WORDS + 1)}
    for source in sources:
        theirs = _words(source)
        found = {" ".join(theirs[i : i + COPY_WORDS]) for i in range(len(theirs) - COPY_WORDS + 1)}
        if grams & found:
            return True
    return False


def check(text: str, context: Context, *, quote: bool = False) -> Verdict:
    """Whether ``text`` may be shown; a text cut off mid-sentence comes back trimmed."""
    raw = (text or "").strip()
    if not raw:
        return Verdict("", "it is empty")
    if PLACEHOLDERS.search(raw):
        return Verdict(raw, "it echoes a placeholder (e.g. 'First Last', '…', brackets)")
    if PERCENT.search(raw):
        return Verdict(raw, "it recites a statistic (a percent figure) instead of speaking")
    if PER_HUNDRED.search(raw):
        return Verdict(raw, "it recites a statistic (a count out of 100) instead of speaking")
    if META.search(raw):
        return Verdict(raw, "it talks about the task instead of speaking as the customer")
    if STATISTIC.search(raw):
        return Verdict(raw, "it recites a statistic instead of speaking")
    if COLUMN.search(raw):
        return Verdict(raw, f"it names a data column ({COLUMN.search(raw).group(0)})")  # type: ignore[union-attr]
    name = context.segment_name.strip().lower()
    if name and len(name) > 3 and name in raw.lower():
        return Verdict(raw, "it names the segment instead of speaking as a customer")
    for term in context.extra_terms:
        if term and term.lower() in raw.lower():
            return Verdict(raw, f"it repeats the prompt's label '{term}'")
    named = {n for n in context.field_names if n.replace("_", " ") in raw.lower()}
    if len(named) >= 2:
        return Verdict(raw, "it lists the answer's field names instead of filling them")
    stated = STATED_AGE.search(raw)
    if (
        stated
        and context.age
        and not (context.age[0] - AGE_SLACK <= int(stated.group(1)) <= context.age[1] + AGE_SLACK)
    ):
        low, high = context.age
        known = str(low) if low == high else f"{low}-{high}"
        return Verdict(
            raw, f"it gives an age ({stated.group(1)}) that is not this customer's ({known})"
        )
    if _repeats(raw):
        return Verdict(raw, "it repeats itself")
    if _copied(raw, context.sources):
        return Verdict(raw, "it copies the prompt or the scenario word for word")
    if _dangling_end(raw):
        return Verdict(raw, "a sentence of it stops halfway")
    if any(source and _count(raw, source) >= 2 for source in context.sources[:1]):
        return Verdict(raw, "it repeats the scenario instead of reacting to it")
    kept = raw if _fragment(raw) else trim(raw)
    if not kept:
        return Verdict(raw, "it is cut off before its first sentence ends")
    if quote and THIRD_PERSON.search(kept) and not FIRST_PERSON.search(kept):
        return Verdict(kept, "a quote must be the customer speaking, not a story about them")
    return Verdict(kept)


def repeated_fields(texts: dict[str, str]) -> dict[str, str]:
    """The fields (in order) that say what an earlier field of the same answer already said."""
    found: dict[str, str] = {}
    seen: list[tuple[str, set[str]]] = []
    for name, text in texts.items():
        words = set(_words(text))
        for other, theirs in seen:
            if len(words) >= 4 and len(words & theirs) / len(words | theirs) >= SAME_FIELD:
                found[name] = f"it repeats {other}"
                break
        seen.append((name, words))
    return found


def max_length(model: type[Any], name: str, default: int = 80) -> int:
    """The ``max_length`` a pydantic model's string field is bounded by."""
    for item in model.model_fields[name].metadata:
        if getattr(item, "max_length", None):
            return int(item.max_length)
    return default


def fit(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut at a sentence or word end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for end in (". ", "! ", "? "):
        if end in cut:
            return cut[: cut.rfind(end) + 1]
    return cut[: cut.rfind(" ")].rstrip(",;: ") + "."
