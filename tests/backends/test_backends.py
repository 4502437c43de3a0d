"""The backend contract, run over DuckDB and Snowflake (fakesnow) alike."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cdt.backends.base import Backend, check_table, split_statements
from cdt.errors import BackendError
from cdt.schema import known_tables


def _zip_rows(n: int) -> pa.Table:
    return pa.table(
        {
            "zip_code": [f"{i:05d}" for i in range(n)],
            "state_code": ["CO"] * n,
            "total_population": list(range(n)),
            "median_age": [35.5] * n,
        }
    )


def test_query_returns_arrow_with_lower_case_columns(backend: Backend) -> None:
    table = backend.query("SELECT 1 AS Answer, 'x' AS SomeText")
    assert table.column_names == ["answer", "sometext"]
    assert table.to_pylist() == [{"answer": 1, "sometext": "x"}]


def test_bind_parameters_are_values_not_sql(backend: Backend) -> None:
    hostile = "x'); DROP TABLE RAW.CUSTOMERS; --"
    backend.execute(
        "INSERT INTO RAW.CUSTOMERS (customer_id, zip_code) VALUES (?, ?)", [hostile, "80202"]
    )
    assert backend.scalar(
        "SELECT customer_id FROM RAW.CUSTOMERS WHERE zip_code = ?", ["80202"]
    ) == (hostile)
    assert backend.scalar("SELECT count(*) FROM RAW.CUSTOMERS") == 1


def test_load_arrow_matches_columns_by_name(backend: Backend) -> None:
    rows = _zip_rows(25).select(["total_population", "zip_code", "median_age", "state_code"])
    assert backend.load("external.zip_demographics", rows) == 25
    got = backend.query(
        "SELECT zip_code, total_population, median_age FROM EXTERNAL.ZIP_DEMOGRAPHICS "
        "ORDER BY zip_code"
    )
    assert got.column("zip_code").to_pylist()[:2] == ["00000", "00001"]
    assert got.column("total_population").to_pylist()[24] == 24
    assert float(got.column("median_age")[0].as_py()) == 35.5


def test_load_parquet_file(backend: Backend, tmp_path: Path) -> None:
    path = tmp_path / "zips.parquet"
    pq.write_table(_zip_rows(10), path)
    assert backend.load("EXTERNAL.ZIP_DEMOGRAPHICS", path) == 10
    assert backend.scalar("SELECT count(*) FROM EXTERNAL.ZIP_DEMOGRAPHICS") == 10


def test_load_rejects_tables_outside_the_allow_list(backend: Backend) -> None:
    with pytest.raises(BackendError, match="not one of cdt's tables"):
        backend.load("RAW.CUSTOMERS; DROP TABLE RAW.CUSTOMERS", _zip_rows(1))
    with pytest.raises(BackendError, match="not one of cdt's tables"):
        backend.load("RAW.NOPE", _zip_rows(1))


def test_transaction_rolls_back_on_error(backend: Backend) -> None:
    with pytest.raises(RuntimeError), backend.transaction():
        backend.execute("INSERT INTO RAW.CUSTOMERS (customer_id) VALUES (?)", ["c1"])
        raise RuntimeError("boom")
    assert backend.scalar("SELECT count(*) FROM RAW.CUSTOMERS") == 0
    with backend.transaction():
        backend.execute("INSERT INTO RAW.CUSTOMERS (customer_id) VALUES (?)", ["c2"])
    assert backend.scalar("SELECT count(*) FROM RAW.CUSTOMERS") == 1


def test_rejected_statement_is_a_backend_error(backend: Backend) -> None:
    with pytest.raises(BackendError, match="rejected"):
        backend.execute("SELECT * FROM RAW.DOES_NOT_EXIST")


def test_empty_result_keeps_its_columns(backend: Backend) -> None:
    table = backend.query("SELECT customer_id, age FROM RAW.CUSTOMERS WHERE 1 = 0")
    assert table.num_rows == 0
    assert table.column_names == ["customer_id", "age"]


def test_work_kinds_are_accepted(backend: Backend) -> None:
    for kind in ("load", "ml", "llm", "app"):
        with backend.work(kind):  # type: ignore[arg-type]
            assert backend.scalar("SELECT 1") == 1


def test_check_table_canonicalises() -> None:
    assert check_table(" raw.customers ", known_tables()) == "RAW.CUSTOMERS"


def test_split_statements_respects_quotes_and_comments() -> None:
    script = "SELECT ';' AS a; -- a comment; with a semicolon\nSELECT 2;;\n"
    assert split_statements(script) == ["SELECT ';' AS a", "SELECT 2"]
