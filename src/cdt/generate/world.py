"""The world: draws every table in chunks and writes them, with the hidden truth, in one swap.

Output layout (one folder per table, Parquet parts; see docs/generator.md)::

    <out>/customers/part-00000.parquet ...      -> RAW.CUSTOMERS
    <out>/monthly_usage/ ...                     -> RAW.MONTHLY_USAGE
    <out>/support_interactions/ ...              -> RAW.SUPPORT_INTERACTIONS
    <out>/campaign_responses/ ...                -> RAW.CAMPAIGN_RESPONSES
    <out>/zip_demographics/ ... (and the other EXTERNAL tables)
    <out>/manifest.json                          seed, scale, row counts
    <out>/truth/                                 archetypes and true parameters: never loaded

The folder is built beside the target and swapped in at the end, so an interrupted run leaves
the previous data as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import polars as pl

from cdt import schema, scratch
from cdt.contract import TABLES, read_manifest
from cdt.errors import DataError
from cdt.generate import archetypes, campaigns, customers, geography, interactions, usage
from cdt.progress import NullProgress, Progress

GENERATOR_VERSION = 1
CUSTOMERS_AT_SCALE_1 = 1_000_000
CHUNK_CUSTOMERS = 100_000
#: Chunks drawn at once. Scale 1 on 2 cores: 13-16 s and 2.4 GB peak RSS with 2, 20-21 s and
#: 1.6 GB with 1.
DRAW_THREADS = 2
#: The id column of each table drawn per chunk: name, prefix, digits. A chunk is drawn without
#: them; its ids follow on from the rows of the chunks before it.
ID_FORMATS = {
    "monthly_usage": ("usage_id", "USG-", 12),
    "support_interactions": ("interaction_id", "INT-", 10),
    "campaign_responses": ("response_id", "RSP-", 11),
}
MAX_SCALE = 10.0
CHURN_REASON_BY_ARCHETYPE = np.array([0, 3, 0, 4, 4, 1, 3, 2])


@dataclass
class GenerateResult:
    """What `cdt generate` wrote."""

    out: Path
    seed: int
    scale: float
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "out": str(self.out),
            "seed": self.seed,
            "scale": self.scale,
            "rows": self.rows,
            "total_rows": self.total_rows,
            "seconds": round(self.seconds, 2),
        }


def matches(out: Path, *, scale: float, seed: int) -> bool:
    """Whether ``out`` already holds this generator's data for ``scale`` and ``seed``."""
    manifest = read_manifest(out)
    return (
        manifest.get("generator_version") == GENERATOR_VERSION
        and manifest.get("seed") == seed
        and manifest.get("scale") == scale
        and all((out / name).is_dir() for name in TABLES)
    )


def generate(
    out: Path, *, scale: float = 1.0, seed: int = 42, progress: Progress | None = None
) -> GenerateResult:
    """Write the synthetic dataset to ``out`` (replacing what is there only on success).

    Raises:
        DataError: scale or seed out of range, or ``out`` unusable.
    """
    progress = progress or NullProgress()
    if not (0 < scale <= MAX_SCALE) or not np.isfinite(scale):
        raise DataError(f"scale {scale} is out of range", fix=f"use 0 < scale <= {MAX_SCALE:g}")
    if seed < 0 or seed > 2**63 - 1:
        raise DataError(f"seed {seed} is out of range", fix="use a non-negative integer")
    n_customers = max(1, round(CUSTOMERS_AT_SCALE_1 * scale))
    if out.exists() and not (out / "manifest.json").exists() and any(out.iterdir()):
        raise DataError(
            f"{out} exists and is not a cdt dataset (no manifest.json)",
            fix="choose an empty or new --out folder",
        )
    started = time.perf_counter()
    staging = scratch.staging(out)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        result = _write(staging, n_customers, scale, seed, progress)
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.out = out
    result.seconds = time.perf_counter() - started
    return result


def _write(
    folder: Path, n_customers: int, scale: float, seed: int, progress: Progress
) -> GenerateResult:
    chunks = -(-n_customers // CHUNK_CUSTOMERS)
    progress.start("generate", total=chunks + 1)
    result = GenerateResult(folder, seed, scale, {name: 0 for name in TABLES})
    geo = geography.build(seed)
    for name, frame in geo.tables.items():
        _write_part(folder, name, 0, frame)
        result.rows[name] = frame.height
    catalog = campaigns.catalog(seed)
    credit_by_zip = geo.tables["economic_indicators"]["avg_credit_score"].to_numpy()
    progress.advance("generate")
    draw = partial(_draw_chunk, seed, n_customers, geo, catalog, credit_by_zip)
    following = dict.fromkeys(ID_FORMATS, 1)
    # Chunks are drawn DRAW_THREADS at a time (NumPy and Polars release the GIL for most of a
    # draw) and written on one more thread while the next are drawn; each chunk's generator
    # is seeded by its index, so the bytes do not depend on the threads. A chunk's ids are
    # given once its turn comes, following on from the rows before it.
    with ThreadPoolExecutor(DRAW_THREADS) as drawer, ThreadPoolExecutor(1) as writer:
        drawing = {i: drawer.submit(draw, i) for i in range(min(DRAW_THREADS, chunks))}
        pending: Future[None] | None = None
        for chunk_index in range(chunks):
            parts, truth = drawing.pop(chunk_index).result()
            if pending is not None:
                pending.result()  # the previous chunk's files, and any error writing them
            # Only then the next draw: in memory, the chunk in hand and DRAW_THREADS drawing.
            if chunk_index + DRAW_THREADS < chunks:
                drawing[chunk_index + DRAW_THREADS] = drawer.submit(
                    draw, chunk_index + DRAW_THREADS
                )
            for name, first in following.items():
                parts[name] = _numbered(parts[name], ID_FORMATS[name], first)
                following[name] = first + parts[name].height
            for name, frame in parts.items():
                result.rows[name] += frame.height
            pending = writer.submit(_write_chunk, folder, chunk_index, parts, truth)
            progress.advance("generate")
        if pending is not None:
            pending.result()
    (folder / "truth" / "parameters.json").write_text(
        json.dumps(
            {
                "seed": seed,
                "scale": scale,
                "as_of": str(customers.AS_OF),
                "archetypes": archetypes.truth_parameters(),
                "campaign_response": campaigns.truth(),
            },
            indent=2,
        )
    )
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "generator_version": GENERATOR_VERSION,
                "seed": seed,
                "scale": scale,
                "as_of": str(customers.AS_OF),
                "rows": result.rows,
                "tables": {name: table for name, table in TABLES.items()},
            },
            indent=2,
        )
    )
    progress.finish("generate")
    return result


def _draw_chunk(
    seed: int,
    n_customers: int,
    geo: geography.Geography,
    catalog: campaigns.Catalog,
    credit_by_zip: np.ndarray,
    chunk_index: int,
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """One chunk's table parts (the drawn tables without their ids) and its hidden truth."""
    first = chunk_index * CHUNK_CUSTOMERS
    size = min(CHUNK_CUSTOMERS, n_customers - first)
    rng = np.random.default_rng([seed, 10, chunk_index])
    chunk = customers.draw(rng, first + 1, size, geo)
    usage_rows, summary = usage.draw(rng, chunk)
    contact_rows, complaints = interactions.draw(rng, chunk, summary.months)
    response_rows = campaigns.draw(rng, chunk, catalog)
    customer_rows = _finalize(rng, chunk, summary, complaints, credit_by_zip)
    parts = {
        "customers": customer_rows,
        "monthly_usage": usage_rows,
        "support_interactions": contact_rows,
        "campaign_responses": response_rows,
    }
    truth = pl.DataFrame(
        {
            "customer_id": customer_rows["customer_id"],
            "archetype": customers.enum(archetypes.ARCHETYPE_NAMES, chunk.archetype),
        }
    )
    return parts, truth


def _numbered(frame: pl.DataFrame, id_format: tuple[str, str, int], first: int) -> pl.DataFrame:
    """``frame`` with its id column, numbered from ``first`` (the files take the DDL's column
    order, so where it stands here does not matter)."""
    column, prefix, width = id_format
    numbers = first + np.arange(frame.height)
    return frame.with_columns(customers.ids_to_strings(prefix, numbers, width).alias(column))


def _finalize(
    rng: np.random.Generator,
    chunk: customers.CustomerChunk,
    summary: usage.UsageSummary,
    complaints: np.ndarray,
    credit_by_zip: np.ndarray,
) -> pl.DataFrame:
    """Fill the customer columns that summarise usage and interactions."""
    n = len(chunk.ids)
    arpu = summary.bill_mean
    tenure = chunk.tenure_months
    credit_score = credit_by_zip[chunk.zip_index] + rng.normal(0, 45, n) - 120 * summary.late_share
    credit_class = np.array(["A", "B", "C", "D"])[3 - np.digitize(credit_score, [620, 680, 740])]
    base = archetypes.column("base_churn_risk")[chunk.archetype]
    logit = (
        np.log(base / (1 - base))
        + 0.25 * complaints
        + 1.5 * summary.late_share
        + 0.3 * (chunk.contract == 1)
        - 0.006 * tenure
        + rng.normal(0, 0.35, n)
    )
    risk = np.clip(np.round(1 / (1 + np.exp(-logit)), 2), 0.01, 0.99)
    reason = np.where(
        rng.random(n) < 0.55,
        CHURN_REASON_BY_ARCHETYPE[chunk.archetype],
        rng.integers(0, len(customers.CHURN_REASONS), n),
    )
    frame = chunk.frame.with_columns(
        monthly_arpu=pl.Series(arpu),
        lifetime_value=pl.Series(
            np.round(arpu * np.maximum(tenure, 1) * rng.uniform(0.92, 1.04, n), 2)
        ),
        total_revenue_12m=pl.Series(np.round(summary.bill_sum, 2)),
        credit_class=pl.Series(credit_class),
        churn_risk_score=pl.Series(risk),
        predicted_churn_reason=customers.enum(customers.CHURN_REASONS, reason),
        complaint_count_12m=pl.Series(complaints.astype(np.int64)),
    )
    return frame


def _write_chunk(
    folder: Path, index: int, parts: dict[str, pl.DataFrame], truth: pl.DataFrame
) -> None:
    for name, frame in parts.items():
        _write_part(folder, name, index, frame)
    (folder / "truth" / "customer_archetypes").mkdir(parents=True, exist_ok=True)
    truth.write_parquet(folder / "truth" / "customer_archetypes" / f"part-{index:05d}.parquet")


def _write_part(folder: Path, name: str, index: int, frame: pl.DataFrame) -> None:
    columns = [column.name for column in schema.ddl_columns(TABLES[name])]
    missing = [column for column in columns if column not in frame.columns]
    if missing:  # a generator bug, not user input
        raise AssertionError(f"{name} lacks {missing}")
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    frame.select(columns).write_parquet(
        target / f"part-{index:05d}.parquet", compression="zstd", compression_level=1
    )


def _swap_in(staging: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        retired = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(retired)
        staging.rename(out)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(out)
