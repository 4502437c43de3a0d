"""Snowmobile Digital Twin: the app's entry point and router (``cdt app``)."""

from __future__ import annotations

import streamlit as st

from cdt.app import PAGES, VIEWS
from cdt.app.common import read, settings


def home() -> None:
    st.title("Snowmobile Wireless — customer digital twin")
    st.write(
        "Behavioural segments of the customer base, one persona per segment, and grounded "
        "answers to *how would our customers react to X?*: the numbers come from a response "
        "model fitted on past campaigns, the words from the LLM."
    )
    current = settings()
    status = read("status")
    if status is None:
        st.stop()
    stages = status["stages"]
    st.caption(f"Backend: {status['backend']} · {status['location']}")
    cols = st.columns(6)
    for col, stage in zip(
        cols, ("load", "features", "segment", "calibrate", "personas", "simulate"), strict=True
    ):
        done = stage in stages or (stage == "simulate" and bool(read("history", limit=1)))
        col.metric(stage, "done" if done else "not yet")
    if "segment" not in stages:
        st.info("The twin has no segments yet. Build it with `cdt build`, then reload.")
    st.page_link(st.Page(str(VIEWS / "simulation_studio.py")), label="Run a simulation", icon="▶️")
    st.caption(f"LLM provider: {current.llm.provider} · profile: {current.profile}")


pages = [st.Page(home, title="Home", icon=":material/home:", default=True)] + [
    st.Page(str(VIEWS / file), title=title, icon=icon) for file, title, icon in PAGES
]
st.set_page_config(page_title="Snowmobile Digital Twin", page_icon="❄️", layout="wide")
st.navigation(pages).run()
