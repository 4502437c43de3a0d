"""The Streamlit app (spec §5): a router (``main.py``) and five thin pages (``views/``) that
call only :mod:`cdt.api`. ``cdt app`` starts it with the CLI's resolved settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cdt.config import Settings

APP_DIR = Path(__file__).parent
MAIN = APP_DIR / "main.py"
VIEWS = APP_DIR / "views"
SETTINGS_ENV = "CDT_APP_SETTINGS"
PAGES = (
    ("segment_explorer.py", "Segment Explorer", ":material/bubble_chart:"),
    ("persona_gallery.py", "Persona Gallery", ":material/groups:"),
    ("simulation_studio.py", "Simulation Studio", ":material/science:"),
    ("campaign_tester.py", "Campaign Tester", ":material/compare:"),
    ("scenario_history.py", "Scenario History", ":material/history:"),
)


def command(host: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """The command line that serves the app headless on ``host:port``."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(MAIN),
        "--server.headless=true",
        f"--server.address={host}",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        "--client.showErrorDetails=type",
        "--client.toolbarMode=minimal",
    ]


def environment(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default ``os.environ``) plus the resolved settings for the app process."""
    env = dict(os.environ if base is None else base)
    env[SETTINGS_ENV] = settings.model_dump_json()
    return env
