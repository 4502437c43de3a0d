"""The segment stage: cluster, name and assign every customer, and write the run and its
statistics in one transaction (the package's face is ``cdt.segment``; see its docstring)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from cdt.backends.base import Backend
from cdt.errors import ConfigError, NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.rows import insert_rows
from cdt.segment.assign_sql import insert_assignments_sql
from cdt.segment.naming import name_segments
from cdt.segment.preprocess import (
    DEFAULT_FEATURES,
    FeatureSpec,
    Preprocessor,
    check_available,
    parse_features,
)
from cdt.segment.statistics import dma_names, read_aggregates, segment_rows
from cdt.sqlfiles import read_sql
from cdt.state import derive, last_fingerprint, record_stage, row_count

FEATURES_TABLE = "ANALYTICS.CUSTOMER_FEATURES_ENRICHED"
SAMPLE_FIT = 100_000
SAMPLE_SILHOUETTE = 5_000
AUTO_K = range(4, 13)
MAX_K = 50
MATCH_TOLERANCE = 0.5  # of the median distance between new centroids
ASSIGN_WHERE = ("auto", "client", "warehouse")


@dataclass
class SegmentResult:
    """What `cdt segment` produced."""

    run_id: str
    k: int
    customers: int
    features: list[str]
    silhouette: float
    k_scores: dict[int, float] = field(default_factory=dict)
    segments: list[dict[str, object]] = field(default_factory=list)
    ids_reused: bool = False
    seconds: float = 0.0
    drift: Any = None  # a refresh's drift (segment.refresh.Drift) that called for this run

    def to_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "k": self.k,
            "customers": self.customers,
            "features": self.features,
            "silhouette": round(self.silhouette, 4),
            "k_scores": {str(k): round(v, 4) for k, v in self.k_scores.items()},
            "ids_reused": self.ids_reused,
            "seconds": round(self.seconds, 2),
            "mode": "full",
            "drift": None if self.drift is None else self.drift.to_dict(),
            "segments": self.segments,
        }


def segment(
    backend: Backend,
    *,
    k: int | str = 8,
    features: str = DEFAULT_FEATURES,
    n_init: int = 8,
    seed: int = 42,
    progress: Progress | None = None,
    assign: str = "auto",
) -> SegmentResult:
    """Cluster customers into ``k`` segments (or choose k by silhouette with ``k="auto"``),
    assigning every customer where ``assign`` says (``auto``: in the warehouse on Snowflake,
    on the client on DuckDB).

    Raises:
        NotBuiltError: the features table is empty.
        ConfigError: k out of range, unknown or malformed features, bad n_init or assign.
    """
    progress = progress or NullProgress()
    started = time.perf_counter()
    requested_k = k
    specs = parse_features(features)
    if n_init < 1:
        raise ConfigError("n_init must be at least 1", fix="use --n-init 1 or more")
    if assign not in ASSIGN_WHERE:
        raise ConfigError(
            f"unknown assignment place {assign!r}", fix=f"use one of {', '.join(ASSIGN_WHERE)}"
        )
    in_warehouse = assign == "warehouse" or (assign == "auto" and backend.dialect == "snowflake")
    customers = row_count(backend, FEATURES_TABLE)
    if customers == 0:
        raise NotBuiltError(
            "there are no features to segment", fix="run `cdt features` (or `cdt build`) first"
        )
    if k != "auto" and (not isinstance(k, int) or k < 2 or k > min(customers, MAX_K)):
        raise ConfigError(
            f"k={k} is out of range for {customers} customers",
            fix=f"use 2 <= k <= {min(customers, MAX_K)}, or --k auto",
        )
    progress.start("segment", total=5)
    with backend.work("ml"):
        schema = backend.query_df(f"SELECT * FROM {FEATURES_TABLE} LIMIT 0").schema  # noqa: S608
        check_available(specs, dict(schema))
        # Column names below are validated against the table's own schema: an allow-list.
        columns = [c for c in ("customer_id", *(spec.name for spec in specs)) if c in schema]
        frame = _read_features(backend, columns, in_warehouse, seed)
        progress.advance("segment")
        prep = Preprocessor.fit(frame, specs)
        matrix = prep.transform(frame)
        rng = np.random.default_rng(seed)
        k_scores: dict[int, float] = {}
        if k == "auto":
            k, k_scores = choose_k(matrix, rng, n_init, seed)
        assert isinstance(k, int)
        from sklearn.cluster import KMeans  # imported when clustering: `cdt --help` stays quick

        fit_rows = rng.choice(len(matrix), size=min(SAMPLE_FIT, len(matrix)), replace=False)
        model = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(matrix[fit_rows])
        labels = model.predict(matrix)  # every customer, or the sample in the warehouse
        progress.advance("segment")
        silhouette = _silhouette(matrix, labels, rng)
        order, ids, reused = _stable_order(backend, labels, model.cluster_centers_, specs, k)
        numeric = [c.name for c in prep.columns if c.kind == "numeric"]
        names = name_segments(frame, labels, numeric, order)
        dmas = dma_names(backend)
        progress.advance("segment")
    run_id = str(uuid.uuid4())
    label_to_id = {label: segment_id for label, segment_id in zip(order, ids, strict=True)}
    id_to_name = {segment_id: n.name for segment_id, n in zip(ids, names, strict=True)}
    model_json = {
        "preprocessor": prep.to_dict(),
        "seed": seed,
        "n_init": n_init,
        "centroids": {
            label_to_id[label]: model.cluster_centers_[label].round(6).tolist() for label in order
        },
    }
    with backend.work("load"), backend.transaction():
        for table in ("ANALYTICS.CUSTOMER_SEGMENTS", "ANALYTICS.SEGMENT_STATISTICS"):
            backend.execute(f"DELETE FROM {table}")  # noqa: S608 (allow-listed constant)
        if in_warehouse:
            sql, binds = insert_assignments_sql(model_json, id_to_name, run_id)
            backend.execute(sql, binds)
        else:
            distances = np.linalg.norm(matrix - model.cluster_centers_[labels], axis=1)
            backend.load(
                "ANALYTICS.CUSTOMER_SEGMENTS",
                pa.table(
                    {
                        "customer_id": frame["customer_id"].to_arrow(),
                        "segment_id": _by_label(labels, label_to_id),
                        "segment_name": _by_label(
                            labels, {label: id_to_name[i] for label, i in label_to_id.items()}
                        ),
                        "distance_to_centroid": pa.array(distances, pa.float64()),
                        "segmentation_run_id": pa.array([run_id] * len(labels), pa.string()),
                    }
                ),
            )
        aggregates = read_aggregates(backend)
        stats = segment_rows(
            aggregates,
            dmas,
            ids,
            [n.name for n in names],
            [n.reason_text for n in names],
            run_id,
        )
        insert_rows(backend, "ANALYTICS.SEGMENT_STATISTICS", stats)
        backend.execute(
            read_sql("segmentation_run_record", backend.dialect),
            [
                run_id,
                k,
                aggregates.customers,
                _feature_text(specs),
                json.dumps(model_json),
                silhouette,
                json.dumps(k_scores),
            ],
        )
        backend.execute(
            read_sql("pending_refresh_forget", backend.dialect)
        )  # every customer is assigned
        record_stage(
            backend,
            "segment",
            fingerprint(last_fingerprint(backend, "features"), requested_k, features, n_init, seed),
            {
                "run_id": run_id,
                "features_fingerprint": last_fingerprint(backend, "features"),
                "k": k,
                "params": parameters(requested_k, features, n_init, seed),
                **fit_state(backend),
            },
        )
    progress.advance("segment")
    progress.finish("segment")
    summary = [
        {
            key: row[key]
            for key in (
                "segment_id",
                "segment_name",
                "customer_count",
                "pct_of_base",
                "avg_arpu",
                "avg_tenure_months",
                "avg_data_usage_gb",
                "avg_churn_risk",
                "top_plan",
                "name_reason",
            )
        }
        for row in stats
    ]
    return SegmentResult(
        run_id,
        k,
        aggregates.customers,
        [s.name for s in specs],
        silhouette,
        k_scores,
        summary,
        reused,
        time.perf_counter() - started,
    )


def parameters(k: int | str, features: str, n_init: int, seed: int) -> list[object]:
    """A run's parameters as recorded: a refresh reuses the run only when they match."""
    return [str(k), features, n_init, seed]


def fit_state(backend: Backend) -> dict[str, Any]:
    """What a refresh measures drift against: each segment's customer count and the mean
    distance to the assigned centroid, as written by the run."""
    rows = backend.query(read_sql("segment_fit_reference", backend.dialect)).to_pylist()
    total = sum(int(r["n"]) for r in rows)
    return {
        "counts": {str(r["segment_id"]): int(r["n"]) for r in rows},
        "mean_distance": sum(float(r["d"] or 0.0) for r in rows) / max(total, 1),
    }


def fingerprint(
    features_fingerprint: str | None, k: int | str, features: str, n_init: int, seed: int
) -> str | None:
    """The segment stage's fingerprint: its input and every parameter that changes its output."""
    return derive(
        features_fingerprint, str(k), _feature_text(parse_features(features)), n_init, seed
    )


def _by_label(labels: np.ndarray, text: dict[int, str]) -> pa.Array:
    """Each customer's ``text`` for its cluster label, as a string column (one lookup per
    cluster, then a take)."""
    values = pa.array([text[label] for label in range(max(text) + 1)], pa.string())
    return values.take(pa.array(labels.astype(np.int64)))


def _read_features(backend: Backend, columns: list[str], sample: bool, seed: int) -> pl.DataFrame:
    """``columns`` (columns of the features table: the caller keeps only those in its
    schema) for every customer, or for a sample of SAMPLE_FIT customers chosen by a seeded
    hash (the same customers on every backend), in customer order either way."""
    wanted = ", ".join(dict.fromkeys(columns))
    if not sample:
        return backend.query_df(
            f"SELECT {wanted} FROM {FEATURES_TABLE} ORDER BY customer_id"  # noqa: S608
        )
    frame = backend.query_df(
        f"SELECT {wanted} FROM {FEATURES_TABLE} "  # noqa: S608
        f"ORDER BY MD5(CONCAT(CAST(customer_id AS VARCHAR), ?)) LIMIT {int(SAMPLE_FIT)}",
        [str(seed)],
    )
    return frame.sort("customer_id")


def choose_k(
    matrix: np.ndarray, rng: np.random.Generator, n_init: int, seed: int
) -> tuple[int, dict[int, float]]:
    """The k in AUTO_K with the best silhouette on a sample, and every k's score."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    sample = matrix[rng.choice(len(matrix), size=min(20_000, len(matrix)), replace=False)]
    scores: dict[int, float] = {}
    for candidate in AUTO_K:
        if candidate >= len(sample):
            break
        labels = KMeans(n_clusters=candidate, n_init=n_init, random_state=seed).fit_predict(sample)
        scores[candidate] = float(
            silhouette_score(
                sample, labels, sample_size=min(SAMPLE_SILHOUETTE, len(sample)), random_state=seed
            )
        )
    if not scores:
        raise ConfigError("too few customers to choose k automatically", fix="pass --k 2 or more")
    best = max(scores, key=lambda c: (scores[c], -c))
    return best, scores


def _silhouette(matrix: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> float:
    from sklearn.metrics import silhouette_score

    if len(np.unique(labels)) < 2:
        return 0.0
    size = min(SAMPLE_SILHOUETTE, len(matrix))
    rows = rng.choice(len(matrix), size=size, replace=False)
    if len(np.unique(labels[rows])) < 2:
        return 0.0
    return float(silhouette_score(matrix[rows], labels[rows]))


def _stable_order(
    backend: Backend,
    labels: np.ndarray,
    centroids: np.ndarray,
    specs: tuple[FeatureSpec, ...],
    k: int,
) -> tuple[list[int], list[str], bool]:
    """Cluster labels in segment order with their ids: by size (largest is SEG01), unless the
    previous run used the same features and k and every cluster matches one of its centroids,
    in which case the previous ids are kept."""
    sizes = np.bincount(labels, minlength=k)
    by_size = sorted(range(k), key=lambda label: (-sizes[label], tuple(centroids[label])))
    fresh = [f"SEG{position + 1:02d}" for position in range(k)]
    previous = backend.query(read_sql("segmentation_run_previous", backend.dialect)).to_pylist()
    if not previous or previous[0]["feature_list"] != _feature_text(specs):
        return by_size, fresh, False
    old = json.loads(previous[0]["model"])["centroids"]
    if len(old) != k:
        return by_size, fresh, False
    old_ids = sorted(old)
    old_matrix = np.array([old[i] for i in old_ids])
    cost = np.linalg.norm(centroids[:, None, :] - old_matrix[None, :, :], axis=2)
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(cost)
    spread = np.median(
        np.linalg.norm(centroids[:, None] - centroids[None], axis=2)[np.triu_indices(k, 1)]
    )
    if cost[rows, cols].max() > MATCH_TOLERANCE * spread:
        return by_size, fresh, False
    matched = {int(r): old_ids[c] for r, c in zip(rows, cols, strict=True)}
    order = sorted(range(k), key=lambda label: matched[label])
    return order, [matched[label] for label in order], True


def _feature_text(specs: tuple[FeatureSpec, ...]) -> str:
    return ",".join(f"{s.name}:{s.weight:g}" for s in specs)
