"""The embedded model shares the cores among the processes that run it: a process counts the
live seats (its own included) before each call, and a dead process's seat is removed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdt.config import load_settings
from cdt.llm import share


def test_seats_count_live_processes_and_drop_dead_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(share, "SEATS", tmp_path / "seats")
    assert share.taken() == 0 and share.share(2) == 2  # alone: every core
    share.take()
    assert share.taken() == 1 and share.share(2) == 2
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / "seats" / str(other.pid)).touch()
        assert share.taken() == 2 and share.share(2) == 1 and share.share(16) == 8
    finally:
        other.kill()
        other.wait()
    assert share.taken() == 1  # the dead process's seat is gone
    assert not (tmp_path / "seats" / str(other.pid)).exists()
    share.give_back()
    assert share.taken() == 0 and not (tmp_path / "seats" / str(os.getpid())).exists()


def test_a_fixed_thread_count_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDT_LLM_THREADS", "3")
    assert load_settings().llm.threads == 3
    monkeypatch.setenv("CDT_LLM_THREADS", "0")
    with pytest.raises(Exception, match="threads"):
        load_settings()
