"""A backtest as a reliability diagram (Altair), one panel per rate: each held-out unit's
predicted rate against the rate it showed, the calibration curve smoothed through them, the
diagonal a perfect model would follow, and the panel's ICI, E50, E90 and interval coverage in
its title; then the price notices' Qini curve against their control groups. Written as .html,
.png or .svg (vl-convert, offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt

from cdt.errors import ConfigError

FORMATS = (".html", ".png", ".svg")
RATE_NAMES = {
    "response_rate": "response rate",
    "conversion_rate": "conversion rate",
    "churn_rate": "churn rate",
}


def _title(rate: str, entry: dict[str, Any]) -> list[str]:
    """The panel's title: the rate and its units scored, then its calibration figures."""
    lines = [f"{RATE_NAMES.get(rate, rate)} ({entry.get('units', 0)} units)"]
    figures = []
    if "ici_pp" in entry:
        figures.append(
            f"ICI {entry['ici_pp']:.2f} pp · E50 {entry['e50_pp']:.2f} pp · "
            f"E90 {entry['e90_pp']:.2f} pp"
        )
    if "coverage" in entry:
        figures.append(f"90% intervals held {entry['coverage']:.0%}")
    return [*lines, " · ".join(figures)] if figures else lines


def _panel(rate: str, entry: dict[str, Any], units: list[dict[str, Any]]) -> Any:
    points = [
        {"predicted": u["model"][rate], "observed": u["observed"][rate]}
        for u in units
        if "model" in u and u.get("scored", True)
    ]
    top = max([0.0, *(p["predicted"] for p in points), *(p["observed"] for p in points)])
    percent = alt.Axis(format="%")
    x = alt.X("predicted:Q", title="predicted rate", scale=alt.Scale(domain=[0, top]), axis=percent)
    y = alt.Y("observed:Q", title="observed rate", scale=alt.Scale(domain=[0, top]), axis=percent)
    ends = [{"predicted": 0, "observed": 0}, {"predicted": top, "observed": top}]
    diagonal = (
        alt.Chart(alt.Data(values=ends))
        .mark_line(color="black", strokeDash=[4, 4])
        .encode(x=x, y=y)
    )
    dots = alt.Chart(alt.Data(values=points)).mark_circle(opacity=0.5, size=30).encode(x=x, y=y)
    layers = [dots]
    if entry.get("calibration_curve"):
        curve = alt.Chart(alt.Data(values=entry["calibration_curve"]))
        layers.append(curve.mark_line(strokeWidth=2, color="#d95f02").encode(x=x, y=y))
    layers.append(diagonal)  # on top, so a curve on the diagonal still shows it
    return alt.layer(*layers).properties(width=300, height=300, title=_title(rate, entry))


def qini_chart(uplift: dict[str, Any]) -> Any | None:
    """The price notices' Qini curve (the backtest's uplift, calibrate.uplift): added churners
    as the customers are taken in the model's order of predicted uplift, against the straight
    line of a random order. None without control groups."""
    curve = uplift.get("curve")
    if not curve:
        return None
    x = alt.X("share:Q", title="customers, in the model's order of predicted uplift",
              axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1], nice=False))  # fmt: skip
    y = alt.Y("added_churners:Q", title="churners the notices added")
    ends = [curve[0], {"share": 1.0, "added_churners": curve[-1]["added_churners"]}]
    line = alt.Chart(alt.Data(values=curve)).mark_line(point=True).encode(x=x, y=y)
    chance = alt.Chart(alt.Data(values=ends)).mark_line(color="black", strokeDash=[4, 4])
    low, high = uplift["qini_interval"]
    title = [
        f"uplift: {uplift['campaigns']} held-out price notices vs their control groups",
        f"Qini coefficient {uplift['qini_coefficient']:.2f} (90%: {low:.2f} to {high:.2f}) · "
        "dashed: a random order",
    ]
    return alt.layer(line, chance.encode(x=x, y=y)).properties(width=300, height=300, title=title)


def backtest_chart(result: dict[str, Any]) -> alt.HConcatChart:
    """The reliability diagram of a backtest (``BacktestResult.to_dict()``, with its units)
    and, where the price notices kept control groups, their Qini curve."""
    model = result["metrics"].get("model", {})
    units = result.get("units") or []
    panels = [_panel(rate, entry, units) for rate, entry in model.items()]
    uplift = qini_chart(result["metrics"].get("uplift", {}))
    if uplift is not None:
        panels.append(uplift)
    held = result["holdout"]
    return alt.hconcat(*panels).properties(
        title=(
            f"backtest {str(result['backtest_id'])[:8]}: the model's predicted rates on the "
            f"{held.get('campaigns')} most recent campaigns it was not fitted on; a dot per "
            "campaign × segment, orange: the observed rate smoothed, dashed: a perfect model"
        )
    )


def save_chart(result: dict[str, Any], path: Path) -> Path:
    """Write the backtest's reliability diagram to ``path`` (.html, .png or .svg).

    Raises:
        ConfigError: another file type.
    """
    if path.suffix.lower() not in FORMATS:
        raise ConfigError(
            f"cannot write a chart to {path.name}", fix="use --out report.html, .png or .svg"
        )
    backtest_chart(result).save(str(path))
    return path
