"""The synthetic world lands inside the published ranges docs/generator.md cites: monthly
churn, the churn a price notice adds, and offer take-up (the generator's hidden truth, read
here as benchmarks read it)."""

from __future__ import annotations

import pytest
from evals.magnitudes import TARGETS, truth_magnitudes


@pytest.mark.parametrize("seed", [42, 7])
def test_the_generators_magnitudes_are_the_published_ones(seed: int) -> None:
    found = truth_magnitudes(seed, customers=50_000)
    assert found.misses() == []
    churn = found.churn_by_delta
    assert churn[-5.0] < churn[2.0] < churn[5.0] < churn[10.0]  # a bigger rise loses more


def test_a_world_outside_the_ranges_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: the old, ten times too price-sensitive world misses."""
    from cdt.generate import campaigns as G

    monkeypatch.setattr(G, "CHURN_PRICE_SHARE", 1.0)
    monkeypatch.setattr(G, "PUSHBACK_PRICE_SHARE", 1.0)
    misses = truth_magnitudes(42, customers=20_000).misses()
    assert any(m.startswith("added_churn_at_plus_5") for m in misses)
    assert TARGETS["added_churn_at_plus_5"][1] < 0.002
