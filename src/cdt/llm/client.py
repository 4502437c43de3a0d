"""Validation, retries, caching, logging and a bounded pool, for every provider alike.

``LLMClient.structured`` returns a validated pydantic object or raises ``LLMError``: nothing
downstream ever sees unvalidated output. Every call is logged in AGENTS.LLM_CALLS, which also
serves as the cache (only answers that validated are served from it).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from cdt.backends.base import Backend
from cdt.errors import BackendError, LLMError
from cdt.llm.base import LLM, Completion, Message, Request
from cdt.progress import NullProgress, Progress
from cdt.sqlfiles import read_sql

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
INVALID_RETRIES = 2
TRANSIENT_RETRIES = 3
BACKOFF_SECONDS = 0.5
_CACHE_SQL = read_sql("llm_cache_lookup", "common")
_LOG_SQL = read_sql("llm_call_log", "common")


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated answer and the completion it came from."""

    value: T
    completion: Completion


class LLMClient:
    """Wraps an LLM with the log/cache table of a backend (or none, for no logging)."""

    def __init__(
        self,
        llm: LLM,
        backend: Backend | None = None,
        *,
        use_cache: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.llm = llm
        self.backend = backend
        self.use_cache = use_cache and backend is not None
        self._sleep = sleep
        self._db_lock = threading.Lock()  # one DB connection is shared by the pool's threads

    @property
    def parallel(self) -> bool:
        return self.llm.parallel

    def structured(
        self,
        messages: Sequence[Message],
        output: type[T],
        *,
        kind: str = "call",
        temperature: float = 0.2,
        max_tokens: int = 512,
        seed: int = 42,
    ) -> Structured[T]:
        """Ask for JSON matching ``output``'s schema; validate; on invalid output retry with
        the validation error fed back, up to INVALID_RETRIES times.

        Raises:
            LLMError: the provider failed, or every attempt returned invalid output.
        """
        schema = output.model_json_schema()
        conversation = list(messages)
        last_error = ""
        for _ in range(INVALID_RETRIES + 1):
            request = Request(
                messages=tuple(conversation),
                json_schema=schema,
                temperature=temperature,
                max_tokens=max_tokens,
                seed=seed,
            )
            completion = self._complete(request, kind, validate=output)
            if completion.parsed is not None:
                return Structured(completion.parsed, completion)
            last_error = completion.text
            conversation += [
                Message(role="assistant", content=completion.text[:4000]),
                Message(
                    role="user",
                    content=(
                        "That reply did not match the required JSON schema "
                        f"({_short_error(output, completion.text)}). Reply again with only a JSON "
                        "object that matches the schema."
                    ),
                ),
            ]
        raise LLMError(
            f"{self.llm.provider}/{self.llm.model_id} returned invalid {output.__name__} JSON "
            f"{INVALID_RETRIES + 1} times (last: {last_error[:120]!r})",
            fix="try again, raise max tokens, or use a larger model (--llm ollama / cortex)",
            status="invalid_output",
        )

    def text(
        self,
        messages: Sequence[Message],
        *,
        kind: str = "call",
        temperature: float = 0.2,
        max_tokens: int = 512,
        seed: int = 42,
    ) -> Completion:
        """A free-text completion (cached and logged)."""
        request = Request(
            messages=tuple(messages), temperature=temperature, max_tokens=max_tokens, seed=seed
        )
        return self._complete(request, kind, validate=None)

    def _complete(
        self, request: Request, kind: str, validate: type[BaseModel] | None
    ) -> Completion:
        key = request.key(self.llm.provider, self.llm.model_id)
        cached = self._cached(key, request, kind, validate)
        if cached is not None:
            return cached
        completion = self._call_with_retry(request, key, kind)
        parsed = None
        status, error = "ok", None
        if validate is not None:
            try:
                parsed = parse_output(validate, completion.text)
            except ValidationError as exc:
                status, error = "invalid_output", _short_error(validate, completion.text, exc)
        self._log(completion, kind, key, request, status, error)
        return replace(completion, parsed=parsed)

    def _cached(
        self, key: str, request: Request, kind: str, validate: type[BaseModel] | None
    ) -> Completion | None:
        if not self.use_cache or self.backend is None:
            return None
        started = time.perf_counter()
        with self._db_lock:
            rows = self.backend.query(_CACHE_SQL, [key]).to_pylist()
        if not rows:
            return None
        text = str(rows[0]["response_text"])
        try:
            parsed = parse_output(validate, text) if validate is not None else None
        except ValidationError:  # cached under an older schema: ask again
            return None
        completion = Completion(
            text=text,
            provider=self.llm.provider,
            model_id=self.llm.model_id,
            prompt_tokens=int(rows[0]["prompt_tokens"] or 0),
            completion_tokens=int(rows[0]["completion_tokens"] or 0),
            latency_ms=(time.perf_counter() - started) * 1000,
            cached=True,
            parsed=parsed,
        )
        self._log(completion, kind, key, request, "ok", None)
        return completion

    def _call_with_retry(self, request: Request, key: str, kind: str) -> Completion:
        for attempt in range(TRANSIENT_RETRIES + 1):
            try:
                return self.llm.complete(request)
            except LLMError as exc:
                failed = Completion(text="", provider=self.llm.provider, model_id=self.llm.model_id)
                self._log(failed, kind, key, request, exc.status, exc.message)
                if not exc.retryable or attempt == TRANSIENT_RETRIES:
                    raise
                self._sleep(BACKOFF_SECONDS * 2**attempt)
        raise AssertionError("unreachable")

    def _log(
        self,
        completion: Completion,
        kind: str,
        key: str,
        request: Request,
        status: str,
        error: str | None,
    ) -> None:
        if self.backend is None:
            return
        values = [
            str(uuid.uuid4()),
            completion.provider,
            completion.model_id,
            kind,
            key,
            request.prompt_hash(),
            completion.prompt_tokens,
            completion.completion_tokens,
            completion.latency_ms,
            completion.estimated_credits,
            completion.cached,
            status,
            (error or "")[:2000] or None,
            completion.text,
        ]
        try:
            with self._db_lock:
                self.backend.execute(_LOG_SQL, values)
        except BackendError as exc:  # a failed log must not fail the call; say so loudly
            raise LLMError(
                f"could not log the LLM call: {exc.message}",
                fix="run `cdt init` to create AGENTS.LLM_CALLS",
            ) from exc


def run_many(
    jobs: Sequence[Callable[[], R]],
    *,
    parallel: bool,
    max_workers: int = 4,
    timeout: float | None = None,
    progress: Progress | None = None,
    task: str = "llm",
) -> list[R | LLMError]:
    """Run jobs on a bounded pool (one worker when the provider is not parallel).

    Each result is the job's value, or the LLMError it raised (including a timeout): one
    failure never stops the others. Results keep the order of ``jobs``.
    """
    progress = progress or NullProgress()
    progress.start(task, total=len(jobs))
    results: list[R | LLMError] = [LLMError("not run")] * len(jobs)
    workers = max(1, min(max_workers if parallel else 1, len(jobs) or 1))
    deadline = None if timeout is None else time.monotonic() + timeout
    submitted = _start(jobs, workers)
    try:
        futures: dict[Future[R], int] = {future: i for i, future in enumerate(submitted)}
        pending = set(futures)
        while pending:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            done, pending = wait(pending, timeout=remaining, return_when=FIRST_COMPLETED)
            if not done:  # deadline passed
                for future in pending:
                    future.cancel()
                    results[futures[future]] = LLMError(
                        f"no answer within {timeout:g} s", retryable=True, status="timeout"
                    )
                break
            for future in done:
                try:
                    results[futures[future]] = future.result()
                except LLMError as exc:
                    results[futures[future]] = exc
                progress.advance(task)
    finally:
        for future in submitted:
            future.cancel()  # the jobs not yet started never start
        progress.finish(task)
    return results


def _start(jobs: Sequence[Callable[[], R]], workers: int) -> list[Future[R]]:
    """Run ``jobs`` on ``workers`` daemon threads; one future per job.

    Not a ThreadPoolExecutor: the interpreter joins its threads at exit, so a call hung past
    the request's deadline would hold the process until its own timeout ran out. A daemon
    thread is left behind instead, and the command ends at its deadline. (The in-process
    model is the exception: it finishes its current call at exit, see cdt.llm.llamacpp.)
    """
    futures: list[Future[R]] = [Future() for _ in jobs]
    queue = deque(zip(jobs, futures, strict=True))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not queue:
                    return
                job, future = queue.popleft()
            if not future.set_running_or_notify_cancel():
                continue  # cancelled before it started
            try:
                future.set_result(job())
            except BaseException as exc:  # handed to the waiter, as an executor does
                future.set_exception(exc)

    for n in range(workers):
        threading.Thread(target=work, name=f"cdt-llm-{n}", daemon=True).start()
    return futures


def parse_output(output: type[T], text: str) -> T:
    """Validate ``text`` as ``output``. Raw control characters inside JSON strings (a newline
    that a grammar let through) are tolerated; everything else must match the schema.

    Raises:
        ValidationError: the text is not a valid ``output``.
    """
    try:
        return output.model_validate_json(text)
    except ValidationError as strict_error:
        try:
            document = json.loads(text, strict=False)
        except ValueError:
            raise strict_error from None
        return output.model_validate(document)


def _short_error(output: type[BaseModel], text: str, exc: ValidationError | None = None) -> str:
    if exc is None:
        try:
            parse_output(output, text)
        except ValidationError as caught:
            exc = caught
        else:
            return "no error"
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "the object"
    return f"{where}: {first['msg']}"
