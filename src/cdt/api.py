"""The one facade the CLI and the app call. Every function takes resolved Settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
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
from cdt.features import FeaturesResult
from cdt.generate import GenerateResult
from cdt.load import LoadResult
from cdt.progress import NullProgress, Progress
from cdt.segment import SegmentResult
from cdt.sqlfiles import read_sql

if TYPE_CHECKING:
    from cdt.agents.result import SimulationResult
    from cdt.personas import PersonasResult
    from cdt.scenario import Scenario

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

    with _reading(settings) as backend:
        rows = backend.query(
            "SELECT * FROM ANALYTICS.SEGMENT_STATISTICS ORDER BY segment_id"
        ).to_pylist()
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
    calibrated: Any = None  # CalibrateResult | None
    personas: Any = None  # PersonasResult | None
    personas_skipped: bool = False

    def to_dict(self) -> dict[str, object]:
        def done(result: object) -> object:
            return result.to_dict() if result is not None else "up to date"  # type: ignore[attr-defined]

        return {
            "data_dir": str(self.data_dir),
            "generate": done(self.generated),
            "load": done(self.loaded),
            "features": done(self.featured),
            "segment": done(self.segmented),
            "calibrate": done(self.calibrated),
            "personas": "skipped" if self.personas_skipped else done(self.personas),
        }


def build(
    settings: Settings,
    *,
    scale: float = 1.0,
    seed: int = 42,
    source: Path | None = None,
    k: int | str = 8,
    force: bool = False,
    with_personas: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Run the stages in order: generate (unless ``source`` is given), load, features, segment,
    calibrate (response model and backtest), personas (unless ``with_personas`` is False).

    A stage whose input and parameters have not changed since it last finished is skipped
    (``force`` redoes every stage). Each stage commits on its own, so an interrupted build
    leaves the last finished stage's twin readable.
    """
    from cdt.calibrate import REPLICATES
    from cdt.calibrate import calibrate as _calibrate
    from cdt.calibrate import fingerprint as calibrate_fingerprint
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
        calibrated = None
        if force or last_fingerprint(backend, "calibrate") != calibrate_fingerprint(
            backend, REPLICATES, seed
        ):
            calibrated = _calibrate(backend, seed=seed, progress=progress)
        have_personas = backend.scalar(
            "SELECT count(DISTINCT p.segment_id) FROM PERSONAS.PERSONA_DEFINITIONS p "
            "JOIN ANALYTICS.SEGMENT_STATISTICS s ON s.segment_id = p.segment_id "
            "AND s.segment_name = p.segment_name"
        )
        segment_count = backend.scalar("SELECT count(*) FROM ANALYTICS.SEGMENT_STATISTICS")
    written = None
    if with_personas and (force or segmented is not None or have_personas != segment_count):
        written = generate_personas(settings, seed=seed, progress=progress)
    return BuildResult(
        folder,
        generated,
        loaded,
        featured,
        segmented,
        calibrated,
        written,
        personas_skipped=not with_personas,
    )


def _llm_client(settings: Settings, backend: Backend, purpose: str = "reaction") -> Any:
    from cdt.llm import make_llm
    from cdt.llm.client import LLMClient

    llm = make_llm(settings, backend, purpose=purpose)  # type: ignore[arg-type]
    return LLMClient(llm, backend, use_cache=settings.llm.cache)


def generate_personas(
    settings: Settings,
    *,
    segments: list[str] | None = None,
    seed: int = 42,
    progress: Progress | None = None,
) -> PersonasResult:
    """Write a new persona version per segment and rebuild historical reactions.

    Raises:
        NotBuiltError: no segments yet.  LLMError: the LLM failed (nothing written).
    """
    from cdt.llm import make_embedder
    from cdt.personas import generate_personas as _generate

    init(settings)
    with connect(settings) as backend:
        return _generate(
            backend,
            _llm_client(settings, backend, "persona"),
            make_embedder(settings, backend),
            segments=segments,
            seed=seed,
            progress=progress,
        )


def personas(settings: Settings) -> list[dict[str, Any]]:
    """The newest persona of each segment, largest segment first."""
    from cdt.personas import latest_personas

    with _reading(settings) as backend:
        return latest_personas(backend)


def persona(settings: Settings, key: str) -> dict[str, Any]:
    """One persona by persona id or segment id (its newest version).

    Raises:
        ConfigError: no persona matches.
    """
    for row in personas(settings):
        if key in (row["persona_id"], row["segment_id"], str(row["segment_id"]).lower()):
            return row
    raise ConfigError(f"no persona or segment {key!r}", fix="see `cdt personas list`")


def parse_scenario(
    text: str | None = None,
    *,
    template: str | None = None,
    values: dict[str, str] | None = None,
    file: Path | None = None,
) -> Scenario:
    """A validated, typed scenario from free text, a template or a scenario file, with
    ``values`` (``--set``) laid over it: a template's own parameters fill the template, and
    any other name is a scenario field.

    Raises:
        ConfigError: no scenario or more than one source, an unknown field or template
        parameter, or an impossible value (names the field).
    """
    from cdt.scenario.overrides import compose

    return compose(text, template=template, values=values, file=file)


def with_scenario_parser(settings: Settings, parser: str) -> Settings:
    """``settings`` reading scenarios with ``parser`` (rules, llm or auto).

    Raises:
        ConfigError: another parser name.
    """
    if parser not in ("auto", "rules", "llm"):
        raise ConfigError(f"--parser {parser}: unknown", fix="use auto, rules or llm")
    llm = settings.llm.model_copy(update={"scenario_parser": parser})
    return settings.model_copy(update={"llm": llm})


def _llm_reads_scenarios(settings: Settings) -> bool:
    from cdt.llm import resolve_llm_provider

    mode = settings.llm.scenario_parser
    if mode != "auto":
        return mode == "llm"
    provider, _ = resolve_llm_provider(settings)
    return provider != "llamacpp" or bool(settings.llm.gguf_path)


def understand(settings: Settings, scenario: Scenario) -> Scenario:
    """``scenario`` read by the LLM too, where ``settings.llm.scenario_parser`` allows it
    (``auto``: a capable model is configured: Ollama, Cortex or a GGUF of your own; the
    bundled small model keeps the rules). The LLM's reading is reconciled with the rules':
    every disagreement is a warning, and a failed LLM call leaves the rules' reading with a
    warning. Scenarios without text (a scenario file of fields) are returned as they are."""
    from cdt.errors import LLMError
    from cdt.scenario.extract import extract, reconcile, reject

    if not scenario.text or not _llm_reads_scenarios(settings):
        return scenario
    init(settings)
    with connect(settings) as backend:
        try:
            reading = extract(_llm_client(settings, backend, "persona"), scenario)
        except LLMError as exc:
            return reject(scenario, exc)
    return reconcile(scenario, reading)


def scenario_fields() -> dict[str, Any]:
    """The scenario's fields for forms: each field's meaning, its choices where it has
    them, and the kinds."""
    from cdt.scenario import FIELDS, Kind
    from cdt.scenario.model import CHANNELS, CONTRACT_TYPES, DEVICE_TIERS, PLANS

    return {
        "fields": FIELDS,
        "choices": {
            "kind": [k.value for k in Kind],
            "plans": list(PLANS),
            "target_plan": list(PLANS),
            "channel": list(CHANNELS),
            "contract_types": list(CONTRACT_TYPES),
            "device_tiers": list(DEVICE_TIERS),
        },
    }


def edit_scenario(scenario: Scenario, values: dict[str, Any]) -> Scenario:
    """``scenario`` with fields set by hand (the app's form), checked like ``--set``.

    Raises:
        ConfigError: an unknown field or an impossible value.
    """
    from cdt.scenario.overrides import apply

    changed = {k: v for k, v in values.items() if getattr(scenario, k, None) != v}
    return apply(scenario, changed, where="the form")


def plan_fields(scenario: Scenario) -> dict[str, Any]:
    """The fields of ``scenario`` that are set, for display (values as plain text or
    numbers)."""
    return {k: (v.value if hasattr(v, "value") else v) for k, v in scenario.fields().items()}


def plan(settings: Settings, scenario: Scenario) -> dict[str, Any]:
    """What simulating ``scenario`` would do, without an LLM call or a write: its parsed
    fields and warnings, the customers it reaches per segment, and whether the history
    grounds its numbers (`cdt simulate --dry-run`).

    Raises:
        NotBuiltError: no segments or response model yet.
    """
    from cdt.agents.plan import plan_simulation
    from cdt.calibrate import latest_model

    if scenario.text and _llm_reads_scenarios(settings):
        scenario = scenario.model_copy(
            update={
                "warnings": [
                    *scenario.warnings,
                    "a dry run shows the rules' reading only: the run itself also asks the LLM "
                    "(--parser rules keeps the rules' reading)",
                ]
            }
        )
    with _reading(settings) as backend:
        return plan_simulation(backend, latest_model(backend), scenario, numbers=False).to_dict()


def simulate(
    settings: Settings,
    scenario: Scenario,
    *,
    segments: list[str] | None = None,
    seed: int = 42,
    samples: int = 1,
    on_segment: Callable[[dict[str, Any]], None] | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Simulate every (or every named) segment's reaction and store it in HISTORY.

    Raises:
        NotBuiltError: no personas or response model yet.  ConfigError: bad segments.
    """
    from cdt.agents import simulate as _simulate
    from cdt.llm import make_embedder

    init(settings)
    with connect(settings) as backend:
        return _simulate(
            backend,
            _llm_client(settings, backend),
            make_embedder(settings, backend),
            scenario,
            segments=segments,
            seed=seed,
            samples=samples,
            deadline=settings.llm.deadline_s,
            on_segment=on_segment,
            progress=progress,
        )


def calibrate(
    settings: Settings,
    *,
    replicates: int = 20,
    seed: int = 42,
    progress: Progress | None = None,
) -> Any:
    """Fit the response model on campaign outcomes, backtest it, and store both.

    Raises:
        NotBuiltError: no segments or campaign responses yet.
    """
    from cdt.calibrate import calibrate as _calibrate

    if not 0 <= replicates <= 200:
        raise ConfigError(f"replicates must be 0-200, got {replicates}", fix="use --replicates 20")
    init(settings)
    with connect(settings) as backend:
        return _calibrate(backend, replicates=replicates, seed=seed, progress=progress)


def backtest(
    settings: Settings,
    *,
    holdout: float = 0.15,
    replicates: int = 20,
    llm_units: int = 8,
    seed: int = 42,
    progress: Progress | None = None,
) -> Any:
    """Hold out the most recent campaigns, refit, and score the model against the overall
    mean, the per-segment mean and (on ``llm_units`` held-out units) the LLM. Stored.

    Raises:
        NotBuiltError: no segments or campaign responses (or, with ``llm_units``, personas).
        ConfigError: a bad holdout share.
    """
    from cdt.agents import select_personas
    from cdt.agents.rates import guess_rates
    from cdt.calibrate import backtest_cells, latest_model_id
    from cdt.calibrate.backtest import backtest as _backtest
    from cdt.calibrate.backtest import store

    if llm_units < 0:
        raise ConfigError("--llm-units must be 0 or more", fix="use --llm-units 8")
    init(settings)
    with connect(settings) as backend:
        cells, scorer = backtest_cells(backend, share=holdout, progress=progress)
        llm = None
        if llm_units:
            personas = {str(p["segment_id"]): p for p in select_personas(backend, None)}
            client = _llm_client(settings, backend)

            def llm(unit: dict[str, Any]) -> dict[str, float]:
                return guess_rates(client, personas[unit["segment_id"]], unit, seed)

        result = _backtest(
            cells,
            scorer=scorer,
            share=holdout,
            replicates=replicates,
            seed=seed,
            llm=llm,
            llm_units=llm_units,
            progress=progress,
        )
        with backend.work("ml"), backend.transaction():
            store(backend, result, latest_model_id(backend))
        return result


def ask(settings: Settings, key: str, scenario: Scenario, *, seed: int = 42) -> dict[str, Any]:
    """One persona's reaction (spec §4.3) with the history it was shown. Not stored."""
    from cdt.agents import gather_history, react
    from cdt.llm import make_embedder

    chosen = persona(settings, key)
    with connect(settings) as backend:
        embedder = make_embedder(settings, backend)
        history, how, verbatim = gather_history(backend, embedder, [chosen], scenario)[
            str(chosen["segment_id"])
        ]
        client = _llm_client(settings, backend)
        vetted, prompt_hash = react(client, chosen, history, scenario, seed, verbatim)
    reaction = vetted.reaction.model_dump()
    if vetted.sentiment is None:
        reaction["sentiment_score"] = None
    return {
        "segment_id": chosen["segment_id"],
        "persona_name": chosen["persona_name"],
        "scenario": scenario.to_dict(),
        "reaction": reaction,
        "text_sources": vetted.sources,
        "gate_rejected": vetted.rejected,
        "retrieval": how,
        "history_used": [h["reaction_summary"] for h in history],
        "prompt_hash": prompt_hash,
        "cached": all(a.completion.cached for a in vetted.answers),
    }


def history(settings: Settings, limit: int = 50) -> list[dict[str, Any]]:
    """Stored simulations, newest first."""
    with _reading(settings) as backend:
        return backend.query(
            "SELECT simulation_id, scenario_text, status, provider, model_id, started_at, "
            "finished_at, overall FROM HISTORY.SIMULATIONS ORDER BY started_at DESC LIMIT ?",
            [limit],
        ).to_pylist()


def history_show(settings: Settings, simulation_id: str) -> dict[str, Any]:
    """A stored simulation replayed from HISTORY, without calling any LLM.

    Raises:
        ConfigError: unknown simulation id.
    """
    import json

    with _reading(settings) as backend:
        rows = backend.query(
            "SELECT * FROM HISTORY.SIMULATIONS WHERE simulation_id = ? "
            "OR simulation_id LIKE ? ORDER BY started_at DESC",
            [simulation_id, f"{simulation_id}%"],
        ).to_pylist()
        if not rows:
            raise ConfigError(f"no simulation {simulation_id!r}", fix="see `cdt history`")
        head = rows[0]
        results = backend.query(
            "SELECT reaction FROM HISTORY.SIMULATION_RESULTS WHERE simulation_id = ? "
            "ORDER BY customer_count DESC, segment_id",
            [head["simulation_id"]],
        ).to_pylist()

    def parsed(value: object) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    scenario = parsed(head["scenario_params"]) or {}
    return {
        "simulation_id": head["simulation_id"],
        "scenario": scenario,
        "warnings": scenario.get("warnings", []),
        "segments": [parsed(r["reaction"]) for r in results],
        "overall": parsed(head["overall"]),
        "recommendation": head["recommendation"],
        "provenance": {
            "backend": head["backend"],
            "provider": head["provider"],
            "model_id": head["model_id"],
            "data_snapshot_id": head["data_snapshot_id"],
            "persona_versions": parsed(head["persona_versions"]),
            "started_at": str(head["started_at"]),
            "status": head["status"],
        },
    }


def campaign_test(
    settings: Settings,
    variants_file: Path,
    *,
    segments: list[str] | None = None,
    out: Path | None = None,
    seed: int = 42,
    progress: Progress | None = None,
) -> Any:
    """Simulate every variant of a CSV file and compare them per segment (a Polars frame);
    ``out`` (.csv or .parquet) also writes the comparison."""
    from cdt.agents.campaign import export, read_variants

    variants = read_variants(variants_file)
    if out is not None and out.suffix.lower() not in (".csv", ".parquet"):
        raise ConfigError(f"cannot export to {out.name}", fix="use a .csv or .parquet file")
    frame = compare_variants(settings, variants, segments=segments, seed=seed, progress=progress)
    if out is not None:
        export(frame, out)
    return frame


def compare_variants(
    settings: Settings,
    variants: list[tuple[str, Scenario]],
    *,
    segments: list[str] | None = None,
    seed: int = 42,
    progress: Progress | None = None,
    on_variant: Callable[[str, dict[str, Any]], None] | None = None,
) -> Any:
    """Simulate each (name, scenario) variant (each stored in HISTORY) and compare them per
    segment: a Polars frame with one row per variant and segment, best variant flagged."""
    from cdt.agents.campaign import comparison

    results = []
    for name, scenario in variants:
        result = simulate(
            settings, scenario, segments=segments, seed=seed, progress=progress
        ).to_dict()
        if on_variant:
            on_variant(name, result)
        results.append((name, result))
    return comparison(results)


def variants(rows: list[dict[str, str]]) -> list[tuple[str, Scenario]]:
    """Validated (name, scenario) variants from rows (``variant`` and ``scenario``, or
    ``template`` plus its parameters), as a campaign-test CSV file would give them.

    Raises:
        DataError: no rows, missing columns, too many or repeated variants.
        ConfigError: an invalid scenario or template (names the row).
    """
    from cdt.agents.campaign import variants_from_rows

    return variants_from_rows(rows)


def templates() -> list[dict[str, Any]]:
    """The scenario templates: name, description, text pattern and parameter defaults."""
    from cdt.scenario import TEMPLATES

    return [
        {
            "name": t.name,
            "description": t.description,
            "text": t.text,
            "defaults": t.defaults,
            "kind": t.kind.value,
        }
        for t in TEMPLATES.values()
    ]


@contextmanager
def _reading(settings: Settings) -> Iterator[Backend]:
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
    with _reading(settings) as backend:
        rows = backend.query(
            "SELECT stage, finished_at FROM APP.BUILD_STATE ORDER BY finished_at"
        ).to_pylist()
    return {
        "backend": settings.backend,
        "location": _location(settings),
        "stages": {str(r["stage"]): str(r["finished_at"]) for r in rows},
    }


def customers(
    settings: Settings, segment_id: str, *, page: int = 0, page_size: int = 25
) -> dict[str, Any]:
    """One page of a segment's customers (closest to the centroid first) with their key
    features: ``{"total": n, "page": p, "rows": [...]}``.

    Raises:
        ConfigError: a bad page or page size.  NotBuiltError: no segments yet.
    """
    if page < 0 or not 1 <= page_size <= 500:
        raise ConfigError(
            f"page {page} / page size {page_size} out of range",
            fix="use a page >= 0 and a page size of 1-500",
        )
    with _reading(settings) as backend:
        total = int(
            backend.scalar(
                "SELECT count(*) FROM ANALYTICS.CUSTOMER_SEGMENTS WHERE segment_id = ?",
                [segment_id],
            )
        )
        rows = backend.query(
            read_sql("customer_page", backend.dialect), [segment_id, page_size, page * page_size]
        ).to_pylist()
    return {"total": total, "page": page, "page_size": page_size, "rows": rows}


def latest_backtest(settings: Settings) -> dict[str, Any] | None:
    """The most recent stored backtest (without per-unit rows), or None."""
    from cdt.calibrate.backtest import latest

    with _reading(settings) as backend:
        found = latest(backend)
    return None if found is None else found.to_dict(units=False)
