"""A segment's predicted reaction to a scenario, and the 90% intervals of its figures: what
``predict`` returns and a simulation shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cdt.calibrate import logit

#: Extrapolated scenarios get intervals this many times wider around the point estimate.
EXTRAPOLATION_WIDENING = 2.0
INTERVAL = (5.0, 95.0)


def interval(
    point: float,
    draws: np.ndarray,
    *,
    extrapolated: bool = False,
    floor: float | None = 0.0,
    ceiling: float | None = None,
) -> list[float]:
    """The 90% interval of a figure from its bootstrap ``draws``: their spread below and above
    their median, placed around the point estimate (so the interval always holds it), and
    widened when extrapolated; the low end stops at ``floor`` (None: no floor) and the high
    end at ``ceiling`` (what is possible: a share's 1, a segment's reached customers), so
    widening never carries a figure past what can be true."""
    if len(draws) == 0:
        return [point, point]
    low, middle, high = np.percentile(draws, [INTERVAL[0], 50.0, INTERVAL[1]])
    factor = EXTRAPOLATION_WIDENING if extrapolated else 1.0
    lower = float(point - factor * (middle - low))
    upper = float(point + factor * (high - middle))
    if floor is not None:
        lower = max(lower, floor)
    if ceiling is not None:
        upper = min(upper, ceiling)
    return [lower, upper]


#: A segment's churners are too uncertain to act on when their 90% interval spans more than
#: this share of the customers reached: the figure is then shown as "too uncertain: N
#: comparable messages in the history" (N: the messages of its campaign type the segment got).
UNCERTAIN_SHARE = 0.5


def too_uncertain(interval: list[float], customers: float, messages: int | None) -> str | None:
    """What to show instead of a churner figure whose interval is too wide to act on."""
    low, high = interval
    if customers <= 0 or high - low <= UNCERTAIN_SHARE * customers:
        return None
    if messages is None:  # a model fitted before the messages were counted
        return f"too uncertain: the 90% interval spans {low:,.0f}–{high:,.0f} of {customers:,.0f}"
    return f"too uncertain: {messages:,} comparable messages in the history"


def reached_arpu(revenue: float | None, customers: float) -> float | None:
    """The mean monthly revenue of the customers a scenario reaches."""
    return round(revenue / customers, 2) if revenue and customers else None


@dataclass
class Prediction:
    """A segment's predicted reaction: point estimates and per-replicate draws."""

    segment_id: str
    customers: float
    shares: dict[str, float]
    share_draws: np.ndarray  # replicates × OUTCOMES
    churners: float
    churner_draws: np.ndarray
    revenue: float  # monthly revenue of churners
    revenue_draws: np.ndarray
    response_rate: float
    conversion_rate: float
    rate_draws: np.ndarray  # replicates × 2 (response, conversion)
    extrapolated: bool
    notes: list[str] = field(default_factory=list)
    reached_revenue: float | None = None  # monthly revenue of every reached customer
    #: what a price notice adds each month on the bills of the customers who stay (each at the
    #: change on their own plan); 0 for offers
    added_revenue: float = 0.0
    messages: int | None = None  # the history's messages of this campaign type to the segment
    #: the plan most of the segment's reached customers are on, and their mean bill
    main_plan: str | None = None
    main_plan_arpu: float | None = None
    #: the same customers' churners in a month without the message (a $0 price notice, what
    #: the price notices' control groups measure), point and draws; None without notices
    quiet_churners: float | None = None
    quiet_draws: np.ndarray | None = None
    quiet_revenue: float | None = None  # their monthly revenue, and its draws
    quiet_revenue_draws: np.ndarray | None = None

    @property
    def added_churners(self) -> float | None:
        """The churners the message adds (fewer than none: it keeps customers)."""
        return None if self.quiet_churners is None else self.churners - self.quiet_churners

    def added_interval(self) -> list[float] | None:
        """The 90% interval of ``added_churners``, the replicates' differences."""
        added = self.added_churners
        if added is None or self.quiet_draws is None:
            return None
        low, high = interval(
            added, self.churner_draws - self.quiet_draws, extrapolated=self.extrapolated,
            floor=-self.customers, ceiling=self.customers,
        )  # fmt: skip
        return [round(low, 1), round(high, 1)]

    def interval(
        self, point: float, draws: np.ndarray, ceiling: float | None = None
    ) -> list[float]:
        return interval(point, draws, extrapolated=self.extrapolated, ceiling=ceiling)

    def to_dict(self) -> dict[str, Any]:
        shares = {k: round(v, 5) for k, v in self.shares.items()}
        churners = [
            round(v, 1) for v in self.interval(self.churners, self.churner_draws, self.customers)
        ]
        share_intervals = {
            k: [round(v, 5) for v in self.interval(self.shares[k], self.share_draws[:, j], 1.0)]
            for j, k in enumerate(logit.OUTCOMES)
        }
        return {
            "affected_customers": round(self.customers),
            "action_shares": shares,
            "action_share_intervals": share_intervals,
            "response_rate": round(self.response_rate, 5),
            "response_rate_interval": [
                round(v, 5) for v in self.interval(self.response_rate, self.rate_draws[:, 0], 1.0)
            ],
            "conversion_rate": round(self.conversion_rate, 5),
            "conversion_rate_interval": [
                round(v, 5) for v in self.interval(self.conversion_rate, self.rate_draws[:, 1], 1.0)
            ],
            "expected_churners": round(self.churners, 1),
            "expected_churners_interval": churners,
            "added_churners": None
            if self.added_churners is None
            else round(self.added_churners, 1),
            "added_churners_interval": self.added_interval(),
            "comparable_messages": self.messages,
            "too_uncertain": too_uncertain(churners, self.customers, self.messages),
            "revenue_at_risk_monthly": round(self.revenue, 2),
            "revenue_at_risk_interval": [
                round(v, 2)
                for v in self.interval(self.revenue, self.revenue_draws, self.reached_revenue)
            ],
            "reached_arpu": reached_arpu(self.reached_revenue, self.customers),
            "reached_plan": self.main_plan,
            "reached_plan_arpu": self.main_plan_arpu,
            "extrapolated": self.extrapolated,
            "extrapolation_notes": self.notes,
        }
