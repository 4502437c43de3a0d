"""RAW.CUSTOMERS: base attributes drawn from each customer's archetype.

Financial and risk columns that summarise other tables (ARPU, revenue, complaints, churn risk)
are filled in by ``finalize`` after usage and interactions exist, so they agree with them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from cdt.contract import PLANS
from cdt.generate import archetypes as A
from cdt.generate.geography import Geography

AS_OF = np.datetime64("2024-12-01")  # the data snapshot date
DAYS_PER_MONTH = 30.4375
ACQUISITION = ("Retail Store", "Online", "Telesales", "Partner Retailer", "Referral")
CONTRACTS = ("Prepaid", "Month-to-Month", "12-Month", "24-Month Installment")
TIERS = ("Budget", "Mid-Range", "Flagship")
ANDROID_BRANDS = ("Samsung", "Google", "Motorola", "OnePlus", "TCL")
MODELS = {
    ("Apple", 0): "iPhone SE",
    ("Apple", 1): "iPhone 14",
    ("Apple", 2): "iPhone 16 Pro",
    ("Samsung", 0): "Galaxy A15",
    ("Samsung", 1): "Galaxy S23 FE",
    ("Samsung", 2): "Galaxy S24 Ultra",
    ("Google", 0): "Pixel 7a",
    ("Google", 1): "Pixel 8a",
    ("Google", 2): "Pixel 9 Pro",
    ("Motorola", 0): "Moto G Play",
    ("Motorola", 1): "Moto G Stylus",
    ("Motorola", 2): "Razr+",
    ("OnePlus", 0): "Nord N30",
    ("OnePlus", 1): "OnePlus 12R",
    ("OnePlus", 2): "OnePlus 12",
    ("TCL", 0): "TCL 30 Z",
    ("TCL", 1): "TCL 40 XL",
    ("TCL", 2): "TCL 50 XL",
}
BRANDS = ("Apple", *ANDROID_BRANDS)
PAYMENT_METHODS = ("Credit Card", "Debit Card", "Bank Transfer", "Cash", "Check")
REWARDS_TIERS = ("Bronze", "Silver", "Gold", "Platinum")
CHURN_REASONS = (
    "Price",
    "Network Coverage",
    "Customer Service",
    "Competitor Offer",
    "Device Upgrade",
    "Billing Issues",
)
# Where each archetype prefers to live on the ZIP affluence scale.
AFFLUENCE_PREFERENCE = np.array([-0.8, 0.2, 0.3, 0.3, 1.0, -0.3, -0.1, -0.4])


@dataclass
class CustomerChunk:
    """Customer-level arrays for one chunk; later stages read and extend them."""

    ids: np.ndarray  # int64 customer numbers
    archetype: np.ndarray
    zip_index: np.ndarray
    customer_since: np.ndarray  # datetime64[D]
    tenure_months: np.ndarray
    plan: np.ndarray
    lines: np.ndarray
    contract: np.ndarray
    tier: np.ndarray
    is_5g: np.ndarray
    protection: np.ndarray
    intl_roaming: np.ndarray
    streaming: np.ndarray
    autopay: np.ndarray
    rewards_tier: np.ndarray  # -1 = not a member
    app_engagement: np.ndarray
    frame: pl.DataFrame  # the columns that need nothing from other tables


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row from row-specific probabilities (rows of ``probs`` sum to 1)."""
    cumulative = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cumulative).sum(axis=1), probs.shape[1] - 1)


def ids_to_strings(prefix: str, numbers: np.ndarray, width: int) -> pl.Series:
    """``prefix`` + zero-padded numbers, built vectorised in Polars."""
    padded = (pl.Series(numbers, dtype=pl.Int64) + 10**width).cast(pl.String).str.slice(1)
    return pl.select(pl.concat_str([pl.lit(prefix), pl.lit(padded)])).to_series()


def customer_ids(chunk: CustomerChunk, owner: np.ndarray) -> pl.Series:
    """The customer_id of each row, ``owner`` giving its customer's position in ``chunk``
    (a gather of the chunk's own ids, not a fresh string per row)."""
    return chunk.frame["customer_id"].gather(owner)


def enum(values: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """A dictionary-encoded string column from integer codes."""
    return pl.Series(values, dtype=pl.Enum(values)).gather(codes)


def draw(rng: np.random.Generator, first_id: int, n: int, geo: Geography) -> CustomerChunk:
    """Draw ``n`` customers numbered from ``first_id``."""
    arche = rng.choice(len(A.ARCHETYPES), size=n, p=A.SHARES)
    urban = _categorical(rng, A.matrix("urban_mix")[arche])
    zip_index = _pick_zips(rng, geo, urban, arche)

    age = np.clip(
        np.round(rng.normal(A.column("age_mean")[arche], A.column("age_sd")[arche])), 18, 88
    ).astype(np.int64)
    tenure_raw = np.clip(rng.gamma(3.0, A.column("tenure_mean_months")[arche] / 3.0), 0.2, 340)
    since = AS_OF - np.round(tenure_raw * DAYS_PER_MONTH).astype("timedelta64[D]")
    tenure = months_between(since, AS_OF)

    plan = _categorical(rng, A.matrix("plan_mix")[arche])
    family = arche == 2
    lines = np.where(
        plan == 5,
        4 + (rng.random(n) < 0.25),
        np.where(family, 2 + (rng.random(n) < 0.45), 1 + (rng.random(n) < 0.12)),
    )
    tier = _categorical(rng, A.matrix("device_tier_mix")[arche])
    apple = rng.random(n) < A.column("iphone_share")[arche]
    brand = np.where(
        apple, 0, 1 + _categorical(rng, np.tile([0.55, 0.15, 0.15, 0.08, 0.07], (n, 1)))
    )
    model_table = np.array([[MODELS[(b, t)] for t in range(3)] for b in BRANDS])
    device_age = np.clip(
        np.round(rng.gamma(2.0, A.column("device_age_mean")[arche] / 2.0)), 0, 84
    ).astype(np.int64)
    is_5g = (device_age < 60) & ((tier > 0) | (device_age < 30)) & (rng.random(n) < 0.97)

    contract_probs = np.stack(
        [
            np.zeros(n),
            np.where(tier == 2, 0.25, 0.55),
            np.where(tier == 2, 0.15, 0.25),
            np.where(tier == 2, 0.60, 0.20),
        ],
        axis=1,
    )
    contract = np.where(
        plan == 0, 0, _categorical(rng, contract_probs / contract_probs.sum(1, keepdims=True))
    )
    contract_end = _contract_end(rng, contract, since, device_age)

    protection = rng.random(n) < A.column("protection_rate")[arche] * (0.6 + 0.3 * tier)
    intl = rng.random(n) < A.column("intl_roaming_rate")[arche]
    streaming = rng.random(n) < A.column("streaming_rate")[arche]
    autopay = (rng.random(n) < A.column("autopay_rate")[arche]) & (plan > 0)
    payment = np.where(
        plan == 0,
        np.where(rng.random(n) < 0.6, 3, 1),
        np.where(
            autopay,
            np.where(rng.random(n) < 0.6, 0, 2),
            _categorical(rng, np.tile([0.45, 0.3, 0.1, 0.0, 0.15], (n, 1))),
        ),
    )
    engagement = np.clip(rng.beta(4, 4, n) * 2 * A.column("app_engagement")[arche], 0, 1)
    app_user = engagement > 0.12
    member = rng.random(n) < np.clip(0.35 + tenure / 120, 0, 0.95)
    tier_score = tenure / 40 + (A.PLAN_PRICE[plan] - 40) / 40 + rng.normal(0, 0.5, n)
    rewards_tier = np.where(member, np.digitize(tier_score, [0.8, 2.0, 3.2]), -1)
    nps = np.clip(np.round(rng.normal(A.column("nps_mean")[arche], 1.8)), 0, 10).astype(np.int64)
    surveyed = rng.random(n) < 0.7

    frame = pl.DataFrame(
        {
            "customer_id": ids_to_strings("CUST-", first_id + np.arange(n), 9),
            "account_id": ids_to_strings("ACCT-", first_id + np.arange(n), 9),
            "zip_code": geo.zip_code[zip_index],
            "state_code": geo.state_code[geo.state_index[zip_index]],
            "dma_code": geo.dma_code[geo.dma_index[zip_index]],
            "age": age,
            "gender": enum(
                ("Female", "Male", "Other"),
                _categorical(rng, np.tile([0.505, 0.475, 0.02], (n, 1))),
            ),
            "customer_since": since,
            "tenure_months": tenure,
            "acquisition_channel": enum(ACQUISITION, _categorical(rng, _acquisition_probs(arche))),
            "plan_name": enum(PLANS, plan),
            "plan_category": pl.Series(np.array(A.PLAN_CATEGORY)[plan]),
            "plan_price": A.PLAN_PRICE[plan],
            "lines_on_account": lines.astype(np.int64),
            "contract_type": enum(CONTRACTS, contract),
            "contract_end_date": contract_end,
            "device_brand": enum(BRANDS, brand),
            "device_model": pl.Series(model_table[brand, tier]),
            "device_tier": enum(TIERS, tier),
            "device_os": pl.Series(np.where(apple, "iOS", "Android")),
            "device_age_months": device_age,
            "is_5g_capable": is_5g,
            "payment_method": enum(PAYMENT_METHODS, payment),
            "autopay_enrolled": autopay,
            "paperless_billing": autopay | (rng.random(n) < 0.4 * engagement + 0.2),
            "has_device_protection": protection,
            "has_intl_roaming": intl,
            "has_streaming_bundle": streaming,
            "rewards_member": member,
            "rewards_tier": enum(REWARDS_TIERS, np.maximum(rewards_tier, 0)).scatter(
                np.flatnonzero(~member), None
            ),
            "rewards_points_balance": np.where(
                member, np.round(rng.gamma(2, 900, n) * (1 + rewards_tier)), 0
            ).astype(np.int64),
            "app_user": app_user,
            "app_engagement_score": np.round(engagement, 2),
            "last_app_login": pl.Series(
                np.where(
                    app_user,
                    AS_OF
                    - np.round(rng.exponential(4 / np.maximum(engagement, 0.05))).astype(
                        "timedelta64[D]"
                    )
                    - 1,
                    np.datetime64("NaT"),
                )
            ),
            "nps_score": pl.Series(np.where(surveyed, nps, -1)).replace(-1, None),
            "nps_survey_date": pl.Series(
                np.where(
                    surveyed,
                    AS_OF - rng.integers(5, 365, n).astype("timedelta64[D]"),
                    np.datetime64("NaT"),
                )
            ),
            "created_at": since.astype("datetime64[us]")
            + rng.integers(8 * 3600, 20 * 3600, n).astype("timedelta64[s]"),
            "updated_at": (AS_OF - rng.integers(1, 60, n).astype("timedelta64[D]")).astype(
                "datetime64[us]"
            ),
        }
    )
    return CustomerChunk(
        ids=first_id + np.arange(n),
        archetype=arche,
        zip_index=zip_index,
        customer_since=since,
        tenure_months=tenure,
        plan=plan,
        lines=lines.astype(np.int64),
        contract=contract,
        tier=tier,
        is_5g=is_5g,
        protection=protection,
        intl_roaming=intl,
        streaming=streaming,
        autopay=autopay,
        rewards_tier=rewards_tier,
        app_engagement=engagement,
        frame=frame,
    )


def months_between(start: np.ndarray, end: np.datetime64) -> np.ndarray:
    """Whole months from ``start`` to ``end`` (calendar months, not counting a partial one)."""
    start_month = start.astype("datetime64[M]")
    months = (end.astype("datetime64[M]") - start_month).astype(np.int64)
    start_day = (start - start_month.astype("datetime64[D]")).astype(np.int64)
    end_day = int((end - end.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64))
    return months - (end_day < start_day)


def _pick_zips(
    rng: np.random.Generator, geo: Geography, urban: np.ndarray, arche: np.ndarray
) -> np.ndarray:
    """A ZIP of the drawn urban class, weighted by population; of two candidates the one
    closer to the archetype's affluence preference wins."""
    result = np.empty(len(urban), dtype=np.int64)
    for cls in range(4):
        rows = np.flatnonzero(urban == cls)
        zips = np.flatnonzero(geo.urban_class == cls)
        cumulative = np.cumsum(geo.population[zips].astype(float))
        picks = np.searchsorted(cumulative, rng.random((len(rows), 2)) * cumulative[-1])
        candidates = zips[np.minimum(picks, len(zips) - 1)]
        distance = np.abs(geo.affluence[candidates] - AFFLUENCE_PREFERENCE[arche[rows], None])
        result[rows] = candidates[np.arange(len(rows)), distance.argmin(axis=1)]
    return result


def _acquisition_probs(arche: np.ndarray) -> np.ndarray:
    table = np.array(
        [
            [0.45, 0.25, 0.10, 0.15, 0.05],
            [0.25, 0.55, 0.05, 0.05, 0.10],
            [0.50, 0.25, 0.10, 0.05, 0.10],
            [0.60, 0.10, 0.20, 0.05, 0.05],
            [0.30, 0.55, 0.03, 0.02, 0.10],
            [0.60, 0.10, 0.20, 0.08, 0.02],
            [0.15, 0.65, 0.02, 0.03, 0.15],
            [0.40, 0.30, 0.15, 0.10, 0.05],
        ]
    )
    return table[arche]


def _contract_end(
    rng: np.random.Generator, contract: np.ndarray, since: np.ndarray, device_age: np.ndarray
) -> pl.Series:
    installment_end = (
        AS_OF - (device_age * DAYS_PER_MONTH).astype("timedelta64[D]") + np.timedelta64(730, "D")
    )
    elapsed_days = (AS_OF - since).astype(np.int64)
    annual_end = since + ((elapsed_days // 365 + 1) * 365).astype("timedelta64[D]")
    end = np.where(
        contract == 3, installment_end, np.where(contract == 2, annual_end, np.datetime64("NaT"))
    )
    # A finished installment plan rolls to month-to-month: no end date.
    end = np.where(end < AS_OF, np.datetime64("NaT"), end)
    return pl.Series(end.astype("datetime64[D]"))
