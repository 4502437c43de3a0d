"""Numbers survive a failing LLM: against an Ollama-protocol server on localhost that hangs,
and one that answers garbage, a simulation still has every segment's numbers (they come from
the response model), its words are marked unavailable, the deadlines hold, and `cdt simulate`
exits with the documented status 3."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cdt import api
from cdt.config import Settings, load_settings
from cdt.llm import locate
from tests.ollama_peers import MODEL, garbage_server, hanging_server

CDT = str(Path(sys.executable).parent / "cdt")


def _on(monkeypatch: pytest.MonkeyPatch, host: str, timeout: float = 2.0) -> Settings:
    monkeypatch.setenv("CDT_LLM_PROVIDER", "ollama")
    monkeypatch.setenv("CDT_OLLAMA_HOST", host)
    monkeypatch.setenv("CDT_OLLAMA_MODEL", MODEL)
    monkeypatch.setenv("CDT_LLM_TIMEOUT", str(timeout))
    monkeypatch.setenv("CDT_LLM_CACHE", "false")
    return load_settings()


def _numbers_complete(result: dict[str, object]) -> None:
    segments = result["segments"]
    assert isinstance(segments, list) and segments
    for row in segments:
        assert row["status"] == "failed" and row["words"] == "unavailable"
        assert row["expected_churners"] >= 0 and row["affected_customers"] > 0
        assert "action_shares" in row and row["error"]
    overall = result["overall"]
    assert isinstance(overall, dict)
    assert overall["expected_churners"] == pytest.approx(
        sum(r["expected_churners"] for r in segments), abs=0.5
    )
    assert overall["expected_churners"] > 0 and overall["numbers_complete"] is True


def test_a_hanging_ollama_costs_one_timeout_per_segment(
    persona_twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[socket.socket] = []
    with hanging_server(asked) as host:
        settings = _on(monkeypatch, host, timeout=1.5)
        result = api.simulate(settings, api.parse_scenario("price increase $5")).to_dict()
    _numbers_complete(result)
    segments = len(result["segments"])
    # one request per segment (and at most one for the LLM's reading): a timeout is not retried
    assert segments <= len(asked) <= segments + 1, f"{len(asked)} requests, {segments} segments"
    assert all(
        host in r["error"] and "no answer within 1.5 s" in r["error"] for r in result["segments"]
    )
    stored = api.history_show(persona_twin, result["simulation_id"])
    assert stored["provenance"]["status"] == "partial"
    assert all("expected_churners" in r for r in stored["segments"])


def test_the_simulation_deadline_stops_waiting(
    persona_twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hanging_server() as host:
        settings = _on(monkeypatch, host, timeout=30)
        monkeypatch.setenv("CDT_LLM_DEADLINE", "3")
        settings = load_settings()
        result = api.simulate(settings, api.parse_scenario("price increase $5")).to_dict()
    _numbers_complete(result)
    # the request's 3 s deadline, not the calls' 30 s timeout, ended every wait
    for row in result["segments"]:
        waited = re.search(r"no answer within ([\d.]+) s", row["error"])
        assert waited and float(waited.group(1)) <= 3, row["error"]


def test_garbage_answers_keep_the_numbers_and_exit_3(
    persona_twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with garbage_server() as host:
        _on(monkeypatch, host)
        run = subprocess.run(
            [CDT, "simulate", "price increase $5", "--json"],
            capture_output=True, text=True, env=dict(os.environ), timeout=300, check=False,
        )  # fmt: skip
    assert run.returncode == 3, run.stderr
    result = json.loads(run.stdout)
    _numbers_complete(result)
    assert all("invalid" in r["error"] for r in result["segments"])


def test_doctor_names_a_host_that_accepts_but_does_not_answer() -> None:
    with hanging_server() as host:
        status = locate.ollama_status(host, MODEL, timeout=0.5)
    assert not status.answered and status.hung
    assert status.error and "accepts connections but did not answer" in status.error
