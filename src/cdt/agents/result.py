"""A finished simulation, as the stages hand it on and HISTORY stores it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The exit status of a simulation that kept every number but lost some words.
WORDS_MISSING = 3


@dataclass
class SimulationResult:
    """A finished simulation, as stored in HISTORY."""

    simulation_id: str
    scenario: dict[str, Any]  # the typed scenario, its warnings included
    segments: list[dict[str, Any]] = field(default_factory=list)
    overall: dict[str, Any] = field(default_factory=dict)
    recommendation: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0, or ``WORDS_MISSING`` when some segment's words could not be written (its
        numbers and stance are kept)."""
        return WORDS_MISSING if self.overall.get("segments_failed") else 0

    def to_dict(self) -> dict[str, object]:
        return {
            "simulation_id": self.simulation_id,
            "scenario": self.scenario,
            "segments": self.segments,
            "overall": self.overall,
            "recommendation": self.recommendation,
            "provenance": self.provenance,
        }
