"""Who a simulation speaks for: each segment's newest persona, or, on a twin without personas,
the segment's statistics with an identity drawn from data (its words then are not written);
and what each segment's history says about messages like the scenario."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cdt.backends.base import Backend
from cdt.errors import ConfigError, NotBuiltError
from cdt.llm.embed import Embedder
from cdt.personas import latest_personas
from cdt.personas.history import retrieve
from cdt.personas.identity import identities
from cdt.segment.statistics import read_statistics

HISTORY_K = 3


@dataclass(frozen=True)
class Speakers:
    """The segments a simulation covers, as persona-shaped rows, and whether they are
    personas (words can be written) or bare statistics (numbers and stance only)."""

    rows: list[dict[str, Any]]
    personas: bool


def speakers(backend: Backend, segments: list[str] | None) -> Speakers:
    """The latest persona of each (or each named) segment, or the segments themselves when
    the twin has no personas.

    Raises:
        NotBuiltError: no segments yet.  ConfigError: an unknown segment.
    """
    personas = latest_personas(backend)
    rows = personas or _bare(backend)
    if not rows:
        raise NotBuiltError("there are no segments yet", fix="run `cdt build` first")
    if not segments:
        return Speakers(rows, bool(personas))
    wanted = {s.upper() for s in segments}
    known = {str(p["segment_id"]): str(p.get("segment_name") or "") for p in rows}
    if wanted - set(known):
        named = (f"{sid} ({name})" if name else sid for sid, name in sorted(known.items()))
        raise ConfigError(
            f"unknown segment(s): {', '.join(sorted(wanted - set(known)))}",
            fix=f"choose from {', '.join(named)}",
        )
    return Speakers([p for p in rows if p["segment_id"] in wanted], bool(personas))


def _bare(backend: Backend) -> list[dict[str, Any]]:
    """Segments as persona-shaped rows from their statistics, largest first."""
    stats = read_statistics(backend)
    who = identities(backend, [str(s["segment_id"]) for s in stats])
    rows = []
    for stat in stats:
        segment = str(stat["segment_id"])
        person = who.get(segment)
        rows.append(
            {
                "segment_id": segment,
                "segment_name": stat["segment_name"],
                "persona_id": None,
                "persona_name": person.persona_name if person else None,
                "version": None,
                "customer_count": int(stat["customer_count"]),
                "pct_of_base": float(stat["pct_of_base"]),
                "typical_arpu": stat.get("avg_arpu"),
                "typical_plan": stat.get("top_plan"),
            }
        )
    rows.sort(key=lambda r: (-r["customer_count"], r["segment_id"]))
    return rows


def history(
    backend: Backend, embedder: Embedder, segments: list[str], query: np.ndarray
) -> dict[str, tuple[list[dict[str, Any]], str]]:
    """For each segment: its HISTORY_K past reactions most similar to the scenario's vector
    ``query``, and how they were found."""
    return {s: retrieve(backend, embedder, s, query, HISTORY_K) for s in segments}


def short(reaction: dict[str, Any]) -> str:
    """A past reaction in a few words: what happened and the two main observed rates."""
    summary = str(reaction["reaction_summary"])
    head, _, rates = summary.partition(": ")
    head = head.split(" (")[0].replace(" price ", " ").replace(" notice", "")
    kept = [r.replace(" to leave", "") for r in rates.split(", ")[:2]]
    return f"{head}: {', '.join(kept)}"
