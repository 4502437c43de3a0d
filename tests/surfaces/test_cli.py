"""The real `cdt` command in a subprocess: exit codes, one-line errors, nothing changed on disk."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import DATA, ROOT

CDT = str(Path(sys.executable).parent / "cdt")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CDT, *args], capture_output=True, text=True, env=dict(os.environ), cwd=cwd, timeout=120
    )


def test_snowflake_without_credentials_is_one_red_line() -> None:
    result = run("--backend", "snowflake", "doctor")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: backend:")
    assert "SNOWFLAKE_ACCOUNT" in lines[0]


def test_snowflake_init_without_credentials() -> None:
    result = run("--backend", "snowflake", "init")
    assert result.returncode == 2
    assert result.stderr.startswith("error: the Snowflake backend has no account configured")
    assert "Traceback" not in result.stderr


def test_unknown_backend_changes_nothing(isolated_home: Path) -> None:
    result = run("--backend", "oracle", "init")
    assert result.returncode == 2
    assert "unknown backend 'oracle'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not isolated_home.exists()


def test_unknown_provider_and_missing_profile(isolated_home: Path) -> None:
    assert run("--llm", "gpt5", "doctor").returncode == 2
    result = run("--profile", "nope", "init")
    assert result.returncode == 2
    assert "profile 'nope'" in result.stderr
    assert not isolated_home.exists()


def test_debug_shows_the_traceback() -> None:
    result = run("--debug", "--backend", "oracle", "init")
    assert result.returncode == 2
    assert "Traceback" in result.stderr


def test_init_twice_then_doctor(isolated_home: Path) -> None:
    first = run("init")
    assert first.returncode == 0, first.stderr
    second = run("init", "--json")
    assert second.returncode == 0, second.stderr
    payload = json.loads(second.stdout)
    assert payload["backend"] == "duckdb"
    assert "RAW.CUSTOMERS" in payload["tables"]
    doctor = run("doctor", "--json")
    report = json.loads(doctor.stdout)
    components = {check["component"]: check for check in report["checks"]}
    stages = {"features", "segment", "calibrate", "personas"}
    assert set(components) == {"config", "backend", "llm", "embedder", *stages}
    assert {components[s]["choice"] for s in stages} == {"not built"}  # init builds nothing
    assert components["backend"]["status"] == "ok"
    assert components["llm"]["choice"] == "llamacpp"  # no Ollama answers in tests
    assert doctor.returncode == (0 if report["ok"] else 1)


def test_doctor_on_a_new_home_says_to_build(isolated_home: Path) -> None:
    result = run("doctor", "--json")
    backend = next(c for c in json.loads(result.stdout)["checks"] if c["component"] == "backend")
    assert backend["status"] == "warn"
    assert "cdt build" in backend["fix"]  # a new home needs a build, not an empty init
    assert not isolated_home.exists()


def test_corrupt_database_is_left_as_it_was(isolated_home: Path) -> None:
    isolated_home.mkdir()
    database = isolated_home / "cdt.duckdb"
    database.write_bytes(b"\x00garbage" * 100)
    result = run("init")
    assert result.returncode == 1
    assert "not a valid DuckDB database" in result.stderr
    assert "Traceback" not in result.stderr
    assert database.read_bytes() == b"\x00garbage" * 100
    assert sorted(p.name for p in isolated_home.iterdir()) == ["cdt.duckdb"]


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("init", "doctor"):
        assert command in result.stdout


def test_generate_load_and_build_from_the_command_line(isolated_home: Path) -> None:
    generated = run("generate", "--scale", "0.001", "--seed", "3", "--json")
    assert generated.returncode == 0, generated.stderr
    assert json.loads(generated.stdout)["rows"]["customers"] == 1000
    loaded = run("load", "--json")
    assert loaded.returncode == 0, loaded.stderr
    payload = json.loads(loaded.stdout)
    assert payload["rows"]["RAW.CUSTOMERS"] == 1000
    assert set(payload["integrity"].values()) == {0}
    first = json.loads(
        run("build", "--scale", "0.001", "--seed", "3", "--no-personas", "--json").stdout
    )
    assert first["generate"] == first["load"] == "up to date"
    assert first["features"]["rows"]["ANALYTICS.CUSTOMER_FEATURES_ENRICHED"] == 1000
    assert first["segment"]["k"] == 8
    assert first["calibrate"]["model"]["responses"] > 1000
    assert first["calibrate"]["backtest"]["metrics"]["model"]["response_rate"]["mae_pp"] >= 0
    again = run("build", "--scale", "0.001", "--seed", "3", "--no-personas", "--json")
    assert json.loads(again.stdout) == {
        "data_dir": str(isolated_home.parent / "data"),
        "generate": "up to date",
        "load": "up to date",
        "features": "up to date",
        "segment": "up to date",
        "calibrate": "up to date",
        "personas": "skipped",
    }
    other = json.loads(
        run("build", "--scale", "0.001", "--seed", "4", "--no-personas", "--json").stdout
    )
    assert other["generate"]["seed"] == 4
    assert other["load"]["rows"]["RAW.CUSTOMERS"] == 1000
    assert other["segment"]["customers"] == 1000
    listed = json.loads(run("segments", "--json").stdout)
    assert len(listed) == 8 and listed[0]["segment_id"] == "SEG01"
    text = run("build", "--scale", "0.001", "--seed", "5", "--no-personas")
    assert text.returncode == 0, text.stderr
    said = " ".join(text.stdout.split())  # the console wraps long lines
    assert re.search(r"calibrate: response model on [\d,]+ responses", said)
    assert re.search(r"backtested response-rate error \d+\.\d\d pp", said)
    unchanged = run("build", "--scale", "0.001", "--seed", "5", "--no-personas")
    assert "calibrate: up to date" in unchanged.stdout


def test_load_from_a_missing_folder_is_one_line() -> None:
    result = run("load", "--from", "nowhere")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: ")
    assert "is not a folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


BAD_INPUTS = [
    ("load", "--from", "{tmp}/no-such-folder"),
    ("load", "--from", "{tmp}/empty-file"),
    ("generate", "--scale", "0.001", "--out", "{tmp}/a-file.txt"),
    ("sweep", "price increase $5", "--out", "{tmp}/no-such-folder/curve.html"),
    ("sweep", "price increase $5", "--out", "{tmp}/curve.xlsx"),
    ("campaign-test", "{tmp}/no-variants.csv", "--out", "{tmp}/no-such-folder/x.csv"),
    ("campaign-test", "{tmp}/no-variants.csv"),
    ("simulate", "--scenario-file", "{tmp}/no-such.toml"),
    ("simulate", "price increase $5", "--set", "price_delta=lots"),
    ("history", "show", "nope"),
    ("simulate", "price increase $5", "--set", "changes=Glacier:+2; Glacier:+3"),
    ("simulate", "price increase $5", "--set", "changes=Glacier +2"),
    ("simulate", "price increase $5", "--segments", "SEG99"),
    ("sweep", "price increase $5", "--param", "change:2"),
    ("sweep", "price increase $5", "--param", "nonsense"),
    ("ask", "NOPE", "price increase $5"),
    ("deploy", "--bundle", "{tmp}/a-file.txt"),
    ("load", "--from", "{tmp}/a-file.txt"),
    ("--home", "{tmp}/a-file.txt", "segments"),
    ("build", "--scale", "-1"),
    ("personas", "show", "SEG99"),
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=lambda a: " ".join(a)[:40])
def test_every_bad_path_or_value_is_one_line_with_no_traceback(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    (tmp_path / "a-file.txt").write_text("not a folder")
    (tmp_path / "empty-file").write_text("")
    result = run(*(a.format(tmp=tmp_path) for a in args))
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert not (tmp_path / "no-such-folder").exists()  # nothing written on the way


def test_piped_output_says_each_stage_as_it_runs(tmp_path: Path) -> None:
    """A log (stderr not a terminal) gets a line when each stage starts and finishes."""
    result = run("--home", str(tmp_path / "twin"), "generate", "--scale", "0.002",
                 "--out", str(tmp_path / "data"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    said = result.stderr.splitlines()
    assert any(line.endswith("generate: started") for line in said), said
    assert any(re.search(r"generate: done in [\d.]+ s$", line) for line in said), said


def test_the_readme_counts_what_the_code_has() -> None:
    from cdt.scenario import TEMPLATES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"`cdt templates` \| the (\d+) scenario templates", readme)
    assert said and int(said.group(1)) == len(TEMPLATES)
    corpus = DATA / "scenario_corpus.jsonl"
    phrasings = len([line for line in corpus.read_text().splitlines() if line.strip()])
    assert f"on the {phrasings} phrasings of" in readme
