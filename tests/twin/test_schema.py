"""The DDL: parses for its dialect, matches the spec's column lists, and applies idempotently."""

from __future__ import annotations

import re

import pytest
import sqlglot

from cdt import api, schema
from cdt.backends.base import Backend, split_statements
from cdt.config import Settings, load_settings
from cdt.errors import BackendError
from tests.paths import ROOT

SPEC = ROOT / "docs" / "architecture.md"
_SPEC_TABLE = re.compile(r"CREATE OR REPLACE TABLE (\w+\.\w+) \((.*?)\n\);", re.S)
_SPEC_CTAS = re.compile(r"CREATE OR REPLACE TABLE (\w+\.\w+) AS\s+SELECT(.*?)\nFROM ", re.S)
_SPEC_COLUMN = re.compile(r"^\s+(\w+)\s+([A-Z_]+(?:\(\s*\d+(?:\s*,\s*\d+)?\s*\))?)", re.M)


def spec_tables() -> dict[str, list[tuple[str, str | None]]]:
    """The spec's tables: column names in order, with canonical types where the spec has them."""
    text = SPEC.read_text(encoding="utf-8")
    tables: dict[str, list[tuple[str, str | None]]] = {}
    for name, body in _SPEC_TABLE.findall(text):
        body = re.sub(r"--[^\n]*", "", body)
        tables[name] = [
            (c.lower(), schema.canonical_type(t)) for c, t in _SPEC_COLUMN.findall(body)
        ]
    for name, select in _SPEC_CTAS.findall(text):
        select = re.sub(r"--[^\n]*", "", select)
        items = [item.strip() for item in re.split(r",\s*\n", select) if item.strip()]
        columns = [re.split(r"\s+AS\s+|\.", item)[-1].strip().lower() for item in items]
        tables[name] = [(column, None) for column in columns]
    return tables


def test_the_spec_is_parsed_as_expected() -> None:
    tables = spec_tables()
    assert len(tables["RAW.CUSTOMERS"]) == 45
    assert tables["RAW.CUSTOMERS"][0] == ("customer_id", "VARCHAR")
    assert ("plan_price", "DECIMAL(6,2)") in tables["RAW.CUSTOMERS"]
    assert tables["ANALYTICS.CUSTOMER_FEATURES_ENRICHED"][-1] == ("adjusted_churn_risk", None)
    assert len(tables) == 10


@pytest.mark.parametrize("dialect", schema.DIALECTS)
def test_every_ddl_file_parses_for_its_dialect(dialect: str) -> None:
    for ddl in schema.ddl_files(dialect):
        for statement in split_statements(ddl.text):
            parsed = sqlglot.parse_one(statement, read=dialect)
            assert parsed is not None, (ddl.name, statement[:60])


def test_roles_sql_parses_as_snowflake() -> None:
    text = schema.roles_sql(load_settings().snowflake)
    statements = split_statements(text)
    assert len(statements) > 100
    for statement in statements:
        assert sqlglot.parse_one(statement, read="snowflake") is not None


def test_dialect_files_override_common_files_of_the_same_name() -> None:
    for dialect in schema.DIALECTS:
        names = [ddl.name for ddl in schema.ddl_files(dialect)]
        assert len(names) == len(set(names))
    duck = {ddl.name: ddl.origin for ddl in schema.ddl_files("duckdb")}
    assert duck["10_raw.sql"] == "common"
    assert duck["40_personas.sql"] == "duckdb"


def test_both_dialects_create_the_same_tables() -> None:
    assert schema.tables_for("duckdb") == schema.tables_for("snowflake")
    assert set(spec_tables()) <= set(schema.tables_for("duckdb"))


def test_created_tables_match_the_spec(backend: Backend) -> None:
    for table, spec_columns in spec_tables().items():
        created = schema.table_columns(backend, table)
        assert [name for name, _ in created] == [name for name, _ in spec_columns], table
        for (name, created_type), (_, spec_type) in zip(created, spec_columns, strict=True):
            if spec_type is not None:
                assert created_type == spec_type, f"{table}.{name}"


def test_variant_is_json_on_duckdb_and_variant_on_snowflake(backend: Backend) -> None:
    columns = dict(schema.table_columns(backend, "PERSONAS.PERSONA_DEFINITIONS"))
    assert columns["usage_profile"] == "JSON"
    raw_type = backend.scalar(
        "SELECT data_type FROM information_schema.columns WHERE upper(table_name) = ? "
        "AND lower(column_name) = ?",
        ["PERSONA_DEFINITIONS", "usage_profile"],
    )
    assert raw_type == ("JSON" if backend.dialect == "duckdb" else "VARIANT")


def test_persona_embeddings_are_a_vector_column() -> None:
    duck = next(d for d in schema.ddl_files("duckdb") if d.name == "40_personas.sql").text
    snow = next(d for d in schema.ddl_files("snowflake") if d.name == "40_personas.sql").text
    assert re.search(r"embedding\s+FLOAT\[384\]", duck)
    assert re.search(r"embedding\s+VECTOR\(FLOAT, 768\)", snow)
    statement = next(s for s in split_statements(snow) if "PERSONA_EMBEDDINGS" in s)
    parsed = sqlglot.parse_one(statement, read="snowflake")
    assert "VECTOR(FLOAT, 768)" in parsed.sql(dialect="snowflake")


@pytest.mark.parametrize("backend_settings", ["duckdb"], indirect=True)
def test_duckdb_persona_embeddings_hold_vectors(backend: Backend) -> None:
    backend.execute(
        "INSERT INTO PERSONAS.PERSONA_EMBEDDINGS (embedding_id, model_id, embedding) "
        "VALUES (?, ?, ?)",
        ["e1", "all-MiniLM-L6-v2", [0.5] * 384],
    )
    assert schema.table_columns(backend, "PERSONAS.PERSONA_EMBEDDINGS")[6] == (
        "embedding",
        "VECTOR",
    )


def test_init_twice_keeps_data(backend_settings: Settings) -> None:
    api.init(backend_settings)
    with api.connect(backend_settings) as backend:
        backend.execute("INSERT INTO RAW.CUSTOMERS (customer_id) VALUES (?)", ["keep-me"])
    second = api.init(backend_settings)
    assert second.statements > 20
    with api.connect(backend_settings) as backend:
        assert backend.scalar("SELECT customer_id FROM RAW.CUSTOMERS") == "keep-me"


def test_canonical_types() -> None:
    assert schema.canonical_type("NUMBER", 38, 0) == "INTEGER"
    assert schema.canonical_type("NUMBER", 6, 2) == "DECIMAL(6,2)"
    assert schema.canonical_type("DECIMAL(6, 2)") == "DECIMAL(6,2)"
    assert schema.canonical_type("TEXT") == "VARCHAR"
    assert schema.canonical_type("TIMESTAMP_NTZ") == "TIMESTAMP"
    assert schema.canonical_type("FLOAT[384]") == "VECTOR"
    assert schema.canonical_type("FLOAT") == "DOUBLE"


@pytest.mark.xfail(strict=True, raises=BackendError, reason="fakesnow cannot create VECTOR columns")
def test_fakesnow_gap_vector_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    import fakesnow

    from tests.conftest import FAKE_SNOWFLAKE_ENV

    for key, value in FAKE_SNOWFLAKE_ENV.items():
        monkeypatch.setenv(key, value)
    snow = next(d for d in schema.ddl_files("snowflake") if d.name == "40_personas.sql").text
    statement = next(s for s in split_statements(snow) if "PERSONA_EMBEDDINGS" in s)
    with fakesnow.patch(), api.connect(load_settings({"backend": "snowflake"})) as backend:
        backend.execute("CREATE SCHEMA IF NOT EXISTS PERSONAS")
        backend.execute(statement)
