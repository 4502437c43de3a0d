"""The embedded model shares the machine with other cdt processes that run it.

llama.cpp's threads spin while they wait, so two processes that each take every core slow
each other down many times over. Each process that has the embedded model loaded takes a
seat (a file named by its pid in a per-user temporary folder); before each call a process
runs on its share of the cores it may use: ``cores // seats``. A seat whose process is gone
is removed by the next count. ``llm.threads`` (``CDT_LLM_THREADS``) fixes the count instead.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
from pathlib import Path

SEATS = Path(tempfile.gettempdir()) / f"cdt-llm-seats-{os.getuid()}"


def take() -> None:
    """Take this process's seat (idempotent); it is given back at exit."""
    with contextlib.suppress(OSError):
        SEATS.mkdir(mode=0o700, exist_ok=True)
        (SEATS / str(os.getpid())).touch()
        atexit.register(give_back)


def give_back() -> None:
    with contextlib.suppress(OSError):
        (SEATS / str(os.getpid())).unlink(missing_ok=True)


def taken() -> int:
    """How many live processes hold a seat (this one included when it holds one); seats of
    processes that are gone are removed."""
    count = 0
    with contextlib.suppress(OSError):
        for seat in SEATS.iterdir():
            if not seat.name.isdigit():
                continue
            try:
                os.kill(int(seat.name), 0)
            except ProcessLookupError:
                seat.unlink(missing_ok=True)
                continue
            except PermissionError:
                pass  # alive, another user's process
            count += 1
    return count


def share(cores: int) -> int:
    """This process's share of ``cores``."""
    return max(1, cores // max(1, taken()))
