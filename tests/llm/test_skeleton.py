"""Skeleton filling: which schemas it takes, and the JSON it writes from sampled values.

The sampler here is scripted (a test fake for the model); the real model fills skeletons in
tests/llm/test_llm_local.py."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from cdt.llm.skeleton import BOOLEAN, ENUM, INTEGER, NUMBER, STRING, fill, plan
from cdt.personas.models import PersonaText, RateGuess, Reaction
from cdt.voices.form import max_length


class Scripted:
    """Answers each leaf with the next scripted text; records what it was asked."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self, prompt: str, max_tokens: int, stop: list[str], grammar: str | None, step: int
    ) -> tuple[str, int]:
        self.calls.append(
            {"prompt": prompt, "max_tokens": max_tokens, "stop": stop, "grammar": grammar}
        )
        text = self.answers.pop(0)
        return text, max(1, len(text) // 4)


def test_plan_reads_flat_nested_and_enum_schemas() -> None:
    leaves = plan(Reaction.model_json_schema())
    assert leaves is not None
    kinds = {leaf.path[-1]: leaf.kind for leaf in leaves}
    assert kinds["initial_reaction"] == STRING and kinds["likely_action"] == ENUM
    assert kinds["sentiment_score"] == NUMBER
    action = next(leaf for leaf in leaves if leaf.kind == ENUM)
    assert "THREATEN_CHURN" in action.choices and '"THREATEN_CHURN"' in str(action.grammar())
    nested = plan(PersonaText.model_json_schema())
    assert nested is not None
    assert ("sample_quotes", "frustrated") in [leaf.path for leaf in nested]
    assert [leaf.kind for leaf in plan(RateGuess.model_json_schema()) or []] == [NUMBER] * 3


def test_plan_declines_what_it_cannot_fill() -> None:
    class Listy(BaseModel):
        tags: list[str]

    class Optional_(BaseModel):
        note: str | None = None

    class Flags(BaseModel):
        ok: bool
        count: int

    assert plan(Listy.model_json_schema()) is None
    assert plan(Optional_.model_json_schema()) is None
    assert plan({"type": "string"}) is None
    assert [leaf.kind for leaf in plan(Flags.model_json_schema()) or []] == [BOOLEAN, INTEGER]


def test_fill_writes_the_keys_and_samples_only_values() -> None:
    sampler = Scripted(
        [
            'Not again, "seriously"',
            "-0.6",
            '"COMPLAIN"',
            "0.7",
            "Bills keep rising",
            "A loyalty discount",
            "Why do I pay more every year?",
        ]
    )
    text, sampled = fill("PROMPT", plan(Reaction.model_json_schema()) or [], sampler)
    reaction = Reaction.model_validate_json(text)
    assert reaction.likely_action == "COMPLAIN" and reaction.sentiment_score == -0.6
    assert reaction.initial_reaction == 'Not again, "seriously"'  # quotes kept, JSON-escaped
    assert sampled > 0
    first, second, third = sampler.calls[:3]
    assert first["prompt"] == 'PROMPT{"initial_reaction": "' and first["grammar"] is None
    assert first["stop"] == ['"', "\n"]
    # Each later prompt extends the previous one (llama.cpp reuses the cached prefix).
    assert second["prompt"].startswith(first["prompt"]) and second["grammar"] is None
    assert third["prompt"].endswith('"likely_action": ') and third["grammar"] is not None
    assert first["max_tokens"] < 64  # a string's budget follows its maxLength


def test_fill_cuts_long_strings_and_nests_objects() -> None:
    answers = ["x" * 300] * 6 + ["ok", "fine", "leaving"]
    text, _ = fill("", plan(PersonaText.model_json_schema()) or [], Scripted(answers))
    value = json.loads(text)
    assert len(value["tagline"]) == max_length(PersonaText, "tagline") < 300
    assert value["sample_quotes"] == {
        "satisfied": "ok",
        "frustrated": "fine",
        "considering_change": "leaving",
    }
    PersonaText.model_validate(value)


def test_an_invalid_free_answer_is_sampled_again_under_a_grammar() -> None:
    class Score(BaseModel):
        value: float = Field(ge=-1, le=1)
        action: str = Field(json_schema_extra={"enum": ["ACCEPT", "CHURN"]})

    sampler = Scripted(["lots", "0.5", '"CHURN"'])
    text, _ = fill("", plan(Score.model_json_schema()) or [], sampler)
    assert json.loads(text) == {"value": 0.5, "action": "CHURN"}
    assert [c["grammar"] is not None for c in sampler.calls] == [False, True, True]
    assert sampler.calls[1]["prompt"] == '{"value": '  # the rejected text is not kept


def test_text_a_grammar_should_have_ruled_out_still_fails_validation() -> None:
    class Score(BaseModel):
        value: float = Field(ge=-1, le=1)

    text, _ = fill("", plan(Score.model_json_schema()) or [], Scripted(["lots", "lots"]))
    assert json.loads(text) == {"value": "lots"}
