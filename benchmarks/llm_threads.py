"""The embedded model sharing the machine: the same completions, run by one process alone,
by two processes at once that each take every core (``CDT_LLM_THREADS`` = cores), and by
two at once that share them (the default: cores ÷ processes running the model).

    .venv/bin/python -m benchmarks.llm_threads [--calls N] [--json]

Prints wall seconds per run and the ratios to one process alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worker(calls: int, threads: int) -> None:
    """``calls`` short completions with the embedded model on ``threads`` threads (0: its
    share of the cores)."""
    from cdt.llm.base import Message, Request
    from cdt.llm.llamacpp import LlamaCppLLM

    llm = LlamaCppLLM(n_threads=threads or None)
    for i in range(calls):
        ask = Message(role="user", content=f"Say one sentence about snow {i}.")
        llm.complete(Request(messages=(ask,), max_tokens=48, temperature=0.0, seed=i))


def run(copies: int, calls: int, threads: int) -> float:
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.llm_threads", "--worker", str(calls), str(threads)],
            cwd=ROOT,
        )
        for _ in range(copies)
    ]
    for worker in workers:
        if worker.wait() != 0:
            raise SystemExit("a worker failed")
    return time.perf_counter() - started


def main() -> None:
    calls = int(sys.argv[sys.argv.index("--calls") + 1]) if "--calls" in sys.argv else 6
    cores = len(os.sched_getaffinity(0))
    alone = run(1, calls, 0)
    greedy = run(2, calls, cores)
    shared = run(2, calls, 0)
    figures = {
        "cores": cores,
        "calls_per_process": calls,
        "one_process_s": round(alone, 1),
        "two_processes_every_core_s": round(greedy, 1),
        "two_processes_sharing_s": round(shared, 1),
        "every_core_vs_alone": round(greedy / alone, 2),
        "sharing_vs_alone": round(shared / alone, 2),
    }
    if "--json" in sys.argv:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        at = sys.argv.index("--worker")
        worker(int(sys.argv[at + 1]), int(sys.argv[at + 2]))
    else:
        main()
