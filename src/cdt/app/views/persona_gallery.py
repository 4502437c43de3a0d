"""Persona Gallery: cards, details, side-by-side comparison, regeneration after confirmation."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cdt import api
from cdt.app.common import personas_or_stop, write

COMPOSITES = (
    ("age", "typical_age_range"),
    ("income", "typical_income"),
    ("household", "typical_household"),
    ("location", "typical_location"),
    ("plan", "typical_plan"),
    ("contract", "typical_contract"),
    ("tenure", "typical_tenure"),
    ("ARPU", "typical_arpu"),
    ("device", "typical_device"),
)
WORDS = (
    ("Background", "background_story"),
    ("Personality", "personality_description"),
    ("Communication style", "communication_style"),
    ("Decision making", "decision_making_style"),
    ("Emotional triggers", "emotional_triggers"),
)
BEHAVIOUR = (
    "usage_profile",
    "channel_preferences",
    "price_sensitivity",
    "loyalty_indicators",
    "pain_points",
    "value_drivers",
)


MARK = {
    "verbatim": " *(a real customer's words)*",
    "composed": " *(composed from the segment's data)*",
}


def quotes(persona: dict[str, Any]) -> list[str]:
    """The persona's sample quotes (stored as {mood: quote}, or a list)."""
    found = persona.get("sample_quotes") or {}
    if isinstance(found, dict):
        found = list(found.values())
    return [str(q) for q in found if q] if isinstance(found, list) else []


def card(persona: dict[str, Any]) -> None:
    with st.container(border=True):
        st.markdown(f"### {persona['persona_name']}")
        st.caption(
            f"{persona['segment_id']} · {persona['segment_name']} · "
            f"{int(persona['customer_count']):,} customers · version {persona['version']}"
        )
        st.write(f"{persona.get('typical_age_range')} · {persona.get('typical_location')}")
        st.write(f"{persona.get('typical_plan')} plan · ${float(persona['typical_arpu']):,.0f}/mo")
        for quote in quotes(persona)[:1]:
            st.markdown(f"> {quote}")
        with st.expander("Details"):
            st.caption("From data:")
            st.table({label: [str(persona.get(col))] for label, col in COMPOSITES})
            for column in BEHAVIOUR:
                st.markdown(f"**{column.replace('_', ' ')}**")
                st.json(persona.get(column) or {}, expanded=False)
            st.caption("Words (written by the LLM unless marked):")
            made: dict[str, str] = persona.get("text_sources") or {}
            for label, column in WORDS:
                mark = MARK.get(made.get(column, "llm"), "")
                st.markdown(f"**{label}.** {persona.get(column) or '–'}{mark}")
            for mood, quote in (persona.get("sample_quotes") or {}).items():
                mark = MARK.get(made.get(f"sample_quotes.{mood}", "llm"), "")
                st.markdown(f"> {quote}{mark}")


st.title("Persona Gallery")
personas = personas_or_stop()

columns = st.columns(3)
for i, persona in enumerate(personas):
    with columns[i % 3]:
        card(persona)

st.subheader("Side by side")
labels = {f"{p['segment_id']} · {p['persona_name']}": p for p in personas}
chosen = st.multiselect("personas to compare", list(labels), default=list(labels)[:2])
if chosen:
    rows = [label for label, _ in COMPOSITES] + ["quote", "pain points", "value drivers"]
    table: dict[str, list[str]] = {"": rows}
    for name in chosen:
        p = labels[name]
        table[name] = [str(p.get(col)) for _, col in COMPOSITES] + [
            (quotes(p) or ["–"])[0],
            str(p.get("pain_points") or {}),
            str(p.get("value_drivers") or {}),
        ]
    st.dataframe(table, hide_index=True, width="stretch")

st.subheader("Regenerate")
st.write(
    "Writes a new version of a segment's persona with the LLM (the old versions are kept). "
    "The numbers in a persona come from data and do not change unless the twin is rebuilt."
)
target = st.selectbox("segment", [p["segment_id"] for p in personas])
sure = st.checkbox(f"Yes, write a new persona version for {target}")
if st.button("Regenerate persona", disabled=not sure, type="primary"):
    with st.spinner(f"Writing a new persona for {target} with the LLM…"):
        done = write(api.generate_personas, segments=[target])
    if done is not None:
        st.toast(f"New persona version written for {target}.")
        st.rerun()
