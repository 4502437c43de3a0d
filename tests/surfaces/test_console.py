"""Golden tests of every renderer's text, at 80 and 120 columns.

Each renderer is given a result shaped as cdt.api returns it and its plain text (no colour) is
compared with ``tests/golden/<name>-<width>.txt``. After a deliberate change to what the CLI
prints, rewrite the files with ``UPDATE_GOLDEN=1 pytest tests/surfaces/test_console.py`` and read
the diff as a user would.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from rich.console import Console

from cdt import api, console
from cdt.config import Settings
from tests.paths import GOLDEN

WIDTHS = (80, 120)

SEGMENTS = [
    {
        "segment_id": f"SEG0{i}",
        "segment_name": name,
        "customer_count": count,
        "pct_of_base": pct,
        "avg_arpu": arpu,
        "avg_tenure_months": tenure,
        "avg_data_usage_gb": gb,
        "avg_churn_risk": risk,
        "top_plan": plan,
        "name_reason": reason,
    }
    for i, (name, count, pct, arpu, tenure, gb, risk, plan, reason) in enumerate(
        [
            ("Heavy-Data Streamers", 182_113, 18.2, 96.4, 31, 42.7, 0.18, "Avalanche",
             "data use 2.4× the base median; 61% on unlimited plans; video is 70% of traffic"),
            ("Budget Prepaid Switchers", 121_904, 12.2, 38.1, 9, 6.2, 0.41, "Flurry",
             "ARPU in the bottom quintile; tenure under a year; 3× the base's port-out rate"),
            ("Loyal Families", 240_511, 24.1, 142.9, 74, 18.3, 0.07, "Summit Family",
             "4.1 lines per account; tenure over six years; lowest complaint rate"),
        ],
        start=1,
    )
]  # fmt: skip

CALIBRATED = NS(
    model=NS(
        summary=lambda: {
            "model_id": "4f3a9c0e2b",
            "responses": 1_204_331,
            "cells": 131_072,
            "inputs": 14,
            "outcomes": ["accepted", "ignored", "complained", "churned"],
            "replicates": 20,
            "fit_seconds": 5.7,
            "churn_log_odds_per_dollar": {"SEG01": 0.082, "SEG02": 0.191, "SEG03": 0.034},
        }
    ),
    backtest=NS(
        backtest_id="b7e1d2aa90",
        holdout={"campaigns": 12, "cutoff_sent_at": "2025-09-01T00:00:00", "units": 96,
                 "units_scored": 90, "min_delivered": 200},
        summary={
            "model": {
                "response_rate": {"units": 90, "mae_pp": 0.81, "bias_pp": -0.12,
                                  "coverage": 0.86, "calibration_slope": 0.97,
                                  "ici_pp": 0.14, "e50_pp": 0.12, "e90_pp": 0.31},
                "churn_rate": {"units": 90, "mae_pp": 0.22, "bias_pp": 0.04, "coverage": 0.9,
                               "ici_pp": 0.03, "e50_pp": 0.02, "e90_pp": 0.06},
            },
            "segment_mean": {"response_rate": {"units": 90, "mae_pp": 2.9, "bias_pp": 0.6,
                                               "ici_pp": 1.9, "e50_pp": 1.8, "e90_pp": 3.0}},
            "llm_blend": {},
            "uplift": {"units": 40, "campaigns": 5, "notified": 171_240, "control": 9_012,
                       "notified_churn": 0.01262, "control_churn": 0.01143,
                       "added_churners": 203.8, "predicted_added_churners": 188.1,
                       "qini_coefficient": 0.04, "qini_interval": [-0.11, 0.19],
                       "curve": [], "order": []},
        },
        llm_weight=0.0,
    ),
    timings={"read": 3.1, "scorer": 1.2, "point_fit": 4.6, "intervals": 1.1, "backtest": 3.4,
             "store": 0.1},
    seconds=13.5,
)  # fmt: skip

ROWS = {"RAW.CUSTOMERS": 20_000, "RAW.MONTHLY_USAGE": 240_000, "EXTERNAL.ZIP_DEMOGRAPHICS": 3_000}
LOADED = NS(source=Path("/data/twin"), rows=ROWS, seconds=12.2, integrity={"orphans": 0, "dup": 0})
SEGMENTED = NS(k=3, customers=544_528, seconds=6.7, silhouette=0.312, k_scores={},
               ids_reused=True, drift=None)  # fmt: skip
PERSONAS = NS(
    personas=[
        {"segment_id": "SEG01", "version": 2, "persona_name": "Jordan Reyes",
         "tagline": "Streams everything, notices every slowdown"},
        {"segment_id": "SEG02", "version": 2, "persona_name": "Tasha Bell",
         "tagline": "Counts every dollar, and knows the competitors' prices"},
    ],
    historical_reactions=4_210,
    embeddings=4_210,
    seconds=95.3,
    refreshed=False,
)  # fmt: skip

SIM_ROW = {
    "segment_id": "SEG02", "segment_name": "Budget Prepaid Switchers", "pct_of_base": 12.2,
    "status": "ok", "affected_customers": 121_904, "sentiment_score": -0.31,
    "likely_action": "IGNORE", "action_probability": 0.52, "words": "written",
    "action_shares": {"churned": 0.0412, "complained": 0.258, "ignored": 0.52},
    "action_share_intervals": {"churned": [0.031, 0.052]},
    "expected_churners": 5_022.0, "expected_churners_interval": [3_779.0, 6_339.0],
    "revenue_at_risk_monthly": 191_338.0, "extrapolated": False,
    "quote": "Five more a month? I'll grumble, but I'm staying.", "quote_source": "llm",
    "voices": [
        {"outcome": "ignored", "per_100": "52 in 100", "doing": "let it pass",
         "speaker": "Tasha Bell, 34", "text": "Five more a month? I'll grumble, but I'm staying.",
         "source": "llm"},
        {"outcome": "complained", "per_100": "26 in 100", "doing": "complain",
         "speaker": "Marcus Reed, 29", "text": "You raised my price again. I want this escalated.",
         "source": "verbatim"},
        {"outcome": "threatened_churn", "per_100": "12 in 100", "doing": "threaten to leave",
         "speaker": "Dana Cole, 40",
         "text": "If a $5 rise goes ahead, I'll start looking at other carriers.",
         "source": "composed"},
    ],
}  # fmt: skip
FAILED_ROW = {**SIM_ROW, "segment_id": "SEG03", "segment_name": "Loyal Families",
              "status": "failed", "words": "unavailable", "voices": [],
              "error": "the LLM at localhost:11434 did not answer within "
              "30 s — raise llm.timeout or check `ollama ps`", "extrapolated": True}  # fmt: skip
UNREACHED = {"segment_id": "SEG01", "segment_name": "Heavy-Data Streamers", "status": "unaffected"}
SIMULATION = {
    "simulation_id": "0c9d8e7f-1a2b-4c3d-9e8f-7a6b5c4d3e2f",
    "scenario": {"text": "price increase $5", "kind": "price_increase", "price_delta": 5.0,
                 "warnings": []},
    "segments": [SIM_ROW, FAILED_ROW, UNREACHED],
    "overall": {
        "weighted_sentiment": -0.38, "affected_customers": 362_415, "expected_churners": 9_876.0,
        "revenue_at_risk_monthly": 402_118.0, "revenue_at_risk_yearly": 4_825_416.0,
        "expected_churners_interval": [7_911.0, 12_034.0],
        "revenue_at_risk_monthly_interval": [321_004.0, 489_730.0],
        "added_churners": 1_204.0, "added_churners_interval": [612.0, 1_830.0],
        "backtested_error": {"response_rate_mae_pp": 0.81, "churn_rate_mae_pp": 0.22,
                             "interval_coverage": 0.86, "churn_interval_coverage": 0.9},
        "llm_weight": 0.0, "grounded": True,
    },
    "recommendation": "Exempt SEG02 or pair the increase with a value-add: it carries half the "
                      "churn at 12% of the base.",
    "provenance": {"provider": "llamacpp", "model_id": "smollm2-135m-instruct", "seconds": 21.4},
}  # fmt: skip
PLAN = {
    "scenario": SIMULATION["scenario"],
    "warnings": ["'$5' read as a monthly increase per line; say 'per account' otherwise"],
    "affected": [{"segment_id": s["segment_id"], "segment_name": s["segment_name"],
                  "customers": s["customer_count"], "affected": s["customer_count"] // 2}
                 for s in SEGMENTS],
    "affected_customers": 272_264,
    "matched": {"plans": ["Flurry", "Summit Family"]},
    "grounding": {"grounded": True, "campaign_type": "price_increase"},
}  # fmt: skip
ASK = {
    "persona_name": "Tasha Bell, 34", "segment_id": "SEG02", "words": "written",
    "reaction": {"initial_reaction": "Five more a month? I'll grumble, but I'm staying.",
                 "sentiment_score": -0.31, "likely_action": "IGNORE",
                 "action_probability": 0.52,
                 "reasoning": "My bill is the one thing I budget to the dollar.",
                 "what_would_change_mind": "A loyalty credit for the first year.",
                 "sample_verbatim": "Five more a month? I'll grumble, but I'm staying."},
    "voices": SIM_ROW["voices"],
    "text_sources": {"sample_verbatim": "llm", "reasoning": "composed"},
    "retrieval": "embedding similarity",
    "history_used": ["price increase $3 (2024-03): 6 of 100 left, 14 of 100 complained"],
}  # fmt: skip
HISTORY = [
    {"simulation_id": SIMULATION["simulation_id"], "started_at": "2026-12-01 14:02:11",
     "status": "complete", "scenario_text": "price increase $5"},
    {"simulation_id": "9a8b7c6d-0000", "started_at": "2026-11-30 09:15:42", "status": "partial",
     "scenario_text": "Starting next month, every Summit and Avalanche plan goes up by $7 a "
                      "month, with autopay customers keeping a $2 discount"},
]  # fmt: skip
CAMPAIGN = [
    {"segment_id": "SEG02", "segment_name": "Budget Prepaid Switchers", "variant": "A",
     "churn_share": 0.041, "complain_share": 0.118, "accept_share": 0.02, "sentiment": -0.55,
     "best_for_segment": False},
    {"segment_id": "SEG02", "segment_name": "Budget Prepaid Switchers", "variant": "B",
     "churn_share": 0.029, "complain_share": 0.091, "accept_share": None, "sentiment": None,
     "best_for_segment": True},
]  # fmt: skip

SWEEP = {
    "param": "price_delta",
    "net_revenue_defined": True,
    "points": [
        {"value": v, "overall": {"churners": c, "churners_interval": [c * 0.7, c * 1.4],
         "revenue_at_risk": c * 62.0, "extrapolated": v > 10, "net_revenue": n,
         "net_revenue_interval": [n - 9_000.0 * (1 + (v > 10)), n + 7_000.0]}}
        for v, c, n in [(0, 105.0, 0.0), (5, 339.0, 85_075.0), (10, 1_003.0, 138_783.0),
                        (15, 1_775.0, 171_737.0)]
    ],
    "optimum": {"value": 15, "interval": [7.95, 15.0], "net_revenue": 171_737.0,
                "extrapolated": True},
    "break_even": None,
    "targeting": {"at_value": 15, "exempt": ["SEG02", "SEG07"], "apply_to": ["SEG01"],
                  "net_revenue": 146_731.0, "churners": 611.0, "max_churners": 800.0},
    "warnings": [],
}  # fmt: skip

RENDERERS: dict[str, Callable[[Console], None]] = {
    "sweep": lambda out: console.show_sweep(out, SWEEP),
    "init": lambda out: console.show_init(
        out,
        NS(
            backend="duckdb",
            location="/home/ana/.cdt/twin.duckdb",
            tables=["t"] * 31,
            statements=64,
            migrations=["0001_add_plan_family"],
            roles_statements=0,
        ),
    ),
    "doctor": lambda out: console.show_doctor(
        out,
        NS(
            checks=[
                NS(
                    component="backend",
                    choice="duckdb",
                    status="ok",
                    detail="twin.duckdb, 31 tables",
                    fix=None,
                ),
                NS(
                    component="llm",
                    choice="ollama llama3.2:3b",
                    status="fail",
                    detail="localhost:11434 accepts connections but did not answer in 5 s",
                    fix='restart Ollama (`ollama serve`) or set llm.provider = "llamacpp"',
                ),
            ]
        ),
    ),
    "load": lambda out: console.show_load(out, LOADED),
    "build": lambda out: console.show_build(
        out,
        NS(
            data_dir=Path("/data/twin"),
            generated=None,
            loaded=LOADED,
            featured=NS(rows=ROWS, seconds=3.5, refreshed=None),
            segmented=SEGMENTED,
            calibrated=CALIBRATED,
            personas=None,
            personas_skipped=True,
        ),
        SEGMENTS,
    ),
    "build-refresh": lambda out: console.show_build(
        out,
        NS(
            data_dir=Path("/data/twin"),
            generated=None,
            loaded=None,
            featured=NS(rows=ROWS, seconds=0.7, refreshed=15_396),
            segmented=NS(
                reassigned=15_396,
                moved=412,
                seconds=1.1,
                drift=NS(
                    to_dict=lambda: {
                        "psi": 0.00012,
                        "psi_threshold": 0.1,
                        "distance_ratio": 1.0004,
                        "distance_threshold": 1.2,
                    }
                ),
            ),
            calibrated=None,
            personas=NS(**{**vars(PERSONAS), "personas": PERSONAS.personas[:1], "refreshed": True}),
            personas_skipped=False,
        ),
        SEGMENTS,
    ),
    "delta-loaded": lambda out: console.show_delta(
        out,
        NS(
            source=Path("/data/deltas/2024-12-01"),
            changed=True,
            seconds=1.7,
            touched_customers=10_200,
            tables={
                "RAW.CUSTOMERS": {"rows": 1_175, "new": 200, "changed": 881, "unchanged": 94},
                "RAW.MONTHLY_USAGE": {"rows": 10_000, "new": 10_000, "changed": 0, "unchanged": 0},
            },
            replaced=["EXTERNAL.ECONOMIC_INDICATORS"],
            integrity={"usage_rows_without_customer": 0, "duplicate_customer_ids": 0},
        ),
    ),
    "delta-written": lambda out: console.show_delta_written(
        out,
        NS(
            out=Path("/data/deltas/2024-12-01"),
            first_day="2024-12-01",
            last_day="2024-12-01",
            rows={"customers": 1_175, "monthly_usage": 10_000},
            seconds=2.1,
        ),
    ),
    "segmented": lambda out: console.show_segmented(
        out, NS(**{**vars(SEGMENTED), "k_scores": {3: 0.312, 4: 0.288}}), SEGMENTS
    ),
    "segments": lambda out: console.show_segments(out, SEGMENTS),
    "calibrated": lambda out: console.show_calibrated(out, CALIBRATED),
    "personas-written": lambda out: console.show_personas_written(out, PERSONAS),
    "personas": lambda out: console.show_personas(
        out,
        [
            {
                **SEGMENTS[1],
                "persona_name": "Tasha Bell",
                "version": 2,
                "typical_plan": "Flurry",
                "typical_location": "Dayton, OH",
            }
        ],
    ),
    "persona": lambda out: console.show_persona(
        out,
        {
            "persona_name": "Tasha Bell",
            "persona_name_source": "data",
            "background_story": "Switched from a prepaid carrier two years ago for the price.",
        },
    ),
    "templates": lambda out: console.show_templates(
        out,
        [
            {
                "name": "price_increase",
                "description": "raise the price of some or all plans",
                "parameters": {"delta": 5, "plans": "all"},
            }
        ],
    ),
    "plan": lambda out: console.show_plan(out, PLAN),
    "simulation": lambda out: (
        console.numbers_table(out, SIMULATION["segments"], 1.8),
        [out.print(console.segment_words(row), highlight=False) for row in SIMULATION["segments"]],
        console.show_overall(out, SIMULATION),
    ),
    "ask": lambda out: console.show_ask(out, ASK),
    "history": lambda out: console.show_history(out, HISTORY),
    "history-empty": lambda out: console.show_history(out, []),
    "sweeps": lambda out: console.show_sweeps(
        out,
        [
            {
                "sweep_id": "ea122133-eeeb-429d-822c-68693f3c6cf4",
                "created_at": "2026-12-02 16:25:18.933422",
                "param": "price_delta",
                "range_from": 0.0,
                "range_to": 15.0,
                "range_step": 0.5,
                "scenario_text": "price increase $5 on Powder",
            }
        ],
    ),
    "sweeps-empty": lambda out: console.show_sweeps(out, []),
    "replay": lambda out: console.show_replay(out, {**SIMULATION, "warnings": []}),
    "campaign-test": lambda out: console.show_campaign_test(out, CAMPAIGN, Path("ab.csv")),
}


def render(name: str, width: int) -> str:
    buffer = io.StringIO()
    out = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    RENDERERS[name](out)
    return buffer.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_renderer_output_matches_golden(name: str, width: int) -> None:
    text = render(name, width)
    path = GOLDEN / f"{name}-{width}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 once"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["segments", "build", "backtest-table", "plan", "personas"])
def test_tables_fit_the_terminal(name: str) -> None:
    text = render("calibrated" if name == "backtest-table" else name, 80)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_the_segments_table_stays_readable_at_80_columns() -> None:
    for width in WIDTHS:
        text = render("segments", width)
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= width
        # The figures are one line per segment (a name may wrap once, at a space) and each
        # reason is one line of its own below the table, never folded over many.
        assert "why this name" not in text and "why these names:" in text
        table = lines[: lines.index("why these names:")]
        assert len([line for line in table if line.strip()]) <= 4 + 2 * len(SEGMENTS)
        reasons = lines[lines.index("why these names:") + 1 :]
        assert [line.split()[0] for line in reasons] == [s["segment_id"] for s in SEGMENTS]
        for segment in SEGMENTS:
            row = next(line for line in table if segment["segment_id"] in line)
            assert f"{segment['customer_count']:,}" in row and segment["segment_name"][:5] in row
    assert "…" in render("segments", 80)  # the longest reasons are cut, and say so
    # A wide terminal holds the reasons in the table.
    buffer = io.StringIO()
    console.show_segments(Console(file=buffer, width=160, color_system=None), SEGMENTS)
    assert "why this name" in buffer.getvalue()


def test_every_shown_text_says_where_it_came_from() -> None:
    text = render("ask", 120)
    assert "a customer's own words" in text and "composed from the segment's data" in text
    assert "stance (from data)" in text


def test_a_simulation_shows_numbers_before_words_and_every_stance_from_data() -> None:
    text = render("simulation", 120)
    assert text.index("numbers (response model") < text.index("would let it pass")
    assert "let it pass (52 in 100)" in text and "-0.31" in text
    assert "LLM" not in text.split("SEG02 Budget Prepaid Switchers\n")[0]


@pytest.mark.parametrize("suffix", [".html", ".svg", ".png"])
def test_the_sweep_curve_is_written_as_asked(tmp_path: Path, suffix: str) -> None:
    from cdt.console.sweep_chart import save_chart, sweep_chart

    path = save_chart(SWEEP, tmp_path / f"sweep{suffix}")
    data = path.read_bytes()
    assert len(data) > 1000
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    else:
        text = data.decode("utf-8")
        assert "net revenue" in text or "vega" in text.lower()
    spec = sweep_chart(SWEEP).to_dict()
    assert len(spec["vconcat"]) == 2  # net revenue above, churners below
    assert "optimum 15" in json.dumps(spec)


def test_a_chart_type_it_cannot_write_is_refused(tmp_path: Path) -> None:
    from cdt.console.sweep_chart import save_chart
    from cdt.errors import ConfigError

    with pytest.raises(ConfigError, match="cannot write a chart"):
        save_chart(SWEEP, tmp_path / "sweep.pdf")
    assert not list(tmp_path.glob("sweep.*"))


@pytest.mark.parametrize("suffix", [".html", ".svg", ".png"])
def test_the_backtest_reliability_diagram_is_written_as_asked(
    calibrated_twin: Settings, tmp_path: Path, suffix: str
) -> None:
    from cdt.console.backtest_chart import backtest_chart, save_chart

    result = api.backtest(calibrated_twin, replicates=4).to_dict()
    path = save_chart(result, tmp_path / f"report{suffix}")
    data = path.read_bytes()
    assert len(data) > 1000
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    spec = json.dumps(backtest_chart(result).to_dict())
    model = result["metrics"]["model"]
    # a panel per rate, then the price notices' uplift against their control groups
    assert len(backtest_chart(result).to_dict()["hconcat"]) == len(model) + 1
    uplift = result["metrics"]["uplift"]
    assert f"Qini coefficient {uplift['qini_coefficient']:.2f}" in spec
    for entry in model.values():
        assert f"ICI {entry['ici_pp']:.2f} pp" in spec  # each panel says its calibration
        assert (
            entry["calibration_curve"][0]["predicted"]
            <= entry["calibration_curve"][-1]["predicted"]
        )


def test_cdt_backtest_out_refuses_a_chart_type_before_running(calibrated_twin: Settings) -> None:
    from typer.testing import CliRunner

    from cdt.cli import app
    from cdt.errors import ConfigError

    before = api.latest_backtest(calibrated_twin)
    result = CliRunner().invoke(app, ["backtest", "--out", "report.pdf"])
    assert isinstance(result.exception, ConfigError) and "report.pdf" in str(result.exception)
    assert api.latest_backtest(calibrated_twin) == before  # nothing run, nothing stored


def test_a_reason_every_segment_shares_is_said_once_and_others_per_segment() -> None:
    buffer = io.StringIO()
    stream = console.WordsStream(Console(file=buffer, width=200, color_system=None))
    missing = {"status": "ok", "words": "not written", "words_reason": "no personas yet"}
    stream.row({"status": "unaffected", "segment_id": "SEG09", "segment_name": "Far"})
    stream.row({**missing, "segment_id": "SEG01", "segment_name": "First"})
    stream.row({**missing, "segment_id": "SEG02", "segment_name": "Second"})
    stream.row({"status": "failed", "error": "model crashed", "segment_id": "SEG03",
                "segment_name": "Third"})  # fmt: skip
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "voices not written: no personas yet"
    assert not any("SEG01" in line or "SEG02" in line or "SEG09" in line for line in lines)
    assert lines[1].startswith("SEG03 Third: words unavailable (model crashed)")
    written = io.StringIO()
    stream = console.WordsStream(Console(file=written, width=200, color_system=None))
    stream.row({"status": "ok", "words": "written", "segment_id": "SEG01",
                "segment_name": "First", "voices": []})  # fmt: skip
    assert written.getvalue().startswith("voices (written per outcome")


def test_an_ungrounded_scenario_shows_who_is_reached_and_says_why_once() -> None:
    from cdt.console.voices import numbers_table

    reason = "not grounded: no campaign history: load RAW.CAMPAIGN_RESPONSES to get figures"
    rows = [{"segment_id": f"SEG0{i}", "segment_name": "Older Long-Tenure", "status": "ok",
             "affected_customers": 1_000 * i, "stance_basis": reason, "numbers_basis": reason,
             "likely_action": None} for i in (1, 2)]  # fmt: skip
    buffer = io.StringIO()
    numbers_table(Console(file=buffer, width=80, color_system=None), rows, 0.1)
    shown = buffer.getvalue()
    assert "1,000" in shown and "2,000" in shown  # reached, though no figure is grounded
    assert "no estimates" in shown and "response model in" not in shown
    assert "campaign" not in shown  # the reason is said once, above the table, not per row
