"""A backtest for people: its table (`cdt backtest`, `cdt calibrate`) and the one sentence a
simulation shows of it, in the CLI and in the Studio alike."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def backtest_sentence(error: dict[str, Any]) -> str:
    """A simulation's line about the model's backtest (``BacktestResult.headline()``; a
    figure an older stored result lacks shows as –)."""

    def points(key: str) -> str:
        value = error.get(key)
        return "–" if value is None else f"{value:.2f}"

    held = error.get("churn_interval_coverage")
    if held is None:
        coverage = ""
    else:
        aim = " (90% is the aim; more means wider than needed)" if held > 0.95 else ""
        coverage = f"; its 90% intervals held the observed churn rate {held:.0%} of the time{aim}"
    return (
        "backtest on held-out campaigns: the model's response rates (the share who answered "
        f"a campaign) were off by {points('response_rate_mae_pp')} percentage points on "
        f"average, its churn rates by {points('churn_rate_mae_pp')}" + coverage
    )


def _scored_units(held: dict[str, Any]) -> str:
    scored, least = held.get("units_scored"), held.get("min_delivered")
    if scored is None or scored == held["units"]:
        return ""
    return f", {scored} scored (those reached by at least {least} messages)"


def show_backtest(out: Console, result: Any) -> None:
    held = result.holdout
    table = Table(
        title=(
            f"backtest {result.backtest_id[:8]}: {held['campaigns']} most recent campaigns "
            f"held out (from {held['cutoff_sent_at'][:10]}), {held['units']} campaign×segment units"
            + _scored_units(held)
        )
    )
    for column in ("method", "rate", "n", "MAE", "bias", "cov.", "slope", "ICI", "E90"):
        table.add_column(
            column, no_wrap=True, justify="left" if column in ("method", "rate") else "right"
        )
    for method, rates in result.summary.items():
        if method == "llm_blend":
            continue
        method = method.replace("_", " ")
        for rate, entry in rates.items():
            table.add_row(
                method,
                rate.removesuffix("_rate"),
                str(entry["units"]),
                f"{entry['mae_pp']:.2f}",
                f"{entry['bias_pp']:+.2f}",
                "" if "coverage" not in entry else f"{entry['coverage']:.0%}",
                "" if "calibration_slope" not in entry else f"{entry['calibration_slope']:.2f}",
                "" if "ici_pp" not in entry else f"{entry['ici_pp']:.2f}",
                "" if "e90_pp" not in entry else f"{entry['e90_pp']:.2f}",
            )
    out.print(table)
    out.print(
        "n: campaign × segment units scored. overall mean and segment mean: the history's average "
        "rate, over everyone or per segment, the baselines the model must beat. MAE, bias "
        "(predicted minus observed), ICI and E90 in percentage points. cov.: how often the 90% "
        "interval held the observed rate (90% is right). slope: observed against predicted "
        "(1 is right). ICI and E90: the mean and 90th-percentile gap between the predicted rate "
        "and the observed rate smoothed against it (0 is perfectly calibrated).",
        style="dim",
        highlight=False,
    )
    out.print(f"LLM blend weight earned: {result.llm_weight:.1f}", highlight=False)
