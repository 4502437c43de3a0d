"""The twin over a Snowpark session: how cdt runs inside Snowflake (the Streamlit in Snowflake
app, the AGENTS.SIMULATE_SCENARIO procedure), where there are no credentials to connect with
and the session already carries the role and warehouse it was granted.

Every statement goes through ``session.sql(sql, params)`` with the same ``?`` binds as the
connector backend; results come back through pandas as Arrow. Warehouses are the session's:
``work`` switches nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq

from cdt.backends.base import (
    CAP_CORTEX,
    CAP_VECTOR,
    Backend,
    Params,
    check_table,
    lower_columns,
)
from cdt.errors import BackendError, ConfigError
from cdt.schema import known_tables


class SnowparkBackend(Backend):
    """The twin's database through a Snowpark ``session``."""

    dialect: ClassVar[str] = "snowflake"
    capabilities: ClassVar[frozenset[str]] = frozenset({CAP_VECTOR, CAP_CORTEX})

    def __init__(self, session: Any) -> None:
        self.session = session

    def _frame(self, sql: str, params: Params) -> Any:
        return self.session.sql(sql, params=list(params) if params is not None else None)

    def execute(self, sql: str, params: Params = None) -> None:
        try:
            self._frame(sql, params).collect()
        except Exception as exc:  # Snowpark raises its own SnowparkSQLException
            raise BackendError(f"Snowflake rejected a statement: {exc}") from exc

    def query(self, sql: str, params: Params = None) -> pa.Table:
        try:
            frame = self._frame(sql, params).to_pandas()
        except Exception as exc:
            raise BackendError(f"Snowflake rejected a query: {exc}") from exc
        return lower_columns(pa.Table.from_pandas(frame, preserve_index=False))

    def load(self, table: str, data: pa.Table | Path | Sequence[Path]) -> int:
        """Append rows with Snowpark's ``write_pandas`` (no stage of cdt's own needed)."""
        target = check_table(table, known_tables())
        if isinstance(data, pa.Table):
            tables = [data]
        else:
            tables = [pq.read_table(p) for p in ([data] if isinstance(data, Path) else data)]
        schema, name = target.split(".")
        written = 0
        for part in tables:
            if part.num_rows == 0:
                continue
            frame = part.rename_columns([c.upper() for c in part.column_names]).to_pandas()
            try:
                self.session.write_pandas(
                    frame, name, schema=schema, auto_create_table=False, overwrite=False
                )
            except Exception as exc:
                raise BackendError(f"loading {target} failed: {exc}") from exc
            written += part.num_rows
        return written

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("BEGIN")
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def close(self) -> None:
        """The session belongs to Snowflake (the app or the procedure): it stays open."""


def active_backend() -> SnowparkBackend:
    """The backend over Snowpark's active session.

    Raises:
        ConfigError: Snowpark is not installed, or there is no active session (outside
            Snowflake).
    """
    try:
        from snowflake.snowpark.context import get_active_session
    except ImportError as exc:
        raise ConfigError(
            "snowflake.session = 'active' needs Snowpark, which runs inside Snowflake",
            fix="outside Snowflake, use snowflake.session = 'connector' (the default) with a "
            "connection in connections.toml",
        ) from exc
    try:
        session = get_active_session()
    except Exception as exc:
        raise ConfigError(
            f"there is no active Snowpark session: {exc}",
            fix="run inside Snowflake (Streamlit in Snowflake, a stored procedure), or use "
            "snowflake.session = 'connector'",
        ) from exc
    return SnowparkBackend(session)
