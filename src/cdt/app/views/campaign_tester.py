"""Campaign Tester: several messages or offers across segments, compared A/B per segment,
with CSV export. Each variant is stored in the history like any simulation."""

from __future__ import annotations

import csv
import io

import altair as alt
import polars as pl
import streamlit as st

from cdt import api
from cdt.app.common import read, write
from cdt.errors import CdtError

DEFAULT = [
    {"variant": "A: plain increase", "scenario": "Powder plan price increase $5 per month"},
    {
        "variant": "B: with streaming",
        "scenario": "Powder plan price increase $5 per month with streaming included worth $10",
    },
]

st.title("Campaign Tester")
# The numbers need segments and a response model, not personas: a twin built without them
# compares variants too (its words are marked as not written).
segments = read("segments")
if not segments:
    st.stop()

st.write(
    "One row per variant: a name and the scenario text. Upload a CSV with the same columns "
    "(or `variant,template,<parameters>`) to start from a file."
)
upload = st.file_uploader("variants CSV", type=["csv"])
rows = DEFAULT
if upload is not None:
    rows = list(csv.DictReader(io.StringIO(upload.getvalue().decode("utf-8", "replace"))))
edited = st.data_editor(rows, num_rows="dynamic", width="stretch", key="variants")
names = {s["segment_id"]: f"{s['segment_id']} · {s['segment_name']}" for s in segments}
chosen = st.multiselect(
    "segments (empty: all)", list(names), format_func=lambda s: names[s], default=[]
)

variants = None
try:
    variants = api.variants([{k: str(v or "") for k, v in r.items()} for r in edited])
    st.caption(" · ".join(f"**{n}**: {s.kind}" for n, s in variants))
except CdtError as exc:
    st.error(str(exc))

if st.button("Compare variants", type="primary", disabled=not variants) and variants:
    bar = st.progress(0.0, text=f"0 of {len(variants)} variants")
    done: list[str] = []
    total = len(variants)

    def tick(name: str, _result: object) -> None:
        done.append(name)
        bar.progress(len(done) / total, text=f"{len(done)} of {total} variants")

    frame = write(
        api.compare_variants,
        variants,
        segments=chosen or None,
        stream="on_variant",
        show=tick,
    )
    bar.empty()
    if frame is not None:
        st.session_state["campaign_frame"] = frame

frame = st.session_state.get("campaign_frame")
if isinstance(frame, pl.DataFrame) and not frame.is_empty():
    st.subheader("Churn share per segment")
    chart = (
        alt.Chart(frame.filter(pl.col("status") == "ok").to_pandas())
        .mark_bar()
        .encode(
            x=alt.X("variant:N", title=None),
            y=alt.Y("churn_share:Q", axis=alt.Axis(format="%"), title="churn share"),
            color="variant:N",
            column=alt.Column("segment_name:N", title=None),
            tooltip=["variant", "segment_name", "churn_share", "expected_churners"],
        )
    )
    st.altair_chart(chart)
    totals = frame.group_by("variant").agg(
        pl.col("expected_churners").sum(), pl.col("revenue_at_risk_monthly").sum()
    )
    st.dataframe(totals.sort("expected_churners"), hide_index=True)
    st.subheader("A/B per segment")
    st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button(
        "Download CSV", frame.write_csv(), file_name="campaign_test.csv", mime="text/csv"
    )
