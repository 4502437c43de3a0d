"""The facade's connections: opening the twin, `cdt init`, `cdt doctor`, what is built,
and the LLM client every stage that writes words uses."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cdt import doctor as _doctor
from cdt import migrations, schema
from cdt.backends import Backend, open_backend
from cdt.backends.base import CAP_ROLES
from cdt.config import Settings
from cdt.errors import BackendError, ConfigError, NotBuiltError
from cdt.progress import NullProgress, Progress
from cdt.sqlfiles import read_sql

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class InitResult:
    """What `cdt init` did."""

    backend: str
    location: str
    statements: int
    tables: list[str] = field(default_factory=list)
    roles_statements: int = 0
    migrations: list[str] = field(default_factory=list)  # the schema migrations applied now

    def to_dict(self) -> dict[str, object]:
        return {
            "backend": self.backend,
            "location": self.location,
            "statements": self.statements,
            "tables": self.tables,
            "roles_statements": self.roles_statements,
            "migrations_applied": self.migrations,
        }


def connect(
    settings: Settings, *, read_only: bool = False, env: Mapping[str, str] | None = None
) -> Backend:
    """A short-lived connection to the configured backend; use it in a ``with`` block."""
    return open_backend(settings, read_only=read_only, env=env)


def _location(settings: Settings) -> str:
    """Where the twin lives: the DuckDB file, or the Snowflake database."""
    if settings.backend == "duckdb":
        return str(settings.database_path)
    return f"snowflake://{settings.snowflake.database}"


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
    if settings.access == "app":
        # The app never changes the twin's structure: `cdt build`/`cdt init` made it.
        return InitResult(settings.backend, _location(settings), 0, [], 0)
    with connect(settings, env=env) as backend, backend.work("load"):
        progress.start("init", total=2 if roles else 1)
        if backend.dialect == "snowflake":
            # The database name is a validated identifier from settings, never user text.
            database = settings.snowflake.database
            backend.execute(f"CREATE DATABASE IF NOT EXISTS {database}")
            backend.execute(f"USE DATABASE {database}")
        statements = schema.apply(backend)
        applied = migrations.apply(backend)
        progress.advance("init")
        roles_statements = 0
        if roles and backend.has(CAP_ROLES):
            roles_statements = backend.execute_script(schema.roles_sql(settings.snowflake))
            progress.advance("init")
        progress.finish("init")
        return InitResult(
            backend=backend.dialect,
            location=_location(settings),
            statements=statements,
            tables=schema.tables_for(backend.dialect),
            roles_statements=roles_statements,
            migrations=applied,
        )


#: The twins this process has checked the schema of (see ``ready``).
_READY: set[tuple[object, ...]] = set()


def _twin_key(settings: Settings) -> tuple[object, ...]:
    """Which twin ``settings`` open: a DuckDB file (its path and inode, so a file replaced
    under the same path is checked again) or a Snowflake account's database."""
    if settings.backend == "duckdb":
        path = settings.database_path
        return ("duckdb", str(path), path.stat().st_ino if path.exists() else None)
    snowflake = settings.snowflake
    return ("snowflake", snowflake.connection_name, snowflake.session, snowflake.database)


def ready(settings: Settings) -> None:
    """A request's schema check: ``init`` once per process and twin, not on every call.

    `cdt init` and every build stage run ``init`` themselves; a simulation, a sweep or a
    reading only needs to know the schema is there and migrated, and on Snowflake each DDL
    statement is a round trip. A twin replaced under the same path is checked again."""
    if _twin_key(settings) in _READY:
        return
    init(settings)
    _READY.add(_twin_key(settings))


def doctor(settings: Settings, env: Mapping[str, str] | None = None) -> _doctor.DoctorReport:
    """Report the backend, LLM provider and embedder that would be used and whether each
    answers; for each that does not, the exact fix."""
    return _doctor.run(settings, os.environ if env is None else env)


def llm_client(settings: Settings, backend: Backend, purpose: str = "reaction") -> Any:
    from cdt.llm import make_llm
    from cdt.llm.client import LLMClient

    llm = make_llm(settings, backend, purpose=purpose)  # type: ignore[arg-type]
    return LLMClient(llm, backend, use_cache=settings.llm.cache)


def words_client(settings: Settings, backend: Backend) -> Any:
    """The LLM client that writes voices, or None when the words come from data
    (``cdt.voices.writer``)."""
    from cdt.voices.writer import writer

    return llm_client(settings, backend) if writer(settings) == "llm" else None


def fresh(
    backend: Backend,
    settings: Settings,
    *,
    words: bool = False,
    stages: tuple[str, ...] = ("features", "segment", "calibrate"),
) -> list[str]:
    """Check that the stages a command reads (``stages``, and the personas with ``words``)
    match what they were built from.

    Returns the stale stages' lines (empty when current). Stale personas never stop a
    command (the numbers do not read them): their line is returned, to be shown.

    Raises:
        StaleError: a stage of ``stages`` is stale and stale answers are not allowed.
    """
    from cdt.errors import StaleError
    from cdt.staleness import check
    from cdt.voices.writer import persona_writer

    wanted = (*stages, "personas") if words else stages
    stale = [
        s for s in check(backend, persona_writer(settings) if words else None)
        if s.stage in wanted
    ]  # fmt: skip
    blocking = [s for s in stale if s.stage in stages]
    if blocking and not settings.allow_stale:
        raise StaleError(
            "the twin is stale (" + "; ".join(s.line() for s in blocking) + ")",
            fix="run `cdt build` to bring it up to date, or pass --allow-stale to answer from "
            "it anyway (every result is marked stale)",
        )
    return [s.line() for s in stale]


@contextmanager
def read_connection(settings: Settings) -> Iterator[Backend]:
    """A short-lived read connection (read-only on DuckDB); a missing table means the twin
    is not built yet, and says so."""
    with connect(settings, read_only=settings.backend == "duckdb") as backend:
        try:
            yield backend
        except BackendError as exc:
            if "does not exist" in exc.message:
                raise NotBuiltError(
                    "the twin is not built yet (a table it needs is missing)",
                    fix="run `cdt build` (or `make run`)",
                ) from exc
            raise


def status(settings: Settings) -> dict[str, Any]:
    """Which build stages have finished, and when: ``{"stages": {stage: finished_at}}``.

    Raises:
        NotBuiltError: there is no twin database yet.
    """
    with read_connection(settings) as backend:
        rows = backend.query(read_sql("build_state", backend.dialect)).to_pylist()
    return {
        "backend": settings.backend,
        "location": _location(settings),
        "stages": {str(r["stage"]): str(r["finished_at"]) for r in rows},
    }


def deploy(
    settings: Settings,
    *,
    dry_run: bool = False,
    roles: bool = False,
    env: Mapping[str, str] | None = None,
) -> Any:
    """Create the SQL-callable agents (PERSONAS.GENERATE_PERSONA, AGENTS.ASK_PERSONA,
    AGENTS.AGGREGATE_REACTIONS, AGENTS.SIMULATE_SCENARIO) and the Streamlit in Snowflake app
    (`cdt deploy`); with ``roles``, also grant them to the spec's roles. A dry run returns the
    SQL and the uploads without connecting or changing anything.

    Raises:
        ConfigError: not the Snowflake backend (without ``dry_run``), or a model name or
            warehouse that cannot be written into SQL.
        BackendError: Snowflake refused a statement or an upload.
    """
    from cdt import deploy as _deploy

    if dry_run:
        return _deploy.dry_run(settings, roles=roles)
    if settings.backend != "snowflake":
        raise ConfigError(
            "cdt deploy creates Snowflake objects; this twin is on DuckDB",
            fix="run with --backend snowflake (after `cdt init`), or add --dry-run to see the SQL",
        )
    with connect(settings, env=env) as backend:
        return _deploy.deploy(backend, settings, roles=roles)


def deploy_bundle(settings: Settings, folder: Path) -> list[Path]:
    """Write the app's files and a snowflake.yml to ``folder`` for `snow streamlit deploy`."""
    from cdt.deploy import write_bundle

    return write_bundle(settings, folder)
