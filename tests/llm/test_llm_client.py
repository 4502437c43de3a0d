"""The LLM client: validation with retries, cache, logging and the bounded pool."""

from __future__ import annotations

import json
import threading
import time
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from cdt import api
from cdt.config import Settings
from cdt.errors import LLMError
from cdt.llm.base import Message, Request
from cdt.llm.client import INVALID_RETRIES, LLMClient, run_many
from tests.fakes import ScriptedLLM


class Verdict(BaseModel):
    action: Literal["ACCEPT", "CHURN"]
    score: float = Field(ge=-1, le=1)


GOOD = json.dumps({"action": "ACCEPT", "score": 0.5})
ASK = [Message(role="user", content="react")]


@pytest.fixture
def db(isolated_home: object) -> object:
    settings = Settings()
    api.init(settings)
    with api.connect(settings) as backend:
        yield backend


def logged(backend: object) -> list[dict[str, object]]:
    return backend.query(  # type: ignore[attr-defined, no-any-return]
        "SELECT status, cached, error, call_kind FROM AGENTS.LLM_CALLS ORDER BY created_at"
    ).to_pylist()


def test_valid_output_is_parsed_and_logged(db: object) -> None:
    client = LLMClient(ScriptedLLM([GOOD]), db)  # type: ignore[arg-type]
    answer = client.structured(ASK, Verdict, kind="reaction")
    assert answer.value == Verdict(action="ACCEPT", score=0.5)
    assert not answer.completion.cached
    assert logged(db) == [{"status": "ok", "cached": False, "error": None, "call_kind": "reaction"}]


def test_identical_requests_are_served_from_the_cache(db: object) -> None:
    llm = ScriptedLLM([GOOD])
    client = LLMClient(llm, db)  # type: ignore[arg-type]
    client.structured(ASK, Verdict)
    again = client.structured(ASK, Verdict)
    assert again.completion.cached
    assert len(llm.requests) == 1
    other_seed = client.structured(ASK, Verdict, seed=7)
    assert not other_seed.completion.cached
    assert len(llm.requests) == 2
    assert [row["cached"] for row in logged(db)] == [False, True, False]


def test_no_cache_bypasses_it(db: object) -> None:
    llm = ScriptedLLM([GOOD])
    LLMClient(llm, db).structured(ASK, Verdict)  # type: ignore[arg-type]
    LLMClient(llm, db, use_cache=False).structured(ASK, Verdict)  # type: ignore[arg-type]
    assert len(llm.requests) == 2


def test_invalid_output_is_retried_with_the_error_fed_back(db: object) -> None:
    llm = ScriptedLLM(['{"action": "MAYBE", "score": 0.1}', "not json", GOOD])
    answer = LLMClient(llm, db).structured(ASK, Verdict)  # type: ignore[arg-type]
    assert answer.value.action == "ACCEPT"
    assert len(llm.requests) == 3
    feedback = llm.requests[1].messages[-1].content
    assert "did not match the required JSON schema" in feedback and "action" in feedback
    assert llm.requests[1].messages[-2].role == "assistant"
    assert [row["status"] for row in logged(db)] == ["invalid_output", "invalid_output", "ok"]


def test_invalid_output_every_time_raises_and_is_never_cached(db: object) -> None:
    llm = ScriptedLLM(['{"action": "ACCEPT", "score": 9}'])
    client = LLMClient(llm, db)  # type: ignore[arg-type]
    with pytest.raises(LLMError, match="invalid Verdict JSON 3 times") as info:
        client.structured(ASK, Verdict)
    assert info.value.status == "invalid_output"
    assert len(llm.requests) == INVALID_RETRIES + 1
    with pytest.raises(LLMError):
        client.structured(ASK, Verdict)  # nothing invalid was cached
    assert len(llm.requests) == 2 * (INVALID_RETRIES + 1)


def test_transient_errors_are_retried_with_backoff(db: object) -> None:
    sleeps: list[float] = []
    llm = ScriptedLLM([LLMError("500", retryable=True), LLMError("500", retryable=True), GOOD])
    answer = LLMClient(llm, db, sleep=sleeps.append).structured(ASK, Verdict)  # type: ignore[arg-type]
    assert answer.value.action == "ACCEPT"
    assert sleeps == [0.5, 1.0]
    assert [row["status"] for row in logged(db)] == ["error", "error", "ok"]


def test_permanent_errors_are_not_retried() -> None:
    llm = ScriptedLLM([LLMError("no such model", fix="ollama pull x")])
    with pytest.raises(LLMError, match="no such model"):
        LLMClient(llm, sleep=lambda _: None).structured(ASK, Verdict)
    assert len(llm.requests) == 1


def test_request_hash_covers_every_parameter() -> None:
    base = Request(messages=tuple(ASK))
    keys = {
        base.key("p", "m"),
        base.key("p", "m2"),
        base.key("p2", "m"),
        base.model_copy(update={"temperature": 0.9}).key("p", "m"),
        base.model_copy(update={"seed": 1}).key("p", "m"),
        base.model_copy(update={"max_tokens": 9}).key("p", "m"),
        base.model_copy(update={"json_schema": {"type": "object"}}).key("p", "m"),
    }
    assert len(keys) == 7


def test_run_many_keeps_order_and_isolates_failures() -> None:
    def job(i: int) -> object:
        def run() -> int:
            if i == 2:
                raise LLMError("boom")
            time.sleep(0.01 * (5 - i))
            return i

        return run

    results = run_many([job(i) for i in range(5)], parallel=True, max_workers=3)
    assert results[:2] == [0, 1] and results[3:] == [3, 4]
    assert isinstance(results[2], LLMError)


def test_run_many_is_serial_for_in_process_models() -> None:
    active, peak = 0, 0
    lock = threading.Lock()

    def job() -> int:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.01)
        with lock:
            active -= 1
        return 1

    run_many([job] * 6, parallel=False, max_workers=4)
    assert peak == 1
    run_many([job] * 6, parallel=True, max_workers=3)
    assert peak == 3


def test_run_many_times_out_slow_jobs() -> None:
    release, finished = threading.Event(), threading.Event()

    def slow() -> int:
        release.wait(5)
        finished.set()
        return 1

    results = run_many([lambda: 0, slow], parallel=True, timeout=0.3)
    # run_many returned while the slow job was still waiting: it did not wait for it
    assert not finished.is_set()
    # and the thread left waiting will not hold the process at exit past the deadline
    left = [t for t in threading.enumerate() if t.name.startswith("cdt-llm")]
    assert left and all(t.daemon for t in left)
    release.set()
    assert results[0] == 0
    assert isinstance(results[1], LLMError) and results[1].status == "timeout"


def test_raw_newlines_inside_strings_are_tolerated_but_nothing_else() -> None:
    from pydantic import ValidationError

    from cdt.llm.client import parse_output

    class Said(BaseModel):
        text: str

    assert parse_output(Said, '{"text": "a\nb"}').text == "a\nb"
    with pytest.raises(ValidationError):
        parse_output(Said, '{"text": "unterminated')
    with pytest.raises(ValidationError):
        parse_output(Verdict, '{"action": "ACCEPT", "score": 2}')
