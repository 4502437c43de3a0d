"""Which personas a refresh rewrites: those whose segment's statistics moved beyond a
threshold since the persona was written. A new version is written beside the old one."""

from __future__ import annotations

from typing import Any

#: The statistics compared, and how far (relative change) one may move before the persona
#: is rewritten.
TRACKED = ("customer_count", "avg_arpu", "avg_tenure_months", "avg_data_usage_gb", "avg_churn_risk")
THRESHOLD = 0.05


def snapshot(stats: list[dict[str, Any]]) -> dict[str, list[float | None]]:
    """Each segment's tracked statistics, as recorded with its persona."""
    return {
        str(row["segment_id"]): [
            None if row.get(name) is None else round(float(row[name]), 6) for name in TRACKED
        ]
        for row in stats
    }


def moved(
    stats: list[dict[str, Any]], recorded: dict[str, Any], threshold: float = THRESHOLD
) -> dict[str, dict[str, float]]:
    """The segments whose tracked statistics moved more than ``threshold`` (relative) from
    ``recorded``, with the moves; a segment with no recorded statistics counts as moved."""
    now = snapshot(stats)
    out: dict[str, dict[str, float]] = {}
    for segment, values in now.items():
        before = recorded.get(segment)
        if not isinstance(before, list) or len(before) != len(TRACKED):
            out[segment] = {}
            continue
        moves = {
            name: (new - old) / abs(old)
            for name, new, old in zip(TRACKED, values, before, strict=True)
            if new is not None and old is not None and old != 0
        }
        if any(abs(m) > threshold for m in moves.values()):
            out[segment] = {name: round(m, 4) for name, m in moves.items()}
    return out
