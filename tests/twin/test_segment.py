"""Segmentation: deterministic, stable ids, names from data, statistics, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cdt import api
from cdt.config import Settings
from cdt.errors import ConfigError, NotBuiltError
from cdt.segment.naming import name_segments, phrase
from cdt.segment.preprocess import Preprocessor, parse_features


def assignments(settings: Settings) -> pl.DataFrame:
    with api.connect(settings) as backend:
        return backend.query_df(
            "SELECT customer_id, segment_id, segment_name FROM ANALYTICS.CUSTOMER_SEGMENTS "
            "ORDER BY customer_id"
        )


def test_segments_cover_everyone_once(twin: Settings) -> None:
    rows = api.segments(twin)
    assert [r["segment_id"] for r in rows] == [f"SEG{i:02d}" for i in range(1, 9)]
    assert sum(int(r["customer_count"]) for r in rows) == 1000  # type: ignore[call-overload]
    assert sum(float(r["pct_of_base"]) for r in rows) == pytest.approx(100, abs=0.1)  # type: ignore[arg-type]
    sizes = [int(r["customer_count"]) for r in rows]  # type: ignore[call-overload]
    assert sizes == sorted(sizes, reverse=True)
    names = [r["segment_name"] for r in rows]
    assert len(set(names)) == len(names)
    frame = assignments(twin)
    assert frame.height == 1000 and frame["customer_id"].n_unique() == 1000


def test_statistics_carry_what_a_persona_needs(twin: Settings) -> None:
    row = api.segments(twin)[0]
    for key in (
        "avg_arpu",
        "avg_tenure_months",
        "avg_data_usage_gb",
        "avg_churn_risk",
        "avg_sentiment_score",
        "price_sensitivity",
        "campaign_response_rate",
        "top_plan",
        "name_reason",
    ):
        assert row[key] is not None, key
    # JSON columns come back decoded (rows.decode_rows, by the DDL).
    mixes = row["mixes"]
    assert isinstance(mixes, dict)
    for mix in ("plan_name", "device_tier", "urban_rural_class", "age_band", "income_band"):
        assert sum(mixes[mix].values()) == pytest.approx(1.0, abs=1e-3), mix
    geographies = row["top_geographies"]
    assert 1 <= len(geographies["states"]) <= 5
    assert geographies["dmas"][0]["name"] != geographies["dmas"][0]["code"]
    means = row["feature_means"]
    assert means["mean"]["age"] > 18
    assert "churn_after_price_increase" in means["campaign_outcomes"]


def test_same_data_and_seed_give_identical_assignments(twin: Settings) -> None:
    before = assignments(twin)
    result = api.segment(twin)
    after = assignments(twin)
    assert result.ids_reused
    assert before.equals(after)


def test_ids_follow_the_clusters_when_they_match(twin: Settings) -> None:
    before = assignments(twin)
    api.segment(twin, seed=7)  # another seed: K-means may number clusters differently
    after = assignments(twin)
    agreement = (before["segment_id"] == after["segment_id"]).mean()
    assert agreement > 0.9


def test_k_auto_reports_scores(twin: Settings) -> None:
    result = api.segment(twin, k="auto", n_init=1)
    assert set(result.k_scores) == set(range(4, 13))
    assert result.k == max(result.k_scores, key=lambda k: (result.k_scores[k], -k))
    assert len(api.segments(twin)) == result.k


def test_custom_features_get_sensible_names(twin: Settings) -> None:
    result = api.segment(twin, k=3, features="avg_data_usage_gb,age:2,urban_rural_class")
    assert result.features == ["avg_data_usage_gb", "age", "urban_rural_class"]
    names = [str(r["segment_name"]) for r in api.segments(twin)]
    assert len(names) == 3 and len(set(names)) == 3
    assert all(any(word in name for word in ("Data", "Young", "Older")) for name in names)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"k": 1}, ConfigError, "k=1 is out of range"),
        ({"k": 5000}, ConfigError, "k=5000 is out of range"),
        ({"features": "age,shoe_size"}, ConfigError, "unknown feature.*shoe_size"),
        ({"features": "age:-1"}, ConfigError, "must be positive"),
        ({"n_init": 0}, ConfigError, "n_init"),
    ],
)
def test_bad_input_changes_nothing(
    twin: Settings, kwargs: dict[str, object], error: type[Exception], pattern: str
) -> None:
    before = api.segments(twin)
    with pytest.raises(error, match=pattern):
        api.segment(twin, **kwargs)  # type: ignore[arg-type]
    assert api.segments(twin) == before


def test_segmenting_before_features_is_a_clear_error(isolated_home: Path) -> None:
    settings = Settings(home=isolated_home)
    api.init(settings)
    with pytest.raises(NotBuiltError, match="cdt features"):
        api.segment(settings)
    with pytest.raises(NotBuiltError, match="no segments"):
        api.segments(settings)


@pytest.mark.parametrize("backend_settings", ["snowflake"], indirect=True)
def test_segment_on_snowflake(backend_settings: Settings, small_dataset: Path) -> None:
    api.load(backend_settings, source=small_dataset)
    api.features(backend_settings)
    result = api.segment(backend_settings, k=4, n_init=1)
    rows = api.segments(backend_settings)
    assert len(rows) == 4 == result.k
    assert isinstance(rows[0]["mixes"], dict)
    assert sum(int(r["customer_count"]) for r in rows) == 1000  # type: ignore[call-overload]


def test_names_are_unique_and_explain_themselves() -> None:
    frame = pl.DataFrame({"age": [20.0, 21, 70, 71, 45, 46], "tenure_months": [1.0, 2, 3, 4, 5, 6]})
    labels = np.array([0, 0, 1, 1, 2, 2])
    names = name_segments(frame, labels, ["age", "tenure_months"], [0, 1, 2])
    assert names[0].name.startswith("Young")
    assert names[1].name.startswith("Older")
    assert len({n.name for n in names}) == 3
    assert "age" in names[0].reason_text
    assert phrase("shoe_size", True) == "High-Shoe-Size"


def test_segments_one_feature_cannot_tell_apart_in_words_say_their_level() -> None:
    """A twin with one numeric feature (a public set's tenure) names its segments by level,
    not by a counter."""
    frame = pl.DataFrame({"tenure_months": [1.0, 2, 10, 11, 60, 61, 70, 71]})
    labels = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    names = [n.name for n in name_segments(frame, labels, ["tenure_months"], [0, 1, 2, 3])]
    assert names == [
        "Tenure months 1.5",
        "Tenure months 10.5",
        "Tenure months 60.5",
        "Tenure months 70.5",
    ]


def test_preprocessor_round_trips_and_scales() -> None:
    frame = pl.DataFrame({"a": [1.0, 2.0, None, 1000.0], "c": ["x", "y", None, "x"]})
    prep = Preprocessor.fit(frame, parse_features("a,c:2"))
    matrix = prep.transform(frame)
    assert matrix.shape == (4, 1 + 3)
    assert np.isfinite(matrix).all()
    again = Preprocessor.from_dict(json.loads(json.dumps(prep.to_dict())))
    np.testing.assert_allclose(again.transform(frame), matrix)
    assert prep.columns[0].log  # 1000 makes the column skewed


def _statistics(settings: Settings) -> list[dict[str, object]]:
    return [
        {key: row[key] for key in row if key not in ("segmentation_run_id", "created_at")}
        for row in api.segments(settings)
    ]


def test_assigning_in_the_warehouse_gives_the_clients_segments(twin: Settings) -> None:
    # 1,000 customers: the warehouse's sample is everyone, so both fits see the same rows;
    # the assignment then runs in SQL instead of sklearn, with the same result.
    client = api.segment(twin, k=6, n_init=2, assign="client")
    by_client = assignments(twin)
    stats_client = _statistics(twin)
    warehouse = api.segment(twin, k=6, n_init=2, assign="warehouse")
    by_warehouse = assignments(twin)
    assert warehouse.customers == client.customers == 1000
    same = (by_client["segment_id"] == by_warehouse["segment_id"]).mean()
    assert same >= 0.9999
    assert by_client["segment_name"].to_list() == by_warehouse["segment_name"].to_list()
    assert stats_client == _statistics(twin)


def test_an_unknown_assignment_place_is_refused(twin: Settings) -> None:
    before = assignments(twin)
    with pytest.raises(ConfigError, match="assignment place"):
        api.segment(twin, assign="cloud")
    assert assignments(twin).equals(before)


def test_statistics_from_the_warehouse_equal_the_customers_own_figures(twin: Settings) -> None:
    with api.connect(twin) as backend:
        rows = backend.query_df(
            "SELECT s.segment_id, f.age, f.tenure_months, f.plan_name, f.median_household_income "
            "FROM ANALYTICS.CUSTOMER_SEGMENTS s JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f "
            "ON f.customer_id = s.customer_id"
        )
    for stat in api.segments(twin):
        mine = rows.filter(pl.col("segment_id") == stat["segment_id"])
        means = stat["feature_means"]
        assert isinstance(means, dict) and isinstance(stat["mixes"], dict)
        assert stat["customer_count"] == mine.height
        assert means["mean"]["age"] == pytest.approx(mine["age"].cast(float).mean(), abs=1e-4)
        assert means["median"]["tenure_months"] == pytest.approx(
            mine["tenure_months"].cast(float).median(), abs=1e-4
        )
        plans = mine["plan_name"].value_counts(sort=True)
        assert stat["top_plan"] == plans["plan_name"][0] or (plans["count"][0] == plans["count"][1])
        young = (mine["age"] < 25).sum() / mine.height
        assert stat["mixes"]["age_band"].get("18-24", 0.0) == pytest.approx(young, abs=1e-4)
        rich = (mine["median_household_income"] >= 100_000).sum() / mine.height
        assert stat["mixes"]["income_band"].get("$100K+", 0.0) == pytest.approx(rich, abs=1e-4)
