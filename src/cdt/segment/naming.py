"""Business names from data: what sets each segment's centroid apart, in words.

No name is hard-coded per segment: each name comes from the two features on which the segment's
mean is furthest from the base (in standard deviations), so a user's own data gets names too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

#: feature -> (phrase when high, phrase when low)
PHRASES = {
    "age": ("Older", "Young"),
    "tenure_months": ("Long-Tenure", "New"),
    "plan_price": ("Premium-Plan", "Budget-Plan"),
    "lines_on_account": ("Multi-Line", "Single-Line"),
    "monthly_arpu": ("High-Spend", "Low-Spend"),
    "lifetime_value": ("High-Value", "Low-Value"),
    "avg_data_usage_gb": ("Heavy-Data", "Light-Data"),
    "avg_voice_minutes": ("Talkative", "Low-Voice"),
    "data_trend_3m": ("Growing-Data", "Shrinking-Data"),
    "overage_frequency": ("Overage-Prone", "Within-Plan"),
    "avg_bill_amount": ("Big-Bill", "Small-Bill"),
    "support_contacts_12m": ("High-Contact", "Low-Contact"),
    "avg_sentiment_score": ("Upbeat", "Frustrated"),
    "complaint_rate": ("Complaint-Prone", "Uncomplaining"),
    "complaint_count_12m": ("Complaint-Prone", "Uncomplaining"),
    "app_engagement_score": ("App-Engaged", "App-Averse"),
    "nps_score": ("Promoter", "Detractor"),
    "churn_risk_score": ("At-Risk", "Secure"),
    "adjusted_churn_risk": ("At-Risk", "Secure"),
    "population_density": ("Urban", "Rural"),
    "total_population": ("Big-Town", "Small-Town"),
    "median_household_income": ("Affluent", "Modest-Income"),
    "tech_adoption_score": ("Tech-Forward", "Tech-Cautious"),
    "price_sensitivity_index": ("Price-Sensitive", "Price-Relaxed"),
}
NAME_PHRASES = 2
MAX_NAME = 50


@dataclass(frozen=True)
class SegmentName:
    """A segment's name and the evidence behind it."""

    name: str
    reasons: list[dict[str, object]]  # feature, z, segment mean, base mean

    @property
    def reason_text(self) -> str:
        """E.g. ``lines_on_account 4.12 vs 1.64 (z +2.1); avg_voice_minutes 1.72e+03 vs 617``."""
        return "; ".join(
            f"{r['feature']} {_num(r['segment_mean'])} vs {_num(r['base_mean'])} "
            f"(z {_num(r['z'], '+.1f')})"
            for r in self.reasons
        )


def _num(value: object, pattern: str = ".3g") -> str:
    return format(float(value), pattern)  # type: ignore[arg-type]


def phrase(feature: str, high: bool) -> str:
    """Words for a feature being high or low (a readable fallback for unknown features)."""
    if feature in PHRASES:
        return PHRASES[feature][0 if high else 1]
    words = feature.replace("_", " ").title().replace(" ", "-")
    return f"High-{words}" if high else f"Low-{words}"


def name_segments(
    frame: pl.DataFrame, labels: np.ndarray, numeric: list[str], order: list[int]
) -> list[SegmentName]:
    """Names for the clusters in ``order`` (cluster labels), unique and deterministic."""
    columns = {f: frame[f].cast(pl.Float64).to_numpy() for f in numeric}
    # a feature the data does not hold (all missing, or one value for everyone: its table was
    # not loaded) tells no segment apart, so it names none
    columns = {f: v for f, v in columns.items()
               if not np.all(np.isnan(v)) and float(np.nanstd(v)) > 0}  # fmt: skip
    base_mean = {f: float(np.nanmean(v)) for f, v in columns.items()}
    base_std = {f: float(np.nanstd(v)) or 1.0 for f, v in columns.items()}
    ranked: list[list[dict[str, object]]] = []
    for label in order:
        members = labels == label
        rows = []
        for feature, values in columns.items():
            mean = float(np.nanmean(values[members])) if members.any() else base_mean[feature]
            z = (mean - base_mean[feature]) / base_std[feature]
            rows.append(
                {
                    "feature": feature,
                    "z": round(z, 3),
                    "segment_mean": mean,
                    "base_mean": base_mean[feature],
                    "direction": "high" if z > 0 else "low",
                }
            )
        rows.sort(key=lambda r: (-abs(float(r["z"])), str(r["feature"])))  # type: ignore[arg-type]
        ranked.append(rows)

    names: list[SegmentName] = []
    taken: set[str] = set()
    for rows in ranked:
        chosen: list[dict[str, object]] = []
        words: list[str] = []
        for row in rows:
            word = phrase(str(row["feature"]), row["direction"] == "high")
            if word not in words:
                chosen.append(row)
                words.append(word)
            if len(words) >= NAME_PHRASES and " ".join(words) not in taken:
                break
        name = " ".join(words)[:MAX_NAME]
        taken.add(name)
        names.append(SegmentName(name, chosen[: max(NAME_PHRASES, len(chosen))]))
    return _told_apart(names)


def _told_apart(names: list[SegmentName]) -> list[SegmentName]:
    """Segments that share a name (the data holds too few features to tell them apart in
    words: one numeric column, say) are named by their mean on the name's first feature
    instead: "Tenure months 20.6" and "Tenure months 93.2" (a word such as "New" is relative
    to the base, and says little of a segment at 93 months), or, for a name of several words,
    "Young Low-Spend (age 24.1)"; a counter only if that ties too."""
    out: list[SegmentName] = []
    for position, named in enumerate(names):
        name = named.name
        if sum(n.name == name for n in names) > 1 and named.reasons:
            top = named.reasons[0]
            value = f"{str(top['feature']).replace('_', ' ')} {_num(top['segment_mean'])}"
            if " " not in name:
                name = value[0].upper() + value[1:]
            else:
                name = f"{name[: MAX_NAME - len(value) - 3]} ({value})"
        if any(n.name == name for n in out):
            name = f"{name[: MAX_NAME - 6]} ({position + 1})"
        out.append(SegmentName(name, named.reasons))
    return out
