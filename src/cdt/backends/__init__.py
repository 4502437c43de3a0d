"""Backends: where the twin's tables live. Chosen by the ``backend`` setting."""

from __future__ import annotations

import os
from collections.abc import Mapping

from cdt.backends.base import Backend
from cdt.config import Settings


def open_backend(
    settings: Settings, *, read_only: bool = False, env: Mapping[str, str] | None = None
) -> Backend:
    """Open a short-lived connection to the configured backend.

    Args:
        settings: resolved settings.
        read_only: DuckDB only: open without write access (the file must exist).
        env: environment for Snowflake credentials (default ``os.environ``).

    Raises:
        ConfigError: settings are incomplete (e.g. no Snowflake account).
        BackendError: the database cannot be opened or reached.
        NotBuiltError: read-only access to a DuckDB file that does not exist.
    """
    if settings.backend == "duckdb":
        from cdt.backends.duckdb import DuckDBBackend

        return DuckDBBackend(
            settings.database_path,
            read_only=read_only,
            app=settings.access == "app",
            wait=settings.wait_s,
        )
    if settings.snowflake.session == "active":
        from cdt.backends.snowpark import active_backend

        return active_backend()
    from cdt.backends.snowflake import SnowflakeBackend

    return SnowflakeBackend(settings.snowflake, os.environ if env is None else env)


__all__ = ["Backend", "open_backend"]
