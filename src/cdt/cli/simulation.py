"""`cdt simulate`, `ask`, `campaign-test`, `templates`, `history`, and `app`/`version`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from cdt import __version__, api, console
from cdt.cli.base import (
    JsonOption,
    ScenarioFileOption,
    SeedOption,
    SetOption,
    app,
    err,
    out,
    print_json,
    progress_bars,
    scenario_of,
    settings_of,
)
from cdt.outputs import writable_file

history_app = typer.Typer(help="Past simulations.", invoke_without_command=True)
app.add_typer(history_app, name="history")


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
    settings = settings_of(ctx)
    parsed = scenario_of(scenario, template, values, scenario_file)
    if dry_run:
        plan = api.plan(settings, parsed, segments=segment_ids, parser=parser)
        if as_json:
            print_json({"dry_run": True, **plan})  # nothing was simulated or stored
        else:
            console.show_plan(out, plan)
        return

    def numbers(rows: list[dict[str, Any]], plan: dict[str, Any]) -> None:
        if not as_json:  # the scenario as it was read and run (by the rules, and the LLM)
            console.show_scenario(out, plan["scenario"], plan["warnings"])
            proxy = (plan.get("grounding") or {}).get("proxy")
            console.numbers_table(out, rows, plan.get("seconds"), proxy=proxy)

    stream = console.WordsStream(out)

    def words(row: dict[str, Any]) -> None:
        if not as_json:
            stream.row(row)

    with progress_bars(not as_json) as progress:
        result = api.simulate(
            settings,
            parsed,
            segments=segment_ids,
            seed=seed,
            parser=parser,
            on_numbers=numbers,
            on_segment=words,
            progress=progress,
        )
    if as_json:
        print_json(result.to_dict())
    else:
        console.show_overall(out, result.to_dict())
    if result.exit_code:
        raise typer.Exit(result.exit_code)


@app.command()
def sweep(
    ctx: typer.Context,
    scenario: Annotated[str | None, typer.Argument(help='e.g. "price increase $5"')] = None,
    param: Annotated[str, typer.Option(help="the numeric scenario field to sweep")] = (
        "price_delta"
    ),
    start: Annotated[float, typer.Option("--from", help="first value")] = 0.0,
    stop: Annotated[float, typer.Option("--to", help="last value")] = 15.0,
    step: Annotated[float, typer.Option(help="distance between values")] = 1.0,
    max_churners: Annotated[
        float | None, typer.Option(help="cap on churners for the targeting recommendation")
    ] = None,
    template: Annotated[str | None, typer.Option(help="a template from `cdt templates`")] = None,
    values: SetOption = None,
    scenario_file: ScenarioFileOption = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="also write the curve: .html, .png or .svg")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Sweep a scenario's number (price delta, offer worth) over a range: churners, revenue at
    risk and net revenue with 90% bands, the optimum, the break-even and whom to exempt.
    Numbers only: no LLM is called."""
    from cdt.console.sweep_chart import FORMATS, save_chart

    if out_file is not None:  # checked before the sweep runs and is stored
        writable_file(out_file, FORMATS)
    parsed = scenario_of(scenario, template, values, scenario_file)
    result = api.sweep(
        settings_of(ctx),
        parsed,
        param=param,
        start=start,
        stop=stop,
        step=step,
        max_churners=max_churners,
    )
    if out_file is not None:
        save_chart(result.to_dict(), out_file)
    if as_json:
        print_json(result.to_dict() | {"chart": str(out_file) if out_file else None})
        return
    console.show_scenario(out, parsed.to_dict() | {"reading": result.reading}, [])
    console.show_sweep(out, result.to_dict())
    out.print(f"stored as sweep {result.sweep_id} (`cdt history show {str(result.sweep_id)[:8]}`)",
              highlight=False)  # fmt: skip
    if out_file is not None:
        out.print(f"[green]✓[/] curve written to {out_file}", highlight=False)


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
    answer = api.ask(settings_of(ctx), key, scenario_of(scenario, template, values))
    if as_json:
        print_json(answer)
        return
    console.show_ask(out, answer)


@app.command("campaign-test")
def campaign_test(
    ctx: typer.Context,
    variants: Annotated[
        Path,
        typer.Argument(
            help="a CSV with a header: `variant,scenario` (e.g. `plain,Powder price increase $5`) "
            "or `variant,template,<its parameters>` (e.g. `variant,template,amount,plans`; "
            "`cdt templates` lists them)"
        ),
    ],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="export the comparison (.csv or .parquet)")
    ] = None,
    segment_ids: Annotated[
        list[str] | None, typer.Option("--segments", help="only these segments (repeatable)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compare several messages or offers per segment, simulated side by side (no live
    A/B test), and export the comparison."""
    with progress_bars(not as_json) as progress:
        frame = api.campaign_test(
            settings_of(ctx), variants, segments=segment_ids, out=out_file, progress=progress
        )
    if as_json:
        print_json(frame.to_dicts())
        return
    console.show_campaign_test(out, frame.to_dicts(), out_file)


@app.command()
def templates(as_json: JsonOption = False) -> None:
    """Scenario templates for `cdt simulate --template NAME --set name=value`."""
    from cdt.scenario import TEMPLATES

    rows = [
        {"name": t.name, "description": t.description, "parameters": t.defaults}
        for t in TEMPLATES.values()
    ]
    if as_json:
        print_json(rows)
        return
    console.show_templates(out, rows)


@history_app.callback()
def history_list(
    ctx: typer.Context,
    sweeps: Annotated[bool, typer.Option("--sweeps", help="list stored sweeps instead")] = False,
    as_json: JsonOption = False,
) -> None:
    """List stored simulations, or sweeps (newest first); `cdt history show ID` replays one."""
    if ctx.invoked_subcommand is not None:
        return
    rows = (api.sweep_history if sweeps else api.history)(settings_of(ctx))
    if as_json:
        print_json(rows)
        return
    (console.show_sweeps if sweeps else console.show_history)(out, rows)


@history_app.command("show")
def history_show(
    ctx: typer.Context,
    simulation_id: Annotated[str, typer.Argument(help="id or its first characters")],
    as_json: JsonOption = False,
) -> None:
    """Replay a stored simulation or sweep without calling any LLM."""
    result = api.history_show(settings_of(ctx), simulation_id)
    if as_json:
        print_json(result)
        return
    if result.get("kind") == "sweep":
        console.show_scenario(out, result["scenario"], [])
        console.show_sweep(out, result)
        return
    console.show_replay(out, result)


@app.command("app")
def serve_app(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on", min=1, max=65535)] = 8501,
) -> None:
    """Start the Streamlit app (five pages) against the current profile and backend."""
    from cdt.app import command, environment

    settings = settings_of(ctx)
    err.print(f"cdt app: http://{host}:{port} ({settings.backend}); Ctrl-C stops it")
    line = command(host, port)
    # Become the server, so that signals (Ctrl-C, a supervisor's SIGTERM) reach it directly
    # and no orphaned server outlives this command.
    os.execve(line[0], line, environment(settings))


@app.command()
def version() -> None:
    """Print cdt's version."""
    out.print(__version__)
