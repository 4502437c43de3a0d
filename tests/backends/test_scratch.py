"""Scratch folders of killed processes are removed by the next process of the same kind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cdt import scratch


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_the_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    tmp_path = tmp_path / "parent"
    tmp_path.mkdir()
    dead, alive = _dead_pid(), os.getpid()
    for name in (f".data.tmp-{dead}", f".data.tmp-{alive}", ".data.tmp-x", "data"):
        (tmp_path / name).mkdir()
    made = scratch.staging(tmp_path / "data")
    assert made == tmp_path / f".data.tmp-{alive}"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".data.tmp-{alive}", ".data.tmp-x", "data"]
    )


def test_a_temporary_folder_is_named_for_its_process_and_removed_on_exit() -> None:
    with scratch.temporary("typed") as folder:
        assert Path(folder).name.startswith(f"cdt-typed-{os.getpid()}-")
        assert Path(folder).is_dir()
    assert not Path(folder).exists()
