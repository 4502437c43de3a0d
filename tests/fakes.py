"""Test doubles. They live here only: production code never sees them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa

from cdt.backends.base import CAP_CORTEX, Backend, Params
from cdt.errors import LLMError
from cdt.llm.base import LLM, Completion, Request


class ScriptedLLM(LLM):
    """Answers with a scripted list of texts (or raises scripted errors), recording requests."""

    provider: ClassVar[str] = "scripted"
    parallel: ClassVar[bool] = True

    def __init__(self, replies: Sequence[str | LLMError], model_id: str = "script-1") -> None:
        super().__init__(model_id)
        self.replies = list(replies)
        self.requests: list[Request] = []

    def complete(self, request: Request) -> Completion:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, LLMError):
            raise reply
        return Completion(
            text=reply,
            provider=self.provider,
            model_id=self.model_id,
            prompt_tokens=10,
            completion_tokens=5,
            latency_ms=1.0,
        )


class RecordingCortexBackend(Backend):
    """Records the SQL and binds a Cortex adapter sends; answers with canned values."""

    dialect: ClassVar[str] = "snowflake"
    capabilities: ClassVar[frozenset[str]] = frozenset({CAP_CORTEX})

    def __init__(self, answers: Sequence[Any]) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, list[Any]]] = []
        self.work_kinds: list[str] = []

    def execute(self, sql: str, params: Params = None) -> None:
        self.sent.append((sql, list(params or [])))

    def query(self, sql: str, params: Params = None) -> pa.Table:
        self.sent.append((sql, list(params or [])))
        return pa.table({"response": [self.answers.pop(0)]})

    def load(self, table: str, data: pa.Table | Path | Sequence[Path]) -> int:
        raise NotImplementedError

    def close(self) -> None:
        return None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    @contextmanager
    def work(self, kind: str) -> Iterator[None]:  # type: ignore[override]
        self.work_kinds.append(kind)
        yield


@contextmanager
def other_writer(path: Path) -> Iterator[None]:
    """Another process holding a read-write DuckDB connection to ``path`` (as `cdt build`
    does) for the block's duration."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys\nc = duckdb.connect({str(path)!r})\n"
            "print('ready', flush=True)\nsys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.communicate("", timeout=30)


class FakeSnowparkSession:
    """The part of Snowpark's Session that SnowparkBackend uses (``sql(...).collect()`` and
    ``.to_pandas()``, ``write_pandas``), over a DuckDB connection; records what it was sent."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.sent: list[tuple[str, list[Any] | None]] = []

    def sql(self, query: str, params: list[Any] | None = None) -> _FakeFrame:
        self.sent.append((query, params))
        return _FakeFrame(self.con, query, params)

    def write_pandas(
        self, frame: Any, table_name: str, *, schema: str, auto_create_table: bool,
        overwrite: bool,
    ) -> None:  # fmt: skip
        assert not auto_create_table and not overwrite
        self.con.register("incoming", frame)
        try:
            self.con.execute(f"INSERT INTO {schema}.{table_name} BY NAME SELECT * FROM incoming")
        finally:
            self.con.unregister("incoming")


class _FakeFrame:
    def __init__(self, con: Any, query: str, params: list[Any] | None) -> None:
        self.con, self.query, self.params = con, query, params

    def collect(self) -> list[Any]:
        result = self.con.execute(self.query, self.params)
        return result.fetchall() if result.description else []

    def to_pandas(self) -> Any:
        return self.con.execute(self.query, self.params).df()


class ScriptedGate:
    """A meaning gate that rejects every text containing one of ``bad`` (for tests of what
    happens around the gate: retries, fallbacks, labels). The real gate has its own tests."""

    def __init__(self, *bad: str) -> None:
        from cdt.voices.meaning import Judgement

        self.bad = bad
        self.judgement = Judgement
        self.judged: list[Any] = []

    def judge(self, items: Sequence[Any]) -> list[Any]:
        self.judged.extend(items)
        return [
            self.judgement("it is not about this scenario", ("off_topic",))
            if any(b in item.text for b in self.bad)
            else self.judgement(None)
            for item in items
        ]
