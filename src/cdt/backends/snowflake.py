"""Snowflake backend over the real snowflake-connector-python.

Credentials come from the connector's own ``connections.toml`` (``connection_name``, or its
default connection), or from ``SNOWFLAKE_*`` variables. cdt never stores secrets.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq
import snowflake.connector

from cdt.backends.base import (
    CAP_CORTEX,
    CAP_ROLES,
    CAP_VECTOR,
    CAP_WAREHOUSES,
    Backend,
    Params,
    WorkKind,
    check_table,
    lower_columns,
)
from cdt.config import SnowflakeSettings
from cdt.errors import BackendError, ConfigError
from cdt.schema import known_tables
from cdt.scratch import temporary as scratch_dir

#: SNOWFLAKE_* variable -> connector keyword.
_ENV_PARAMS = {
    "SNOWFLAKE_ACCOUNT": "account",
    "SNOWFLAKE_USER": "user",
    "SNOWFLAKE_PASSWORD": "password",
    "SNOWFLAKE_AUTHENTICATOR": "authenticator",
    "SNOWFLAKE_PRIVATE_KEY_FILE": "private_key_file",
    "SNOWFLAKE_ROLE": "role",
    "SNOWFLAKE_WAREHOUSE": "warehouse",
    "SNOWFLAKE_HOST": "host",
}
STAGE = "RAW.DATA_STAGE"  # spec §6.1
MISSING_CREDENTIALS_FIX = (
    "set SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER and SNOWFLAKE_PASSWORD (or SNOWFLAKE_AUTHENTICATOR), "
    "or add a connection to ~/.snowflake/connections.toml and name it with "
    "CDT_SNOWFLAKE_CONNECTION or snowflake.connection_name in cdt.toml"
)


class SnowflakeBackend(Backend):
    """The SNOWMOBILE_DIGITAL_TWIN database on a Snowflake account."""

    dialect: ClassVar[str] = "snowflake"
    capabilities: ClassVar[frozenset[str]] = frozenset(
        {CAP_VECTOR, CAP_CORTEX, CAP_ROLES, CAP_WAREHOUSES}
    )

    def __init__(self, settings: SnowflakeSettings, env: Mapping[str, str]) -> None:
        self.settings = settings
        self._params = connection_params(settings, env)
        self._conn: Any = self._connect()
        self._current_warehouse: str | None = None
        self._in_transaction = False

    def _connect(self) -> Any:
        try:
            return snowflake.connector.connect(**self._params)
        except snowflake.connector.errors.Error as exc:
            text = str(exc)
            if "Invalid connection_name" in text:
                raise ConfigError(text, fix=MISSING_CREDENTIALS_FIX) from exc
            raise BackendError(
                f"cannot connect to Snowflake: {text}",
                fix="check the account, credentials and network; `cdt doctor` shows the setup",
            ) from exc

    def _reconnect(self) -> None:
        """A fresh session after a dropped connection, on the warehouse in use before."""
        with contextlib.suppress(Exception):
            self._conn.close()
        self._conn = self._connect()
        if self._current_warehouse is not None:
            self.execute(f"USE WAREHOUSE {self._current_warehouse}")

    def _cursor(self) -> Any:
        if self._conn is None:
            raise BackendError("the Snowflake connection is closed", fix="open a new backend")
        return self._conn.cursor()

    def execute(self, sql: str, params: Params = None) -> None:
        cursor = self._cursor()
        try:
            cursor.execute(sql, list(params) if params is not None else None)
        except snowflake.connector.errors.Error as exc:
            if _dropped(exc):
                # A write is never replayed: it may have run before the connection dropped.
                raise BackendError(
                    f"the connection to Snowflake dropped during a write: {exc}",
                    fix="rerun the command: an open transaction was not committed, and the "
                    "statement was not retried because running it twice may not be safe",
                ) from exc
            raise BackendError(f"Snowflake rejected a statement: {exc}") from exc
        finally:
            cursor.close()

    def query(self, sql: str, params: Params = None) -> pa.Table:
        """Rows of a read; a dropped connection is reopened and the read retried once, unless
        a transaction was open (its session, and so its uncommitted work, is gone)."""
        for attempt in (1, 2):
            cursor = self._cursor()
            try:
                cursor.execute(sql, list(params) if params is not None else None)
                return lower_columns(_fetch_arrow(cursor))
            except snowflake.connector.errors.Error as exc:
                if not _dropped(exc):
                    raise BackendError(f"Snowflake rejected a query: {exc}") from exc
                if attempt == 2 or self._in_transaction:
                    raise BackendError(
                        f"the connection to Snowflake dropped: {exc}",
                        fix="check the network and rerun the command"
                        + (
                            "; the open transaction was not committed"
                            if self._in_transaction
                            else ""
                        ),
                    ) from exc
            finally:
                with contextlib.suppress(Exception):
                    cursor.close()
            self._reconnect()
        raise AssertionError("unreachable")

    def load(self, table: str, data: pa.Table | Path | Sequence[Path]) -> int:
        """PUT Parquet files on the RAW.DATA_STAGE stage, then COPY INTO by column name."""
        target = check_table(table, known_tables())
        with scratch_dir("load") as scratch:
            if isinstance(data, pa.Table):
                if data.num_rows == 0:
                    return 0
                path = Path(scratch) / "rows.parquet"
                pq.write_table(data, path)
                paths = [path]
            else:
                paths = [data] if isinstance(data, Path) else list(data)
            if not paths:
                return 0
            folder = f"@{STAGE}/{target.lower().replace('.', '_')}/{uuid.uuid4().hex}/"
            cursor = self._cursor()
            try:
                for path in paths:
                    cursor.execute(
                        f"PUT {file_url(path)} {folder} AUTO_COMPRESS=FALSE "
                        "OVERWRITE=TRUE PARALLEL=4"
                    )
                cursor.execute(
                    f"COPY INTO {target} FROM {folder} FILE_FORMAT = (TYPE = PARQUET) "
                    "MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE PURGE = TRUE "
                    "ON_ERROR = ABORT_STATEMENT"
                )
                loaded = cursor.fetchall()
            except snowflake.connector.errors.Error as exc:
                raise BackendError(f"loading {target} failed: {exc}") from exc
            finally:
                cursor.close()
        # One result row per file: (file, status, rows_parsed, rows_loaded, ...)
        return sum(int(row[3]) for row in loaded if len(row) > 3 and row[3] is not None)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("BEGIN")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            with contextlib.suppress(snowflake.connector.errors.Error):
                self._cursor().execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False
        self.execute("COMMIT")

    @contextmanager
    def work(self, kind: WorkKind) -> Iterator[None]:
        warehouse = getattr(self.settings.warehouses, kind)
        previous = self._current_warehouse
        if warehouse != previous:
            self.execute(f"USE WAREHOUSE {warehouse}")
            self._current_warehouse = warehouse
        try:
            yield
        finally:
            if previous is not None and previous != warehouse:
                self.execute(f"USE WAREHOUSE {previous}")
                self._current_warehouse = previous

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def connection_params(settings: SnowflakeSettings, env: Mapping[str, str]) -> dict[str, Any]:
    """The keyword arguments for ``snowflake.connector.connect``.

    Raises:
        ConfigError: no connection name, no ``SNOWFLAKE_ACCOUNT`` and no default connection.
    """
    params: dict[str, Any] = {
        "paramstyle": "qmark",
        "application": "cdt",
        "database": settings.database,
    }
    if settings.role:
        params["role"] = settings.role
    if settings.connection_name:
        return {**params, "connection_name": settings.connection_name}
    if env.get("SNOWFLAKE_ACCOUNT"):
        from_env = {kw: env[var] for var, kw in _ENV_PARAMS.items() if env.get(var)}
        return {**from_env, **params}
    default = _default_connection_name()
    if default:
        return {**params, "connection_name": default}
    raise ConfigError(
        "the Snowflake backend has no account configured", fix=MISSING_CREDENTIALS_FIX
    )


# Connector errors that mean the session is gone (not that the SQL was wrong).
_DROPPED_ERRNOS = {250001, 250002, 250003, 251005, 390114}


def _dropped(exc: snowflake.connector.errors.Error) -> bool:
    """Whether ``exc`` means the connection dropped rather than the statement failed."""
    return isinstance(exc, snowflake.connector.errors.OperationalError) or (
        getattr(exc, "errno", None) in _DROPPED_ERRNOS
    )


def _default_connection_name() -> str | None:
    """The connector's default connection, if its connections.toml defines it."""
    try:
        from snowflake.connector.config_manager import CONFIG_MANAGER

        name = CONFIG_MANAGER["default_connection_name"]
        connections: Any = CONFIG_MANAGER["connections"]
        found = bool(name) and name in connections
    except Exception:  # the connector's config files are optional and may be unreadable
        return None
    return str(name) if found else None


def _fetch_arrow(cursor: Any) -> pa.Table:
    fetch = getattr(cursor, "fetch_arrow_all", None)
    if fetch is not None:
        table = fetch(force_return_table=True)
        if table is not None:
            return table
    names = [column[0] for column in cursor.description or []]
    rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.Table.from_arrays([pa.array(list(values)) for values in columns], names=names)


def file_url(path: Path) -> str:
    """A quoted file:// URL for PUT; paths come from cdt's own staging, never from SQL text."""
    url = path.resolve().as_uri()
    if "'" in url:
        raise BackendError(f"cannot PUT {path}: its path contains a quote", fix="rename it")
    return f"'{url}'"
