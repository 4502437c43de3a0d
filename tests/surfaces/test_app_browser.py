"""End to end in a real browser: `cdt app` served on localhost over a twin with personas from
the embedded model, driven by Playwright in Debian's headless Chromium. Every page is visited
and one simulation is run; a screenshot per page is saved under test-artifacts/app/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cdt import api
from cdt.app import PAGES
from cdt.config import Settings
from tests.paths import ROOT

CHROMIUM = Path(os.environ.get("CDT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts" / "app"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What each page shows once it has read the twin.
LOADED = {
    "segment_explorer": "Drill down",
    "persona_gallery": "Side by side",
    "simulation_studio": "Run simulation",
    "campaign_tester": "Compare variants",
    "scenario_history": "No simulations yet",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(persona_twin: Settings, tmp_path: Path) -> object:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    port = free_port()
    cdt = Path(sys.executable).parent / "cdt"
    log = (tmp_path / "app.log").open("w")
    server = subprocess.Popen(
        [str(cdt), "app", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail((tmp_path / "app.log").read_text())
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    # `cdt app` became the server: stopping it leaves nothing listening.
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)


@pytest.mark.slow
def test_every_page_in_chromium_and_one_simulation(served: str, persona_twin: Settings) -> None:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(served)
            page.get_by_text("customer digital twin").first.wait_for(timeout=60_000)
            page.screenshot(path=ARTIFACTS / "0_home.png", full_page=True)
            for number, (file, title, _) in enumerate(PAGES, start=1):
                slug = file.removesuffix(".py")
                page.get_by_role("link", name=title).click()
                page.get_by_text(LOADED[slug]).first.wait_for(timeout=60_000)
                assert page.get_by_text("Traceback").count() == 0
                page.screenshot(path=ARTIFACTS / f"{number}_{slug}.png", full_page=True)
            page.get_by_role("link", name="Simulation Studio").click()
            page.get_by_role("button", name="Run simulation").click()
            page.get_by_text("By segment").wait_for(timeout=240_000)
            assert page.get_by_text("expected churners").count() >= 1
            assert page.get_by_text("customers to leave").count() >= 1
            page.screenshot(path=ARTIFACTS / "3_simulation_studio_result.png", full_page=True)
            page.get_by_role("link", name="Scenario History").click()
            page.get_by_text("Replayed from the stored result").wait_for(timeout=60_000)
            page.screenshot(path=ARTIFACTS / "5_scenario_history_replay.png", full_page=True)
        finally:
            browser.close()
    stored = api.history(persona_twin)
    assert len(stored) == 1 and stored[0]["status"] == "complete"
    assert len(list(ARTIFACTS.glob("*.png"))) == len(PAGES) + 3
