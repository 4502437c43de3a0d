"""AGENTS.SIMULATE_SCENARIO's handler: what runs inside Snowflake when a worksheet calls
``CALL AGENTS.SIMULATE_SCENARIO('price increase $5')``.

It is cdt's own code (imported from cdt.zip on the AGENTS.CDT_CODE stage), over the
procedure's Snowpark session: the scenario is read by the rules (``cdt.scenario.parse``),
grounded in the stored response model's history (``agents.grounding``), its audience resolved
(``agents.targeting``), and every reached customer scored in the warehouse by the model
compiled to SQL (``calibrate.score_sql``). Only per-segment aggregates come back. The words
come from AGENTS.ASK_PERSONA, one call per reached segment's persona; the stance (likely
action and sentiment) is derived from the shares, as everywhere else (``cdt.voices.stance``).

``simulate_rows`` holds the logic and takes any Backend (tests run it on DuckDB, words off).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cdt.backends.base import Backend

#: The procedure's columns, in its RETURNS TABLE order (sql/deploy/40_simulate_scenario.sql).
COLUMNS = (
    "segment_id", "segment_name", "customer_count", "pct_of_base", "reaction",
    "sentiment_score", "likely_action", "weighted_impact", "affected_customers",
    "share_accepted", "share_ignored", "share_complained", "share_threatened_churn",
    "share_churned", "share_upgraded", "share_downgraded", "expected_churners",
    "revenue_at_risk", "campaign_type", "notes",
)  # fmt: skip
ASK_SQL = (
    "SELECT p.segment_id, AGENTS.ASK_PERSONA(p.persona_id, ?) AS reaction "
    "FROM PERSONAS.PERSONA_DEFINITIONS p "
    "QUALIFY ROW_NUMBER() OVER (PARTITION BY p.segment_id ORDER BY p.version DESC) = 1"
)


def simulate_rows(
    backend: Backend,
    text: str,
    segment_filter: Sequence[str] | None = None,
    *,
    words: bool = True,
) -> list[dict[str, Any]]:
    """One row per reached segment (in ``COLUMNS``), largest first; only the segments in
    ``segment_filter`` when it is given.

    Raises:
        ConfigError: the scenario cannot be read (empty, too long).
        NotBuiltError: no segments or response model yet.
    """
    from cdt.agents import grounding, targeting
    from cdt.calibrate import latest_model
    from cdt.calibrate.score_sql import shares_in_sql
    from cdt.scenario import parse
    from cdt.segment.statistics import read_statistics
    from cdt.voices import stance

    scenario = parse(text)
    model = latest_model(backend)
    reach = targeting.resolve(backend, scenario)
    grounded = grounding.ground(scenario, model.facts)
    numbers = (
        shares_in_sql(backend, model, grounded.inputs, reach.filters)
        if grounded.inputs is not None
        else {}
    )
    notes = [*scenario.warnings, *reach.warnings, *grounded.notes]
    if not grounded.grounded:
        notes.append(grounded.reason)
    wanted = set(segment_filter) if segment_filter else None
    reactions = _reactions(backend, text) if words else {}
    rows = []
    for stat in read_statistics(backend):
        segment = str(stat["segment_id"])
        if wanted is not None and segment not in wanted:
            continue
        found = numbers.get(segment)
        if grounded.grounded and found is None:
            continue  # the scenario reaches none of this segment
        reaction = reactions.get(segment)
        shares = found["shares"] if found else {}
        # The stance is the data's, as in `cdt simulate`: never the LLM's stated action.
        said = stance.from_shares(shares) if shares else None
        sentiment = said.sentiment_score if said else None
        rows.append(
            {
                "segment_id": segment,
                "segment_name": stat["segment_name"],
                "customer_count": int(stat["customer_count"]),
                "pct_of_base": float(stat["pct_of_base"]),
                "reaction": reaction,
                "sentiment_score": sentiment,
                "likely_action": said.likely_action if said else None,
                "weighted_impact": None
                if sentiment is None
                else sentiment * float(stat["pct_of_base"]) / 100,
                "affected_customers": found["customers"] if found else None,
                **{f"share_{k}": shares.get(k) for k in _OUTCOMES},
                "expected_churners": found["churners"] if found else None,
                "revenue_at_risk": found["revenue_at_risk"] if found else None,
                "campaign_type": grounded.inputs.campaign_type if grounded.inputs else None,
                "notes": "; ".join(dict.fromkeys(notes)) or None,
            }
        )
    rows.sort(key=lambda r: -r["customer_count"])
    return rows


_OUTCOMES = tuple(c.removeprefix("share_") for c in COLUMNS if c.startswith("share_"))


def _reactions(backend: Backend, text: str) -> dict[str, dict[str, Any]]:
    """Each segment's newest persona's reaction (AGENTS.ASK_PERSONA); a reaction that is
    not a JSON object is left out, as are segments without a persona."""
    out = {}
    for row in backend.query(ASK_SQL, [text]).to_pylist():
        value = row["reaction"]
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                continue
        if isinstance(value, dict):
            out[str(row["segment_id"])] = value
    return out
