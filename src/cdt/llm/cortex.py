"""Snowflake Cortex COMPLETE over the Snowflake backend's connection.

The prompt, model and options travel as bind parameters (PARSE_JSON of bound text); nothing
user-written is ever interpolated into the SQL.
"""

from __future__ import annotations

import json
import time
from typing import Any, ClassVar

from cdt.backends.base import CAP_CORTEX, Backend
from cdt.errors import BackendError, LLMError
from cdt.llm.base import LLM, Completion, Request

COMPLETE_SQL = "SELECT SNOWFLAKE.CORTEX.COMPLETE(?, PARSE_JSON(?), PARSE_JSON(?)) AS response"
#: Approximate credits per million tokens (Snowflake's consumption table; check your contract).
CREDITS_PER_MILLION = {
    "llama3.1-70b": 1.21,
    "llama3.1-8b": 0.19,
    "llama3.1-405b": 3.0,
    "mistral-large2": 1.95,
    "e5-base-v2": 0.03,
}


class CortexLLM(LLM):
    """A Cortex model, called through SQL."""

    provider: ClassVar[str] = "cortex"
    parallel: ClassVar[bool] = True

    def __init__(self, backend: Backend, model: str = "llama3.1-70b") -> None:
        if not backend.has(CAP_CORTEX):
            raise LLMError(
                "Cortex runs only on the Snowflake backend",
                fix="use --backend snowflake, or --llm llamacpp / ollama",
            )
        super().__init__(model)
        self.backend = backend

    def complete(self, request: Request) -> Completion:
        options: dict[str, Any] = {
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        }
        if request.json_schema is not None:
            options["response_format"] = {"type": "json", "schema": request.json_schema}
        messages = json.dumps([m.model_dump() for m in request.messages])
        started = time.perf_counter()
        try:
            with self.backend.work("llm"):
                raw = self.backend.scalar(
                    COMPLETE_SQL, [self.model_id, messages, json.dumps(options)]
                )
        except BackendError as exc:
            raise LLMError(f"Cortex COMPLETE failed: {exc.message}", retryable=True) from exc
        latency = (time.perf_counter() - started) * 1000
        text, prompt_tokens, completion_tokens = parse_response(raw)
        rate = CREDITS_PER_MILLION.get(self.model_id, 0.0)
        return Completion(
            text=text,
            provider=self.provider,
            model_id=self.model_id,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            latency_ms=latency,
            estimated_credits=rate * (prompt_tokens + completion_tokens) / 1_000_000,
        )


def parse_response(raw: object) -> tuple[str, int, int]:
    """COMPLETE with options returns a JSON document: choices, usage and, for structured
    output, ``structured_output[0].raw_message``."""
    try:
        document = json.loads(raw) if isinstance(raw, str) else raw
        assert isinstance(document, dict)
    except (ValueError, AssertionError) as exc:
        raise LLMError(
            f"Cortex returned something that is not JSON: {str(raw)[:200]}", status="invalid_output"
        ) from exc
    usage = document.get("usage") or {}
    structured = document.get("structured_output") or []
    if structured:
        message = structured[0].get("raw_message")
        text = message if isinstance(message, str) else json.dumps(message)
    else:
        choices = document.get("choices") or [{}]
        text = str(choices[0].get("messages", ""))
    return text, int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
