"""HISTORY, the one place simulations are written and read: a finished simulation goes in
with its AGENTS logs in one transaction, or not at all, and comes back replayable."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from cdt.agents.result import SimulationResult
from cdt.backends.base import Backend
from cdt.errors import ConfigError
from cdt.rows import decode_rows, insert_rows
from cdt.sqlfiles import read_sql


def store_simulation(backend: Backend, result: SimulationResult, started: datetime) -> None:
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


def simulations(backend: Backend, limit: int = 50) -> list[dict[str, Any]]:
    """Stored simulations, newest first."""
    rows = backend.query(read_sql("history_list", backend.dialect), [limit]).to_pylist()
    return decode_rows(backend, rows, "HISTORY.SIMULATIONS")


def simulation(backend: Backend, simulation_id: str) -> dict[str, Any]:
    """A stored simulation (by its id or the id's first characters) as it was shown.

    Raises:
        ConfigError: no simulation has that id.
    """
    found = backend.query(
        read_sql("history_find", backend.dialect), [simulation_id, f"{simulation_id}%"]
    ).to_pylist()
    if not found:
        raise ConfigError(f"no simulation {simulation_id!r}", fix="see `cdt history`")
    head = decode_rows(backend, found[:1], "HISTORY.SIMULATIONS")[0]
    results = decode_rows(
        backend,
        backend.query(
            read_sql("history_results", backend.dialect), [head["simulation_id"]]
        ).to_pylist(),
        "HISTORY.SIMULATION_RESULTS",
    )
    scenario = head["scenario_params"] or {}
    return {
        "simulation_id": head["simulation_id"],
        "scenario": scenario,
        "warnings": scenario.get("warnings", []),
        "segments": [r["reaction"] for r in results],
        "overall": head["overall"],
        "recommendation": head["recommendation"],
        "provenance": {
            "backend": head["backend"],
            "provider": head["provider"],
            "model_id": head["model_id"],
            "data_snapshot_id": head["data_snapshot_id"],
            "persona_versions": head["persona_versions"],
            "started_at": str(head["started_at"]),
            "status": head["status"],
        },
    }


def store_sweep(
    backend: Backend,
    result: dict[str, Any],
    scenario: dict[str, Any],
    span: tuple[float, float, float],
    model_id: str,
) -> str:
    """Write a sweep's result to HISTORY.SWEEPS; returns its id."""
    sweep_id = str(uuid.uuid4())
    with backend.work("app"), backend.transaction():
        insert_rows(
            backend,
            "HISTORY.SWEEPS",
            [
                {
                    "sweep_id": sweep_id,
                    "scenario_text": str(scenario.get("text") or "")[:4000],
                    "scenario_params": scenario,
                    "param": result["param"],
                    "range_from": span[0],
                    "range_to": span[1],
                    "range_step": span[2],
                    "response_model_id": model_id,
                    "result": result,
                }
            ],
        )
    return sweep_id


def sweeps(backend: Backend, limit: int = 50) -> list[dict[str, Any]]:
    """Stored sweeps, newest first."""
    rows = backend.query(read_sql("sweeps_list", backend.dialect), [limit]).to_pylist()
    return decode_rows(backend, rows, "HISTORY.SWEEPS")


def find_sweep(backend: Backend, sweep_id: str) -> dict[str, Any] | None:
    """A stored sweep (by its id or the id's first characters) as it was shown, or None."""
    found = backend.query(
        read_sql("sweep_find", backend.dialect), [sweep_id, f"{sweep_id}%"]
    ).to_pylist()
    if not found:
        return None
    row = decode_rows(backend, found[:1], "HISTORY.SWEEPS")[0]
    return {
        **row["result"],
        "sweep_id": row["sweep_id"],
        "scenario": row["scenario_params"] or {},
        "created_at": str(row["created_at"]),
    }
