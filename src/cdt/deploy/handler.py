"""AGENTS.SIMULATE_SCENARIO's handler: what runs inside Snowflake when a worksheet calls
``CALL AGENTS.SIMULATE_SCENARIO('price increase $5')``.

It is cdt's own code (imported from cdt.zip on the AGENTS.CDT_CODE stage), over the
procedure's Snowpark session: the scenario is read by the rules (``cdt.scenario.parse``) and,
as `cdt simulate` reads it under Cortex, by P_READER's model too (``agents.reading``),
grounded in the stored response model's history (``agents.grounding``), its audience resolved
(``agents.targeting``), and every reached customer scored in the warehouse by the model
compiled to SQL (``calibrate.score_sql``). Only per-segment aggregates come back. The stance
(likely action and sentiment) is derived from the shares (``cdt.voices.stance``), and the
voices are written by the same step as `cdt simulate`'s (``agents.voicing``): through
AI_COMPLETE, every text through the gate, with all-MiniLM-L6-v2 and VADER's lexicons imported
beside the code; or from data.

``simulate_rows`` holds the logic and takes any Backend, LLM client and embedder (tests run it
on DuckDB with the bundled embedder).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cdt.backends.base import Backend
from cdt.llm.client import LLMClient
from cdt.llm.embed import Embedder

#: The procedure's columns, in its RETURNS TABLE order (sql/deploy/40_simulate_scenario.sql).
COLUMNS = (
    "segment_id", "segment_name", "customer_count", "pct_of_base", "reaction",
    "sentiment_score", "likely_action", "weighted_impact", "affected_customers",
    "share_accepted", "share_ignored", "share_complained", "share_threatened_churn",
    "share_churned", "share_upgraded", "share_downgraded", "expected_churners",
    "added_churners", "revenue_at_risk", "campaign_type", "notes", "voices",
)  # fmt: skip
#: P_MODEL's value that writes every voice from data, with no AI_COMPLETE call.
DATA = "data"
#: P_READER's value that reads the scenario by the rules alone.
RULES = "rules"


def simulate_rows(
    backend: Backend,
    text: str,
    segment_filter: Sequence[str] | None = None,
    *,
    words: bool = True,
    client: LLMClient | None = None,
    embedder: Embedder | None = None,
    reader: LLMClient | None = None,
) -> list[dict[str, Any]]:
    """One row per reached segment (in ``COLUMNS``), largest first; only the segments in
    ``segment_filter`` when it is given. The text is read by the rules and, with ``reader``,
    by its LLM too, reconciled as `cdt simulate` does. With ``words``, each reached segment's
    voices are written by ``client`` (None: from data) and judged with ``embedder``'s gate.

    Raises:
        ConfigError: the scenario cannot be read (empty, too long), or an unknown segment.
        NotBuiltError: no segments or response model yet.
        StaleError: the segments or the response model no longer match the loaded data (as
            `cdt simulate` refuses: a stale twin gives no numbers).
    """
    from cdt.agents.plan import plan_simulation
    from cdt.agents.segments import speakers
    from cdt.errors import StaleError
    from cdt.staleness import NUMBERS, check

    stale = [s for s in check(backend, None) if s.stage in NUMBERS]
    if stale:
        raise StaleError(
            "the twin is stale (" + "; ".join(s.line() for s in stale) + ")",
            fix="rebuild it (`cdt build`, or the daily refresh task) before SIMULATE_SCENARIO",
        )
    from cdt.calibrate import logit, model_or_none
    from cdt.calibrate.predict import quiet_inputs, reached_arpu
    from cdt.calibrate.score_sql import shares_in_sql
    from cdt.scenario import parse
    from cdt.segment.statistics import read_statistics
    from cdt.voices import stance

    scenario = parse(text)
    if reader is not None:
        from cdt.agents.reading import read

        scenario = read(backend, reader, scenario)
    model = model_or_none(backend)  # None: no campaign history, so no numbers (said why)
    # `cdt simulate`'s plan: the same audience, grounding, plausibility check (an implausible
    # reading is refused) and warnings; only the scoring runs in the warehouse.
    wanted = {str(p["segment_id"]) for p in speakers(backend, list(segment_filter or ())).rows}
    plan = plan_simulation(backend, model, scenario, scored=False)
    grounded = plan.grounding
    numbers = (
        shares_in_sql(backend, model, grounded.inputs, plan.reach.filters)
        if grounded.inputs is not None and model is not None
        else {}
    )
    # The same customers in a month without the message (a $0 price notice), as `cdt
    # simulate` compares them: the churners the message itself adds.
    quiet = (
        shares_in_sql(backend, model, quiet_inputs(grounded.inputs), plan.reach.filters)
        if grounded.inputs is not None
        and grounded.inputs.campaign_type == logit.NOTICE
        and model is not None
        and logit.NOTICE in model.logit.vocab.types
        else {}
    )
    notes = plan.warnings
    # a grounded scenario whose audience holds nobody reaches 0 of each segment
    reached_none = 0 if grounded.inputs is not None else None
    rows = []
    for stat in read_statistics(backend):
        segment = str(stat["segment_id"])
        if segment not in wanted:
            continue
        found = numbers.get(segment)
        if found is None and numbers:
            continue  # the scenario reaches none of this segment (but some other)
        # Not grounded, or nobody reached: every segment's row carries the notes that say why.
        shares = found["shares"] if found else {}
        # The stance is the data's, as in `cdt simulate`: never the LLM's stated action.
        said = stance.from_shares(shares, adverse=plan.scenario.adverse()) if shares else None
        sentiment = said.sentiment_score if said else None
        rows.append(
            {
                "segment_id": segment,
                "segment_name": stat["segment_name"],
                "customer_count": int(stat["customer_count"]),
                "pct_of_base": float(stat["pct_of_base"]),
                "reaction": None,
                "sentiment_score": sentiment,
                "likely_action": said.likely_action if said else None,
                "weighted_impact": None
                if sentiment is None
                else sentiment * float(stat["pct_of_base"]) / 100,
                "affected_customers": found["customers"] if found else reached_none,
                **{f"share_{k}": shares.get(k) for k in _OUTCOMES},
                "expected_churners": found["churners"] if found else None,
                "added_churners": found["churners"] - quiet[segment]["churners"]
                if found and segment in quiet
                else None,
                "revenue_at_risk": found["revenue_at_risk"] if found else None,
                "campaign_type": grounded.inputs.campaign_type if grounded.inputs else None,
                "notes": "; ".join(dict.fromkeys(notes)) or None,
                "voices": None,
                "_stance": said,
                "_shares": shares,
                "_arpu": reached_arpu(found["reached_revenue"], found["customers"])
                if found
                else None,
            }
        )
    if words and embedder is not None:
        _voice(backend, client, embedder, scenario, rows)
    rows.sort(key=lambda r: -r["customer_count"])
    return [{c: r[c] for c in COLUMNS} for r in rows]


_OUTCOMES = tuple(c.removeprefix("share_") for c in COLUMNS if c.startswith("share_"))


def _voice(
    backend: Backend,
    client: LLMClient | None,
    embedder: Embedder,
    scenario: Any,
    rows: list[dict[str, Any]],
) -> None:
    """Fill each voiced row's ``reaction`` (the primary voice, the spec's object) and
    ``voices`` through ``agents.voicing``, as `cdt simulate` does; a segment without a
    persona, or whose words failed, says so in its notes."""
    from cdt.agents import voicing
    from cdt.agents.segments import speakers
    from cdt.config import VoiceSettings
    from cdt.progress import NullProgress

    people = speakers(backend, [r["segment_id"] for r in rows] or None)
    if not people.personas:
        for row in rows:
            row["notes"] = _joined(row["notes"], "words not written: no personas yet")
        return
    voiced = {r["segment_id"]: r for r in rows if r["_stance"] and r["_shares"]}
    writable = [p for p in people.rows if str(p["segment_id"]) in voiced]
    if not writable:
        return
    asks = {
        s: {
            "segment_id": s,
            "action_shares": r["_shares"],
            "reached_arpu": r["_arpu"],
            **r["_stance"].to_dict(),
        }
        for s, r in voiced.items()
    }
    voicing.speak(backend, client, embedder, scenario, writable, asks, VoiceSettings(), 42, None,
                  None, NullProgress())  # fmt: skip
    for segment, said in asks.items():
        row = voiced[segment]
        if said.get("words") == "written":
            row["reaction"] = said["reaction"]
            row["voices"] = said["voices"]
            sources = sorted({v["source"] for v in said["voices"]})
            row["notes"] = _joined(row["notes"], "voices from " + ", ".join(sources))
        else:
            row["notes"] = _joined(row["notes"], "words unavailable: " + said.get("error", ""))


def _joined(notes: str | None, line: str) -> str:
    return "; ".join(x for x in (notes, line.rstrip(": ")) if x)


def import_directory() -> Path | None:
    """Where Snowflake put the procedure's imports, when running inside it."""
    folder = getattr(sys, "_xoptions", {}).get("snowflake_import_directory")
    return Path(folder) if folder else None


def simulate_scenario(
    session: Any,
    scenario: str,
    segment_filter: list[str] | None = None,
    model: str | None = None,
    reader: str | None = None,
) -> Any:
    """The procedure's handler: ``simulate_rows`` over the procedure's session, as a Snowpark
    DataFrame in the procedure's RETURNS TABLE columns. ``model`` is the Cortex model that
    writes the voices (``DATA``: none, the data writes them); ``reader`` the one that reads the
    scenario beside the rules (``RULES``: the rules alone)."""
    from snowflake.snowpark.types import (
        FloatType,
        IntegerType,
        StringType,
        StructField,
        StructType,
        VariantType,
    )

    from cdt.backends.snowpark import SnowparkBackend
    from cdt.llm.cortex import CortexLLM
    from cdt.llm.embed import MiniLMEmbedder
    from cdt.voices.signals import VADER_FOLDER

    backend = SnowparkBackend(session)
    folder = import_directory()
    embedder = None
    if folder is not None:
        os.environ[VADER_FOLDER] = str(folder)
        embedder = MiniLMEmbedder(folder)
    client = None if not model or model == DATA else LLMClient(CortexLLM(backend, model))
    reads = None if not reader or reader == RULES else LLMClient(CortexLLM(backend, reader))
    rows = simulate_rows(backend, scenario, segment_filter, client=client, embedder=embedder,
                         reader=reads)  # fmt: skip
    types = {"segment_id": StringType(), "segment_name": StringType(),
             "customer_count": IntegerType(), "reaction": VariantType(),
             "likely_action": StringType(), "campaign_type": StringType(),
             "notes": StringType(), "voices": VariantType()}  # fmt: skip
    schema = StructType([StructField(c.upper(), types.get(c, FloatType())) for c in COLUMNS])
    return session.create_dataframe([tuple(r[c] for c in COLUMNS) for r in rows], schema=schema)
