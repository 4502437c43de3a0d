"""Numbers from data: a parsed scenario in the response model's terms.

The shares, churners and revenue at risk of a simulation come from the response model
(``cdt.calibrate``) read at these inputs. A scenario the history has nothing like (a policy
change, a novel product) is read as the nearest campaign type and marked extrapolated, which
widens its intervals.
"""

from __future__ import annotations

from cdt.agents.scenario import Scenario
from cdt.calibrate import Inputs
from cdt.calibrate.model import NOTICE

CAMPAIGN_TYPE = {
    "price_increase": NOTICE,
    "price_decrease": NOTICE,
    "price_increase_value_add": NOTICE,
    "competitor_offer": "Competitor Response",
    "loyalty_reward": "Loyalty Reward",
    "outage_credit": "Loyalty Reward",
    "new_plan": "Upgrade Offer",
    "streaming_bundle": "Add-On Promo",
}
#: Kinds read as a near campaign type, and why that is a stretch.
STRETCHED = {
    "outage_credit": "an outage credit is read as a loyalty reward",
    "new_plan": "a new plan launch is read as an upgrade offer",
}
ACTION_OUTCOME = {
    "ACCEPT": "accepted",
    "IGNORE": "ignored",
    "COMPLAIN": "complained",
    "THREATEN_CHURN": "threatened_churn",
    "CHURN": "churned",
    "UPGRADE": "upgraded",
    "DOWNGRADE": "downgraded",
}


def inputs_for(scenario: Scenario) -> Inputs:
    """The response model's inputs for ``scenario``."""
    kind = CAMPAIGN_TYPE.get(scenario.kind)
    notes: list[str] = []
    if kind is None:
        notes.append(
            f"a '{scenario.kind.replace('_', ' ')}' has no counterpart in the campaign history:"
            " read as a price notice"
        )
        kind = NOTICE
    if scenario.kind in STRETCHED:
        notes.append(STRETCHED[scenario.kind])
    delta, pct = None, None
    if kind == NOTICE:
        delta, pct = scenario.price_delta, scenario.price_delta_pct
        if delta is not None:
            pct = None
        elif pct is None:
            delta = 0.0
            if scenario.kind in CAMPAIGN_TYPE:
                notes.append("the size of the price change is unknown: read as $0")
    return Inputs(
        campaign_type=kind,
        delta=delta,
        delta_pct=pct,
        value_add=bool(scenario.value_add) and kind == NOTICE,
        offer_value=scenario.offer_value if kind != NOTICE else None,
        channel=scenario.channel,
        plans=tuple(scenario.plans),
        notes=tuple(notes),
    )


def blend(
    shares: dict[str, float], action: str, probability: float, weight: float
) -> dict[str, float]:
    """Model shares blended with the LLM's stated reaction at the backtest-earned ``weight``.

    The LLM's reaction is read as ``probability`` on its likely action and the rest spread
    like the model's other outcomes."""
    if weight <= 0:
        return dict(shares)
    outcome = ACTION_OUTCOME[action]
    rest = sum(v for k, v in shares.items() if k != outcome) or 1.0
    llm = {
        k: probability if k == outcome else (1 - probability) * v / rest for k, v in shares.items()
    }
    return {k: (1 - weight) * shares[k] + weight * llm[k] for k in shares}
