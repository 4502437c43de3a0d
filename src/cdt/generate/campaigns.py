"""RAW.CAMPAIGN_RESPONSES: two years of campaigns and each customer's true response.

A response is drawn from a multinomial logit over RESPONSE_TYPES whose coefficients depend on
the campaign type, its value (the price delta for price-change notices), the channel and the
customer's archetype (``logits``). Those coefficients are the hidden truth the response model
must recover; ``truth()`` writes them out. The funnel is consistent: a response implies an
open, a click implies an open, a conversion implies a response.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from cdt.contract import CONTROL_GROUP, OUTCOMES, PLANS
from cdt.generate import archetypes as A
from cdt.generate.customers import AS_OF, CustomerChunk, customer_ids, enum

WINDOW_MONTHS = 24
FIRST_DAY = (AS_OF.astype("datetime64[M]") - WINDOW_MONTHS).astype("datetime64[D]")
RESPONSES_PER_CUSTOMER = 5.0
TYPES = (
    "Price Change Notice",
    "Retention Offer",
    "Upgrade Offer",
    "Add-On Promo",
    "Competitor Response",
    "Loyalty Reward",
)
TYPE_CATEGORY = ("Pricing", "Retention", "Upsell", "Cross-sell", "Competitive Defense", "Loyalty")
TYPE_WEIGHTS = np.array([0.24, 0.16, 0.17, 0.19, 0.14, 0.10])
CHANNELS = ("Email", "SMS", "App Push", "Direct Mail", "Phone")
OPEN_RATE = np.array([0.35, 0.55, 0.45, 0.30, 0.70])
OFFER_CHANNEL_SHIFT = np.array([0.0, 0.1, 0.15, -0.15, 0.25])
PRICE_DELTAS = (2.0, 3.0, 5.0, 7.0, 10.0, -5.0)
VALUE_ADD_WORTH = 10.0  # a value-add worth $10/month softens a price increase
VALUE_ADD_SOFTENING = 0.35  # dollars of effective increase removed per dollar of value-add
# Real-world magnitudes (docs/generator.md gives each target and its public source). A
# campaign's response window is one month, so the churn in a window is a monthly churn:
MONTHLY_CHURN_SHIFT = 0.87  # added to every churn logit: ~0.9% a month on postpaid plans
PREPAID_CHURN_SHIFT = 1.1  # and more on the prepaid plan (Glacier): ~2.8% a month
CHURN_PRICE_SHARE = 0.07  # the share of an archetype's price sensitivity that churn carries
PUSHBACK_PRICE_SHARE = 0.15  # and that complaints, threats and downgrades carry
OFFER_TAKE_UP_SHIFT = -2.25  # added to the take-up logits of offers: a few percent take them
PREPAID_PLAN = 0  # Glacier, the prepaid plan (PLANS order)
#: A price notice keeps this share of the customers it picks as an untreated control group:
#: their rows are recorded in the campaign with delivered = FALSE and offer_type
#: CONTROL_GROUP, and say only whether they left in the window (churned or ignored).
CONTROL_SHARE = 0.05
COMPETITORS = ("Verizon", "AT&T", "T-Mobile", "a regional carrier")
R = {name: i for i, name in enumerate(OUTCOMES)}


@dataclass(frozen=True)
class Catalog:
    """All campaigns, as arrays indexed by campaign position."""

    frame: pl.DataFrame
    type_index: np.ndarray
    value: np.ndarray  # offer_value: price delta for notices, $ worth otherwise
    value_add: np.ndarray  # bool: price notice that comes with a value-add
    plan: np.ndarray  # targeted plan for price notices, -1 otherwise
    channel: np.ndarray
    sent_day: np.ndarray  # datetime64[D]


def catalog(seed: int) -> Catalog:
    """The campaigns of the two-year window (independent of scale)."""
    rng = np.random.default_rng([seed, 3])
    rows: list[tuple[int, float, bool, int, int, np.datetime64, str, str]] = []
    days = (AS_OF - FIRST_DAY).astype(int)

    def day() -> np.datetime64:
        return FIRST_DAY + np.timedelta64(int(rng.integers(0, days - 3)), "D")

    for plan_index, plan in enumerate(PLANS):
        for delta in rng.permutation(PRICE_DELTAS):
            value_add = bool(delta > 0 and rng.random() < 0.35)
            sign = "+" if delta > 0 else "-"
            name = f"{plan} price {sign}${abs(delta):.0f}/mo notice"
            if value_add:
                name = f"{plan} price {sign}${abs(delta):.0f}/mo with streaming included"
            offer = (
                "Price Increase + Value Add"
                if value_add
                else ("Price Increase" if delta > 0 else "Price Decrease")
            )
            rows.append(
                (
                    0,
                    float(delta),
                    value_add,
                    plan_index,
                    int(rng.choice([0, 3], p=[0.7, 0.3])),
                    day(),
                    name,
                    offer,
                )
            )
    offers = {
        1: (24, (10.0, 15.0, 20.0, 25.0), "Monthly Discount", "Stay with us: ${v:.0f}/mo off"),
        2: (24, (100.0, 200.0, 300.0, 400.0), "Device Credit", "Upgrade with ${v:.0f} credit"),
        3: (24, (5.0, 10.0, 15.0), "Add-On Discount", "Add protection or streaming, ${v:.0f} off"),
        4: (20, (10.0, 15.0, 20.0, 25.0), "Price Match Credit", "Beat {c}: ${v:.0f}/mo credit"),
        5: (12, (5.0, 10.0, 20.0), "Bonus Rewards", "Thank you: ${v:.0f} in rewards"),
    }
    for type_index, (count, values, offer, pattern) in offers.items():
        for _ in range(count):
            value = float(rng.choice(values))
            name = pattern.format(v=value, c=COMPETITORS[int(rng.integers(0, 4))])
            rows.append((type_index, value, False, -1, int(rng.integers(0, 5)), day(), name, offer))
    rows.sort(key=lambda r: (r[5], r[0], r[6]))
    types = np.array([r[0] for r in rows])
    offer_values = np.array([r[1] for r in rows])
    sent_day = np.array([r[5] for r in rows], dtype="datetime64[D]")
    n = len(rows)
    frame = pl.DataFrame(
        {
            "campaign_id": [f"CMP-{i + 1:04d}" for i in range(n)],
            "campaign_name": [r[6] for r in rows],
            "campaign_type": [TYPES[t] for t in types],
            "campaign_category": [TYPE_CATEGORY[t] for t in types],
            "offer_type": [r[7] for r in rows],
            "offer_value": offer_values,
        }
    )
    return Catalog(
        frame,
        types,
        offer_values,
        np.array([r[2] for r in rows]),
        np.array([r[3] for r in rows]),
        np.array([r[4] for r in rows]),
        sent_day,
    )


def logits(
    arche: np.ndarray,
    type_index: np.ndarray,
    value: np.ndarray,
    value_add: np.ndarray,
    channel: np.ndarray,
    tenure: np.ndarray,
    plan: np.ndarray,
) -> np.ndarray:
    """The true response logits (rows × RESPONSE_TYPES); 'ignored' is the reference (0)."""
    rows = len(arche)
    ci = A.column("churn_intercept")[arche] - 0.004 * (np.minimum(tenure, 120) - 36)
    churn_base = ci + MONTHLY_CHURN_SHIFT + PREPAID_CHURN_SHIFT * (plan == PREPAID_PLAN)
    cm = A.column("complain_intercept")[arche]
    s = A.column("price_sensitivity")[arche]
    aff = A.column("offer_affinity")[arche]
    up = A.column("upgrade_affinity")[arche]
    out = np.zeros((rows, len(OUTCOMES)))
    eff = value - VALUE_ADD_SOFTENING * VALUE_ADD_WORTH * value_add
    push = PUSHBACK_PRICE_SHARE * s * eff
    table = {  # type -> (accepted, complained, threatened, churned, upgraded, downgraded)
        0: (
            -2.2 + 0.1 * np.maximum(-eff, 0),
            cm + 0.8 * push,
            ci + 1.0 + 0.9 * push,
            churn_base + CHURN_PRICE_SHARE * s * eff,
            np.full(rows, -6.0),
            -4.5 + 0.5 * push,
        ),
        1: (
            -1.6 + aff + 0.05 * value,
            cm - 0.6,
            ci + 0.8,
            churn_base - 0.2,
            np.full(rows, -4.5),
            np.full(rows, -4.0),
        ),
        2: (
            np.full(rows, -4.0),
            cm - 1.2,
            ci - 0.3,
            churn_base - 0.6,
            -3.2 + up + 0.004 * value,
            np.full(rows, -6.0),
        ),
        3: (
            -2.6 + 0.6 * aff + 0.06 * value,
            cm - 1.5,
            ci - 0.6,
            churn_base - 0.8,
            np.full(rows, -5.0),
            np.full(rows, -6.0),
        ),
        4: (
            -2.0 + aff + 0.04 * value,
            cm - 0.5,
            ci + 1.3,
            churn_base + 0.4,
            np.full(rows, -5.0),
            np.full(rows, -4.5),
        ),
        5: (
            -1.8 + 0.5 * aff + 0.05 * value,
            cm - 1.5,
            ci - 0.5,
            churn_base - 1.0,
            np.full(rows, -4.5),
            np.full(rows, -6.0),
        ),
    }
    offer_shift = OFFER_CHANNEL_SHIFT[channel]
    for t, (acc, com, thr, churn, upg, down) in table.items():
        mask = type_index == t
        if not mask.any():
            continue
        take_up = (offer_shift + OFFER_TAKE_UP_SHIFT) * (t != 0)
        out[mask, R["accepted"]] = (acc + take_up)[mask]
        out[mask, R["complained"]] = com[mask]
        out[mask, R["threatened_churn"]] = thr[mask]
        out[mask, R["churned"]] = churn[mask]
        out[mask, R["upgraded"]] = (upg + take_up)[mask]
        out[mask, R["downgraded"]] = down[mask]
    out[:, R["ignored"]] = 0.0
    return out


def probabilities(raw_logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(raw_logits - raw_logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def draw(rng: np.random.Generator, chunk: CustomerChunk, cat: Catalog) -> pl.DataFrame:
    """Campaign exposures and responses for ``chunk``."""
    n = len(chunk.ids)
    eligible_months = np.minimum(chunk.tenure_months + 1, WINDOW_MONTHS) / WINDOW_MONTHS
    lam = RESPONSES_PER_CUSTOMER / eligible_months.mean() * eligible_months
    owner = np.repeat(np.arange(n), rng.poisson(lam))
    kind = rng.choice(len(TYPES), size=len(owner), p=TYPE_WEIGHTS)
    campaign = np.full(len(owner), -1)
    u = rng.random(len(owner))
    since = chunk.customer_since[owner]
    for t in range(len(TYPES)):
        plans = range(len(PLANS)) if t == 0 else [-1]
        for plan in plans:
            mask = (kind == t) & ((chunk.plan[owner] == plan) if t == 0 else True)
            members = np.flatnonzero((cat.type_index == t) & (cat.plan == plan))
            first = np.searchsorted(cat.sent_day[members], since[mask])
            span = len(members) - first
            pick = first + np.floor(u[mask] * span).astype(np.int64)
            campaign[mask] = np.where(span > 0, members[np.minimum(pick, len(members) - 1)], -1)
    keep = campaign >= 0
    owner, campaign = owner[keep], campaign[keep]
    rows = len(owner)
    a = chunk.archetype[owner]
    t = cat.type_index[campaign]
    channel = cat.channel[campaign]

    # A price notice's control group gets no message: its churn is a $0 notice's, the same
    # month without a change (the other outcomes are reactions to a message, so not drawn).
    control = (t == 0) & (rng.random(rows) < CONTROL_SHARE)
    probs = probabilities(
        logits(
            a,
            t,
            np.where(control, 0.0, cat.value[campaign]),
            cat.value_add[campaign] & ~control,
            channel,
            chunk.tenure_months[owner],
            chunk.plan[owner],
        )
    )
    outcome = np.minimum(
        (rng.random(rows)[:, None] > np.cumsum(probs, axis=1)).sum(axis=1),
        len(OUTCOMES) - 1,
    )
    delivered = (rng.random(rows) < np.where(channel == 3, 0.93, 0.97)) & ~control
    left = control & (outcome == R["churned"])
    outcome = np.where(delivered | left, outcome, R["ignored"])
    responded = (outcome != R["ignored"]) & ~control
    engagement = chunk.app_engagement[owner]
    opened = responded | (
        delivered & (rng.random(rows) < OPEN_RATE[channel] * (0.6 + 0.6 * engagement))
    )
    takes_offer = np.isin(outcome, [R["accepted"], R["upgraded"], R["downgraded"]])
    clicked = opened & (rng.random(rows) < np.where(takes_offer, 0.8, 0.12))
    converted = np.isin(outcome, [R["accepted"], R["upgraded"]]) & (t != 0)
    price = A.PLAN_PRICE[chunk.plan[owner]]
    value = cat.value[campaign]
    conversion_value = np.select(
        [t == 1, t == 2, t == 3, t == 4, t == 5],
        [
            12 * np.maximum(price - value, 0),
            300 + 1.5 * value,
            np.full(rows, 120.0),
            12 * np.maximum(price - value, 0),
            3 * price,
        ],
        0.0,
    )

    sent = cat.sent_day[campaign].astype("datetime64[s]") + rng.integers(
        8 * 3600, 56 * 3600, rows
    ).astype("timedelta64[s]")
    response_at = sent + rng.exponential(36 * 3600, rows).astype("timedelta64[s]") + 60
    frame = (
        pl.DataFrame(
            {
                "customer_id": customer_ids(chunk, owner),
                "campaign_id": cat.frame["campaign_id"].gather(campaign),
            }
        )
        .hstack(cat.frame.drop("campaign_id")[campaign])
        .with_columns(
            channel=enum(CHANNELS, channel),
            sent_at=pl.Series(sent.astype("datetime64[us]")),
            delivered=pl.Series(delivered),
            opened=pl.Series(opened),
            clicked=pl.Series(clicked),
            responded=pl.Series(responded),
            response_type=enum(OUTCOMES, outcome),
            response_at=pl.Series(
                np.where(responded, response_at, np.datetime64("NaT")).astype("datetime64[us]")
            ),
            offer_type=pl.when(pl.Series(control))
            .then(pl.lit(CONTROL_GROUP))
            .otherwise(pl.col("offer_type")),
            converted=pl.Series(converted),
            conversion_value=pl.Series(
                np.where(converted, np.round(conversion_value, 2), np.nan)
            ).fill_nan(None),
        )
    )
    return frame


def truth() -> dict[str, object]:
    """The response model's true structure and coefficients, for the truth file."""
    return {
        "outcomes": list(OUTCOMES),
        "reference_outcome": "ignored",
        "campaign_types": list(TYPES),
        "value_add_worth": VALUE_ADD_WORTH,
        "value_add_softening": VALUE_ADD_SOFTENING,
        "response_window": "one month: churn in a window is a monthly churn",
        "control_share": CONTROL_SHARE,
        "monthly_churn_shift": MONTHLY_CHURN_SHIFT,
        "prepaid_churn_shift": PREPAID_CHURN_SHIFT,
        "churn_price_share": CHURN_PRICE_SHARE,
        "pushback_price_share": PUSHBACK_PRICE_SHARE,
        "offer_take_up_shift": OFFER_TAKE_UP_SHIFT,
        "price_notice": {
            "churned": "churn_base + churn_price_share*s*eff_delta",
            "churn_base": "churn_intercept + monthly_churn_shift + prepaid_churn_shift*prepaid"
            " - 0.004*(min(tenure,120)-36)",
            "threatened_churn": "churn_intercept + 1.0 + 0.9*push (same tenure term)",
            "complained": "complain_intercept + 0.8*push",
            "downgraded": "-4.5 + 0.5*push",
            "push": "pushback_price_share*s*eff_delta",
            "accepted": "-2.2 + 0.1*max(-eff_delta, 0)",
            "eff_delta": "delta - value_add_softening*value_add_worth*has_value_add",
            "control_group": "a $0 notice's churn; every other outcome is 'ignored'",
        },
        "per_archetype": {
            a.name: {
                "price_sensitivity": a.price_sensitivity,
                "churn_intercept": a.churn_intercept,
                "complain_intercept": a.complain_intercept,
                "offer_affinity": a.offer_affinity,
                "upgrade_affinity": a.upgrade_affinity,
            }
            for a in A.ARCHETYPES
        },
    }
