"""Rendering a simulation as it arrives: the numbers table first (figures and the stance
derived from them), then each segment's voices, then `cdt ask`'s one persona."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from cdt.voices import stance

SOURCE = {
    "llm": "",
    "verbatim": " [dim](a customer's own words, from support contacts)[/]",
    "composed": " [dim](composed from the segment's data)[/]",
}


def doing(action: str) -> str:
    """A likely action as a customer does it ("let it pass"), as ``cdt.voices.stance`` says."""
    outcome = stance.OUTCOME_OF.get(action)
    return stance.DOING[outcome] if outcome else action


def _compact(value: float) -> str:
    """A count in at most four characters: 812, 3.8K, 12K, 1.2M."""
    if value >= 999_500:
        return f"{value / 1e6:.1f}M"
    if value >= 9_950:
        return f"{value / 1e3:.0f}K"
    if value >= 1_000:
        return f"{value / 1e3:.1f}K"
    return f"{value:.0f}"


def stance_text(row: dict[str, Any]) -> str:
    """A segment's stance in words: "let it pass (50 in 100), sentiment -0.27"."""
    action = row.get("likely_action")
    if not action:
        return "no stance: " + str(row.get("stance_basis") or "not grounded")
    share = float(row.get("action_probability") or 0)
    return (
        f"{doing(action)} ({round(share * 100)} in 100), "
        f"sentiment {stance.signed(float(row['sentiment_score']))}"
    )


def numbers_table(
    out: Console, rows: list[dict[str, Any]], seconds: float | None, proxy: str | None = None
) -> None:
    """Every segment's figures and stance, before any word is written; a reading through a
    proxy says so in the title, above the figures it qualifies."""
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    title = f"numbers (response model{took}; reaction and sentiment derived from them)"
    if proxy:
        title = f"numbers read through a proxy: {proxy} (response model{took})"
    if not any(r.get("action_shares") for r in rows):
        title = "customers reached per segment (no estimates: see the note above)"
    table = Table(title=title)
    table.add_column("segment", ratio=3)
    table.add_column("reached", justify="right")
    table.add_column("commonest reaction", ratio=2)
    table.add_column("sentiment", justify="right")
    table.add_column("churn", justify="right")
    table.add_column("churners (90%)", justify="right")
    table.add_column("at risk/mo", justify="right")
    for row in rows:
        head = f"{row['segment_id']} {row['segment_name']}"
        if row["status"] == "unaffected":
            table.add_row(f"[dim]{head}[/]", "0", "[dim]not reached[/]", "", "", "", "")
            continue
        if not row.get("action_shares"):  # the reason is said once, above the table
            reached = row.get("affected_customers")
            table.add_row(head, f"{reached:,}" if reached else "", "—", "—", "—", "—", "—")
            continue
        shares = row["action_shares"]
        flag = " *" if row.get("extrapolated") else ""
        action = doing(str(row["likely_action"]))
        table.add_row(
            head,
            f"{row['affected_customers']:,}",
            f"{action} ({round(float(row['action_probability']) * 100)} in 100)",
            stance.signed(float(row["sentiment_score"])),
            f"{shares.get('churned', 0):.2%}{flag}",
            "too\nuncertain†"
            if row.get("too_uncertain")
            else f"{row['expected_churners']:,.0f}\n"
            + "–".join(_compact(v) for v in row.get("expected_churners_interval") or []),
            f"${row['revenue_at_risk_monthly']:,.0f}",
        )
    out.print(table)
    unsure = [r for r in rows if r.get("too_uncertain") and r.get("action_shares")]
    if unsure:
        said = "; ".join(f"{r['segment_id']} ({r['too_uncertain'].split(': ', 1)[1]})"
                         for r in unsure)  # fmt: skip
        out.print(f"[yellow]†[/] too uncertain to act on (the churners' 90% interval spans more "
                  f"than half of those reached): {said}", highlight=False)  # fmt: skip
    if any(r.get("extrapolated") for r in rows):
        out.print("[yellow]*[/] extrapolated beyond the campaign history (wider intervals)",
                  highlight=False)  # fmt: skip


def voice_line(voice: dict[str, Any]) -> str:
    """ "27 in 100 would complain, like Andrew Jones, 38: “…”" with its source."""
    return (
        f"{voice['per_100']} would {voice['doing']}, like {voice['speaker']}: "
        f"“{voice['text']}”{SOURCE.get(voice['source'], '')}"
    )


def words_body(row: dict[str, Any]) -> list[str]:
    """What a reached segment's words say: a line per voice, or one line on why there are
    none."""
    if row["status"] == "failed":
        return [f"[yellow]words unavailable[/] ({row['error']}); numbers and stance kept"]
    if row.get("words") != "written":
        return [f"[dim]words not written ({row.get('words_reason') or 'no words'})[/]"]
    return [voice_line(v) for v in row.get("voices", [])]


def segment_words(row: dict[str, Any]) -> str:
    """One segment's words as they arrive (or why there are none)."""
    if row["status"] == "unaffected":
        return f"[dim]○ {row['segment_id']} {row['segment_name']}: not reached[/]"
    head = f"[bold]{row['segment_id']} {row['segment_name']}[/]"
    body = words_body(row)
    if row["status"] != "ok" or row.get("words") != "written":
        return f"{head}: {body[0]}"
    return "\n".join([head, *(f"  {line}" for line in body)])


class WordsStream:
    """Each reached segment's words as they arrive, under one header. A reason that leaves
    every segment without words (no personas yet) is said once, in the header, not per
    segment."""

    HEADER = (
        "[bold]voices[/] [dim](written per outcome the data shows, each checked against the "
        "scenario)[/]"
    )

    def __init__(self, out: Console) -> None:
        self.out = out
        self.headed = False
        self.said: str | None = None

    def row(self, row: dict[str, Any]) -> None:
        if row["status"] == "unaffected":
            return
        unwritten = row["status"] == "ok" and row.get("words") != "written"
        reason = str(row.get("words_reason") or "no words") if unwritten else None
        if not self.headed:
            self.headed = True
            if reason is not None:
                self.said = reason
                self.out.print(f"[bold]voices[/] [dim]not written: {reason}[/]", highlight=False)
                return
            self.out.print(self.HEADER, highlight=False)
        if reason is not None and reason == self.said:
            return
        self.out.print(segment_words(row), highlight=False, soft_wrap=True)


def show_ask(out: Console, answer: dict[str, Any]) -> None:
    """One persona's stance (from data), its voices and the history it was shown."""
    out.print(f"[bold]{answer['persona_name']}[/] ({answer['segment_id']})", highlight=False)
    said = stance_text(answer["reaction"] | {"stance_basis": answer.get("stance_basis")})
    out.print(f"  stance (from data): {said}", highlight=False)
    if answer.get("words") != "written":
        reason = answer.get("error") or answer.get("words_reason") or "no words"
        out.print(f"  words not written: {reason}", highlight=False)
        return
    for voice in answer["voices"]:
        out.print(f"  {voice_line(voice)}", highlight=False, soft_wrap=True)
    sources = answer.get("text_sources", {})
    for name, label in (
        ("reasoning", "why"),
        ("what_would_change_mind", "what would change my mind"),
    ):
        text = answer["reaction"].get(name)
        if text:
            source = SOURCE.get(sources.get(name, "llm"), "")
            out.print(f"  {label}: {text}{source}", highlight=False,
                      soft_wrap=True)  # fmt: skip
    out.print(f"  history ({answer['retrieval']}):", highlight=False)
    for line in answer["history_used"]:
        out.print(f"    - {line}", highlight=False, soft_wrap=True)
