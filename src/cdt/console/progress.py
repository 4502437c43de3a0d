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


@contextmanager
def progress_bars(
    err: Console, enabled: bool = True
) -> Iterator[RichProgress | JsonlProgress | None]:
    """Rich progress bars on ``err``; JSON lines with ``CDT_PROGRESS=jsonl`` (even with
    --json); or None when output is for a script or not a terminal."""
    if os.environ.get("CDT_PROGRESS") == "jsonl":
        yield JsonlProgress()
        return
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
