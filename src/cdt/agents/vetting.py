"""A persona's reaction through the quality gate: retried once with the reasons fed back, and
any text that fails twice replaced by the segment's most similar real verbatim (the quote)
or by a sentence composed from the segment's data, each labelled with its source."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from cdt.agents.prompts import EXAMPLES
from cdt.llm.base import Message
from cdt.llm.client import LLMClient, Structured
from cdt.personas.models import Reaction
from cdt.words.gate import (
    Context,
    age_range,
    check,
    contradiction,
    fit,
    max_length,
    repeated_fields,
)

TEXTS = ("initial_reaction", "reasoning", "what_would_change_mind", "sample_verbatim")


@dataclass
class Vetted:
    """A reaction as it may be shown, and where each of its texts came from."""

    reaction: Reaction
    sources: dict[str, str]  # field -> llm | verbatim | composed
    sentiment: float | None  # None when it contradicted the action twice
    answers: list[Structured[Reaction]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # the reasons, first try and retry

    @property
    def retried(self) -> bool:
        return len(self.answers) > 1


def reaction_context(persona: dict[str, Any], shown: str, messages: list[Message]) -> Context:
    """What a reaction of ``persona`` to the scenario text ``shown`` must not echo or
    contradict."""
    return Context(
        segment_name=str(persona["segment_name"]),
        sources=(shown, *(m.content for m in messages)),
        extra_terms=("Hot buttons", "Customers like you"),
        field_names=tuple(Reaction.model_fields),
        age=age_range(persona.get("typical_age_range")),
    )


def problems(reaction: Reaction, context: Context) -> tuple[dict[str, str], str | None]:
    """Each text field's rejection reason, and the sentiment's, if any."""
    found = {}
    for name in TEXTS:
        verdict = check(getattr(reaction, name), context, quote=name == "sample_verbatim")
        if not verdict.ok:
            found[name] = str(verdict.reason)
    found |= repeated_fields({n: getattr(reaction, n) for n in TEXTS if n not in found})
    return found, contradiction(reaction.likely_action, reaction.sentiment_score) or copied(
        reaction
    )


def copied(reaction: Reaction) -> str | None:
    """Why the reaction's numbers are not its own: a small model copies a worked example's
    sentiment and probability whatever the scenario."""
    for _, example in EXAMPLES:
        if (reaction.sentiment_score, reaction.action_probability) == (
            example["sentiment_score"],
            example["action_probability"],
        ):
            return (
                "its sentiment_score and action_probability are copied from the worked "
                "example, not this customer's"
            )
    return None


def _trimmed(reaction: Reaction, context: Context) -> Reaction:
    """``reaction`` with texts cut off mid-sentence trimmed to their last full sentence."""
    updates = {}
    for name in TEXTS:
        verdict = check(getattr(reaction, name), context, quote=name == "sample_verbatim")
        if verdict.ok and verdict.text != getattr(reaction, name):
            updates[name] = verdict.text
    return reaction.model_copy(update=updates)


NUMBERS = ("sentiment_score", "likely_action", "action_probability")


def feedback(found: dict[str, str], sentiment: str | None) -> str:
    reasons = [f"{name}: {why}" for name, why in found.items()]
    if sentiment:
        reasons.append(f"sentiment_score: {sentiment}")
    wanted = ", ".join(retried_fields(found, sentiment))
    return (
        "Your earlier answer to this could not be shown in part: "
        + "; ".join(reasons)
        + f". Write again, as this customer, only: {wanted}. Short complete sentences that say "
        "something the other fields do not, in the first person (I, me, my), no percentages "
        "or statistics"
        + (", and a sentiment_score that fits your likely_action." if sentiment else ".")
    )


def _with_feedback(messages: list[Message], found: dict[str, str], sentiment: str | None) -> str:
    last = messages[-1].content if messages and messages[-1].role == "user" else ""
    return f"{last}\n\n{feedback(found, sentiment)}".strip()


def retried_fields(found: dict[str, str], sentiment: str | None) -> tuple[str, ...]:
    """What the retry asks for: the texts that failed, and the numbers when they did."""
    return tuple(n for n in Reaction.model_fields if n in found or (sentiment and n in NUMBERS))


@cache
def partial(fields: tuple[str, ...]) -> type[BaseModel]:
    """``Reaction`` cut to ``fields``, with the same bounds: a small model rewrites one or two
    fields far better than it rewrites the whole answer. Other keys are ignored."""
    chosen: dict[str, Any] = {
        name: (info.annotation, info) for name, info in Reaction.model_fields.items()
        if name in fields
    }  # fmt: skip
    model: type[BaseModel] = create_model(
        "ReactionRetry", __config__=ConfigDict(extra="ignore"), **chosen
    )
    return model


def vet(
    client: LLMClient,
    messages: list[Message],
    first: Structured[Reaction],
    context: Context,
    fallbacks: dict[str, tuple[str, str]],
    *,
    seed: int,
) -> Vetted:
    """``first`` through the gate: one retry with the reasons, then ``fallbacks`` (field ->
    (text, source)) for the texts that failed twice."""
    answers = [first]
    found, sentiment_issue = problems(first.value, context)
    rejected = [f"{k}: {v}" for k, v in found.items()] + (
        [sentiment_issue] if sentiment_issue else []
    )
    reaction = first.value
    if found or sentiment_issue:
        # The first answer is not shown back: a small model shown its own texts copies them
        # into the field it rewrites. The reasons are.
        asking = _with_feedback(messages, found, sentiment_issue)
        retry = [*messages[:-1], Message(role="user", content=asking)]
        asked = partial(retried_fields(found, sentiment_issue))
        again = client.structured(
            retry, asked, kind="reaction_retry", temperature=0.5, max_tokens=400, seed=seed + 7
        )
        answers.append(again)  # type: ignore[arg-type]
        merged = first.value.model_copy(update=again.value.model_dump())
        second, second_sentiment = problems(merged, context)
        rejected += [f"retry {k}: {v}" for k, v in second.items()]
        if second_sentiment:
            rejected.append(f"retry {second_sentiment}")
        # The answer with fewer failures is shown (the retry can be worse than the first
        # try); its failing texts are replaced below. One answer, so its texts agree.
        if len(second) + bool(second_sentiment) <= len(found) + bool(sentiment_issue):
            reaction, found, sentiment_issue = merged, second, second_sentiment
    reaction = _trimmed(reaction, context)
    sources = {name: "llm" for name in TEXTS}
    updates = {}
    for name in found:
        text, source = fallbacks[name]
        updates[name] = fit(text, max_length(Reaction, name, 90))
        sources[name] = source
    reaction = reaction.model_copy(update=updates)
    sentiment = None if sentiment_issue else reaction.sentiment_score
    sources["sentiment_score"] = "withheld" if sentiment is None else "llm"
    return Vetted(reaction, sources, sentiment, answers, rejected)


def composed(persona: dict[str, Any], verbatim: str | None) -> dict[str, tuple[str, str]]:
    """What replaces each text that fails twice: the segment's most similar real verbatim for
    the quote, else sentences composed from the segment's data."""
    arpu = float(persona.get("typical_arpu") or persona.get("avg_arpu") or 0)
    plan = str(persona.get("typical_plan") or "my plan").split(" (")[0]
    tenure = str(persona.get("typical_tenure") or "").strip()
    with_us = f" and have been with Snowmobile for {tenure}" if tenure else ""
    quote = (
        (verbatim, "verbatim")
        if verbatim
        else (
            f"I pay about ${arpu:.0f} a month on {plan}, so I look hard at any change.",
            "composed",
        )
    )
    return {
        "initial_reaction": (
            f"I would weigh this against the ${arpu:.0f} I pay each month.",
            "composed",
        ),
        "reasoning": (f"I am on {plan} at about ${arpu:.0f} a month{with_us}.", "composed"),
        "what_would_change_mind": (f"Keeping my bill near ${arpu:.0f} a month.", "composed"),
        "sample_verbatim": quote,
    }
