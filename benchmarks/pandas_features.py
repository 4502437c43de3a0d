"""A straightforward pandas implementation of the feature step (usage summary, interaction
summary, enriched join), reading the same Parquet inputs: the reference the SQL step is
compared with in `make bench`. Not used by cdt itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def read(folder: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    return pd.read_parquet(folder / name, columns=columns)


def features(folder: Path) -> pd.DataFrame:
    """One row per customer: usage and support aggregates joined with ZIP and DMA data."""
    usage = read(
        folder,
        "monthly_usage",
        [
            "customer_id", "billing_month", "data_usage_gb", "voice_minutes_onnet",
            "voice_minutes_offnet", "voice_minutes_intl", "overage_charges", "total_bill",
        ],
    )  # fmt: skip
    usage["voice"] = (
        usage["voice_minutes_onnet"] + usage["voice_minutes_offnet"] + usage["voice_minutes_intl"]
    )
    usage["overage"] = (usage["overage_charges"] > 0).astype(float)
    month = pd.to_datetime(usage["billing_month"])
    usage["month_number"] = month.dt.year * 12 + month.dt.month
    summary = usage.groupby("customer_id").agg(
        avg_data_usage_gb=("data_usage_gb", "mean"),
        avg_voice_minutes=("voice", "mean"),
        overage_frequency=("overage", "mean"),
        avg_bill_amount=("total_bill", "mean"),
    )
    # Least-squares slope of data over each customer's last three months.
    recent = usage.sort_values(["customer_id", "month_number"]).groupby("customer_id").tail(3)
    x = recent["month_number"].astype(float)
    y = recent["data_usage_gb"].astype(float)
    recent = recent.assign(x=x, y=y, xy=x * y, xx=x * x)
    sums = recent.groupby("customer_id").agg(
        n=("x", "size"), sx=("x", "sum"), sy=("y", "sum"), sxy=("xy", "sum"), sxx=("xx", "sum")
    )
    denominator = sums["n"] * sums["sxx"] - sums["sx"] ** 2
    slope = (sums["n"] * sums["sxy"] - sums["sx"] * sums["sy"]) / denominator.replace(0, np.nan)
    summary["data_trend_3m"] = slope.fillna(0.0)

    support = read(
        folder,
        "support_interactions",
        ["customer_id", "interaction_date", "category", "sentiment_score"],
    )
    since = pd.to_datetime(support["interaction_date"]).max() - pd.DateOffset(months=12)
    support = support[pd.to_datetime(support["interaction_date"]) > since]
    support = support.assign(complaint=(support["category"] == "Complaint").astype(float))
    contacts = support.groupby("customer_id").agg(
        support_contacts_12m=("category", "size"),
        avg_sentiment_score=("sentiment_score", "mean"),
        complaint_rate=("complaint", "mean"),
    )

    customers = read(folder, "customers")
    zips = read(folder, "zip_demographics")
    economy = read(folder, "economic_indicators")
    market = read(folder, "competitive_landscape")
    lifestyle = read(folder, "lifestyle_segments")
    out = (
        customers.merge(summary, left_on="customer_id", right_index=True, how="left")
        .merge(contacts, left_on="customer_id", right_index=True, how="left")
        .merge(zips, on="zip_code", how="left", suffixes=("", "_zip"))
        .merge(economy, on="zip_code", how="left", suffixes=("", "_econ"))
        .merge(lifestyle, on="zip_code", how="left", suffixes=("", "_life"))
        .merge(market, on="dma_code", how="left", suffixes=("", "_market"))
    )
    out["support_contacts_12m"] = out["support_contacts_12m"].fillna(0).astype(int)
    return out
