"""A segment's stance from data: the spec's ``likely_action``, ``action_probability`` and
``sentiment_score``, derived from the response model's shares, never taken from the LLM.

- ``likely_action`` is the outcome with the largest share (ties go to the earlier outcome in
  ``OUTCOMES``), and ``action_probability`` is that share.
- ``sentiment_score`` is the share-weighted mean of each outcome's valence (``VALENCE``): a
  segment where everyone accepts scores +0.5, where everyone leaves -1.0; under a price rise
  or a new fee accepting is putting up with it, valence 0 (``VALENCE_OF_A_RISE``). Its 90% interval
  comes from the bootstrap replicates' shares, like every other figure.
- A scenario the history cannot ground has no stance: each field is None and ``basis`` says
  why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cdt.calibrate import interval
from cdt.calibrate.logit import OUTCOMES

# How each outcome feels, on the spec's -1..+1 sentiment scale. Ignoring is neutral; taking an
# offer is mildly positive (it is often taken grudgingly); an upgrade is a choice to spend
# more; leaving is the most negative thing a customer can do.
VALENCE: dict[str, float] = {
    "accepted": 0.5,
    "ignored": 0.0,
    "complained": -0.6,
    "threatened_churn": -0.8,
    "churned": -1.0,
    "upgraded": 0.7,
    "downgraded": -0.4,
}
ACTION_OF: dict[str, str] = {
    "accepted": "ACCEPT",
    "ignored": "IGNORE",
    "complained": "COMPLAIN",
    "threatened_churn": "THREATEN_CHURN",
    "churned": "CHURN",
    "upgraded": "UPGRADE",
    "downgraded": "DOWNGRADE",
}
OUTCOME_OF = {action: outcome for outcome, action in ACTION_OF.items()}
# "27 in 100 would complain": each outcome as a customer does it.
DOING: dict[str, str] = {
    "accepted": "take it",
    "ignored": "let it pass",
    "complained": "complain",
    "threatened_churn": "threaten to leave",
    "churned": "leave",
    "upgraded": "upgrade",
    "downgraded": "downgrade",
}


@dataclass(frozen=True)
class Stance:
    """What the data says a segment does."""

    likely_action: str | None
    action_probability: float | None
    sentiment_score: float | None
    sentiment_interval: list[float] | None
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "likely_action": self.likely_action,
            "action_probability": self.action_probability,
            "sentiment_score": self.sentiment_score,
            "sentiment_interval": self.sentiment_interval,
            "stance_basis": self.basis,
        }


#: ... except under a price rise or a new fee, where accepting is putting up with it: no
#: customer is pleased to pay more, so such a scenario's sentiment is at most 0.
VALENCE_OF_A_RISE: dict[str, float] = {**VALENCE, "accepted": 0.0}


def valences(adverse: bool = False) -> dict[str, float]:
    """Each outcome's valence: ``adverse`` for a price rise or a new fee."""
    return VALENCE_OF_A_RISE if adverse else VALENCE


def _valence(adverse: bool = False) -> np.ndarray:
    return np.array([valences(adverse)[k] for k in OUTCOMES])


def sentiment(shares: dict[str, float], adverse: bool = False) -> float:
    """The share-weighted valence of ``shares`` (outcome -> share, summing to 1)."""
    return float(sum(valences(adverse)[k] * float(shares.get(k, 0.0)) for k in OUTCOMES))


def signed(value: float) -> str:
    """A sentiment as shown: two decimals with a sign, and no "-0.00" for a value that
    rounds to zero."""
    return f"{round(float(value), 2) + 0.0:+.2f}"


def from_shares(
    shares: dict[str, float],
    share_draws: np.ndarray | None = None,
    *,
    extrapolated: bool = False,
    basis: str = "response model",
    adverse: bool = False,
) -> Stance:
    """The stance of a segment whose outcomes have ``shares`` (and, for the interval, the
    replicates' ``share_draws``, replicates × OUTCOMES); ``adverse`` for a price rise or a
    new fee (see VALENCE_OF_A_RISE)."""
    ranked = [(k, float(shares.get(k, 0.0))) for k in OUTCOMES]
    top, share = max(ranked, key=lambda kv: kv[1])  # max keeps the first of equals
    point = sentiment(shares, adverse)
    low_high = None
    if share_draws is not None and len(share_draws):
        draws = np.asarray(share_draws) @ _valence(adverse)
        low, high = interval(point, draws, extrapolated=extrapolated, floor=None)
        low_high = [round(max(low, -1.0), 3), round(min(high, 1.0), 3)]
    return Stance(ACTION_OF[top], round(share, 4), round(point, 3), low_high, basis)


def ungrounded(reason: str) -> Stance:
    """No stance: the history holds nothing comparable, so the data cannot say."""
    said = reason if reason.startswith("not grounded") else f"not grounded: {reason}"
    return Stance(None, None, None, None, said)


def pooled(rows: list[dict[str, Any]]) -> dict[str, float] | None:
    """The shares of every reached customer together: each row's ``action_shares`` weighted
    by its ``affected_customers`` (None when no row has numbers)."""
    numbered = [r for r in rows if r.get("action_shares") and r.get("affected_customers")]
    total = sum(float(r["affected_customers"]) for r in numbered)
    if not total:
        return None
    return {
        k: sum(float(r["action_shares"].get(k, 0.0)) * r["affected_customers"] for r in numbered)
        / total
        for k in OUTCOMES
    }


def voiced(shares: dict[str, float], *, most: int = 3, min_share: float = 0.05) -> list[str]:
    """The outcomes worth a voice, largest first: the commonest one (the primary voice), then
    the others taken by at least ``min_share`` of the segment, ``most`` in all."""
    ranked = sorted(OUTCOMES, key=lambda k: -float(shares.get(k, 0.0)))
    return ranked[:1] + [k for k in ranked[1:most] if float(shares.get(k, 0.0)) >= min_share]


def per_hundred(share: float) -> str:
    """A share as "27 in 100" ("fewer than 1 in 100" below a half)."""
    count = round(share * 100)
    return f"{count} in 100" if count >= 1 else "fewer than 1 in 100"
