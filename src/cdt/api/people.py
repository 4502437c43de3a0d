"""The facade's personas: write them, read them, and ask one of them (spec §4.2–4.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cdt.config import Settings
from cdt.errors import ConfigError
from cdt.progress import Progress

if TYPE_CHECKING:
    from cdt.personas import PersonasResult
    from cdt.scenario import Scenario

from cdt.api.session import connect, fresh, init, llm_client, read_connection, words_client


def generate_personas(
    settings: Settings,
    *,
    segments: list[str] | None = None,
    seed: int = 42,
    progress: Progress | None = None,
) -> PersonasResult:
    """Write a new persona version per segment and rebuild historical reactions.

    Raises:
        NotBuiltError: no segments yet.  LLMError: the LLM failed (nothing written).
    """
    from cdt.llm import make_embedder
    from cdt.personas import generate_personas as _generate
    from cdt.pipeline import personas_fingerprint
    from cdt.voices.writer import persona_writer, writer

    init(settings)
    with connect(settings) as backend:
        return _generate(
            backend,
            llm_client(settings, backend, "persona") if writer(settings) == "llm" else None,
            make_embedder(settings, backend),
            segments=segments,
            seed=seed,
            progress=progress,
            fingerprint=personas_fingerprint(backend, settings, seed),
            writer=persona_writer(settings),
        )


def personas(settings: Settings) -> list[dict[str, Any]]:
    """The newest persona of each segment, largest segment first."""
    from cdt.personas import latest_personas

    with read_connection(settings) as backend:
        return latest_personas(backend)


def persona(settings: Settings, key: str) -> dict[str, Any]:
    """One persona by persona id or segment id (its newest version).

    Raises:
        ConfigError: no persona matches.
    """
    for row in personas(settings):
        if key in (row["persona_id"], row["segment_id"], str(row["segment_id"]).lower()):
            return row
    raise ConfigError(f"no persona or segment {key!r}", fix="see `cdt personas list`")


def ask(
    settings: Settings, key: str, scenario: Scenario | str, *, seed: int = 42
) -> dict[str, Any]:
    """One persona's reaction (spec §4.3): the simulation's own path for its segment, with
    its stance from data, its voices and the history it was shown. Not stored.

    Raises:
        ConfigError: unknown segment or persona.  NotBuiltError: no personas yet.
    """
    from cdt.agents.simulation import simulate
    from cdt.api.scenarios import request_of, understand
    from cdt.llm import make_embedder

    settings, scenario = request_of(settings, scenario)
    chosen = persona(settings, key)
    scenario = understand(settings, scenario)
    with connect(settings) as backend:
        stale = fresh(backend, settings, words=True)
        result = simulate(
            backend,
            words_client(settings, backend),
            make_embedder(settings, backend),
            scenario,
            segments=[str(chosen["segment_id"])],
            seed=seed,
            voices=settings.voices,
            deadline=settings.llm.deadline_s,
            record=False,
            stale=stale,
        )
    row = result.segments[0]
    return {
        "segment_id": chosen["segment_id"],
        "persona_name": chosen["persona_name"],
        "scenario": result.scenario,
        **{k: row.get(k) for k in ("status", "words", "words_reason", "error", "stance_basis")},
        "reaction": row.get("reaction")
        or {k: row.get(k) for k in ("likely_action", "action_probability", "sentiment_score")},
        "voices": row.get("voices", []),
        "action_shares": row.get("action_shares"),
        "text_sources": row.get("text_sources", {}),
        "gate_rejected": (row.get("gate") or {}).get("rejected", []),
        "retrieval": row.get("retrieval"),
        "history_used": row.get("history_used", []),
        "prompt_hash": row.get("prompt_hash"),
        "cached": (row.get("llm") or {}).get("cached"),
        "stale": stale,
    }
