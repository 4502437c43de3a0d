"""Voices per outcome: a small focus group per segment. The data says which outcomes a
meaningful share of the segment takes (``stance.voiced``); the LLM writes one short line for
each, told which outcome it speaks for, plus, for the primary voice, its reasoning and what
would change its mind (the spec's ``reaction`` object).

Every text passes the gate: form (``form.check``) and meaning (``meaning.MeaningGate``). What
fails is asked once more with the reasons; what fails twice falls back to a real verbatim of
the segment that fits the outcome and passes the same meaning gate, then to a sentence
composed from data. Each shown text carries its source: ``llm``, ``verbatim`` or
``composed``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, create_model

from cdt.llm.base import Message
from cdt.llm.client import LLMClient, Structured
from cdt.llm.embed import Embedder
from cdt.personas.identity import speaker
from cdt.voices import composed
from cdt.voices.form import Context, check, fit, repeated_fields
from cdt.voices.meaning import Item, MeaningGate
from cdt.voices.prompts import KEY_OF, Ask, voice_messages
from cdt.voices.stance import DOING, per_hundred
from cdt.voices.verbatims import candidates, ranked

VOICE_TEXT = 140
WHY = "why"
CHANGE = "what_would_change_my_mind"


@cache
def answer_model(keys: tuple[str, ...]) -> type[BaseModel]:
    """The JSON the writer must return: one bounded string per key, in order."""
    fields: dict[str, Any] = {k: (str, Field(min_length=1, max_length=VOICE_TEXT)) for k in keys}
    model: type[BaseModel] = create_model("Voices", __config__=ConfigDict(extra="ignore"), **fields)
    return model


@dataclass
class Voice:
    """One customer's line for one outcome, with who says it and where it came from."""

    outcome: str
    share: float
    speaker: str
    text: str
    source: str  # llm | verbatim | composed

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "share": round(self.share, 4),
            "per_100": per_hundred(self.share),
            "doing": DOING[self.outcome],
            "speaker": self.speaker,
            "text": self.text,
            "source": self.source,
        }


@dataclass
class Spoken:
    """A segment's voices, the primary voice as the spec's reaction, and the gate's record."""

    voices: list[Voice]
    reaction: dict[str, str]
    sources: dict[str, str]
    rejected: list[str] = field(default_factory=list)
    answers: list[Structured[Any]] = field(default_factory=list)
    prompt: list[Message] = field(default_factory=list)

    @property
    def retried(self) -> bool:
        return len(self.answers) > 1


def _fields(outcomes: Sequence[str]) -> dict[str, str]:
    """Answer key -> what it is: one key per outcome, then the primary voice's reasoning."""
    keys = {KEY_OF[o]: o for o in outcomes}
    keys[WHY] = outcomes[0]
    keys[CHANGE] = outcomes[0]
    return keys


def _judge(
    gate: MeaningGate, context: Context, ask: Ask, texts: dict[str, str], keys: dict[str, str]
) -> dict[str, str]:
    """Each failing key's reason (form first, then meaning)."""
    found: dict[str, str] = {}
    pending: list[tuple[str, Item]] = []
    for key, text in texts.items():
        verdict = check(text, context, quote=key not in (WHY, CHANGE))
        if not verdict.ok:
            found[key] = str(verdict.reason)
            continue
        texts[key] = verdict.text
        kind = "reaction" if key in (WHY, CHANGE) else "quote"
        pending.append((key, Item(verdict.text, kind, ask.scenario_text, keys[key])))
    for (key, _), judged in zip(pending, gate.judge([i for _, i in pending]), strict=True):
        if not judged.ok:
            found[key] = str(judged.reason)
    # two customers with two outcomes never say the same thing
    return found | repeated_fields({k: t for k, t in texts.items() if k not in found})


def write(
    client: LLMClient,
    gate: MeaningGate,
    embedder: Embedder,
    ask: Ask,
    *,
    seed: int = 42,
) -> Spoken:
    """``ask``'s voices through the gate, with one retry and the fallbacks.

    Raises:
        LLMError: the LLM failed (the caller keeps the numbers and the stance).
    """
    keys = _fields(ask.outcomes)
    messages = voice_messages(ask, tuple(keys))
    context = Context(
        segment_name=str(ask.persona.get("segment_name") or ""),
        sources=(ask.scenario_text, *(m.content for m in messages)),
        field_names=tuple(keys),
    )
    first = client.structured(
        messages, answer_model(tuple(keys)), kind="voices", temperature=0.5,
        max_tokens=90 * len(keys), seed=seed,
    )  # fmt: skip
    texts = {k: str(getattr(first.value, k)) for k in keys}
    found = _judge(gate, context, ask, texts, keys)
    rejected = [f"{k}: {v}" for k, v in found.items()]
    answers: list[Structured[Any]] = [first]
    if found:
        retry = [*messages[:-1], Message(role="user", content=_feedback(messages, found))]
        again = client.structured(
            retry, answer_model(tuple(found)), kind="voices_retry", temperature=0.6,
            max_tokens=90 * len(found), seed=seed + 7,
        )  # fmt: skip
        answers.append(again)
        redo = {k: str(getattr(again.value, k)) for k in found}
        second = _judge(gate, context, ask, redo, keys)
        rejected += [f"retry {k}: {v}" for k, v in second.items()]
        texts |= {k: v for k, v in redo.items() if k not in second}
        found = second
    sources = {k: "llm" for k in keys}
    fallback = _fallbacks(gate, embedder, ask, [k for k in found if k not in (WHY, CHANGE)])
    primary = ask.outcomes[0]
    for key in found:
        if key == WHY:
            texts[key], sources[key] = composed.reasoning(primary, ask.persona), "composed"
        elif key == CHANGE:
            texts[key], sources[key] = composed.change_mind(primary, ask.persona), "composed"
        else:
            texts[key], sources[key] = fallback[key]
    texts = {k: fit(v, VOICE_TEXT) for k, v in texts.items()}
    return _spoken(ask, texts, sources, rejected, answers, messages)


def _spoken(
    ask: Ask,
    texts: dict[str, str],
    sources: dict[str, str],
    rejected: list[str],
    answers: list[Structured[Any]],
    messages: list[Message],
) -> Spoken:
    """The voices, and the primary one as the spec's reaction object."""
    voices = _voices(ask, texts, sources)
    lead = KEY_OF[ask.outcomes[0]]
    reaction = {
        "initial_reaction": texts[lead],
        "reasoning": texts[WHY],
        "what_would_change_mind": texts[CHANGE],
        "sample_verbatim": texts[lead],
    }
    named = {
        "initial_reaction": sources[lead],
        "reasoning": sources[WHY],
        "what_would_change_mind": sources[CHANGE],
        "sample_verbatim": sources[lead],
    }
    return Spoken(voices, reaction, named, rejected, answers, messages)


def from_data(gate: MeaningGate, embedder: Embedder, ask: Ask) -> Spoken:
    """``ask``'s voices without an LLM: for each outcome a real verbatim of the segment that
    fits it and passes the meaning gate, else a sentence composed from data; the reasoning
    and what would change the primary voice's mind, composed from data."""
    keys = _fields(ask.outcomes)
    voiced = [k for k in keys if k not in (WHY, CHANGE)]
    found = _fallbacks(gate, embedder, ask, voiced)
    primary = ask.outcomes[0]
    texts = {k: fit(found[k][0], VOICE_TEXT) for k in voiced}
    sources = {k: found[k][1] for k in voiced}
    texts[WHY], sources[WHY] = composed.reasoning(primary, ask.persona), "composed"
    texts[CHANGE], sources[CHANGE] = composed.change_mind(primary, ask.persona), "composed"
    return _spoken(ask, texts, sources, [], [], [])


def _feedback(messages: list[Message], found: dict[str, str]) -> str:
    last = messages[-1].content
    reasons = "; ".join(f"{k}: {why}" for k, why in found.items())
    return (
        f"{last}\n\nYour earlier answer could not be shown: {reasons}. Write again only: "
        f"{', '.join(found)}. Each as a customer speaking about this scenario, one or two "
        "short first-person sentences, no numbers or percentages."
    )


def _fallbacks(
    gate: MeaningGate, embedder: Embedder, ask: Ask, keys: list[str]
) -> dict[str, tuple[str, str]]:
    """For each voice key that failed twice: a real verbatim of the segment that fits its
    outcome and passes the meaning gate, else a sentence composed from data."""
    out: dict[str, tuple[str, str]] = {}
    if not keys:
        return out
    outcome_of = {KEY_OF[o]: o for o in ask.outcomes}
    query = embedder.embed([ask.scenario_text])[0] if ask.verbatims else np.zeros(1)
    used: set[str] = set()
    for key in keys:
        outcome = outcome_of[key]
        fitting = candidates(ask.verbatims, outcome, ask.scenario)
        texts = [t for t in ranked(embedder, fitting, query) if t not in used][:4]
        judged = gate.judge([Item(t, "quote", ask.scenario_text, outcome) for t in texts])
        chosen = next((t for t, j in zip(texts, judged, strict=True) if j.ok), None)
        if chosen:
            used.add(chosen)
            out[key] = (chosen, "verbatim")
        else:
            out[key] = (composed.voice(outcome, ask.persona, ask.scenario), "composed")
    return out


def _voices(ask: Ask, texts: dict[str, str], sources: dict[str, str]) -> list[Voice]:
    persona = ask.persona
    segment = str(persona.get("segment_id") or "")
    lead = str(persona.get("persona_name") or "")
    taken = {lead.split(",")[0]}
    age = _age(persona)
    out = []
    for j, outcome in enumerate(ask.outcomes):
        who = lead if j == 0 and lead else speaker(segment, outcome, age, taken=taken)
        key = KEY_OF[outcome]
        out.append(Voice(outcome, float(ask.shares[outcome]), who, texts[key], sources[key]))
    return out


def _age(persona: dict[str, Any]) -> int:
    name = str(persona.get("persona_name") or "")
    tail = name.rsplit(",", 1)[-1].strip()
    if tail.isdigit():
        return int(tail)
    found = [
        int(n)
        for n in str(persona.get("typical_age_range") or "").split("-")
        if n.strip().isdigit()
    ]
    return round(sum(found) / len(found)) if found else 40
