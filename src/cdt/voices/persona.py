"""A persona's prose through the gate (form, then meaning): retried once with the reasons fed
back, and any field that fails twice replaced by a sentence composed from the segment's data
(prose) or by one of the segment's real verbatims (quotes), each labelled with its source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cdt.llm.base import Message
from cdt.llm.client import LLMClient, Structured
from cdt.personas.identity import Identity
from cdt.personas.models import PersonaText, SampleQuotes
from cdt.scenario.describe import article
from cdt.voices.form import Context, check, fit, max_length, repeated_fields
from cdt.voices.meaning import Item, MeaningGate

PROSE = (
    "tagline",
    "background_story",
    "personality_description",
    "communication_style",
    "decision_making_style",
    "emotional_triggers",
)
QUOTES = ("satisfied", "frustrated", "considering_change")


@dataclass
class VettedPersona:
    """A persona's words as they may be shown, and each field's source."""

    text: PersonaText
    sources: dict[str, str]  # field (quotes as "sample_quotes.<mood>") -> llm|verbatim|composed
    answers: list[Structured[PersonaText]]
    rejected: list[str]


def problems(text: PersonaText, context: Context, gate: MeaningGate) -> dict[str, str]:
    """Each failing field's reason: form first, then meaning (about a customer's phone life,
    as the customer, without melodrama)."""
    found: dict[str, str] = {}
    texts = {n: getattr(text, n) for n in PROSE} | {
        f"sample_quotes.{m}": getattr(text.sample_quotes, m) for m in QUOTES
    }
    passed = {}
    for key, value in texts.items():
        verdict = check(value, context, quote=key.startswith("sample_quotes."))
        if verdict.ok:
            passed[key] = verdict.text
        else:
            found[key] = str(verdict.reason)
    judged = gate.judge([Item(v, "persona") for v in passed.values()])
    for key, judgement in zip(passed, judged, strict=True):
        if not judgement.ok:
            found[key] = str(judgement.reason)
    found |= repeated_fields({k: v for k, v in texts.items() if k not in found})
    return found


def fallbacks(
    person: Identity, data: dict[str, Any], quotes: list[dict[str, Any]]
) -> dict[str, tuple[str, str]]:
    """What replaces each field that fails twice: sentences from the segment's data, and its
    real verbatims for the quotes (most positive, most negative, and a middle one)."""
    typical = data["typical"]
    behaviour = data["behaviour"]
    arpu = float(typical.get("typical_arpu") or 0)
    plan = str(typical.get("typical_plan") or "").split(" (")[0] or "a Snowmobile plan"
    channels: dict[str, float] = behaviour.get("channel_preferences") or {}
    channel = max(channels, key=lambda c: channels[c]) if channels else "phone"
    pains = behaviour.get("pain_points") or []
    pain = _topic(str(pains[0]["topic"])) if pains else "surprises on the bill"
    lines = re.findall(r"\d+(?:\.\d+)?", str(typical.get("typical_household") or ""))
    count = round(float(lines[0])) if lines else 1
    household = "one line" if count <= 1 else f"{count} lines"
    contract = str(typical.get("typical_contract") or "").lower() or "no fixed"
    device = str(typical.get("typical_device") or "").strip()
    out = {
        "tagline": (f"{plan} customer at about ${arpu:.0f} a month", "composed"),
        "background_story": (
            f"{person.name} lives in {person.location} and has been with Snowmobile Wireless "
            f"for {typical.get('typical_tenure') or 'a while'}.",
            "composed",
        ),
        "personality_description": (
            f"Keeps {household} on a {contract} contract"
            + (f" with a {_device(device)} phone." if device else "."),
            "composed",
        ),
        "communication_style": (
            f"Gets in touch with support mostly by {CHANNEL.get(channel, channel.lower())}.",
            "composed",
        ),
        "decision_making_style": (
            f"Weighs changes against {article(f'${arpu:.0f}')} ${arpu:.0f} monthly bill.",
            "composed",
        ),
        "emotional_triggers": (f"Complains most about {pain}.", "composed"),
    }
    ranked = sorted(quotes, key=lambda q: float(q.get("sentiment") or 0))
    picks = {
        "satisfied": ranked[-1] if ranked else None,
        "frustrated": ranked[0] if ranked else None,
        "considering_change": ranked[len(ranked) // 3] if ranked else None,
    }
    for mood, pick in picks.items():
        if pick is not None:
            out[f"sample_quotes.{mood}"] = (str(pick["customer_verbatim"]), "verbatim")
        else:
            out[f"sample_quotes.{mood}"] = (
                f"I pay about ${arpu:.0f} a month on {plan}.",
                "composed",
            )
    return out


def from_data(replacements: dict[str, tuple[str, str]]) -> VettedPersona:
    """A persona's words with no LLM: every field from ``replacements`` (sentences composed
    from the segment's data, its real verbatims for the quotes), each with its source."""
    prose = {n: fit(replacements[n][0], max_length(PersonaText, n)) for n in PROSE}
    moods = {
        m: fit(replacements[f"sample_quotes.{m}"][0], max_length(SampleQuotes, m)) for m in QUOTES
    }
    sources = {n: replacements[n][1] for n in PROSE}
    sources |= {f"sample_quotes.{m}": replacements[f"sample_quotes.{m}"][1] for m in QUOTES}
    text = PersonaText.model_validate({**prose, "sample_quotes": moods})
    return VettedPersona(text, sources, [], [])


CHANNEL = {"Phone": "phone", "Chat": "chat", "App": "the app", "Store": "visiting a store",
           "Email": "email", "Social": "social media"}  # fmt: skip


def _device(device: str) -> str:
    """ "Mid-Range Apple" -> "mid-range Apple": the tier in words, the brand as it is."""
    tier, _, brand = device.partition(" ")
    return f"{tier.lower()} {brand}".strip()


COUNTABLE = ("dispute", "increase", "fee", "charge", "call", "request", "offer")


def _topic(topic: str) -> str:
    """A complaint topic as words: "Billing Dispute" -> "billing disputes", "Customer
    Service" -> "customer service"."""
    words = topic.lower()
    return words + "s" if words.endswith(COUNTABLE) else words


def feedback(found: dict[str, str]) -> str:
    return (
        "That answer cannot be shown: "
        + "; ".join(f"{k}: {v}" for k, v in found.items())
        + ". Write the same JSON again: short complete sentences about this person, quotes in "
        "the first person (I, me, my), no percentages, statistics or segment names."
    )


def vet(
    client: LLMClient,
    messages: list[Message],
    first: Structured[PersonaText],
    context: Context,
    replacements: dict[str, tuple[str, str]],
    gate: MeaningGate,
    *,
    seed: int,
) -> VettedPersona:
    """``first`` through the gate: one retry, then ``replacements`` for what fails twice."""
    answers = [first]
    text = first.value
    found = problems(text, context, gate)
    rejected = [f"{k}: {v}" for k, v in found.items()]
    if found:
        retry = [
            *messages,
            Message(role="assistant", content=first.completion.text[:3000]),
            Message(role="user", content=feedback(found)),
        ]
        again = client.structured(
            retry, PersonaText, kind="persona_retry", temperature=0.7, max_tokens=900, seed=seed + 7
        )
        answers.append(again)
        second = problems(again.value, context, gate)
        rejected += [f"retry {k}: {v}" for k, v in second.items()]
        if len(second) <= len(found):  # the better answer is kept, whole
            text, found = again.value, second
    sources: dict[str, str] = {name: "llm" for name in PROSE}
    sources |= {f"sample_quotes.{mood}": "llm" for mood in QUOTES}
    prose: dict[str, Any] = {}
    moods = text.sample_quotes.model_dump()
    for name in PROSE:
        verdict = check(getattr(text, name), context)
        prose[name] = verdict.text if verdict.ok else getattr(text, name)
    for mood in QUOTES:
        verdict = check(moods[mood], context, quote=True)
        moods[mood] = verdict.text if verdict.ok else moods[mood]
    for key in found:
        value, source = replacements[key]
        sources[key] = source
        if key.startswith("sample_quotes."):
            mood = key.split(".", 1)[1]
            moods[mood] = fit(value, max_length(SampleQuotes, mood))
        else:
            prose[key] = fit(value, max_length(PersonaText, key))
    vetted = PersonaText.model_validate({**prose, "sample_quotes": moods})
    return VettedPersona(vetted, sources, answers, rejected)
