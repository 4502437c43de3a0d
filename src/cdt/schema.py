"""The twin's DDL: common SQL plus same-named per-dialect overrides, applied idempotently.

Layout of ``schemas/``::

    common/NN_name.sql     runs on every backend
    duckdb/NN_name.sql     DuckDB only; overrides common/NN_name.sql if both exist
    snowflake/NN_name.sql  Snowflake only; same rule
    roles/snowflake_roles.sql  spec §7 roles and grants, applied only by `cdt init --roles`

Every statement is ``CREATE ... IF NOT EXISTS``: applying twice changes nothing and loses no data.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, NamedTuple

from cdt.sqlfiles import read_sql

if TYPE_CHECKING:
    from cdt.backends.base import Backend
    from cdt.config import SnowflakeSettings

DIALECTS = ("duckdb", "snowflake")
_TABLE_RE = re.compile(r"CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+(\w+\.\w+)", re.IGNORECASE)
_DEFAULT_DATABASE = "SNOWMOBILE_DIGITAL_TWIN"
_DEFAULT_WAREHOUSES = {
    "load": "CDT_LOAD_WH",
    "ml": "CDT_ML_WH",
    "llm": "CDT_CORTEX_WH",
    "app": "CDT_APP_WH",
}


@dataclass(frozen=True)
class DDLFile:
    """One DDL file chosen for a dialect."""

    name: str
    origin: str  # "common" or the dialect
    text: str


def schemas_root() -> Traversable:
    """The packaged ``schemas/`` directory."""
    return files("cdt").joinpath("schemas")


def ddl_files(dialect: str) -> list[DDLFile]:
    """The DDL files for ``dialect`` in the order they run (by file name)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    chosen: dict[str, DDLFile] = {}
    for origin in ("common", dialect):
        folder = schemas_root().joinpath(origin)
        for entry in folder.iterdir():
            if entry.name.endswith(".sql"):
                chosen[entry.name] = DDLFile(entry.name, origin, entry.read_text(encoding="utf-8"))
    return [chosen[name] for name in sorted(chosen)]


def roles_sql(settings: SnowflakeSettings) -> str:
    """Spec §7 roles and grants, with the configured database and warehouse names.

    The names were validated as plain identifiers when the settings were loaded.
    """
    text = schemas_root().joinpath("roles", "snowflake_roles.sql").read_text(encoding="utf-8")
    text = re.sub(rf"\b{_DEFAULT_DATABASE}\b", settings.database, text)
    for kind, default in _DEFAULT_WAREHOUSES.items():
        text = re.sub(rf"\b{default}\b", getattr(settings.warehouses, kind), text)
    return text


@cache
def known_tables() -> frozenset[str]:
    """Every ``SCHEMA.TABLE`` that cdt's DDL creates, on any dialect: the allow-list."""
    tables: set[str] = set()
    for dialect in DIALECTS:
        for ddl in ddl_files(dialect):
            tables.update(name.upper() for name in _TABLE_RE.findall(ddl.text))
    return frozenset(tables)


def tables_for(dialect: str) -> list[str]:
    """The tables the DDL for ``dialect`` creates, in creation order."""
    return [name.upper() for ddl in ddl_files(dialect) for name in _TABLE_RE.findall(ddl.text)]


def apply(backend: Backend) -> int:
    """Create every schema and table that does not exist yet. Returns statements run.

    Raises:
        BackendError: a statement was rejected; on DuckDB nothing was changed.
    """
    from cdt.backends.base import CAP_TRANSACTIONAL_DDL, split_statements

    statements = [s for ddl in ddl_files(backend.dialect) for s in split_statements(ddl.text)]
    # Snowflake commits each DDL statement on its own; a transaction would promise nothing.
    guard = backend.transaction() if backend.has(CAP_TRANSACTIONAL_DDL) else nullcontext()
    with guard:
        for statement in statements:
            backend.execute(statement)
    return len(statements)


def table_columns(backend: Backend, table: str) -> list[tuple[str, str]]:
    """``(column, canonical type)`` pairs of an existing table, in order.

    Canonical types hide dialect spelling: VARCHAR, INTEGER, DECIMAL(p,s), DOUBLE, BOOLEAN,
    DATE, TIMESTAMP, JSON (VARIANT on Snowflake) and VECTOR.
    """
    schema_name, table_name = table.upper().split(".")
    rows = backend.query(
        read_sql("table_columns", backend.dialect), [schema_name, table_name]
    ).to_pylist()
    return [
        (
            str(row["column_name"]).lower(),
            canonical_type(row["data_type"], row["numeric_precision"], row["numeric_scale"]),
        )
        for row in rows
    ]


def canonical_type(data_type: str, precision: int | None = None, scale: int | None = None) -> str:
    """Map a type as DDL or either dialect's information_schema spells it to a canonical name."""
    spelled = data_type.strip().upper()
    base = spelled.split("(")[0].split("[")[0].strip()
    if spelled.endswith("]") or base == "VECTOR":
        return "VECTOR"
    if base in ("VARCHAR", "TEXT", "STRING", "CHAR"):
        return "VARCHAR"
    if base in ("INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
        return "INTEGER"
    if base in ("DOUBLE", "FLOAT", "REAL", "FLOAT8", "DOUBLE PRECISION"):
        return "DOUBLE"
    if base in ("TIMESTAMP", "TIMESTAMP_NTZ", "DATETIME"):
        return "TIMESTAMP"
    if base in ("VARIANT", "JSON"):
        return "JSON"
    if base in ("DECIMAL", "NUMBER", "NUMERIC"):
        match = re.search(r"\((\d+)\s*,\s*(\d+)\)", spelled)
        if match:
            precision, scale = int(match.group(1)), int(match.group(2))
        if precision is None or (precision == 38 and scale == 0):
            return "INTEGER"
        return f"DECIMAL({precision},{scale or 0})"
    return base


class DDLColumn(NamedTuple):
    """A column as the DDL declares it."""

    name: str
    canonical: str  # see canonical_type
    declared: str  # the type as written, e.g. VARCHAR(5), DECIMAL(6,2), TIMESTAMP_NTZ


#: How far from the load a date may lie: earlier than this year, or later than this many
#: years after the load, is outside its window (``-- check: dates`` in the DDL).
DATE_FLOOR = "1950-01-01"
DATE_YEARS_AHEAD = 10


@cache
def _table_body(table: str, dialect: str) -> str | None:
    """The text between ``CREATE TABLE IF NOT EXISTS TABLE (`` and its closing ``);``."""
    pattern = re.compile(
        rf"CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+{re.escape(table.upper())}\s*\((.*?)\n\);",
        re.IGNORECASE | re.DOTALL,
    )
    for ddl in ddl_files(dialect):
        match = pattern.search(ddl.text)
        if match:
            return match.group(1)
    return None


@cache
def checks(table: str, dialect: str = "duckdb") -> dict[str, str]:
    """Each column's declared check, from its DDL line's ``-- check: …`` comment: a range
    ``LO..HI`` (either end may be left out) or ``dates`` (the window around the load)."""
    body = _table_body(table, dialect) or ""
    found = re.findall(r"^\s+(\w+)\s+[A-Z_]+[^\n]*--\s*check:\s*(\S+)", body, re.M)
    return {name.lower(): check for name, check in found}


def check_text(check: str) -> str:
    """A check in words: "0..120", "at least 0", "between 1950-01-01 and 10 years after the
    load"."""
    if check == "dates":
        return f"between {DATE_FLOOR} and {DATE_YEARS_AHEAD} years after the load"
    low, _, high = check.partition("..")
    if low and high:
        return f"{low}..{high}"
    return f"at least {low}" if low else f"at most {high}"


def violation_sql(name: str, check: str) -> str:
    """SQL true when the (present, well-typed) value of column ``name`` breaks ``check``;
    built only from the column's checked name and the check's numbers."""
    quoted = f'"{name}"'
    if check == "dates":
        value = f"TRY_CAST({quoted} AS DATE)"
        return (
            f"({value} < DATE '{DATE_FLOOR}' OR "
            f"{value} > current_date + INTERVAL {DATE_YEARS_AHEAD} YEAR)"
        )
    low, _, high = check.partition("..")
    value = f"TRY_CAST({quoted} AS DOUBLE)"
    parts = [
        f"{value} < {float(low)!r}" if low else "",
        f"{value} > {float(high)!r}" if high else "",
    ]
    return "(" + " OR ".join(p for p in parts if p) + ")"


@cache
def ddl_columns(table: str, dialect: str = "duckdb") -> tuple[DDLColumn, ...]:
    """The columns of ``SCHEMA.TABLE`` as its DDL declares them, in order."""
    body = _table_body(table, dialect)
    if body is not None:
        body = re.sub(r"--[^\n]*", "", body)
        columns = re.findall(r"^\s+(\w+)\s+([A-Z_]+(?:\[\d+\]|\([\d,\s]+\))?)", body, re.M)
        return tuple(DDLColumn(name.lower(), canonical_type(kind), kind) for name, kind in columns)
    raise KeyError(f"no DDL for {table}")
