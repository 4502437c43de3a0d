"""llama-cpp-python (compiled from source at install) against xllamacpp (prebuilt manylinux
wheels with llama.cpp's own server API), on this machine, with the bundled model: load time,
prompt and generation speed on the cores this process may use, and structured output under
one of cdt's schemas. Run each binding in the environment that has it:

    .venv/bin/python -m benchmarks.llamacpp_bindings llama-cpp-python
    /tmp/xv/bin/python -m benchmarks.llamacpp_bindings xllamacpp GGUF   # pip install xllamacpp

Prints one JSON line per binding.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

SCHEMA = {
    "type": "object",
    "properties": {
        "initial_reaction": {"type": "string"},
        "likely_action": {"type": "string", "enum": ["accept", "complain", "churn", "ignore"]},
        "sentiment_score": {"type": "number"},
    },
    "required": ["initial_reaction", "likely_action", "sentiment_score"],
}
MESSAGES = [
    {"role": "system", "content": "You are Megan, 42, on the Glacier plan, paying $28 a month."},
    {"role": "user", "content": "Snowmobile raises Glacier by $2 a month from March. How do "
     "you react? Answer as JSON."},
]  # fmt: skip
ROUNDS = 5
THREADS = len(os.sched_getaffinity(0))


def with_llama_cpp_python() -> dict[str, Any]:
    from llama_cpp import Llama

    from cdt.llm.locate import bundled_gguf

    started = time.perf_counter()
    model = Llama(model_path=str(bundled_gguf()), n_ctx=2048, n_threads=THREADS, verbose=False)
    loaded = time.perf_counter() - started
    free, valid, prompt_tok, gen_tok = _rounds(
        lambda schema, seed: model.create_chat_completion(
            messages=MESSAGES,
            max_tokens=96,
            temperature=0.2,
            seed=seed,
            response_format={"type": "json_object", "schema": schema} if schema else None,
        )
    )
    return _report("llama-cpp-python", loaded, free, valid, prompt_tok, gen_tok)


def with_xllamacpp(path: str) -> dict[str, Any]:
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = path
    params.n_ctx = 2048
    params.cpuparams.n_threads = THREADS
    params.cpuparams_batch.n_threads = THREADS
    started = time.perf_counter()
    server = xlc.Server(params)
    loaded = time.perf_counter() - started

    def ask(schema: dict[str, Any] | None, seed: int) -> dict[str, Any]:
        body: dict[str, Any] = {"messages": MESSAGES, "max_tokens": 96, "temperature": 0.2,
                                "seed": seed}  # fmt: skip
        if schema:
            body["response_format"] = {"type": "json_schema", "json_schema": {"schema": schema}}
        out = server.handle_chat_completions(body)  # a dict in, a dict out (no streaming)
        if "error" in out:
            raise RuntimeError(out["error"])
        return dict(out)

    free, valid, prompt_tok, gen_tok = _rounds(ask)
    return _report("xllamacpp", loaded, free, valid, prompt_tok, gen_tok)


def _rounds(ask: Any) -> tuple[float, int, int, int]:
    ask(None, 0)  # warm
    started = time.perf_counter()
    prompt_tok = gen_tok = 0
    for seed in range(ROUNDS):
        usage = ask(None, seed).get("usage") or {}
        prompt_tok += int(usage.get("prompt_tokens") or 0)
        gen_tok += int(usage.get("completion_tokens") or 0)
    free = time.perf_counter() - started
    valid = 0
    for seed in range(ROUNDS):
        reply = ask(SCHEMA, seed)
        try:
            data = json.loads(reply["choices"][0]["message"]["content"])
            valid += (
                set(SCHEMA["required"]) <= set(data)
                and data["likely_action"]
                in (
                    SCHEMA["properties"]["likely_action"]["enum"]  # type: ignore[index]
                )
            )
        except (ValueError, KeyError, TypeError):
            pass
    return free, valid, prompt_tok, gen_tok


def _report(
    name: str, loaded: float, free: float, valid: int, prompt_tok: int, gen_tok: int
) -> dict[str, Any]:
    return {
        "binding": name,
        "threads": THREADS,
        "load_s": round(loaded, 2),
        "free_text_calls_s": round(free / ROUNDS, 3),
        "tokens_per_s_prompt_and_generation": round((prompt_tok + gen_tok) / free, 1),
        "generated_tokens_per_s": round(gen_tok / free, 1),
        "schema_valid": f"{valid}/{ROUNDS}",
    }


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "llama-cpp-python"
    result = with_xllamacpp(sys.argv[2]) if which == "xllamacpp" else with_llama_cpp_python()
    print(json.dumps(result))
