"""The app's write guard for a local DuckDB twin: what Snowflake's app role does with grants.

DuckDB has no per-schema permissions, so a connection opened for the app (settings with
``access="app"``) checks every statement before DuckDB runs it. DuckDB's own parser splits the
SQL and says what kind each statement is; reads pass, and a write passes only when its target
(the table an INSERT, UPDATE, DELETE, CREATE, DROP, ALTER or COPY … FROM changes) is in a
schema the app may write: HISTORY, PERSONAS, AGENTS and APP. Everything else (RAW, EXTERNAL,
ANALYTICS, an unqualified or unreadable target, ATTACH, EXPORT, COPY … TO, extensions) is
refused before it runs. It fails closed: a write it cannot read is a write it refuses.
"""

from __future__ import annotations

import re

import duckdb

from cdt.errors import AccessError

#: Schemas the app may write: simulations and their history, persona versions, LLM call logs.
APP_WRITABLE = frozenset({"HISTORY", "PERSONAS", "AGENTS", "APP"})
PROTECTED = ("RAW", "EXTERNAL", "ANALYTICS")

_READS = {"SELECT", "EXPLAIN", "TRANSACTION"}
_NAME = r'(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)){0,2}'
_TARGETS = {
    "INSERT": re.compile(rf"\bINSERT\s+(?:OR\s+(?:REPLACE|IGNORE)\s+)?INTO\s+({_NAME})", re.I),
    "UPDATE": re.compile(rf"\bUPDATE\s+({_NAME})\s+SET\b", re.I),
    "DELETE": re.compile(rf"\b(?:DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+({_NAME})", re.I),
    "COPY": re.compile(rf"^\s*COPY\s+({_NAME})\s*(?:\([^)]*\)\s*)?FROM\b", re.I),
    "CREATE": re.compile(
        r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:UNIQUE\s+)?"
        rf"(?:TABLE|VIEW|SEQUENCE|MACRO|TYPE|INDEX)\s+(?:IF\s+NOT\s+EXISTS\s+)?({_NAME})"
        rf"(?:\s+ON\s+({_NAME}))?",
        re.I,
    ),
    "DROP": re.compile(
        rf"^\s*DROP\s+(?:TABLE|VIEW|SEQUENCE|MACRO|TYPE|INDEX)\s+(?:IF\s+EXISTS\s+)?({_NAME})",
        re.I,
    ),
    "ALTER": re.compile(rf"^\s*ALTER\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?({_NAME})", re.I),
}


def _strip(sql: str) -> str:
    """``sql`` without comments and string literals (a name inside either is not a target)."""
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    return re.sub(r"--[^\n]*", " ", sql)


def _schema(name: str) -> str | None:
    """The schema of a ``[catalog.]schema.table`` name, upper-cased; None when unqualified."""
    parts = [p.strip().strip('"') for p in re.findall(r'"[^"]+"|[^.\s]+', name)]
    return parts[-2].upper() if len(parts) >= 2 else None


def target(statement: str, kind: str) -> str | None:
    """The table ``statement`` (of DuckDB statement type ``kind``) would change, as written;
    None when it cannot be read."""
    pattern = _TARGETS.get(kind)
    match = pattern.search(_strip(statement)) if pattern else None
    if match is None:
        return None
    return (match.group(2) or match.group(1)) if kind == "CREATE" else match.group(1)


def check(sql: str) -> None:
    """Refuse ``sql`` unless every statement in it is a read or a write the app may make.

    Raises:
        AccessError: a statement would change a protected schema, or its target is unclear.
    """
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error:
        return  # DuckDB will reject it with its own parse error; nothing can run
    for statement in statements:
        kind = statement.type.name
        if kind in _READS:
            continue
        name = target(statement.query, kind)
        schema = _schema(name) if name else None
        if schema in APP_WRITABLE or _temporary(statement.query, kind):
            continue
        what = f"{kind} on {name}" if name else f"a {kind} statement"
        raise AccessError(
            f"the app may not run {what}: it can write only "
            f"{', '.join(sorted(APP_WRITABLE))}, never {', '.join(PROTECTED)}",
            fix="change source data, features, segments and models with the `cdt` CLI "
            "(e.g. `cdt build`), not from the app",
        )


def check_load(table: str) -> None:
    """Refuse a bulk load into ``table`` unless the app may write its schema."""
    if _schema(table) not in APP_WRITABLE:
        raise AccessError(
            f"the app may not load rows into {table}",
            fix="load data with `cdt load` or `cdt build` in a terminal",
        )


def _temporary(statement: str, kind: str) -> bool:
    return kind == "CREATE" and bool(
        re.match(
            r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\b", _strip(statement), re.I
        )
    )
