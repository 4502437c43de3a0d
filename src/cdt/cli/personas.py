"""`cdt personas generate|list|show`."""

from __future__ import annotations

from typing import Annotated

import typer

from cdt import api, console
from cdt.cli.base import JsonOption, SeedOption, app, out, print_json, progress_bars, settings_of

personas_app = typer.Typer(help="Generate, list and show personas.", no_args_is_help=True)
app.add_typer(personas_app, name="personas")


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
            settings_of(ctx), segments=segment_ids, seed=seed, progress=progress
        )
    if as_json:
        print_json(result.to_dict())
        return
    console.show_personas_written(out, result)


@personas_app.command("list")
def personas_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The newest persona of each segment."""
    rows = api.personas(settings_of(ctx))
    if as_json:
        print_json(rows)
        return
    console.show_personas(out, rows)


@personas_app.command("show")
def personas_show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="persona or segment id")],
    as_json: JsonOption = False,
) -> None:
    """One persona in full: data composites and LLM-written text."""
    row = api.persona(settings_of(ctx), key)
    if as_json:
        print_json(row)
        return
    console.show_persona(out, row)
