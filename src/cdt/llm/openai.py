"""Any OpenAI-compatible chat server: llama.cpp's ``llama-server``, LM Studio, vLLM, or a hosted
endpoint, over ``POST {base_url}/chat/completions``.

Structured output asks for ``response_format`` with the JSON schema (``json_schema``); a server
that refuses it (an error naming the format: 400, or the 422/500 of a validating server) is
asked again with ``json_object`` carrying the schema (llama.cpp's servers enforce it there) and
the schema in a system message, and one that refuses that too gets the schema in the system
message only.
The level that worked is kept for the rest of the process. Replies are validated by the
client (``cdt.llm.client``) like every provider's.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, ClassVar

import httpx

from cdt.errors import LLMError
from cdt.llm.base import LLM, Completion, Request

CONNECT_TIMEOUT = 3.0
FORMATS = ("json_schema", "json_object", "prompt")  # most to least the server enforces


class OpenAICompatLLM(LLM):
    """A model behind an OpenAI-compatible ``/chat/completions`` endpoint."""

    provider: ClassVar[str] = "openai"
    parallel: ClassVar[bool] = True

    def __init__(
        self,
        model: str,
        *,
        base_url: str = "http://127.0.0.1:8080/v1",
        api_key: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        super().__init__(model)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            headers=headers, timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
        )
        self._format = 0  # index into FORMATS: the strictest the server has accepted
        self._lock = threading.Lock()

    def complete(self, request: Request) -> Completion:
        started = time.perf_counter()
        while True:
            level = self._format
            response = self._post(self._payload(request, level))
            refused = response.status_code in (400, 422, 500) and _refuses(response)
            if refused and request.json_schema is not None and level + 1 < len(FORMATS):
                with self._lock:
                    self._format = max(self._format, level + 1)
                continue
            break
        body = self._checked(response)
        try:
            message = body["choices"][0]["message"]
            text = str(message.get("content") or "")
            usage = body.get("usage") or {}
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise LLMError(
                f"{self.base_url} answered with something that is not a chat completion",
                fix="check that the base URL points at an OpenAI-compatible /v1 endpoint",
                status="invalid_output",
            ) from exc
        return Completion(
            text=text,
            provider=self.provider,
            model_id=self.model_id,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            latency_ms=(time.perf_counter() - started) * 1000,
        )

    def _payload(self, request: Request, level: int) -> dict[str, Any]:
        messages = [m.model_dump() for m in request.messages]
        payload: dict[str, Any] = {
            "model": self.model_id,
            "messages": messages,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
            "seed": request.seed,
        }
        schema = request.json_schema
        if schema is None:
            return payload
        if FORMATS[level] == "json_schema":
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": schema},
            }
            return payload
        said = "Reply with one JSON object that matches this JSON schema:\n" + json.dumps(schema)
        payload["messages"] = [{"role": "system", "content": said}, *messages]
        if FORMATS[level] == "json_object":  # llama.cpp's servers honour a schema here
            payload["response_format"] = {"type": "json_object", "schema": schema}
        return payload

    def _post(self, payload: dict[str, Any]) -> httpx.Response:
        url = f"{self.base_url}/chat/completions"
        try:
            return self._http.post(url, json=payload)
        except httpx.ConnectTimeout as exc:
            raise LLMError(
                f"cannot reach {self.base_url} (no connection within {CONNECT_TIMEOUT:g} s)",
                fix="start the server, or set OPENAI_BASE_URL / llm.openai_base_url",
                retryable=True,
            ) from exc
        except httpx.TimeoutException as exc:  # connected, but no answer: waiting again won't help
            raise LLMError(
                f"{self.base_url} accepted the request but gave no answer within "
                f"{self.timeout:g} s",
                fix="check the server, raise CDT_LLM_TIMEOUT, or use --llm llamacpp",
                status="timeout",
            ) from exc
        except httpx.TransportError as exc:
            raise LLMError(
                f"cannot reach {self.base_url} ({type(exc).__name__})",
                fix="start the server, or set OPENAI_BASE_URL / llm.openai_base_url",
                retryable=True,
            ) from exc

    def _checked(self, response: httpx.Response) -> dict[str, Any]:
        status = response.status_code
        said = _error_text(response)
        if status in (401, 403):
            raise LLMError(
                f"{self.base_url} refused the key ({status}: {said})",
                fix="set OPENAI_API_KEY (or CDT_OPENAI_API_KEY) to a key this server accepts",
            )
        if status == 404:
            raise LLMError(
                f"{self.base_url} has no model {self.model_id} ({said})",
                fix="set CDT_OPENAI_MODEL (llm.openai_model) to a model the server lists at "
                "/v1/models",
            )
        if status >= 400:
            raise LLMError(
                f"{self.base_url} answered {status}: {said}",
                retryable=status >= 500 or status == 429,
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise LLMError(
                f"{self.base_url} answered with something that is not JSON",
                fix="check that the base URL points at an OpenAI-compatible /v1 endpoint",
                status="invalid_output",
            ) from exc
        if not isinstance(body, dict):
            raise LLMError(
                f"{self.base_url} answered with something that is not a chat completion",
                fix="check that the base URL points at an OpenAI-compatible /v1 endpoint",
                status="invalid_output",
            )
        return body


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
        error = body.get("error") if isinstance(body, dict) else None
        text = error.get("message") if isinstance(error, dict) else (error or body)
        return str(text)[:200]
    except ValueError:
        return response.text[:200]


def _refuses(response: httpx.Response) -> bool:
    """Whether an error is the server refusing the structured-output request (a 400, or a
    validation error some servers send as 422 or 500)."""
    said = _error_text(response).lower()
    return any(w in said for w in ("response_format", "json_schema", "json schema", "schema",
                                   "json_object", "grammar"))  # fmt: skip
