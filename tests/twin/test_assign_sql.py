"""Segment assignment compiled to SQL from the stored run assigns customers as the client did
(sklearn's predict on the run's preprocessing), in the warehouse."""

from __future__ import annotations

import pytest
import sqlglot

from cdt import api
from cdt.config import Settings
from cdt.segment.assign_sql import assignment_sql, latest_run_model, matrix_columns
from cdt.segment.preprocess import ColumnTransform, Preprocessor


def test_sql_assignment_matches_the_clients(twin: Settings) -> None:
    with api.connect(twin) as backend:
        model = latest_run_model(backend)
        assert model is not None
        found = backend.query(assignment_sql(model)).to_pylist()
        stored = {
            r["customer_id"]: r
            for r in backend.query(
                "SELECT customer_id, segment_id, distance_to_centroid "
                "FROM ANALYTICS.CUSTOMER_SEGMENTS"
            ).to_pylist()
        }
    assert len(found) == len(stored) > 0
    same = sum(stored[r["customer_id"]]["segment_id"] == r["segment_id"] for r in found)
    assert same / len(found) >= 0.9999
    # Distances agree too (the stored centroids are rounded to 6 decimals).
    for row in found[:200]:
        assert row["distance_to_centroid"] == pytest.approx(
            stored[row["customer_id"]]["distance_to_centroid"], abs=1e-4
        )
    assert sqlglot.parse_one(assignment_sql(model), read="snowflake") is not None


def test_names_that_could_leave_a_literal_are_refused() -> None:
    prep = Preprocessor([ColumnTransform("device_tier", 1.0, "categorical", categories=["x'y"],
                                         category_means=[1.0], category_scales=[1.0])])  # fmt: skip
    with pytest.raises(ValueError, match="category"):
        matrix_columns(prep)
    with pytest.raises(ValueError, match="column"):
        matrix_columns(Preprocessor([ColumnTransform("age; DROP", 1.0, "numeric")]))
    with pytest.raises(ValueError, match="segment id"):
        assignment_sql({"preprocessor": {"columns": []}, "centroids": {"SEG'1": []}})
