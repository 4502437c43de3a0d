"""`cdt deploy`: the SQL-callable agents and the Streamlit in Snowflake app.

fakesnow runs none of AI_COMPLETE, VECTOR, Python procedures or CREATE STREAMLIT, so those are
checked as the SQL text sent at the connector boundary and parsed with sqlglot's Snowflake
dialect (their SQL bodies included). What the dialects share runs: the procedure's handler
(cdt.deploy.handler) scores on a DuckDB twin through the same Backend contract, and its
numbers equal `cdt simulate`'s.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
import sqlglot
from typer.testing import CliRunner

from cdt import api
from cdt.agents.plan import plan_simulation
from cdt.backends.snowpark import SnowparkBackend
from cdt.calibrate import latest_model
from cdt.cli import app
from cdt.config import Settings, load_settings
from cdt.deploy import bundle, handler, objects
from cdt.deploy.run import GRANTS
from cdt.errors import ConfigError, LLMError
from cdt.voices import stance
from tests.conftest import FAKE_SNOWFLAKE_ENV, FAKESNOW_NOPS
from tests.fakes import FakeSnowparkSession

DEPLOY_NOPS = [
    *FAKESNOW_NOPS,
    r"^\s*CREATE\s+OR\s+REPLACE\s+(FUNCTION|PROCEDURE|STREAMLIT)\b",
]


def _body(statement: str) -> str | None:
    found = re.search(r"\$\$(.*)\$\$", statement, re.S)
    return found.group(1) if found else None


def test_every_deploy_statement_and_body_parses_as_snowflake() -> None:
    files = objects.deploy_files(load_settings({"backend": "snowflake"}))
    assert [f.name for f in files] == sorted(f.name for f in files)
    for file in files:
        assert "{{" not in file.text, file.name
        for statement in file.statements:
            assert re.match(r"^(CREATE|GRANT)\b", statement), statement[:60]
            sqlglot.parse(statement, read="snowflake")  # raises on a syntax error
            body = _body(statement)
            if body is not None and "LANGUAGE SQL" in statement:
                query = body.strip()
                if not query.upper().startswith(("SELECT", "WITH")):
                    query = f"SELECT {query}"
                parsed = sqlglot.parse_one(query, read="snowflake")
                assert parsed.find(sqlglot.exp.Anonymous) or parsed.find(sqlglot.exp.Func)
    names = {f.name: f for f in files}
    ask = names["20_ask_persona.sql"].text
    assert "AI_COMPLETE(" in ask and "VECTOR_COSINE_SIMILARITY(" in ask and "AI_EMBED(" in ask
    assert "response_format" in ask and "model_parameters" in ask
    assert "SNOWFLAKE.CORTEX" not in "".join(f.text for f in files)
    procedure = names["40_simulate_scenario.sql"].text
    assert "HANDLER = 'cdt.deploy.handler.simulate_scenario'" in procedure
    returned = re.search(r"RETURNS TABLE \((.*?)\)\nLANGUAGE", procedure, re.S)
    assert returned is not None
    columns = [line.split()[0] for line in returned.group(1).strip().splitlines()]
    assert tuple(columns) == handler.COLUMNS


def test_settings_reach_the_sql_only_as_checked_names() -> None:
    settings = load_settings({"backend": "snowflake", "llm.cortex_reaction_model": "mistral-7b"})
    rendered = "".join(f.text for f in objects.deploy_files(settings))
    assert "model => 'mistral-7b'" in rendered
    hostile = load_settings({"llm.cortex_persona_model": "x', prompt => 'y"})
    with pytest.raises(ConfigError, match=r"llm\.cortex_persona_model"):
        objects.deploy_files(hostile)


def test_a_dry_run_prints_the_sql_and_changes_nothing(calibrated_twin: Settings) -> None:
    database = calibrated_twin.database_path
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    result = CliRunner().invoke(app, ["deploy", "--dry-run"])
    assert result.exit_code == 0, result.output
    for name in (
        "PERSONAS.GENERATE_PERSONA",
        "AGENTS.ASK_PERSONA",
        "AGENTS.AGGREGATE_REACTIONS",
        "AGENTS.SIMULATE_SCENARIO",
        "STREAMLIT AGENTS.SNOWMOBILE_DIGITAL_TWIN",
    ):
        assert re.search(rf"CREATE OR REPLACE \w+ {name.split()[-1]}\b", result.output), name
    assert "GRANT" not in result.output  # grants only with --roles
    assert "nothing was changed" in result.output
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    with_roles = api.deploy(calibrated_twin, dry_run=True, roles=True)
    assert GRANTS in [f.name for f in with_roles.files]


def test_deploying_to_duckdb_is_refused_with_the_fix(calibrated_twin: Settings) -> None:
    import os

    cdt = Path(sys.executable).parent / "cdt"
    result = subprocess.run(
        [str(cdt), "deploy"], capture_output=True, text=True, env=dict(os.environ), timeout=120
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: cdt deploy creates Snowflake objects")
    assert "--backend snowflake" in result.stderr and "--dry-run" in result.stderr


@pytest.mark.snowflake
def test_deploy_on_snowflake_uploads_then_creates_every_object_twice_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fakesnow

    from cdt.backends.snowflake import SnowflakeBackend

    for key, value in FAKE_SNOWFLAKE_ENV.items():
        monkeypatch.setenv(key, value)
    backend_settings = load_settings({"backend": "snowflake"})
    sent: list[str] = []
    original = SnowflakeBackend.execute

    def recording(self: SnowflakeBackend, sql: str, params: Any = None) -> None:
        sent.append(sql)
        original(self, sql, params)

    monkeypatch.setattr(SnowflakeBackend, "execute", recording)
    with fakesnow.patch(nop_regexes=DEPLOY_NOPS):
        api.init(backend_settings)
        sent.clear()
        first = api.deploy(backend_settings)
        once = list(sent)
        sent.clear()
        second = api.deploy(backend_settings, roles=True)
    work = [s for s in once if not s.startswith("USE WAREHOUSE")]
    kinds = [re.match(r"^(CREATE OR REPLACE \w+|CREATE STAGE|PUT|GRANT)", s) for s in work]
    order = [k.group(1) for k in kinds if k]
    assert order == [
        "CREATE STAGE", *["PUT"] * 8, "CREATE OR REPLACE FUNCTION",
        "CREATE OR REPLACE FUNCTION", "CREATE OR REPLACE FUNCTION",
        "CREATE OR REPLACE PROCEDURE", "CREATE OR REPLACE STREAMLIT",
    ]  # fmt: skip
    puts = [s for s in work if s.startswith("PUT")]
    assert all("@AGENTS.CDT_CODE" in s and "OVERWRITE=TRUE" in s for s in puts)
    assert first.executed == 6 and len(first.uploads) == 8
    assert sum("@AGENTS.CDT_CODE/words" in s for s in puts) == len(objects.WORD_FILES)
    assert second.executed == first.executed + 9  # the same objects, and the grants
    assert [s for s in sent if not s.startswith(("GRANT", "PUT", "USE"))] == [
        s for s in once if not s.startswith(("PUT", "USE"))
    ]


@pytest.mark.parametrize(
    "text", ["price increase $5", "Glacier goes up $2 while Avalanche drops $5"]
)  # one change, and several (each plan at its own, bound per plan in the SQL)
def test_the_handler_scores_in_the_warehouse_as_simulate_does(
    calibrated_twin: Settings, text: str
) -> None:
    with api.connect(calibrated_twin) as backend:
        rows = handler.simulate_rows(backend, text, words=False)
        model = latest_model(backend)
        plan = plan_simulation(backend, model, api.parse_scenario(text))
        some = handler.simulate_rows(backend, text, ["SEG02", "SEG01"], words=False)
    assert {r["segment_id"] for r in rows} == set(plan.predictions)
    assert [r["customer_count"] for r in rows] == sorted(
        (r["customer_count"] for r in rows), reverse=True
    )
    for row in rows:
        expected = plan.predictions[row["segment_id"]]
        assert set(row) == set(handler.COLUMNS)
        assert row["campaign_type"] == "Price Change Notice"
        assert row["affected_customers"] == pytest.approx(expected.customers, abs=1e-9)
        assert row["share_churned"] == pytest.approx(expected.shares["churned"], abs=1e-9)
        assert row["expected_churners"] == pytest.approx(expected.churners, rel=1e-9)
        # the message's own churners: against the same customers in a month without it
        assert expected.added_churners is not None
        assert row["added_churners"] == pytest.approx(expected.added_churners, abs=1e-6)
        assert row["revenue_at_risk"] == pytest.approx(expected.revenue, rel=1e-9)
        assert row["reaction"] is None  # no words asked for
        # the stance is the same as `cdt simulate`'s: from the shares, words or none
        said = stance.from_shares(expected.shares, adverse=api.parse_scenario(text).adverse())
        assert row["likely_action"] == said.likely_action
        assert row["sentiment_score"] == pytest.approx(said.sentiment_score, abs=1e-3)
    assert sorted(r["segment_id"] for r in some) == [
        s for s in ("SEG01", "SEG02") if s in plan.predictions
    ]


def test_a_scenario_the_history_cannot_ground_gets_no_numbers(calibrated_twin: Settings) -> None:
    with api.connect(calibrated_twin) as backend:
        rows = handler.simulate_rows(backend, "we rename the company", words=False)
    assert rows
    for row in rows:
        assert row["share_churned"] is None and row["expected_churners"] is None
        assert "not grounded" in (row["notes"] or "")


def test_the_handler_plans_as_simulate_does(calibrated_twin: Settings) -> None:
    text = "price increase $5 for customers on Powder"
    with api.connect(calibrated_twin) as backend:
        rows = handler.simulate_rows(backend, text, words=False)
        plan = plan_simulation(backend, latest_model(backend), api.parse_scenario(text))
        nobody = handler.simulate_rows(
            backend, "price increase $3 for customers in Austin", words=False
        )
        with pytest.raises(ConfigError, match="implausible"):
            handler.simulate_rows(backend, "Glacier goes up $40 a month", words=False)
        with pytest.raises(ConfigError, match="unknown segment"):
            handler.simulate_rows(backend, text, ["SEG99"], words=False)
    assert {r["notes"] for r in rows} == {"; ".join(plan.warnings) or None}
    # nobody reached: every segment says why (the place, then the filter that matched nobody)
    assert nobody and all(r["affected_customers"] == 0 for r in nobody)
    for row in nobody:
        assert "place 'Austin' is not a city or DMA name" in row["notes"]
        assert "the places alone match no customer" in row["notes"]


def test_the_handler_reads_the_text_with_its_reader_as_simulate_does(
    calibrated_twin: Settings,
) -> None:
    """Under Cortex, `cdt simulate` reads a text by the rules and by the LLM (api.understand ->
    agents.reading); SIMULATE_SCENARIO's P_READER does the same, so a field only the LLM read
    reaches the warehouse's numbers too."""
    from cdt.agents.reading import read
    from cdt.llm.client import LLMClient
    from tests.fakes import ScriptedLLM

    text = "Summit goes up $5 a month"
    answer = json.dumps({"kind": "price_change", "price_delta": 5, "plans": ["Summit"],
                         "tenure_min_months": 24})  # fmt: skip
    with api.connect(calibrated_twin) as backend:
        rules = handler.simulate_rows(backend, text, words=False)
        both = handler.simulate_rows(
            backend, text, words=False, reader=LLMClient(ScriptedLLM([answer]))
        )
        scenario = read(backend, LLMClient(ScriptedLLM([answer])), api.parse_scenario(text))
        plan = plan_simulation(backend, latest_model(backend), scenario)
    assert scenario.tenure_min_months == 24 and scenario.source == "rules+llm"
    assert {r["segment_id"]: r["affected_customers"] for r in both} == pytest.approx(
        {s: p.customers for s, p in plan.predictions.items()}
    )
    assert sum(r["affected_customers"] for r in both) < sum(r["affected_customers"] for r in rules)
    assert all("tenure_min_months" in (r["notes"] or "") for r in both)  # and it says so
    failing = LLMClient(ScriptedLLM([LLMError("Cortex is down")]))
    with api.connect(calibrated_twin) as backend:
        kept = handler.simulate_rows(backend, text, words=False, reader=failing)
    assert [r["affected_customers"] for r in kept] == [r["affected_customers"] for r in rules]


def test_deploy_renders_the_reader_from_the_scenario_parser() -> None:
    def reader(values: dict[str, str]) -> str:
        procedure = next(
            f for f in objects.deploy_files(load_settings(values)) if f.name.startswith("40_")
        )
        found = re.search(r"P_READER VARCHAR DEFAULT '([^']*)'", procedure.text)
        assert found is not None
        return found.group(1)

    assert reader({"llm.cortex_persona_model": "llama3.1-70b"}) == "llama3.1-70b"
    assert reader({"llm.scenario_parser": "rules"}) == handler.RULES


ANSWER = {
    "takes_it": "Fine, five more a month. The coverage is good where I live, so I'll pay it.",
    "lets_it_pass": "Five more bucks? I'll grumble, but it's not worth the hassle of moving.",
    "complains": "Another $5 for the same plan? I'm calling to complain about it this week.",
    "threatens_to_leave": "One more rise like this and I'm shopping for another carrier.",
    "leaves": "I moved my line to a cheaper carrier. Five more a month was the last straw.",
    "upgrades": "If I'm paying more anyway, I'll move up to a plan with more data.",
    "downgrades": "I'm dropping to a cheaper plan so my bill stays where it was.",
    "why": "My bill is already high for what I get from the plan.",
    "what_would_change_my_mind": "Something extra for the money, like more data.",
}


def test_over_a_snowpark_session_the_handler_voices_each_segment_through_the_gate(
    persona_twin: Settings,
) -> None:
    # The procedure's session is Snowpark's; here a stand-in over the DuckDB file. The LLM is
    # scripted (AI_COMPLETE is Snowflake-only); the embedder and the gate are the real ones,
    # from the files the procedure imports.
    from cdt.deploy.bundle import word_files
    from cdt.llm.client import LLMClient
    from cdt.llm.embed import MiniLMEmbedder
    from tests.fakes import ScriptedLLM

    con = duckdb.connect(str(persona_twin.database_path))
    session = FakeSnowparkSession(con)
    backend = SnowparkBackend(session)
    llm = ScriptedLLM([json.dumps(ANSWER)])
    text = "price increase $5"
    try:
        rows = handler.simulate_rows(
            backend, text, client=LLMClient(llm), embedder=MiniLMEmbedder(word_files()[0].parent)
        )
    finally:
        con.close()
    assert rows and llm.requests
    assert all(text not in q for q, _ in session.sent)  # the scenario is a bind, never SQL
    assert any(text in r.messages[-1].content for r in llm.requests)
    for row in rows:
        shares = {k.removeprefix("share_"): v for k, v in row.items() if k.startswith("share_")}
        said = stance.from_shares(shares, adverse=True)  # a price rise: no one is pleased
        # the stance is the data's; the words only write it
        assert row["likely_action"] == said.likely_action
        assert row["sentiment_score"] == said.sentiment_score
        assert row["reaction"]["likely_action"] == said.likely_action
        voiced = stance.voiced(shares, most=3, min_share=0.05)
        assert [v["outcome"] for v in row["voices"]] == list(voiced)
        assert {v["source"] for v in row["voices"]} <= {"llm", "verbatim", "composed"}
        assert row["reaction"]["sample_verbatim"] == row["voices"][0]["text"]
        assert "voices from" in row["notes"]
    shown = [v for r in rows for v in r["voices"] if v["source"] == "llm"]
    assert shown and all(v["text"] in ANSWER.values() for v in shown)


def test_the_handler_voices_a_segment_as_simulate_does(persona_twin: Settings) -> None:
    """One path: with the data writing, the procedure's voices are `cdt simulate`'s."""
    from cdt.deploy.bundle import word_files
    from cdt.llm.embed import MiniLMEmbedder

    text = "Glacier goes up $4 a month"
    result = api.simulate(persona_twin, api.parse_scenario(text))
    with api.connect(persona_twin) as backend:
        rows = handler.simulate_rows(backend, text, embedder=MiniLMEmbedder(word_files()[0].parent))
    local = {r["segment_id"]: r for r in result.segments if r.get("voices")}
    assert local and {r["segment_id"] for r in rows if r["voices"]} == set(local)
    for row in rows:
        if row["voices"]:
            theirs = local[row["segment_id"]]["voices"]
            assert [_said(v) for v in row["voices"]] == [_said(v) for v in theirs]


def _said(voice: dict[str, Any]) -> tuple[str, str, str]:
    return voice["outcome"], voice["text"], voice["source"]


def test_the_procedure_runs_a_handler_that_exists_with_its_arguments() -> None:
    import inspect

    procedure = next(f for f in objects.deploy_files(load_settings()) if f.name.startswith("40_"))
    name = re.search(r"HANDLER = 'cdt\.deploy\.handler\.(\w+)'", procedure.text)
    assert name is not None
    function = getattr(handler, name.group(1))
    arguments = re.findall(r"^\s+(P_\w+) ", procedure.text, re.M)
    assert len(inspect.signature(function).parameters) == 1 + len(arguments)  # the session
    returns = re.search(r"RETURNS TABLE \((.*?)\n\)", procedure.text, re.S)
    assert returns is not None
    columns = [line.split()[0].lower() for line in returns.group(1).strip().splitlines()]
    assert tuple(columns) == handler.COLUMNS
    for path in ("cdt.zip", *(f"words/{f}" for f in objects.WORD_FILES)):
        assert f"'@AGENTS.CDT_CODE/{path}'" in procedure.text


def test_the_snowpark_backend_writes_in_transactions(twin: Settings) -> None:
    con = duckdb.connect(str(twin.database_path))
    backend = SnowparkBackend(FakeSnowparkSession(con))
    try:
        rows = pa.table({"customer_id": ["C-X"], "segment_id": ["SEG01"]})
        with pytest.raises(RuntimeError), backend.transaction():
            backend.execute("DELETE FROM ANALYTICS.CUSTOMER_SEGMENTS")
            raise RuntimeError("interrupted")
        assert backend.scalar("SELECT COUNT(*) FROM ANALYTICS.CUSTOMER_SEGMENTS") == 1000
        assert backend.load("ANALYTICS.CUSTOMER_SEGMENTS", rows) == 1
        found = backend.query("SELECT segment_id FROM ANALYTICS.CUSTOMER_SEGMENTS WHERE "
                              "customer_id = ?", ["C-X"])  # fmt: skip
        assert found.column_names == ["segment_id"] and found.num_rows == 1
    finally:
        con.close()


def test_the_active_session_outside_snowflake_is_a_clear_error() -> None:
    settings = load_settings({"backend": "snowflake", "snowflake.session": "active"})
    with pytest.raises(ConfigError, match="needs Snowpark") as caught:
        api.connect(settings)
    assert "connector" in (caught.value.fix or "")


def _imported_packages(modules: list[str]) -> set[str]:
    """Third-party packages that cdt's own modules import (directly), once ``modules`` are
    imported in a fresh interpreter."""
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print('\\n'.join(sorted(m.__file__ for n, m in sys.modules.items() "
        "if n.startswith('cdt') and getattr(m, '__file__', None))))"
    )
    files = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"cdt", "__future__"}


CONDA = {"sklearn": "scikit-learn", "snowflake": "snowflake-snowpark-python"}
CLIENT_ONLY = {
    # Imported by modules the handler loads but only on paths it never takes (local LLMs and
    # embedders, the connector backend, typing-only imports, the backtest's calibration curve).
    "xllamacpp", "jinja2", "ollama", "sentence_transformers", "transformers", "duckdb", "torch",
    "fakesnow", "statsmodels",
}  # fmt: skip


def test_the_procedure_declares_every_package_its_code_imports() -> None:
    modules = ["cdt.deploy.handler", "cdt.agents.grounding", "cdt.agents.targeting",
               "cdt.calibrate", "cdt.calibrate.score_sql", "cdt.scenario",
               "cdt.segment.statistics", "cdt.backends.snowpark", "cdt.agents.voicing",
               "cdt.voices.speak", "cdt.voices.meaning", "cdt.llm.minilm",
               "cdt.llm.cortex"]  # fmt: skip
    needed = {CONDA.get(p, p) for p in _imported_packages(modules) - CLIENT_ONLY}
    in_the_zip = {"vaderSentiment"}  # pure Python, not on Snowflake's channel: in cdt.zip
    assert needed - in_the_zip <= set(objects.PACKAGES), needed - set(objects.PACKAGES)
    with zipfile.ZipFile(bundle.build(Path(__import__("tempfile").mkdtemp())).files[0][0]) as z:
        assert "vaderSentiment/vaderSentiment.py" in z.namelist()


def test_the_bundle_ships_a_runnable_cdt(tmp_path: Path) -> None:
    built = bundle.build(tmp_path / "bundle")
    targets = sorted(target for _, target in built.files)
    assert targets == ["", "app", "app", "app", *["words"] * len(objects.WORD_FILES)]
    archive = tmp_path / "bundle" / "cdt.zip"
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        opened.extractall(tmp_path / "unpacked")
    assert {"cdt/deploy/handler.py", "cdt/sql/deploy/40_simulate_scenario.sql",
            "cdt/schemas/common/30_analytics.sql", "cdt/app/main.py"} <= names  # fmt: skip
    assert not any("__pycache__" in n for n in names)
    check = (
        "import sys; sys.path.insert(0, sys.argv[1]); import cdt, cdt.deploy.handler; "
        "from cdt.schema import known_tables; from cdt.sqlfiles import read_sql; "
        "assert cdt.__file__.startswith(sys.argv[1]), cdt.__file__; "
        "assert 'ANALYTICS.CUSTOMER_SEGMENTS' in known_tables(); "
        "read_sql('response_population', 'snowflake'); print('ok')"
    )
    ran = subprocess.run(
        [sys.executable, "-c", check, str(tmp_path / "unpacked")], capture_output=True, text=True
    )
    assert ran.stdout.strip() == "ok", ran.stderr
    # Inside Snowflake the zip itself is on the path, and the gate's files sit in the import
    # directory: VADER runs from the zip with its lexicons from there, MiniLM from its files.
    imports = tmp_path / "imports"
    imports.mkdir()
    for path, target in built.files:
        if target == "words":
            (imports / path.name).symlink_to(path)
    gate = (
        "import os, sys; sys.path.insert(0, sys.argv[1]); os.environ['CDT_VADER_LEXICONS'] = "
        "sys.argv[2]; import vaderSentiment; assert '.zip' in vaderSentiment.__file__; "
        "from pathlib import Path; from cdt.voices.signals import tone; "
        "from cdt.llm.embed import MiniLMEmbedder; "
        "v = MiniLMEmbedder(Path(sys.argv[2])).embed(['a price rise']); "
        "good, bad = tone('I love this, great value'), tone('This is awful and I hate it'); "
        "print(good > 0.5 > -0.5 > bad, v.shape)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", gate, str(archive), str(imports)], capture_output=True, text=True
    )
    assert ran.stdout.strip() == "True (1, 384)", ran.stderr
    again = bundle.build(tmp_path / "again")
    assert again.digest == built.digest  # reproducible: the app unpacks each version once
    environment = (tmp_path / "bundle" / "environment.yml").read_text(encoding="utf-8")
    assert "  - streamlit\n" in environment and "snowflake-snowpark-python" not in environment


def test_the_app_bundle_runs_the_app(
    twin: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    written = api.deploy_bundle(twin, tmp_path / "app")
    assert {p.name for p in written} == {
        "cdt.zip", "streamlit_app.py", "environment.yml", "snowflake.yml",
    }  # fmt: skip
    yml = (tmp_path / "app" / "snowflake.yml").read_text(encoding="utf-8")
    assert "type: streamlit" in yml and "main_file: streamlit_app.py" in yml
    # Inside Snowflake the main file selects the active session and Cortex; here the
    # environment already names the local twin, which the main file leaves as it is (through
    # monkeypatch, so that nothing it sets outlives the test).
    for name, value in {
        "CDT_BACKEND": "duckdb",
        "CDT_SNOWFLAKE_SESSION": "connector",
        "CDT_LLM_PROVIDER": "auto",
        "CDT_EMBEDDER": "auto",
    }.items():
        monkeypatch.setenv(name, value)
    import tempfile

    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # where it unpacks
    test = AppTest.from_file(str(tmp_path / "app" / "streamlit_app.py"), default_timeout=120)
    test.run()
    assert not test.exception, [e.value for e in test.exception]
    assert any("customer digital twin" in str(t.value) for t in test.title)
    assert list((tmp_path / "tmp").glob("cdt-*/cdt/app/main.py"))
