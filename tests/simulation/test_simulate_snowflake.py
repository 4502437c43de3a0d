"""Personas and simulate on the Snowflake backend under fakesnow, with the LLM scripted at the
adapter boundary (fakesnow cannot run VECTOR columns: retrieval falls back to recency)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cdt import api
from cdt.agents.plan import plan_simulation
from cdt.agents.simulation import simulate
from cdt.calibrate import latest_model
from cdt.config import Settings
from cdt.llm.client import LLMClient
from cdt.llm.embed import SentenceTransformerEmbedder
from cdt.personas import generate_personas, latest_personas
from cdt.scenario import parse
from tests.fakes import ScriptedLLM

PERSONA = json.dumps(
    {
        "persona_name": "Dana Ruiz",
        "location": "Tucson, AZ",
        "tagline": "Every dollar counts",
        "background_story": "Works two jobs and watches the bill closely.",
        "personality_description": "Careful and direct.",
        "communication_style": "Short and plain.",
        "decision_making_style": "Compares prices first.",
        "emotional_triggers": "Surprise fees.",
        "sample_quotes": {
            "satisfied": "It just works for me.",
            "frustrated": "Another fee on my bill?",
            "considering_change": "Maybe I'll switch.",
        },
    }
)


@pytest.mark.parametrize("backend_settings", ["snowflake"], indirect=True)
def test_personas_and_simulate_on_snowflake(
    backend_settings: Settings, small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdt.personas import history

    stored: list[int] = []
    # fakesnow cannot hold VECTOR columns; that SQL is checked at the boundary below.
    monkeypatch.setattr(
        history,
        "store_embeddings",
        lambda backend, reactions, vectors, embedder: (
            stored.append(len(reactions)) or len(reactions)
        ),
    )
    api.load(backend_settings, source=small_dataset)
    api.features(backend_settings)
    api.segment(backend_settings, k=3, n_init=1)
    calibrated = api.calibrate(backend_settings, replicates=2)
    assert calibrated.model.n_responses > 1000
    # the price-sensitivity bands are computed in Snowflake SQL (LN, GREATEST, CASE)
    assert calibrated.model.logit.vocab.sensitivity_bands == 3
    assert calibrated.backtest.summary["model"]["response_rate"]["units"] > 0
    with api.connect(backend_settings) as backend:
        llm = ScriptedLLM([PERSONA] * 6)  # a persona, and its retry where the gate asks
        client = LLMClient(llm, backend)
        written = generate_personas(backend, client, SentenceTransformerEmbedder())
        assert len(written.personas) == 3 and written.historical_reactions > 50
        assert stored == [written.historical_reactions]
        personas = latest_personas(backend)
        # identity comes from data: the name the scripted LLM gave is not used
        names = [p["persona_name"] for p in personas]
        assert len(set(names)) == 3 and "Dana Ruiz" not in names
        # each text passed the gate as the LLM's, or was replaced and says so
        sources = personas[0]["text_sources"]
        assert set(sources.values()) <= {"llm", "composed", "verbatim"}
        quote = personas[0]["sample_quotes"]["frustrated"]
        assert (quote == "Another fee on my bill?") == (
            sources.get("sample_quotes.frustrated", sources.get("sample_quotes")) == "llm"
        ), (quote, sources)
        assert isinstance(personas[0]["usage_profile"], dict)
        result = simulate(backend, None, SentenceTransformerEmbedder(), parse("price increase $5"))
        assert [r["status"] for r in result.segments] == ["ok"] * 3
        assert all(r["words"] == "written" and r["voices"] for r in result.segments)
        assert all(r["expected_churners_interval"][1] >= 0 for r in result.segments)
        assert result.overall["backtested_error"]["response_rate_mae_pp"] is not None
        assert all(r["retrieval"].startswith("recency") for r in result.segments)
        stored = backend.scalar("SELECT count(*) FROM HISTORY.SIMULATION_RESULTS")
        overall = backend.scalar("SELECT overall FROM HISTORY.SIMULATIONS")
        # the audience SQL (binds only) runs on Snowflake SQL too, with the same counts
        text = "A $4 increase on Powder for customers in Texas or Ohio, with us at least 2 years"
        plan = plan_simulation(backend, latest_model(backend), parse(text))
        expected = backend.scalar(
            "SELECT COUNT(*) FROM ANALYTICS.CUSTOMER_FEATURES_ENRICHED WHERE plan_name = ? "
            "AND state_code IN (?, ?) AND tenure_months >= ?",
            ["Powder", "TX", "OH", 24],
        )
        assert plan.to_dict()["affected_customers"] == expected
        reached = sum(p.customers for p in plan.predictions.values())
        assert reached == expected
    assert stored == 3
    assert json.loads(overall)["segments_ok"] == 3


def test_snowflake_embeddings_are_cast_to_vector_in_sql() -> None:
    import numpy as np

    from cdt.personas.history import store_embeddings
    from tests.fakes import RecordingCortexBackend

    class Embedder768:
        model_id, dim = "cortex/e5-base-v2", 768

    backend = RecordingCortexBackend([])
    reactions = [{"reaction_id": "r1", "segment_id": "SEG01", "reaction_summary": "text"}]
    assert (
        store_embeddings(backend, reactions, np.ones((1, 768), dtype=np.float32), Embedder768())
        == 1
    )  # type: ignore[arg-type]
    delete, insert = backend.sent
    statement, binds = delete
    assert statement.splitlines()[-1] == (
        "DELETE FROM PERSONAS.PERSONA_EMBEDDINGS WHERE source_table = ?"
    )  # after the SQL file's comment line
    assert binds == ["HISTORICAL_REACTIONS"]
    assert "PARSE_JSON(?)::VECTOR(FLOAT, 768)" in insert[0]
    assert insert[1][1:6] == ["HISTORICAL_REACTIONS", "r1", "SEG01", "text", "cortex/e5-base-v2"]
    assert json.loads(insert[1][6]) == [1.0] * 768
