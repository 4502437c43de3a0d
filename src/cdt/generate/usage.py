"""RAW.MONTHLY_USAGE: twelve billing months per customer (fewer for recent joiners).

Usage fits the plan: capped plans either buy overage ($15 per started GB, postpaid) or are
throttled (prepaid); unlimited plans are slowed after their premium allowance. Every bill is
base + overage + roaming + add-ons − discounts, computed in whole cents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from cdt.generate import archetypes as A
from cdt.generate.customers import AS_OF, CustomerChunk, customer_ids, enum

N_MONTHS = 12
FIRST_MONTH = (AS_OF.astype("datetime64[M]") - N_MONTHS).astype("datetime64[D]")
OVERAGE_PER_GB = 15.0
EXTRA_LINE_PRICE = 20.0
ROAMING_PER_DAY = 12.0
PROTECTION_PRICE = 15.0
INTL_PASS_PRICE = 10.0
STREAMING_PRICE = 10.0
AUTOPAY_DISCOUNT = 5.0
PAYMENT_STATUS = ("Paid", "Late", "Unpaid")


@dataclass
class UsageSummary:
    """Per-customer facts the customer table must agree with."""

    bill_sum: np.ndarray
    bill_mean: np.ndarray
    late_share: np.ndarray
    months: np.ndarray


def draw(rng: np.random.Generator, chunk: CustomerChunk) -> tuple[pl.DataFrame, UsageSummary]:
    """Monthly usage rows for ``chunk``; returns the rows and a per-customer summary."""
    n = len(chunk.ids)
    arche, plan, lines = chunk.archetype, chunk.plan, chunk.lines
    month = np.tile(np.arange(N_MONTHS), n)
    owner = np.repeat(np.arange(n), N_MONTHS)
    billing = (FIRST_MONTH.astype("datetime64[M]") + month).astype("datetime64[D]")
    active = billing >= chunk.customer_since[owner].astype("datetime64[M]").astype("datetime64[D]")
    month, owner, billing = month[active], owner[active], billing[active]
    rows = len(owner)
    a, p = arche[owner], plan[owner]

    # Data: a customer level, a yearly trend, and month-to-month noise.
    level = A.column("data_gb_median")[arche] * lines**0.7 * rng.lognormal(0, 0.35, n)
    trend = rng.normal(0.06, 0.18, n)
    cap = A.PLAN_DATA_CAP_GB[p] * lines[owner]
    # People choose capped plans that mostly fit: typical use stays under ~80% of the cap.
    typical = np.minimum(level[owner], 0.8 * cap)
    demand = (
        typical
        * rng.lognormal(0, 0.22, rows)
        * np.clip(1 + trend[owner] * (month - (N_MONTHS - 1)) / N_MONTHS, 0.2, 3)
    )
    over = np.maximum(demand - cap, 0)
    prepaid = p == 0
    buys_overage = ~prepaid & (rng.random(rows) < 0.7)
    data_gb = np.where(over > 0, np.where(buys_overage, demand, cap + 0.05 * over), demand)
    overage = np.where((over > 0) & buys_overage, np.ceil(over) * OVERAGE_PER_GB, 0.0)
    premium = A.PLAN_PREMIUM_GB[p] * np.where(p == 5, 1, lines[owner])
    throttled = np.where(
        (over > 0) & ~buys_overage,
        np.minimum(30, np.ceil(30 * over / np.maximum(demand, 1e-9))),
        np.where(data_gb > premium, np.ceil(30 * (data_gb - premium) / data_gb), 0),
    ).astype(np.int64)

    pct_5g = np.where(chunk.is_5g[owner], np.clip(rng.normal(42, 15, rows), 0, 95), 0.0)
    voice = A.column("voice_min_median")[a] * lines[owner] ** 0.8 * rng.lognormal(0, 0.35, rows)
    onnet_share = np.clip(rng.normal(0.35, 0.1, rows), 0.05, 0.9)
    roaming_days = rng.poisson(A.column("roaming_days_mean")[a])
    intl_cost_free = chunk.intl_roaming[owner]

    base = A.PLAN_PRICE[p] + EXTRA_LINE_PRICE * np.maximum(
        lines[owner] - A.PLAN_INCLUDED_LINES[p], 0
    )
    roaming_charges = np.where(intl_cost_free, 0.0, roaming_days * ROAMING_PER_DAY)
    add_ons = (
        PROTECTION_PRICE * chunk.protection[owner]
        + INTL_PASS_PRICE * intl_cost_free
        + STREAMING_PRICE * chunk.streaming[owner]
    )
    loyalty = np.select(
        [chunk.rewards_tier[owner] == 3, chunk.rewards_tier[owner] == 2], [10.0, 5.0], 0.0
    )
    promo = np.where(rng.random(rows) < 0.04, 10.0, 0.0)
    discounts = np.minimum(AUTOPAY_DISCOUNT * chunk.autopay[owner] + loyalty + promo, base)
    cents = (
        np.round(base * 100)
        + np.round(overage * 100)
        + np.round(roaming_charges * 100)
        + np.round(add_ons * 100)
        - np.round(discounts * 100)
    )
    total = cents / 100

    late_rate = A.column("late_payment_rate")[a] * rng.lognormal(0, 0.3, n)[owner]
    u = rng.random(rows)
    status = np.where(u < late_rate * 0.12, 2, np.where(u < late_rate, 1, 0))
    days_to_pay = np.where(
        status == 0,
        rng.integers(1, 25, rows),
        np.where(status == 1, rng.integers(31, 75, rows), -1),
    )

    frame = pl.DataFrame(
        {
            "customer_id": customer_ids(chunk, owner),
            "billing_month": billing,
            "voice_minutes_onnet": np.round(voice * onnet_share).astype(np.int64),
            "voice_minutes_offnet": np.round(voice * (1 - onnet_share)).astype(np.int64),
            "voice_minutes_intl": rng.poisson(A.column("intl_min_mean")[a]),
            "voice_calls_count": np.round(voice / rng.uniform(2.5, 4.5, rows)).astype(np.int64),
            "data_usage_gb": np.round(data_gb, 3),
            "data_usage_4g_pct": np.round(100 - pct_5g, 2),
            "data_usage_5g_pct": np.round(pct_5g, 2),
            "data_throttled_days": throttled,
            "sms_sent": np.round(A.column("sms_median")[a] * rng.lognormal(0, 0.5, rows)).astype(
                np.int64
            ),
            "mms_sent": rng.poisson(A.column("sms_median")[a] * 0.06),
            "roaming_days": roaming_days,
            "roaming_data_gb": np.round(roaming_days * rng.gamma(2, 0.2, rows), 3),
            "roaming_voice_min": np.round(roaming_days * rng.gamma(2, 6, rows)).astype(np.int64),
            "base_charge": np.round(base, 2),
            "overage_charges": np.round(overage, 2),
            "roaming_charges": np.round(roaming_charges, 2),
            "add_on_charges": np.round(add_ons, 2),
            "discounts_applied": np.round(discounts, 2),
            "total_bill": total,
            "payment_status": enum(PAYMENT_STATUS, status),
            "days_to_payment": pl.Series(days_to_pay).replace(-1, None),
        }
    )
    months = np.bincount(owner, minlength=n)
    bill_sum = np.bincount(owner, weights=cents, minlength=n) / 100
    late = np.bincount(owner, weights=(status > 0).astype(float), minlength=n)
    summary = UsageSummary(
        bill_sum=bill_sum,
        bill_mean=np.round(bill_sum / np.maximum(months, 1), 2),
        late_share=late / np.maximum(months, 1),
        months=months,
    )
    return frame, summary
