"""The `cdt` command line: parse arguments, call cdt.api, render the result."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cdt import __version__, api
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


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[RichProgress | None]:
    """Rich progress bars on stderr, or None when output is for a script or not a terminal."""
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
    as_json: JsonOption = False,
) -> None:
    """Build the twin: generate (or take --from), load, features, segment; skip unchanged."""
    with progress_bars(not as_json) as progress:
        result = api.build(
            _settings(ctx),
            scale=scale,
            seed=seed,
            source=Path(source) if source else None,
            k=_parse_k(k),
            force=force,
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
