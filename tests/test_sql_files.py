"""Every packaged stage SQL file parses with sqlglot for each dialect it runs on: common files
for both, per-dialect files for their own."""

from __future__ import annotations

import pytest
import sqlglot

from cdt.sqlfiles import read_sql, sql_names


def cases() -> list[tuple[str, str]]:
    out = []
    for folder, name in sql_names():
        dialects = ("duckdb", "snowflake") if folder == "common" else (folder,)
        out += [(dialect, name) for dialect in dialects]
    return out


@pytest.mark.parametrize(("dialect", "name"), cases(), ids=lambda v: str(v))
def test_stage_sql_parses(dialect: str, name: str) -> None:
    sql = read_sql(name, dialect).replace("/* sensitivity_band */ 0", "0")
    assert sqlglot.parse_one(sql, read=dialect) is not None
