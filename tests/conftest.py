"""Shared fixtures: an isolated CDT_HOME per test and one backend fixture over every backend."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cdt.backends.base import Backend
from cdt.config import Settings, load_settings

# Under pytest-xdist (`make test` runs one worker per core) each worker is pinned to its own
# cores, so that the in-process LLM, torch and the subprocesses a test starts use those cores
# only: two workers each spinning llama.cpp threads on every core slow each other down several
# times over.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER and hasattr(os, "sched_setaffinity"):
    _cores = sorted(os.sched_getaffinity(0))
    _count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if 1 < _count <= len(_cores):
        _share = set(_cores[int(_WORKER.removeprefix("gw")) % _count :: _count])
        os.sched_setaffinity(0, _share)
        os.environ.setdefault("OMP_NUM_THREADS", str(len(_share)))

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile(
    "slow", max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# fakesnow stands in for Snowflake offline. It cannot run roles, grants, warehouses or VECTOR
# columns, so those statements are answered with success without running; their SQL text is
# checked separately (tests/backends/test_snowflake.py, tests/twin/test_schema.py).
FAKESNOW_NOPS = [
    r"^\s*GRANT\b",
    r"^\s*CREATE\s+ROLE\b",
    r"^\s*USE\s+ROLE\b",
    r"^\s*CREATE\s+WAREHOUSE\b",
    r"^\s*USE\s+WAREHOUSE\b",
    r"^\s*CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+PERSONAS\.PERSONA_EMBEDDINGS\b",
]
#: The environment as the test run started, before isolation (for live tests only).
AMBIENT_ENV = dict(os.environ)
FAKE_SNOWFLAKE_ENV = {"SNOWFLAKE_ACCOUNT": "fake", "SNOWFLAKE_USER": "u", "SNOWFLAKE_PASSWORD": "p"}


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own working directory and CDT_HOME, and no ambient settings."""
    for name in list(os.environ):
        if name.startswith(("CDT_", "SNOWFLAKE_")) or name == "OLLAMA_HOST":
            monkeypatch.delenv(name)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("CDT_HOME", str(work / ".cdt"))
    monkeypatch.setenv("SNOWFLAKE_HOME", str(tmp_path / "snowflake-home"))
    # No Ollama answers in tests unless a test says so.
    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:9")
    return work / ".cdt"


@pytest.fixture
def fake_snowflake() -> Iterator[None]:
    """Patch snowflake.connector.connect with fakesnow for the test's duration."""
    import fakesnow

    with fakesnow.patch(nop_regexes=FAKESNOW_NOPS):
        yield


def settings_for(backend: str) -> Settings:
    return load_settings({"backend": backend})


@pytest.fixture(
    params=[
        pytest.param("duckdb", marks=pytest.mark.duckdb),
        pytest.param("snowflake", marks=pytest.mark.snowflake),
    ]
)
def backend_settings(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """Settings for each backend; Snowflake runs through fakesnow."""
    if request.param == "snowflake":
        import fakesnow

        for key, value in FAKE_SNOWFLAKE_ENV.items():
            monkeypatch.setenv(key, value)
        with fakesnow.patch(nop_regexes=FAKESNOW_NOPS):
            yield settings_for("snowflake")
    else:
        yield settings_for("duckdb")


@pytest.fixture
def backend(backend_settings: Settings) -> Iterator[Backend]:
    """An initialised twin database on each backend."""
    from cdt import api

    api.init(backend_settings)
    with api.connect(backend_settings) as connection:
        yield connection


def _once(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str,
          build: Callable[[Path], None]) -> Path:  # fmt: skip
    """A folder ``build`` fills once per test run, shared by every xdist worker: the first
    worker to ask builds it under a file lock, the others wait and read it. Every shared twin
    is a template that tests copy, never change."""
    if worker_id == "master":  # not distributed: the run's own temporary folder
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    from filelock import FileLock

    folder = tmp_path_factory.getbasetemp().parent / name  # this run's, shared by its workers
    with FileLock(f"{folder}.lock"):
        if not (folder / ".built").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A generated dataset of 1,000 customers (external tables at full size)."""
    from cdt.generate import generate

    def build(folder: Path) -> None:
        generate(folder / "data", scale=0.001, seed=11)

    return _once(tmp_path_factory, worker_id, "small", build) / "data"


# The shared twins are one ladder, each rung built once per test run (shared by the xdist
# workers) from a copy of the one below: ``small_dataset`` -> ``loaded_template`` (load,
# features) -> ``built_template`` (segmented, k=8), or ``numbers_template`` (k=4, calibrated)
# -> ``persona_template`` (its personas). A test takes the lowest rung it needs through the
# per-test copies below (``twin``, ``numbers_twin``, ``persona_twin``).


def _rung(folder: Path, below: Path | None, data: Path, **values: str) -> Settings:
    """Settings for a home in ``folder`` holding a copy of the twin at ``below``."""
    home = folder / ".cdt"
    home.mkdir(parents=True)
    if below is not None:
        shutil.copy(below, home / "cdt.duckdb")
    return load_settings({"home": str(home), "data_dir": str(data), **values}, env={})


@pytest.fixture(scope="session")
def loaded_template(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, small_dataset: Path
) -> Path:
    """The ladder's first rung: ``small_dataset`` loaded, with its features."""
    from cdt import api

    def build(folder: Path) -> None:
        settings = _rung(folder, None, small_dataset)
        api.load(settings)
        api.features(settings)

    return _once(tmp_path_factory, worker_id, "loaded", build) / ".cdt" / "cdt.duckdb"


@pytest.fixture(scope="session")
def built_template(
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
    small_dataset: Path,
    loaded_template: Path,
) -> Path:
    """The loaded rung, segmented (k=8)."""
    from cdt import api

    def build(folder: Path) -> None:
        api.segment(_rung(folder, loaded_template, small_dataset))

    return _once(tmp_path_factory, worker_id, "built", build) / ".cdt" / "cdt.duckdb"


def _private(template: Path, home: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    """Settings for a private copy of ``template`` in the test's ``home``, with ``env`` set."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, home / "cdt.duckdb")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


@pytest.fixture
def twin(
    built_template: Path, isolated_home: Path, small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings for a private copy of the built DuckDB twin."""
    return _private(built_template, isolated_home, monkeypatch, CDT_DATA_DIR=str(small_dataset))


@pytest.fixture(scope="session")
def numbers_template(
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
    small_dataset: Path,
    loaded_template: Path,
) -> Path:
    """The loaded rung with 4 segments and a calibrated response model: every number, no
    personas."""
    from cdt import api

    def build(folder: Path) -> None:
        settings = _rung(folder, loaded_template, small_dataset)
        api.segment(settings, k=4, n_init=2)
        api.calibrate(settings, replicates=4)

    return _once(tmp_path_factory, worker_id, "numbers", build) / ".cdt" / "cdt.duckdb"


@pytest.fixture(scope="session")
def persona_template(
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
    small_dataset: Path,
    numbers_template: Path,
) -> Path:
    """The numbers rung with personas written with the real embedded model configured."""
    from cdt import api

    def build(folder: Path) -> None:
        settings = _rung(folder, numbers_template, small_dataset, **{"llm.provider": "llamacpp"})
        api.generate_personas(settings)

    return _once(tmp_path_factory, worker_id, "personas", build) / ".cdt" / "cdt.duckdb"


@pytest.fixture(scope="session")
def calibrated(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A DuckDB twin at scale 0.05 (50K customers, ~250K campaign responses) with 4 segments
    and a calibrated response model: enough outcomes for the model's directions to show at
    real-world magnitudes (at 0.02, a month's churn of about 1% left a few hundred churners,
    too few to order every segment's churn by the size of a rise)."""
    from cdt import api
    from cdt.generate import generate

    def build(root: Path) -> None:
        generate(root / "data", scale=0.05, seed=5)
        settings = _rung(root, None, root / "data")
        api.load(settings)
        api.features(settings)
        api.segment(settings, k=4, n_init=2)
        api.calibrate(settings, replicates=8)

    return _once(tmp_path_factory, worker_id, "calibrated", build) / ".cdt" / "cdt.duckdb"


@pytest.fixture
def calibrated_twin(
    calibrated: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings for a private copy of the calibrated twin (no personas)."""
    return _private(calibrated, isolated_home, monkeypatch)


@pytest.fixture
def numbers_twin(
    numbers_template: Path,
    isolated_home: Path,
    small_dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Settings:
    """Settings for a private copy of the numbers rung (the persona twin's data, segments and
    response model, without personas)."""
    return _private(numbers_template, isolated_home, monkeypatch, CDT_DATA_DIR=str(small_dataset))


@pytest.fixture
def persona_twin(
    persona_template: Path,
    isolated_home: Path,
    small_dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Settings:
    """Settings for a private copy of the twin with personas (embedded model)."""
    return _private(persona_template, isolated_home, monkeypatch,
                    CDT_DATA_DIR=str(small_dataset), CDT_LLM_PROVIDER="llamacpp")  # fmt: skip
