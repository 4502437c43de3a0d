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
        f"average, its churn rates by {points('churn_rate_mae_pp')} points" + coverage
    )


def uplift_sentence(uplift: dict[str, Any]) -> str:
    """What the price notices' control groups say about the model (the backtest's uplift
    curve, calibrate.uplift), in the CLI and in the Studio alike."""
    if not uplift:
        return "uplift: not measured in this backtest (run `cdt backtest` again)"
    if "reason" in uplift:
        return f"uplift: not measured: {uplift['reason']}"
    low, high = uplift["qini_interval"]
    if low > 0:
        verdict = "the model's order finds the customers a notice moves better than chance"
    elif high < 0:
        verdict = "the model's order is worse than chance"
    else:
        verdict = "too few customers in the control groups to tell the model's order from chance"
    notices = "notice" if uplift["campaigns"] == 1 else "notices"
    return (
        f"uplift, {uplift['campaigns']} held-out price {notices} against their control groups: "
        f"the {uplift['notified']:,} notified customers left at {uplift['notified_churn']:.2%}, "
        f"the {uplift['control']:,} not notified at {uplift['control_churn']:.2%}: "
        f"{more_or_fewer(uplift['added_churners'])} with the notices than without "
        f"(the model expected {more_or_fewer(uplift['predicted_added_churners'])}). Ranked by the "
        "model's predicted uplift, "
        f"{uplift['units']} campaign × segment units give a Qini coefficient of "
        f"{uplift['qini_coefficient']:.2f} (90% interval {low:.2f} to {high:.2f}; 0 is a random "
        f"order): {verdict}."
    )


def more_or_fewer(added: float) -> str:
    """ "about 204 more churners", "about 161 fewer churners", "about 1 more churner"."""
    count = f"{abs(added):,.0f}"
    noun = "churner" if count == "1" else "churners"
    return f"about {count} {'more' if added >= 0 else 'fewer'} {noun}"


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
        if method in ("llm_blend", "uplift"):
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
    out.print(uplift_sentence(result.summary.get("uplift", {})), highlight=False)
