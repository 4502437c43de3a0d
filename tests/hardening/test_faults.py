"""Faults: `kill -9` during every stage of `cdt build` (real CLI processes on a real DuckDB
file), and two writers at once. The previous twin must stay readable and consistent, and the
next build must succeed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from cdt import api, scratch
from cdt.config import Settings, VoiceSettings, load_settings
from cdt.errors import BusyError
from tests.fakes import other_writer

CDT = str(Path(sys.executable).parent / "cdt")
STAGES = ["generate", "load", "features", "segment", "calibrate", "personas"]
BUILD = ["build", "--scale", "0.001", "--k", "2", "--json"]


def env_for(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CDT_HOME": str(home),
        "CDT_DATA_DIR": str(home / "data"),
        "CDT_LLM_PROVIDER": "llamacpp",
        "CDT_PROGRESS": "jsonl",
    }


def build(home: Path, *extra: str) -> dict[str, object]:
    done = subprocess.run(
        [CDT, *BUILD, *extra], env=env_for(home), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def kill_during(home: Path, stage: str, *extra: str, delay: float = 0.3) -> bool:
    """Start a build and SIGKILL it `delay` s after `stage` starts; whether it was killed
    mid-stage (False: the build finished the stage before the signal)."""
    return kill_command(home, [*BUILD, *extra], stage, delay)


def kill_command(home: Path, command: list[str], stage: str, delay: float) -> bool:
    """Start `cdt <command>` and SIGKILL it `delay` s after `stage` starts; whether it was
    killed mid-stage."""
    process = subprocess.Popen(
        [CDT, *command],
        env=env_for(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    try:
        for line in process.stderr:
            event = json.loads(line) if line.startswith("{") else {}
            if event.get("event") == "start" and str(event.get("task")).startswith(stage):
                time.sleep(delay)
                killed = process.poll() is None
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
                return killed and process.returncode == -signal.SIGKILL
        pytest.fail(f"`cdt {command[0]}` never started {stage} (exit {process.wait()})")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return False


def readable(settings: Settings) -> dict[str, object]:
    """What a reader sees; asserts that the tables agree with each other. A killed build
    may leave stages stale (that is checked elsewhere); here the question is readability."""
    segments = api.segments(settings.model_copy(update={"allow_stale": True}))
    with api.connect(settings, read_only=True) as backend:
        assigned = backend.scalar("SELECT count(*) FROM ANALYTICS.CUSTOMER_SEGMENTS")
        customers = backend.scalar("SELECT count(*) FROM RAW.CUSTOMERS")
        featured = backend.scalar("SELECT count(*) FROM ANALYTICS.CUSTOMER_FEATURES_ENRICHED")
        stages = backend.query("SELECT stage FROM APP.BUILD_STATE").column("stage").to_pylist()
    assert assigned == sum(s["customer_count"] for s in segments)
    assert customers == featured == assigned  # each stage replaced its tables whole
    assert len(stages) == len(set(stages))
    personas = api.personas(settings)
    assert {p["segment_id"] for p in personas} <= {s["segment_id"] for s in segments}
    return {"segments": [(s["segment_id"], s["customer_count"]) for s in segments]}


@pytest.mark.slow
def test_kill_9_during_every_stage_leaves_the_twin_readable_and_rebuildable(
    tmp_path: Path,
) -> None:
    home = tmp_path / "twin"
    first = build(home, "--seed", "3")
    assert first["personas"] != "skipped"
    settings = load_settings({"home": str(home), "data_dir": str(home / "data")}, env={})
    before = readable(settings)
    runs, killed_mid_stage = 0, 0
    for stage in STAGES:
        # A new seed makes every stage run again; kill -9 while `stage` runs.
        killed_mid_stage += kill_during(home, stage, "--seed", "4", "--force")
        runs += 1
        now = readable(settings)  # never broken: opens, and its tables agree
        if stage in ("generate", "load"):
            assert now == before  # nothing of the new build was committed yet
    assert killed_mid_stage >= len(STAGES) - 1, "the kills mostly landed between stages"
    after = build(home, "--seed", "4")
    # Stages the killed builds finished are kept; the one killed last is done now.
    assert after["personas"] not in ("up to date", "skipped")
    final = readable(settings)
    assert len(api.personas(settings)) == len(final["segments"])  # type: ignore[arg-type]
    # no litter: the killed builds' staging folders are gone once a build ran after them
    assert not list(home.glob(".*.tmp-*")), list(home.glob(".*.tmp-*"))
    assert not scratch.clean_dead(Path(tempfile.gettempdir()), "cdt-typed-")
    print(f"\nkill -9 runs: {runs}, mid-stage: {killed_mid_stage}, broken twins: 0")


def counts(settings: Settings) -> dict[str, int]:
    """Row counts a reader sees, after checking the twin opens and its stages are unique."""
    tables = ("RAW.CUSTOMERS", "RAW.MONTHLY_USAGE", "RAW.SUPPORT_INTERACTIONS",
              "RAW.CAMPAIGN_RESPONSES", "ANALYTICS.CUSTOMER_FEATURES_ENRICHED",
              "ANALYTICS.CUSTOMER_SEGMENTS", "RAW.PENDING_REFRESH")  # fmt: skip
    with api.connect(settings, read_only=True) as backend:
        stages = backend.query("SELECT stage FROM APP.BUILD_STATE").column("stage").to_pylist()
        assert len(stages) == len(set(stages))
        out = {t: int(backend.scalar(f"SELECT count(*) FROM {t}")) for t in tables}
    anyway = settings.model_copy(update={"allow_stale": True})
    assert sum(s["customer_count"] for s in api.segments(anyway)) == out[tables[5]]
    return out


@pytest.mark.slow
def test_kill_9_during_an_incremental_load_or_a_refresh_leaves_the_twin_readable(
    tmp_path: Path,
) -> None:
    home = tmp_path / "twin"
    build(home, "--no-personas")
    settings = load_settings({"home": str(home), "data_dir": str(home / "data")}, env={})
    made = subprocess.run(
        [CDT, "generate", "--delta", "--days", "20", "--json"],
        env=env_for(home), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr[-2000:]
    delta = json.loads(made.stdout)
    load = ["load", "--incremental", "--from", str(delta["out"]), "--json"]
    before = counts(settings)
    mid = 0
    for delay in (0.0, 0.05, 0.15):
        mid += kill_command(home, load, "load", delay)
        now = counts(settings)
        if now != before:  # committed whole before the signal: every delta row is in
            assert (
                now["RAW.MONTHLY_USAGE"]
                == before["RAW.MONTHLY_USAGE"] + delta["rows"]["monthly_usage"]
            )
            break
    assert mid >= 1, "no kill landed inside the incremental load"
    rerun = subprocess.run(
        [CDT, *load], env=env_for(home), capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    loaded = counts(settings)
    added = delta["rows"]["monthly_usage"]
    assert loaded["RAW.MONTHLY_USAGE"] == before["RAW.MONTHLY_USAGE"] + added
    assert loaded["RAW.PENDING_REFRESH"] > 0

    for stage in ("features", "segment"):
        if counts(settings)["RAW.PENDING_REFRESH"] == 0:
            break  # the refresh committed its segments before the last signal
        kill_during(home, stage, "--no-personas", delay=0.05)
        counts(settings)  # readable, and its segments agree with their statistics
    done = build(home, "--no-personas")
    assert done["load"] == "up to date"
    final = counts(settings)
    customers = final["RAW.CUSTOMERS"]
    assert final["ANALYTICS.CUSTOMER_FEATURES_ENRICHED"] == customers
    assert final["ANALYTICS.CUSTOMER_SEGMENTS"] == customers
    assert final["RAW.PENDING_REFRESH"] == 0


def test_two_writers_at_once_one_waits_its_turn_with_a_clear_error(
    numbers_twin: Settings,
) -> None:
    from cdt.scenario import parse

    briefly = numbers_twin.model_copy(update={"wait_s": 1.0})
    with other_writer(numbers_twin.database_path):
        with pytest.raises(BusyError, match=r"in use by another process.*waited 1 s"):
            api.simulate(briefly, parse("price increase $5"), segments=["SEG01"])
        cli = subprocess.run(
            [CDT, "--wait", "1", "simulate", "price increase $5", "--segments", "SEG01"],
            env={**os.environ, "CDT_HOME": str(numbers_twin.home)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cli.returncode == 1 and "Traceback" not in cli.stderr
        assert "waiting up to 1 s" in cli.stderr  # it says who holds the twin while it waits
        assert "in use by another process" in cli.stderr and "--wait" in cli.stderr
    result = api.simulate(numbers_twin, parse("price increase $5"), segments=["SEG01"])
    assert [r["simulation_id"] for r in api.history(numbers_twin)] == [result.simulation_id]


def test_a_command_waits_for_the_twin_and_goes_on_when_it_is_free(numbers_twin: Settings) -> None:
    import threading

    holder = other_writer(numbers_twin.database_path)
    holder.__enter__()
    threading.Timer(1.5, lambda: holder.__exit__(None, None, None)).start()
    waiting = numbers_twin.model_copy(update={"wait_s": 30.0})
    assert api.history(waiting) == []  # opened once the other process let go


def test_a_simulation_waiting_on_its_llm_holds_no_lock(
    persona_twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads, dry runs and another simulation go on while one simulation waits on a hung LLM;
    the waiting one still stores its numbers when its deadline passes."""
    import socket
    import time

    from cdt.config import VoiceSettings
    from cdt.scenario import parse
    from tests.ollama_peers import MODEL, hanging_server

    held: list[socket.socket] = []
    with hanging_server(held) as host:
        env = {**os.environ, "CDT_HOME": str(persona_twin.home), "CDT_LLM_PROVIDER": "ollama",
               "CDT_OLLAMA_HOST": host, "CDT_OLLAMA_MODEL": MODEL, "CDT_LLM_TIMEOUT": "30",
               "CDT_LLM_DEADLINE": "15", "CDT_LLM_CACHE": "false",
               "CDT_VOICES_WRITER": "llm"}  # fmt: skip
        waiting = subprocess.Popen(
            [CDT, "simulate", "price increase $5", "--parser", "rules", "--json"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while not held and time.monotonic() < deadline and waiting.poll() is None:
            time.sleep(0.2)
        assert held, "the simulation never reached its LLM"
        briefly = persona_twin.model_copy(update={"wait_s": 2.0})
        assert api.history(briefly) == []  # a read, while the other waits on its LLM
        assert api.plan(briefly, parse("price increase $5"))["affected_customers"] > 0  # dry run
        data = briefly.model_copy(update={"voices": VoiceSettings(writer="data")})
        other = api.simulate(data, parse("price increase $3"), segments=["SEG01"])
        assert waiting.poll() is None  # the first is still waiting on its LLM
        out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 3, err  # its words failed; its numbers did not
    first = json.loads(out)
    assert first["overall"]["numbers_complete"] is True
    stored = {r["simulation_id"] for r in api.history(persona_twin)}
    assert stored == {other.simulation_id, first["simulation_id"]}


def test_garbage_from_the_llm_mid_simulation_fails_only_that_segment(
    persona_twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdt.llm.base import Completion
    from cdt.llm.llamacpp import LlamaCppLLM
    from cdt.scenario import parse

    personas = api.personas(persona_twin)
    victim = personas[1]

    def garbage_for_one(self: LlamaCppLLM, request: Any) -> Completion:
        # A fault test, not a test of the model: the others get a well-formed answer with
        # every field the request asks for; every call for the victim's segment (its retries
        # too) answers garbage.
        fields = request.json_schema["properties"]
        text = json.dumps({key: "Five more a month is a lot for what I get." for key in fields})
        if any(bill in m.content for m in request.messages):
            text = '{"initial_reaction": "\x00\x01 <<<garbage'
        return Completion(text, "llamacpp", "scripted", 10, 5, 1.0)

    monkeypatch.setattr(LlamaCppLLM, "complete", garbage_for_one)
    bill = f"about ${float(victim['typical_arpu']):.0f} a month"  # in its voices' prompt only
    writing = persona_twin.model_copy(update={"voices": VoiceSettings(writer="llm")})
    result = api.simulate(writing, parse("price increase $6"))
    status = {r["segment_id"]: r["status"] for r in result.segments}
    assert status[victim["segment_id"]] == "failed"
    assert [s for s in status.values() if s == "ok"] == ["ok"] * (len(personas) - 1)
    failed = next(r for r in result.segments if r["status"] == "failed")
    # its words failed, its numbers (from the response model, not the LLM) are kept
    assert failed["error"] and failed["words"] == "unavailable" and "quote" not in failed
    assert failed["expected_churners"] >= 0 and "action_shares" in failed
    assert failed["likely_action"] and failed["sentiment_score"] is not None  # stance from data
    assert result.overall["numbers_complete"] is True
    stored = api.history_show(persona_twin, result.simulation_id)
    assert stored["provenance"]["status"] == "partial"
    assert len(stored["segments"]) == len(personas)
