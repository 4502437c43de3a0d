"""Progress for people (Rich bars on stderr) and for scripts (JSON lines on stderr)."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


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


class JsonlProgress:
    """Progress as JSON lines on stderr (``CDT_PROGRESS=jsonl``), for scripts and supervisors:
    ``{"event": "start"|"advance"|"finish", "task": ..., "total"|"steps": ..., "t": ...}``."""

    def _emit(self, **event: object) -> None:
        sys.stderr.write(json.dumps({**event, "t": round(time.time(), 3)}) + "\n")
        sys.stderr.flush()

    def start(self, task: str, total: float | None = None) -> None:
        self._emit(event="start", task=task, total=total)

    def advance(self, task: str, steps: float = 1) -> None:
        self._emit(event="advance", task=task, steps=steps)

    def finish(self, task: str) -> None:
        self._emit(event="finish", task=task)


class LineProgress:
    """Progress as plain lines for a log (stderr piped or redirected): a line when a task
    starts and when it finishes, and, while any runs, a line at least every ``every`` seconds
    with where each stands, so a long build never goes quiet."""

    def __init__(self, err: Console, every: float = 60.0) -> None:
        import threading

        self._err = err
        self._every = every
        self._tasks: dict[str, list[float]] = {}  # task -> [done, total or -1, started]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name="cdt-progress", daemon=True)
        self._beat.start()

    def _say(self, text: str) -> None:
        self._err.print(f"[{time.strftime('%H:%M:%S')}] {text}", highlight=False, soft_wrap=True)

    def _where(self, task: str, state: list[float]) -> str:
        done, total, started = state
        of = f"/{total:.0f}" if total >= 0 else ""
        return f"{task}: {done:.0f}{of} after {time.monotonic() - started:.0f} s"

    def _heartbeat(self) -> None:
        while not self._stop.wait(self._every):
            with self._lock:
                running = [self._where(t, s) for t, s in self._tasks.items()]
            if running:
                self._say("still working: " + "; ".join(running))

    def start(self, task: str, total: float | None = None) -> None:
        with self._lock:
            self._tasks[task] = [0.0, -1.0 if total is None else float(total), time.monotonic()]
        self._say(f"{task}: started")

    def advance(self, task: str, steps: float = 1) -> None:
        with self._lock:
            if task in self._tasks:
                self._tasks[task][0] += steps

    def finish(self, task: str) -> None:
        with self._lock:
            state = self._tasks.pop(task, None)
        if state is not None:
            self._say(f"{task}: done in {time.monotonic() - state[2]:.1f} s")

    def close(self) -> None:
        self._stop.set()


@contextmanager
def progress_bars(
    err: Console, enabled: bool = True
) -> Iterator[RichProgress | JsonlProgress | LineProgress | None]:
    """Rich progress bars on ``err``; JSON lines with ``CDT_PROGRESS=jsonl`` (even with
    --json); plain lines, at least one a minute, when ``err`` is not a terminal (a log, a
    pipe, CI); or None with --json."""
    if os.environ.get("CDT_PROGRESS") == "jsonl":
        yield JsonlProgress()
        return
    if not enabled:
        yield None
        return
    if not err.is_terminal:
        lines = LineProgress(err)
        try:
            yield lines
        finally:
            lines.close()
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
