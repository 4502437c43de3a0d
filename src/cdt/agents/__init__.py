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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from statistics import mean
from typing import Any

import numpy as np

from cdt.agents import grounding
from cdt.agents.prompts import ask_messages, rates_messages
from cdt.agents.scenario import Scenario
from cdt.backends.base import Backend
from cdt.calibrate import Prediction, interval, latest_model, population, predict
from cdt.calibrate import backtest as backtests
from cdt.calibrate.model import OUTCOMES
from cdt.errors import ConfigError, LLMError, NotBuiltError
from cdt.llm.base import Request
from cdt.llm.client import LLMClient, Structured, run_many
from cdt.llm.embed import Embedder
from cdt.personas import latest_personas
from cdt.personas.history import retrieve
from cdt.personas.models import RateGuess, Reaction
from cdt.progress import NullProgress, Progress
from cdt.rows import insert_rows
from cdt.state import last_fingerprint

HISTORY_K = 3


@dataclass
class SimulationResult:
    """A finished simulation, as stored in HISTORY."""

    simulation_id: str
    scenario: dict[str, Any]
    segments: list[dict[str, Any]] = field(default_factory=list)
    overall: dict[str, Any] = field(default_factory=dict)
    recommendation: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "simulation_id": self.simulation_id,
            "scenario": self.scenario,
            "segments": self.segments,
            "overall": self.overall,
            "recommendation": self.recommendation,
            "provenance": self.provenance,
        }


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
) -> tuple[Structured[Reaction], str]:
    """One persona's in-character reaction to ``scenario`` with ``history`` in view, and the
    hash of the prompt it was given."""
    messages = ask_messages(persona, history, scenario.text)
    answer = client.structured(
        messages, Reaction, kind="reaction", temperature=0.4, max_tokens=400, seed=seed
    )
    return answer, Request(messages=tuple(messages)).prompt_hash()


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


def gather_history(
    backend: Backend, embedder: Embedder, personas: list[dict[str, Any]], scenario: Scenario
) -> dict[str, tuple[list[dict[str, Any]], str]]:
    """For each persona's segment: the HISTORY_K most similar past reactions, and how found.

    Done before any LLM call, on one thread: database connections are not shared by the
    LLM pool."""
    query = embedder.embed([scenario.text])[0]
    return {
        str(p["segment_id"]): retrieve(backend, embedder, str(p["segment_id"]), query, HISTORY_K)
        for p in personas
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
    on_segment: Callable[[dict[str, Any]], None] | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """React every (or every named) segment to ``scenario`` and aggregate, weighted by size.

    With ``samples`` > 1 each persona reacts that many times (different seeds); the spread of
    its answers becomes the sentiment's interval and, when the LLM carries weight, part of the
    numbers' intervals. A segment whose LLM call fails is reported as failed; the others still
    count. Nothing is written unless the whole simulation finished.

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
    inputs = grounding.inputs_for(scenario)
    predictions = predict(model, population(backend, model), inputs)
    retrieved = gather_history(backend, embedder, personas, scenario)

    def job(persona: dict[str, Any]) -> Callable[[], dict[str, Any]]:
        def run() -> dict[str, Any]:
            history, how = retrieved[str(persona["segment_id"])]
            answers = [react(client, persona, history, scenario, seed + i) for i in range(samples)]
            row = _segment_row(
                persona,
                answers,
                history,
                how,
                predictions.get(str(persona["segment_id"])),
                weight,
            )
            if on_segment:
                on_segment(row)
            return row

        return run

    outcomes = run_many(
        [job(p) for p in personas], parallel=client.parallel, progress=progress, task="simulate"
    )
    rows = []
    for persona, outcome in zip(personas, outcomes, strict=True):
        if isinstance(outcome, LLMError):
            failed = _failed_row(persona, outcome)
            if on_segment:
                on_segment(failed)
            rows.append(failed)
        else:
            rows.append(outcome)
    overall, recommendation = aggregate(rows, scenario, predictions)
    overall["llm_weight"] = weight
    overall["backtested_error"] = tested.headline() if tested else None
    overall["numbers_basis"] = (
        f"response model {model.model_id[:8]} fitted on {model.n_responses:,} campaign "
        f"responses, read as a '{inputs.campaign_type}'"
    )
    result = SimulationResult(
        str(uuid.uuid4()),
        scenario.to_dict(),
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
    _store(backend, result, started)
    return result


def _segment_row(
    persona: dict[str, Any],
    answers: list[tuple[Structured[Reaction], str]],
    history: list[dict[str, Any]],
    how: str,
    prediction: Prediction | None,
    weight: float,
) -> dict[str, Any]:
    reactions = [a.value for a, _ in answers]
    first, prompt_hash = answers[0]
    reaction = first.value
    sentiments = [r.sentiment_score for r in reactions]
    sentiment = mean(sentiments)
    numbers = _numbers(prediction, reactions, weight)
    return {
        **_persona_fields(persona),
        "status": "ok",
        "sentiment_score": round(sentiment, 3),
        "sentiment_interval": [round(min(sentiments), 3), round(max(sentiments), 3)],
        "likely_action": reaction.likely_action,
        "action_probability": reaction.action_probability,
        "llm_stated": [
            {"likely_action": r.likely_action, "action_probability": r.action_probability}
            for r in reactions
        ],
        "weighted_impact": sentiment * float(persona["pct_of_base"]) / 100,
        **numbers,
        "reaction": reaction.model_dump(),
        "quote": reaction.sample_verbatim,
        "retrieval": how,
        "history_used": [h["reaction_summary"] for h in history],
        "prompt_hash": prompt_hash,
        "llm": {
            "tokens": sum(a.completion.completion_tokens or 0 for a, _ in answers),
            "latency_ms": round(sum(a.completion.latency_ms for a, _ in answers), 1),
            "cached": all(a.completion.cached for a, _ in answers),
            "samples": len(answers),
        },
    }


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
    if weight > 0:
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
        + (f", LLM blended at weight {weight:.1f}" if weight > 0 else "")
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


def _failed_row(persona: dict[str, Any], error: LLMError) -> dict[str, Any]:
    return {**_persona_fields(persona), "status": "failed", "error": error.message}


def aggregate(
    rows: list[dict[str, Any]],
    scenario: Scenario,
    predictions: dict[str, Prediction] | None = None,
) -> tuple[dict[str, Any], str]:
    """Base-wide figures weighted by customer count, and a recommendation from the numbers.

    The base-wide churners and revenue intervals sum the segments replicate by replicate, so
    they are the interval of the total, not a sum of intervals."""
    ok = [r for r in rows if r["status"] == "ok"]
    customers = sum(r["customer_count"] for r in ok)
    sentiment = (
        sum(r["sentiment_score"] * r["customer_count"] for r in ok) / customers
        if customers
        else None
    )
    churners = sum(r["expected_churners"] for r in ok)
    at_risk = sum(r["revenue_at_risk_monthly"] for r in ok)
    overall: dict[str, Any] = {
        "segments_ok": len(ok),
        "segments_failed": len(rows) - len(ok),
        "customers_covered": customers,
        "affected_customers": sum(r.get("affected_customers", 0) for r in ok),
        "weighted_sentiment": None if sentiment is None else round(sentiment, 3),
        "expected_churners": round(churners, 1),
        "revenue_at_risk_monthly": round(at_risk, 2),
        "revenue_at_risk_yearly": round(at_risk * 12, 2),
        "extrapolated": any(r.get("extrapolated") for r in ok),
    }
    chosen = [
        predictions[r["segment_id"]] for r in ok if predictions and r["segment_id"] in predictions
    ]
    if chosen and len(chosen[0].churner_draws):
        widen = overall["extrapolated"]
        churner_draws = np.sum([p.churner_draws for p in chosen], axis=0)
        revenue_draws = np.sum([p.revenue_draws for p in chosen], axis=0)
        overall["expected_churners_interval"] = [
            round(v, 1) for v in interval(churners, churner_draws, extrapolated=widen)
        ]
        low, high = interval(at_risk, revenue_draws, extrapolated=widen)
        overall["revenue_at_risk_monthly_interval"] = [round(low, 2), round(high, 2)]
        overall["revenue_at_risk_yearly_interval"] = [round(low * 12, 2), round(high * 12, 2)]
    if not ok:
        return overall, "No segment could be simulated; see the errors per segment."
    riskiest = max(ok, key=lambda r: r["action_shares"].get("churned", 0))
    text = (
        f"Expect about {churners:,.0f} customers to leave "
        f"(${at_risk:,.0f}/month, ${at_risk * 12:,.0f}/year at risk). Most at risk: "
        f"{riskiest['segment_name']} "
        f"({riskiest['action_shares'].get('churned', 0):.1%} churn)."
    )
    if scenario.price_delta and scenario.price_delta > 0:
        kept = overall["affected_customers"] - churners
        gain = kept * scenario.price_delta
        overall["added_revenue_monthly"] = round(gain, 2)
        overall["net_revenue_monthly"] = round(gain - at_risk, 2)
        verdict = "Proceed" if gain > at_risk else "Reconsider"
        text = (
            f"{verdict}: the increase adds ${gain:,.0f}/month from customers who stay "
            f"against ${at_risk:,.0f}/month lost to churn. " + text
        )
        if riskiest["action_shares"].get("churned", 0) > 0.02:
            text += f" Consider a value-add or a smaller increase for {riskiest['segment_name']}."
    if overall["extrapolated"]:
        text += " Some estimates are extrapolated beyond the campaign history."
    return overall, text


def _store(backend: Backend, result: SimulationResult, started: datetime) -> None:
    finished = datetime.now(UTC).replace(tzinfo=None)
    prov = result.provenance
    with backend.work("app"), backend.transaction():
        insert_rows(
            backend,
            "HISTORY.SIMULATIONS",
            [
                {
                    "simulation_id": result.simulation_id,
                    "scenario_text": result.scenario["text"],
                    "scenario_params": result.scenario,
                    "template_name": result.scenario.get("template"),
                    "segment_filter": [r["segment_id"] for r in result.segments],
                    "backend": prov["backend"],
                    "provider": prov["provider"],
                    "model_id": prov["model_id"],
                    "prompt_hashes": {
                        r["segment_id"]: r.get("prompt_hash") for r in result.segments
                    },
                    "persona_versions": prov["persona_versions"],
                    "data_snapshot_id": prov["data_snapshot_id"],
                    "status": "complete" if result.overall["segments_failed"] == 0 else "partial",
                    "overall": result.overall,
                    "recommendation": result.recommendation,
                    "timings": {"seconds": prov["seconds"]},
                    "started_at": started,
                    "finished_at": finished,
                    "created_by": "cdt",
                }
            ],
        )
        insert_rows(
            backend,
            "HISTORY.SIMULATION_RESULTS",
            [
                {
                    "simulation_id": result.simulation_id,
                    "segment_id": r["segment_id"],
                    "segment_name": r["segment_name"],
                    "persona_id": r["persona_id"],
                    "customer_count": r["customer_count"],
                    "pct_of_base": r["pct_of_base"],
                    "status": r["status"],
                    "sentiment_score": r.get("sentiment_score"),
                    "likely_action": r.get("likely_action"),
                    "action_probability": r.get("action_probability"),
                    "weighted_impact": r.get("weighted_impact"),
                    "action_shares": r.get("action_shares"),
                    "expected_churners": r.get("expected_churners"),
                    "revenue_at_risk_monthly": r.get("revenue_at_risk_monthly"),
                    "reaction": r,
                    "quote": r.get("quote"),
                }
                for r in result.segments
            ],
        )
        insert_rows(
            backend,
            "AGENTS.SIMULATION_LOGS",
            [
                {
                    "log_id": str(uuid.uuid4()),
                    "simulation_id": result.simulation_id,
                    "segment_id": r["segment_id"],
                    "persona_id": r["persona_id"],
                    "persona_version": r["persona_version"],
                    "call_kind": "reaction",
                    "provider": prov["provider"],
                    "model_id": prov["model_id"],
                    "prompt_hash": r.get("prompt_hash"),
                    "completion_tokens": (r.get("llm") or {}).get("tokens"),
                    "latency_ms": (r.get("llm") or {}).get("latency_ms"),
                    "cached": (r.get("llm") or {}).get("cached"),
                    "status": r["status"],
                    "error": r.get("error"),
                    "response": r.get("reaction"),
                }
                for r in result.segments
            ],
        )
