"""Schema migrations on both backends: a twin is upgraded in place with its rows kept, each
migration runs once and in order, and a failing one leaves the twin as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cdt import api, migrations, schema
from cdt.backends.base import Backend
from cdt.config import load_settings
from cdt.errors import BackendError

ADD_NOTE = "ALTER TABLE APP.BUILD_STATE ADD COLUMN IF NOT EXISTS note VARCHAR(40);\n"


def _root(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "schemas" / "migrations"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return tmp_path / "schemas"


def _columns(backend: Backend) -> list[str]:
    return [name for name, _ in schema.table_columns(backend, "APP.BUILD_STATE")]


def _mark_applied(backend: Backend, number: int, name: str) -> None:
    backend.execute(
        "INSERT INTO APP.SCHEMA_MIGRATIONS (migration_id, name) VALUES (?, ?)", [number, name]
    )


def test_a_held_back_migration_upgrades_the_twin_in_place(backend: Backend, tmp_path: Path) -> None:
    backend.execute("INSERT INTO APP.BUILD_STATE (stage, fingerprint) VALUES ('load', 'f1')")
    root = _root(
        tmp_path,
        {
            "0001_already_there.sql": "CREATE SCHEMA IF NOT EXISTS APP;\n",
            "0002_build_state_note.sql": ADD_NOTE,
        },
    )
    _mark_applied(backend, 1, "0001_already_there")
    assert [m.name for m in migrations.pending(backend, root)] == ["0002_build_state_note"]
    assert "note" not in _columns(backend)

    assert migrations.apply(backend, root) == ["0002_build_state_note"]

    assert "note" in _columns(backend)
    rows = backend.query("SELECT stage, fingerprint, note FROM APP.BUILD_STATE").to_pylist()
    assert rows == [{"stage": "load", "fingerprint": "f1", "note": None}]
    assert migrations.applied(backend) == {1, 2}
    assert migrations.apply(backend, root) == []  # once only


def test_migrations_run_in_number_order(backend: Backend, tmp_path: Path) -> None:
    root = _root(
        tmp_path,
        {
            "0010_fill.sql": "UPDATE APP.BUILD_STATE SET note = 'filled';\n",
            "0009_add.sql": ADD_NOTE,
        },
    )
    backend.execute("INSERT INTO APP.BUILD_STATE (stage, fingerprint) VALUES ('load', 'f1')")
    assert migrations.apply(backend, root) == ["0009_add", "0010_fill"]
    assert backend.scalar("SELECT note FROM APP.BUILD_STATE") == "filled"


@pytest.mark.duckdb
def test_a_failing_migration_leaves_the_twin_as_it_was(tmp_path: Path) -> None:
    settings = load_settings({"backend": "duckdb"})
    api.init(settings)
    root = _root(
        tmp_path,
        {
            "0001_add.sql": ADD_NOTE,
            "0002_broken.sql": (
                "ALTER TABLE APP.BUILD_STATE ADD COLUMN IF NOT EXISTS other INTEGER;\n"
                "ALTER TABLE APP.NO_SUCH_TABLE ADD COLUMN x INTEGER;\n"
            ),
            "0003_after.sql": "UPDATE APP.BUILD_STATE SET note = 'x';\n",
        },
    )
    with api.connect(settings) as backend:
        backend.execute("INSERT INTO APP.BUILD_STATE (stage, fingerprint) VALUES ('load', 'f1')")
        with pytest.raises(BackendError, match="0002_broken") as raised:
            migrations.apply(backend, root)
        assert raised.value.fix and "cdt init" in raised.value.fix
        columns = _columns(backend)
        assert "note" in columns and "other" not in columns  # 0001 kept, 0002 undone whole
        assert migrations.applied(backend) == {1}
        assert [m.name for m in migrations.pending(backend, root)] == ["0002_broken", "0003_after"]
        assert backend.scalar("SELECT count(*) FROM APP.BUILD_STATE") == 1


@pytest.mark.duckdb
def test_doctor_reports_a_twin_that_needs_a_migration_and_init_applies_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings({"backend": "duckdb"})
    api.init(settings)  # the twin as the current release makes it
    shipped = Path(str(schema.schemas_root()))
    copy = tmp_path / "schemas"
    shutil.copytree(shipped, copy)
    (copy / "migrations" / "0001_build_state_note.sql").write_text(ADD_NOTE)
    monkeypatch.setattr(schema, "schemas_root", lambda: copy)  # the next release's schemas

    backend_check = next(c for c in api.doctor(settings).checks if c.component == "backend")
    assert backend_check.status == "warn" and "0001_build_state_note" in backend_check.detail
    assert "cdt init" in str(backend_check.fix)

    assert api.init(settings).migrations == ["0001_build_state_note"]
    assert api.init(settings).migrations == []
    backend_check = next(c for c in api.doctor(settings).checks if c.component == "backend")
    assert backend_check.status == "ok"


def test_migration_files_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="NNNN_name"):
        migrations.available("duckdb", _root(tmp_path, {"add-note.sql": ADD_NOTE}))
    assert migrations.available("duckdb") == []  # none shipped yet; the folder exists
    assert (Path(str(schema.schemas_root())) / "migrations" / "README.md").is_file()
