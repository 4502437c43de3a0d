"""Schema migrations: the changes a later cdt makes to an existing twin's tables.

The DDL (``schemas/common`` and the dialect folders) always describes the newest shape, and
``CREATE ... IF NOT EXISTS`` never changes a table that exists. A change to an existing table
(a new column, say) is also written as a numbered migration::

    schemas/migrations/NNNN_name.sql            every backend
    schemas/migrations/<dialect>/NNNN_name.sql  that dialect only; overrides the common file

``cdt init`` applies each migration not yet recorded in APP.SCHEMA_MIGRATIONS, once, in
number order, and records it in the same transaction. A migration must be idempotent
(``ALTER TABLE ... ADD COLUMN IF NOT EXISTS``): a new twin, whose DDL already has the change,
runs it as a no-op. On DuckDB a failing migration leaves the twin as it was; Snowflake commits
each DDL statement on its own, so there a failed migration is rerun whole by the next
``cdt init``, which is why it must be idempotent.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

from cdt.errors import BackendError
from cdt.sqlfiles import read_sql

if TYPE_CHECKING:
    from cdt.backends.base import Backend

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str  # the file name without .sql
    text: str


def available(dialect: str, root: Traversable | None = None) -> list[Migration]:
    """The migrations for ``dialect``, in number order.

    Raises:
        ValueError: two migrations share a number, or a file name is not NNNN_name.sql.
    """
    from cdt.schema import schemas_root

    folder = (root or schemas_root()).joinpath("migrations")
    chosen: dict[str, Migration] = {}
    for place in (folder, folder.joinpath(dialect)):
        if not place.is_dir():
            continue
        for entry in place.iterdir():
            if not entry.name.endswith(".sql"):
                continue
            match = _NAME.match(entry.name)
            if not match:
                raise ValueError(f"migration {entry.name} is not named NNNN_name.sql")
            text = entry.read_text(encoding="utf-8")
            chosen[entry.name] = Migration(int(match.group(1)), entry.name[:-4], text)
    numbers = [m.number for m in chosen.values()]
    if len(numbers) != len(set(numbers)):
        raise ValueError("two migrations share a number")
    return sorted(chosen.values(), key=lambda m: m.number)


def applied(backend: Backend) -> set[int]:
    """The numbers of the migrations recorded in APP.SCHEMA_MIGRATIONS (empty before init)."""
    try:
        rows = backend.query(read_sql("migrations_applied", backend.dialect)).to_pylist()
    except BackendError:
        return set()
    return {int(row["migration_id"]) for row in rows}


def pending(backend: Backend, root: Traversable | None = None) -> list[Migration]:
    """The migrations ``backend`` has not had yet, in the order they would run."""
    done = applied(backend)
    return [m for m in available(backend.dialect, root) if m.number not in done]


def apply(backend: Backend, root: Traversable | None = None) -> list[str]:
    """Run every pending migration, each with its record in one transaction. Returns the names
    applied.

    Raises:
        BackendError: a migration failed; it and every later one stay pending.
    """
    from cdt.backends.base import CAP_TRANSACTIONAL_DDL, split_statements

    # Snowflake commits each DDL statement on its own; a transaction would promise nothing
    # there (the migration's idempotence is what makes a rerun safe).
    atomic = backend.has(CAP_TRANSACTIONAL_DDL)
    names = []
    for migration in pending(backend, root):
        try:
            with backend.transaction() if atomic else nullcontext():
                for statement in split_statements(migration.text):
                    backend.execute(statement)
                backend.execute(
                    read_sql("migration_record", backend.dialect),
                    [migration.number, migration.name],
                )
        except BackendError as exc:
            raise BackendError(
                f"schema migration {migration.name} failed: {exc.message}",
                fix=exc.fix
                or "fix what the error names, then run `cdt init` again (migrations already "
                "applied are recorded and not run again)",
            ) from exc
        names.append(migration.name)
    return names
