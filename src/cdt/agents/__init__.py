"""Simulations and their parts: the plan (audience, grounding, numbers), the simulation
itself (``simulation``), its aggregation, sweeps, campaign tests and HISTORY (``store``)."""

from cdt.agents.segments import speakers
from cdt.agents.simulation import simulate

__all__ = ["simulate", "speakers"]
