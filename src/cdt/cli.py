"""The `cdt` command line: parse arguments, call cdt.api, render the result."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cdt import __version__, api
from cdt.config import Settings, load_settings
from cdt.errors import CdtError

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
