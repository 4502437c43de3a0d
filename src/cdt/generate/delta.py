"""`cdt generate --delta --days N`: a realistic day's (or N days') changes to a loaded twin, as
delta files for `cdt load --incremental`.

Read from the twin itself, so deltas chain: each starts the day after the latest contact the
twin holds. Per day, about 1% of customers are touched: each gets a new month of usage (their
latest month carried forward, with usage drawn around it), a tenth of them change plan, a
fifth contact support (a past contact's text and labels, replayed), and a third receive one
new campaign (a past campaign's offer, and outcomes drawn from its recipients'). A few
customers are new (a past customer's profile under a new id, joined that day). Nothing here
uses the hidden truth: the delta's outcomes come from the twin's own history.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from cdt import scratch
from cdt.backends.base import Backend
from cdt.errors import DataError, NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.sqlfiles import read_sql

TOUCHED_PER_DAY = 0.01
NEW_PER_DAY = 0.0002
PLAN_CHANGE_SHARE = 0.10
CONTACT_SHARE = 0.20
CAMPAIGN_SHARE = 0.33
MAX_DAYS = 31
DELTA_VERSION = 1


@dataclass
class DeltaWritten:
    """What `cdt generate --delta` wrote."""

    out: Path
    first_day: date
    last_day: date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "out": str(self.out),
            "first_day": str(self.first_day),
            "last_day": str(self.last_day),
            "rows": self.rows,
            "total_rows": sum(self.rows.values()),
            "seconds": round(self.seconds, 2),
        }


def generate_delta(
    backend: Backend,
    out: Path | None,
    home: Path,
    *,
    days: int = 1,
    seed: int = 42,
    progress: Progress | None = None,
) -> DeltaWritten:
    """Write ``days`` days of changes to the twin on ``backend`` as delta files in ``out``
    (default ``home/deltas/<last day>``), replacing that folder only on success.

    Raises:
        DataError: ``days`` out of range, or ``out`` holds something other than a delta.
        NotBuiltError: the twin holds no customers.
    """
    progress = progress or NullProgress()
    if not 1 <= days <= MAX_DAYS:
        raise DataError(f"--days {days} is out of range", fix=f"use 1 to {MAX_DAYS} days")
    started = time.perf_counter()
    customers = pl.from_arrow(backend.query(read_sql("delta_customers", backend.dialect)))
    assert isinstance(customers, pl.DataFrame)
    if customers.height == 0:
        raise NotBuiltError("the twin holds no customers", fix="run `cdt build` first")
    latest = backend.scalar(read_sql("latest_contact", backend.dialect))
    last_seen = latest.date() if isinstance(latest, datetime) else date(2024, 11, 30)
    first_day, last_day = last_seen + timedelta(days=1), last_seen + timedelta(days=days)
    target = out or home / "deltas" / str(last_day)
    if target.exists() and any(target.iterdir()) and not _is_delta(target):
        raise DataError(
            f"{target} exists and is not a cdt delta (no delta manifest)",
            fix="choose an empty or new --out folder",
        )
    progress.start("generate delta", total=5)
    rng = np.random.default_rng([seed, 77, first_day.toordinal(), days])
    n = customers.height
    touched = np.sort(
        rng.choice(n, min(n, max(1, round(TOUCHED_PER_DAY * days * n))), replace=False)
    )
    ids = customers["customer_id"].gather(touched)
    stamp = first_day.strftime("%Y%m%d")
    parts: dict[str, pl.DataFrame] = {}

    parts["customers"] = _customers(rng, customers, touched, first_day, last_day, days, stamp)
    progress.advance("generate delta")
    parts["monthly_usage"] = _usage(backend, rng, ids, stamp)
    progress.advance("generate delta")
    parts["support_interactions"] = _contacts(backend, rng, ids, first_day, days, stamp)
    progress.advance("generate delta")
    parts["campaign_responses"] = _campaign(backend, rng, ids, first_day, days, stamp)
    progress.advance("generate delta")
    written = _write(target, parts, first_day, last_day, days, seed)
    progress.advance("generate delta")
    progress.finish("generate delta")
    return DeltaWritten(
        written, first_day, last_day, {k: v.height for k, v in parts.items()},
        time.perf_counter() - started,
    )  # fmt: skip


def _customers(
    rng: np.random.Generator,
    customers: pl.DataFrame,
    touched: np.ndarray,
    first_day: date,
    last_day: date,
    days: int,
    stamp: str,
) -> pl.DataFrame:
    """Plan changes for a tenth of the touched customers, and the new customers."""
    n = customers.height
    movers = touched[rng.random(len(touched)) < PLAN_CHANGE_SHARE]
    donors = rng.integers(0, n, len(movers))
    changed_at = datetime.combine(first_day, datetime.min.time())
    plans = customers.select("plan_name", "plan_category", "plan_price")[donors]
    moved = customers[movers].with_columns(
        plans["plan_name"].alias("plan_name"),
        plans["plan_category"].alias("plan_category"),
        plans["plan_price"].alias("plan_price"),
        pl.lit(changed_at).cast(customers.schema["updated_at"]).alias("updated_at"),
    )
    count = max(1, round(NEW_PER_DAY * days * n))
    joined = [first_day + timedelta(days=int(d)) for d in rng.integers(0, days, count)]
    templates = customers[rng.integers(0, n, count)]
    numbers = [f"{stamp}{i:05d}" for i in range(count)]
    new = templates.with_columns(
        pl.Series("customer_id", [f"CUST-N{x}" for x in numbers]),
        pl.Series("account_id", [f"ACCT-N{x}" for x in numbers]),
        pl.Series("customer_since", joined, dtype=customers.schema["customer_since"]),
        pl.lit(0).cast(customers.schema["tenure_months"]).alias("tenure_months"),
        pl.Series("created_at", [datetime.combine(d, datetime.min.time()) for d in joined])
        .cast(customers.schema["created_at"]),
        pl.Series("updated_at", [datetime.combine(d, datetime.min.time()) for d in joined])
        .cast(customers.schema["updated_at"]),
    )  # fmt: skip
    return pl.concat([moved, new])


def _usage(backend: Backend, rng: np.random.Generator, ids: pl.Series, stamp: str) -> pl.DataFrame:
    """A new month for each touched customer with usage: the latest month carried forward,
    its usage drawn around the old (±15%)."""
    latest = pl.from_arrow(backend.query(read_sql("delta_latest_usage", backend.dialect)))
    assert isinstance(latest, pl.DataFrame)
    rows = latest.join(pl.DataFrame({"customer_id": ids}), on="customer_id", how="semi").sort(
        "customer_id"
    )
    k = rows.height
    scaled = {}
    for column in ("voice_minutes_onnet", "voice_minutes_offnet", "voice_calls_count",
                   "data_usage_gb", "sms_sent", "mms_sent"):  # fmt: skip
        factor = pl.Series(rng.uniform(0.85, 1.15, k))
        scaled[column] = (rows[column].cast(pl.Float64) * factor).round(3).cast(rows.schema[column])
    return rows.with_columns(
        pl.Series("usage_id", [f"USG-D{stamp}-{i:07d}" for i in range(k)]),
        pl.col("billing_month").dt.offset_by("1mo"),
        *[s.alias(c) for c, s in scaled.items()],
    )


def _contacts(
    backend: Backend,
    rng: np.random.Generator,
    ids: pl.Series,
    first_day: date,
    days: int,
    stamp: str,
) -> pl.DataFrame:
    """A fifth of the touched customers contact support: a past contact replayed."""
    callers = _share(rng, ids, CONTACT_SHARE)
    past = pl.from_arrow(backend.query(read_sql("delta_contacts", backend.dialect)))
    assert isinstance(past, pl.DataFrame)
    k = len(callers)
    rows = _replayed(rng, past, k)
    start = datetime.combine(first_day, datetime.min.time())
    when = [start + timedelta(seconds=int(s)) for s in rng.integers(0, days * 86400, k)]
    return rows.with_columns(
        pl.Series("interaction_id", [f"INT-D{stamp}-{i:06d}" for i in range(k)]),
        pl.Series("customer_id", callers),
        pl.Series("interaction_date", when).cast(past.schema["interaction_date"]),
    )


def _campaign(
    backend: Backend,
    rng: np.random.Generator,
    ids: pl.Series,
    first_day: date,
    days: int,
    stamp: str,
) -> pl.DataFrame:
    """A third of the touched customers receive one new campaign: a past campaign's offer,
    each recipient's outcome drawn from that campaign's past recipients."""
    campaigns = backend.query(read_sql("delta_campaigns", backend.dialect)).column(0).to_pylist()
    if not campaigns:
        return pl.DataFrame()
    model = campaigns[int(rng.integers(0, len(campaigns)))]
    past = pl.from_arrow(
        backend.query(read_sql("delta_campaign_responses", backend.dialect), [model])
    )
    assert isinstance(past, pl.DataFrame)
    recipients = _share(rng, ids, CAMPAIGN_SHARE)
    k = len(recipients)
    rows = _replayed(rng, past, k)
    sent = datetime.combine(first_day, datetime.min.time()) + timedelta(
        seconds=int(rng.integers(8 * 3600, 18 * 3600))
    )
    lag = rows["response_at"] - rows["sent_at"]
    return rows.with_columns(
        pl.Series("response_id", [f"RSP-D{stamp}-{i:06d}" for i in range(k)]),
        pl.Series("customer_id", recipients),
        pl.lit(f"CMP-D{stamp}").alias("campaign_id"),
        pl.lit(sent).cast(past.schema["sent_at"]).alias("sent_at"),
        (pl.lit(sent).cast(past.schema["sent_at"]) + lag).alias("response_at"),
    )


def _share(rng: np.random.Generator, ids: pl.Series, share: float) -> pl.Series:
    """Each of ``ids`` kept with probability ``share``, in order."""
    return ids.gather(np.flatnonzero(rng.random(len(ids)) < share))


def _replayed(rng: np.random.Generator, past: pl.DataFrame, k: int) -> pl.DataFrame:
    """``k`` rows of ``past`` drawn with replacement: the delta's rows to re-stamp."""
    return past[rng.integers(0, past.height, k)]


def _is_delta(folder: Path) -> bool:
    from cdt.contract import read_manifest

    return "delta" in read_manifest(folder)


def _write(
    out: Path, parts: dict[str, pl.DataFrame], first_day: date, last_day: date, days: int, seed: int
) -> Path:
    from cdt.generate import GENERATOR_VERSION

    staging = scratch.staging(out)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for name, frame in parts.items():
            if frame.height:
                frame.write_parquet(staging / f"{name}.parquet")
        (staging / "manifest.json").write_text(
            json.dumps(
                {
                    "generator_version": GENERATOR_VERSION,
                    "delta": {
                        "version": DELTA_VERSION,
                        "first_day": str(first_day),
                        "last_day": str(last_day),
                        "days": days,
                        "seed": seed,
                    },
                    "rows": {k: v.height for k, v in parts.items()},
                },
                indent=2,
            )
        )
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out
