"""Scratch space that never outlives its process: staging folders beside a destination and
temporary folders, each named with the process id. A process killed before it could remove
its own leaves them behind; the next process that makes one of the same kind removes those of
processes no longer alive."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def clean_dead(folder: Path, prefix: str) -> list[Path]:
    """Remove ``folder``'s entries named ``prefix`` + a process id (+ anything) whose process
    is gone; the removed paths."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    pattern = re.compile(re.escape(prefix) + r"(\d+)(?:\D.*)?$")
    for path in folder.iterdir():
        found = pattern.match(path.name)
        if found and not _alive(int(found.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def staging(out: Path) -> Path:
    """This process's staging folder for ``out`` (beside it, so the final rename stays on one
    file system), after removing those that killed processes left."""
    prefix = f".{out.name}.tmp-"
    clean_dead(out.parent, prefix)
    return out.parent / f"{prefix}{os.getpid()}"


def temporary(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for ``kind`` of work, removed on exit, after removing those that
    killed processes left."""
    prefix = f"cdt-{kind}-"
    clean_dead(Path(tempfile.gettempdir()), prefix)
    return tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-")
