"""`cdt campaign-test`: several messages or offers across segments, compared A/B per segment.

The variants file is CSV with a ``variant`` column and either a ``scenario`` column, or a
``template`` column plus one column per template parameter; any other column names a
scenario field (``price_delta``, ``plans``, ``tenure_min_months``...) set over the parse.
Each variant is simulated (and
stored in HISTORY like any simulation); the comparison has one row per variant and segment.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl

from cdt.errors import ConfigError, DataError
from cdt.scenario import Scenario
from cdt.scenario.overrides import compose

MAX_VARIANTS = 20


def read_variants(path: Path) -> list[tuple[str, Scenario]]:
    """(variant name, parsed scenario) pairs from a CSV file.

    Raises:
        DataError: the file is missing, empty, or lacks the needed columns.
        ConfigError: a variant's scenario or template is invalid (names the row).
    """
    if not path.is_file():
        raise DataError(f"{path} does not exist", fix="pass a CSV file of variants")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return variants_from_rows(rows, source=str(path))


def variants_from_rows(
    rows: list[dict[str, str]], *, source: str = "the variants"
) -> list[tuple[str, Scenario]]:
    """(variant name, parsed scenario) pairs from rows with a ``variant`` key and either a
    ``scenario`` key or a ``template`` key plus one key per template parameter.

    Raises:
        DataError: no rows, missing keys, too many variants, or a repeated name.
        ConfigError: a variant's scenario or template is invalid (names the row).
    """
    rows = [r for r in rows if any((v or "").strip() for v in r.values() if isinstance(v, str))]
    if not rows:
        raise DataError(f"{source} has no variants", fix="add rows under a header line")
    columns = set(rows[0])
    if "variant" not in columns or not ({"scenario", "template"} & columns):
        raise DataError(
            f"{source} needs a 'variant' column and a 'scenario' or 'template' column",
            fix="e.g. header: variant,scenario",
        )
    if len(rows) > MAX_VARIANTS:
        raise DataError(f"{source} has {len(rows)} variants", fix=f"keep at most {MAX_VARIANTS}")
    variants = []
    for number, row in enumerate(rows, start=2):
        name = (row.get("variant") or "").strip() or f"variant {number - 1}"
        try:
            values = {
                k: v
                for k, v in row.items()
                if k not in ("variant", "template", "scenario") and (v or "").strip()
            }
            template = (row.get("template") or "").strip() or None
            text = None if template else (row.get("scenario") or "")
            scenario = compose(text, template=template, values=values)
        except ConfigError as exc:
            raise ConfigError(
                f"{Path(source).name} line {number} ({name}): {exc.message}", fix=exc.fix
            ) from exc
        variants.append((name, scenario))
    names = [name for name, _ in variants]
    if len(set(names)) != len(names):
        raise DataError(f"{source} repeats a variant name", fix="give every variant its own name")
    return variants


def comparison(results: list[tuple[str, dict[str, Any]]]) -> pl.DataFrame:
    """One row per variant and segment, with the best variant (least churn) flagged."""
    rows = []
    for name, result in results:
        for segment in result["segments"]:
            shares = segment.get("action_shares") or {}
            rows.append(
                {
                    "variant": name,
                    "scenario": result["scenario"]["text"],
                    "segment_id": segment["segment_id"],
                    "segment_name": segment["segment_name"],
                    "status": segment["status"],
                    "customers": segment["customer_count"],
                    "sentiment": segment.get("sentiment_score"),
                    "llm_action": segment.get("likely_action"),
                    "accept_share": shares.get("accepted"),
                    "complain_share": shares.get("complained"),
                    "churn_share": shares.get("churned"),
                    "expected_churners": segment.get("expected_churners"),
                    "revenue_at_risk_monthly": segment.get("revenue_at_risk_monthly"),
                    "quote": segment.get("quote"),
                    "simulation_id": result["simulation_id"],
                }
            )
    frame = pl.DataFrame(rows)
    if frame.is_empty():
        return frame
    best = (
        frame.filter(pl.col("status") == "ok")
        .group_by("segment_id")
        .agg(pl.col("churn_share").min().alias("_best"))
    )
    return (
        frame.join(best, on="segment_id", how="left")
        .with_columns(best_for_segment=pl.col("churn_share") == pl.col("_best"))
        .drop("_best")
        .sort(["segment_id", "variant"])
    )


def export(frame: pl.DataFrame, path: Path) -> Path:
    """Write the comparison as CSV or Parquet (by the file's suffix)."""
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(path)
    elif path.suffix.lower() == ".csv":
        frame.write_csv(path)
    else:
        raise ConfigError(f"cannot export to {path.name}", fix="use a .csv or .parquet file")
    return path
