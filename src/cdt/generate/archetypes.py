"""The hidden ground truth: eight latent customer archetypes and their true parameters.

Nothing here reaches a RAW table. The archetype of each customer and these parameters are
written to the truth folder only, which no pipeline stage reads (see docs/generator.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from cdt.contract import PLANS

PLAN_PRICE = np.array([25.0, 35.0, 55.0, 75.0, 95.0, 140.0])
PLAN_DATA_CAP_GB = np.array([2.0, 5.0, 15.0, np.inf, np.inf, np.inf])
PLAN_INCLUDED_LINES = np.array([1, 1, 1, 1, 1, 4])
PLAN_CATEGORY = ("Prepaid", "Postpaid", "Postpaid", "Unlimited", "Unlimited", "Family")
# Unlimited plans slow down after this much premium data in a month.
PLAN_PREMIUM_GB = np.array([np.inf, np.inf, np.inf, 50.0, 100.0, 60.0])

URBAN_CLASSES = ("Urban", "Suburban", "Rural", "Remote")
CHANNELS = ("Phone", "Chat", "App", "Store", "Email", "Social")


@dataclass(frozen=True)
class Archetype:
    """True behaviour of one latent group. Shares and parameters are the generator's truth."""

    name: str
    share: float
    age_mean: float
    age_sd: float
    urban_mix: tuple[float, float, float, float]  # Urban, Suburban, Rural, Remote
    plan_mix: tuple[float, float, float, float, float, float]  # PLANS order
    tenure_mean_months: float
    device_tier_mix: tuple[float, float, float]  # Budget, Mid-Range, Flagship
    iphone_share: float
    device_age_mean: float
    data_gb_median: float  # per line, per month
    voice_min_median: float
    intl_min_mean: float
    sms_median: float
    roaming_days_mean: float  # per month
    contacts_per_year: float  # support interactions
    channel_mix: tuple[float, float, float, float, float, float]  # CHANNELS order
    complaint_share: float  # of contacts that are complaints
    sentiment_mean: float  # of support contacts, -1..1
    tone: str  # verbatim style: plain, frugal, casual, warm, technical, rural, young, angry
    app_engagement: float  # 0..1
    autopay_rate: float
    late_payment_rate: float
    nps_mean: float
    protection_rate: float
    intl_roaming_rate: float
    streaming_rate: float
    base_churn_risk: float
    # Campaign response (multinomial logit, see campaigns.py):
    price_sensitivity: float  # slope of churn/complaint logits per $ of price increase
    churn_intercept: float  # churn logit at a $0 notice
    complain_intercept: float
    offer_affinity: float  # shifts acceptance of offers
    upgrade_affinity: float  # shifts acceptance of upgrade offers


# fmt: off
ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        "Value Seekers", 0.20, 50, 12, (0.30, 0.55, 0.14, 0.01),
        (0.42, 0.38, 0.14, 0.05, 0.01, 0.00), 40, (0.70, 0.25, 0.05), 0.30, 34,
        2.2, 260, 5, 90, 0.02, 1.4, (0.45, 0.15, 0.10, 0.20, 0.08, 0.02), 0.15, -0.05,
        "frugal", 0.25, 0.45, 0.12, 6.2, 0.08, 0.02, 0.03, 0.30,
        0.50, -5.5, -3.0, 0.9, -0.8,
    ),
    Archetype(
        "Data Streamers", 0.16, 33, 6, (0.40, 0.48, 0.11, 0.01),
        (0.00, 0.02, 0.10, 0.70, 0.18, 0.00), 30, (0.10, 0.45, 0.45), 0.55, 16,
        45.0, 180, 10, 350, 0.05, 1.9, (0.10, 0.35, 0.35, 0.05, 0.05, 0.10), 0.16, 0.00,
        "casual", 0.70, 0.80, 0.06, 7.0, 0.35, 0.05, 0.75, 0.30,
        0.28, -5.2, -3.3, 0.3, 0.5,
    ),
    Archetype(
        "Family Connectors", 0.18, 42, 9, (0.18, 0.64, 0.16, 0.02),
        (0.00, 0.01, 0.04, 0.07, 0.03, 0.85), 62, (0.25, 0.50, 0.25), 0.50, 22,
        9.0, 520, 12, 400, 0.03, 2.4, (0.45, 0.15, 0.15, 0.15, 0.08, 0.02), 0.14, 0.05,
        "warm", 0.45, 0.85, 0.05, 7.4, 0.55, 0.05, 0.40, 0.18,
        0.22, -5.6, -3.4, 0.6, 0.0,
    ),
    Archetype(
        "Steady Loyalists", 0.15, 62, 10, (0.24, 0.60, 0.15, 0.01),
        (0.02, 0.15, 0.45, 0.30, 0.08, 0.00), 125, (0.35, 0.45, 0.20), 0.45, 30,
        4.0, 420, 8, 60, 0.02, 0.7, (0.60, 0.05, 0.05, 0.25, 0.05, 0.00), 0.08, 0.35,
        "plain", 0.20, 0.90, 0.02, 8.6, 0.30, 0.03, 0.05, 0.06,
        0.09, -6.2, -4.0, -0.3, -0.6,
    ),
    Archetype(
        "Premium Techies", 0.10, 38, 9, (0.60, 0.36, 0.04, 0.00),
        (0.00, 0.00, 0.04, 0.22, 0.74, 0.00), 50, (0.02, 0.13, 0.85), 0.70, 10,
        24.0, 380, 120, 200, 1.10, 1.6, (0.10, 0.25, 0.45, 0.10, 0.08, 0.02), 0.12, 0.15,
        "technical", 0.85, 0.92, 0.02, 7.8, 0.75, 0.80, 0.45, 0.12,
        0.07, -5.5, -3.6, 0.1, 1.0,
    ),
    Archetype(
        "Rural Reliables", 0.08, 55, 11, (0.00, 0.04, 0.80, 0.16),
        (0.08, 0.22, 0.52, 0.15, 0.03, 0.00), 80, (0.45, 0.45, 0.10), 0.30, 32,
        3.0, 640, 4, 70, 0.01, 1.5, (0.55, 0.05, 0.05, 0.33, 0.02, 0.00), 0.30, -0.05,
        "rural", 0.15, 0.60, 0.06, 6.8, 0.15, 0.01, 0.03, 0.16,
        0.20, -5.6, -2.9, -0.2, -0.6,
    ),
    Archetype(
        "Young Digitals", 0.09, 22, 3, (0.45, 0.42, 0.12, 0.01),
        (0.10, 0.45, 0.40, 0.05, 0.00, 0.00), 14, (0.30, 0.50, 0.20), 0.60, 20,
        16.0, 110, 6, 900, 0.03, 1.8, (0.05, 0.35, 0.30, 0.05, 0.00, 0.25), 0.20, -0.05,
        "young", 0.90, 0.55, 0.14, 6.6, 0.12, 0.03, 0.55, 0.36,
        0.35, -4.9, -3.1, 0.8, 0.3,
    ),
    Archetype(
        "At-Risk Defectors", 0.04, 36, 12, (0.35, 0.45, 0.18, 0.02),
        (0.10, 0.30, 0.35, 0.20, 0.05, 0.00), 20, (0.35, 0.45, 0.20), 0.40, 26,
        8.0, 300, 10, 250, 0.03, 8.5, (0.55, 0.25, 0.05, 0.10, 0.03, 0.02), 0.55, -0.60,
        "angry", 0.30, 0.35, 0.30, 3.2, 0.20, 0.05, 0.20, 0.72,
        0.45, -3.8, -1.8, 0.5, -0.4,
    ),
)
# fmt: on

ARCHETYPE_NAMES = tuple(a.name for a in ARCHETYPES)
SHARES = np.array([a.share for a in ARCHETYPES])
assert abs(SHARES.sum() - 1.0) < 1e-9


def column(field: str) -> np.ndarray:
    """One parameter across archetypes, as an array indexed by archetype id."""
    return np.array([getattr(a, field) for a in ARCHETYPES], dtype=float)


def matrix(field: str) -> np.ndarray:
    """A tuple-valued parameter as an (archetypes × options) array; rows sum to 1."""
    rows = np.array([getattr(a, field) for a in ARCHETYPES], dtype=float)
    return rows / rows.sum(axis=1, keepdims=True)


def truth_parameters() -> dict[str, object]:
    """Everything the generator used, for the truth file."""
    return {"archetypes": [asdict(a) for a in ARCHETYPES], "plans": list(PLANS)}
