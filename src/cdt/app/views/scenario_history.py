"""Scenario History: past simulations, replayed without the LLM, trends over time, and how
well the numbers held up where backtest data exists."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cdt.app.common import pct, read, result_view
from cdt.console.backtest import uplift_sentence
from cdt.console.backtest_chart import qini_chart

st.title("Scenario History")
history = read("history", limit=500)
if history is None:
    st.stop()
if not history:
    st.info("No simulations yet. Run one in the Simulation Studio or with `cdt simulate`.")
    st.stop()

rows = []
for item in history:
    overall = item.get("overall") or {}
    rows.append(
        {
            "started": item["started_at"],
            "scenario": item["scenario_text"],
            "status": item["status"],
            "expected churners": overall.get("expected_churners"),
            "revenue at risk / month": overall.get("revenue_at_risk_monthly"),
            "sentiment": overall.get("weighted_sentiment"),
            "provider": item["provider"],
            "id": item["simulation_id"],
        }
    )
frame = pl.DataFrame(rows)
st.dataframe(frame, hide_index=True, width="stretch")

st.subheader("Trends")
if frame.height > 1:
    trend = (
        alt.Chart(frame.to_pandas())
        .mark_line(point=True)
        .encode(
            x=alt.X("started:T", title=None),
            y=alt.Y("expected churners:Q"),
            tooltip=["scenario", "expected churners", "revenue at risk / month"],
        )
    )
    st.altair_chart(trend, width="stretch")
else:
    st.caption("A trend appears once there are two simulations.")

st.subheader("Replay")
labels = {r["id"]: f"{str(r['started'])[:19]} · {r['scenario'][:80]}" for r in rows}
picked = st.selectbox("simulation", list(labels), format_func=lambda i: labels[i])
replay = read("history_show", picked)
if replay:
    st.caption(
        f"Replayed from the stored result (no LLM call) · {replay['provenance']['provider']} "
        f"{replay['provenance']['model_id']} · status {replay['provenance']['status']}"
    )
    result_view(replay)

st.subheader("Outcome tracking")
tested = read("latest_backtest")
if tested:
    metrics = tested["metrics"]
    table = [
        {
            "method": method,
            "rate": rate.replace("_", " "),
            "MAE (pp)": values.get("mae_pp"),
            "bias (pp)": values.get("bias_pp"),
            "90% coverage": pct(values.get("coverage")),
            "ICI (pp)": values.get("ici_pp"),
            "E50 (pp)": values.get("e50_pp"),
            "E90 (pp)": values.get("e90_pp"),
        }
        for method, by_rate in metrics.items()
        if isinstance(by_rate, dict)
        for rate, values in by_rate.items()
        if isinstance(values, dict)
    ]
    st.write(
        f"The response model's predictions against {tested['holdout'].get('campaigns')} "
        "held-out recent campaigns (the campaigns it was not fitted on):"
    )
    st.dataframe(table, hide_index=True, width="stretch")
    uplift = metrics.get("uplift", {})
    st.write(uplift_sentence(uplift))
    qini = qini_chart(uplift)
    if qini is not None:
        st.altair_chart(qini)
elif tested is None:
    st.caption("No backtest yet: run `cdt backtest` (or `cdt build`) to track outcomes.")
