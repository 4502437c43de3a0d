"""A sweep's curve as a chart (Altair): net revenue with its 90% band above, churners with
theirs below, the optimum and the break-even marked, points outside the history dashed.
Written as .html (Vega-Lite in the page), or .png/.svg (vl-convert, offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt

from cdt.errors import ConfigError

FORMATS = (".html", ".png", ".svg")


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    points = result["points"]
    for i, point in enumerate(points):
        overall = point["overall"]
        # A segment is dashed when either end is outside the history, so the dashed part
        # starts at the last point inside it.
        nxt = points[i + 1]["overall"]["extrapolated"] if i + 1 < len(points) else False
        row = {
            "value": point["value"],
            "churners": overall["churners"],
            "churners_low": overall["churners_interval"][0],
            "churners_high": overall["churners_interval"][1],
            "extrapolated": overall["extrapolated"],
            "range": "outside the history" if overall["extrapolated"] else "inside the history",
            "dashed_from_here": overall["extrapolated"] or nxt,
        }
        if result["net_revenue_defined"]:
            row |= {
                "net": overall["net_revenue"],
                "net_low": overall["net_revenue_interval"][0],
                "net_high": overall["net_revenue_interval"][1],
            }
        rows.append(row)
    return rows


def _curve(base: alt.Chart, y: str, low: str, high: str, title: str) -> Any:
    x = alt.X("value:Q", title=None)
    band = base.mark_area(opacity=0.2).encode(x=x, y=alt.Y(f"{low}:Q", title=title), y2=high)
    inside = (
        base.transform_filter("!datum.extrapolated").mark_line(point=True).encode(x=x, y=f"{y}:Q")
    )
    outside = (
        base.transform_filter("datum.dashed_from_here")
        .mark_line(strokeDash=[6, 4], point=True)
        .encode(x=x, y=f"{y}:Q")
    )
    return alt.layer(band, inside, outside)


def sweep_chart(result: dict[str, Any]) -> alt.VConcatChart:
    """The chart of a sweep result (``SweepResult.to_dict()``)."""
    data = alt.Data(values=_rows(result))
    base = alt.Chart(data)
    param = result["param"]
    panels = []
    marks = []
    optimum = (result.get("optimum") or {}).get("value")
    if optimum is not None:
        marks.append({"at": optimum, "label": f"optimum {optimum:g}"})
    if result.get("break_even") is not None:
        marks.append({"at": result["break_even"], "label": f"break-even {result['break_even']:g}"})
    rules = (
        alt.Chart(alt.Data(values=marks)).mark_rule(strokeDash=[2, 2]).encode(x="at:Q")
        + alt.Chart(alt.Data(values=marks))
        .mark_text(align="right", dx=-4, dy=-6)
        .encode(x="at:Q", text="label:N")
        if marks
        else None
    )
    if result["net_revenue_defined"]:
        net = _curve(base, "net", "net_low", "net_high", "net revenue $/month (90% band)")
        panels.append(alt.layer(net, rules) if rules is not None else net)
    churn = _curve(base, "churners", "churners_low", "churners_high", "churners (90% band)")
    panels.append(churn)
    return alt.vconcat(*[p.properties(width=560, height=220) for p in panels]).properties(
        title=f"{param} swept: response model only (dashed: outside the history)"
    )


def save_chart(result: dict[str, Any], path: Path) -> Path:
    """Write the sweep's chart to ``path`` (.html, .png or .svg).

    Raises:
        ConfigError: another file type.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(
            f"cannot write a chart to {path.name}", fix="use --out sweep.html, .png or .svg"
        )
    sweep_chart(result).save(str(path))
    return path
