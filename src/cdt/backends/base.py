"""The backend contract: a small surface every database implements.

SQL always takes bind parameters (``?`` placeholders, qmark style, on every backend).
Identifiers never come from user input; table names pass ``check_table`` first.
Column names come back lower-case.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Literal

import polars as pl
import pyarrow as pa

from cdt.errors import BackendError

Params = Sequence[Any] | None
WorkKind = Literal["load", "ml", "llm", "app"]

#: Capability flags a backend may advertise instead of growing extra methods.
CAP_TRANSACTIONAL_DDL = "transactional_ddl"  # DDL inside a transaction rolls back with it
CAP_VECTOR = "vector"  # native vector columns and similarity functions
CAP_CORTEX = "cortex"  # SNOWFLAKE.CORTEX.* functions
CAP_ROLES = "roles"  # roles and grants
CAP_WAREHOUSES = "warehouses"  # per-kind-of-work compute

_QUALIFIED_TABLE = re.compile(r"^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$")


class Backend(ABC):
    """A connection to the twin's database (DuckDB file or Snowflake database)."""

    dialect: ClassVar[str]
    capabilities: ClassVar[frozenset[str]] = frozenset()

    @abstractmethod
    def execute(self, sql: str, params: Params = None) -> None:
        """Run one statement that returns no rows.

        Raises:
            BackendError: the database rejected the statement.
        """

    @abstractmethod
    def query(self, sql: str, params: Params = None) -> pa.Table:
        """Run one query and return its rows as an Arrow table with lower-case column names.

        Raises:
            BackendError: the database rejected the query.
        """

    @abstractmethod
    def load(self, table: str, data: pa.Table | Path | Sequence[Path]) -> int:
        """Append rows to ``table`` (``SCHEMA.TABLE``) matching columns by name.

        Args:
            table: an allow-listed, schema-qualified table name.
            data: an Arrow table, or one or more Parquet files.

        Returns:
            The number of rows written.

        Raises:
            BackendError: unknown table or the database rejected the rows.
        """

    @abstractmethod
    def close(self) -> None:
        """Release the connection. Safe to call twice."""

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one transaction: commit on success, roll back on error."""

    @contextmanager
    def released(self) -> Iterator[None]:
        """Hold no lock on the twin during the block (a simulation waiting on its LLM): each
        statement in it opens its own short connection. Backends without file locks ignore
        it."""
        yield

    @contextmanager
    def work(self, kind: WorkKind) -> Iterator[None]:
        """Declare the kind of work that follows (load, ml, llm, app).

        Backends with per-kind compute (Snowflake warehouses) switch to it; others ignore it.
        """
        yield

    # Helpers built on the contract ---------------------------------------------------------

    def has(self, capability: str) -> bool:
        """Whether this backend advertises ``capability``."""
        return capability in self.capabilities

    def query_df(self, sql: str, params: Params = None) -> pl.DataFrame:
        """``query`` as a Polars DataFrame."""
        frame = pl.from_arrow(self.query(sql, params))
        assert isinstance(frame, pl.DataFrame)
        return frame

    def scalar(self, sql: str, params: Params = None) -> Any:
        """The first column of the first row, or None when there are no rows."""
        table = self.query(sql, params)
        if table.num_rows == 0:
            return None
        return table.column(0)[0].as_py()

    def execute_script(self, script: str) -> int:
        """Run every statement of a ``;``-separated script; return how many ran."""
        statements = split_statements(script)
        for statement in statements:
            self.execute(statement)
        return len(statements)

    def __enter__(self) -> Backend:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def check_table(table: str, allowed: frozenset[str]) -> str:
    """Return the canonical ``SCHEMA.TABLE`` if it is allow-listed, else raise BackendError."""
    canonical = table.strip().upper()
    if not _QUALIFIED_TABLE.match(canonical) or canonical not in allowed:
        raise BackendError(
            f"table {table!r} is not one of cdt's tables",
            fix="use a schema-qualified name from the schemas/ DDL, e.g. RAW.CUSTOMERS",
        )
    return canonical


def lower_columns(table: pa.Table) -> pa.Table:
    """Rename an Arrow table's columns to lower case."""
    return table.rename_columns([name.lower() for name in table.column_names])


def split_statements(script: str) -> list[str]:
    """Split SQL text on ``;`` outside quotes and comments; drop empty statements."""
    statements: list[str] = []
    current: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(script):
        char = script[i]
        if quote:
            current.append(char)
            if char == quote:
                quote = None
        elif char in ("'", '"'):
            quote = char
            current.append(char)
        elif script.startswith("--", i):
            end = script.find("\n", i)
            i = len(script) if end == -1 else end
            continue
        elif char == ";":
            statements.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    statements.append("".join(current))
    return [s.strip() for s in statements if s.strip()]
