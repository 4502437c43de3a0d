"""The names every stage shares, defined once (docs/architecture.md §3 is the contract): the
tables a data folder fills, the plans and the campaign responses' outcomes. The generator
imports them from here, like every other stage; nothing here reads the generator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: A data folder's subfolders (or CSV/Parquet file stems) and the RAW tables they load into.
RAW_TABLES = {
    "customers": "RAW.CUSTOMERS",
    "monthly_usage": "RAW.MONTHLY_USAGE",
    "support_interactions": "RAW.SUPPORT_INTERACTIONS",
    "campaign_responses": "RAW.CAMPAIGN_RESPONSES",
}
#: ... and the ZIP/DMA-level EXTERNAL tables.
EXTERNAL_TABLES = {
    "zip_demographics": "EXTERNAL.ZIP_DEMOGRAPHICS",
    "economic_indicators": "EXTERNAL.ECONOMIC_INDICATORS",
    "competitive_landscape": "EXTERNAL.COMPETITIVE_LANDSCAPE",
    "lifestyle_segments": "EXTERNAL.LIFESTYLE_SEGMENTS",
}
TABLES = {**RAW_TABLES, **EXTERNAL_TABLES}
#: The only table a data folder must hold; without any other, the figures it grounds are
#: withheld with the reason (``cdt doctor`` names them).
REQUIRED = ("customers",)
#: What a twin goes without when a data folder lacks a table (said by `cdt load` and doctor).
COSTS = {
    "monthly_usage": "no usage features (data, calls, overage): segments and personas go "
    "without them",
    "support_interactions": "no support contacts, sentiment or verbatims: personas have no real "
    "quotes, and voices are written from data alone",
    "campaign_responses": "no campaign history: no response model, so no churn, revenue, "
    "reaction or sentiment figures",
    "zip_demographics": "no ZIP demographics: segments go without income and density",
    "economic_indicators": "no economic indicators: segments go without unemployment and income",
    "competitive_landscape": "no competitive landscape: segments go without DMA competition",
    "lifestyle_segments": "no lifestyle segments: segments go without lifestyle features",
}

#: Snowmobile Wireless's plans, cheapest first (RAW.CUSTOMERS.plan_name).
PLANS = ("Glacier", "Flurry", "Powder", "Blizzard", "Summit", "Avalanche")

#: The response types of RAW.CAMPAIGN_RESPONSES.response_type, in the response model's order.
OUTCOMES = (
    "accepted",
    "ignored",
    "complained",
    "threatened_churn",
    "churned",
    "upgraded",
    "downgraded",
)
#: The offer_type of a campaign's untreated control rows: customers the campaign picked and
#: did not message (delivered = FALSE), whose response_type says only whether they left in
#: the campaign's window ('churned') or not ('ignored'). The backtest's uplift curve compares
#: them with the customers who got the message; the response model never trains on them.
CONTROL_GROUP = "Control Group"


def read_manifest(folder: Path) -> dict[str, Any]:
    """``folder``'s manifest.json (a dataset's or a delta's); empty when missing or not a
    JSON object."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}
