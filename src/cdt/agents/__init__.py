"""`cdt simulate` and `cdt ask`: how segments react to a scenario (spec §4.3–4.4).

Per segment, the persona (words, from the LLM) reacts in character to the scenario with its
most similar historical reactions in view; the shares, churners and revenue at risk, with 90%
intervals, come from the response model fitted on campaign outcomes (``cdt.calibrate``). The
LLM's own numbers are kept and shown, and blended in only at the weight the backtest earned
them. A simulation is written in one transaction: the HISTORY row, one result per segment and
one log per LLM call, or nothing at all.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from statistics import mean
from typing import Any

import numpy as np

from cdt.agents import grounding
from cdt.agents.aggregate import aggregate
from cdt.agents.plan import plan_simulation
from cdt.agents.prompts import ask_messages
from cdt.agents.result import SimulationResult
from cdt.agents.store import store
from cdt.agents.vetting import Vetted, composed, reaction_context, vet
from cdt.backends.base import Backend
from cdt.calibrate import Prediction, latest_model
from cdt.calibrate import backtest as backtests
from cdt.calibrate.logit import OUTCOMES
from cdt.errors import ConfigError, LLMError, NotBuiltError
from cdt.llm.base import Request
from cdt.llm.client import LLMClient, run_many
from cdt.llm.embed import Embedder
from cdt.personas import latest_personas
from cdt.personas.history import retrieve
from cdt.personas.models import Reaction
from cdt.progress import NullProgress, Progress
from cdt.scenario import Scenario
from cdt.scenario.describe import prompt_text
from cdt.state import last_fingerprint
from cdt.words import verbatims

HISTORY_K = 3


def select_personas(backend: Backend, segments: list[str] | None) -> list[dict[str, Any]]:
    """The latest persona of each (or each named) segment.

    Raises:
        NotBuiltError: no personas yet.  ConfigError: an unknown segment.
    """
    personas = latest_personas(backend)
    if not personas:
        raise NotBuiltError(
            "there are no personas yet", fix="run `cdt personas generate` (or `cdt build`) first"
        )
    if not segments:
        return personas
    wanted = {s.upper() for s in segments}
    known = {str(p["segment_id"]) for p in personas}
    if wanted - known:
        raise ConfigError(
            f"unknown segment(s): {', '.join(sorted(wanted - known))}",
            fix=f"choose from {', '.join(sorted(known))}",
        )
    return [p for p in personas if p["segment_id"] in wanted]


def react(
    client: LLMClient,
    persona: dict[str, Any],
    history: list[dict[str, Any]],
    scenario: Scenario,
    seed: int = 42,
    verbatim: str | None = None,
    expected: dict[str, float] | None = None,
) -> tuple[Vetted, str]:
    """One persona's in-character reaction to ``scenario`` with ``history`` (and the response
    model's ``expected`` shares, when there are some) in view, through the quality gate (one
    retry, then ``verbatim`` or data for what fails twice), and the hash of the prompt it was
    given."""
    shown = prompt_text(scenario)
    messages = ask_messages(persona, history, shown, expected)
    answer = client.structured(
        messages, Reaction, kind="reaction", temperature=0.4, max_tokens=400, seed=seed
    )
    context = reaction_context(persona, shown, messages)
    vetted = vet(client, messages, answer, context, composed(persona, verbatim), seed=seed)
    return vetted, Request(messages=tuple(messages)).prompt_hash()


def gather_history(
    backend: Backend, embedder: Embedder, personas: list[dict[str, Any]], scenario: Scenario
) -> dict[str, tuple[list[dict[str, Any]], str, str | None]]:
    """For each persona's segment: the HISTORY_K most similar past reactions, how they were
    found, and the segment's real verbatim closest to the scenario (the quote's fallback).

    Done before any LLM call, on one thread: database connections are not shared by the
    LLM pool."""
    query = embedder.embed([prompt_text(scenario)])[0]
    ids = [str(p["segment_id"]) for p in personas]
    nearest = verbatims.closest(backend, embedder, ids, query)
    return {
        segment: (*retrieve(backend, embedder, segment, query, HISTORY_K), nearest[segment])
        for segment in ids
    }


def simulate(
    backend: Backend,
    client: LLMClient,
    embedder: Embedder,
    scenario: Scenario,
    *,
    segments: list[str] | None = None,
    seed: int = 42,
    samples: int = 1,
    deadline: float | None = None,
    on_segment: Callable[[dict[str, Any]], None] | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """React every (or every named) segment to ``scenario`` and aggregate, weighted by size.

    Only the customers the scenario's targeting reaches count; a segment none of whose
    customers it reaches is reported as unaffected, without an LLM call. The numbers come
    from the response model when the history has comparable campaigns, and are left out
    (words only) when it has none. With ``samples`` > 1 each persona reacts that many times
    (different seeds); the spread of its answers becomes the sentiment's interval and, when
    the LLM carries weight, part of the numbers' intervals. A segment whose LLM call fails is
    reported with its words unavailable and its numbers kept; ``deadline`` (seconds) bounds
    all the LLM calls together. Nothing is written unless the whole simulation finished.

    Raises:
        NotBuiltError: no personas or no response model yet.  ConfigError: bad segments or
        samples.
    """
    if not 1 <= samples <= 20:
        raise ConfigError(f"samples must be 1-20, got {samples}", fix="use --samples 1 to 20")
    progress = progress or NullProgress()
    started = datetime.now(UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    personas = select_personas(backend, segments)
    model = latest_model(backend)
    tested = backtests.latest(backend)
    weight = tested.llm_weight if tested else 0.0
    plan = plan_simulation(backend, model, scenario)
    predictions = plan.predictions
    reached = {r["segment_id"]: r["affected"] for r in plan.counts}
    affected = [p for p in personas if reached.get(str(p["segment_id"]), 0) > 0]
    retrieved = gather_history(backend, embedder, affected, scenario)

    def job(persona: dict[str, Any]) -> Callable[[], dict[str, Any]]:
        def run() -> dict[str, Any]:
            history, how, verbatim = retrieved[str(persona["segment_id"])]
            predicted = predictions.get(str(persona["segment_id"]))
            expected = predicted.shares if predicted and plan.grounding.grounded else None
            answers = [
                react(client, persona, history, scenario, seed + i, verbatim, expected)
                for i in range(samples)
            ]
            row = _segment_row(
                persona,
                answers,
                history,
                how,
                predictions.get(str(persona["segment_id"])),
                weight,
                plan.grounding,
            )
            if on_segment:
                on_segment(row)
            return row

        return run

    outcomes = run_many(
        [job(p) for p in affected],
        parallel=client.parallel,
        timeout=deadline,
        progress=progress,
        task="simulate",
    )
    by_segment = dict(zip([str(p["segment_id"]) for p in affected], outcomes, strict=True))
    rows = []
    for persona in personas:
        outcome = by_segment.get(str(persona["segment_id"]))
        if outcome is None:
            rows.append(_unaffected_row(persona))
            if on_segment:
                on_segment(rows[-1])
        elif isinstance(outcome, LLMError):
            failed = _failed_row(
                persona, outcome, predictions.get(str(persona["segment_id"])), plan.grounding
            )
            if on_segment:
                on_segment(failed)
            rows.append(failed)
        else:
            rows.append(outcome)
    overall, recommendation = aggregate(rows, scenario, predictions, plan.grounding)
    overall["llm_weight"] = weight
    overall["backtested_error"] = tested.headline() if tested else None
    overall["grounding"] = plan.grounding.to_dict()
    overall["numbers_basis"] = (
        f"response model {model.model_id[:8]} fitted on {model.n_responses:,} campaign "
        f"responses, read as '{plan.grounding.inputs.campaign_type}' campaigns"
        if plan.grounding.inputs
        else plan.grounding.reason
    )
    result = SimulationResult(
        str(uuid.uuid4()),
        {**scenario.to_dict(), "warnings": plan.warnings},
        rows,
        overall,
        recommendation,
        {
            "backend": backend.dialect,
            "provider": client.llm.provider,
            "model_id": client.llm.model_id,
            "data_snapshot_id": last_fingerprint(backend, "load"),
            "persona_versions": {p["segment_id"]: p["version"] for p in personas},
            "response_model_id": model.model_id,
            "backtest_id": tested.backtest_id if tested else None,
            "samples": samples,
            "seconds": round(time.perf_counter() - clock, 2),
        },
    )
    store(backend, result, started)
    return result


def _segment_row(
    persona: dict[str, Any],
    answers: list[tuple[Vetted, str]],
    history: list[dict[str, Any]],
    how: str,
    prediction: Prediction | None,
    weight: float,
    grounded: grounding.Grounding,
) -> dict[str, Any]:
    vetted = [v for v, _ in answers]
    reactions = [v.reaction for v in vetted]
    first, prompt_hash = answers[0]
    reaction = first.reaction
    sentiments = [v.sentiment for v in vetted if v.sentiment is not None]
    sentiment = mean(sentiments) if sentiments else None
    calls = [a for v in vetted for a in v.answers]
    # A reaction whose sentiment was withheld (it contradicted its action, or copied the
    # example's numbers) does not speak for the segment's numbers either.
    trusted = [v.reaction for v in vetted if v.sentiment is not None]
    numbers = _figures(prediction, trusted, weight, grounded)
    return {
        **_persona_fields(persona),
        "status": "ok",
        "sentiment_score": None if sentiment is None else round(sentiment, 3),
        "sentiment_interval": [round(min(sentiments), 3), round(max(sentiments), 3)]
        if sentiments
        else None,
        "likely_action": reaction.likely_action,
        "action_probability": reaction.action_probability,
        "llm_stated": [
            {"likely_action": r.likely_action, "action_probability": r.action_probability}
            for r in reactions
        ],
        "weighted_impact": None
        if sentiment is None
        else sentiment * float(persona["pct_of_base"]) / 100,
        **numbers,
        "reaction": reaction.model_dump(),
        "quote": reaction.sample_verbatim,
        "quote_source": first.sources["sample_verbatim"],
        "text_sources": first.sources,
        "gate": {"retried": any(v.retried for v in vetted), "rejected": first.rejected},
        "retrieval": how,
        "history_used": [h["reaction_summary"] for h in history],
        "prompt_hash": prompt_hash,
        "llm": {
            "tokens": sum(a.completion.completion_tokens or 0 for a in calls),
            "latency_ms": round(sum(a.completion.latency_ms for a in calls), 1),
            "cached": all(a.completion.cached for a in calls),
            "samples": len(answers),
        },
    }


def _figures(
    prediction: Prediction | None,
    reactions: list[Reaction],
    weight: float,
    grounded: grounding.Grounding,
) -> dict[str, Any]:
    """A segment's figures, or why it has none (no comparable history)."""
    if not grounded.grounded:
        return {"grounded": False, "numbers_basis": grounded.reason}
    return _numbers(prediction, reactions, weight)


def _numbers(
    prediction: Prediction | None, reactions: list[Reaction], weight: float
) -> dict[str, Any]:
    """The segment's figures from the response model, blended with the LLM's stated
    reactions at ``weight`` (replicate b is paired with sample b mod n for the intervals)."""
    if prediction is None:  # none of the segment's customers is affected (e.g. other plans)
        return {
            "affected_customers": 0,
            "action_shares": {k: 0.0 for k in OUTCOMES},
            "expected_churners": 0.0,
            "expected_churners_interval": [0.0, 0.0],
            "revenue_at_risk_monthly": 0.0,
            "revenue_at_risk_interval": [0.0, 0.0],
            "extrapolated": False,
            "numbers_basis": "no customer of this segment is affected",
        }
    if weight > 0 and reactions:
        vectors = np.array(
            [
                [
                    grounding.blend(prediction.shares, r.likely_action, r.action_probability, 1.0)[
                        k
                    ]
                    for k in OUTCOMES
                ]
                for r in reactions
            ]
        )
        churn = OUTCOMES.index("churned")
        point = np.array([prediction.shares[k] for k in OUTCOMES])
        blended = (1 - weight) * point + weight * vectors.mean(axis=0)
        draws = prediction.share_draws
        paired = vectors[np.arange(len(draws)) % len(vectors)]
        ratio = blended[churn] / point[churn] if point[churn] else 1.0
        prediction = replace(
            prediction,
            shares={k: float(blended[j]) for j, k in enumerate(OUTCOMES)},
            share_draws=(1 - weight) * draws + weight * paired,
            churners=prediction.churners * ratio,
            churner_draws=prediction.churner_draws * ratio,
            revenue=prediction.revenue * ratio,
            revenue_draws=prediction.revenue_draws * ratio,
        )
    out = prediction.to_dict()
    out["numbers_basis"] = (
        "response model"
        + (f", LLM blended at weight {weight:.1f}" if weight > 0 and reactions else "")
        + ("; extrapolated: " + "; ".join(prediction.notes) if prediction.extrapolated else "")
    )
    return out


def _persona_fields(persona: dict[str, Any]) -> dict[str, Any]:
    """The fields every segment row carries, whether its reaction succeeded or not."""
    return {
        "segment_id": persona["segment_id"],
        "segment_name": persona["segment_name"],
        "persona_id": persona["persona_id"],
        "persona_name": persona["persona_name"],
        "persona_version": persona["version"],
        "customer_count": int(persona["customer_count"]),
        "pct_of_base": float(persona["pct_of_base"]),
    }


def _failed_row(
    persona: dict[str, Any],
    error: LLMError,
    prediction: Prediction | None,
    grounded: grounding.Grounding,
) -> dict[str, Any]:
    """A segment whose words failed: its numbers, from the response model, are kept."""
    numbers = _figures(prediction, [], 0.0, grounded)
    message = error.message + (f" — {error.fix}" if error.fix else "")
    return {
        **_persona_fields(persona),
        "status": "failed",
        "words": "unavailable",
        "error": message,
        **numbers,
    }


def _unaffected_row(persona: dict[str, Any]) -> dict[str, Any]:
    return {
        **_persona_fields(persona),
        "status": "unaffected",
        "affected_customers": 0,
        "numbers_basis": "the scenario reaches none of this segment's customers",
    }
