"""A finished simulation, as the stages hand it on and HISTORY stores it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SimulationResult:
    """A finished simulation, as stored in HISTORY."""

    simulation_id: str
    scenario: dict[str, Any]  # the typed scenario, its warnings included
    segments: list[dict[str, Any]] = field(default_factory=list)
    overall: dict[str, Any] = field(default_factory=dict)
    recommendation: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "simulation_id": self.simulation_id,
            "scenario": self.scenario,
            "segments": self.segments,
            "overall": self.overall,
            "recommendation": self.recommendation,
            "provenance": self.provenance,
        }
