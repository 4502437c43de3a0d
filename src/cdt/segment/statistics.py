"""ANALYTICS.SEGMENT_STATISTICS: everything a persona prompt needs, per segment.

Computed in the warehouse from ANALYTICS.CUSTOMER_SEGMENTS once the assignments are written:
three grouped queries (sizes, means and medians; the mixes; campaign outcomes) whose results
are a few rows per segment, on DuckDB and Snowflake alike. No customer row is fetched, and the
cost does not grow with k.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from cdt.backends.base import Backend
from cdt.rows import decode_rows
from cdt.sqlfiles import read_sql

KEY_FEATURES = (
    "age", "tenure_months", "monthly_arpu", "lifetime_value", "lines_on_account",
    "avg_data_usage_gb", "avg_voice_minutes", "data_trend_3m", "overage_frequency",
    "support_contacts_12m", "avg_sentiment_score", "complaint_rate", "app_engagement_score",
    "nps_score", "churn_risk_score", "median_household_income", "population_density",
    "price_position_ratio", "wallet_share_pct",
)  # fmt: skip
MIX_COLUMNS = (
    "plan_name", "contract_type", "device_tier", "device_brand", "device_os",
    "urban_rural_class", "gender", "rewards_tier", "age_band", "income_band",
)  # fmt: skip
#: Columns counted per value in sql/common/segment_mixes.sql.
MIXED = (*MIX_COLUMNS, "state_code", "dma_code")
AGE_BANDS = ([25, 35, 45, 55, 65], ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"])
INCOME_BANDS = ([40_000, 60_000, 80_000, 100_000],
                ["<$40K", "$40-60K", "$60-80K", "$80-100K", "$100K+"])  # fmt: skip
TOP_N = 5
CAMPAIGN_COUNTS = ("campaigns", "responded", "converted", "price_notices", "price_pushback",
                   "price_churn")  # fmt: skip


@dataclass(frozen=True)
class Aggregates:
    """What the statistics are made of, per segment id: sizes, means and medians, value
    counts of the mixes (most common first, ties by value) and campaign outcome counts."""

    sizes: dict[str, int]
    means: dict[str, dict[str, float | None]]
    medians: dict[str, dict[str, float | None]]
    mixes: dict[str, dict[str, list[tuple[str, int]]]]  # column -> segment -> (value, count)
    outcomes: dict[str, dict[str, float]]

    @property
    def customers(self) -> int:
        return sum(self.sizes.values())


def read_aggregates(backend: Backend) -> Aggregates:
    """The per-segment aggregates of the assignments in ANALYTICS.CUSTOMER_SEGMENTS."""
    sizes: dict[str, int] = {}
    means: dict[str, dict[str, float | None]] = {}
    medians: dict[str, dict[str, float | None]] = {}
    for row in backend.query(read_sql("segment_feature_aggregates", backend.dialect)).to_pylist():
        segment = str(row["segment_id"])
        sizes[segment] = int(row["customers"])
        means[segment] = {f: _number(row[f"mean_{f}"]) for f in KEY_FEATURES}
        medians[segment] = {f: _number(row[f"median_{f}"]) for f in KEY_FEATURES}
    mixes: dict[str, dict[str, list[tuple[str, int]]]] = {c: defaultdict(list) for c in MIXED}
    for row in backend.query(read_sql("segment_mixes", backend.dialect)).to_pylist():
        mixes[str(row["mix_column"])][str(row["segment_id"])].append(
            (str(row["mix_value"]), int(row["customers"]))
        )
    for by_segment in mixes.values():
        for counts in by_segment.values():
            counts.sort(key=lambda pair: (-pair[1], pair[0]))
    outcomes = {
        str(row["segment_id"]): {c: float(row[c] or 0) for c in CAMPAIGN_COUNTS}
        for row in backend.query(read_sql("segment_campaign_outcomes", backend.dialect)).to_pylist()
    }
    return Aggregates(sizes, means, medians, mixes, outcomes)


def _shares(
    aggregates: Aggregates, column: str, segment: str, top: int | None = None
) -> list[tuple[str, float]]:
    size = aggregates.sizes[segment]
    counts = aggregates.mixes[column].get(segment, [])[:top]
    return [(value, round(count / size, 4)) for value, count in counts]


def dma_names(backend: Backend) -> dict[str, str]:
    """Each DMA's name by code (EXTERNAL.COMPETITIVE_LANDSCAPE), for the statistics' DMAs."""
    return {
        str(row["dma_code"]): str(row["dma_name"])
        for row in backend.query(read_sql("dma_names", backend.dialect)).to_pylist()
    }


def segment_rows(aggregates: Aggregates, dma_names: dict[str, str], ids: list[str],
                 names: list[str], reasons: list[str], run_id: str
                 ) -> list[dict[str, object]]:  # fmt: skip
    """One SEGMENT_STATISTICS row per segment in ``ids`` (JSON columns as dicts, for
    ``insert_rows``); a segment no customer was assigned to is left out."""
    rows = []
    empty = dict.fromkeys(CAMPAIGN_COUNTS, 0.0)
    for segment_id, name, reason in zip(ids, names, reasons, strict=True):
        if segment_id not in aggregates.sizes:
            continue
        size = aggregates.sizes[segment_id]
        means, medians = aggregates.means[segment_id], aggregates.medians[segment_id]
        counts = aggregates.outcomes.get(segment_id, empty)
        rows.append({
            "segment_id": segment_id,
            "segment_name": name,
            "customer_count": size,
            "pct_of_base": round(100 * size / aggregates.customers, 2),
            "avg_arpu": means.get("monthly_arpu"),
            "avg_tenure_months": means.get("tenure_months"),
            "avg_data_usage_gb": means.get("avg_data_usage_gb"),
            "avg_churn_risk": means.get("churn_risk_score"),
            "avg_sentiment_score": means.get("avg_sentiment_score"),
            "price_sensitivity": _ratio(counts["price_pushback"], counts["price_notices"]),
            "campaign_response_rate": _ratio(counts["responded"], counts["campaigns"]),
            "top_plan": _shares(aggregates, "plan_name", segment_id)[0][0],
            "name_reason": reason[:500],
            "feature_means": {
                "mean": means,
                "median": medians,
                "campaign_outcomes": {
                    "campaigns_received": int(counts["campaigns"]),
                    "conversion_rate": _ratio(counts["converted"], counts["campaigns"]),
                    "price_increase_notices": int(counts["price_notices"]),
                    "churn_after_price_increase": _ratio(counts["price_churn"],
                                                         counts["price_notices"]),
                },
            },
            "mixes": {c: dict(_shares(aggregates, c, segment_id)) for c in MIX_COLUMNS},
            "top_geographies": {
                "states": [{"code": v, "share": s}
                           for v, s in _shares(aggregates, "state_code", segment_id, TOP_N)],
                "dmas": [{"code": v, "name": dma_names.get(v, v), "share": s}
                         for v, s in _shares(aggregates, "dma_code", segment_id, TOP_N)],
            },
            "segmentation_run_id": run_id,
        })  # fmt: skip
    return rows


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if not np.isfinite(number) else round(number, 4)


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 5) if denominator else None


def read_statistics(backend: Backend) -> list[dict[str, Any]]:
    """The stored SEGMENT_STATISTICS rows in id order, their JSON columns decoded."""
    rows = backend.query(read_sql("segment_statistics", backend.dialect)).to_pylist()
    return decode_rows(backend, rows, "ANALYTICS.SEGMENT_STATISTICS")
