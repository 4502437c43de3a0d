"""`cdt simulate`: how every reached segment reacts to a scenario (spec §4.4).

The data decides and the LLM only writes. Per segment, the response model fitted on the
campaign history gives the shares, churners and revenue at risk with 90% intervals, and the
stance (``likely_action``, ``action_probability``, ``sentiment_score``) is derived from those
shares (``cdt.voices.stance``). Those numbers are handed on first (``on_numbers``), before
any LLM call. Then the LLM writes the voices, one per outcome a meaningful share takes, each
through the gate (``cdt.voices.speak``), and each segment is handed on as its words arrive
(``on_segment``). A twin without personas, or without an LLM, still answers with numbers
and stance, its words marked as not written. A simulation is written in one transaction: the
HISTORY row, one result per segment and one log per LLM call, or nothing at all.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cdt.agents import voicing
from cdt.agents.aggregate import aggregate
from cdt.agents.plan import Plan, plan_simulation
from cdt.agents.result import SimulationResult
from cdt.agents.segments import Speakers, speakers
from cdt.backends.base import Backend
from cdt.calibrate import Prediction, model_or_none
from cdt.calibrate import backtest as backtests
from cdt.config import VoiceSettings
from cdt.history import store_simulation
from cdt.llm.client import LLMClient
from cdt.llm.embed import Embedder
from cdt.progress import NullProgress, Progress
from cdt.scenario import Scenario
from cdt.state import last_fingerprint
from cdt.voices import stance


def numbers_row(
    persona: dict[str, Any], prediction: Prediction | None, plan: Plan, reached: int
) -> dict[str, Any]:
    """A segment's figures and its stance from data, before any word is written."""
    base = _persona_fields(persona)
    if reached <= 0:
        return {
            **base,
            "status": "unaffected",
            "affected_customers": 0,
            "numbers_basis": "the scenario reaches none of this segment's customers",
        }
    if not plan.grounding.grounded:
        said = stance.ungrounded(plan.grounding.reason)
        figures: dict[str, Any] = {"grounded": False, "numbers_basis": plan.grounding.reason,
                                   "affected_customers": reached}  # fmt: skip
    elif prediction is None:
        said = stance.ungrounded("the response model has no customer of this segment")
        figures = {"grounded": True, "numbers_basis": "no customer of this segment is scored"}
    else:
        said = stance.from_shares(
            prediction.shares,
            prediction.share_draws,
            extrapolated=prediction.extrapolated,
            adverse=plan.scenario.adverse(),
        )
        figures = prediction.to_dict() | {"grounded": True}
        figures["numbers_basis"] = "response model" + (
            "; extrapolated: " + "; ".join(prediction.notes) if prediction.extrapolated else ""
        )
    return {
        **base,
        "status": "ok",
        **said.to_dict(),
        "weighted_impact": None
        if said.sentiment_score is None
        else round(said.sentiment_score * base["pct_of_base"] / 100, 5),
        **figures,
        "llm_stated": None,  # the LLM states no action: the stance is the data's
        "words": "pending",
        "voices": [],
    }


def simulate(
    backend: Backend,
    client: LLMClient | None,
    embedder: Embedder,
    scenario: Scenario,
    *,
    segments: list[str] | None = None,
    seed: int = 42,
    voices: VoiceSettings | None = None,
    deadline: float | None = None,
    on_numbers: Callable[[list[dict[str, Any]], dict[str, Any]], None] | None = None,
    on_segment: Callable[[dict[str, Any]], None] | None = None,
    progress: Progress | None = None,
    record: bool = True,
    stale: list[str] | None = None,
) -> SimulationResult:
    """Simulate every (or every named) segment's reaction to ``scenario`` and store it
    (unless not ``record``: `cdt ask` is the same path for one persona, not stored).
    ``stale`` lists the stale stages it was allowed to answer from; the result says so.

    ``client`` None (or a twin without personas) gives numbers and stance with no words.
    ``deadline`` (seconds) bounds all the LLM calls together; a segment whose words fail
    keeps its numbers and stance. Nothing is written unless the whole simulation finished.

    Raises:
        NotBuiltError: no segments or response model yet.  ConfigError: unknown segments.
    """
    voices = voices or VoiceSettings()
    progress = progress or NullProgress()
    started = datetime.now(UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    people: Speakers = speakers(backend, segments)
    model = model_or_none(backend)  # None: no campaign history, so no numbers (said why)
    tested = backtests.latest(backend) if model is not None else None
    plan = plan_simulation(backend, model, scenario)
    reached = {r["segment_id"]: r["affected"] for r in plan.counts}
    rows = {
        str(p["segment_id"]): numbers_row(
            p,
            plan.predictions.get(str(p["segment_id"])),
            plan,
            reached.get(str(p["segment_id"]), 0),
        )
        for p in people.rows
    }
    numbers_seconds = round(time.perf_counter() - clock, 2)
    if on_numbers:
        on_numbers(list(rows.values()), {"seconds": numbers_seconds, **plan.to_dict()})
    writable = [p for p in people.rows if rows[str(p["segment_id"])].get("action_shares")]
    why_silent = _silence(people, plan)
    for row in rows.values():
        if row["status"] == "ok" and (why_silent or not row.get("action_shares")):
            row["words"] = "not written"
            row["words_reason"] = why_silent or "no grounded numbers to voice"
    if not why_silent and writable:
        voicing.speak(backend, client, embedder, scenario, writable, rows, voices, seed,
                      deadline, on_segment, progress)  # fmt: skip
    elif on_segment:
        for row in rows.values():
            on_segment(row)
    ordered = [rows[str(p["segment_id"])] for p in people.rows]
    overall, recommendation = aggregate(ordered, scenario, plan.predictions, plan.grounding)
    overall["llm_weight"] = 0.0  # the LLM writes words only; it carries no weight in numbers
    overall["stale"] = list(stale or [])  # answered from stale stages (--allow-stale)
    if any(not line.startswith("personas") for line in overall["stale"]):
        recommendation = "From a stale twin (run `cdt build`): " + recommendation
    overall["backtested_error"] = tested.headline() if tested else None
    overall["grounding"] = plan.grounding.to_dict()
    overall["numbers_basis"] = (
        f"response model {model.model_id[:8]} fitted on {model.n_responses:,} campaign "
        f"responses, read as '{plan.grounding.inputs.campaign_type}' campaigns"
        if plan.grounding.inputs and model is not None
        else plan.grounding.reason
    )
    result = SimulationResult(
        str(uuid.uuid4()),
        {**scenario.to_dict(), "warnings": plan.warnings, "reading": plan.reading},
        ordered,
        overall,
        recommendation,
        {
            "backend": backend.dialect,
            "provider": client.llm.provider if client else None,
            "model_id": client.llm.model_id if client else None,
            "data_snapshot_id": last_fingerprint(backend, "load"),
            "persona_versions": {
                p["segment_id"]: p["version"] for p in people.rows if p.get("version")
            },
            "response_model_id": model.model_id if model is not None else None,
            "backtest_id": tested.backtest_id if tested else None,
            "seconds_to_numbers": numbers_seconds,
            "seconds": round(time.perf_counter() - clock, 2),
        },
    )
    if record:
        store_simulation(backend, result, started)
    return result


def _silence(people: Speakers, plan: Plan) -> str | None:
    """Why no words are written at all, if none are."""
    if not people.personas:
        return "no personas yet: run `cdt personas generate` (or `cdt build`) for words"
    if not plan.grounding.grounded:
        return "no estimate for this scenario, so no outcome for a voice to speak for"
    return None


def _persona_fields(persona: dict[str, Any]) -> dict[str, Any]:
    """The fields every segment row carries, whatever happened to its words."""
    return {
        "segment_id": persona["segment_id"],
        "segment_name": persona["segment_name"],
        "persona_id": persona.get("persona_id"),
        "persona_name": persona.get("persona_name"),
        "persona_version": persona.get("version"),
        "customer_count": int(persona["customer_count"]),
        "pct_of_base": float(persona["pct_of_base"]),
    }
