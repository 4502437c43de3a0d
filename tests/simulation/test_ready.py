"""A request checks the twin's schema once per process, not on every call."""

from __future__ import annotations

import shutil

import pytest

from cdt import api
from cdt.api import session
from cdt.config import Settings


def test_requests_run_init_once_per_twin(
    calibrated_twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = session.init

    def counted(settings: Settings, **kwargs: object) -> api.InitResult:
        calls.append(str(settings.database_path))
        return real(settings, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session, "init", counted)
    monkeypatch.setattr(session, "_READY", set())
    scenario = api.parse_scenario("price increase $5")
    first = api.simulate(calibrated_twin, scenario)
    api.simulate(calibrated_twin, scenario)
    api.sweep(calibrated_twin, scenario, param="price_delta", start=1, stop=3, step=1)
    assert calls == [str(calibrated_twin.database_path)]
    assert first.segments  # the schema was there: the numbers came

    # The same path holding another file (a restored copy) is checked again, and a
    # migration it lacks would be applied before the request reads it.
    copy = calibrated_twin.database_path.with_suffix(".copy")
    shutil.copy(calibrated_twin.database_path, copy)
    calibrated_twin.database_path.unlink()
    copy.rename(calibrated_twin.database_path)
    api.simulate(calibrated_twin, scenario)
    assert len(calls) == 2
