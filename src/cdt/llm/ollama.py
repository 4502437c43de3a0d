"""Ollama through the official client. The host comes from OLLAMA_HOST or config."""

from __future__ import annotations

import time
from typing import Any, ClassVar

import httpx
import ollama

from cdt.errors import LLMError
from cdt.llm.base import LLM, Completion, Request

DEFAULT_TIMEOUT = 60.0
CONNECT_TIMEOUT = 3.0  # a host that is there accepts a connection at once


class OllamaLLM(LLM):
    """A model served by an Ollama server."""

    provider: ClassVar[str] = "ollama"
    parallel: ClassVar[bool] = True

    def __init__(
        self,
        model: str = "llama3.1",
        *,
        host: str = "http://127.0.0.1:11434",
        timeout: float = DEFAULT_TIMEOUT,
        num_ctx: int = 8192,
    ) -> None:
        super().__init__(model)
        self.host = host
        self.num_ctx = num_ctx
        self.timeout = timeout
        self._client = ollama.Client(
            host=host, timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
        )

    def complete(self, request: Request) -> Completion:
        options = {
            "temperature": request.temperature,
            "seed": request.seed,
            "num_ctx": self.num_ctx,
            "num_predict": request.max_tokens,
        }
        started = time.perf_counter()
        try:
            response: Any = self._client.chat(
                model=self.model_id,
                messages=[m.model_dump() for m in request.messages],
                format=request.json_schema,
                options=options,
                stream=False,
            )
        except ollama.ResponseError as exc:
            if exc.status_code == 404:
                raise LLMError(
                    f"Ollama at {self.host} does not have the model {self.model_id}",
                    fix=f"run `ollama pull {self.model_id}`",
                ) from exc
            raise LLMError(
                f"Ollama answered {exc.status_code}: {exc.error}", retryable=exc.status_code >= 500
            ) from exc
        except httpx.ConnectTimeout as exc:
            raise LLMError(
                f"cannot reach Ollama at {self.host} (no connection within {CONNECT_TIMEOUT:g} s)",
                fix="start it with `ollama serve`, set OLLAMA_HOST, or use --llm llamacpp",
                retryable=True,
            ) from exc
        except httpx.TimeoutException as exc:  # connected, but no answer: waiting again won't help
            raise LLMError(
                f"Ollama at {self.host} accepted the request but gave no answer within "
                f"{self.timeout:g} s",
                fix="check the server (`ollama ps` there), raise CDT_LLM_TIMEOUT, or use "
                "--llm llamacpp",
                status="timeout",
            ) from exc
        except (ConnectionError, httpx.TransportError) as exc:
            raise LLMError(
                f"cannot reach Ollama at {self.host}",
                fix="start it with `ollama serve`, set OLLAMA_HOST, or use --llm llamacpp",
                retryable=True,
            ) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise LLMError(
                f"Ollama at {self.host} answered with something that is not an Ollama reply",
                fix="check that OLLAMA_HOST points at an Ollama server",
                status="invalid_output",
            ) from exc
        latency = (time.perf_counter() - started) * 1000
        return Completion(
            text=str(response["message"]["content"] or ""),
            provider=self.provider,
            model_id=self.model_id,
            prompt_tokens=int(response.get("prompt_eval_count") or 0),
            completion_tokens=int(response.get("eval_count") or 0),
            latency_ms=latency,
        )
