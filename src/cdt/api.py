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
from cdt.errors import BackendError, ConfigError
from cdt.features import FeaturesResult
from cdt.generate import GenerateResult
from cdt.load import LoadResult
from cdt.progress import NullProgress, Progress
from cdt.segment import SegmentResult

__all__ = [
    "BuildResult",
    "GenerateResult",
    "InitResult",
    "LoadResult",
    "build",
    "connect",
    "doctor",
    "features",
    "generate",
    "init",
    "load",
    "segment",
    "segments",
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


def features(settings: Settings, *, progress: Progress | None = None) -> FeaturesResult:
    """Rebuild the analytics feature tables (spec §3.3) from RAW and EXTERNAL.

    Raises:
        NotBuiltError: nothing has been loaded yet.
    """
    from cdt.features import build_features

    init(settings)
    with connect(settings) as backend:
        return build_features(backend, progress=progress)


def segment(
    settings: Settings,
    *,
    k: int | str = 8,
    features: str | None = None,
    n_init: int = 8,
    seed: int = 42,
    progress: Progress | None = None,
) -> SegmentResult:
    """Cluster customers into segments and write assignments and statistics.

    Raises:
        NotBuiltError: the features do not exist yet.
        ConfigError: bad k, n_init or feature list.
    """
    from cdt.segment import DEFAULT_FEATURES
    from cdt.segment import segment as _segment

    init(settings)
    with connect(settings) as backend:
        return _segment(
            backend,
            k=k,
            features=features or DEFAULT_FEATURES,
            n_init=n_init,
            seed=seed,
            progress=progress,
        )


def segments(settings: Settings) -> list[dict[str, object]]:
    """The current segments with their statistics, largest first.

    Raises:
        NotBuiltError: no segmentation has run yet.
    """
    from cdt.errors import NotBuiltError

    with connect(settings, read_only=settings.backend == "duckdb") as backend:
        try:
            rows = backend.query(
                "SELECT * FROM ANALYTICS.SEGMENT_STATISTICS ORDER BY segment_id"
            ).to_pylist()
        except BackendError as exc:
            raise NotBuiltError(
                "the twin has no segment tables yet",
                fix="run `cdt build` (or `cdt init` then `cdt segment`)",
            ) from exc
    if not rows:
        raise NotBuiltError("there are no segments yet", fix="run `cdt segment` or `cdt build`")
    return rows


@dataclass(frozen=True)
class BuildResult:
    """What `cdt build` did; a stage that is None was skipped as up to date."""

    data_dir: Path
    generated: GenerateResult | None = None
    loaded: LoadResult | None = None
    featured: FeaturesResult | None = None
    segmented: SegmentResult | None = None

    def to_dict(self) -> dict[str, object]:
        def done(result: object) -> object:
            return result.to_dict() if result is not None else "up to date"  # type: ignore[attr-defined]

        return {
            "data_dir": str(self.data_dir),
            "generate": done(self.generated),
            "load": done(self.loaded),
            "features": done(self.featured),
            "segment": done(self.segmented),
        }


def build(
    settings: Settings,
    *,
    scale: float = 1.0,
    seed: int = 42,
    source: Path | None = None,
    k: int | str = 8,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Run the stages in order: generate (unless ``source`` is given), load, features, segment.

    A stage whose input and parameters have not changed since it last finished is skipped
    (``force`` redoes every stage). Each stage commits on its own, so an interrupted build
    leaves the last finished stage's twin readable.
    """
    from cdt.features import build_features
    from cdt.generate import matches
    from cdt.load import fingerprint
    from cdt.segment import DEFAULT_FEATURES
    from cdt.segment import fingerprint as segment_fingerprint
    from cdt.segment import segment as _segment
    from cdt.state import last_fingerprint

    folder = source or settings.data_dir
    generated = None
    if source is None and (force or not matches(folder, scale=scale, seed=seed)):
        generated = generate(settings, scale=scale, seed=seed, progress=progress)
    init(settings)
    data_print = fingerprint(folder)
    with connect(settings) as backend:
        loaded_print = last_fingerprint(backend, "load")
    loaded = None
    if force or data_print is None or loaded_print != data_print:
        loaded = load(settings, source=folder, progress=progress)
    with connect(settings) as backend:
        featured = None
        load_print = last_fingerprint(backend, "load")
        if force or load_print is None or last_fingerprint(backend, "features") != load_print:
            featured = build_features(backend, progress=progress)
        features_print = last_fingerprint(backend, "features")
        expected = segment_fingerprint(features_print, k, DEFAULT_FEATURES, 8, seed)
        segmented = None
        if force or expected is None or last_fingerprint(backend, "segment") != expected:
            segmented = _segment(backend, k=k, seed=seed, progress=progress)
    return BuildResult(folder, generated, loaded, featured, segmented)
