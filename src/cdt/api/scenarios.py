"""The facade's scenarios: read them (rules, LLM, templates, forms), plan and simulate them,
compare variants, and replay stored simulations."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cdt.config import Settings
from cdt.errors import ConfigError, NotBuiltError
from cdt.progress import Progress

if TYPE_CHECKING:
    from cdt.agents.result import SimulationResult
    from cdt.scenario import Scenario

from cdt.api.session import connect, fresh, llm_client, read_connection, ready, words_client


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


def request_of(
    settings: Settings, scenario: Scenario | str, parser: str | None = None
) -> tuple[Settings, Scenario]:
    """A request's settings and scenario: free ``scenario`` text is parsed, and ``parser``
    (rules, llm or auto) overrides the configured reader. Every facade request reads its
    scenario here, so the same text is read alike by the CLI and the app.

    Raises:
        ConfigError: an unknown parser, or text that cannot be read.
    """
    if parser is not None:
        settings = with_scenario_parser(settings, parser)
    if isinstance(scenario, str):
        scenario = parse_scenario(scenario)
    return settings, scenario


def _llm_reads_scenarios(settings: Settings) -> bool:
    from cdt.llm import resolve_llm_provider

    mode = settings.llm.scenario_parser
    if mode != "auto":
        return mode == "llm"
    provider, _ = resolve_llm_provider(settings)
    return provider != "llamacpp" or bool(settings.llm.gguf_path)


def understand(settings: Settings, scenario: Scenario, *, within: float | None = None) -> Scenario:
    """``scenario`` read by the LLM too, where ``settings.llm.scenario_parser`` allows it
    (``auto``: a capable model is configured: Ollama, an OpenAI-compatible server, Cortex or a
    GGUF of your own; the
    bundled small model keeps the rules). The LLM's reading is reconciled with the rules':
    every disagreement is a warning, an audience field that only the LLM read and that would
    leave nobody is held back with a warning, and a failed LLM call leaves the rules' reading
    with a warning. What it reads is then checked for plausibility like any reading.
    Scenarios without text (a scenario file of fields) are returned as they are."""
    from cdt.agents.reading import read

    if not scenario.text or not _llm_reads_scenarios(settings):
        return scenario
    if within is not None:  # the reading may not take longer than the request's deadline
        llm = settings.llm.model_copy(update={"timeout_s": min(settings.llm.timeout_s, within)})
        settings = settings.model_copy(update={"llm": llm})
    ready(settings)
    with connect(settings) as backend:
        return read(backend, llm_client(settings, backend, "persona"), scenario)


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
    numbers; several changes in their ``--set changes=`` syntax)."""
    out = {k: (v.value if hasattr(v, "value") else v) for k, v in scenario.fields().items()}
    if scenario.changes:
        out["changes"] = changes_text(scenario)
    return out


def changes_text(scenario: Scenario) -> str:
    """``scenario``'s several price changes as ``--set changes=`` writes them ("" for none)."""
    from cdt.scenario.changes import format_changes

    return format_changes(scenario.changes)


def plan(
    settings: Settings,
    scenario: Scenario | str,
    *,
    segments: list[str] | None = None,
    parser: str | None = None,
) -> dict[str, Any]:
    """What simulating ``scenario`` (over ``segments``, or all) would do, without an LLM
    call or a write: its parsed fields and warnings, the customers it reaches per segment,
    and whether the history grounds its numbers (`cdt simulate --dry-run`): the simulation's
    own path, stopped before the LLM.

    Raises:
        NotBuiltError: no segments or response model yet.  ConfigError: unknown segments.
    """
    from cdt.agents.plan import plan_simulation
    from cdt.agents.segments import speakers
    from cdt.calibrate import model_or_none

    settings, scenario = request_of(settings, scenario, parser)
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
    with read_connection(settings) as backend:
        chosen = {str(p["segment_id"]) for p in speakers(backend, segments).rows}
        stale = fresh(backend, settings.model_copy(update={"allow_stale": True}))
        planned = plan_simulation(backend, model_or_none(backend), scenario, numbers=False)
        planned.warnings = [*(f"{s}: run `cdt build`" for s in stale), *planned.warnings]
        planned.counts = [c for c in planned.counts if str(c["segment_id"]) in chosen]
        return planned.to_dict()


def simulate(
    settings: Settings,
    scenario: Scenario | str,
    *,
    segments: list[str] | None = None,
    seed: int = 42,
    parser: str | None = None,
    on_numbers: Callable[[list[dict[str, Any]], dict[str, Any]], None] | None = None,
    on_segment: Callable[[dict[str, Any]], None] | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Read ``scenario`` (by the LLM too where configured: ``understand``), simulate every (or
    every named) segment's reaction and store it in HISTORY: the one path the CLI, the
    Studio and the Campaign Tester take.

    ``on_numbers`` gets every segment's numbers and stance (and the plan) before any LLM
    call; ``on_segment`` gets each segment as its words arrive. The result holds the warnings
    (in its scenario) and the exit status (``exit_code``). ``scenario`` may be text;
    ``parser`` overrides the configured reader (``request_of``).

    Raises:
        NotBuiltError: no segments or response model yet.  ConfigError: bad segments.
    """
    from cdt.agents.simulation import simulate as _simulate
    from cdt.llm import make_embedder

    settings, scenario = request_of(settings, scenario, parser)
    started = time.monotonic()
    scenario = understand(settings, scenario, within=settings.llm.deadline_s)
    ready(settings)
    with connect(settings) as backend:
        stale = fresh(backend, settings, words=True)
        return _simulate(
            backend,
            words_client(settings, backend),
            make_embedder(settings, backend),
            scenario,
            segments=segments,
            seed=seed,
            voices=settings.voices,
            # one deadline for every LLM call of the request, the reading's included
            deadline=max(1.0, settings.llm.deadline_s - (time.monotonic() - started)),
            on_numbers=on_numbers,
            on_segment=on_segment,
            progress=progress,
            stale=stale,
        )


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
    from cdt.outputs import writable_file

    if out is not None:  # checked before any variant is simulated and stored
        writable_file(out, (".csv", ".parquet"))
    variants = read_variants(variants_file)
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


def sweep(
    settings: Settings,
    scenario: Scenario | str,
    *,
    param: str,
    start: float,
    stop: float,
    step: float,
    max_churners: float | None = None,
) -> Any:
    """``scenario`` with ``param`` swept from ``start`` to ``stop``: every point scored by the
    response model (no LLM), with the net-revenue optimum, the break-even and the segments
    to exempt (`cdt sweep`). Stored in HISTORY.SWEEPS (replay with ``history_show``).

    Raises:
        ConfigError: a bad range or field, or a scenario the history does not ground.
        NotBuiltError: no response model yet.
    """
    from cdt.agents.sweep import run_sweep
    from cdt.agents.sweep_points import sweep_values
    from cdt.calibrate import model_or_none
    from cdt.history import store_sweep

    settings, scenario = request_of(settings, scenario)
    values = sweep_values(param, start, stop, step)
    scenario = understand(settings, scenario)
    ready(settings)
    with connect(settings) as backend:
        stale = fresh(backend, settings)
        model = model_or_none(backend)
        if model is None:
            raise NotBuiltError(
                "a sweep needs campaign history, and this twin has none",
                fix="add campaign_responses.csv (or .parquet) to the data folder, then "
                "`cdt build --from DIR`",
            )
        result = run_sweep(backend, model, scenario, param, values, max_churners=max_churners)
        result.warnings = [*(f"from a stale twin: {s}" for s in stale), *result.warnings]
        result.sweep_id = store_sweep(
            backend, result.to_dict(), scenario.to_dict(), (start, stop, step), model.model_id
        )
    return result


def sweep_fields() -> list[str]:
    """The scenario fields a sweep can vary (the numeric ones)."""
    from cdt.agents.sweep_points import numeric_fields

    return numeric_fields()
