"""Incremental refresh (spec §10.1): `cdt load --incremental` merges delta files on DuckDB and
on Snowflake (fakesnow), refuses bad deltas without changing anything, and `cdt build`
afterwards refreshes only what the delta touched, to the same features a full rebuild gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cdt import api
from cdt.config import Settings
from cdt.errors import DataError, NotBuiltError
from cdt.personas.refresh import moved, snapshot

RAW = ("RAW.CUSTOMERS", "RAW.MONTHLY_USAGE", "RAW.SUPPORT_INTERACTIONS", "RAW.CAMPAIGN_RESPONSES")
KEYS = {
    "RAW.CUSTOMERS": "customer_id",
    "RAW.MONTHLY_USAGE": "usage_id",
    "RAW.SUPPORT_INTERACTIONS": "interaction_id",
    "RAW.CAMPAIGN_RESPONSES": "response_id",
}


def frame(settings: Settings, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
    with api.connect(settings) as backend:
        return backend.query_df(sql, params)


def contents(settings: Settings) -> dict[str, pl.DataFrame]:
    """Every RAW table, sorted by its id: what "changes nothing" compares."""
    return {t: frame(settings, f"SELECT * FROM {t}").sort(KEYS[t]) for t in RAW}


def write(folder: Path, name: str, rows: pl.DataFrame) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows.write_csv(folder / f"{name}.csv")


@pytest.fixture
def loaded(backend_settings: Settings, small_dataset: Path) -> Settings:
    api.load(backend_settings, source=small_dataset)
    return backend_settings


def a_delta(settings: Settings, folder: Path) -> dict[str, Any]:
    """A hand-made delta: one customer changes plan, one joins; a new month of usage, a new
    contact and a new campaign response."""
    customers = frame(settings, "SELECT * FROM RAW.CUSTOMERS ORDER BY customer_id LIMIT 2")
    mover = customers[0:1]
    other_plan = frame(
        settings,
        "SELECT plan_name FROM RAW.CUSTOMERS WHERE plan_name <> ? LIMIT 1",
        [mover["plan_name"][0]],
    )["plan_name"][0]
    moved_row = mover.with_columns(pl.lit(other_plan).alias("plan_name"))
    joined = customers[1:2].with_columns(
        pl.lit("CUST-NEW-000001").alias("customer_id"), pl.lit("ACCT-NEW-01").alias("account_id")
    )
    write(folder, "customers", pl.concat([moved_row, joined]).drop("created_at", "updated_at"))
    usage = frame(
        settings,
        "SELECT * FROM RAW.MONTHLY_USAGE WHERE customer_id = ? ORDER BY billing_month DESC LIMIT 1",
        [mover["customer_id"][0]],
    ).with_columns(
        pl.lit("USG-NEW-1").alias("usage_id"), pl.col("billing_month").dt.offset_by("1mo")
    )
    write(folder, "monthly_usage", usage)
    contact = frame(settings, "SELECT * FROM RAW.SUPPORT_INTERACTIONS LIMIT 1").with_columns(
        pl.lit("INT-NEW-1").alias("interaction_id"),
        pl.lit("CUST-NEW-000001").alias("customer_id"),
    )
    write(folder, "support_interactions", contact)
    response = frame(settings, "SELECT * FROM RAW.CAMPAIGN_RESPONSES LIMIT 1").with_columns(
        pl.lit("RSP-NEW-1").alias("response_id")
    )
    write(folder, "campaign_responses", response)
    touched = {mover["customer_id"][0], "CUST-NEW-000001", response["customer_id"][0]}
    return {"mover": mover["customer_id"][0], "plan": other_plan, "touched": len(touched)}


def test_a_delta_upserts_appends_and_loading_it_twice_changes_nothing(
    loaded: Settings, tmp_path: Path
) -> None:
    before = contents(loaded)
    delta = a_delta(loaded, tmp_path / "delta")
    result = api.load_delta(loaded, tmp_path / "delta")
    assert result.changed
    assert result.tables["RAW.CUSTOMERS"] == {"rows": 2, "new": 1, "changed": 1, "unchanged": 0}
    for table in RAW[1:]:
        assert result.tables[table]["new"] == 1, table
    assert result.touched_customers == delta["touched"]  # mover, newcomer, response's customer
    after = contents(loaded)
    for table in RAW:
        assert after[table].height == before[table].height + 1, table
    row = after["RAW.CUSTOMERS"].filter(pl.col("customer_id") == delta["mover"])
    assert row["plan_name"][0] == delta["plan"]
    old = before["RAW.CUSTOMERS"].filter(pl.col("customer_id") == delta["mover"])
    assert row["created_at"][0] == old["created_at"][0]  # kept from the first load
    assert row["updated_at"][0] != old["updated_at"][0]  # the change is stamped

    again = api.load_delta(loaded, tmp_path / "delta")
    assert not again.changed
    assert again.tables["RAW.CUSTOMERS"]["unchanged"] == 2
    final = contents(loaded)
    for table in RAW:
        assert final[table].equals(after[table]), table


def test_a_changed_response_is_refused_unless_replace_changed(
    loaded: Settings, tmp_path: Path
) -> None:
    row = frame(loaded, "SELECT * FROM RAW.CAMPAIGN_RESPONSES ORDER BY response_id LIMIT 1")
    flipped = row.with_columns((~pl.col("opened")).alias("opened"))
    write(tmp_path / "d", "campaign_responses", flipped)
    before = contents(loaded)
    with pytest.raises(DataError) as caught:
        api.load_delta(loaded, tmp_path / "d")
    assert row["response_id"][0] in caught.value.message
    assert "--replace-changed" in (caught.value.fix or "")
    after = contents(loaded)
    for table in RAW:
        assert after[table].equals(before[table]), table

    result = api.load_delta(loaded, tmp_path / "d", replace_changed=True)
    assert result.tables["RAW.CAMPAIGN_RESPONSES"]["changed"] == 1
    stored = frame(
        loaded, "SELECT opened FROM RAW.CAMPAIGN_RESPONSES WHERE response_id = ?",
        [row["response_id"][0]],
    )  # fmt: skip
    assert stored["opened"][0] == flipped["opened"][0]


def _duplicate(settings: Settings, folder: Path) -> None:
    usage = frame(settings, "SELECT * FROM RAW.MONTHLY_USAGE LIMIT 1")
    write(folder, "monthly_usage", pl.concat([usage, usage]))


def _orphan(settings: Settings, folder: Path) -> None:
    usage = frame(settings, "SELECT * FROM RAW.MONTHLY_USAGE LIMIT 1").with_columns(
        pl.lit("CUST-NOBODY").alias("customer_id")
    )
    write(folder, "monthly_usage", usage)


def _bad_value(settings: Settings, folder: Path) -> None:
    customers = frame(settings, "SELECT * FROM RAW.CUSTOMERS LIMIT 2")
    bad = customers.with_columns(pl.col("age").cast(pl.Utf8))
    bad = bad.with_columns(pl.Series("age", [bad["age"][0], "forty"]))
    write(folder, "customers", bad)


def _unknown_name(settings: Settings, folder: Path) -> None:
    write(folder, "customer", frame(settings, "SELECT * FROM RAW.CUSTOMERS LIMIT 1"))


def _empty(settings: Settings, folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{}")


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_duplicate, "more than once"),
        (_orphan, "usage rows without customer"),
        (_bad_value, "row 2 (line 3), column age: 'forty'"),
        (_unknown_name, "named after no table: customer"),
        (_empty, "holds no delta files"),
    ],
)
def test_a_bad_delta_is_refused_and_changes_nothing(
    loaded: Settings, tmp_path: Path, make: Any, says: str
) -> None:
    before = contents(loaded)
    make(loaded, tmp_path / "bad")
    with pytest.raises(DataError) as caught:
        api.load_delta(loaded, tmp_path / "bad")
    assert says in caught.value.message
    after = contents(loaded)
    for table in RAW:
        assert after[table].equals(before[table]), table
    staged = frame(loaded, "SELECT count(*) AS n FROM RAW.MONTHLY_USAGE_DELTA")["n"][0]
    assert staged == 0
    assert frame(loaded, "SELECT count(*) AS n FROM RAW.PENDING_REFRESH")["n"][0] == 0


def test_a_delta_needs_a_loaded_twin(tmp_path: Path) -> None:
    from cdt.config import load_settings

    (tmp_path / "d").mkdir()
    with pytest.raises(NotBuiltError):
        api.load_delta(load_settings(), tmp_path / "d")


# The refresh, on DuckDB -----------------------------------------------------------------------


def build(settings: Settings, source: Path, **options: Any) -> api.BuildResult:
    return api.build(settings, source=source, with_personas=False, **options)


@pytest.fixture(scope="session")
def calibrated_template(
    tmp_path_factory: pytest.TempPathFactory, built_template: Path, small_dataset: Path
) -> Path:
    """The built twin with its response model fitted (once per session)."""
    import shutil

    from cdt.config import load_settings

    home = tmp_path_factory.mktemp("refreshable") / ".cdt"
    home.mkdir(parents=True)
    shutil.copy(built_template, home / "cdt.duckdb")
    build(load_settings({"home": str(home), "data_dir": str(small_dataset)}, env={}), small_dataset)
    return home / "cdt.duckdb"


@pytest.fixture
def refreshable(twin: Settings, calibrated_template: Path) -> Settings:
    """A private copy of the built and calibrated twin: a refresh has every stage to skip."""
    import shutil

    shutil.copy(calibrated_template, twin.database_path)
    return twin


def test_the_refresh_gives_the_features_and_segments_a_full_rebuild_gives(
    refreshable: Settings, small_dataset: Path
) -> None:
    from cdt.calibrate import latest_model, read_cells, scorer_of
    from cdt.calibrate.cells import COUNTS
    from cdt.calibrate.incremental import KEYS
    from cdt.calibrate.sensitivity import arrays
    from cdt.features import build_features
    from cdt.segment.assign_sql import assignment_sql, latest_run_model

    written = api.generate_delta(refreshable, days=5)
    assert written.rows["monthly_usage"] > 0 and written.rows["campaign_responses"] > 0
    loaded = api.load_delta(refreshable, written.out)
    from cdt.errors import StaleError
    from cdt.staleness import check

    with api.connect(refreshable) as backend:  # the delta is loaded, not yet refreshed
        assert {s.stage for s in check(backend)} >= {"features", "segment", "calibrate"}
    with pytest.raises(StaleError, match="features"):
        api.sweep(refreshable, api.parse_scenario("price increase $5"), param="price_delta",
                  start=0, stop=2, step=1)  # fmt: skip
    customers = frame(refreshable, "SELECT count(*) AS n FROM RAW.CUSTOMERS")["n"][0]
    done = build(refreshable, small_dataset)
    with api.connect(refreshable) as backend:  # the refresh brings every stage up to date
        assert check(backend) == []
    assert done.loaded is None  # the base folder is not loaded again over the delta
    assert done.featured.refreshed is not None
    assert loaded.touched_customers <= done.featured.refreshed < customers
    assert done.segmented.reassigned == done.featured.refreshed
    assert not done.segmented.drift.crossed
    assert done.calibrated is not None  # responses arrived: the model is refitted
    assert done.calibrated.cells == "incremental"  # from the last fit's cells, updated
    with api.connect(refreshable) as backend:
        read = read_cells(backend, scorer_of(latest_model(backend)))
        kept = arrays(backend.query(
            "SELECT * FROM ANALYTICS.RESPONSE_FIT_CELLS ORDER BY campaign_id, segment_id, "
            "plan_name, tenure_band, risk_band, sensitivity_band"
        ))  # fmt: skip
    # The cells the refit used are a full read's, cell for cell; a cell's earliest send may
    # be earlier (a minimum cannot be taken back), and only a backtest reads it.
    for name in (*KEYS, *COUNTS, "campaign_type", "offer_value", "channel"):
        assert np.array_equal(np.asarray(read[name]), np.asarray(kept[name]).astype(
            np.asarray(read[name]).dtype)), name  # fmt: skip
    assert (kept["sent_at"] <= read["sent_at"]).all()
    assert frame(refreshable, "SELECT count(*) AS n FROM RAW.PENDING_REFRESH")["n"][0] == 0

    tables = [
        "ANALYTICS.CUSTOMER_USAGE_SUMMARY",
        "ANALYTICS.CUSTOMER_INTERACTION_SUMMARY",
        "ANALYTICS.CUSTOMER_FEATURES_ENRICHED",
    ]
    refreshed = {t: frame(refreshable, f"SELECT * FROM {t}").sort("customer_id") for t in tables}
    with api.connect(refreshable) as backend:
        build_features(backend, full=True)
        model = latest_run_model(backend)
        assert model is not None
        assigned = backend.query_df(assignment_sql(model))
    for table in tables:
        full = frame(refreshable, f"SELECT * FROM {table}").sort("customer_id")
        # Doubles as close as two full builds (a parallel AVG may differ in its last bit).
        assert_frame_equal(full, refreshed[table], check_exact=False, rel_tol=1e-15, abs_tol=0)
    segments = frame(
        refreshable, "SELECT customer_id, segment_id FROM ANALYTICS.CUSTOMER_SEGMENTS"
    ).sort("customer_id")
    assert segments.height == customers
    assert segments["segment_id"].to_list() == assigned.sort("customer_id")["segment_id"].to_list()

    again = build(refreshable, small_dataset)
    assert (again.featured, again.segmented, again.calibrated) == (None, None, None)


def test_a_delta_without_responses_keeps_the_model(
    refreshable: Settings, small_dataset: Path, tmp_path: Path
) -> None:
    row = frame(refreshable, "SELECT * FROM RAW.CUSTOMERS ORDER BY customer_id LIMIT 1")
    write(tmp_path / "d", "customers", row.with_columns((pl.col("age") + 1).alias("age")))
    api.load_delta(refreshable, tmp_path / "d")
    done = build(refreshable, small_dataset)
    assert done.featured.refreshed == 1
    assert done.segmented.reassigned == 1
    assert done.calibrated is None


def test_drift_past_the_threshold_or_recluster_clusters_afresh(
    refreshable: Settings, small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdt.segment import SegmentResult, refresh

    written = api.generate_delta(refreshable, days=2)
    api.load_delta(refreshable, written.out)
    monkeypatch.setattr(refresh, "DISTANCE_THRESHOLD", 0.5)  # any refresh "drifts"
    done = build(refreshable, small_dataset)
    assert isinstance(done.segmented, SegmentResult)
    assert done.segmented.drift is not None and done.segmented.drift.crossed
    assert frame(refreshable, "SELECT count(*) AS n FROM RAW.PENDING_REFRESH")["n"][0] == 0

    monkeypatch.undo()
    written = api.generate_delta(refreshable, days=1)
    api.load_delta(refreshable, written.out)
    done = build(refreshable, small_dataset, recluster=True)
    assert isinstance(done.segmented, SegmentResult) and done.segmented.drift is None


def test_external_tables_replace_and_refresh_everyone(
    refreshable: Settings, small_dataset: Path, tmp_path: Path
) -> None:
    rates = frame(refreshable, "SELECT * FROM EXTERNAL.ECONOMIC_INDICATORS")
    higher = rates.with_columns((pl.col("unemployment_rate") + 1).alias("unemployment_rate"))
    write(tmp_path / "d", "economic_indicators", higher)
    result = api.load_delta(refreshable, tmp_path / "d")
    assert result.replaced == ["EXTERNAL.ECONOMIC_INDICATORS"]
    done = build(refreshable, small_dataset)
    assert done.featured.refreshed is None  # every customer: a full features build
    customers = frame(refreshable, "SELECT count(*) AS n FROM RAW.CUSTOMERS")["n"][0]
    assert done.segmented.reassigned == customers


def test_a_full_load_replaces_what_deltas_merged(
    refreshable: Settings, small_dataset: Path
) -> None:
    written = api.generate_delta(refreshable, days=1)
    api.load_delta(refreshable, written.out)
    api.load(refreshable, source=small_dataset)
    with api.connect(refreshable) as backend:
        stages = backend.query("SELECT stage FROM APP.BUILD_STATE").column(0).to_pylist()
        pending = backend.scalar("SELECT count(*) FROM RAW.PENDING_REFRESH")
    assert "delta" not in stages and "responses" not in stages and pending == 0


def test_the_delta_generator_chains_days_and_checks_its_input(refreshable: Settings) -> None:
    first = api.generate_delta(refreshable, days=2)
    api.load_delta(refreshable, first.out)
    second = api.generate_delta(refreshable)
    assert second.first_day == first.last_day + dt.timedelta(days=1)
    assert api.load_delta(refreshable, second.out).changed  # no id collides with day one
    with pytest.raises(DataError, match="out of range"):
        api.generate_delta(refreshable, days=0)
    customers = frame(refreshable, "SELECT count(*) AS n FROM RAW.CUSTOMERS")["n"][0]
    assert 0 < second.rows["monthly_usage"] <= np.ceil(0.01 * customers)  # ~1% touched a day


# Which personas a refresh rewrites ----------------------------------------------------------


def test_a_persona_is_rewritten_only_when_its_segment_moved_past_the_threshold() -> None:
    stats = [
        {"segment_id": "SEG01", "customer_count": 1000, "avg_arpu": 50.0, "avg_tenure_months": 20,
         "avg_data_usage_gb": 10.0, "avg_churn_risk": 0.2},
        {"segment_id": "SEG02", "customer_count": 500, "avg_arpu": 80.0, "avg_tenure_months": 30,
         "avg_data_usage_gb": 20.0, "avg_churn_risk": 0.1},
    ]  # fmt: skip
    recorded = snapshot(stats)
    assert moved(stats, recorded) == {}
    nudged = [{**stats[0], "avg_arpu": 51.0}, {**stats[1], "avg_churn_risk": 0.12}]
    assert list(moved(nudged, recorded)) == ["SEG02"]  # +2% stays, +20% moves
    assert moved(nudged, recorded)["SEG02"]["avg_churn_risk"] == pytest.approx(0.2)
    assert list(moved(stats, {"SEG01": recorded["SEG01"]})) == ["SEG02"]  # never written


def test_a_replaced_response_makes_the_refit_read_every_cell(
    refreshable: Settings, small_dataset: Path, tmp_path: Path
) -> None:
    row = frame(refreshable, "SELECT * FROM RAW.CAMPAIGN_RESPONSES ORDER BY response_id LIMIT 1")
    write(
        tmp_path / "d", "campaign_responses", row.with_columns((~pl.col("opened")).alias("opened"))
    )
    api.load_delta(refreshable, tmp_path / "d", replace_changed=True)
    done = build(refreshable, small_dataset)
    assert done.calibrated is not None and done.calibrated.cells == "full"
    pending = frame(refreshable, "SELECT count(*) AS n FROM RAW.PENDING_RESPONSES")["n"][0]
    assert pending == 0
