"""The `cdt` command line's frame: the app, its global options, the shared option types, and
the entry point that turns a CdtError into a red one-liner."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from cdt import api, console
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


def progress_bars(enabled: bool = True) -> Any:
    """Progress on stderr for people (or as JSON lines with ``CDT_PROGRESS=jsonl``)."""
    return console.progress_bars(err, enabled)


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
            help="auto, llamacpp, ollama, openai (any OpenAI-compatible server) or cortex "
            "[env: CDT_LLM_PROVIDER]",
            show_default=False,
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
    allow_stale: Annotated[
        bool,
        typer.Option(
            "--allow-stale",
            help="answer from a twin whose stages are stale, marking every result [env: "
            "CDT_ALLOW_STALE]",
        ),
    ] = False,
    wait: Annotated[
        float | None,
        typer.Option(
            help="seconds to wait while another process holds the twin (default 30) "
            "[env: CDT_WAIT]",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option(help="show tracebacks on errors")] = False,
) -> None:
    """Customer digital twin for Snowmobile Wireless."""
    _tracebacks["on"] = debug  # read by main() when an error reaches it
    flags = {
        "backend": backend,
        "profile": profile,
        "config": config,
        "home": home,
        "llm.provider": llm,
        "embedder.provider": embedder,
        "llm.cache": False if no_cache else None,
        "allow_stale": True if allow_stale else None,
        "wait_s": wait,
    }
    ctx.obj = load_settings(flags)


def settings_of(ctx: typer.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def print_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


ScaleOption = Annotated[
    float, typer.Option(help="1 = 1M customers; smaller scales shrink customer-level tables")
]
SeedOption = Annotated[
    int, typer.Option(help="random seed; the same seed gives the same data, numbers and words")
]
JsonOption = Annotated[bool, typer.Option("--json", help="machine-readable output")]

KOption = Annotated[str, typer.Option("--k", help="number of segments (2-50), or 'auto'")]


def parse_k(text: str) -> int | str:
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"--k {text!r} is not a number", fix="use --k 8 or --k auto") from None


#: `cdt simulate`'s exit status when some segments' words are missing but the numbers are
#: complete (0: everything; 1: an error; 2: bad input).

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


def scenario_of(
    text: str | None, template: str | None, values: list[str] | None, file: Path | None = None
) -> Any:
    pairs = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set {item!r} is not name=value", fix="e.g. --set price_delta=5")
        pairs[name.strip()] = value
    return api.parse_scenario(text, template=template, values=pairs, file=file)


#: Whether `--debug` was given: set by the global options, read once an error reaches main().
_tracebacks = {"on": False}


def main() -> None:
    """Entry point: one handler turns CdtError into a red one-liner and a non-zero exit
    (with its traceback first under --debug or CDT_DEBUG=1); what the library says on the
    ``cdt`` logger (e.g. waiting for the twin) is one line on stderr."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("cdt").addHandler(handler)
    try:
        app()
    except CdtError as exc:
        if _tracebacks["on"] or os.environ.get("CDT_DEBUG") == "1":
            err.print_exception()
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("[red]interrupted[/]")
        sys.exit(130)
    except OSError as exc:  # a path the user gave that cannot be read or written
        if _tracebacks["on"] or os.environ.get("CDT_DEBUG") == "1":
            err.print_exception()
        where = f" {exc.filename}" if exc.filename else ""
        err.print(
            f"[red]error:[/] cannot use{where}: {exc.strerror or exc} — check the path exists "
            "and is writable (--debug shows the traceback)",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
