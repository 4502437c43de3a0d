"""What the LLM writes, as pydantic models: the JSON schema it must follow and the check its
answer must pass. String lengths are bounded so small local models cannot ramble forever."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ACTIONS = ("ACCEPT", "IGNORE", "COMPLAIN", "THREATEN_CHURN", "CHURN", "UPGRADE", "DOWNGRADE")
Action = Literal["ACCEPT", "IGNORE", "COMPLAIN", "THREATEN_CHURN", "CHURN", "UPGRADE", "DOWNGRADE"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


PERSONA_TEXT = 140


class SampleQuotes(_Strict):
    satisfied: str = Field(min_length=1, max_length=PERSONA_TEXT)
    frustrated: str = Field(min_length=1, max_length=PERSONA_TEXT)
    considering_change: str = Field(min_length=1, max_length=PERSONA_TEXT)


class PersonaText(_Strict):
    """The words of a persona (spec §4.2). Its identity (name, age, place, plan) and every
    number about the segment come from data (``personas.identity``), so the LLM is asked only
    for prose; a name or place it volunteers anyway is ignored."""

    model_config = ConfigDict(extra="ignore")

    tagline: str = Field(min_length=1, max_length=PERSONA_TEXT)
    background_story: str = Field(min_length=1, max_length=2 * PERSONA_TEXT)
    personality_description: str = Field(min_length=1, max_length=PERSONA_TEXT)
    communication_style: str = Field(min_length=1, max_length=PERSONA_TEXT)
    decision_making_style: str = Field(min_length=1, max_length=PERSONA_TEXT)
    emotional_triggers: str = Field(min_length=1, max_length=PERSONA_TEXT)
    sample_quotes: SampleQuotes


# Room for a small model's sentence to end inside the budget (the gate trims what runs past
# its last full sentence): at 70-90 characters SmolLM2 was cut off mid-sentence in most
# answers, at 140 far less often (benchmarks/prompts.py).
REACTION_TEXT = 140


class Reaction(_Strict):
    """A persona's in-character reaction (spec §4.3). Its probability is the LLM's own and is
    shown, never used for the headline numbers."""

    initial_reaction: str = Field(min_length=1, max_length=REACTION_TEXT)
    sentiment_score: float
    likely_action: Action
    action_probability: float
    reasoning: str = Field(min_length=1, max_length=REACTION_TEXT)
    what_would_change_mind: str = Field(min_length=1, max_length=REACTION_TEXT)
    sample_verbatim: str = Field(min_length=1, max_length=REACTION_TEXT)

    @field_validator("sentiment_score", mode="after")
    @classmethod
    def _sentiment_range(cls, value: float) -> float:
        # Grammars cannot bound floats; out-of-range values are clipped to the scale's ends.
        return max(-1.0, min(1.0, value))

    @field_validator("action_probability", mode="after")
    @classmethod
    def _probability_range(cls, value: float) -> float:
        return max(0.0, min(1.0, value))


class RateGuess(_Strict):
    """The LLM's own numbers for a campaign: of 100 customers like the persona, how many
    respond at all, take the offer, and leave. Used only as a backtest reference."""

    respond_per_100: float
    take_offer_per_100: float
    leave_per_100: float

    @field_validator("respond_per_100", "take_offer_per_100", "leave_per_100", mode="after")
    @classmethod
    def _count_range(cls, value: float) -> float:
        return max(0.0, min(100.0, value))
