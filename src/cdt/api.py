"""The one facade the CLI and the app call. Every function takes resolved Settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cdt import doctor as _doctor
from cdt import schema
from cdt.backends import Backend, open_backend
from cdt.backends.base import CAP_ROLES
from cdt.config import Settings
from cdt.errors import ConfigError
from cdt.generate import GenerateResult
from cdt.load import LoadResult
from cdt.progress import NullProgress, Progress

__all__ = [
    "BuildResult",
    "GenerateResult",
    "InitResult",
    "LoadResult",
    "build",
    "connect",
    "doctor",
    "generate",
    "init",
    "load",
]


@dataclass(frozen=True)
class InitResult:
    """What `cdt init` did."""

    backend: str
    location: str
    statements: int
    tables: list[str] = field(default_factory=list)
    roles_statements: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "backend": self.backend,
            "location": self.location,
            "statements": self.statements,
            "tables": self.tables,
            "roles_statements": self.roles_statements,
        }


def connect(
    settings: Settings, *, read_only: bool = False, env: Mapping[str, str] | None = None
) -> Backend:
    """A short-lived connection to the configured backend; use it in a ``with`` block."""
    return open_backend(settings, read_only=read_only, env=env)


def init(
    settings: Settings,
    *,
    roles: bool = False,
    progress: Progress | None = None,
    env: Mapping[str, str] | None = None,
) -> InitResult:
    """Create every schema and table that does not exist yet (idempotent, keeps data).

    Args:
        settings: resolved settings.
        roles: also create the spec §7 roles, warehouses and grants (Snowflake only).
        progress: receives one step per DDL file.
        env: environment for Snowflake credentials (default ``os.environ``).

    Raises:
        ConfigError: ``roles`` on a backend without roles, or incomplete settings.
        BackendError: the database could not be opened or rejected the DDL.
    """
    progress = progress or NullProgress()
    if roles and settings.backend != "snowflake":
        raise ConfigError(
            "--roles applies the spec's Snowflake roles and grants; DuckDB has no roles",
            fix="drop --roles, or run with --backend snowflake",
        )
    env = os.environ if env is None else env
    with connect(settings, env=env) as backend, backend.work("load"):
        progress.start("init", total=2 if roles else 1)
        if backend.dialect == "snowflake":
            # The database name is a validated identifier from settings, never user text.
            database = settings.snowflake.database
            backend.execute(f"CREATE DATABASE IF NOT EXISTS {database}")
            backend.execute(f"USE DATABASE {database}")
        statements = schema.apply(backend)
        progress.advance("init")
        roles_statements = 0
        if roles and backend.has(CAP_ROLES):
            roles_statements = backend.execute_script(schema.roles_sql(settings.snowflake))
            progress.advance("init")
        progress.finish("init")
        location = (
            str(settings.database_path)
            if backend.dialect == "duckdb"
            else f"snowflake://{settings.snowflake.database}"
        )
        return InitResult(
            backend=backend.dialect,
            location=location,
            statements=statements,
            tables=schema.tables_for(backend.dialect),
            roles_statements=roles_statements,
        )


def doctor(settings: Settings, env: Mapping[str, str] | None = None) -> _doctor.DoctorReport:
    """Report the backend, LLM provider and embedder that would be used and whether each
    answers; for each that does not, the exact fix."""
    return _doctor.run(settings, os.environ if env is None else env)


def generate(
    settings: Settings,
    *,
    scale: float = 1.0,
    seed: int = 42,
    out: Path | None = None,
    progress: Progress | None = None,
) -> GenerateResult:
    """Write the synthetic Snowmobile dataset (Parquet) to ``out`` (default: the data dir).

    Raises:
        DataError: scale or seed out of range, or ``out`` holds something else.
    """
    from cdt.generate import generate as _generate

    return _generate(out or settings.data_dir, scale=scale, seed=seed, progress=progress)


def load(
    settings: Settings,
    *,
    source: Path | None = None,
    progress: Progress | None = None,
    env: Mapping[str, str] | None = None,
) -> LoadResult:
    """Replace RAW and EXTERNAL with the files in ``source`` (default: the data dir).

    Creates missing tables first. All or nothing: on any error the previous tables stay.

    Raises:
        DataError: a missing or malformed file, or data that breaks integrity.
        BackendError: the database refused the load.
    """
    from cdt.load import load as _load

    init(settings, env=env)
    with connect(settings, env=env) as backend:
        return _load(backend, source or settings.data_dir, progress=progress)


@dataclass(frozen=True)
class BuildResult:
    """What `cdt build` did, stage by stage; None marks a stage skipped as up to date."""

    generated: GenerateResult | None
    loaded: LoadResult | None
    data_dir: Path

    def to_dict(self) -> dict[str, object]:
        return {
            "data_dir": str(self.data_dir),
            "generate": self.generated.to_dict() if self.generated else "up to date",
            "load": self.loaded.to_dict() if self.loaded else "up to date",
        }


def build(
    settings: Settings,
    *,
    scale: float = 1.0,
    seed: int = 42,
    source: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Run the stages in order: generate (unless ``source`` is given), then load.

    A stage whose input has not changed since it last finished is skipped (``force`` redoes
    everything): generated data with the same seed and scale is reused, and a dataset already
    loaded is not loaded again.
    """
    from cdt.generate import matches
    from cdt.load import fingerprint, last_fingerprint

    generated = None
    folder = source or settings.data_dir
    if source is None and (force or not matches(folder, scale=scale, seed=seed)):
        generated = generate(settings, scale=scale, seed=seed, progress=progress)
    init(settings)
    with connect(settings) as backend:
        unchanged = fingerprint(folder) is not None and last_fingerprint(backend, "load") == (
            fingerprint(folder)
        )
    loaded = None if unchanged and not force else load(settings, source=folder, progress=progress)
    return BuildResult(generated, loaded, folder)
