"""`cdt load`: bulk-load RAW and EXTERNAL tables from Parquet or CSV, all or nothing.

A source folder holds one entry per table: ``customers/`` (a folder of Parquet or CSV parts),
``customers.parquet`` or ``customers.csv``, and so on for the eight tables of spec §3.1–3.2.
Data that `cdt generate` wrote (it has a manifest) is trusted to match the schema. Any other
data is checked first, column by column and value by value; a bad file is rejected with its
name, the first bad row and column, and nothing is written.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from cdt.backends.base import Backend
from cdt.contract import COSTS, REQUIRED, TABLES, read_manifest
from cdt.errors import DataError
from cdt.filecheck import Source, Typed, check_columns, file_columns, validate_and_type
from cdt.progress import NullProgress, Progress
from cdt.scratch import temporary as scratch_dir
from cdt.sqlfiles import read_sql
from cdt.state import record_stage, row_count

_FORMATS = (".parquet", ".csv")


@dataclass
class LoadResult:
    """What `cdt load` did."""

    source: Path
    trusted: bool
    rows: dict[str, int] = field(default_factory=dict)
    integrity: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)  # values out of range (--lenient)
    missing: list[str] = field(default_factory=list)  # tables the folder lacks (left empty)

    def to_dict(self) -> dict[str, object]:
        return {
            "source": str(self.source),
            "validated": not self.trusted,
            "violations": self.violations,
            "missing": {name: COSTS[name] for name in self.missing},
            "rows": self.rows,
            "total_rows": sum(self.rows.values()),
            "integrity": self.integrity,
            "seconds": round(self.seconds, 2),
        }


def find_sources(folder: Path, only: list[str] | None = None) -> list[Source]:
    """One Source per table in ``folder`` (or per table named in ``only``).

    Raises:
        DataError: the folder is missing, or a table has no file or ambiguous files.
    """
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder", fix="run `cdt generate`, or pass --from DIR")
    sources = []
    for name, table in TABLES.items():
        if only is not None and name not in only:
            continue
        candidates = [folder / name] + [folder / f"{name}{ext}" for ext in _FORMATS]
        found = [c for c in candidates if c.exists()]
        if not found and (name in REQUIRED or only is not None):
            raise DataError(
                f"no data for {table} in {folder}",
                fix=f"add {name}.csv, {name}.parquet or a {name}/ folder of parts",
            )
        if not found:
            continue  # an optional table: loaded empty, and what it grounds is withheld
        if len(found) > 1:
            raise DataError(
                f"{table} has several sources in {folder}: {', '.join(p.name for p in found)}",
                fix="keep exactly one",
            )
        entry = found[0]
        paths = (
            sorted(p for p in entry.iterdir() if p.suffix in _FORMATS)
            if entry.is_dir()
            else [entry]
        )
        formats = {p.suffix for p in paths}
        if not paths or len(formats) != 1:
            raise DataError(
                f"{entry} must hold .parquet or .csv files of one kind",
                fix="put only Parquet or only CSV parts in it",
            )
        sources.append(Source(name, table, tuple(paths), formats.pop().lstrip(".")))
    return sources


def is_generated(folder: Path) -> bool:
    """Whether ``folder`` was written by `cdt generate` (it carries the generator's manifest)."""
    return "generator_version" in read_manifest(folder)


def load(
    backend: Backend, folder: Path, *, progress: Progress | None = None, lenient: bool = False
) -> LoadResult:
    """Replace the RAW and EXTERNAL tables with the data in ``folder``, all or nothing.
    Every value of data not written by `cdt generate` is checked against its column's type
    and its declared range (``-- check:`` in the DDL); with ``lenient``, values out of range
    are loaded and reported in ``violations`` instead of refusing the load.

    Raises:
        DataError: a file is missing or malformed, a value is out of its range (unless
            ``lenient``), or the loaded rows break integrity; in every case the tables keep
            their previous contents.
        BackendError: the database refused the load (nothing is committed).
    """
    progress = progress or NullProgress()
    started = time.perf_counter()
    sources = find_sources(folder)
    trusted = is_generated(folder)
    result = LoadResult(folder, trusted)
    result.missing = [name for name in TABLES if name not in {s.name for s in sources}]
    progress.start("load", total=len(sources) * (1 if trusted else 2) + 1)
    with scratch_dir("typed") as scratch:
        parquet = typed_files(sources, trusted, Path(scratch), progress, result.violations,
                              lenient=lenient)  # fmt: skip
        with backend.work("load"), backend.transaction():
            for table in TABLES.values():  # a table the folder lacks is left empty
                backend.execute(f"DELETE FROM {table}")  # noqa: S608 (allow-listed)
            for source in sources:
                result.rows[source.table] = backend.load(source.table, parquet[source.name])
                progress.advance("load")
            result.integrity = checked_integrity(
                backend, "the data", "fix the source files; the previous tables were kept"
            )
            # A full load replaces what any incremental load merged.
            backend.execute(read_sql("build_state_forget_deltas", backend.dialect))
            for pending in ("RAW.PENDING_REFRESH", "RAW.PENDING_CELLS", "RAW.PENDING_RESPONSES"):
                backend.execute(f"DELETE FROM {pending}")  # noqa: S608 (constants)
            record_stage(backend, "load", fingerprint(folder) if trusted else None, result.rows)
    progress.advance("load")
    progress.finish("load")
    result.seconds = time.perf_counter() - started
    return result


def typed_files(
    sources: list[Source],
    trusted: bool,
    scratch: Path,
    progress: Progress,
    violations: list[str] | None = None,
    *,
    lenient: bool = False,
) -> dict[str, list[Path]]:
    """Each source's Parquet files, by table file name: a generated dataset's own files (its
    columns checked), any other data checked value by value and typed into ``scratch``;
    with ``lenient``, values out of their range are appended to ``violations``."""
    typed: dict[str, list[Path]] = {}
    for source in sources:
        if trusted and source.format == "parquet":
            check_columns(source, file_columns(source))
            typed[source.name] = list(source.paths)
        else:
            found = validate_and_type(source, scratch, lenient=lenient)
            typed[source.name] = [found.path]
            if violations is not None:
                violations += found.violations
            progress.advance("load")
    return typed


def checked_integrity(backend: Backend, what: str, fix: str) -> dict[str, int]:
    """The integrity counts; raises DataError (naming ``what`` and ``fix``) unless all zero."""
    counts = integrity(backend)
    broken = {check: count for check, count in counts.items() if count}
    if broken:
        raise DataError(
            f"{what} breaks referential integrity: "
            + ", ".join(f"{count} {check.replace('_', ' ')}" for check, count in broken.items()),
            fix=fix,
        )
    return counts


def fingerprint(folder: Path) -> str | None:
    """A generated dataset's identity: the hash of its manifest (None without one)."""
    try:
        return hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    except OSError:
        return None


def integrity(backend: Backend) -> dict[str, int]:
    """Counts of rows that break the twin's keys (all zero when the data is sound)."""
    sql = read_sql("load_integrity", backend.dialect)
    row = backend.query(sql).to_pylist()[0]
    return {name: int(value or 0) for name, value in row.items()}


def table_counts(backend: Backend) -> dict[str, int]:
    """Row counts of the RAW and EXTERNAL tables."""
    return {table: row_count(backend, table) for table in TABLES.values()}


__all__ = ["LoadResult", "Source", "Typed", "check_columns", "file_columns", "find_sources",
           "load", "validate_and_type"]  # fmt: skip
