"""The LLM's own numbers for a campaign, asked in a persona's name: the backtest's LLM
reference (never used for a simulation's numbers)."""

from __future__ import annotations

from typing import Any

from cdt.agents.prompts import rates_messages
from cdt.llm.client import LLMClient
from cdt.personas.models import RateGuess


def guess_rates(
    client: LLMClient, persona: dict[str, Any], campaign: dict[str, Any], seed: int = 42
) -> dict[str, float]:
    """The LLM's own response, conversion and churn rates for a campaign (fractions), asked
    in the persona's name: the backtest's LLM reference."""
    answer = client.structured(
        rates_messages(persona, campaign),
        RateGuess,
        kind="rates",
        temperature=0.2,
        max_tokens=60,
        seed=seed,
    ).value
    return {
        "response_rate": answer.respond_per_100 / 100,
        "conversion_rate": answer.take_offer_per_100 / 100,
        "churn_rate": answer.leave_per_100 / 100,
    }
