"""A data folder with only RAW.CUSTOMERS: the twin loads, builds and answers, and every figure
it cannot ground is withheld with the reason, never invented."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cdt import api
from cdt.calibrate import NO_HISTORY
from cdt.config import load_settings
from cdt.contract import COSTS, TABLES
from cdt.errors import NotBuiltError


@pytest.fixture
def customers_only(small_dataset: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "customers-only"
    folder.mkdir()
    shutil.copytree(small_dataset / "customers", folder / "customers")
    return folder


def test_a_twin_of_customers_alone_builds_and_withholds_what_it_cannot_ground(
    customers_only: Path, isolated_home: Path
) -> None:
    settings = load_settings()
    built = api.build(settings, source=customers_only, k=4)
    assert built.loaded is not None
    assert set(built.loaded.missing) == set(TABLES) - {"customers"}
    assert built.loaded.to_dict()["missing"]["campaign_responses"] == COSTS["campaign_responses"]
    assert built.segmented is not None and built.personas is not None
    assert getattr(built.calibrated, "reason", None) == NO_HISTORY  # skipped, and said why

    result = api.simulate(settings, "price increase $5")
    rows = [r for r in result.segments if r["status"] == "ok"]
    assert rows and sum(r["affected_customers"] for r in rows) == 1_000
    for row in rows:  # who is reached is known; nothing the history would ground is given
        assert not row.get("action_shares")
        assert row.get("expected_churners") is None and row["likely_action"] is None
        assert NO_HISTORY in row["numbers_basis"]
    assert result.overall["grounded"] is False
    assert NO_HISTORY in result.recommendation
    with pytest.raises(NotBuiltError, match="needs campaign history"):
        api.sweep(settings, "price increase $5", param="price_delta", start=1, stop=5, step=1)


def test_doctor_says_what_each_missing_table_costs(customers_only: Path) -> None:
    import os

    from cdt import doctor

    settings = load_settings()
    api.build(settings, source=customers_only, k=4, with_personas=False)
    checks = doctor.run(settings, dict(os.environ)).checks
    data = {c.detail for c in checks if c.component == "data"}
    assert data == {COSTS[name] for name in TABLES if name != "customers"}
    calibrate = next(c for c in checks if c.component == "calibrate")
    assert calibrate.status == "warn" and NO_HISTORY in calibrate.detail
