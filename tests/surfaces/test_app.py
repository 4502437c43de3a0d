"""The Streamlit app: every page through streamlit.testing's AppTest on real twins (the
embedded model where a page calls the LLM), what the app may write, and a busy database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cdt import api
from cdt.app import APP_DIR, MAIN, PAGES, command, environment
from cdt.config import Settings, load_settings
from tests.fakes import other_writer

VIEWS = [f"views/{file}" for file, _, _ in PAGES]
# What the app may call that writes: simulations (and their history), persona regeneration,
# and a persona's answer (which writes only the LLM call log). Everything else is a read.
WRITERS = {"simulate", "compare_variants", "generate_personas", "ask", "sweep"}  # sweep: HISTORY
READERS = {
    "status", "segments", "customers", "personas", "history", "history_show",
    "latest_backtest", "templates", "parse_scenario", "variants", "scenario_fields",
    "edit_scenario", "plan_fields", "sweep_fields", "changes_text",
}  # fmt: skip


def app(page: str | None = None) -> AppTest:
    """The app from its entry point, on ``page``, after one run."""
    test = AppTest.from_file(str(MAIN), default_timeout=180)
    if page:
        test.switch_page(page)
    return test.run()


def texts(test: AppTest, kind: str) -> list[str]:
    return [str(element.value) for element in getattr(test, kind)]


def no_failure(test: AppTest) -> None:
    assert not test.exception, [e.value for e in test.exception]


@pytest.mark.parametrize("page", [None, *VIEWS])
def test_every_page_says_how_to_build_a_twin_when_there_is_none(page: str | None) -> None:
    test = app(page)
    no_failure(test)
    assert any("cdt build" in text for text in texts(test, "info")), texts(test, "info")


def test_segment_explorer_charts_drills_down_and_pages_customers(twin: Settings) -> None:
    test = app("views/segment_explorer.py")
    no_failure(test)
    segments = api.segments(twin)
    metrics = {m.label: m.value for m in test.metric}
    assert metrics["segments"] == str(len(segments))
    assert metrics["customers in the base"] == f"{sum(s['customer_count'] for s in segments):,}"
    assert len(test.get("plotly_chart")) == 2  # treemap and radar
    first = test.dataframe[-1].value
    assert len(first) == min(25, segments[0]["customer_count"])
    test.select_slider[0].set_value(10).run()
    assert len(test.dataframe[-1].value) == 10
    test.number_input[0].set_value(2).run()
    second = test.dataframe[-1].value
    assert set(second["customer_id"]).isdisjoint(first["customer_id"][:10])
    # drill down to another segment
    test.selectbox[0].set_value(segments[-1]).run()
    no_failure(test)
    assert {m.label: m.value for m in test.metric}["customers"] == (
        f"{segments[-1]['customer_count']:,}"
    )


def test_persona_gallery_shows_compares_and_regenerates_after_confirmation(
    persona_twin: Settings,
) -> None:
    personas = api.personas(persona_twin)
    test = app("views/persona_gallery.py")
    no_failure(test)
    shown = " ".join(texts(test, "markdown"))
    for persona in personas:
        assert persona["persona_name"] in shown
        quote = next(iter(persona["sample_quotes"].values()))  # parsed from JSON by the api
        assert quote in shown  # each card shows a quote
    assert len(test.expander) == len(personas)
    comparison = test.dataframe[-1].value
    assert len(comparison.columns) == 3  # field names and two personas
    regenerate = next(b for b in test.button if "Regenerate" in str(b.label))
    assert regenerate.disabled  # not before the confirmation is ticked
    target = personas[0]["segment_id"]
    test.selectbox[0].set_value(target).run()
    test.checkbox[0].check().run()
    next(b for b in test.button if "Regenerate" in str(b.label)).click().run()
    no_failure(test)
    after = {p["segment_id"]: p["version"] for p in api.personas(persona_twin)}
    assert after[target] == personas[0]["version"] + 1
    assert all(after[p["segment_id"]] == p["version"] for p in personas[1:])


def test_simulation_studio_parses_streams_and_stores_a_simulation(persona_twin: Settings) -> None:
    test = app("views/simulation_studio.py")
    no_failure(test)
    test.radio[0].set_value("Template").run()
    test.selectbox[0].set_value("price_increase").run()
    test.text_input(key="price_increase.amount").input("7").run()
    assert any("price delta: 7.0" in c for c in texts(test, "caption")), texts(test, "caption")
    test.radio[0].set_value("Free text").run()
    test.text_area[0].input("   ").run()
    assert any("scenario is empty" in e for e in texts(test, "error"))
    assert test.button[0].disabled
    test.text_area[0].input("price increase $5 on Powder").run()
    assert any("plans: ['Powder']" in c for c in texts(test, "caption")), texts(test, "caption")
    delta = next(n for n in test.number_input if n.label == "price delta")
    assert delta.value == 5.0
    delta.set_value(4.0).run()  # the parse is corrected in the form before Run
    assert any("price delta: 4.0" in c for c in texts(test, "caption")), texts(test, "caption")
    segment = api.personas(persona_twin)[0]["segment_id"]
    test.multiselect[0].select(segment).run()
    test.button[0].click().run()
    no_failure(test)
    labels = [m.label for m in test.metric]
    assert "expected churners" in labels and "sentiment (from data)" in labels
    assert "commonest reaction" in labels  # each segment's stance, drawn before its words
    assert any("would" in m and "like" in m for m in texts(test, "markdown"))  # its voices
    assert any("customers to leave" in t for t in texts(test, "success") + texts(test, "info"))
    stored = api.history(persona_twin)
    assert len(stored) == 1 and stored[0]["scenario_text"] == "price increase $5 on Powder"
    replay = api.history_show(persona_twin, stored[0]["simulation_id"])
    assert replay["scenario"]["price_delta"] == 4.0
    assert replay["scenario"]["overrides"] == {"price_delta": 4.0}
    assert any(stored[0]["simulation_id"] in c for c in texts(test, "caption"))


def test_simulation_studio_deep_dive_asks_one_persona(persona_twin: Settings) -> None:
    test = app("views/simulation_studio.py")
    test.radio[1].set_value("One persona, in depth").run()
    test.button[0].click().run()
    no_failure(test)
    persona = api.personas(persona_twin)[0]
    assert persona["persona_name"] in texts(test, "subheader")
    assert "commonest reaction (from data)" in [m.label for m in test.metric]
    assert api.history(persona_twin) == []  # a deep dive is not a stored simulation


def test_simulation_studio_sweeps_a_price_without_the_llm(numbers_twin: Settings) -> None:
    test = app("views/simulation_studio.py")
    test.radio[1].set_value("Sweep").run()
    no_failure(test)
    test.button[0].click().run()
    no_failure(test)
    labels = [m.label for m in test.metric]
    assert "optimum price_delta" in labels and "break-even" in labels
    table = test.dataframe[-1].value
    assert list(table["price_delta"]) == [float(v) for v in range(16)]
    assert api.history(numbers_twin) == []  # a sweep calls no LLM and stores no simulation
    assert len(api.sweep_history(numbers_twin)) == 1
    step = next(n for n in test.number_input if n.label == "step")
    step.set_value(0.0).run()
    test.button[0].click().run()
    assert any("must be above 0" in e for e in texts(test, "error"))


def test_campaign_tester_compares_variants_and_exports_csv(persona_twin: Settings) -> None:
    test = app("views/campaign_tester.py")
    no_failure(test)
    assert any("price_change_value_add" in c for c in texts(test, "caption"))
    segment = api.personas(persona_twin)[0]["segment_id"]
    test.multiselect[0].select(segment).run()
    test.button[0].click().run()
    no_failure(test)
    frame = test.dataframe[-1].value
    assert sorted(frame["variant"]) == ["A: plain increase", "B: with streaming"]
    assert set(frame["segment_id"]) == {segment}
    assert frame["best_for_segment"].sum() >= 1
    assert len(api.history(persona_twin)) == 2  # each variant is stored


def test_campaign_tester_compares_variants_on_a_twin_without_personas(
    numbers_twin: Settings,
) -> None:
    """The numbers need no personas (as `cdt campaign-test` and `cdt simulate`): the page
    offers the segments and compares the variants."""
    test = app("views/campaign_tester.py")
    no_failure(test)
    test.multiselect[0].select("SEG01").run()
    test.button[0].click().run()
    no_failure(test)
    frame = test.dataframe[-1].value
    assert sorted(frame["variant"]) == ["A: plain increase", "B: with streaming"]
    assert set(frame["segment_id"]) == {"SEG01"}
    assert (frame["expected_churners"] >= 0).all()
    assert len(api.history(numbers_twin)) == 2


def test_campaign_tester_rejects_bad_variants(numbers_twin: Settings) -> None:
    test = AppTest.from_file(str(MAIN), default_timeout=60)
    test.switch_page("views/campaign_tester.py")
    test.session_state["variants"] = {
        "edited_rows": {"1": {"variant": "A: plain increase"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    test.run()
    no_failure(test)
    assert any("repeats a variant name" in e for e in texts(test, "error"))
    assert test.button[0].disabled


def test_scenario_history_replays_without_the_llm_and_tracks_outcomes(
    persona_twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for text in ("price increase $5", "price increase $10"):
        api.simulate(persona_twin, api.parse_scenario(text), segments=["SEG01"])
    # An LLM that cannot answer: a replay must not need one.
    monkeypatch.setenv("CDT_LLM_PROVIDER", "ollama")
    test = app("views/scenario_history.py")
    no_failure(test)
    table = test.dataframe[0].value
    assert len(table) == 2
    assert "Overall" in texts(test, "subheader")  # the replayed result
    assert "Outcome tracking" in texts(test, "subheader")
    tracking = test.dataframe[-1].value
    assert {"model", "segment_mean"} <= set(tracking["method"])


def test_a_busy_database_shows_a_notice_and_the_last_good_twin(persona_twin: Settings) -> None:
    from cdt.app.common import _cached

    test = app("views/segment_explorer.py")
    before = {m.label: m.value for m in test.metric}
    # Another process writes the twin (as `cdt build` does) and holds DuckDB's lock.
    with other_writer(persona_twin.database_path):
        _cached.clear()
        test.run()
        no_failure(test)
        assert any("being rebuilt" in w and "a moment ago" in w for w in texts(test, "warning"))
        assert {m.label: m.value for m in test.metric} == before
        fresh = app("views/scenario_history.py")  # nothing read before: a notice only
        no_failure(fresh)
        assert any("being rebuilt" in w for w in texts(fresh, "warning"))
    _cached.clear()
    test.run()
    assert not texts(test, "warning")


def test_the_app_calls_only_reads_and_its_own_writes() -> None:
    called: set[str] = set()
    for path in APP_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "api":
                called.add(node.attr)
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "read"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                called.add(str(node.args[0].value))
    assert called, "the scan found no cdt.api calls"
    assert called <= WRITERS | READERS, called - WRITERS - READERS
    assert {"simulate", "generate_personas"} <= called
    assert not called & {"build", "load", "init", "generate", "features", "segment", "calibrate"}


def test_the_app_connects_with_app_access_that_refuses_protected_writes(
    twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdt.app import SETTINGS_ENV
    from cdt.app.common import settings
    from cdt.errors import AccessError

    monkeypatch.setenv(SETTINGS_ENV, twin.model_dump_json())  # the CLI's, with full access
    mine = settings()
    assert twin.access == "full" and mine.access == "app"
    with api.connect(mine) as backend:
        with pytest.raises(AccessError):
            backend.execute("DELETE FROM ANALYTICS.CUSTOMER_SEGMENTS")
        assert backend.scalar("SELECT count(*) FROM ANALYTICS.CUSTOMER_SEGMENTS") > 0


def test_cdt_app_serves_headless_on_localhost_with_the_cli_settings(tmp_path: Path) -> None:
    settings = load_settings({"home": str(tmp_path / "h"), "llm.provider": "llamacpp"}, env={})
    line = command(port=8600)
    assert line[1:4] == ["-m", "streamlit", "run"] and line[4] == str(MAIN)
    assert "--server.address=127.0.0.1" in line and "--server.port=8600" in line
    assert "--server.headless=true" in line
    env = environment(settings, {"PATH": "/bin"})
    assert Settings.model_validate_json(env["CDT_APP_SETTINGS"]) == settings
    assert env["PATH"] == "/bin"
