"""The `cdt` command line: parse arguments, call cdt.api, render the result."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cdt import __version__, api, console
from cdt.config import Settings, load_settings
from cdt.errors import CdtError, ConfigError

app = typer.Typer(
    name="cdt",
    help="Customer digital twin for Snowmobile Wireless.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


class RichProgress:
    """Renders cdt.progress events as Rich progress bars."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def start(self, task: str, total: float | None = None) -> None:
        self._tasks[task] = self._progress.add_task(task, total=total)

    def advance(self, task: str, steps: float = 1) -> None:
        self._progress.advance(self._tasks[task], steps)

    def finish(self, task: str) -> None:
        task_id = self._tasks[task]
        total = self._progress.tasks[task_id].total
        self._progress.update(task_id, completed=total if total is not None else 1)


class JsonlProgress:
    """Progress as JSON lines on stderr (``CDT_PROGRESS=jsonl``), for scripts and supervisors:
    ``{"event": "start"|"advance"|"finish", "task": ..., "total"|"steps": ..., "t": ...}``."""

    def _emit(self, **event: object) -> None:
        sys.stderr.write(json.dumps({**event, "t": round(time.time(), 3)}) + "\n")
        sys.stderr.flush()

    def start(self, task: str, total: float | None = None) -> None:
        self._emit(event="start", task=task, total=total)

    def advance(self, task: str, steps: float = 1) -> None:
        self._emit(event="advance", task=task, steps=steps)

    def finish(self, task: str) -> None:
        self._emit(event="finish", task=task)


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[RichProgress | JsonlProgress | None]:
    """Rich progress bars on stderr; JSON lines with ``CDT_PROGRESS=jsonl`` (even with
    --json); or None when output is for a script or not a terminal."""
    if os.environ.get("CDT_PROGRESS") == "jsonl":
        yield JsonlProgress()
        return
    if not enabled or not err.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        yield RichProgress(progress)


@app.callback()
def main_options(
    ctx: typer.Context,
    backend: Annotated[
        str | None, typer.Option(help="duckdb or snowflake [env: CDT_BACKEND]", show_default=False)
    ] = None,
    profile: Annotated[
        str | None, typer.Option(help="profile in cdt.toml [env: CDT_PROFILE]", show_default=False)
    ] = None,
    config: Annotated[
        str | None, typer.Option(help="path to cdt.toml [env: CDT_CONFIG]", show_default=False)
    ] = None,
    home: Annotated[
        str | None, typer.Option(help="data directory [env: CDT_HOME]", show_default=False)
    ] = None,
    llm: Annotated[
        str | None,
        typer.Option(
            help="auto, llamacpp, ollama or cortex [env: CDT_LLM_PROVIDER]", show_default=False
        ),
    ] = None,
    embedder: Annotated[
        str | None,
        typer.Option(
            help="auto, sentence-transformers or cortex [env: CDT_EMBEDDER]", show_default=False
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="call the LLM even when an identical answer is cached"),
    ] = False,
    debug: Annotated[bool, typer.Option(help="show tracebacks on errors")] = False,
) -> None:
    """Customer digital twin for Snowmobile Wireless."""
    flags = {
        "backend": backend,
        "profile": profile,
        "config": config,
        "home": home,
        "llm.provider": llm,
        "embedder.provider": embedder,
        "llm.cache": False if no_cache else None,
    }
    ctx.obj = load_settings(flags)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def _print_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


@app.command()
def init(
    ctx: typer.Context,
    roles: Annotated[
        bool, typer.Option(help="also create the spec's Snowflake roles, warehouses and grants")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Create the twin's schemas and tables (idempotent; keeps existing data)."""
    with progress_bars(not as_json) as progress:
        result = api.init(_settings(ctx), roles=roles, progress=progress)
    if as_json:
        _print_json(result.to_dict())
        return
    out.print(
        f"[green]✓[/] {result.backend} ready at {result.location}: "
        f"{len(result.tables)} tables ({result.statements} statements, all idempotent)"
    )
    if result.migrations:
        out.print(f"[green]✓[/] schema migrations applied: {', '.join(result.migrations)}")
    if result.roles_statements:
        out.print(f"[green]✓[/] roles, warehouses and grants: {result.roles_statements} statements")


@app.command()
def doctor(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Show the backend, LLM and embedder that would be used, and fix what does not answer."""
    report = api.doctor(_settings(ctx))
    if as_json:
        _print_json(report.to_dict())
    else:
        marks = {"ok": "[green]✓[/]", "warn": "[yellow]![/]", "fail": "[red]✗[/]"}
        for check in report.checks:
            out.print(
                f"{marks[check.status]} {check.component:<9} {check.choice:<22} {check.detail}",
                highlight=False,
                soft_wrap=True,
            )
            if check.fix:
                out.print(f"  {'':<9} fix: {check.fix}", highlight=False, soft_wrap=True)
    failed = [check for check in report.checks if check.status == "fail"]
    if failed:
        first = failed[0]
        err.print(
            f"[red]error:[/] {first.component}: {first.detail} — {first.fix}"
            + (f" (and {len(failed) - 1} more failing)" if len(failed) > 1 else ""),
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)


ScaleOption = Annotated[
    float, typer.Option(help="1 = 1M customers; smaller scales shrink customer-level tables")
]
SeedOption = Annotated[int, typer.Option(help="random seed; the same seed gives the same bytes")]
JsonOption = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def _rows_table(title: str, rows: dict[str, int], seconds: float) -> None:
    total = sum(rows.values())
    out.print(
        f"[green]✓[/] {title}: {total:,} rows in {seconds:.1f} s "
        f"({total / max(seconds, 1e-9):,.0f} rows/s)"
    )
    for table, count in rows.items():
        out.print(f"    {table:<34} {count:>12,}", highlight=False)


@app.command()
def generate(
    ctx: typer.Context,
    scale: ScaleOption = 1.0,
    seed: SeedOption = 42,
    out_dir: Annotated[
        str | None, typer.Option("--out", help="output folder [default: the data dir, ./data]")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write synthetic Snowmobile data (Parquet) with a hidden ground truth."""
    with progress_bars(not as_json) as progress:
        result = api.generate(
            _settings(ctx),
            scale=scale,
            seed=seed,
            out=Path(out_dir) if out_dir else None,
            progress=progress,
        )
    if as_json:
        _print_json(result.to_dict())
        return
    _rows_table(f"generated {result.out}", result.rows, result.seconds)


@app.command()
def load(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Option("--from", help="folder of CSV/Parquet files named after the spec's tables"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load RAW and EXTERNAL tables from a folder, all or nothing, and check integrity."""
    with progress_bars(not as_json) as progress:
        result = api.load(
            _settings(ctx), source=Path(source) if source else None, progress=progress
        )
    if as_json:
        _print_json(result.to_dict())
        return
    _print_load(result)


def _print_load(result: api.LoadResult) -> None:
    _rows_table(f"loaded {result.source}", result.rows, result.seconds)
    broken = sum(result.integrity.values())
    out.print(f"[green]✓[/] integrity: {len(result.integrity)} checks, {broken} problems")


KOption = Annotated[str, typer.Option("--k", help="number of segments (2-50), or 'auto'")]


def _parse_k(text: str) -> int | str:
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"--k {text!r} is not a number", fix="use --k 8 or --k auto") from None


@app.command()
def build(
    ctx: typer.Context,
    scale: ScaleOption = 1.0,
    seed: SeedOption = 42,
    source: Annotated[
        str | None, typer.Option("--from", help="load this folder instead of generating data")
    ] = None,
    k: KOption = "8",
    force: Annotated[bool, typer.Option(help="redo stages even when their input is unchanged")] = (
        False
    ),
    personas: Annotated[
        bool, typer.Option(help="also write personas with the LLM (the slowest stage)")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Build the twin: generate (or take --from), load, features, segment, personas."""
    with progress_bars(not as_json) as progress:
        result = api.build(
            _settings(ctx),
            scale=scale,
            seed=seed,
            source=Path(source) if source else None,
            k=_parse_k(k),
            force=force,
            with_personas=personas,
            progress=progress,
        )
    if as_json:
        _print_json(result.to_dict())
        return
    if result.generated:
        _rows_table(
            f"generated {result.generated.out}", result.generated.rows, result.generated.seconds
        )
    else:
        out.print(f"[green]✓[/] generate: {result.data_dir} is up to date")
    if result.loaded:
        _print_load(result.loaded)
    else:
        out.print("[green]✓[/] load: the database already holds this dataset")
    if result.featured:
        _rows_table("features", result.featured.rows, result.featured.seconds)
    else:
        out.print("[green]✓[/] features: up to date")
    if result.segmented:
        out.print(
            f"[green]✓[/] segment: {result.segmented.k} segments in "
            f"{result.segmented.seconds:.1f} s (silhouette {result.segmented.silhouette:.3f})"
        )
    else:
        out.print("[green]✓[/] segment: up to date")
    if result.calibrated:
        summary = result.calibrated.model.summary()
        line = (
            f"[green]✓[/] calibrate: response model on {summary['responses']:,} responses in "
            f"{summary['fit_seconds']} s"
        )
        if result.calibrated.backtest is not None:
            mae = result.calibrated.backtest.summary["model"]["response_rate"]["mae_pp"]
            line += f"; backtested response-rate error {mae:.2f} pp (`cdt backtest` for more)"
        out.print(line, highlight=False)
    else:
        out.print("[green]✓[/] calibrate: up to date")
    if result.personas:
        out.print(
            f"[green]✓[/] personas: {len(result.personas.personas)} written in "
            f"{result.personas.seconds:.1f} s"
        )
    else:
        out.print("[green]✓[/] personas: up to date" if personas else "personas: skipped")
    _print_segments(api.segments(_settings(ctx)))


@app.command()
def features(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Rebuild the analytics feature tables from RAW and EXTERNAL."""
    with progress_bars(not as_json) as progress:
        result = api.features(_settings(ctx), progress=progress)
    if as_json:
        _print_json(result.to_dict())
        return
    _rows_table("features", result.rows, result.seconds)


@app.command()
def segment(
    ctx: typer.Context,
    k: KOption = "8",
    feature_list: Annotated[
        str | None,
        typer.Option(
            "--features",
            help="comma-separated feature[:weight] list [default: the built-in behavioural list]",
        ),
    ] = None,
    n_init: Annotated[int, typer.Option(help="K-means restarts")] = 8,
    seed: SeedOption = 42,
    as_json: JsonOption = False,
) -> None:
    """Cluster customers into segments (K-means) and name them from data."""
    with progress_bars(not as_json) as progress:
        result = api.segment(
            _settings(ctx),
            k=_parse_k(k),
            features=feature_list,
            n_init=n_init,
            seed=seed,
            progress=progress,
        )
    if as_json:
        _print_json(result.to_dict())
        return
    if result.k_scores:
        scores = ", ".join(f"k={k}: {v:.3f}" for k, v in result.k_scores.items())
        out.print(f"silhouette by k (sample): {scores}; chose k={result.k}")
    out.print(
        f"[green]✓[/] {result.k} segments of {result.customers:,} customers in "
        f"{result.seconds:.1f} s; silhouette {result.silhouette:.3f}"
        + ("; ids kept from the previous run" if result.ids_reused else "")
    )
    _print_segments(api.segments(_settings(ctx)))


@app.command()
def segments(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the current segments: size, ARPU, tenure, data, churn risk, top plan, and why."""
    rows = api.segments(_settings(ctx))
    if as_json:
        _print_json(rows)
        return
    _print_segments(rows)


def _print_segments(rows: list[dict[str, object]]) -> None:
    table = Table(title="segments")
    for column in (
        "id",
        "name",
        "customers",
        "%",
        "ARPU",
        "tenure",
        "data GB",
        "churn risk",
        "top plan",
        "why this name",
    ):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["segment_id"]),
            str(row["segment_name"]),
            f"{row['customer_count']:,}",
            _number(row["pct_of_base"], "{:.1f}"),
            _money(row["avg_arpu"]),
            _number(row["avg_tenure_months"], "{:.0f} mo"),
            _number(row["avg_data_usage_gb"], "{:.1f}"),
            _number(row["avg_churn_risk"], "{:.2f}"),
            str(row["top_plan"]),
            str(row["name_reason"]),
        )
    out.print(table)


def _money(value: object) -> str:
    return "" if value is None else f"${float(value):,.2f}"  # type: ignore[arg-type]


def _number(value: object, pattern: str) -> str:
    return "" if value is None else pattern.format(float(value))  # type: ignore[arg-type]


@app.command()
def calibrate(
    ctx: typer.Context,
    replicates: Annotated[
        int, typer.Option(help="bootstrap refits for the 90% intervals (0-200)")
    ] = 20,
    seed: SeedOption = 42,
    as_json: JsonOption = False,
) -> None:
    """Fit the response model on campaign outcomes (numbers from data), and backtest it."""
    with progress_bars(not as_json) as progress:
        result = api.calibrate(_settings(ctx), replicates=replicates, seed=seed, progress=progress)
    if as_json:
        _print_json(result.to_dict())
        return
    summary = result.model.summary()
    out.print(
        f"response model {summary['model_id'][:8]}: {summary['responses']:,} responses in "
        f"{summary['cells']:,} cells, {summary['inputs']} inputs × {len(summary['outcomes'])} "
        f"outcomes, {summary['replicates']} bootstrap replicates, {summary['fit_seconds']} s",
        highlight=False,
    )
    slopes = ", ".join(f"{k} {v:+.3f}" for k, v in summary["churn_log_odds_per_dollar"].items())
    out.print(f"churn log-odds per $1 of price increase: {slopes}", highlight=False)
    if result.backtest is not None:
        _print_backtest(result.backtest)


@app.command()
def backtest(
    ctx: typer.Context,
    holdout: Annotated[
        float, typer.Option(help="share of the most recent campaigns held out")
    ] = 0.15,
    replicates: Annotated[int, typer.Option(help="bootstrap refits for the intervals")] = 20,
    llm_units: Annotated[
        int, typer.Option(help="held-out (campaign, segment) units to ask the LLM about")
    ] = 8,
    seed: SeedOption = 42,
    as_json: JsonOption = False,
) -> None:
    """Score the response model on held-out recent campaigns against the overall mean, the
    per-segment mean and the LLM's own numbers; stored and shown with simulations."""
    with progress_bars(not as_json) as progress:
        result = api.backtest(
            _settings(ctx),
            holdout=holdout,
            replicates=replicates,
            llm_units=llm_units,
            seed=seed,
            progress=progress,
        )
    if as_json:
        _print_json(result.to_dict())
        return
    _print_backtest(result)


def _scored_units(held: dict[str, Any]) -> str:
    scored, least = held.get("units_scored"), held.get("min_delivered")
    if scored is None or scored == held["units"]:
        return ""
    return f", {scored} scored (those reached by at least {least} messages)"


def _print_backtest(result: Any) -> None:
    held = result.holdout
    table = Table(
        title=(
            f"backtest {result.backtest_id[:8]}: {held['campaigns']} most recent campaigns "
            f"held out (from {held['cutoff_sent_at'][:10]}), {held['units']} campaign×segment units"
            + _scored_units(held)
        )
    )
    for column in ("method", "rate", "units", "MAE pp", "bias pp", "90% coverage", "slope"):
        table.add_column(column)
    for method, rates in result.summary.items():
        if method == "llm_blend":
            continue
        for rate, entry in rates.items():
            table.add_row(
                method,
                rate,
                str(entry["units"]),
                f"{entry['mae_pp']:.2f}",
                f"{entry['bias_pp']:+.2f}",
                "" if "coverage" not in entry else f"{entry['coverage']:.0%}",
                str(entry.get("calibration_slope", "")),
            )
    out.print(table)
    out.print(f"LLM blend weight earned: {result.llm_weight:.1f}", highlight=False)


personas_app = typer.Typer(help="Generate, list and show personas.", no_args_is_help=True)
app.add_typer(personas_app, name="personas")
history_app = typer.Typer(help="Past simulations.", invoke_without_command=True)
app.add_typer(history_app, name="history")


@personas_app.command("generate")
def personas_generate(
    ctx: typer.Context,
    segment_ids: Annotated[
        list[str] | None, typer.Option("--segment", help="only this segment (repeatable)")
    ] = None,
    seed: SeedOption = 42,
    as_json: JsonOption = False,
) -> None:
    """Write a new persona version per segment (old versions are kept)."""
    with progress_bars(not as_json) as progress:
        result = api.generate_personas(
            _settings(ctx), segments=segment_ids, seed=seed, progress=progress
        )
    if as_json:
        _print_json(result.to_dict())
        return
    for row in result.personas:
        out.print(
            f"[green]✓[/] {row['segment_id']} v{row['version']}: {row['persona_name']} — "
            f"{row['tagline']}",
            highlight=False,
        )
    out.print(
        f"{result.historical_reactions:,} historical reactions, {result.embeddings:,} "
        f"embeddings, in {result.seconds:.1f} s"
    )


@personas_app.command("list")
def personas_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The newest persona of each segment."""
    rows = api.personas(_settings(ctx))
    if as_json:
        _print_json(rows)
        return
    table = Table(title="personas")
    for column in ("segment", "persona", "version", "customers", "plan", "location"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            f"{row['segment_id']} {row['segment_name']}",
            str(row["persona_name"]),
            str(row["version"]),
            f"{row['customer_count']:,}",
            str(row["typical_plan"]),
            str(row["typical_location"]),
        )
    out.print(table)


@personas_app.command("show")
def personas_show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="persona or segment id")],
    as_json: JsonOption = False,
) -> None:
    """One persona in full: data composites and LLM-written text."""
    row = api.persona(_settings(ctx), key)
    if as_json:
        _print_json(row)
        return
    for name, value in row.items():
        out.print(f"[bold]{name}[/]: {value}", highlight=False, soft_wrap=True)


#: `cdt simulate`'s exit status when some segments' words are missing but the numbers are
#: complete (0: everything; 1: an error; 2: bad input).
WORDS_MISSING = 3

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="a scenario field (see the README) or a template parameter, name=value (repeatable)",
    ),
]
ScenarioFileOption = Annotated[
    Path | None, typer.Option("--scenario-file", help="a scenario as .toml or .json fields")
]


def _scenario(
    text: str | None, template: str | None, values: list[str] | None, file: Path | None = None
) -> Any:
    pairs = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set {item!r} is not name=value", fix="e.g. --set price_delta=5")
        pairs[name.strip()] = value
    return api.parse_scenario(text, template=template, values=pairs, file=file)


@app.command()
def simulate(
    ctx: typer.Context,
    scenario: Annotated[str | None, typer.Argument(help='e.g. "price increase $5"')] = None,
    template: Annotated[str | None, typer.Option(help="a template from `cdt templates`")] = None,
    values: SetOption = None,
    scenario_file: ScenarioFileOption = None,
    segment_ids: Annotated[
        list[str] | None, typer.Option("--segments", help="only these segments (repeatable)")
    ] = None,
    seed: SeedOption = 42,
    samples: Annotated[
        int, typer.Option(help="LLM answers per segment (1-20); their spread widens intervals")
    ] = 1,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="show the parse and whom it reaches; no LLM, no writes"),
    ] = False,
    parser: Annotated[
        str | None,
        typer.Option(help="read free text by rules, llm (and rules), or auto (default)"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """How would each segment, and the whole base, react to a scenario?"""
    settings = _settings(ctx)
    if parser is not None:
        settings = api.with_scenario_parser(settings, parser)
    parsed = _scenario(scenario, template, values, scenario_file)
    if not dry_run:
        parsed = api.understand(settings, parsed)
    if dry_run:
        plan = api.plan(settings, parsed)
        if as_json:
            _print_json(plan)
        else:
            console.show_plan(out, plan)
        return
    if not as_json:
        console.show_scenario(out, parsed.to_dict(), parsed.warnings)

    def show(row: dict[str, Any]) -> None:
        if not as_json:
            out.print(console.segment_line(row), highlight=False)

    with progress_bars(not as_json) as progress:
        result = api.simulate(
            settings,
            parsed,
            segments=segment_ids,
            seed=seed,
            samples=samples,
            on_segment=show,
            progress=progress,
        )
    if as_json:
        _print_json(result.to_dict())
    else:
        extra = [w for w in result.scenario["warnings"] if w not in parsed.warnings]
        for warning in extra:
            out.print(f"[yellow]![/] {warning}", highlight=False)
        console.show_overall(out, result.to_dict())
    if result.overall["segments_failed"]:
        raise typer.Exit(WORDS_MISSING)


@app.command()
def ask(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="segment id (e.g. SEG01) or persona id")],
    scenario: Annotated[str | None, typer.Argument(help="the scenario")] = None,
    template: Annotated[str | None, typer.Option(help="a template from `cdt templates`")] = None,
    values: SetOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ask one persona how they would react (spec §4.3)."""
    answer = api.ask(_settings(ctx), key, _scenario(scenario, template, values))
    if as_json:
        _print_json(answer)
        return
    reaction = answer["reaction"]
    out.print(f"[bold]{answer['persona_name']}[/] ({answer['segment_id']})", highlight=False)
    for name, value in reaction.items():
        out.print(f"  {name}: {value}", highlight=False, soft_wrap=True)
    out.print(f"  history ({answer['retrieval']}):", highlight=False)
    for line in answer["history_used"]:
        out.print(f"    - {line}", highlight=False, soft_wrap=True)


@app.command("campaign-test")
def campaign_test(
    ctx: typer.Context,
    variants: Annotated[
        Path, typer.Argument(help="CSV: variant + scenario (or template + params)")
    ],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="export the comparison (.csv or .parquet)")
    ] = None,
    segment_ids: Annotated[
        list[str] | None, typer.Option("--segments", help="only these segments (repeatable)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compare several messages or offers per segment (A/B), and export the comparison."""
    with progress_bars(not as_json) as progress:
        frame = api.campaign_test(
            _settings(ctx), variants, segments=segment_ids, out=out_file, progress=progress
        )
    if as_json:
        _print_json(frame.to_dicts())
        return
    table = Table(title="campaign test (best = least churn per segment)")
    for column in ("segment", "variant", "churn", "complain", "accept", "sentiment", "best"):
        table.add_column(column, overflow="fold")
    for row in frame.iter_rows(named=True):
        table.add_row(
            f"{row['segment_id']} {row['segment_name']}",
            str(row["variant"]),
            _number(row["churn_share"], "{:.1%}"),
            _number(row["complain_share"], "{:.1%}"),
            _number(row["accept_share"], "{:.1%}"),
            _number(row["sentiment"], "{:+.2f}"),
            "✓" if row["best_for_segment"] else "",
        )
    out.print(table)
    if out_file:
        out.print(f"[green]✓[/] exported to {out_file}")


@app.command()
def templates(as_json: JsonOption = False) -> None:
    """Scenario templates for `cdt simulate --template NAME --set name=value`."""
    from cdt.scenario import TEMPLATES

    rows = [
        {"name": t.name, "description": t.description, "parameters": t.defaults}
        for t in TEMPLATES.values()
    ]
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        params = " ".join(f"--set {k}={v}" for k, v in row["parameters"].items())  # type: ignore[attr-defined]
        out.print(f"[bold]{row['name']}[/]: {row['description']}\n    {params}", highlight=False)


@history_app.callback()
def history_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List stored simulations (newest first); `cdt history show ID` replays one."""
    if ctx.invoked_subcommand is not None:
        return
    rows = api.history(_settings(ctx))
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        out.print(
            f"{str(row['simulation_id'])[:8]}  {row['started_at']}  {row['status']:<8} "
            f"{row['scenario_text'][:70]}",
            highlight=False,
        )


@history_app.command("show")
def history_show(
    ctx: typer.Context,
    simulation_id: Annotated[str, typer.Argument(help="id or its first characters")],
    as_json: JsonOption = False,
) -> None:
    """Replay a stored simulation without calling any LLM."""
    result = api.history_show(_settings(ctx), simulation_id)
    if as_json:
        _print_json(result)
        return
    console.show_scenario(out, result["scenario"], result.get("warnings", []))
    for row in result["segments"]:
        out.print("  " + console.segment_line(row), highlight=False)
    out.print(f"recommendation: {result['recommendation']}", highlight=False)


@app.command("app")
def serve_app(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on", min=1, max=65535)] = 8501,
) -> None:
    """Start the Streamlit app (five pages) against the current profile and backend."""
    from cdt.app import command, environment

    settings = _settings(ctx)
    err.print(f"cdt app: http://{host}:{port} ({settings.backend}); Ctrl-C stops it")
    line = command(host, port)
    # Become the server, so that signals (Ctrl-C, a supervisor's SIGTERM) reach it directly
    # and no orphaned server outlives this command.
    os.execve(line[0], line, environment(settings))


@app.command()
def version() -> None:
    """Print cdt's version."""
    out.print(__version__)


def main() -> None:
    """Entry point: one handler turns CdtError into a red one-liner and a non-zero exit."""
    debug = "--debug" in sys.argv[1:] or os.environ.get("CDT_DEBUG") == "1"
    try:
        app()
    except CdtError as exc:
        if debug:
            err.print_exception()
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("[red]interrupted[/]")
        sys.exit(130)
