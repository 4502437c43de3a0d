"""Rendering for people: what the CLI prints for the twin's build stages, its segments, its
response model and backtest, and its personas (Rich markup). Nothing here computes a figure."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cdt.console.backtest import show_backtest
from cdt.contract import COSTS

OK = "[green]✓[/]"
MARKS = {"ok": OK, "warn": "[yellow]![/]", "fail": "[red]✗[/]"}
#: From this width up the segments table holds its long "why this name" column; narrower, each
#: reason is one line below the table (in the table it would fold over many lines).
WIDE = 140


def money(value: object) -> str:
    return "" if value is None else f"${float(value):,.2f}"  # type: ignore[arg-type]


def number(value: object, pattern: str) -> str:
    return "" if value is None else pattern.format(float(value))  # type: ignore[arg-type]


def show_init(out: Console, result: Any) -> None:
    out.print(
        f"{OK} {result.backend} ready at {result.location}: "
        f"{len(result.tables)} tables ({result.statements} statements, all idempotent)",
        highlight=False,
    )
    if result.migrations:
        out.print(f"{OK} schema migrations applied: {', '.join(result.migrations)}")
    if result.roles_statements:
        out.print(f"{OK} roles, warehouses and grants: {result.roles_statements} statements")


def show_deployed(out: Console, result: Any) -> None:
    if result.dry_run:
        for file in result.files:
            out.print(f"-- {file.name}", highlight=False)
            out.print(file.text.rstrip(), highlight=False, markup=False, soft_wrap=True)
            out.print()
        for upload in result.uploads:
            out.print(f"-- PUT {upload}", highlight=False, markup=False)
        out.print(
            f"-- dry run: {result.statements} statements and {len(result.uploads)} uploads "
            "would run; nothing was changed",
            highlight=False,
        )
        return
    out.print(
        f"{OK} deployed: {result.executed} statements, {len(result.uploads)} files on "
        "@AGENTS.CDT_CODE",
        highlight=False,
    )
    out.print("  From a worksheet:", highlight=False)
    for call in (
        "CALL AGENTS.SIMULATE_SCENARIO('price increase $5');",
        "SELECT AGENTS.ASK_PERSONA(persona_id, 'price increase $5') "
        "FROM PERSONAS.PERSONA_DEFINITIONS;",
        "The app: Snowsight > Projects > Streamlit > SNOWMOBILE_DIGITAL_TWIN",
    ):
        out.print(f"    {call}", highlight=False, markup=False, soft_wrap=True)


def show_bundle(out: Console, written: list[Any]) -> None:
    out.print(f"{OK} app bundle: {len(written)} files", highlight=False)
    for path in written:
        out.print(f"  {path}", highlight=False, markup=False, soft_wrap=True)
    out.print("  then: snow streamlit deploy --project <that folder>", highlight=False)


def show_doctor(out: Console, report: Any) -> None:
    for check in report.checks:
        out.print(
            f"{MARKS[check.status]} {check.component:<9} {check.choice:<22} {check.detail}",
            highlight=False,
            soft_wrap=True,
        )
        if check.fix:
            out.print(f"  {'':<9} fix: {check.fix}", highlight=False, soft_wrap=True)


def doctor_failure(report: Any) -> str | None:
    """The error line for a doctor report with failing checks (None when none fails)."""
    failed = [check for check in report.checks if check.status == "fail"]
    if not failed:
        return None
    first = failed[0]
    return f"[red]error:[/] {first.component}: {first.detail} — {first.fix}" + (
        f" (and {len(failed) - 1} more failing)" if len(failed) > 1 else ""
    )


def show_rows(out: Console, title: str, rows: dict[str, int], seconds: float) -> None:
    total = sum(rows.values())
    out.print(
        f"{OK} {title}: {total:,} rows in {seconds:.1f} s "
        f"({total / max(seconds, 1e-9):,.0f} rows/s)",
        highlight=False,
    )
    for table, count in rows.items():
        out.print(f"    {table:<34} {count:>12,}", highlight=False)


def show_load(out: Console, result: Any) -> None:
    show_rows(out, f"loaded {result.source}", result.rows, result.seconds)
    for name in getattr(result, "missing", []):
        out.print(f"[yellow]![/] {name} not loaded (left empty): {COSTS[name]}",
                  highlight=False)  # fmt: skip
    broken = sum(result.integrity.values())
    out.print(f"{OK} integrity: {len(result.integrity)} checks, {broken} problems")
    for line in getattr(result, "violations", []):
        out.print(f"[yellow]! loaded out of range (--lenient)[/]: {line}", highlight=False)


def show_delta_written(out: Console, written: Any) -> None:
    """What `cdt generate --delta` wrote, and the command that loads it."""
    days = (
        str(written.first_day)
        if written.first_day == written.last_day
        else f"{written.first_day} to {written.last_day}"
    )
    show_rows(out, f"delta for {days} in {written.out}", written.rows, written.seconds)
    out.print(f"  next: cdt load --incremental --from {written.out}", highlight=False)


def show_delta(out: Console, result: Any) -> None:
    """An incremental load: per table, the delta's rows and what they did."""
    if not result.changed:
        out.print(
            f"{OK} loaded {result.source} (incremental): nothing new; the twin already holds "
            f"these rows ({result.seconds:.1f} s)",
            highlight=False,
        )
        return
    out.print(
        f"{OK} merged {result.source} in {result.seconds:.1f} s: "
        f"{result.touched_customers:,} customers touched",
        highlight=False,
    )
    for table, counts in result.tables.items():
        out.print(
            f"    {table:<24} {counts['rows']:>7,} rows: {counts['new']:,} new, "
            f"{counts['changed']:,} changed, {counts['unchanged']:,} unchanged",
            highlight=False,
        )
    for table in result.replaced:
        out.print(f"    {table:<28} replaced", highlight=False)
    broken = sum(result.integrity.values())
    out.print(f"{OK} integrity: {len(result.integrity)} checks, {broken} problems")
    out.print("  next: `cdt build` refreshes what the delta touched", highlight=False)


def show_build(out: Console, result: Any, segments: list[dict[str, Any]]) -> None:
    """Each stage of a build, done or up to date, then the segments."""
    if result.generated:
        generated = result.generated
        show_rows(out, f"generated {generated.out}", generated.rows, generated.seconds)
    else:
        out.print(f"{OK} generate: {result.data_dir} is up to date", highlight=False)
    if result.loaded:
        show_load(out, result.loaded)
    else:
        out.print(f"{OK} load: the database already holds this dataset")
    featured = result.featured
    if featured and featured.refreshed is not None:
        out.print(
            f"{OK} features: refreshed {featured.refreshed:,} customers (touched by the "
            f"deltas, or their contact window moved) in {featured.seconds:.1f} s",
            highlight=False,
        )
    elif featured:
        show_rows(out, "features", featured.rows, featured.seconds)
    else:
        out.print(f"{OK} features: up to date")
    show_segment_stage(out, result.segmented)
    skipped = getattr(result.calibrated, "reason", None)
    if skipped:
        out.print(f"[yellow]![/] calibrate: skipped, {skipped}", highlight=False)
    elif result.calibrated:
        summary = result.calibrated.model.summary()
        line = (
            f"{OK} calibrate: response model on {summary['responses']:,} responses in "
            f"{result.calibrated.seconds:.1f} s"
        )
        if result.calibrated.backtest is not None:
            mae = result.calibrated.backtest.summary["model"]["response_rate"]["mae_pp"]
            line += f"; backtested response-rate error {mae:.2f} pp (`cdt backtest` for more)"
        out.print(line, highlight=False)
    else:
        out.print(f"{OK} calibrate: up to date")
    if result.personas:
        out.print(
            f"{OK} personas: {len(result.personas.personas)} written in "
            f"{result.personas.seconds:.1f} s"
            + (
                f" for {', '.join(p['segment_id'] for p in result.personas.personas)} (moved "
                "past the threshold; earlier versions kept)"
                if result.personas.refreshed
                else ""
            ),
            highlight=False,
        )
    else:
        out.print("personas: skipped" if result.personas_skipped else f"{OK} personas: up to date")
    show_segments(out, segments)


def show_segment_stage(out: Console, done: Any) -> None:
    """The build's segment line: a fresh clustering (and the drift that called for it), a
    refresh under the stored run with its drift, or up to date."""
    if done is None:
        out.print(f"{OK} segment: up to date")
        return
    drift = done.drift.to_dict() if done.drift is not None else None
    measured = (
        f"drift: PSI {drift['psi']:.4f} (recluster > {drift['psi_threshold']:g}), centroid "
        f"distance x{drift['distance_ratio']:.3f} (> x{drift['distance_threshold']:g})"
        if drift
        else ""
    )
    if hasattr(done, "reassigned"):
        out.print(
            f"{OK} segment: re-assigned {done.reassigned:,} customers to the stored segments "
            f"in {done.seconds:.1f} s ({done.moved:,} moved to another)",
            highlight=False,
        )
        out.print(f"  {measured}", highlight=False)
        return
    out.print(
        f"{OK} segment: {done.k} segments in {done.seconds:.1f} s "
        f"(silhouette {done.silhouette:.3f})",
        highlight=False,
    )
    if drift:
        out.print(f"  clustered afresh: the refresh's {measured}", highlight=False)


def show_segmented(out: Console, result: Any, segments: list[dict[str, Any]]) -> None:
    if result.k_scores:
        scores = ", ".join(f"k={k}: {v:.3f}" for k, v in result.k_scores.items())
        out.print(f"silhouette by k (sample): {scores}; chose k={result.k}")
    out.print(
        f"{OK} {result.k} segments of {result.customers:,} customers in "
        f"{result.seconds:.1f} s; silhouette {result.silhouette:.3f}"
        + ("; ids kept from the previous run" if result.ids_reused else "")
    )
    show_segments(out, segments)


def show_segments(out: Console, rows: list[dict[str, Any]]) -> None:
    """The segments table. From WIDE columns up the "why this name" column is in it; narrower,
    the figures stay in the table (short headers, names wrapped at spaces) and each reason
    follows on one line of its own, cut to the width, rather than folded over many."""
    for line in (rows[0].get("stale") or []) if rows else []:
        out.print(f"[yellow]! from a stale twin[/]: {line} (run `cdt build`)", highlight=False)
    wide = out.width >= WIDE
    table = Table(
        title="segments",
        box=box.HEAVY_HEAD if wide else box.SIMPLE_HEAD,
        pad_edge=wide,
        collapse_padding=not wide,
    )
    headers = (
        ("id", "name", "customers", "%", "ARPU", "tenure", "data GB", "churn risk", "top plan")
        if wide
        else ("id", "name", "customers", "%", "ARPU", "tenure", "GB", "churn", "plan")
    )
    for header in headers:
        words = header in ("name", "top plan", "plan")  # wrap at spaces; figures never wrap
        table.add_column(
            header,
            no_wrap=not words,
            justify="left" if words or header == "id" else "right",
        )
    if wide:
        table.add_column("why this name", overflow="fold")
    for row in rows:
        cells = [
            str(row["segment_id"]),
            str(row["segment_name"]),
            f"{row['customer_count']:,}",
            number(row["pct_of_base"], "{:.1f}"),
            money(row["avg_arpu"]),
            number(row["avg_tenure_months"], "{:.0f} mo"),
            number(row["avg_data_usage_gb"], "{:.1f}"),
            number(row["avg_churn_risk"], "{:.2f}"),
            str(row["top_plan"]),
        ]
        table.add_row(*cells, *([str(row["name_reason"])] if wide else []))
    out.print(table)
    if wide or not rows:
        return
    out.print("why these names:", highlight=False)
    for row in rows:
        line = Text(f"  {row['segment_id']}  {row['name_reason']}")
        line.truncate(out.width, overflow="ellipsis")
        out.print(line, highlight=False, no_wrap=True)


def show_calibrated(out: Console, result: Any) -> None:
    summary = result.model.summary()
    out.print(
        f"response model {summary['model_id'][:8]}: {summary['responses']:,} responses in "
        f"{summary['cells']:,} cells, {summary['inputs']} inputs × {len(summary['outcomes'])} "
        f"outcomes, {summary['replicates']} bootstrap replicates, fitted in "
        f"{summary['fit_seconds']} s",
        highlight=False,
    )
    slopes = ", ".join(f"{k} {v:+.3f}" for k, v in summary["churn_log_odds_per_dollar"].items())
    out.print(f"churn log-odds per $1 of price increase: {slopes}", highlight=False)
    if result.timings:
        pieces = ", ".join(f"{k.replace('_', ' ')} {v:.1f} s" for k, v in result.timings.items())
        out.print(f"time: {pieces} (total {result.seconds:.1f} s)", highlight=False)
    if result.backtest is not None:
        show_backtest(out, result.backtest)


def show_personas_written(out: Console, result: Any) -> None:
    for row in result.personas:
        out.print(
            f"{OK} {row['segment_id']} v{row['version']}: {row['persona_name']} — {row['tagline']}",
            highlight=False,
        )
    out.print(
        f"{result.historical_reactions:,} historical reactions, {result.embeddings:,} "
        f"embeddings, in {result.seconds:.1f} s"
    )


def show_personas(out: Console, rows: list[dict[str, Any]]) -> None:
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


def show_persona(out: Console, row: dict[str, Any]) -> None:
    for name, value in row.items():
        out.print(f"[bold]{name}[/]: {value}", highlight=False, soft_wrap=True)


def show_templates(out: Console, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        params = " ".join(f"--set {k}={v}" for k, v in row["parameters"].items())
        out.print(f"[bold]{row['name']}[/]: {row['description']}\n    {params}", highlight=False)
