"""A sweep result in the app: the curve, the answers and the points (Simulation Studio)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cdt.console.sweep_chart import sweep_chart


def _money(value: float) -> str:
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


def sweep_view(result: dict[str, Any]) -> None:
    """The chart, the optimum, break-even and targeting, and a table of the points."""
    st.altair_chart(sweep_chart(result), use_container_width=True)
    param = result["param"]
    if result["net_revenue_defined"]:
        optimum = result["optimum"]
        low, high = optimum["interval"]
        a, b, c = st.columns(3)
        a.metric(f"optimum {param}", f"{optimum['value']:g}", f"90%: {low:g}–{high:g}",
                 delta_color="off")  # fmt: skip
        b.metric("net revenue at the optimum", f"{_money(optimum['net_revenue'])}/mo")
        even = result.get("break_even")
        c.metric("break-even", "not in range" if even is None else f"{even:g}")
        target = result["targeting"]
        exempt = ", ".join(target["exempt"]) or "none"
        st.info(
            f"At {target['at_value']:g}: exempt {exempt} — net {_money(target['net_revenue'])}"
            f"/month, {target['churners']:,.0f} churners."
        )
        if optimum["extrapolated"]:
            st.warning("The optimum is outside the history's range: its band is widened.")
    else:
        st.info("Net revenue is defined for price changes only; the sweep shows churners.")
    st.dataframe(
        [
            {
                param: p["value"],
                "churners": round(p["overall"]["churners"]),
                "revenue at risk": round(p["overall"]["revenue_at_risk"]),
                "net revenue": p["overall"].get("net_revenue"),
                "outside the history": p["overall"]["extrapolated"],
            }
            for p in result["points"]
        ],
        hide_index=True,
    )
    st.caption("Numbers from the response model only: no LLM was called.")
