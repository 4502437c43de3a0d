"""What every page shares: settings, guarded and cached reads through cdt.api, guarded
writes, and the one way a simulation result is drawn."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from cdt import api
from cdt.app import SETTINGS_ENV
from cdt.config import Settings, load_settings
from cdt.console.backtest import backtest_sentence
from cdt.console.simulation import added_sentence, signed
from cdt.errors import BusyError, CdtError, NotBuiltError

BUILD_HINT = "Build it in a terminal with `cdt build` (or `make run`), then reload this page."
BUSY = "The twin is being rebuilt or written right now (by `cdt build` or a running simulation)."
# The last value each read returned, per process: shown while a writer holds the database.
_LAST_GOOD: dict[tuple[Any, ...], Any] = {}


def settings() -> Settings:
    """The settings `cdt app` passed, else those of this process's environment; always with
    the app's access, so a local twin refuses the app any write to RAW, EXTERNAL or
    ANALYTICS (cdt.backends.guard), and without waiting on a busy twin: the page shows the
    last twin it read and says it is being rebuilt."""
    raw = os.environ.get(SETTINGS_ENV)
    chosen = Settings.model_validate_json(raw) if raw else load_settings()
    return chosen.model_copy(update={"access": "app", "wait_s": 0.0})


@st.cache_data(ttl=10, show_spinner=False)
def _cached(
    name: str, twin: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> Any:
    """A read, cached per twin (``twin`` names it: another twin's read is never served)."""
    return getattr(api, name)(settings(), *args, **dict(kwargs))


def _twin() -> str:
    chosen = settings()
    where = chosen.database_path if chosen.backend == "duckdb" else chosen.snowflake.database
    return f"{chosen.backend}:{where}"


def read(name: str, *args: Any, **kwargs: Any) -> Any:
    """``cdt.api.<name>(settings, ...)``, cached for a few seconds.

    Returns None after showing why: no twin yet (with how to build one), or an error. While
    another writer holds the database it returns the last good value with a notice, or None
    with a "rebuilding" notice when there is none.
    """
    key = (name, _twin(), args, tuple(sorted(kwargs.items())))
    try:
        value = _cached(name, key[1], args, key[3])
    except CdtError as exc:
        if isinstance(exc, BusyError) and key in _LAST_GOOD:
            st.warning(f"{BUSY} Showing the twin as it was a moment ago.", icon=":material/sync:")
            return _LAST_GOOD[key]
        _explain(exc, "Reload this page when it finishes.")
        return None
    _LAST_GOOD[key] = value
    return value


def _explain(error: CdtError, when_busy: str) -> None:
    """Show why a cdt.api call gave nothing: the twin is busy (``when_busy`` says what to
    do), not built yet (how to build it), or another error with its fix."""
    if isinstance(error, BusyError):
        st.warning(f"{BUSY} {when_busy}", icon=":material/sync:")
    elif isinstance(error, NotBuiltError):
        st.info(f"**No twin yet.** {error.message}. {BUILD_HINT}", icon=":material/build:")
    else:
        st.error(str(error))


def personas_or_stop() -> list[dict[str, Any]]:
    """The personas, or stop the page after saying why there are none (or what failed)."""
    personas = read("personas")
    if not personas:
        if personas == []:
            st.info(
                "No personas yet. Build the twin with `cdt build` (or write them with "
                "`cdt personas generate`), then reload."
            )
        st.stop()
    return list(personas)


def write(
    action: Callable[..., Any],
    *args: Any,
    stream: str | tuple[str, ...] | None = None,
    show: Callable[..., None] | None = None,
    **kwargs: Any,
) -> Any:
    """Run a writing cdt.api call (a simulation, persona regeneration) and return its value;
    on a cdt error show it and return None. Cached reads are cleared after a write.

    With ``stream`` (the call's callback argument, e.g. ``"on_segment"``), the call runs on a
    worker thread and every item it reports is drawn here with ``show`` as it arrives: the
    worker never touches Streamlit, which only the script's own thread may do. With several
    callbacks (a tuple), ``show`` gets the callback's name first.
    """
    outcome: dict[str, Any] = {}
    if stream is None:
        try:
            outcome["value"] = action(settings(), *args, **kwargs)
        except CdtError as exc:
            outcome["error"] = exc
    else:
        arrived: queue.Queue[tuple[bool, Any]] = queue.Queue()
        current = settings()

        names = (stream,) if isinstance(stream, str) else stream
        tagged = not isinstance(stream, str)

        def report(name: str) -> Callable[..., None]:
            return lambda *item: arrived.put((True, (name, *item) if tagged else item))

        def work() -> None:
            try:
                outcome["value"] = action(
                    current, *args, **kwargs, **{name: report(name) for name in names}
                )
            except CdtError as exc:
                outcome["error"] = exc
            except Exception as exc:  # reported on the script's thread below
                outcome["crash"] = exc
            finally:
                arrived.put((False, None))

        worker = threading.Thread(target=work, name="cdt-app-write", daemon=True)
        worker.start()
        while True:
            more, item = arrived.get()
            if not more:
                break
            if show is not None:
                show(*item)
        worker.join()
        if "crash" in outcome:
            raise outcome["crash"]
    error = outcome.get("error")
    if isinstance(error, CdtError):
        _explain(error, f"Try again when it finishes. ({error.message})")
        return None
    st.cache_data.clear()
    return outcome["value"]


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def span(values: list[float] | None, fmt: str = "{:,.0f}") -> str:
    if not values:
        return ""
    return f"90%: {fmt.format(values[0])} – {fmt.format(values[1])}"


SOURCES = {
    "llm": "written by the LLM for this outcome, checked against the scenario",
    "verbatim": "a real customer's words (support contacts of this segment)",
    "composed": "composed from the segment's data",
}
ACTIONS = {
    "ACCEPT": "take it", "IGNORE": "let it pass", "COMPLAIN": "complain",
    "THREATEN_CHURN": "threaten to leave", "CHURN": "leave", "UPGRADE": "upgrade",
    "DOWNGRADE": "downgrade",
}  # fmt: skip


def segment_numbers(row: dict[str, Any]) -> None:
    """One segment's figures and its stance from data, drawn before any word is written."""
    with st.container(border=True):
        head, numbers = st.columns([2, 3])
        head.markdown(f"**{row['segment_name']}** · {row['segment_id']}")
        reached = row.get("affected_customers") or 0
        head.caption(f"{reached:,} of {row['customer_count']:,} customers reached")
        if row.get("status") == "unaffected":
            numbers.caption("Not reached by the scenario.")
            return
        shares = row.get("action_shares") or {}
        churners = row.get("expected_churners")
        a, b, c = numbers.columns(3)
        action = row.get("likely_action")
        share = row.get("action_probability")
        a.metric(
            "commonest reaction",
            ACTIONS.get(str(action), "–") if action else "–",
            f"{share:.0%} of reached" if share is not None else None,
            delta_color="off",
        )
        felt = row.get("sentiment_score")
        b.metric("sentiment (from data)", "–" if felt is None else signed(felt))
        uncertain = row.get("too_uncertain")
        c.metric(
            "expected churners",
            "–" if churners is None or uncertain else f"{churners:,.0f}",
            uncertain,
            delta_color="off",
        )
        if shares:
            st.caption(
                f"churn {pct(shares.get('churned'))} · complain {pct(shares.get('complained'))}"
                f" · {row.get('numbers_basis', '')}"
            )
        else:
            st.caption(str(row.get("stance_basis") or row.get("numbers_basis") or ""))


def segment_row(row: dict[str, Any]) -> None:
    """One segment's voices, drawn as they arrive (or why there are none)."""
    if row.get("status") == "unaffected":
        return
    with st.container(border=True):
        st.markdown(f"**{row['segment_name']}** · {row['segment_id']}")
        if row.get("status") == "failed":
            st.warning(f"Words unavailable: {row.get('error', 'unknown error')}. "
                       "The numbers and the stance above are complete.")  # fmt: skip
            return
        if row.get("words") != "written":
            st.caption(f"Words not written: {row.get('words_reason', '')}")
            return
        for voice in row.get("voices", []):
            st.markdown(
                f"{voice['per_100']} would {voice['doing']}, like **{voice['speaker']}**: "
                f"“{voice['text']}”"
            )
            st.caption(SOURCES.get(voice["source"], voice["source"]))


def result_view(result: dict[str, Any]) -> None:
    """A whole simulation: overall figures with intervals, backtested error, the
    recommendation, and the per-segment table and chart."""
    import altair as alt
    import polars as pl

    overall = result.get("overall") or {}
    st.subheader("Overall")
    for warning in (result.get("scenario") or {}).get("warnings", []):
        st.warning(warning, icon=":material/help:")
    if overall.get("grounded") is False:
        st.info(result.get("recommendation") or "")
        return
    if overall.get("proxy"):  # what the figures answer, above them, not only in a warning
        st.info(f"These figures are read through a proxy: {overall['proxy']}.")
    a, b, c, d = st.columns(4)
    sentiment = overall.get("weighted_sentiment")
    a.metric("sentiment (from data)", "–" if sentiment is None else signed(sentiment))
    b.metric("expected churners", f"{overall.get('expected_churners', 0):,.0f}")
    b.caption(span(overall.get("expected_churners_interval")))
    c.metric("revenue at risk / month", f"${overall.get('revenue_at_risk_monthly', 0):,.0f}")
    c.caption(span(overall.get("revenue_at_risk_monthly_interval"), "${:,.0f}"))
    d.metric("revenue at risk / year", f"${overall.get('revenue_at_risk_yearly', 0):,.0f}")
    d.caption(span(overall.get("revenue_at_risk_yearly_interval"), "${:,.0f}"))
    added = added_sentence(overall)
    if added:
        st.caption(added[0].upper() + added[1:] + ".")
    if overall.get("extrapolated"):
        st.warning("Extrapolated: the campaign history has nothing quite like this scenario.")
    tested = overall.get("backtested_error")
    if tested:
        sentence = backtest_sentence(tested)
        st.caption(sentence[0].upper() + sentence[1:] + ".")
    recommendation = result.get("recommendation") or ""
    (st.success if recommendation.startswith("Proceed") else st.info)(recommendation)
    segments = result.get("segments") or []
    table = [
        {
            "segment": s["segment_name"],
            "id": s["segment_id"],
            "status": s.get("status"),
            "customers reached": s.get("affected_customers") or 0,
            "commonest reaction": ACTIONS.get(str(s.get("likely_action")), "–"),
            "sentiment": s.get("sentiment_score"),
            "churn share": (s.get("action_shares") or {}).get("churned"),
            "low": ((s.get("action_share_intervals") or {}).get("churned") or [None])[0],
            "high": ((s.get("action_share_intervals") or {}).get("churned") or [None, None])[1],
            "expected churners": s.get("expected_churners"),
            "revenue at risk / month": s.get("revenue_at_risk_monthly"),
            "voice": s.get("quote") or "",
        }
        for s in segments
    ]
    if not table:
        return
    frame = pl.DataFrame(table)
    st.subheader("By segment")
    ok = frame.filter(pl.col("churn share").is_not_null())  # every reached segment with numbers
    if not ok.is_empty():
        base = alt.Chart(ok.to_pandas()).encode(y=alt.Y("segment:N", sort="-x", title=None))
        bars = base.mark_bar().encode(
            x=alt.X("churn share:Q", axis=alt.Axis(format="%"), title="churn share (90% interval)"),
            tooltip=["segment", "customers reached", "churn share", "expected churners"],
        )
        whiskers = base.mark_rule().encode(x="low:Q", x2="high:Q")
        st.altair_chart(bars + whiskers, width="stretch")
    st.dataframe(frame.drop("low", "high"), hide_index=True, width="stretch")
