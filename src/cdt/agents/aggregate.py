"""Base-wide figures from the segments' rows, and a recommendation from the numbers."""

from __future__ import annotations

from typing import Any

import numpy as np

from cdt.agents import grounding
from cdt.calibrate import Prediction, interval
from cdt.scenario import Scenario
from cdt.voices import stance


def _added(chosen: list[Prediction], widen: bool, reached: float) -> dict[str, Any]:
    """The churners the message adds over the segments, and their monthly revenue (against
    the same customers in a month without it), with the intervals of the totals; nothing
    without price notices in the history."""
    if any(p.quiet_draws is None or p.quiet_revenue_draws is None for p in chosen):
        return {}
    added = sum(p.added_churners or 0.0 for p in chosen)
    draws = np.sum([p.churner_draws - p.quiet_draws for p in chosen], axis=0)
    low, high = interval(added, draws, extrapolated=widen, floor=-reached, ceiling=reached)
    lost = sum(p.revenue - (p.quiet_revenue or 0.0) for p in chosen)
    lost_draws = np.sum([p.revenue_draws - p.quiet_revenue_draws for p in chosen], axis=0)
    r_low, r_high = interval(lost, lost_draws, extrapolated=widen, floor=None)
    return {
        "added_churners": round(added, 1),
        "added_churners_interval": [round(low, 1), round(high, 1)],
        "added_revenue_at_risk_monthly": round(lost, 2),
        "added_revenue_at_risk_monthly_interval": [round(r_low, 2), round(r_high, 2)],
    }


def aggregate(
    rows: list[dict[str, Any]],
    scenario: Scenario,
    predictions: dict[str, Prediction] | None = None,
    grounded: grounding.Grounding | None = None,
) -> tuple[dict[str, Any], str]:
    """Base-wide figures weighted by customer count, and a recommendation from the numbers.

    The base-wide churners and revenue intervals sum the segments replicate by replicate, so
    they are the interval of the total, not a sum of intervals."""
    ok = [r for r in rows if r["status"] == "ok"]
    customers = sum(r["customer_count"] for r in rows if r["status"] != "unaffected")
    has_numbers = grounded is None or grounded.grounded
    numbered = [r for r in rows if r.get("expected_churners") is not None]
    shares = stance.pooled(numbered)
    said = (
        stance.from_shares(shares, adverse=scenario.adverse()) if shares and has_numbers else None
    )
    churners = sum(r["expected_churners"] for r in numbered)
    at_risk = sum(r["revenue_at_risk_monthly"] for r in numbered)
    overall: dict[str, Any] = {
        "segments_ok": len(ok),
        "segments_with_words": sum(r.get("words") == "written" for r in rows),
        "segments_failed": sum(r["status"] == "failed" for r in rows),
        "segments_unaffected": sum(r["status"] == "unaffected" for r in rows),
        "customers_covered": customers,
        "affected_customers": sum(r.get("affected_customers", 0) for r in numbered),
        "numbers_complete": all(
            r.get("expected_churners") is not None for r in rows if r["status"] != "unaffected"
        ),
        "weighted_sentiment": said.sentiment_score if said else None,
        "likely_action": said.likely_action if said else None,
        "action_probability": said.action_probability if said else None,
        "action_shares": {k: round(v, 5) for k, v in shares.items()} if shares else None,
        "stance_basis": "response model, reached customers pooled" if said else None,
        "expected_churners": round(churners, 1),
        "revenue_at_risk_monthly": round(at_risk, 2),
        "revenue_at_risk_yearly": round(at_risk * 12, 2),
        "extrapolated": any(r.get("extrapolated") for r in numbered),
    }
    chosen = [
        predictions[r["segment_id"]]
        for r in numbered
        if predictions and r["segment_id"] in predictions
    ]
    if chosen and len(chosen[0].churner_draws):
        widen = overall["extrapolated"]
        churner_draws = np.sum([p.churner_draws for p in chosen], axis=0)
        revenue_draws = np.sum([p.revenue_draws for p in chosen], axis=0)
        reached = float(sum(p.customers for p in chosen))
        revenue_base = sum(p.reached_revenue or 0.0 for p in chosen) or None
        overall["expected_churners_interval"] = [
            round(v, 1)
            for v in interval(churners, churner_draws, extrapolated=widen, ceiling=reached)
        ]
        low, high = interval(at_risk, revenue_draws, extrapolated=widen, ceiling=revenue_base)
        overall["revenue_at_risk_monthly_interval"] = [round(low, 2), round(high, 2)]
        overall["revenue_at_risk_yearly_interval"] = [round(low * 12, 2), round(high * 12, 2)]
        overall.update(_added(chosen, widen, reached))
    if not has_numbers and grounded is not None:
        for key in ("expected_churners", "revenue_at_risk_monthly", "revenue_at_risk_yearly",
                    "added_churners", "added_revenue_at_risk_monthly"):  # fmt: skip
            overall[key] = None
        overall["grounded"] = False
        return overall, f"No recommendation: {grounded.reason}"
    overall["grounded"] = True
    overall["proxy"] = grounded.proxy if grounded else None
    if not numbered:
        if overall["segments_unaffected"] == len(rows):
            return overall, "The scenario reaches no customer; see the warnings."
        return overall, "No segment could be simulated; see the errors per segment."
    riskiest = max(numbered, key=lambda r: r["action_shares"].get("churned", 0))
    mood = _mood(said) if said else ""
    added = overall.get("added_churners")
    own = (
        f", about {added:,.0f} of them because of it" if added is not None and added >= 0.5 else ""
    )
    text = mood + (
        f"Expect about {churners:,.0f} customers to leave in the month after it{own} "
        f"(${at_risk:,.0f}/month, ${at_risk * 12:,.0f}/year at risk in all). Most at risk: "
        f"{riskiest['segment_name']} "
        f"({riskiest['action_shares'].get('churned', 0):.1%} churn)."
    )
    sizes = scenario.change_sizes()
    if chosen and sizes and any(s is not None and s > 0 for s in sizes):
        gain = sum(p.added_revenue for p in chosen)  # each stayer at the change on their plan
        mixed = not all(s is not None and s > 0 for s in sizes)
        # What the change costs is the revenue of the customers it drives out, not of those
        # who would have left in that month anyway (all of them where that is unknown).
        loss = overall.get("added_revenue_at_risk_monthly", at_risk)
        overall["added_revenue_monthly"] = round(gain, 2)
        overall["net_revenue_monthly"] = round(gain - loss, 2)
        verdict = "Proceed" if gain > loss else "Reconsider"
        worth = f"{'-' if gain < 0 else ''}${abs(gain):,.0f}/month"
        adds = (
            f"the changes, rises less cuts, come to {worth}"
            if mixed
            else f"the increase adds {worth}"
        )
        lost = (
            f"${loss:,.0f}/month lost to the churn it adds"
            if "added_revenue_at_risk_monthly" in overall
            else f"${loss:,.0f}/month lost to churn"
        )
        if loss < 0:  # fewer leave than in a month without it: it keeps revenue
            lost = f"no revenue lost to churn (it keeps about ${-loss:,.0f}/month)"
        text = (
            f"{verdict}: {adds} from customers who stay against {lost}. "
            + worst_case(overall, gain)
            + text
        )
        # advice for a smaller increase only where the segment's reached customers get a rise
        rising = [r for r in numbered if not mixed or _rises(scenario, r.get("reached_plan"))]
        advise = max(rising, key=lambda r: r["action_shares"].get("churned", 0), default=None)
        if advise and advise["action_shares"].get("churned", 0) > 0.02:
            text += f" Consider a value-add or a smaller increase for {advise['segment_name']}."
    if overall["extrapolated"]:
        text += " Some estimates are extrapolated beyond the campaign history."
    if overall["proxy"]:  # the headline says what the numbers answer, not only a warning
        text = f"Read through a proxy ({overall['proxy']}). " + text
    if overall["segments_failed"]:
        text += (
            f" Words are unavailable for {overall['segments_failed']} segment(s) (see their "
            "errors); the numbers and stances come from the response model and are complete."
        )
    return overall, text


def _rises(scenario: Scenario, plan: str | None) -> bool:
    """Whether customers on ``plan`` meet a rise in ``scenario`` (False where unknown)."""
    if not plan:
        return False
    sizes = scenario.on_plan(plan).change_sizes()
    return bool(sizes) and all(s is not None and s > 0 for s in sizes)


def worst_case(overall: dict[str, Any], gain: float) -> str:
    """When a gain that beats the churn turns into a loss at the pessimistic end of the 90%
    intervals (the most leavers: fewer who stay to pay the rise, the most revenue at risk),
    a sentence that says so; else nothing."""
    own = "added_revenue_at_risk_monthly" in overall  # the change's own churn, where known
    churners, revenue = (
        overall.get("expected_churners_interval"),
        overall.get(
            "added_revenue_at_risk_monthly_interval" if own else "revenue_at_risk_monthly_interval"
        ),
    )
    reached, expected = overall.get("affected_customers"), overall.get("expected_churners")
    if not churners or not revenue or not reached or expected is None:
        return ""
    stay, stay_worst = reached - expected, reached - churners[1]
    loss = overall["added_revenue_at_risk_monthly" if own else "revenue_at_risk_monthly"]
    if gain <= loss or stay <= 0:
        return ""
    worst = gain * max(stay_worst, 0) / stay - revenue[1]
    if worst >= 0:
        return ""
    at_risk = "lost to the churn it adds" if own else "at risk"
    return (
        f"At the pessimistic end of the 90% intervals ({churners[1]:,.0f} leaving, "
        f"${revenue[1]:,.0f}/month {at_risk}) it would lose about ${-worst:,.0f}/month. "
    )


def _mood(said: stance.Stance) -> str:
    """The reached customers' stance in a sentence, from the same mapping as each segment's."""
    outcome = stance.OUTCOME_OF[str(said.likely_action)]
    return (
        f"The commonest reaction is to {stance.DOING[outcome]} "
        f"({stance.per_hundred(float(said.action_probability or 0))} reached; sentiment "
        f"{stance.signed(float(said.sentiment_score or 0))}). "
    )
