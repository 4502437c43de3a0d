"""The points of a sweep and what its values vary: a numeric field of the scenario, or, when
it has several price changes, one of them (``change:N``, its size in its own unit, the others
held) or a common offset added to every change (``price_delta`` or ``price_delta_pct``, when
all are in that unit)."""

from __future__ import annotations

import math
import re
import typing
from typing import Any

from cdt.errors import ConfigError
from cdt.scenario import Scenario
from cdt.scenario.model import Change

CHANGE_PARAM = re.compile(r"change:(\d+)")
MAX_POINTS = 200


def numeric_fields() -> list[str]:
    """The scenario's fields a sweep can vary: the numbers."""
    out = []
    for name, info in Scenario.model_fields.items():
        args = set(typing.get_args(info.annotation)) or {info.annotation}
        if args & {float, int} and bool not in args:
            out.append(name)
    return out


def sweep_values(param: str, start: float, stop: float, step: float) -> list[float]:
    """The points of a sweep, checked.

    Raises:
        ConfigError: a field that is not numeric, from > to, a step that is not positive, or
        more than MAX_POINTS points.
    """
    if param not in numeric_fields() and not CHANGE_PARAM.fullmatch(param):
        raise ConfigError(
            f"--param {param!r} is not a numeric field of the scenario",
            fix=f"sweep one of: {', '.join(numeric_fields())}, or change:N (one of several "
            "price changes)",
        )
    if not all(math.isfinite(v) for v in (start, stop, step)):
        raise ConfigError("--from, --to and --step must be numbers", fix="e.g. --from 0 --to 15")
    if start > stop:
        raise ConfigError(
            f"--from {start:g} is above --to {stop:g}", fix="give the lower value first"
        )
    if step <= 0:
        raise ConfigError(f"--step {step:g} must be above 0", fix="e.g. --step 1")
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise ConfigError(
            f"{count} points is more than {MAX_POINTS}",
            fix=f"use a larger --step (at least {(stop - start) / (MAX_POINTS - 1):.3g})",
        )
    return [round(start + i * step, 10) for i in range(count)]


def sized(change: Change) -> tuple[str, float]:
    if change.price_delta_pct is not None:
        return "price_delta_pct", change.price_delta_pct
    return "price_delta", float(change.price_delta or 0.0)


def rebuilt(scenario: Scenario, changes: list[dict[str, Any]]) -> Scenario:
    return scenario.model_validate({**scenario.model_dump(), "changes": changes})


def swept(scenario: Scenario, param: str) -> str:
    """What ``param`` varies in ``scenario``, in words.

    Raises:
        ConfigError: change:N on a scenario without N changes, or an offset in a unit that
        not every change is in.
    """
    wanted = CHANGE_PARAM.fullmatch(param)
    if not scenario.changes:
        if wanted:
            raise ConfigError(
                f"--param {param}: the scenario has one price change, not several",
                fix="sweep --param price_delta (or price_delta_pct)",
            )
        return param
    if wanted:
        n = int(wanted[1])
        if not 1 <= n <= len(scenario.changes):
            raise ConfigError(
                f"--param {param}: the scenario has {len(scenario.changes)} changes",
                fix=f"use change:1 to change:{len(scenario.changes)}",
            )
        change = scenario.changes[n - 1]
        unit = "percent" if sized(change)[0] == "price_delta_pct" else "dollars"
        return f"change {n} ({change.words()}), its size in {unit}; the others as read"
    units = {sized(c)[0] for c in scenario.changes}
    if param in ("price_delta", "price_delta_pct"):
        if units != {param}:
            raise ConfigError(
                f"--param {param}: the changes are not all in "
                f"{'percent' if param.endswith('pct') else 'dollars'}",
                fix="sweep one change with --param change:N",
            )
        unit = "percent" if param.endswith("pct") else "dollars"
        said = "; ".join(c.words() for c in scenario.changes)
        return (
            f"a common offset in {unit} added to each of {len(scenario.changes)} changes ({said})"
        )
    return param


def at(scenario: Scenario, param: str, value: float) -> Scenario:
    """``scenario`` at one point of the sweep."""
    wanted = CHANGE_PARAM.fullmatch(param)
    if scenario.changes and (wanted or param in ("price_delta", "price_delta_pct")):
        changes = []
        for n, change in enumerate(scenario.changes, 1):
            name, size = sized(change)
            if wanted:
                size = value if n == int(wanted[1]) else size
            else:
                size += value
            changes.append({"plans": change.plans, name: size})
        return rebuilt(scenario, changes)
    return scenario.model_validate({**scenario.model_dump(), param: value})
