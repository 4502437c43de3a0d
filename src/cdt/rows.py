"""Rows in and out of tables whose columns include JSON (VARIANT on Snowflake): inserted
through bind parameters, and read back decoded, both driven by the table's DDL.

Column names come from the table's DDL (an allow-list); values are always bound. DuckDB casts
bound text to JSON itself; Snowflake needs PARSE_JSON, which VALUES does not allow, so its
insert is a SELECT of the binds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from cdt import schema
from cdt.backends.base import Backend, check_table


def insert_rows(backend: Backend, table: str, rows: Sequence[Mapping[str, object]]) -> int:
    """Insert ``rows`` (dicts keyed by column) into an allow-listed table; returns the count.

    Values of JSON columns are serialised with json.dumps (None stays NULL); unknown keys
    raise KeyError.
    """
    if not rows:
        return 0
    target = check_table(table, schema.known_tables())
    declared = {c.name: c for c in schema.ddl_columns(target, backend.dialect)}
    columns = list(rows[0])
    unknown = [c for c in columns if c not in declared]
    if unknown:
        raise KeyError(f"{target} has no column(s) {unknown}")
    is_json = [declared[c].canonical == "JSON" for c in columns]
    if backend.dialect == "snowflake":
        marks = ", ".join("PARSE_JSON(?)" if j else "?" for j in is_json)
        sql = f"INSERT INTO {target} ({', '.join(columns)}) SELECT {marks}"
    else:
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {target} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    for row in rows:
        values = [
            json.dumps(row[c], default=str) if j and row[c] is not None else row[c]
            for c, j in zip(columns, is_json, strict=True)
        ]
        backend.execute(sql, values)
    return len(rows)


@cache
def json_columns(dialect: str, *tables: str) -> frozenset[str]:
    """The names of the JSON (VARIANT) columns of ``tables``, as their DDL declares them."""
    return frozenset(
        c.name
        for table in tables
        for c in schema.ddl_columns(check_table(table, schema.known_tables()), dialect)
        if c.canonical == "JSON"
    )


def decode_rows(
    backend: Backend, rows: Iterable[Mapping[str, Any]], *tables: str
) -> list[dict[str, Any]]:
    """``rows`` read from ``tables`` (one, or those a query joins), each JSON column's text
    decoded: DuckDB and Snowflake both return JSON values as text. Other columns are left as
    they are, whatever they look like; NULL stays None.

    Raises:
        ValueError: a JSON column holds text that is not JSON (the table is damaged).
    """
    decoded = json_columns(backend.dialect, *tables)
    return [
        {
            key: json.loads(value) if key in decoded and isinstance(value, str) else value
            for key, value in row.items()
        }
        for row in rows
    ]
