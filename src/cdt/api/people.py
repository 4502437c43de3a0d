"""The facade's personas: write them, read them, and ask one of them (spec §4.2–4.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cdt.config import Settings
from cdt.errors import ConfigError
from cdt.progress import Progress

if TYPE_CHECKING:
    from cdt.personas import PersonasResult
    from cdt.scenario import Scenario

from cdt.api.session import _llm_client, _reading, connect, init


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

    init(settings)
    with connect(settings) as backend:
        return _generate(
            backend,
            _llm_client(settings, backend, "persona"),
            make_embedder(settings, backend),
            segments=segments,
            seed=seed,
            progress=progress,
            fingerprint=personas_fingerprint(backend, settings, seed),
        )


def personas(settings: Settings) -> list[dict[str, Any]]:
    """The newest persona of each segment, largest segment first."""
    from cdt.personas import latest_personas

    with _reading(settings) as backend:
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


def ask(settings: Settings, key: str, scenario: Scenario, *, seed: int = 42) -> dict[str, Any]:
    """One persona's reaction (spec §4.3) with the history it was shown, and the response
    model's shares for its segment in view as in a simulation. Not stored."""
    from cdt.agents import gather_history, react
    from cdt.agents.plan import expected_shares
    from cdt.llm import make_embedder

    chosen = persona(settings, key)
    with connect(settings) as backend:
        embedder = make_embedder(settings, backend)
        history, how, verbatim = gather_history(backend, embedder, [chosen], scenario)[
            str(chosen["segment_id"])
        ]
        expected = expected_shares(backend, scenario, str(chosen["segment_id"]))
        client = _llm_client(settings, backend)
        vetted, prompt_hash = react(client, chosen, history, scenario, seed, verbatim, expected)
    reaction = vetted.reaction.model_dump()
    if vetted.sentiment is None:
        reaction["sentiment_score"] = None
    return {
        "segment_id": chosen["segment_id"],
        "persona_name": chosen["persona_name"],
        "scenario": scenario.to_dict(),
        "reaction": reaction,
        "text_sources": vetted.sources,
        "gate_rejected": vetted.rejected,
        "retrieval": how,
        "history_used": [h["reaction_summary"] for h in history],
        "prompt_hash": prompt_hash,
        "cached": all(a.completion.cached for a in vetted.answers),
    }
