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


def read_manifest(folder: Path) -> dict[str, Any]:
    """``folder``'s manifest.json (a dataset's or a delta's); empty when missing or not a
    JSON object."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}
