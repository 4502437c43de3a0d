"""Rendering for people: what the CLI prints for scenarios, simulations, `ask`, history and
campaign tests (Rich markup).

Commands parse arguments, call ``cdt.api`` and hand the result here; nothing here computes a
figure. Part of the UI side of the import contracts, like ``cli`` and ``app``.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cdt.console.backtest import backtest_sentence, more_or_fewer
from cdt.console.twin import number
from cdt.console.voices import stance_text, words_body
from cdt.scenario.changes import format_changes
from cdt.scenario.model import Change
from cdt.voices.stance import signed

_HIDDEN = ("text", "warnings", "overrides", "source", "template", "reading")


def scenario_fields(scenario: dict[str, Any]) -> list[tuple[str, str]]:
    """The scenario's set fields as (name, shown value) pairs, defaults left out."""
    rows = []
    for name, value in scenario.items():
        if name in _HIDDEN or value in (None, [], "", False, {}):
            continue
        if name == "kind" and value == "other" and len(scenario) > 1:
            pass
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        if name == "changes":
            shown = format_changes([Change.model_validate(c) for c in value])
        if name in scenario.get("overrides", {}):
            shown += " (set)"
        rows.append((name, shown))
    return rows


def show_scenario(out: Console, scenario: dict[str, Any], warnings: list[str]) -> None:
    """The scenario as cdt understood it, and every warning about how it was read."""
    out.print(f"[bold]scenario[/]: {scenario.get('text') or '(from fields)'}", highlight=False)
    fields = scenario_fields(scenario)
    out.print("[bold]read as[/]: " + "; ".join(f"{k}={v}" for k, v in fields), highlight=False)
    if scenario.get("reading"):
        out.print(f"[bold]reading[/]: {scenario['reading']}", highlight=False)
    for warning in warnings:
        out.print(f"[yellow]![/] {warning}", highlight=False)


def _share(share: float) -> str:
    """A share as a whole percent, with "<1%" for a few and ">99%" for all but a few."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"


def show_plan(out: Console, plan: dict[str, Any]) -> None:
    """A dry run: the parse, whom it reaches per segment, and how its numbers are grounded."""
    grounding = plan["grounding"]
    if plan["scenario"].get("kind") == "other":  # a news item or a note: no one is sent anything
        show_scenario(
            out, plan["scenario"], [w for w in plan["warnings"] if w != grounding["reason"]]
        )
        out.print(f"[yellow]numbers[/]: {grounding['reason']}", highlight=False)
        out.print("dry run: no LLM was called and nothing was stored", highlight=False)
        return
    show_scenario(out, plan["scenario"], plan["warnings"])
    table = Table(title="customers reached")
    for column in ("segment", "customers", "reached", "share"):
        table.add_column(column, justify="left" if column == "segment" else "right")
    for row in plan["affected"]:
        share = row["affected"] / row["customers"] if row["customers"] else 0.0
        table.add_row(
            f"{row['segment_id']} {row['segment_name']}",
            f"{row['customers']:,}",
            f"{row['affected']:,}",
            _share(share),
        )
    out.print(table)
    total = plan["affected_customers"]
    out.print(f"reached: {total:,} customers", highlight=False)
    for name, values in plan.get("matched", {}).items():
        if values:
            out.print(f"  {name} matched: {', '.join(values)}", highlight=False)
    if grounding["grounded"]:
        out.print(
            "numbers: from the response model, read as the history's "
            f"'{grounding['campaign_type']}' campaigns",
            highlight=False,
        )
    else:
        out.print(f"[yellow]numbers[/]: {grounding['reason']}", highlight=False)
    out.print("dry run: no LLM was called and nothing was stored", highlight=False)


def segment_line(row: dict[str, Any]) -> str:
    """One segment's stored result: its figures and stance, then its voices."""
    head = f"{row['segment_id']} {row['segment_name']}"
    if row["status"] == "unaffected":
        return f"[dim]○ {head}: not reached by the scenario[/]"
    said = stance_text(row)
    if not row.get("action_shares"):
        figures = f"{said}; no numbers"
    else:
        shares = row["action_shares"]
        c_low, c_high = row["expected_churners_interval"]
        churners = row.get("too_uncertain") or (
            f"~{row['expected_churners']:,.0f} churners [{c_low:,.0f}–{c_high:,.0f}]"
        )
        figures = (
            f"{row['affected_customers']:,} reached: {said}; churn "
            f"{shares.get('churned', 0):.2%}, complain {shares.get('complained', 0):.1%}, "
            f"{churners}, ${row['revenue_at_risk_monthly']:,.0f}/mo at risk"
        )
    tail = "".join(f"\n    {line}" for line in words_body(row))
    return f"[green]●[/] {head} ({row['pct_of_base']:.1f}%, {figures}){tail}"


def added_sentence(overall: dict[str, Any]) -> str:
    """What a price change itself does: the churners it adds (or keeps) against the same
    customers in a month without it, for the CLI and the Studio alike."""
    added, span = overall.get("added_churners"), overall.get("added_churners_interval")
    if added is None or not span:
        return ""
    low, high = span
    return (
        f"the price change's own effect: {more_or_fewer(added)} than in a month "
        f"without it (90%: {low:+,.0f} to {high:+,.0f}); the rest would have left anyway "
        "(a campaign's window is one month)"
    )


def show_overall(out: Console, result: dict[str, Any]) -> None:
    """A simulation's base-wide figures, its backtested error and its recommendation."""
    overall = result["overall"]
    for line in overall.get("stale") or []:
        out.print(f"[yellow]! answered from a stale twin[/]: {line}", highlight=False)
    sentiment = overall["weighted_sentiment"]
    # A reason already said among the scenario's warnings is not said again below.
    said = " ".join([*(result.get("warnings") or []),
                     *(result.get("scenario", {}).get("warnings") or [])])  # fmt: skip
    if sentiment is None:
        basis = overall["numbers_basis"]
        why = "why: see the note above" if basis and basis in said else basis
        out.print(f"[bold]overall[/]: no numbers and no stance ({why})", highlight=False)
    else:
        proxy = f" (read as {overall['proxy']})" if overall.get("proxy") else ""
        out.print(
            f"[bold]overall[/]{proxy}: sentiment {signed(sentiment)} (from the data), "
            f"{overall['affected_customers']:,} customers reached, "
            f"{overall['expected_churners']:,.0f} expected churners, "
            f"${overall['revenue_at_risk_monthly']:,.0f}/month "
            f"(${overall['revenue_at_risk_yearly']:,.0f}/year) at risk",
            highlight=False,
        )
    if "expected_churners_interval" in overall:
        low, high = overall["expected_churners_interval"]
        r_low, r_high = overall["revenue_at_risk_monthly_interval"]
        out.print(
            f"90% intervals: churners {low:,.0f}–{high:,.0f}, "
            f"revenue at risk ${r_low:,.0f}–${r_high:,.0f}/month",
            highlight=False,
        )
    added = added_sentence(overall)
    if added:
        out.print(added, highlight=False)
    error = overall.get("backtested_error")
    if error and overall.get("grounded") is not False:
        out.print(backtest_sentence(error), highlight=False)
    advice = result["recommendation"]
    if overall.get("grounded") is False and advice.removeprefix("No recommendation: ") in said:
        advice = "none without numbers (see the note above)"
    out.print(f"[bold]recommendation[/]: {advice}", highlight=False)
    prov = result["provenance"]
    voices = [v for r in result["segments"] for v in r.get("voices") or []]
    own = sum(v.get("source") == "llm" for v in voices)
    if prov.get("provider") and voices:
        words = (
            f"words asked of {prov['provider']}/{prov['model_id']}: {own} of {len(voices)} "
            "voices shown are its own, the rest from data"
        )
    elif prov.get("provider"):
        words = f"words asked of {prov['provider']}/{prov['model_id']}, none shown"
    else:
        words = "words from data" if voices else "no words written"
    out.print(
        f"stored as simulation {result['simulation_id']} ({words}, {prov['seconds']} s)",
        highlight=False,
    )


def show_history(out: Console, rows: list[dict[str, Any]]) -> None:
    """Stored simulations, newest first."""
    if not rows:
        out.print('no simulations stored yet: `cdt simulate "..."` writes one', highlight=False)
    for row in rows:
        line = Text(
            f"{str(row['simulation_id'])[:8]}  {row['started_at']}  {row['status']:<8} "
            f"{row['scenario_text']}"
        )
        line.truncate(out.width, overflow="ellipsis")
        out.print(line, highlight=False, no_wrap=True)


def show_sweeps(out: Console, rows: list[dict[str, Any]]) -> None:
    """Stored sweeps, newest first."""
    if not rows:
        out.print('no sweeps stored yet: `cdt sweep "..."` writes one', highlight=False)
    for row in rows:
        line = Text(
            f"{str(row['sweep_id'])[:8]}  {str(row['created_at'])[:19]}  {row['param']} "
            f"{row['range_from']:g}..{row['range_to']:g} step {row['range_step']:g}  "
            f"{row['scenario_text']}"
        )
        line.truncate(out.width, overflow="ellipsis")
        out.print(line, highlight=False, no_wrap=True)


def show_replay(out: Console, result: dict[str, Any]) -> None:
    """A stored simulation, replayed without any LLM call."""
    show_scenario(out, result["scenario"], result.get("warnings", []))
    for row in result["segments"]:
        out.print("  " + segment_line(row), highlight=False)
    out.print(f"recommendation: {result['recommendation']}", highlight=False)


def show_campaign_test(out: Console, rows: list[dict[str, Any]], exported: object) -> None:
    """Variants side by side per segment, the best (least churn) marked."""
    table = Table(title="campaign test (best = least churn per segment)")
    for column in ("segment", "variant", "churn", "complain", "accept", "sentiment", "best"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            f"{row['segment_id']} {row['segment_name']}",
            str(row["variant"]),
            number(row["churn_share"], "{:.1%}"),
            number(row["complain_share"], "{:.1%}"),
            number(row["accept_share"], "{:.1%}"),
            signed(row["sentiment"]) if row["sentiment"] is not None else "",
            "✓" if row["best_for_segment"] else "",
        )
    out.print(table)
    if exported:
        out.print(f"[green]✓[/] exported to {exported}", highlight=False)


def _money(value: float) -> str:
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


def show_sweep(out: Console, result: dict[str, Any]) -> None:
    """A sweep's curve as a table (optimum ★, extrapolated points *) and its answers: the
    optimum with its interval, the break-even, the segments to exempt."""
    param = result["param"]
    net = result["net_revenue_defined"]
    table = Table(
        title=f"{param} swept (response model only, no LLM)", box=box.SIMPLE_HEAD, pad_edge=False
    )
    headers = ["value", "churners", "90% band", "at risk/mo"]
    headers += ["net/mo", "90% band"] if net else []
    for column in headers:
        table.add_column(column, justify="right", no_wrap=True)
    found = result.get("optimum") or {}
    best = found.get("value") if found.get("inside", True) else None  # an edge is no optimum
    for point in result["points"]:
        overall = point["overall"]
        low, high = overall["churners_interval"]
        mark = ("★" if point["value"] == best else "") + ("*" if overall["extrapolated"] else "")
        cells = [
            f"{point['value']:g}{mark}",
            f"{overall['churners']:,.0f}",
            f"{low:,.0f}–{high:,.0f}",
            _money(overall["revenue_at_risk"]),
        ]
        if net:
            n_low, n_high = overall["net_revenue_interval"]
            cells += [_money(overall["net_revenue"]), f"{_money(n_low)}–{_money(n_high)}"]
        table.add_row(*cells)
    if result.get("swept") and result["swept"] != param:
        out.print(f"[bold]swept[/]: {result['swept']}", highlight=False)
    out.print(table)
    out.print(
        "★ optimum, * outside the history's range (wider bands); net = added revenue minus the "
        "revenue lost beyond a notice with no change",
        highlight=False,
    )
    for warning in result.get("warnings", []):
        out.print(f"[yellow]![/] {warning}", highlight=False)
    if not net:
        out.print("net revenue: defined for price changes only", highlight=False)
        return
    optimum = result["optimum"]
    low, high = optimum["interval"]
    if not optimum.get("inside", True):
        top = optimum["value"] == max(result["values"])
        where = "still rising at the end of the range" if top else "highest at its start"
        beyond = "above" if top else "below"
        out.print(
            f"[bold]optimum[/]: none inside the range: net revenue is {where}, {param} = "
            f"{optimum['value']:g} ({_money(optimum['net_revenue'])}/month); the best value "
            f"may lie {beyond} it (widen --from/--to)",
            highlight=False,
        )
    else:
        out.print(
            f"[bold]optimum[/]: {param} = {optimum['value']:g} "
            f"(90% interval {low:g}–{high:g}), net {_money(optimum['net_revenue'])}/month"
            + (" [yellow](extrapolated)[/]" if optimum["extrapolated"] else ""),
            highlight=False,
        )
    even = result.get("break_even")
    out.print(
        f"[bold]break-even[/]: {param} = {even:g}"
        if even is not None
        else "[bold]break-even[/]: not reached in this range",
        highlight=False,
    )
    target = result["targeting"]
    exempt = ", ".join(target["exempt"]) or "none"
    cap = (
        f" within {target['max_churners']:,.0f} churners"
        if target["max_churners"] is not None
        else ""
    )
    out.print(
        f"[bold]targeting[/] at {target['at_value']:g}: exempt {exempt}{cap}; net "
        f"{_money(target['net_revenue'])}/month, {target['churners']:,.0f} churners",
        highlight=False,
    )
