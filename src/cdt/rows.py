"""Insert rows whose columns include JSON (VARIANT on Snowflake) through bind parameters.

Column names come from the table's DDL (an allow-list); values are always bound. DuckDB casts
bound text to JSON itself; Snowflake needs PARSE_JSON, which VALUES does not allow, so its
insert is a SELECT of the binds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

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
