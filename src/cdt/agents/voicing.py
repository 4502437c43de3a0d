"""Giving a segment its voices, once its numbers and stance are known: the same step for
`cdt simulate`, `cdt ask`, the Studio and AGENTS.SIMULATE_SCENARIO inside Snowflake.

Each writable segment gets an ``Ask`` (its persona, the scenario, its shares, the outcomes a
meaningful share takes, its history and its verbatims); the LLM writes (``speak.write``) or,
without an LLM, the data does (``speak.from_data``), and every text passes the gate. A segment
whose words fail keeps its numbers and stance."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cdt.agents.segments import history, short
from cdt.backends.base import Backend
from cdt.config import VoiceSettings
from cdt.errors import LLMError
from cdt.llm.client import LLMClient, run_many
from cdt.llm.embed import Embedder
from cdt.progress import Progress
from cdt.scenario import Scenario
from cdt.scenario.describe import prompt_text, years
from cdt.voices import speak as speaking
from cdt.voices import stance
from cdt.voices.meaning import MeaningGate


def speak(
    backend: Backend,
    client: LLMClient | None,
    embedder: Embedder,
    scenario: Scenario,
    writable: list[dict[str, Any]],
    rows: dict[str, dict[str, Any]],
    voices: VoiceSettings,
    seed: int,
    deadline: float | None,
    on_segment: Callable[[dict[str, Any]], None] | None,
    progress: Progress,
) -> None:
    """Write each writable segment's voices (in place in ``rows``), handing each on as it
    arrives; a failed segment keeps its numbers and stance. Without ``client`` the voices
    are written from data (verbatims and composed sentences), with no LLM call."""
    from cdt.voices import verbatims

    shown = prompt_text(scenario)
    ids = [str(p["segment_id"]) for p in writable]
    query = embedder.embed([shown])[0]
    found = verbatims.read(backend, ids)
    past = history(backend, embedder, ids, query)
    gate = MeaningGate(embedder)
    asks = {}
    for persona in writable:
        segment = str(persona["segment_id"])
        row = rows[segment]
        used, how = past[segment]
        row["history_used"] = [h["reaction_summary"] for h in used]
        row["retrieval"] = how
        speaker = as_reached(
            persona,
            scenario,
            row.get("reached_arpu"),
            plan=row.get("reached_plan"),
            plan_arpu=row.get("reached_plan_arpu"),
        )
        asks[segment] = speaking.Ask(
            persona=speaker,
            # with several changes, a voice meets the one on its own plan
            scenario=scenario.on_plan(str(speaker.get("typical_plan") or "").split(" (")[0]),
            scenario_text=shown,
            shares=row["action_shares"],
            outcomes=tuple(
                stance.voiced(row["action_shares"], most=voices.most, min_share=voices.min_share)
            ),
            history=tuple(short(h) for h in used),
            verbatims=tuple(found.get(segment, ())),
        )
    for row in rows.values():  # unaffected and words-less rows arrive at once
        if str(row["segment_id"]) not in asks and on_segment:
            on_segment(row)

    if client is None:
        for segment in ids:
            rows[segment] = with_words(
                rows[segment], speaking.from_data(gate, embedder, asks[segment])
            )
            if on_segment:
                on_segment(rows[segment])
        return

    def job(segment: str) -> Callable[[], dict[str, Any]]:
        def run() -> dict[str, Any]:
            spoken = speaking.write(client, gate, embedder, asks[segment], seed=seed)
            row = with_words(rows[segment], spoken)
            if on_segment:
                on_segment(row)
            return row

        return run

    with backend.released():  # readers and other writers go on while the LLM writes
        outcomes = run_many(
            [job(s) for s in ids],
            parallel=client.parallel,
            timeout=deadline,
            progress=progress,
            task="simulate",
        )
    for segment, outcome in zip(ids, outcomes, strict=True):
        if isinstance(outcome, LLMError):
            rows[segment] = failed(rows[segment], outcome)
            if on_segment:
                on_segment(rows[segment])
        else:
            rows[segment] = outcome


def with_words(row: dict[str, Any], spoken: speaking.Spoken) -> dict[str, Any]:
    from cdt.llm.base import Request

    calls = [a.completion for a in spoken.answers]
    stance_fields = {k: row[k] for k in ("likely_action", "action_probability", "sentiment_score")}
    return {
        **row,
        "words": "written",
        "voices": [v.to_dict() for v in spoken.voices],
        "reaction": {**spoken.reaction, **stance_fields},
        "quote": spoken.reaction["sample_verbatim"],
        "quote_source": spoken.sources["sample_verbatim"],
        "text_sources": spoken.sources | {"stance": "data"},
        "gate": {"retried": spoken.retried, "rejected": spoken.rejected},
        "prompt_hash": Request(messages=tuple(spoken.prompt)).prompt_hash(),
        "words_by": "llm" if calls else "data",
        "llm": {
            "tokens": sum(c.completion_tokens or 0 for c in calls),
            "latency_ms": round(sum(c.latency_ms for c in calls), 1),
            "cached": all(c.cached for c in calls),
        },
    }


def failed(row: dict[str, Any], error: LLMError) -> dict[str, Any]:
    """A segment whose words failed: its numbers and stance, from data, are kept."""
    message = error.message + (f" — {error.fix}" if error.fix else "")
    return {**row, "status": "failed", "words": "unavailable", "error": message}


def as_reached(
    persona: dict[str, Any],
    scenario: Scenario,
    arpu: float | None,
    *,
    plan: str | None = None,
    plan_arpu: float | None = None,
) -> dict[str, Any]:
    """``persona`` as one of the customers ``scenario`` reaches, so that a voice never speaks
    of a plan or a bill the scenario does not touch: on the plan most of the segment's reached
    customers are on (``plan``, at their mean bill ``plan_arpu``) when the scenario names
    plans and that is not the segment's typical plan, else on its typical plan at what the
    reached pay on average (``arpu``)."""
    update: dict[str, Any] = {}
    typical = str(persona.get("typical_plan") or "").split(" (")[0]
    if scenario.plans and typical != plan and plan in scenario.plans:
        update["typical_plan"] = plan
        arpu = plan_arpu or arpu
    elif scenario.plans and typical not in scenario.plans:
        update["typical_plan"] = scenario.plans[0]
    if arpu:
        update["typical_arpu"] = arpu
    tenure = _tenure_within(str(persona.get("typical_tenure") or ""), scenario)
    if tenure:
        update["typical_tenure"] = tenure
    return {**persona, **update}


def _tenure_within(tenure: str, scenario: Scenario) -> str | None:
    """The audience's tenure bound in words where the segment's typical tenure ("39 months")
    lies outside the customers ``scenario`` reaches ("under 2 years"), so that no voice says
    "after 39 months with Snowmobile" to customers with us under two years; else None."""
    found = re.match(r"\s*(\d+(?:\.\d+)?)\s*months?\b", tenure)
    if not found:
        return None
    months = float(found.group(1))
    low, high = scenario.tenure_min_months, scenario.tenure_max_months
    if high is not None and months > high:
        return f"under {years(high + 1)}" if (high + 1) % 12 == 0 else f"{high} months or less"
    if low is not None and months < low:
        return (
            f"over {years(low - 1)}" if (low - 1) % 12 == 0 and low > 1 else f"{low} months or more"
        )
    return None
