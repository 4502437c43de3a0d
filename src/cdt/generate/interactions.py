"""RAW.SUPPORT_INTERACTIONS: contacts whose rate, channel, topic and tone follow the archetype."""

from __future__ import annotations

import numpy as np
import polars as pl

from cdt.generate import archetypes as A
from cdt.generate import text as T
from cdt.generate.customers import AS_OF, CustomerChunk, customer_ids, enum

WINDOW_START = (AS_OF.astype("datetime64[M]") - 12).astype("datetime64[D]")
CONTACT_SCALE = 1.08  # calibrates the total to ~2 contacts per customer-year
BASE_CATEGORY = {
    "Billing": 0.22,
    "Technical Support": 0.15,
    "Network": 0.15,
    "Device": 0.15,
    "Plan Change": 0.12,
    "Account": 0.13,
    "Cancellation": 0.03,
}
CATEGORY_TILT = (  # per archetype, multipliers on BASE_CATEGORY
    {"Billing": 1.6, "Plan Change": 1.3},
    {"Network": 1.3, "Plan Change": 1.2},
    {"Account": 1.5, "Plan Change": 1.4, "Device": 1.2},
    {"Account": 1.2},
    {"Technical Support": 1.6, "Device": 1.5},
    {"Network": 2.5},
    {"Technical Support": 1.4, "Device": 1.2},
    {"Cancellation": 5.0, "Billing": 1.4},
)
COMPLAINT_TILT = (  # per archetype, multipliers on complaint subcategories
    {"Price Increase": 3.0},
    {"Data Throttling": 3.0},
    {"Billing Dispute": 1.5, "Price Increase": 1.5},
    {"Customer Service": 1.5},
    {"Network Coverage": 1.5, "Customer Service": 1.5},
    {"Network Coverage": 4.0},
    {"Data Throttling": 1.5, "Price Increase": 1.5},
    {"Customer Service": 2.0, "Billing Dispute": 2.0},
)
SENTIMENT_SHIFT = {"Complaint": -0.45, "Cancellation": -0.35, "Billing": -0.1, "Network": -0.15}
TONE_OF_ARCHETYPE = np.array([T.TONES.index(a.tone) for a in A.ARCHETYPES])


def subcategory_probs() -> np.ndarray:
    """(archetypes × subcategories) probabilities of a contact's subcategory."""
    rows = []
    for arche, (tilt, complaint_tilt) in enumerate(zip(CATEGORY_TILT, COMPLAINT_TILT, strict=True)):
        complaint_share = A.ARCHETYPES[arche].complaint_share
        weights: list[float] = []
        for category, subs in T.CATEGORIES.items():
            if category == "Complaint":
                w = np.array([complaint_tilt.get(s, 1.0) for s in subs])
                weights.extend(complaint_share * w / w.sum())
            else:
                weights.extend(
                    [
                        (1 - complaint_share)
                        * BASE_CATEGORY[category]
                        * tilt.get(category, 1.0)
                        / len(subs)
                    ]
                    * len(subs)
                )
        row = np.array(weights)
        complaint = np.array([T.SUBCATEGORIES.index(s) for s in T.CATEGORIES["Complaint"]])
        others = np.setdiff1d(np.arange(len(row)), complaint)
        row[others] *= (1 - complaint_share) / row[others].sum()
        rows.append(row)
    return np.array(rows)


def draw(
    rng: np.random.Generator, chunk: CustomerChunk, months_active: np.ndarray
) -> tuple[pl.DataFrame, np.ndarray]:
    """Interactions for ``chunk``, and complaints per customer (for complaint_count_12m)."""
    n = len(chunk.ids)
    arche = chunk.archetype
    rate = (
        A.column("contacts_per_year")[arche]
        * rng.lognormal(0, 0.35, n)
        * months_active
        / 12
        * CONTACT_SCALE
    )
    counts = rng.poisson(rate)
    owner = np.repeat(np.arange(n), counts)
    rows = len(owner)
    a = arche[owner]

    sub_probs = subcategory_probs()[a]
    sub = np.minimum(
        (rng.random(rows)[:, None] > np.cumsum(sub_probs, axis=1)).sum(axis=1),
        len(T.SUBCATEGORIES) - 1,
    )
    # Each subcategory's category, as a code: a lookup, not a search per row.
    category_of_sub = np.array(
        [T.CATEGORY_NAMES.index(c) for c, subs in T.CATEGORIES.items() for _ in subs],
        dtype=np.int64,
    )
    category = category_of_sub[sub]
    shift = np.array([SENTIMENT_SHIFT.get(c, 0.05) for c in T.CATEGORY_NAMES])[category]
    sentiment = np.clip(A.column("sentiment_mean")[a] + shift + rng.normal(0, 0.28, rows), -1, 1)
    u = rng.random(rows)
    p_resolved = np.clip(0.68 + 0.12 * sentiment, 0.3, 0.9)
    resolution = np.select(
        [u < p_resolved, u < p_resolved + 0.15, u < p_resolved + 0.22], [0, 1, 2], 3
    )
    fcr = (resolution == 0) & (rng.random(rows) < 0.75)
    hours = np.where(
        fcr, rng.gamma(1.2, 0.4, rows), rng.gamma(1.5, np.where(resolution == 0, 12.0, 40.0), rows)
    )
    csat = np.clip(
        np.round(3 + 1.6 * sentiment + 0.6 * (resolution == 0) + rng.normal(0, 0.6, rows)), 1, 5
    ).astype(np.int64)
    surveyed = rng.random(rows) < 0.65

    since = np.maximum(chunk.customer_since[owner], WINDOW_START)
    span = (AS_OF - since).astype(np.int64)
    seconds = (rng.random(rows) * np.maximum(span, 1) * 86_400).astype(np.int64)
    when = since.astype("datetime64[s]") + seconds.astype("timedelta64[s]")

    channel = np.minimum(
        (rng.random(rows)[:, None] > np.cumsum(A.matrix("channel_mix")[a], axis=1)).sum(axis=1),
        len(A.CHANNELS) - 1,
    )
    verbatim = _verbatims(rng, TONE_OF_ARCHETYPE[a], sub, category, sentiment)
    intents = np.array([T.INTENTS[s] for s in T.SUBCATEGORIES])
    channel_names = pl.Series(A.CHANNELS).gather(channel)
    summary = pl.select(
        pl.concat_str(
            [
                pl.lit(channel_names),
                pl.lit(" contact: "),
                pl.lit(pl.Series(intents[sub])),
                pl.lit(". "),
                pl.lit(pl.Series(T.RESOLUTION_PHRASES).gather(resolution)),
            ]
        )
    ).to_series()

    frame = pl.DataFrame(
        {
            "customer_id": customer_ids(chunk, owner),
            "interaction_date": when.astype("datetime64[us]"),
            "channel": enum(A.CHANNELS, channel),
            "category": enum(T.CATEGORY_NAMES, category),
            "subcategory": enum(T.SUBCATEGORIES, sub),
            "intent": pl.Series(intents[sub]),
            "resolution_status": enum(
                ("Resolved", "Escalated", "Pending", "Unresolved"), resolution
            ),
            "resolution_time_hours": np.round(hours, 2),
            "first_contact_resolution": fcr,
            "sentiment_score": np.round(sentiment, 2),
            "csat_score": pl.Series(np.where(surveyed, csat, -1)).replace(-1, None),
            "interaction_summary": summary,
            "customer_verbatim": verbatim,
        }
    )
    complaint_code = T.CATEGORY_NAMES.index("Complaint")
    complaints = np.bincount(owner[category == complaint_code], minlength=n)
    return frame, complaints


def _verbatims(
    rng: np.random.Generator,
    tone: np.ndarray,
    sub: np.ndarray,
    category: np.ndarray,
    sentiment: np.ndarray,
) -> pl.Series:
    """One message per contact: an opener that fits the tone and the kind of issue, the
    issue, and a closer that fits the tone and the sentiment (never a positive one on a
    complaint or a cancellation)."""
    rows = len(tone)
    technical = np.isin(category, [T.CATEGORY_NAMES.index(c) for c in T.TECHNICAL])
    opener_groups = {
        f"{t}/{tech}": T.OPENERS[t][0] + (T.OPENERS[t][1] if tech else ())
        for t in T.TONES
        for tech in (0, 1)
    }
    openers, opener_index = _flatten(opener_groups)
    issues, issue_index = _flatten({s: T.ISSUES[s] for s in T.SUBCATEGORIES})
    # After an opener that ends a sentence, the issue starts one: capitalised.
    capitalised = [i[:1].upper() + i[1:] for i in issues]
    closer_groups = {f"{t}/{band}": T.CLOSERS[t][band] for t in T.TONES for band in range(3)}
    closers, closer_index = _flatten(closer_groups)
    band = np.select([sentiment < -0.25, sentiment > 0.25], [0, 2], 1)
    unhappy = np.isin(category, [T.CATEGORY_NAMES.index(c) for c in T.NO_POSITIVE_CLOSER])
    band = np.where(unhappy, np.minimum(band, 1), band)
    group = tone * 3 + band
    pick = rng.random((rows, 3))
    o_group = tone * 2 + technical
    o = opener_index[0][o_group] + (pick[:, 0] * opener_index[1][o_group]).astype(np.int64)
    i = issue_index[0][sub] + (pick[:, 1] * issue_index[1][sub]).astype(np.int64)
    c = closer_index[0][group] + (pick[:, 2] * closer_index[1][group]).astype(np.int64)
    ends = np.array([opener.endswith((".", "!", "?")) for opener in openers])[o]
    issue = np.where(ends, i + len(issues), i)
    return pl.select(
        pl.concat_str(
            [
                pl.lit(pl.Series(openers).gather(o)),
                pl.lit(" "),
                pl.lit(pl.Series(issues + capitalised).gather(issue)),
                pl.lit(". "),
                pl.lit(pl.Series(closers).gather(c)),
            ]
        )
    ).to_series()


def _flatten(groups: dict[str, tuple[str, ...]]) -> tuple[list[str], tuple[np.ndarray, np.ndarray]]:
    """Flat phrase list plus, per group in insertion order, its first index and its size."""
    flat: list[str] = []
    starts, sizes = [], []
    for phrases in groups.values():
        starts.append(len(flat))
        sizes.append(len(phrases))
        flat.extend(phrases)
    return flat, (np.array(starts), np.array(sizes))
