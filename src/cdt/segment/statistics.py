"""ANALYTICS.SEGMENT_STATISTICS: everything a persona prompt needs, per segment.

Computed with one group-by per kind of statistic (not one pass per segment), so the cost does
not grow with k.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import polars as pl

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
#: Columns the statistics read from CUSTOMER_FEATURES_ENRICHED (besides clustering features).
NEEDED_COLUMNS = ("customer_id", "state_code", "dma_code", "median_household_income",
                  *KEY_FEATURES, *MIX_COLUMNS[:8])  # fmt: skip
AGE_BANDS = ([25, 35, 45, 55, 65], ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"])
INCOME_BANDS = ([40_000, 60_000, 80_000, 100_000],
                ["<$40K", "$40-60K", "$60-80K", "$80-100K", "$100K+"])  # fmt: skip
TOP_N = 5
CAMPAIGN_COUNTS = ("campaigns", "responded", "converted", "price_notices", "price_pushback",
                   "price_churn")  # fmt: skip


def with_bands(frame: pl.DataFrame) -> pl.DataFrame:
    """Add age and ZIP-income bands (left-closed bins; missing values stay missing)."""
    return frame.with_columns(
        age_band=_band(frame["age"], *AGE_BANDS),
        income_band=_band(frame["median_household_income"], *INCOME_BANDS),
    )


def _band(series: pl.Series, edges: list[int], labels: list[str]) -> pl.Series:
    values = series.cast(pl.Float64).to_numpy()
    bands = np.array(labels, dtype=object)[np.digitize(np.nan_to_num(values), edges)]
    return pl.Series(np.where(np.isnan(values), None, bands), dtype=pl.String)


def _shares(
    frame: pl.DataFrame, column: str, sizes: dict[int, int], top: int | None = None
) -> dict[int, list[tuple[str, float]]]:
    """Per label: (value, share) pairs, most common first (ties by value)."""
    counts = (
        frame.select("label", pl.col(column).cast(pl.String).fill_null("(unknown)").alias("v"))
        .group_by("label", "v").len()
        .sort(["label", "len", "v"], descending=[False, True, False])
    )  # fmt: skip
    result: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for label, value, count in counts.iter_rows():
        if top is None or len(result[label]) < top:
            result[label].append((str(value), round(int(count) / sizes[label], 4)))
    return result


def segment_rows(frame: pl.DataFrame, campaigns: pl.DataFrame, dma_names: dict[str, str],
                 ids: list[str], names: list[str], reasons: list[str],
                 labels_in_order: list[int], labels: np.ndarray, run_id: str
                 ) -> list[dict[str, object]]:  # fmt: skip
    """One SEGMENT_STATISTICS row per segment (JSON columns as dicts, for ``insert_rows``)."""
    frame = with_bands(frame).with_columns(label=pl.Series(labels))
    present = [f for f in KEY_FEATURES if f in frame.columns]
    aggregates = frame.group_by("label").agg(
        pl.len().alias("_count"),
        *[pl.col(f).cast(pl.Float64).mean().alias(f"mean:{f}") for f in present],
        *[pl.col(f).cast(pl.Float64).median().alias(f"median:{f}") for f in present],
    )
    stats = {row["label"]: row for row in aggregates.iter_rows(named=True)}
    outcomes = (
        frame.select("customer_id", "label")
        .join(campaigns, on="customer_id", how="left")
        .group_by("label").agg(*[pl.col(c).sum() for c in CAMPAIGN_COUNTS])
    )  # fmt: skip
    outcome = {row["label"]: row for row in outcomes.iter_rows(named=True)}
    sizes = {label: int(row["_count"]) for label, row in stats.items()}
    mixes = {c: _shares(frame, c, sizes) for c in MIX_COLUMNS if c in frame.columns}
    states = _shares(frame, "state_code", sizes, TOP_N)
    dmas = _shares(frame, "dma_code", sizes, TOP_N)

    rows = []
    for segment_id, name, reason, label in zip(ids, names, reasons, labels_in_order, strict=True):
        size = sizes.get(label, 0)
        means = {f: _number(stats[label][f"mean:{f}"]) for f in present}
        medians = {f: _number(stats[label][f"median:{f}"]) for f in present}
        counts = {c: float(outcome[label][c] or 0) for c in CAMPAIGN_COUNTS}
        rows.append({
            "segment_id": segment_id,
            "segment_name": name,
            "customer_count": size,
            "pct_of_base": round(100 * size / frame.height, 2),
            "avg_arpu": means.get("monthly_arpu"),
            "avg_tenure_months": means.get("tenure_months"),
            "avg_data_usage_gb": means.get("avg_data_usage_gb"),
            "avg_churn_risk": means.get("churn_risk_score"),
            "avg_sentiment_score": means.get("avg_sentiment_score"),
            "price_sensitivity": _ratio(counts["price_pushback"], counts["price_notices"]),
            "campaign_response_rate": _ratio(counts["responded"], counts["campaigns"]),
            "top_plan": mixes["plan_name"][label][0][0],
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
            "mixes": {c: dict(mix[label]) for c, mix in mixes.items()},
            "top_geographies": {
                "states": [{"code": v, "share": s} for v, s in states[label]],
                "dmas": [{"code": v, "name": dma_names.get(v, v), "share": s}
                         for v, s in dmas[label]],
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
