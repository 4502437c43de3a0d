"""PERSONAS.HISTORICAL_REACTIONS: what each segment really did after each campaign, in words
and rates, with real verbatims; and their embeddings for retrieval."""

from __future__ import annotations

import json
import uuid
from typing import Any

import numpy as np
import pyarrow as pa

from cdt.backends.base import Backend
from cdt.calibrate.logit import OUTCOMES as MODEL_OUTCOMES
from cdt.errors import BackendError
from cdt.llm.embed import Embedder
from cdt.sqlfiles import read_sql

RESPONSE_TYPES = MODEL_OUTCOMES
OUTCOMES = (*RESPONSE_TYPES, "converted")
#: Which support category speaks to each kind of campaign (for sample verbatims).
CATEGORY_OF = {
    "Price Change Notice": "Complaint",
    "Retention Offer": "Cancellation",
    "Competitor Response": "Cancellation",
    "Upgrade Offer": "Device",
    "Add-On Promo": "Plan Change",
    "Loyalty Reward": "Account",
}


def build_reactions(backend: Backend) -> list[dict[str, Any]]:
    """One row per segment and campaign, with observed rates and a one-line summary."""
    outcomes = backend.query(read_sql("historical_reactions", backend.dialect)).to_pylist()
    verbatims: dict[tuple[str, str], list[str]] = {}
    for row in backend.query(read_sql("persona_verbatims", backend.dialect)).to_pylist():
        verbatims.setdefault((str(row["segment_id"]), str(row["category"])), []).append(
            str(row["customer_verbatim"])
        )
    rows = []
    for row in outcomes:
        rates = {name: round(float(row[name] or 0), 5) for name in OUTCOMES}
        when = str(row["event_date"])[:7]
        summary = (
            f"{row['campaign_name']} ({row['campaign_type']}, {when}): "
            f"{rates['churned']:.1%} churned, {rates['threatened_churn']:.1%} threatened "
            f"to leave, {rates['complained']:.1%} complained, {rates['accepted']:.1%} "
            f"accepted, {rates['upgraded']:.1%} upgraded "
            f"(of {int(row['customers_exposed']):,} customers)"
        )
        category = CATEGORY_OF.get(str(row["campaign_type"]), "Complaint")
        rows.append(
            {
                "reaction_id": str(
                    uuid.uuid5(uuid.NAMESPACE_OID, f"{row['segment_id']}/{row['campaign_id']}")
                ),
                "segment_id": row["segment_id"],
                "event_type": str(row["campaign_type"])[:50],
                "event_description": str(row["campaign_name"])[:500],
                "event_date": row["event_date"],
                "customers_exposed": int(row["customers_exposed"]),
                "outcome_rates": {
                    **rates,
                    "offer_type": row["offer_type"],
                    "offer_value": row["offer_value"],
                    "campaign_id": row["campaign_id"],
                },
                "reaction_summary": summary,
                "sample_verbatims": verbatims.get((str(row["segment_id"]), category), [])[:2],
            }
        )
    return rows


def store_embeddings(
    backend: Backend, reactions: list[dict[str, Any]], vectors: np.ndarray, embedder: Embedder
) -> int:
    """Replace the reaction embeddings (call inside the personas transaction)."""
    backend.execute(
        read_sql("reaction_embeddings_forget", backend.dialect), ["HISTORICAL_REACTIONS"]
    )
    if not reactions:
        return 0
    ids = [str(uuid.uuid4()) for _ in reactions]
    if backend.dialect == "duckdb":
        table = pa.table(
            {
                "embedding_id": ids,
                "source_table": ["HISTORICAL_REACTIONS"] * len(reactions),
                "source_id": [r["reaction_id"] for r in reactions],
                "segment_id": [r["segment_id"] for r in reactions],
                "content": [r["reaction_summary"] for r in reactions],
                "model_id": [embedder.model_id] * len(reactions),
                "embedding": pa.FixedSizeListArray.from_arrays(
                    pa.array(vectors.astype(np.float32).ravel()), embedder.dim
                ),
            }
        )
        return backend.load("PERSONAS.PERSONA_EMBEDDINGS", table)
    sql = read_sql("insert_embedding", backend.dialect)
    for embedding_id, reaction, vector in zip(ids, reactions, vectors, strict=True):
        backend.execute(
            sql,
            [
                embedding_id,
                "HISTORICAL_REACTIONS",
                reaction["reaction_id"],
                reaction["segment_id"],
                reaction["reaction_summary"],
                embedder.model_id,
                json.dumps(vector.round(6).tolist()),
            ],
        )
    return len(reactions)


def retrieve(
    backend: Backend, embedder: Embedder, segment_id: str, query: np.ndarray, k: int = 3
) -> tuple[list[dict[str, Any]], str]:
    """The k reactions of a segment most similar to the scenario's vector ``query`` (made by
    ``embedder``), and how they were found.

    Falls back to the most recent reactions when no vectors of this embedder exist (e.g. a
    database whose embeddings were written by another model)."""
    try:
        rows = backend.query(
            read_sql("retrieve_reactions", backend.dialect),
            [query.round(6).tolist(), segment_id, embedder.model_id, k],
        ).to_pylist()
    except BackendError:
        rows = []
    if rows:
        return rows, f"similarity ({embedder.model_id})"
    recent = backend.query(
        read_sql("recent_reactions", backend.dialect),
        [segment_id, k],
    ).to_pylist()
    return recent, "recency (no comparable vectors)"
