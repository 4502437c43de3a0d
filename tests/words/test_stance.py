"""The stance from data: the mapping from the response model's shares to the spec's
likely_action, action_probability and sentiment_score, and which outcomes get a voice."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cdt.calibrate.logit import OUTCOMES
from cdt.voices import stance

RISE = {  # the Frustrated High-Contact at +$5
    "accepted": 0.05, "ignored": 0.50, "complained": 0.27, "threatened_churn": 0.12,
    "churned": 0.056, "upgraded": 0.0, "downgraded": 0.004,
}  # fmt: skip


def test_the_commonest_outcome_is_the_likely_action_and_sentiment_weighs_valences() -> None:
    said = stance.from_shares(RISE)
    assert said.likely_action == "IGNORE" and said.action_probability == pytest.approx(0.5)
    expected = sum(stance.VALENCE[k] * v for k, v in RISE.items())
    assert said.sentiment_score == pytest.approx(expected, abs=1e-3) and expected < -0.2
    assert said.basis == "response model"


def test_a_segment_that_complains_never_reads_as_accepting() -> None:
    said = stance.from_shares(RISE | {"ignored": 0.2, "complained": 0.57})
    assert said.likely_action == "COMPLAIN" and said.sentiment_score < -0.3


def test_the_sentiment_interval_comes_from_the_replicates() -> None:
    rng = np.random.default_rng(1)
    point = np.array([RISE[k] for k in OUTCOMES])
    draws = np.clip(point + rng.normal(0, 0.02, (50, len(OUTCOMES))), 0, 1)
    draws /= draws.sum(axis=1, keepdims=True)
    said = stance.from_shares(RISE, draws)
    assert said.sentiment_interval is not None
    low, high = said.sentiment_interval
    assert -1 <= low <= said.sentiment_score <= high <= 1 and high > low


def test_an_ungrounded_scenario_has_no_stance() -> None:
    said = stance.ungrounded("the history has no campaign of this kind")
    assert said.likely_action is None and said.sentiment_score is None
    assert said.basis.startswith("not grounded")


def test_voices_go_to_the_commonest_outcome_and_those_above_the_floor() -> None:
    assert stance.voiced(RISE) == ["ignored", "complained", "threatened_churn"]
    assert stance.voiced(RISE, most=2) == ["ignored", "complained"]
    assert stance.voiced(RISE, min_share=0.2) == ["ignored", "complained"]
    assert stance.voiced(RISE, min_share=0.9) == ["ignored"]  # the commonest always speaks


def test_pooled_shares_weigh_segments_by_customers_reached() -> None:
    rows = [
        {
            "action_shares": {**dict.fromkeys(OUTCOMES, 0.0), "ignored": 1.0},
            "affected_customers": 3,
        },
        {
            "action_shares": {**dict.fromkeys(OUTCOMES, 0.0), "churned": 1.0},
            "affected_customers": 1,
        },
    ]
    pooled = stance.pooled(rows)
    assert pooled is not None
    assert pooled["ignored"] == pytest.approx(0.75) and pooled["churned"] == pytest.approx(0.25)
    assert stance.pooled([{"action_shares": None, "affected_customers": 0}]) is None


@given(st.lists(st.floats(0, 1), min_size=len(OUTCOMES), max_size=len(OUTCOMES)))
def test_the_stance_agrees_with_its_shares_whatever_they_are(weights: list[float]) -> None:
    total = sum(weights)
    if total == 0:
        return
    shares = {k: w / total for k, w in zip(OUTCOMES, weights, strict=True)}
    said = stance.from_shares(shares)
    assert shares[stance.OUTCOME_OF[str(said.likely_action)]] == max(shares.values())
    assert -1.0 <= float(said.sentiment_score or 0) <= 0.7
    negative = sum(shares[k] for k in ("complained", "threatened_churn", "churned"))
    if negative > 0.9:  # a segment that mostly complains or leaves never reads as positive
        assert float(said.sentiment_score or 0) < 0


def test_a_sentiment_that_rounds_to_zero_shows_no_minus_sign() -> None:
    assert stance.signed(-0.004) == "+0.00"
    assert stance.signed(-0.3) == "-0.30" and stance.signed(0.126) == "+0.13"


def test_under_a_rise_accepting_is_putting_up_with_it() -> None:
    """No customer is pleased to pay more: a rise's sentiment is at most 0, while accepting
    an offer stays a good reaction."""
    everyone_accepts = {"accepted": 1.0}
    assert stance.from_shares(everyone_accepts).sentiment_score == 0.5
    assert stance.from_shares(everyone_accepts, adverse=True).sentiment_score == 0.0
    mixed = {"accepted": 0.3, "ignored": 0.6, "complained": 0.1}
    assert stance.from_shares(mixed, adverse=True).sentiment_score < 0
    from cdt.scenario import parse

    assert parse("price increase $5").adverse() and parse("a new $3 admin fee").adverse()
    assert not parse("cut Glacier by $5").adverse()
    assert not parse("Glacier goes up $2 while Avalanche drops $5").adverse()
    assert not parse("a $20 retention offer").adverse()
