"""A twin never answers from a stale or unchecked state: each command that reads derived
tables compares what they were built from with what is there now."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdt import api
from cdt.config import Settings
from cdt.errors import StaleError
from cdt.scenario import parse
from cdt.staleness import check


def stale_stages(settings: Settings, writer: str | None = None) -> dict[str, str]:
    with api.connect(settings) as backend:
        return {s.stage: s.why for s in check(backend, writer)}


def test_a_full_load_makes_every_derived_stage_stale(
    calibrated_twin: Settings, small_dataset: Path
) -> None:
    assert stale_stages(calibrated_twin) == {}
    api.simulate(calibrated_twin, parse("price increase $5"))
    api.load(calibrated_twin, source=small_dataset)  # other data, fewer customers
    found = stale_stages(calibrated_twin)
    assert set(found) == {"features", "segment", "calibrate"}
    assert "loaded data changed" in found["features"]
    for answer in (
        lambda s: api.simulate(s, parse("price increase $5")),
        lambda s: api.sweep(
            s, parse("price increase $5"), param="price_delta", start=0, stop=4, step=2
        ),
        api.segments,
    ):
        with pytest.raises(StaleError, match="the twin is stale") as raised:
            answer(calibrated_twin)
        assert raised.value.exit_code == 1 and "cdt build" in str(raised.value.fix)
    assert len(api.history(calibrated_twin)) == 1  # nothing stored from the stale twin
    report = {c.component: c for c in api.doctor(calibrated_twin).checks}
    assert report["features"].choice == "stale" and report["calibrate"].status == "warn"


def test_allow_stale_answers_and_marks_every_result(
    calibrated_twin: Settings, small_dataset: Path
) -> None:
    api.load(calibrated_twin, source=small_dataset)
    allowed = calibrated_twin.model_copy(update={"allow_stale": True})
    result = api.simulate(allowed, parse("price increase $5"))
    assert result.overall["stale"] and result.recommendation.startswith("From a stale twin")
    stored = api.history_show(allowed, result.simulation_id)
    assert stored["overall"]["stale"] == result.overall["stale"]  # in HISTORY too
    assert all(row["stale"] for row in api.segments(allowed))
    plan = api.plan(calibrated_twin, parse("price increase $5"))  # a dry run warns
    assert any("features:" in w for w in plan["warnings"])


def test_a_new_segmentation_makes_the_model_and_personas_stale(persona_twin: Settings) -> None:
    assert stale_stages(persona_twin) == {}
    api.segment(persona_twin, k=3, n_init=1)
    found = stale_stages(persona_twin)
    assert "calibrate" in found and "personas" in found and "segment" not in found
    with pytest.raises(StaleError, match="calibrate"):
        api.simulate(persona_twin, parse("price increase $5"))


def test_another_persona_writer_makes_the_personas_stale(persona_twin: Settings) -> None:
    from cdt.voices.writer import persona_writer

    now = persona_writer(persona_twin)
    assert stale_stages(persona_twin, now) == {}
    other = persona_twin.model_copy(update={"voices": persona_twin.voices.model_copy(
        update={"writer": "llm" if now == "data" else "data"})})  # fmt: skip
    assert "written by" in stale_stages(persona_twin, persona_writer(other))["personas"]
    # the numbers do not read the personas: the simulation answers and says so
    result = api.simulate(other, parse("price increase $5"), segments=["SEG01"])
    assert any(line.startswith("personas: they were written by") for line in
               result.overall["stale"])  # fmt: skip
    assert not result.recommendation.startswith("From a stale twin")


def test_an_incremental_load_makes_the_numbers_stale_until_a_build(
    numbers_twin: Settings, tmp_path: Path
) -> None:
    written = api.generate_delta(numbers_twin, out=tmp_path / "delta", seed=5)
    api.load_delta(numbers_twin, written.out)
    found = stale_stages(numbers_twin)
    assert "features" in found and {"segment", "calibrate"} <= set(found)
    with pytest.raises(StaleError, match="the twin is stale"):
        api.simulate(numbers_twin, parse("price increase $5"))


def test_the_warehouse_handler_refuses_a_stale_twin(
    calibrated_twin: Settings, small_dataset: Path
) -> None:
    from cdt.deploy import handler

    api.load(calibrated_twin, source=small_dataset)
    with api.connect(calibrated_twin) as backend, pytest.raises(StaleError, match="stale"):
        handler.simulate_rows(backend, "price increase $5", words=False)
