"""`cdt build`'s table of stages: each runs when what it is built from changed, and not
otherwise; personas record their fingerprint like the other stages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cdt import api, pipeline
from cdt.backends import Backend
from cdt.config import Settings
from cdt.llm.client import LLMClient
from cdt.state import last_fingerprint
from tests.fakes import ScriptedLLM

WORDS = json.dumps(
    {
        "tagline": "Watches every dollar on the bill.",
        "background_story": "I moved here for work and kept my number.",
        "personality_description": "Careful and direct.",
        "communication_style": "Short messages, no small talk.",
        "decision_making_style": "Compares prices before any change.",
        "emotional_triggers": "Surprise fees.",
        "sample_quotes": {
            "satisfied": "My signal is fine and my bill is fair.",
            "frustrated": "I did not sign up for another fee.",
            "considering_change": "I'm pricing other carriers this week.",
        },
    }
)


def _build(settings: Settings, folder: Path, **changes: Any) -> dict[str, Any]:
    def client(backend: Backend, purpose: str) -> LLMClient:
        return LLMClient(ScriptedLLM([WORDS]), backend, use_cache=False)

    return pipeline.run(
        pipeline.Build(
            settings,
            folder,
            generated_here=False,
            k=4,
            prepare=lambda: api.init(settings),
            client=client,
            **changes,
        )
    )


def test_the_stage_table_reads_only_earlier_stages() -> None:
    names = [stage.name for stage in pipeline.STAGES]
    assert names == ["generate", "load", "features", "segment", "calibrate", "personas"]
    for index, stage in enumerate(pipeline.STAGES):
        assert set(stage.inputs) <= set(names[:index]), stage.name


def test_each_stage_runs_only_when_its_input_changed(
    persona_twin: Settings, small_dataset: Path
) -> None:
    first = _build(persona_twin, small_dataset)
    # The fixture segmented with other parameters, so segment and what reads it run again;
    # the data and the features it was loaded from did not change.
    assert first["generate"] is None and first["load"] is None and first["features"] is None
    assert first["segment"] is not None and first["personas"] is not None
    with api.connect(persona_twin) as backend:
        recorded = last_fingerprint(backend, "personas")
        assert recorded is not None
        assert recorded == pipeline._personas_print(
            backend, pipeline.Build(persona_twin, small_dataset, k=4)
        )
    again = _build(persona_twin, small_dataset)
    assert all(result is None for result in again.values()), again
    # Another persona model makes the personas, and only them, out of date.
    other_llm = persona_twin.llm.model_copy(update={"ollama_model": "qwen2.5:7b"})
    other = persona_twin.model_copy(update={"llm": other_llm})
    changed = _build(other, small_dataset)
    assert [name for name, result in changed.items() if result is not None] == ["personas"]
    # Without personas the stage is left alone, and says so by running nothing.
    assert _build(persona_twin, small_dataset, with_personas=False)["personas"] is None


def test_personas_written_for_some_segments_do_not_claim_the_stage(
    persona_twin: Settings,
) -> None:
    with api.connect(persona_twin) as backend:
        before = last_fingerprint(backend, "personas")
        client = LLMClient(ScriptedLLM([WORDS]), backend, use_cache=False)
        from cdt.llm import make_embedder
        from cdt.personas import generate_personas

        generate_personas(
            backend, client, make_embedder(persona_twin, backend), segments=["SEG01"],
            fingerprint="partial",
        )  # fmt: skip
        assert last_fingerprint(backend, "personas") == before


def test_a_refresh_rewrites_only_the_personas_whose_segment_moved(
    persona_twin: Settings, small_dataset: Path
) -> None:
    from cdt.state import last_details

    _build(persona_twin, small_dataset)  # every persona, recorded with its segment's figures
    versions = "SELECT segment_id, max(version) AS v FROM PERSONAS.PERSONA_DEFINITIONS GROUP BY 1"
    with api.connect(persona_twin) as backend:
        details = last_details(backend, "personas")
        moved = sorted(details["stats"])[0]
        # As if that persona had been written when its segment's ARPU was 20% lower.
        details["stats"][moved][1] = details["stats"][moved][1] / 1.2
        backend.execute(
            "UPDATE APP.BUILD_STATE SET details = ? WHERE stage = 'personas'", [json.dumps(details)]
        )
        before = {r["segment_id"]: r["v"] for r in backend.query(versions).to_pylist()}
    done = _build(persona_twin, small_dataset)
    assert [name for name, result in done.items() if result is not None] == ["personas"]
    assert done["personas"].refreshed
    assert [p["segment_id"] for p in done["personas"].personas] == [moved]
    with api.connect(persona_twin) as backend:
        after = {r["segment_id"]: r["v"] for r in backend.query(versions).to_pylist()}
        kept = backend.scalar(
            "SELECT count(*) FROM PERSONAS.PERSONA_DEFINITIONS WHERE segment_id = ?", [moved]
        )
    assert after == {**before, moved: before[moved] + 1}
    assert kept == before[moved] + 1  # the earlier versions stay beside the new one
    again = _build(persona_twin, small_dataset)
    assert all(result is None for result in again.values()), again
