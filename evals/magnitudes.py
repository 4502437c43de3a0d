"""The synthetic world's magnitudes against the published ranges docs/generator.md states:
monthly churn, the churn a price notice adds, and how many customers take an offer.

Two readings, for benchmarks and tests only (they read the generator's hidden truth):
``truth_magnitudes`` evaluates the generator's own response model over a drawn population
(exact, no sampling noise in the outcomes); ``observed_magnitudes`` counts a generated data
folder's rows (what the pipeline sees, with the noise of the draws).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cdt.contract import CONTROL_GROUP
from cdt.generate import campaigns as G
from cdt.generate import customers as C
from cdt.generate import geography

#: The published ranges (docs/generator.md gives each source). Churn is a share a month: a
#: campaign's response window is one month.
TARGETS: dict[str, tuple[float, float]] = {
    # T-Mobile postpaid phone churn 0.93% (2025) and 1.02% (Q4 2025); Verizon 0.90% (Q2 2025)
    "postpaid_monthly_churn": (0.0080, 0.0110),
    # T-Mobile prepaid churn 2.81% (Q3 2023); 2.8-3.0% in 2020-2021
    "prepaid_monthly_churn": (0.0250, 0.0320),
    # Verizon: pricing actions add 3-5 bp to monthly postpaid phone churn over a quarter,
    # i.e. 9-15 bp in total for a notice that reaches every customer
    "added_churn_at_plus_5": (0.0009, 0.0015),
    # ANA/DMA Response Rate Report: about 1% (email) to 9% (direct mail, house lists)
    "offer_take_up": (0.010, 0.100),
}
#: The offers each type is scored at (the middle of the generator's catalogue values).
OFFER_VALUES = {1: 15.0, 2: 200.0, 3: 10.0, 4: 15.0, 5: 10.0}


@dataclass(frozen=True)
class Magnitudes:
    """Shares a month (one response window) over a population of customers."""

    postpaid_monthly_churn: float
    prepaid_monthly_churn: float
    churn_by_delta: dict[float, float]  # every customer notified of a change of this size
    added_churn_at_plus_5: float  # churn at +$5 minus churn without a notice
    offer_take_up: dict[str, float]  # accepted or upgraded, per offer type

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def misses(self) -> list[str]:
        """Each figure outside its published range, in words."""
        figures = {
            "postpaid_monthly_churn": [self.postpaid_monthly_churn],
            "prepaid_monthly_churn": [self.prepaid_monthly_churn],
            "added_churn_at_plus_5": [self.added_churn_at_plus_5],
            "offer_take_up": list(self.offer_take_up.values()),
        }
        out = []
        for name, values in figures.items():
            low, high = TARGETS[name]
            out += [f"{name} {v:.4f} outside {low}-{high}" for v in values if not low <= v <= high]
        return out


def truth_magnitudes(seed: int = 42, customers: int = 100_000) -> Magnitudes:
    """The generator's true probabilities, averaged over ``customers`` drawn customers."""
    rng = np.random.default_rng([seed, 10, 0])
    people = C.draw(rng, 1, customers, geography.build(seed))
    n = len(people.ids)

    def probabilities(kind: int, value: float, channel: int = 0) -> np.ndarray:
        return G.probabilities(
            G.logits(people.archetype, np.full(n, kind), np.full(n, value), np.zeros(n, bool),
                     np.full(n, channel), people.tenure_months, people.plan)
        )  # fmt: skip

    churned, prepaid = G.R["churned"], people.plan == G.PREPAID_PLAN
    quiet = probabilities(0, 0.0)[:, churned]
    by_delta = {d: float(probabilities(0, d)[:, churned].mean()) for d in (-5.0, 2.0, 5.0, 10.0)}
    take_up = {}
    for kind, value in OFFER_VALUES.items():
        shares = [probabilities(kind, value, channel) for channel in range(len(G.CHANNELS))]
        taken = np.mean([p[:, G.R["accepted"]] + p[:, G.R["upgraded"]] for p in shares])
        take_up[G.TYPES[kind]] = float(taken)
    return Magnitudes(
        float(quiet[~prepaid].mean()),
        float(quiet[prepaid].mean()),
        by_delta,
        by_delta[5.0] - float(quiet.mean()),
        take_up,
    )


def observed_magnitudes(folder: Path) -> dict[str, Any]:
    """What a generated data folder's rows show: the control groups' churn (a month without a
    notice), the notified customers' churn by the size of the change, and each offer type's
    take-up among the customers it reached."""
    import duckdb

    responses = str(folder / "campaign_responses" / "*.parquet")
    customers = str(folder / "customers" / "*.parquet")
    db = duckdb.connect()
    control = db.execute(
        "SELECT c.plan_name = 'Glacier' AS prepaid, count(*), "
        "avg((r.response_type = 'churned')::INT) FROM read_parquet(?) r "
        "JOIN read_parquet(?) c USING (customer_id) WHERE r.offer_type = ? GROUP BY 1",
        [responses, customers, CONTROL_GROUP],
    ).fetchall()
    notified = db.execute(
        "SELECT offer_value, count(*), avg((response_type = 'churned')::INT) "
        "FROM read_parquet(?) WHERE campaign_type = 'Price Change Notice' AND delivered "
        "AND offer_type IN ('Price Increase', 'Price Decrease') GROUP BY 1 ORDER BY 1",
        [responses],
    ).fetchall()
    offers = db.execute(
        "SELECT campaign_type, count(*), "
        "avg((response_type IN ('accepted', 'upgraded'))::INT) FROM read_parquet(?) "
        "WHERE campaign_type <> 'Price Change Notice' AND delivered GROUP BY 1 ORDER BY 1",
        [responses],
    ).fetchall()
    return {
        "control_churn": {
            ("prepaid" if prepaid else "postpaid"): {"rows": rows, "churn": share}
            for prepaid, rows, share in control
        },
        "notified_churn_by_delta": {
            float(value): {"rows": rows, "churn": share} for value, rows, share in notified
        },
        "offer_take_up": {kind: {"rows": rows, "take_up": share} for kind, rows, share in offers},
    }
