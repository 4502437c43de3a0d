"""Progress reporting. The library never prints: it reports to a Progress."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress from long-running work; the CLI and the app render it."""

    def start(self, task: str, total: float | None = None) -> None:
        """A unit of work named ``task`` begins; ``total`` steps if known."""

    def advance(self, task: str, steps: float = 1) -> None:
        """``task`` made ``steps`` more steps of progress."""

    def finish(self, task: str) -> None:
        """``task`` is done."""


class NullProgress:
    """A Progress that ignores everything (tests, scripts)."""

    def start(self, task: str, total: float | None = None) -> None:
        return None

    def advance(self, task: str, steps: float = 1) -> None:
        return None

    def finish(self, task: str) -> None:
        return None
