"""DuckDB backend: the whole twin in one file under the data directory."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import duckdb
import pyarrow as pa

from cdt.backends import guard
from cdt.backends.base import (
    CAP_TRANSACTIONAL_DDL,
    Backend,
    Params,
    check_table,
    lower_columns,
)
from cdt.errors import BackendError, BusyError, ConfigError, NotBuiltError
from cdt.schema import known_tables


class DuckDBBackend(Backend):
    """A DuckDB database file.

    DuckDB lets one process write a file at a time, and a reader cannot open it while a writer
    holds it, so callers keep connections short-lived.
    """

    dialect: ClassVar[str] = "duckdb"
    capabilities: ClassVar[frozenset[str]] = frozenset({CAP_TRANSACTIONAL_DDL})

    def __init__(
        self, path: Path, *, read_only: bool = False, app: bool = False, wait: float = 0.0
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.app = app  # refuse writes outside the app's schemas (cdt.backends.guard)
        self.wait = wait
        self._brief = False  # inside released(): a connection per statement
        _check_location(path, read_only=read_only)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._conn: duckdb.DuckDBPyConnection | None = self._open(wait)

    def _open(self, wait: float) -> duckdb.DuckDBPyConnection:
        """A connection; while another process holds the file, retried for up to ``wait``
        seconds, saying once who holds it (logger ``cdt``, which the CLI prints)."""
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                conn = duckdb.connect(
                    str(self.path),
                    read_only=self.read_only,
                    # Bulk loads need not keep file order.
                    config={"preserve_insertion_order": False},
                )
                conn.execute("SET enable_progress_bar = false")  # the library never prints
                return conn
            except duckdb.Error as exc:
                error = _open_error(self.path, exc)
                # only another process's lock passes: this process's own writer would not
                other = isinstance(error, BusyError) and "another process" in error.message
                if not other or time.monotonic() >= deadline:
                    if other and wait > 0:
                        error = BusyError(
                            f"{error.message} (waited {wait:g} s)",
                            fix="retry when it finishes, or wait longer with --wait SECONDS",
                        )
                    raise error from exc
                if not told:
                    logging.getLogger("cdt").warning(
                        "waiting up to %.0f s for %s: %s", wait, self.path, error.message
                    )
                    told = True
                time.sleep(0.25)

    @property
    def conn(self) -> duckdb.DuckDBPyConnection:
        if self._conn is None:
            raise BackendError("the DuckDB connection is closed", fix="open a new backend")
        return self._conn

    @contextmanager
    def _session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The open connection, or inside ``released()`` one opened for this statement alone
        (waiting its turn like any other)."""
        if self._conn is not None or not self._brief:
            yield self.conn
            return
        conn = self._open(self.wait)
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def released(self) -> Iterator[None]:
        if self._conn is None:
            yield
            return
        self._conn.close()
        self._conn, self._brief = None, True
        try:
            yield
        finally:
            self._brief = False
            self._conn = self._open(self.wait)

    def _run(self, sql: str, params: Params = None) -> list[tuple[object, ...]]:
        # DuckDB 2 requires a result to be consumed before the connection runs anything else.
        with self._session() as conn:
            return conn.execute(sql, list(params) if params is not None else None).fetchall()

    def execute(self, sql: str, params: Params = None) -> None:
        if self.app:
            guard.check(sql)
        try:
            self._run(sql, params)
        except duckdb.Error as exc:
            raise BackendError(f"DuckDB rejected a statement: {exc}") from exc

    def query(self, sql: str, params: Params = None) -> pa.Table:
        if self.app:
            guard.check(sql)
        try:
            with self._session() as conn:
                relation = conn.sql(sql, params=list(params) if params is not None else None)
                if relation is None:
                    raise BackendError("query() needs a statement that returns rows; use execute()")
                return lower_columns(relation.to_arrow_table())
        except duckdb.Error as exc:
            raise BackendError(f"DuckDB rejected a query: {exc}") from exc

    def load(self, table: str, data: pa.Table | Path | Sequence[Path]) -> int:
        target = check_table(table, known_tables())
        if self.app:
            guard.check_load(target)
        if self._conn is None and self._brief:
            with self.transaction():  # one connection for the register and the insert
                return self.load(table, data)
        try:
            if isinstance(data, pa.Table):
                self.conn.register("_cdt_incoming", data)
                try:
                    self._run(f"INSERT INTO {target} BY NAME SELECT * FROM _cdt_incoming")  # noqa: S608
                finally:
                    self.conn.unregister("_cdt_incoming")
                return data.num_rows
            paths = [str(data)] if isinstance(data, Path) else [str(p) for p in data]
            if not paths:
                return 0
            rows = self._run(
                f"INSERT INTO {target} BY NAME SELECT * FROM read_parquet(?)",  # noqa: S608
                [paths],
            )
            return int(rows[0][0])  # type: ignore[call-overload]
        except duckdb.Error as exc:
            raise BackendError(f"loading {target} failed: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._conn is None and self._brief:  # one connection for the whole transaction
            self._conn = self._open(self.wait)
            try:
                with self.transaction():
                    yield
            finally:
                self._conn.close()
                self._conn = None
            return
        self.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._run("ROLLBACK")
            raise
        self.execute("COMMIT")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _check_location(path: Path, *, read_only: bool) -> None:
    """Fail before touching the disk when the file cannot be opened as asked."""
    if path.is_dir():
        raise ConfigError(
            f"{path} is a directory, not a DuckDB file",
            fix="point CDT_DUCKDB_PATH at a file, or CDT_HOME at a data directory",
        )
    if read_only:
        if not path.exists():
            raise NotBuiltError(f"no twin database at {path}", fix="run `cdt init` first")
        return
    if path.exists():
        if not os.access(path, os.W_OK):
            raise ConfigError(
                f"the database file {path} is not writable",
                fix="fix its permissions or set CDT_HOME to a writable directory",
            )
        return
    existing = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(
            f"the data directory {path.parent} cannot be created or written",
            fix="set CDT_HOME (or --home) to a writable directory",
        )


def _open_error(path: Path, exc: duckdb.Error) -> BackendError:
    text = str(exc)
    if "not a valid DuckDB database" in text or "Corrupt" in text:
        return BackendError(
            f"{path} is not a valid DuckDB database (corrupt, or another program's file)",
            fix="move it aside (nothing was changed) or set CDT_HOME to a fresh directory",
        )
    if "lock" in text.lower():
        return BusyError(
            f"{path} is in use by another process: {text.splitlines()[0]}",
            fix="wait for the other cdt command (e.g. a build) to finish, then retry",
        )
    if "different configuration" in text:
        return BusyError(
            f"{path} is being written by this process (e.g. a simulation is running)",
            fix="wait for it to finish, then retry",
        )
    return BackendError(f"cannot open {path}: {text}")
