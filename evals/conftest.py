"""One twin per evaluation run, built from generated data whose hidden truth the checks read.

``CDT_EVAL_SCALE`` picks its size (default 1: the scale DESIGN.md's targets are stated at);
``CDT_EVAL_SEED`` the synthetic world (default 42). ``CDT_EVAL_HOME`` reuses a folder that
already holds such a twin (``.cdt/`` and ``data/`` with ``data/truth``) instead of building.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cdt.config import Settings, load_settings
from evals.thresholds import Thresholds, thresholds_for


def eval_scale() -> float:
    text = os.environ.get("CDT_EVAL_SCALE", "1")
    try:
        return float(text)
    except ValueError:
        raise pytest.UsageError(
            f"CDT_EVAL_SCALE={text!r} is not a number (e.g. 1 or 0.1)"
        ) from None


def pytest_configure(config: pytest.Config) -> None:
    """Refuse a scale too small to judge before building anything."""
    try:
        thresholds_for(eval_scale())
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.eval)


@pytest.fixture(scope="session")
def scale() -> float:
    return eval_scale()


@pytest.fixture(scope="session")
def limits(scale: float) -> Thresholds:
    return thresholds_for(scale)


@pytest.fixture(scope="session")
def twin(scale: float, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A twin without personas (the checks read numbers only), built once per run."""
    from cdt import api

    reuse = os.environ.get("CDT_EVAL_HOME")
    root = Path(reuse) if reuse else tmp_path_factory.mktemp("eval-twin")
    settings = load_settings({"home": str(root / ".cdt"), "data_dir": str(root / "data")}, env={})
    if not reuse:
        seed = int(os.environ.get("CDT_EVAL_SEED", "42"))
        api.build(settings, scale=scale, seed=seed, with_personas=False)
    yield settings
