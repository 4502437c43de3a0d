"""DuckDB file handling: bad locations and corrupt files change nothing on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cdt import api
from cdt.backends.duckdb import DuckDBBackend
from cdt.config import load_settings
from cdt.errors import BackendError, ConfigError, NotBuiltError


def test_database_file_lives_under_cdt_home(isolated_home: Path) -> None:
    result = api.init(load_settings())
    assert Path(result.location) == isolated_home / "cdt.duckdb"
    assert (isolated_home / "cdt.duckdb").is_file()


def test_corrupt_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cdt.duckdb"
    garbage = b"this is not a database" * 500
    path.write_bytes(garbage)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(BackendError, match="not a valid DuckDB database") as info:
        DuckDBBackend(path)
    assert "move it aside" in str(info.value)
    assert path.read_bytes() == garbage
    assert sorted(os.listdir(tmp_path)) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_data_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ConfigError, match="cannot be created or written"):
            DuckDBBackend(locked / "sub" / "cdt.duckdb")
        assert not (locked / "sub").exists()
    finally:
        locked.chmod(0o700)


def test_data_directory_under_a_file_is_rejected(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot be created or written"):
        DuckDBBackend(blocker / "sub" / "cdt.duckdb")
    assert blocker.read_text() == "x"


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        DuckDBBackend(tmp_path)


def test_read_only_without_a_twin_says_to_init(tmp_path: Path) -> None:
    with pytest.raises(NotBuiltError, match="cdt init"):
        DuckDBBackend(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()


def test_read_only_connection_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "cdt.duckdb"
    DuckDBBackend(path).close()
    with DuckDBBackend(path, read_only=True) as backend, pytest.raises(BackendError):
        backend.execute("CREATE TABLE t (a INT)")
