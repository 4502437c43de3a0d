"""A segment's real customer words closest to a scenario: the fallback for a quote the LLM
could not write twice. Verbatims come from RAW.SUPPORT_INTERACTIONS (persona_verbatims.sql)
and are ranked by embedding similarity to the scenario."""

from __future__ import annotations

import numpy as np

from cdt.backends.base import Backend
from cdt.errors import BackendError
from cdt.llm.embed import Embedder
from cdt.sqlfiles import read_sql

PER_SEGMENT = 16  # few enough to embed without loading the batch model


def closest(
    backend: Backend, embedder: Embedder, segments: list[str], query: np.ndarray
) -> dict[str, str | None]:
    """For each segment, its verbatim most similar to ``query`` (None when it has none)."""
    try:
        rows = backend.query(read_sql("persona_verbatims", backend.dialect)).to_pylist()
    except BackendError:
        return dict.fromkeys(segments)
    out: dict[str, str | None] = {}
    for segment in segments:
        texts = [str(r["customer_verbatim"]) for r in rows if r["segment_id"] == segment]
        texts = [t for t in texts if t.strip()][:PER_SEGMENT]
        if not texts:
            out[segment] = None
            continue
        vectors = embedder.embed(texts)
        out[segment] = texts[int(np.argmax(vectors @ query))]
    return out
