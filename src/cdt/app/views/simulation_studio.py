"""Simulation Studio: build a scenario (free text or a template), see it parsed, then run it
across segments with results streaming in, ask one persona in depth, or sweep one of its
numbers over a range (numbers only, no LLM)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cdt import api
from cdt.app import scenario_form
from cdt.app.common import (
    read,
    result_view,
    segment_numbers,
    segment_row,
    settings,
    write,
)
from cdt.app.sweep_view import sweep_view
from cdt.console.simulation import signed
from cdt.errors import CdtError

st.title("Simulation Studio")
segments = read("segments") or []
if not segments:
    st.info("No segments yet. Build the twin with `cdt build`, then reload.")
    st.stop()
personas = {p["segment_id"]: p for p in read("personas") or []}

templates = {t["name"]: t for t in api.templates()}
how = st.radio("scenario", ["Free text", "Template"], horizontal=True)
scenario = None
try:
    if how == "Template":
        name = st.selectbox(
            "template", list(templates), format_func=lambda n: templates[n]["description"]
        )
        defaults = templates[name]["defaults"]
        columns = st.columns(max(1, len(defaults)))
        values = {
            key: columns[i].text_input(key, value=default, key=f"{name}.{key}")
            for i, (key, default) in enumerate(defaults.items())
        }
        scenario = api.parse_scenario(template=name, values=values)
    else:
        text = st.text_area("what happens?", value="price increase $5", max_chars=4000, height=80)
        scenario = api.parse_scenario(text)
except CdtError as exc:
    st.error(str(exc))

if scenario is not None:
    st.markdown(f"**Scenario:** {scenario.text}")
    try:
        scenario = scenario_form.edit(scenario)
    except CdtError as exc:
        st.error(str(exc))
        scenario = None
if scenario is not None:
    fields = api.plan_fields(scenario)
    st.caption(" · ".join(f"{k.replace('_', ' ')}: {v}" for k, v in fields.items()))

mode = st.radio("mode", ["All segments", "One persona, in depth", "Sweep"], horizontal=True)
names = {
    str(s["segment_id"]): f"{s['segment_id']} · "
    + str(personas.get(s["segment_id"], {}).get("persona_name") or s["segment_name"])
    for s in segments
}

if mode == "All segments":
    chosen = st.multiselect(
        "segments (empty: all)", list(names), format_func=lambda s: names[s], default=[]
    )
    run = st.button("Run simulation", type="primary", disabled=scenario is None)
    if run and scenario is not None:
        total = len(chosen or names)
        bar = st.progress(0.0, text="numbers…")
        figures = st.container()
        stream = st.container()
        arrived: list[dict[str, Any]] = []

        def show(name: str, *item: Any) -> None:
            if name == "on_numbers":  # every segment's numbers and stance, before any words
                with figures:
                    st.subheader("Numbers (from the response model)")
                    for row in item[0]:
                        segment_numbers(row)
                with stream:
                    st.subheader("Voices")
                return
            arrived.append(item[0])
            bar.progress(len(arrived) / total, text=f"words: {len(arrived)} of {total} segments")
            with stream:
                segment_row(item[0])

        result = write(
            api.simulate,
            scenario,
            segments=chosen or None,
            stream=("on_numbers", "on_segment"),
            show=show,
        )
        bar.empty()
        if result is not None:
            st.session_state["studio_result"] = result.to_dict()
    if st.session_state.get("studio_result"):
        result_view(st.session_state["studio_result"])
        st.caption(f"Stored as simulation {st.session_state['studio_result']['simulation_id']}")
elif mode == "Sweep":
    numbers = api.sweep_fields()
    a, b, c, d = st.columns(4)
    param = a.selectbox("field", numbers, index=numbers.index("price_delta"))
    start = b.number_input("from", value=0.0)
    stop = c.number_input("to", value=15.0)
    step = d.number_input("step", value=1.0, min_value=0.0)
    cap = st.number_input("at most this many churners (0: no cap)", value=0, min_value=0)
    if st.button("Sweep", type="primary", disabled=scenario is None) and scenario is not None:
        try:
            swept = api.sweep(
                settings(),
                scenario,
                param=param,
                start=start,
                stop=stop,
                step=step,
                max_churners=float(cap) if cap else None,
            )
            st.session_state["studio_sweep"] = swept.to_dict()
        except CdtError as exc:
            st.error(str(exc))
    found = st.session_state.get("studio_sweep")
    if found:
        sweep_view(found)
else:
    key = st.selectbox("persona", list(names), format_func=lambda s: names[s])
    if st.button("Ask", type="primary", disabled=scenario is None) and scenario is not None:
        with st.spinner("Asking the persona…"):
            answer = write(api.ask, key, scenario)
        if answer is not None:
            st.session_state["studio_answer"] = answer
    answer = st.session_state.get("studio_answer")
    if answer:
        reaction = answer["reaction"]
        st.subheader(answer["persona_name"])
        a, b = st.columns(2)
        felt = reaction.get("sentiment_score")
        a.metric("sentiment (from data)", "–" if felt is None else signed(felt))
        share = reaction.get("action_probability")
        b.metric(
            "commonest reaction (from data)",
            str(reaction.get("likely_action") or "–"),
            f"{share:.0%} of the segment" if share is not None else None,
            delta_color="off",
        )
        segment_row({**answer, "segment_name": answer["persona_name"]})
        st.markdown(f"**Past reactions it was shown** ({answer['retrieval']}):")
        for item in answer["history_used"]:
            st.markdown(f"- {item}")
        st.caption(
            "One segment's voices, not stored; run all segments for every segment's figures."
        )
