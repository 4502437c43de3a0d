"""Feature tables: the same SQL on both backends, and values that match the raw rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from cdt import api
from cdt.config import Settings
from cdt.errors import NotBuiltError
from cdt.features import STEPS


def features_frame(settings: Settings, table: str) -> pl.DataFrame:
    with api.connect(settings) as backend:
        return backend.query_df(f"SELECT * FROM {table} ORDER BY customer_id")


@pytest.fixture(scope="module")
def both_backends(
    tmp_path_factory: pytest.TempPathFactory, small_dataset: Path
) -> dict[str, dict[str, pl.DataFrame]]:
    """Feature tables built from the same data on DuckDB and on Snowflake (fakesnow)."""
    import os

    import fakesnow

    from cdt.config import load_settings
    from tests.conftest import FAKE_SNOWFLAKE_ENV, FAKESNOW_NOPS

    results: dict[str, dict[str, pl.DataFrame]] = {}
    home = tmp_path_factory.mktemp("feat")
    duck = load_settings({"home": str(home / "duck")})
    api.load(duck, source=small_dataset)
    api.features(duck)
    results["duckdb"] = {table: features_frame(duck, table) for table, _ in STEPS}
    saved = {key: os.environ.get(key) for key in FAKE_SNOWFLAKE_ENV}
    os.environ.update(FAKE_SNOWFLAKE_ENV)
    try:
        with fakesnow.patch(nop_regexes=FAKESNOW_NOPS):
            snow = load_settings({"backend": "snowflake"})
            api.load(snow, source=small_dataset)
            api.features(snow)
            results["snowflake"] = {table: features_frame(snow, table) for table, _ in STEPS}
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return results


@pytest.mark.parametrize("table", [table for table, _ in STEPS])
def test_duckdb_and_snowflake_agree(
    both_backends: dict[str, dict[str, pl.DataFrame]], table: str
) -> None:
    duck, snow = both_backends["duckdb"][table], both_backends["snowflake"][table]
    assert duck.columns == snow.columns
    assert duck.height == snow.height == 1000
    for column in duck.columns:
        left, right = duck[column], snow[column]
        if left.dtype.is_numeric() or left.dtype == pl.Decimal:
            np.testing.assert_allclose(
                left.cast(pl.Float64).to_numpy(),
                right.cast(pl.Float64).to_numpy(),
                rtol=1e-9,
                atol=1e-9,
                err_msg=f"{table}.{column}",
            )
        else:
            assert left.cast(pl.String).to_list() == right.cast(pl.String).to_list(), column


def test_values_match_the_raw_rows(
    both_backends: dict[str, dict[str, pl.DataFrame]], small_dataset: Path
) -> None:
    enriched = both_backends["duckdb"]["ANALYTICS.CUSTOMER_FEATURES_ENRICHED"]
    usage = pl.from_arrow(
        duckdb.sql(f"SELECT * FROM '{small_dataset}/monthly_usage/*.parquet'").to_arrow_table()
    )
    assert isinstance(usage, pl.DataFrame)
    customer = enriched["customer_id"][17]
    rows = usage.filter(pl.col("customer_id") == customer).sort("billing_month")
    row = enriched.filter(pl.col("customer_id") == customer)
    assert row["avg_bill_amount"][0] == pytest.approx(rows["total_bill"].mean())
    last = rows.tail(3)
    if last.height >= 2:
        slope = np.polyfit(np.arange(last.height), last["data_usage_gb"].to_numpy(), 1)[0]
        assert row["data_trend_3m"][0] == pytest.approx(slope, abs=1e-6)
    competitor = duckdb.sql(
        f"SELECT (vz_avg_price + att_avg_price + tmo_avg_price) / 3 FROM "
        f"'{small_dataset}/competitive_landscape/*.parquet' WHERE dma_code = "
        f"'{row['dma_code'][0]}'"
    ).fetchall()[0][0]
    assert row["competitor_avg_price"][0] == pytest.approx(float(competitor))
    assert row["price_position_ratio"][0] == pytest.approx(
        float(row["monthly_arpu"][0]) / float(competitor)
    )


def test_contacts_count_the_last_twelve_months(
    both_backends: dict[str, dict[str, pl.DataFrame]], small_dataset: Path
) -> None:
    summary = both_backends["duckdb"]["ANALYTICS.CUSTOMER_INTERACTION_SUMMARY"]
    total = duckdb.sql(
        f"SELECT count(*) FROM '{small_dataset}/support_interactions/*.parquet'"
    ).fetchall()[0][0]
    assert summary["support_contacts_12m"].sum() == total  # all generated contacts are recent
    silent = summary.filter(pl.col("support_contacts_12m") == 0)
    assert silent["avg_sentiment_score"].null_count() == silent.height


def test_features_before_load_is_a_clear_error(isolated_home: Path) -> None:
    with pytest.raises(NotBuiltError, match="cdt load"):
        api.features(Settings(home=isolated_home))
