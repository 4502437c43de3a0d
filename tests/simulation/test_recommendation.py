"""The recommendation's worst case: a gain that beats the churn is said to turn into a loss
when it does at the pessimistic end of the 90% intervals."""

from __future__ import annotations

from cdt.agents.aggregate import worst_case

OVERALL = {
    "affected_customers": 20_000,
    "expected_churners": 429.0,
    "expected_churners_interval": [120.0, 1_589.0],
    "revenue_at_risk_monthly": 21_460.0,
    "revenue_at_risk_monthly_interval": [6_000.0, 93_391.0],
}


def test_a_gain_that_turns_into_a_loss_at_the_worst_end_says_so() -> None:
    said = worst_case(OVERALL, gain=98_389.0)
    # fewer stay to pay the rise (18,411 of 19,571): $92,557 against $93,391 at risk
    assert said.startswith("At the pessimistic end of the 90% intervals (1,589 leaving")
    assert "it would lose about $834/month" in said


def test_no_worst_case_sentence_when_the_worst_still_gains_or_there_is_no_gain() -> None:
    assert worst_case({**OVERALL, "revenue_at_risk_monthly_interval": [6_000.0, 50_000.0]},
                  gain=98_389.0) == ""  # fmt: skip
    assert worst_case(OVERALL, gain=20_000.0) == ""  # the verdict already says reconsider
    assert worst_case({**OVERALL, "expected_churners_interval": None}, gain=98_389.0) == ""


def test_the_advice_for_a_smaller_increase_names_a_segment_that_gets_a_rise() -> None:
    """With a rise on one plan and a cut on another, "a smaller increase" is advised only
    for a segment whose reached customers get the rise, even when a segment that mostly
    gets the cut loses more customers."""
    import numpy as np

    from cdt.agents.aggregate import aggregate
    from cdt.calibrate import Prediction
    from cdt.scenario import parse

    def row(segment: str, name: str, churn: float, plan: str) -> dict[str, object]:
        return {"segment_id": segment, "segment_name": name, "status": "ok",
                "customer_count": 1_000, "affected_customers": 1_000,
                "expected_churners": churn * 1_000, "revenue_at_risk_monthly": churn * 50_000,
                "action_shares": {"churned": churn, "accepted": 1 - churn},
                "reached_plan": plan}  # fmt: skip

    def predicted(segment: str, churn: float, added: float) -> Prediction:
        empty = np.empty(0)
        return Prediction(segment, 1_000, {"churned": churn}, np.empty((0, 2)), churn * 1_000,
                          empty, churn * 50_000, empty, 0.0, 0.0, np.empty((0, 2)), False,
                          added_revenue=added)  # fmt: skip

    mixed = parse("Glacier goes up $3 and Powder drops $2")
    rows = [
        row("SEG01", "Cut Takers", 0.05, "Powder"),
        row("SEG02", "Rise Payers", 0.03, "Glacier"),
    ]
    predictions = {
        "SEG01": predicted("SEG01", 0.05, -2_000),
        "SEG02": predicted("SEG02", 0.03, 3_000),
    }
    _, text = aggregate(rows, mixed, predictions)
    assert "Most at risk: Cut Takers" in text
    assert "smaller increase for Rise Payers" in text and "increase for Cut Takers" not in text

    rises = parse("Glacier goes up $3 and Powder goes up $2")  # every change a rise: the riskiest
    _, text = aggregate(rows, rises, predictions)
    assert "smaller increase for Cut Takers" in text


def test_a_change_that_keeps_customers_says_so_not_a_negative_loss() -> None:
    """Where fewer leave than in a month without the change, the verdict says it keeps
    revenue; it never writes a loss of "$-460/month"."""
    import numpy as np

    from cdt.agents.aggregate import aggregate
    from cdt.calibrate import Prediction
    from cdt.scenario import parse

    row = {"segment_id": "SEG01", "segment_name": "Stayers", "status": "ok",
           "customer_count": 1_000, "affected_customers": 1_000, "expected_churners": 10.0,
           "revenue_at_risk_monthly": 500.0, "action_shares": {"churned": 0.01},
           "reached_plan": "Glacier"}  # fmt: skip
    two = np.ones(2)
    kept = Prediction("SEG01", 1_000, {"churned": 0.01}, np.full((2, 2), 0.5), 10.0, 10 * two,
                      500.0, 500 * two, 0.0, 0.0, np.zeros((2, 2)), False,
                      added_revenue=2_000.0, quiet_churners=19.0, quiet_draws=19 * two,
                      quiet_revenue=960.0, quiet_revenue_draws=960 * two)  # fmt: skip
    _, text = aggregate([row], parse("Glacier goes up $2"), {"SEG01": kept})
    assert "$-" not in text
    assert "against no revenue lost to churn (it keeps about $460/month)" in text
