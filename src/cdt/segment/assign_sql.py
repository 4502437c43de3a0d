"""A stored segmentation run compiled to SQL that assigns every customer in the warehouse:
the run's preprocessing (fill, log1p, scaling, one-hot) and the nearest of its centroids.

Only K-means' fit needs rows on the client (a sample); assignment then runs where the rows
are, on DuckDB and Snowflake alike, and tests/twin/test_assign_sql.py holds it to the client's
assignment. The query is built from the run's numbers and from names checked here: column
names against COLUMN, category labels against LABEL; nothing else is written into it.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from cdt.backends.base import Backend
from cdt.segment.preprocess import Preprocessor

FEATURES_TABLE = "ANALYTICS.CUSTOMER_FEATURES_ENRICHED"
COLUMN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
LABEL = re.compile(r"^[A-Za-z0-9 _&./+()-]{1,80}$")
SEGMENT = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _number(value: float) -> str:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return f"{number:.17e}"


def _checked(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not pattern.fullmatch(value):
        raise ValueError(f"{what} {value!r} cannot be written into SQL")
    return value


def matrix_columns(prep: Preprocessor) -> list[str]:
    """One SQL expression per matrix column, in ``Preprocessor.transform``'s order, over the
    features table aliased ``f``."""
    out = []
    for column in prep.columns:
        name = f"f.{_checked(COLUMN, column.name, 'column')}"
        if column.kind == "categorical":
            value = f"COALESCE(CAST({name} AS VARCHAR), '(missing)')"
            block = 1.0 / math.sqrt(len(column.categories))
            for category, mean, scale in zip(
                column.categories, column.category_means, column.category_scales, strict=True
            ):
                label = _checked(LABEL, category, "category")
                hit = f"(CASE WHEN {value} = '{label}' THEN 1.0 ELSE 0.0 END)"
                out.append(
                    f"{_number(column.weight * block)} * ({hit} - {_number(mean)}) / "
                    f"{_number(scale)}"
                )
            continue
        filled = f"COALESCE(CAST({name} AS DOUBLE), {_number(column.fill)})"
        value = f"LN(1 + GREATEST({filled}, 0.0))" if column.log else filled
        out.append(
            f"{_number(column.weight)} * ({value} - {_number(column.mean)}) / "
            f"{_number(column.scale)}"
        )
    return out


def assignment_sql(model: dict[str, Any]) -> str:
    """The query assigning every customer of the features table under ``model`` (a stored
    run's ``model`` JSON: preprocessor and centroids by segment id): customer_id,
    segment_id and distance_to_centroid."""
    prep = Preprocessor.from_dict(model["preprocessor"])
    columns = matrix_columns(prep)
    centroids = {
        _checked(SEGMENT, segment, "segment id"): centre
        for segment, centre in sorted(model["centroids"].items())
    }
    for centre in centroids.values():
        if len(centre) != len(columns):
            raise ValueError("the run's centroids do not match its preprocessing")
    features = ",\n        ".join(f"{c} AS x{j}" for j, c in enumerate(columns))
    distances = ",\n        ".join(
        " + ".join(f"POWER(m.x{j} - {_number(v)}, 2)" for j, v in enumerate(centre)) + f" AS d{i}"
        for i, centre in enumerate(centroids.values())
    )
    ids = list(centroids)
    nearest = f"LEAST({', '.join(f'd.d{i}' for i in range(len(ids)))})"
    # The first of equal distances wins, as in numpy's argmin (ids in sorted order).
    segment = " ".join(f"WHEN d.d{i} = {nearest} THEN '{s}'" for i, s in enumerate(ids))
    return f"""WITH m AS (
    SELECT f.customer_id,
        {features}
    FROM {FEATURES_TABLE} f
),
d AS (
    SELECT m.customer_id,
        {distances}
    FROM m
)
SELECT d.customer_id, CASE {segment} END AS segment_id, SQRT({nearest}) AS distance_to_centroid
FROM d
ORDER BY d.customer_id"""  # noqa: S608 (the run's numbers and names checked above)


def latest_run_model(backend: Backend) -> dict[str, Any] | None:
    """The newest segmentation run's stored model, or None before any run."""
    from cdt.sqlfiles import read_sql

    found = backend.query(read_sql("latest_segmentation_run", backend.dialect)).to_pylist()
    return json.loads(found[0]["model"]) if found else None


def insert_assignments_sql(
    model: dict[str, Any], names: dict[str, str], run_id: str
) -> tuple[str, list[Any]]:
    """The statement writing every customer's assignment under ``model`` into
    ANALYTICS.CUSTOMER_SEGMENTS, with its binds: the segment names (by checked id) and the
    run id go in as parameters."""
    ids = sorted(model["centroids"])
    if set(names) != set(ids):
        raise ValueError("the segment names do not match the run's centroids")
    named = " ".join(f"WHEN '{_checked(SEGMENT, s, 'segment id')}' THEN ?" for s in ids)
    sql = (
        "INSERT INTO ANALYTICS.CUSTOMER_SEGMENTS (customer_id, segment_id, segment_name, "
        "distance_to_centroid, segmentation_run_id)\n"
        f"SELECT a.customer_id, a.segment_id, CASE a.segment_id {named} END, "
        f"a.distance_to_centroid, ?\nFROM ({assignment_sql(model)}) a"
    )
    return sql, [*(names[s] for s in ids), run_id]
