"""Segment Explorer: sizes, a radar comparison, drill-down statistics, a customer browser."""

from __future__ import annotations

import math

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from cdt.app.common import read

RADAR = {
    "avg_arpu": "ARPU",
    "avg_tenure_months": "tenure",
    "avg_data_usage_gb": "data use",
    "avg_churn_risk": "churn risk",
    "avg_sentiment_score": "sentiment",
    "price_sensitivity": "price sensitivity",
    "campaign_response_rate": "campaign response",
}

st.title("Segment Explorer")
segments = read("segments")
if not segments:
    st.stop()
frame = pl.DataFrame(
    [{k: v for k, v in s.items() if k not in ("feature_means", "mixes", "top_geographies")}
     for s in segments]
)  # fmt: skip
a, b, c = st.columns(3)
a.metric("segments", len(segments))
b.metric("customers in the base", f"{int(frame['customer_count'].sum()):,}")
c.metric("largest", str(frame.sort("customer_count", descending=True)["segment_name"][0]))

sizes, radar = st.columns(2)
with sizes:
    st.subheader("Segment sizes")
    tree = px.treemap(
        frame.to_pandas(),
        path=["segment_name"],
        values="customer_count",
        color="avg_churn_risk",
        color_continuous_scale="RdYlGn_r",
        hover_data=["segment_id", "avg_arpu", "pct_of_base"],
    )
    tree.update_layout(margin={"t": 10, "l": 0, "r": 0, "b": 0}, height=380)
    st.plotly_chart(tree, width="stretch")
with radar:
    st.subheader("Compare segments")
    names = frame["segment_name"].to_list()
    chosen = st.multiselect("segments to compare", names, default=names[: min(3, len(names))])
    values = {col: [float(v or 0) for v in frame[col].to_list()] for col in RADAR}
    spread = {col: (min(v), max(v)) for col, v in values.items()}
    figure = go.Figure()
    for name in chosen:
        row = frame.filter(pl.col("segment_name") == name).row(0, named=True)
        scaled = []
        for col in RADAR:
            low, high = spread[col]
            value = float(row[col] or 0)
            scaled.append(0.5 if math.isclose(high, low) else (value - low) / (high - low))
        figure.add_trace(
            go.Scatterpolar(r=[*scaled, scaled[0]], theta=[*RADAR.values(), "ARPU"], name=name)
        )
    figure.update_layout(
        polar={"radialaxis": {"visible": True, "range": [0, 1]}},
        margin={"t": 30, "b": 30, "l": 70, "r": 70},
        height=380,
    )
    st.plotly_chart(figure, width="stretch")
    st.caption("Each axis is scaled from the lowest segment (0) to the highest (1).")

st.subheader("Drill down")
picked = st.selectbox(
    "segment", segments, format_func=lambda s: f"{s['segment_id']} · {s['segment_name']}"
)
stats = st.columns(4)
stats[0].metric("customers", f"{picked['customer_count']:,}", f"{picked['pct_of_base']}% of base")
stats[1].metric("ARPU", f"${picked['avg_arpu']:,.2f}")
stats[2].metric("tenure", f"{picked['avg_tenure_months']:.0f} months")
stats[3].metric("churn risk", f"{picked['avg_churn_risk']:.2f}")
st.caption(f"Named for: {picked.get('name_reason') or '–'}")
mixes = picked.get("mixes") or {}
if mixes:
    columns = st.columns(min(3, len(mixes)))
    for i, (mix, shares) in enumerate(mixes.items()):
        with columns[i % len(columns)]:
            st.markdown(f"**{mix.replace('_', ' ')}**")
            if isinstance(shares, dict):
                st.bar_chart(shares, horizontal=True, height=180)

places = picked.get("top_geographies") or {}
if places:
    left, right = st.columns(2)
    left.markdown("**top states**")
    left.dataframe(places.get("states", []), hide_index=True, width="stretch")
    right.markdown("**top DMAs**")
    right.dataframe(places.get("dmas", []), hide_index=True, width="stretch")

st.subheader("Customers in this segment")
size = st.select_slider("per page", options=[10, 25, 50, 100], value=25)
probe = read("customers", picked["segment_id"], page=0, page_size=size)
if probe:
    pages = max(1, math.ceil(probe["total"] / size))
    page = st.number_input("page", min_value=1, max_value=pages, value=1, step=1)
    shown = (
        probe
        if page == 1
        else read("customers", picked["segment_id"], page=int(page) - 1, page_size=size)
    )
    if shown:
        st.caption(f"page {page} of {pages} · {probe['total']:,} customers, most typical first")
        st.dataframe(shown["rows"], hide_index=True, width="stretch")
