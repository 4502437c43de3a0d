"""Snowflake Cortex over the Snowflake backend's connection: AI_COMPLETE (or, for accounts that
still have it, the legacy SNOWFLAKE.CORTEX.COMPLETE).

The prompt, model, parameters and response format travel as bind parameters (PARSE_JSON of
bound text); nothing user-written is ever interpolated into the SQL. Cortex's errors become
LLMErrors that say how to fix them (``explain``).
"""

from __future__ import annotations

import json
import time
from typing import Any, ClassVar, Literal

from cdt.backends.base import CAP_CORTEX, Backend
from cdt.errors import BackendError, LLMError
from cdt.llm.base import LLM, Completion, Message, Request
from cdt.sqlfiles import read_sql

#: AI_COMPLETE with the details object (choices, usage, model): the text and token counts.
AI_COMPLETE_SQL = read_sql("ai_complete", "snowflake")
#: The same with structured output: ``response_format`` is its own argument, not a parameter.
AI_COMPLETE_JSON_SQL = read_sql("ai_complete_json", "snowflake")
LEGACY_COMPLETE_SQL = read_sql("cortex_complete_legacy", "snowflake")
COMPLETE_SQL = LEGACY_COMPLETE_SQL  # the name older callers and tests know
Functions = Literal["ai", "legacy"]
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

    def __init__(
        self, backend: Backend, model: str = "llama3.1-70b", *, functions: Functions = "ai"
    ) -> None:
        if not backend.has(CAP_CORTEX):
            raise LLMError(
                "Cortex runs only on the Snowflake backend",
                fix="use --backend snowflake, or --llm llamacpp / ollama",
            )
        super().__init__(model)
        self.backend = backend
        self.functions = functions

    def statement(self, request: Request) -> tuple[str, list[Any]]:
        """The SQL and binds for ``request``."""
        parameters: dict[str, Any] = {
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        }
        response_format = (
            {"type": "json", "schema": request.json_schema}
            if request.json_schema is not None
            else None
        )
        if self.functions == "legacy":
            if response_format is not None:
                parameters["response_format"] = response_format
            messages = json.dumps([m.model_dump() for m in request.messages])
            return LEGACY_COMPLETE_SQL, [self.model_id, messages, json.dumps(parameters)]
        prompt = as_prompt(request.messages)
        if response_format is None:
            return AI_COMPLETE_SQL, [self.model_id, prompt, json.dumps(parameters)]
        return AI_COMPLETE_JSON_SQL, [
            self.model_id,
            prompt,
            json.dumps(parameters),
            json.dumps(response_format),
        ]

    def complete(self, request: Request) -> Completion:
        sql, binds = self.statement(request)
        started = time.perf_counter()
        try:
            with self.backend.work("llm"):
                raw = self.backend.scalar(sql, binds)
        except BackendError as exc:
            raise explain(exc, self.model_id, self.functions, "complete") from exc
        if raw is None:  # AI functions return NULL for a row they could not answer
            raise LLMError(
                f"Cortex returned no answer from {self.model_id} (AI_COMPLETE gave NULL)",
                fix="check the model's availability in your region and the role's Cortex "
                "grants (`cdt doctor`), then retry",
                retryable=True,
            )
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


def as_prompt(messages: tuple[Message, ...] | list[Message]) -> str:
    """A conversation as AI_COMPLETE's single prompt string: each turn under its role, so the
    instructions, the worked examples and the question stay apart."""
    labels = {"system": "Instructions", "user": "User", "assistant": "Assistant"}
    turns = [f"### {labels.get(m.role, m.role)}\n{m.content}" for m in messages]
    return "\n\n".join([*turns, "### Assistant\n"])


def parse_response(raw: object) -> tuple[str, int, int]:
    """The details object (AI_COMPLETE with show_details, or legacy COMPLETE with options):
    ``choices[0].messages`` (text, or the structured object), ``usage``, and for legacy
    structured output ``structured_output[0].raw_message``."""
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
    else:
        choices = document.get("choices") or [{}]
        message = choices[0].get("messages", "")
    text = message if isinstance(message, str) else json.dumps(message)
    return text, int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))


def explain(exc: BackendError, model: str, functions: Functions, what: str) -> LLMError:
    """A Cortex failure as an LLMError naming the fix: a model the region does not offer, a
    role without the Cortex grants, a quota reached, or functions the account lacks."""
    text = exc.message
    lowered = text.lower()
    name = {"complete": "AI_COMPLETE", "embed": "AI_EMBED"}[what]
    if functions == "legacy":
        name = {"complete": "SNOWFLAKE.CORTEX.COMPLETE", "embed": "EMBED_TEXT_768"}[what]
    if "unknown function" in lowered or ("does not exist" in lowered and "function" in lowered):
        other = "legacy" if functions == "ai" else "ai"
        return LLMError(
            f"this Snowflake account has no {name}: {text}",
            fix=f'set llm.cortex_functions = "{other}" in cdt.toml'
            + (" (the legacy functions are gone from new accounts)" if other == "legacy" else ""),
        )
    if "model" in lowered and any(
        k in lowered
        for k in ("unknown", "not available", "unavailable", "not supported", "invalid")
    ):
        return LLMError(
            f"Cortex model {model!r} is not available to this account: {text}",
            fix="choose a model offered in your region (llm.cortex_persona_model / "
            "cortex_reaction_model, embedder.cortex_model), or enable cross-region inference: "
            "ALTER ACCOUNT SET CORTEX_ENABLED_CROSS_REGION = 'ANY_REGION'",
        )
    if any(k in lowered for k in ("insufficient privileges", "not authorized", "cortex_user")):
        return LLMError(
            f"the role may not call {name}: {text}",
            fix="GRANT DATABASE ROLE SNOWFLAKE.CORTEX_USER TO ROLE <your role> (or the "
            "USE AI FUNCTIONS account privilege), as `cdt init --roles` does for the app roles",
        )
    if any(k in lowered for k in ("quota", "rate limit", "too many requests", "throttl")):
        return LLMError(
            f"Cortex quota reached for {model}: {text}",
            fix="wait and retry, raise the account's Cortex budget, or simulate fewer segments "
            "at once",
            retryable=True,
        )
    return LLMError(f"Cortex {name} failed: {text}", retryable=True)
