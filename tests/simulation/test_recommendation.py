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
