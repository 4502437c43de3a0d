"""The data half of a persona: typical_* composites and behavioural JSON, from statistics."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cdt.backends.base import Backend
from cdt.errors import ConfigError
from cdt.personas.identity import Identity
from cdt.personas.models import PersonaText
from cdt.sqlfiles import read_sql


def choose_segments(stats: list[dict[str, Any]], wanted: list[str] | None) -> list[dict[str, Any]]:
    """The statistics rows of the wanted segment ids (all when None)."""
    if not wanted:
        return stats
    known = {str(row["segment_id"]): row for row in stats}
    unknown = [w for w in wanted if w.upper() not in known]
    if unknown:
        raise ConfigError(
            f"unknown segment(s): {', '.join(unknown)}",
            fix=f"choose from {', '.join(known)} (see `cdt segments`)",
        )
    return [known[w.upper()] for w in wanted]


def _top(mix: dict[str, float], n: int = 1) -> list[tuple[str, float]]:
    return sorted(mix.items(), key=lambda item: (-item[1], item[0]))[:n]


def segment_extras(backend: Backend) -> dict[str, dict[str, dict[str, float]]]:
    """Per segment: support channel shares and complaint topic shares."""
    extras: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for row in backend.query(read_sql("segment_extras", backend.dialect)).to_pylist():
        extras[str(row["segment_id"])][str(row["kind"])][str(row["label"])] = float(row["n"])
    for kinds in extras.values():
        for counts in kinds.values():
            total = sum(counts.values()) or 1.0
            for label in counts:
                counts[label] = round(counts[label] / total, 4)
    return extras


def from_statistics(
    stats: dict[str, Any], extras: dict[str, dict[str, float]]
) -> dict[str, dict[str, Any]]:
    """``typical`` columns and ``behaviour`` JSON columns of PERSONA_DEFINITIONS."""
    mixes = stats["mixes"] or {}
    means = stats["feature_means"] or {}
    mean = means.get("mean", {})
    outcomes = means.get("campaign_outcomes", {})
    geo = stats["top_geographies"] or {}
    ages = " / ".join(band for band, _ in _top(mixes.get("age_band", {}), 2))
    genders = ", ".join(f"{share:.0%} {g}" for g, share in _top(mixes.get("gender", {}), 2))
    income = _top(mixes.get("income_band", {}))
    urban = _top(mixes.get("urban_rural_class", {}))
    states = ", ".join(s["code"] for s in geo.get("states", [])[:3])
    plan = _top(mixes.get("plan_name", {}))
    contract = _top(mixes.get("contract_type", {}))
    tier = _top(mixes.get("device_tier", {}))
    brand = _top(mixes.get("device_brand", {}))
    complaints = _top(extras.get("complaint", {}), 3)
    typical = {
        "typical_age_range": ages[:20],
        "typical_gender_dist": genders[:50],
        "typical_income": (f"{income[0][0]} ZIP median" if income else "")[:30],
        "typical_household": f"{float(mean.get('lines_on_account') or 1):.1f} lines per account",
        "typical_location": (f"{urban[0][0]}; {states}" if urban else states)[:100],
        "typical_plan": (f"{plan[0][0]} ({plan[0][1]:.0%})" if plan else "")[:50],
        "typical_contract": (contract[0][0] if contract else "")[:30],
        "typical_tenure": f"{float(stats['avg_tenure_months'] or 0):.0f} months",
        "typical_arpu": round(float(stats["avg_arpu"] or 0), 2),
        "typical_device": (f"{tier[0][0]} {brand[0][0]}" if tier and brand else "")[:50],
    }
    behaviour = {
        "usage_profile": {
            k: mean.get(k)
            for k in (
                "avg_data_usage_gb",
                "avg_voice_minutes",
                "data_trend_3m",
                "overage_frequency",
            )
        },
        "channel_preferences": extras.get("channel", {}),
        "price_sensitivity": {
            "pushback_share_after_price_increase": stats.get("price_sensitivity"),
            "churn_after_price_increase": outcomes.get("churn_after_price_increase"),
            "price_position_ratio": mean.get("price_position_ratio"),
            "wallet_share_pct": mean.get("wallet_share_pct"),
        },
        "loyalty_indicators": {
            "avg_tenure_months": stats.get("avg_tenure_months"),
            "nps_score": mean.get("nps_score"),
            "churn_risk_score": stats.get("avg_churn_risk"),
            "rewards_tier_mix": mixes.get("rewards_tier", {}),
        },
        "pain_points": [
            {"topic": topic, "share_of_complaints": share} for topic, share in complaints
        ],
        "value_drivers": {
            "top_plan": stats.get("top_plan"),
            "campaign_response_rate": stats.get("campaign_response_rate"),
            "conversion_rate": outcomes.get("conversion_rate"),
            "what_sets_it_apart": stats.get("name_reason"),
        },
    }
    return {"typical": typical, "behaviour": behaviour}


def describe(stats: dict[str, Any], data: dict[str, dict[str, Any]]) -> str:
    """A compact, readable summary of the segment for the persona prompt."""
    typical = data["typical"]
    price = data["behaviour"]["price_sensitivity"]
    pains = ", ".join(p["topic"] for p in data["behaviour"]["pain_points"]) or "few complaints"
    return (
        f"Segment: {stats['segment_name']} ({stats['pct_of_base']}% of customers)\n"
        f"Age: {typical['typical_age_range']}; {typical['typical_gender_dist']}\n"
        f"Where: {typical['typical_location']}; income {typical['typical_income']}\n"
        f"Plan: {typical['typical_plan']}, {typical['typical_contract']}, "
        f"{typical['typical_household']}, ${typical['typical_arpu']}/month, "
        f"tenure {typical['typical_tenure']}\n"
        f"Device: {typical['typical_device']}\n"
        f"Data: {float(stats['avg_data_usage_gb'] or 0):.1f} GB/month; "
        f"sentiment in support contacts {float(stats['avg_sentiment_score'] or 0):+.2f}\n"
        f"After past price increases {float(price['pushback_share_after_price_increase'] or 0):.0%}"
        f" pushed back; top complaints: {pains}"
    )


def profile_rows(
    persona_id: str,
    segment_id: str,
    version: int,
    data: dict[str, dict[str, Any]],
    text: PersonaText,
    person: Identity,
    sources: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """PERSONA_PROFILES rows: each attribute once, marked as from data or from the LLM."""
    rows = [
        {
            "attribute_group": "identity",
            "attribute_name": name,
            "attribute_value": value,
            "source": "data",
        }
        for name, value in (
            ("name", person.name),
            ("age", person.age),
            ("gender", person.gender),
            ("location", person.location),
        )
    ]
    for group in ("typical", "behaviour"):
        for name, value in data[group].items():
            rows.append(
                {
                    "attribute_group": group,
                    "attribute_name": name,
                    "attribute_value": value,
                    "source": "data",
                }
            )
    sources = sources or {}
    for name, value in text.model_dump().items():
        if isinstance(value, dict):  # the quotes: one row each, each with its own source
            for mood, quote in value.items():
                key = f"{name}.{mood}"
                rows.append(
                    {
                        "attribute_group": "words",
                        "attribute_name": key,
                        "attribute_value": quote,
                        "source": sources.get(key, "llm"),
                    }
                )
            continue
        rows.append(
            {
                "attribute_group": "words",
                "attribute_name": name,
                "attribute_value": value,
                "source": sources.get(name, "llm"),
            }
        )
    return [
        {"persona_id": persona_id, "segment_id": segment_id, "version": version, **row}
        for row in rows
    ]
