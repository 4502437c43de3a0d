"""`cdt init`, `doctor` and the build stages: generate, load, build, features, segment(s),
calibrate, backtest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cdt import api, console
from cdt.cli.base import (
    JsonOption,
    KOption,
    ScaleOption,
    SeedOption,
    app,
    err,
    out,
    parse_k,
    print_json,
    progress_bars,
    settings_of,
)
from cdt.outputs import writable_file


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
        result = api.init(settings_of(ctx), roles=roles, progress=progress)
    if as_json:
        print_json(result.to_dict())
        return
    console.show_init(out, result)


@app.command()
def deploy(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="print the SQL and the uploads; change nothing")
    ] = False,
    roles: Annotated[
        bool, typer.Option(help="also grant the objects to the spec's roles (cdt init --roles)")
    ] = False,
    bundle: Annotated[
        Path | None,
        typer.Option(
            help="write the app's files and a snowflake.yml to this folder (for `snow "
            "streamlit deploy`) instead of deploying",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Create the SQL-callable agents and the Streamlit in Snowflake app (Snowflake only)."""
    if bundle is not None:
        written = api.deploy_bundle(settings_of(ctx), bundle)
        if as_json:
            print_json({"bundle": [str(p) for p in written]})
        else:
            console.show_bundle(out, written)
        return
    result = api.deploy(settings_of(ctx), dry_run=dry_run, roles=roles)
    if as_json:
        print_json(result.to_dict())
        return
    console.show_deployed(out, result)


@app.command()
def doctor(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Show the backend, LLM and embedder that would be used, and fix what does not answer."""
    report = api.doctor(settings_of(ctx))
    if as_json:
        print_json(report.to_dict())
    else:
        console.show_doctor(out, report)
    failure = console.doctor_failure(report)
    if failure:
        err.print(failure, highlight=False, soft_wrap=True)
        raise typer.Exit(1)


@app.command()
def generate(
    ctx: typer.Context,
    scale: ScaleOption = 1.0,
    seed: SeedOption = 42,
    out_dir: Annotated[
        str | None, typer.Option("--out", help="output folder [default: the data dir, ./data]")
    ] = None,
    delta: Annotated[
        bool,
        typer.Option(
            "--delta",
            help="write a day's changes to the loaded twin (for `cdt load --incremental`) "
            "[default --out: <home>/deltas/<last day>]",
        ),
    ] = False,
    days: Annotated[
        int, typer.Option("--days", help="with --delta: how many days of changes", min=1)
    ] = 1,
    as_json: JsonOption = False,
) -> None:
    """Write synthetic Snowmobile data (Parquet) with a hidden ground truth, or (--delta) a
    day's changes to the loaded twin."""
    if delta:
        with progress_bars(not as_json) as progress:
            written = api.generate_delta(
                settings_of(ctx),
                days=days,
                seed=seed,
                out=Path(out_dir) if out_dir else None,
                progress=progress,
            )
        if as_json:
            print_json(written.to_dict())
            return
        console.show_delta_written(out, written)
        return
    with progress_bars(not as_json) as progress:
        result = api.generate(
            settings_of(ctx),
            scale=scale,
            seed=seed,
            out=Path(out_dir) if out_dir else None,
            progress=progress,
        )
    if as_json:
        print_json(result.to_dict())
        return
    console.show_rows(out, f"generated {result.out}", result.rows, result.seconds)


@app.command()
def load(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Option("--from", help="folder of CSV/Parquet files named after the spec's tables"),
    ] = None,
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental",
            help="merge a folder of delta files (any of the tables) instead of replacing all",
        ),
    ] = False,
    replace_changed: Annotated[
        bool,
        typer.Option(
            "--replace-changed",
            help="with --incremental: overwrite interactions and responses whose id was "
            "loaded before with other contents (refused otherwise)",
        ),
    ] = False,
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient",
            help="load values outside their declared range anyway, and report every one",
        ),
    ] = False,
    mapping: Annotated[
        str | None,
        typer.Option(
            "--map",
            help="a TOML mapping of the folder's files and columns onto the spec's tables "
            "(see the README's 'Your own data')",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load RAW and EXTERNAL tables from a folder, all or nothing, and check integrity."""
    if mapping and (incremental or not source):
        raise typer.BadParameter("--map goes with --from DIR (and not with --incremental)")
    if replace_changed and not incremental:
        raise typer.BadParameter("--replace-changed goes with --incremental")
    if incremental and not source:
        raise typer.BadParameter("--incremental needs --from DIR, the folder of delta files")
    with progress_bars(not as_json) as progress:
        if incremental:
            assert source is not None
            delta = api.load_delta(
                settings_of(ctx), Path(source), replace_changed=replace_changed, progress=progress
            )
            if as_json:
                print_json(delta.to_dict())
                return
            console.show_delta(out, delta)
            return
        result = api.load(
            settings_of(ctx),
            source=Path(source) if source else None,
            progress=progress,
            lenient=lenient,
            mapping=Path(mapping) if mapping else None,
        )
    if as_json:
        print_json(result.to_dict())
        return
    console.show_load(out, result)


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
    recluster: Annotated[
        bool,
        typer.Option(
            "--recluster",
            help="after an incremental load: cluster afresh instead of re-assigning the "
            "touched customers to the stored segments",
        ),
    ] = False,
    personas: Annotated[
        bool, typer.Option(help="also write personas with the LLM (the slowest stage)")
    ] = True,
    mapping: Annotated[
        str | None,
        typer.Option("--map", help="with --from: read the folder through this TOML mapping"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Build the twin: generate (or take --from), load, features, segment, personas. After
    `cdt load --incremental`, refresh only what the delta touched."""
    if mapping and not source:
        raise typer.BadParameter("--map goes with --from DIR")
    with progress_bars(not as_json) as progress:
        result = api.build(
            settings_of(ctx),
            scale=scale,
            seed=seed,
            source=Path(source) if source else None,
            k=parse_k(k),
            force=force,
            recluster=recluster,
            with_personas=personas,
            progress=progress,
            mapping=Path(mapping) if mapping else None,
        )
    if as_json:
        print_json(result.to_dict())
        return
    console.show_build(out, result, api.segments(settings_of(ctx)))


@app.command()
def features(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Rebuild the analytics feature tables from RAW and EXTERNAL."""
    with progress_bars(not as_json) as progress:
        result = api.features(settings_of(ctx), progress=progress)
    if as_json:
        print_json(result.to_dict())
        return
    console.show_rows(out, "features", result.rows, result.seconds)


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
    assign: Annotated[
        str,
        typer.Option(
            help="where every customer is assigned: auto (the warehouse on Snowflake, here on "
            "DuckDB), client (fetch every customer), warehouse (fetch a sample, assign in SQL)"
        ),
    ] = "auto",
    as_json: JsonOption = False,
) -> None:
    """Cluster customers into segments (K-means) and name them from data."""
    with progress_bars(not as_json) as progress:
        result = api.segment(
            settings_of(ctx),
            k=parse_k(k),
            features=feature_list,
            n_init=n_init,
            seed=seed,
            progress=progress,
            assign=assign,
        )
    if as_json:
        print_json(result.to_dict())
        return
    console.show_segmented(out, result, api.segments(settings_of(ctx)))


@app.command()
def segments(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the current segments: size, ARPU, tenure, data, churn risk, top plan, and why."""
    rows = api.segments(settings_of(ctx))
    if as_json:
        print_json(rows)
        return
    console.show_segments(out, rows)


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
        result = api.calibrate(
            settings_of(ctx), replicates=replicates, seed=seed, progress=progress
        )
    if as_json:
        print_json(result.to_dict())
        return
    console.show_calibrated(out, result)


@app.command()
def backtest(
    ctx: typer.Context,
    holdout: Annotated[
        float, typer.Option(help="share of the most recent campaigns held out")
    ] = 0.15,
    replicates: Annotated[int, typer.Option(help="bootstrap refits for the intervals")] = 20,
    llm_units: Annotated[
        int,
        typer.Option(
            help="held-out (campaign, segment) units to ask the LLM about (needs personas)"
        ),
    ] = 0,
    seed: SeedOption = 42,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="also write the reliability diagram: .html, .png or .svg"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score the response model on held-out recent campaigns against the overall mean, the
    per-segment mean and the LLM's own numbers; stored and shown with simulations."""
    from cdt.console.backtest_chart import FORMATS, save_chart

    if out_file is not None:  # checked before the backtest runs and is stored
        writable_file(out_file, FORMATS)
    with progress_bars(not as_json) as progress:
        result = api.backtest(
            settings_of(ctx),
            holdout=holdout,
            replicates=replicates,
            llm_units=llm_units,
            seed=seed,
            progress=progress,
        )
    if out_file is not None:
        save_chart(result.to_dict(), out_file)
    if as_json:
        print_json(result.to_dict() | {"chart": str(out_file) if out_file else None})
        return
    console.show_backtest(out, result)
    if out_file is not None:
        out.print(f"[green]✓[/] reliability diagram written to {out_file}", highlight=False)
