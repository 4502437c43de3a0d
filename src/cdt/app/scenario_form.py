"""The Simulation Studio's editable scenario: what the parse read, as a form to correct before
Run. Edits go through ``cdt.api.edit_scenario``, which checks them like ``--set``."""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from cdt import api

NUMBERS = (
    "price_delta", "price_delta_pct", "offer_value", "offer_months", "value_add_worth",
    "tenure_min_months", "tenure_max_months", "age_min", "age_max",
)  # fmt: skip
LISTS = ("plans", "contract_types", "device_tiers")
TEXTS = ("states", "regions", "places", "segments", "proxy")


def edit(scenario: Any) -> Any:
    """The form for ``scenario``'s fields; returns the scenario as edited."""
    meta = api.scenario_fields()
    choices, help_ = meta["choices"], meta["fields"]
    values: dict[str, Any] = {}
    # Keys follow the parse, so a new text or template starts from its own reading.
    tag = hashlib.sha1(f"{scenario.text}|{scenario.template}".encode()).hexdigest()[:8]
    with st.expander("Parsed scenario: check and correct it before you run", expanded=True):
        for warning in scenario.warnings:
            st.caption(f":material/help: {warning}")
        kinds = choices["kind"]
        values["kind"] = st.selectbox(
            "kind", kinds, index=kinds.index(scenario.kind.value), help=help_["kind"],
            key=f"form.kind.{tag}",
        )  # fmt: skip
        columns = st.columns(3)
        for i, name in enumerate(NUMBERS):
            current = getattr(scenario, name)
            integer = name.endswith(("months", "_min", "_max"))
            values[name] = columns[i % 3].number_input(
                name.replace("_", " "),
                value=current,
                step=1 if integer else 0.5,
                format="%d" if integer else "%.2f",
                help=help_[name],
                key=f"form.{name}.{tag}",
            )
        row = st.columns(3)
        for i, name in enumerate(LISTS):
            values[name] = row[i].multiselect(
                name.replace("_", " "), choices[name], default=getattr(scenario, name),
                help=help_[name], key=f"form.{name}.{tag}",
            )  # fmt: skip
        channels = ["(any)", *choices["channel"]]
        values["channel"] = st.selectbox(
            "channel", channels, index=channels.index(scenario.channel or "(any)"),
            help=help_["channel"], key=f"form.channel.{tag}",
        )  # fmt: skip
        if values["channel"] == "(any)":
            values["channel"] = None
        shown = api.changes_text(scenario)
        written = st.text_input(
            "several price changes", value=shown, help=help_["changes"],
            placeholder="Glacier:+2; Avalanche:+5", key=f"form.changes.{tag}",
        )  # fmt: skip
        if written.strip() != shown:
            values["changes"] = written.strip() or None
            values.pop("plans")  # the changes' plans are the audience's
        texts = st.columns(len(TEXTS))
        for i, name in enumerate(TEXTS):
            current = getattr(scenario, name)
            shown = ", ".join(current) if isinstance(current, list) else (current or "")
            text = texts[i].text_input(
                name, value=shown, help=help_[name], key=f"form.{name}.{tag}"
            )
            values[name] = (
                [v.strip() for v in text.split(",") if v.strip()]
                if isinstance(current, list)
                else (text.strip() or None)
            )
    return api.edit_scenario(scenario, values)
