"""The facade's HISTORY reads: stored simulations and sweeps, listed and replayed without
calling any LLM or model."""

from __future__ import annotations

from typing import Any

from cdt.api.session import read_connection
from cdt.config import Settings
from cdt.errors import ConfigError


def history(settings: Settings, limit: int = 50) -> list[dict[str, Any]]:
    """Stored simulations, newest first."""
    from cdt.history import simulations

    with read_connection(settings) as backend:
        return simulations(backend, limit)


def history_show(settings: Settings, simulation_id: str) -> dict[str, Any]:
    """A stored simulation (or sweep, with ``kind`` "sweep") replayed from HISTORY, without
    calling any LLM.

    Raises:
        ConfigError: unknown simulation id.
    """
    from cdt.history import find_sweep, simulation

    with read_connection(settings) as backend:
        try:
            return simulation(backend, simulation_id)
        except ConfigError:
            found = find_sweep(backend, simulation_id)
            if found is None:
                raise ConfigError(
                    f"no simulation or sweep {simulation_id!r}",
                    fix="see `cdt history` (and `cdt history --sweeps`)",
                ) from None
            return {**found, "kind": "sweep"}


def sweep_history(settings: Settings, limit: int = 50) -> list[dict[str, Any]]:
    """Stored sweeps, newest first."""
    from cdt.history import sweeps

    with read_connection(settings) as backend:
        return sweeps(backend, limit)
