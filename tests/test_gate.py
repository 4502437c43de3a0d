"""The quality gate, one test per rejection reason, and the retry-then-fallback path."""

from __future__ import annotations

import json

import pytest

from cdt import api
from cdt.agents.vetting import TEXTS, composed, vet
from cdt.config import Settings
from cdt.llm.client import LLMClient
from cdt.personas.models import Reaction
from cdt.personas.vetting import PROSE
from cdt.words.gate import Context, age_range, check, contradiction, repeated_fields, trim
from tests.fakes import ScriptedLLM

SEGMENT = Context(
    segment_name="Low-Spend Budget-Plan",
    sources=("Snowmobile Wireless raises the price of the Powder plan by $5 per month.",),
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("First Last, Age", "placeholder"),
        ("I live in City, State.", "placeholder"),
        ("Well… I guess.", "placeholder"),
        ("42% of customers like me would stay.", "statistic"),
        ("About 12 in 100 people like me would complain.", "count out of 100"),
        ("Only 3 out of every 100 of us leave.", "count out of 100"),
        ("My avg_arpu is fine.", "data column"),
        ("As a Low-Spend Budget-Plan customer I object.", "names the segment"),
        ("Snowmobile Wireless raises the price of the Powder plan. Fine.", "copies the prompt"),
        ("I'm not sure but I'm not sure but I'm not sure but I'm", "repeats itself"),
        ("SpecterSpecter is here.", "repeats itself"),
        ("I'm going to make sure you don't have to", "cut off"),
        ("", "empty"),
    ],
)
def test_each_rejection_reason(text: str, reason: str) -> None:
    verdict = check(text, SEGMENT)
    assert not verdict.ok and reason in str(verdict.reason)


def test_a_quote_must_be_in_the_first_person() -> None:
    assert "first person" in str(check("That is too much money.", SEGMENT, quote=True).reason)
    assert check("That is too much for me.", SEGMENT, quote=True).ok


def test_text_cut_off_after_a_sentence_is_trimmed() -> None:
    assert trim("I will stay. But if they raise it again I") == "I will stay."
    verdict = check("I will stay. But if they raise it again I", SEGMENT)
    assert verdict.ok and verdict.text == "I will stay."
    assert check("Every dollar counts", SEGMENT).ok  # a tagline, not a cut-off sentence
    assert not check("Short and plain, because I", SEGMENT).ok


def test_an_age_that_contradicts_the_data_is_rejected() -> None:
    sixties = Context(age=age_range("60-69"))
    assert "age (14)" in str(check("I'm a 14-year-old boy who loves cool stuff.", sixties).reason)
    assert check("I'm a 64-year-old retiree.", sixties).ok
    assert check("My 14-year-old son wants a phone.", Context(age=age_range(14))).ok
    assert age_range(42) == (42, 42) and age_range("40-49") == (40, 49) and age_range("") is None


def test_listing_the_answers_field_names_is_rejected() -> None:
    fields = Context(field_names=("satisfied", "frustrated", "considering_change"))
    verdict = check("Satisfied, frustrated, considering change", fields)
    assert "field names" in str(verdict.reason)
    assert check("I was frustrated when my bill went up.", fields).ok


def test_a_field_that_repeats_another_is_rejected() -> None:
    texts = {
        "personality_description": "I'm a customer who loves the freedom to make decisions.",
        "communication_style": "I'm a customer who loves the freedom to make decisions.",
        "decision_making_style": "I compare prices before I change anything.",
        "sample_quotes.satisfied": "A customer who loves the freedom to make decisions, I am.",
    }
    assert repeated_fields(texts) == {
        "communication_style": "it repeats personality_description",
        "sample_quotes.satisfied": "it repeats personality_description",
    }
    assert not repeated_fields({"a": "Fine.", "b": "Fine."})  # too short to call a repeat


def test_sentiment_must_fit_the_action() -> None:
    assert contradiction("COMPLAIN", 0.9)
    assert contradiction("ACCEPT", -0.8)
    assert contradiction("COMPLAIN", -0.6) is None and contradiction("IGNORE", 0.9) is None


def _reaction(**changes: object) -> str:
    base = {
        "initial_reaction": "Five more dollars is a lot for me.",
        "sentiment_score": -0.6,
        "likely_action": "COMPLAIN",
        "action_probability": 0.4,
        "reasoning": "My budget is tight every month.",
        "what_would_change_mind": "Something extra in return.",
        "sample_verbatim": "Why is my bill going up again?",
    }
    return json.dumps({**base, **changes})


PERSONA = {
    "segment_name": "Low-Spend Budget-Plan",
    "typical_arpu": 42.0,
    "typical_plan": "Powder (60%)",
    "typical_tenure": "30 months",
}


def _vet(*answers: str, verbatim: str | None = "My bill went up and nobody told me.") -> object:
    client = LLMClient(ScriptedLLM(list(answers)))
    first = client.structured([], Reaction)
    return vet(client, [], first, SEGMENT, composed(PERSONA, verbatim), seed=1)


def test_a_good_answer_is_kept_and_labelled_llm() -> None:
    vetted = _vet(_reaction())
    assert not vetted.retried and set(vetted.sources.values()) == {"llm"}
    assert vetted.sentiment == -0.6


def test_a_rejected_text_is_retried_once_with_the_reason() -> None:
    llm = ScriptedLLM([_reaction(sample_verbatim="First Last, Age"), _reaction()])
    client = LLMClient(llm)
    first = client.structured([], Reaction)
    vetted = vet(client, [], first, SEGMENT, composed(PERSONA, None), seed=1)
    assert vetted.retried and vetted.sources["sample_verbatim"] == "llm"
    assert "placeholder" in llm.requests[-1].messages[-1].content
    assert vetted.reaction.sample_verbatim == "Why is my bill going up again?"


def test_texts_that_fail_twice_are_replaced_and_labelled() -> None:
    bad = _reaction(sample_verbatim="42% of customers object", reasoning="SpecterSpecter yes.")
    vetted = _vet(bad, bad)
    assert vetted.sources["sample_verbatim"] == "verbatim"
    assert vetted.reaction.sample_verbatim == "My bill went up and nobody told me."
    assert vetted.sources["reasoning"] == "composed" and "$42" in vetted.reaction.reasoning
    without = _vet(bad, bad, verbatim=None)
    assert without.sources["sample_verbatim"] == "composed"
    assert check(without.reaction.sample_verbatim, SEGMENT, quote=True).ok


def test_the_retry_rewrites_only_what_failed() -> None:
    first = _reaction(sample_verbatim="First Last, Age")
    # The retry asks for the quote alone; anything else it says is not taken.
    answer = _reaction(reasoning="42% agree.", sample_verbatim="I'm paying more for less now.")
    llm = ScriptedLLM([first, answer])
    client = LLMClient(llm)
    vetted = vet(client, [], client.structured([], Reaction), SEGMENT, composed(PERSONA, None),
                 seed=1)  # fmt: skip
    assert set(llm.requests[-1].json_schema["properties"]) == {"sample_verbatim"}  # type: ignore[index]
    assert vetted.retried and vetted.reaction.reasoning == "My budget is tight every month."
    assert vetted.reaction.sample_verbatim == "I'm paying more for less now."
    assert set(vetted.sources.values()) == {"llm"}
    # A quote that fails again is replaced; the first try's good fields stay.
    vetted = _vet(first, _reaction(sample_verbatim="42% agree."))
    assert vetted.sources["sample_verbatim"] == "verbatim" and vetted.sources["reasoning"] == "llm"


def test_a_sentiment_retry_asks_for_the_numbers_too() -> None:
    llm = ScriptedLLM([_reaction(sentiment_score=0.9)])
    client = LLMClient(llm)
    vet(client, [], client.structured([], Reaction), SEGMENT, composed(PERSONA, None), seed=1)
    asked = set(llm.requests[-1].json_schema["properties"])  # type: ignore[index]
    assert asked == {"sentiment_score", "likely_action", "action_probability"}


def test_a_sentiment_that_contradicts_its_action_twice_is_withheld() -> None:
    vetted = _vet(_reaction(sentiment_score=0.9), _reaction(sentiment_score=0.8))
    assert vetted.sentiment is None and vetted.sources["sentiment_score"] == "withheld"


def _shown_texts_pass(texts: dict[str, str], sources: dict[str, str], segment: str) -> None:
    context = Context(segment_name=segment)
    for name, text in texts.items():
        source = sources.get(name, "llm")
        assert source in ("llm", "verbatim", "composed"), (name, source)
        if source == "llm":
            verdict = check(text, context, quote=name.startswith("sample_"))
            assert verdict.ok and verdict.text == text, (name, text, verdict.reason)


def test_personas_from_the_real_model_show_no_text_that_fails_the_gate(
    persona_twin: Settings,
) -> None:
    for persona in api.personas(persona_twin):
        texts = {name: str(persona[name]) for name in PROSE if name in persona}
        texts |= {f"sample_quotes.{k}": v for k, v in persona["sample_quotes"].items()}
        _shown_texts_pass(texts, persona["text_sources"], persona["segment_name"])
        assert persona["text_sources"], "every persona text carries its source"


def test_a_simulation_with_the_real_model_shows_no_text_that_fails_the_gate(
    persona_twin: Settings,
) -> None:
    result = api.simulate(persona_twin, api.parse_scenario("price increase $5 on Powder"))
    for row in result.segments:
        if row["status"] != "ok":
            continue
        reaction = row["reaction"]
        sources = row["text_sources"]
        texts = {name: str(reaction[name]) for name in TEXTS}
        _shown_texts_pass(texts, sources, row["segment_name"])
        assert row["quote"] == reaction["sample_verbatim"]
        assert row["quote_source"] == sources["sample_verbatim"]
        if row["sentiment_score"] is not None:
            assert contradiction(row["likely_action"], row["sentiment_score"]) is None
