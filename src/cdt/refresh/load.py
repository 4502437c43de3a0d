"""`cdt load --incremental --from DIR`: merge a folder of delta files into the twin, all or
nothing.

The folder holds any of the eight tables' files, named as for `cdt load --from`. Customers
upsert by customer_id and usage by (customer_id, billing_month); interactions and campaign
responses append by their ids, and an id seen before with other contents is refused unless
``replace_changed``. An EXTERNAL table in the folder replaces the table. Files are checked as
a full load checks them, and integrity is checked on the merged tables before the commit.
Loading the same folder twice changes nothing the second time. The customers whose rows
changed are recorded in RAW.PENDING_REFRESH for the next build's features.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from cdt.backends.base import Backend
from cdt.contract import EXTERNAL_TABLES, TABLES
from cdt.errors import DataError
from cdt.load import Source, checked_integrity, is_generated, typed_files
from cdt.load import find_sources as _find_all
from cdt.progress import NullProgress, Progress
from cdt.refresh.merge import KEYED
from cdt.scratch import temporary as scratch_dir
from cdt.sqlfiles import read_sql
from cdt.state import data_fingerprint, derive, record_stage, responses_fingerprint

#: Entries a delta folder may hold besides the tables' files.
_IGNORED = frozenset({"manifest.json", "truth"})
#: How many conflicting ids an error names.
_SHOWN = 5


@dataclass
class DeltaResult:
    """What an incremental load did, per table: rows in the delta, new, changed, unchanged."""

    source: Path
    trusted: bool
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    replaced: list[str] = field(default_factory=list)  # EXTERNAL tables replaced whole
    touched_customers: int = 0
    integrity: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """Whether the load changed anything (a repeat of the same folder does not)."""
        return bool(self.replaced) or any(t["new"] or t["changed"] for t in self.tables.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "source": str(self.source),
            "incremental": True,
            "validated": not self.trusted,
            "tables": self.tables,
            "replaced": self.replaced,
            "changed": self.changed,
            "touched_customers": self.touched_customers,
            "integrity": self.integrity,
            "seconds": round(self.seconds, 2),
        }


def find_delta_sources(folder: Path) -> list[Source]:
    """One Source per table file in ``folder`` (at least one; any subset of the tables).

    Raises:
        DataError: not a folder, no table files, an entry named after no table, or a table
            with several sources.
    """
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder", fix="pass --from DIR, a folder of delta files")
    stems = {p.name.split(".")[0] for p in folder.iterdir() if p.name not in _IGNORED}
    unknown = sorted(s for s in stems if s not in TABLES and not s.startswith("."))
    if unknown:
        raise DataError(
            f"{folder} holds files named after no table: {', '.join(unknown)}",
            fix=f"name each file after a table ({', '.join(TABLES)}), or move it out",
        )
    present = [name for name in TABLES if name in stems]
    if not present:
        raise DataError(
            f"{folder} holds no delta files",
            fix=f"add one or more of {', '.join(f'{n}.csv' for n in TABLES)} (or .parquet, "
            "or a folder of parts)",
        )
    return _find_all(folder, only=present)


def load_delta(
    backend: Backend,
    folder: Path,
    *,
    replace_changed: bool = False,
    progress: Progress | None = None,
) -> DeltaResult:
    """Merge the delta files in ``folder`` into the twin's tables, all or nothing.

    Raises:
        DataError: a malformed file, a key twice in one file, a changed interaction or
            response without ``replace_changed``, or a merged result that breaks integrity;
            the tables keep their previous contents.
        BackendError: the database refused the load (nothing is committed).
    """
    progress = progress or NullProgress()
    started = time.perf_counter()
    sources = find_delta_sources(folder)
    trusted = is_generated(folder)
    result = DeltaResult(folder, trusted)
    progress.start("load", total=len(sources) * (1 if trusted else 2) + 1)
    with scratch_dir("delta") as scratch:
        typed = typed_files(sources, trusted, Path(scratch), progress)
        with backend.work("load"), backend.transaction():
            for source in sources:
                if source.name in EXTERNAL_TABLES:
                    backend.execute(f"DELETE FROM {source.table}")  # noqa: S608 (allow-listed)
                    backend.load(source.table, typed[source.name])
                    result.replaced.append(source.table)
                    backend.execute(
                        read_sql("pending_refresh_everyone", backend.dialect), ["external"]
                    )
                else:
                    result.tables[source.table] = _merge(
                        backend, source, typed[source.name], replace_changed
                    )
                progress.advance("load")
            result.integrity = checked_integrity(
                backend,
                "the merged data",
                "fix the delta files (e.g. add the new customers' rows); nothing was loaded",
            )
            result.touched_customers = int(
                backend.scalar(read_sql("pending_refresh_customers", backend.dialect))
            )
            if result.changed:
                key = digest(sources)
                record_stage(
                    backend, "delta", derive(data_fingerprint(backend), key), result.to_dict()
                )
                responses = result.tables.get("RAW.CAMPAIGN_RESPONSES", {})
                if responses.get("new") or responses.get("changed"):
                    record_stage(
                        backend, "responses", derive(responses_fingerprint(backend), key),
                        responses,
                    )  # fmt: skip
    progress.advance("load")
    progress.finish("load")
    result.seconds = time.perf_counter() - started
    return result


def _merge(
    backend: Backend, source: Source, paths: list[Path], replace_changed: bool
) -> dict[str, int]:
    keyed = KEYED[source.name]
    backend.execute(f"DELETE FROM {keyed.staging}")  # noqa: S608 (allow-listed)
    rows = backend.load(keyed.staging, paths)
    doubled = int(backend.scalar(keyed.duplicates()))
    if doubled:
        raise DataError(
            f"{source.paths[0].name}: {doubled} key(s) appear more than once "
            f"({', '.join(keyed.keys)})",
            fix="keep one row per key in a delta; nothing was loaded",
        )
    changed = [str(r[keyed.keys[0]]) for r in backend.query(keyed.changed()).to_pylist()]
    if changed and not keyed.upsert and not replace_changed:
        shown = ", ".join(changed[:_SHOWN]) + (" …" if len(changed) > _SHOWN else "")
        raise DataError(
            f"{source.paths[0].name}: {len(changed)} {keyed.keys[0]}(s) were loaded before "
            f"with other contents: {shown}",
            fix="pass --replace-changed to overwrite them, or drop them from the delta; "
            "nothing was loaded",
        )
    new = int(backend.scalar(keyed.new()))
    backend.execute(keyed.pending(source.name))
    if source.name == "campaign_responses":  # what the response model's refit adds
        backend.execute(keyed.new_ids("RAW.PENDING_RESPONSES", "response_id"))
        if changed:  # a replaced response's old outcome is gone: the refit reads everything
            backend.execute(read_sql("pending_responses_everything", backend.dialect))
    if changed:
        backend.execute(keyed.update())
    if new:
        backend.execute(keyed.insert())
    backend.execute(f"DELETE FROM {keyed.staging}")  # noqa: S608 (allow-listed)
    return {
        "rows": rows,
        "new": new,
        "changed": len(changed),
        "unchanged": rows - new - len(changed),
    }


def digest(sources: list[Source]) -> str:
    """The delta's identity: a hash of its files' names and bytes."""
    hasher = hashlib.sha256()
    for source in sources:
        for path in source.paths:
            hasher.update(path.name.encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()
