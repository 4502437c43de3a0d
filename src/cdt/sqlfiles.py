"""Stage SQL lives in .sql files: ``sql/common/NAME.sql``, overridden per dialect by
``sql/<dialect>/NAME.sql`` where DuckDB and Snowflake differ. Never built from user input."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def read_sql(name: str, dialect: str) -> str:
    """The SQL text of ``name`` for ``dialect``.

    Raises:
        FileNotFoundError: neither a dialect nor a common file exists.
    """
    root = files("cdt").joinpath("sql")
    for folder in (dialect, "common"):
        candidate = root.joinpath(folder, f"{name}.sql")
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(f"no SQL named {name!r} for {dialect}")


def sql_names() -> list[tuple[str, str]]:
    """Every (folder, name) of the packaged SQL, for tests that parse them all."""
    root = files("cdt").joinpath("sql")
    return sorted(
        (folder.name, entry.name.removesuffix(".sql"))
        for folder in root.iterdir()
        if folder.is_dir()
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )
