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

import duckdb

from cdt import schema
from cdt.backends.base import Backend
from cdt.errors import DataError
from cdt.generate import TABLES, read_manifest
from cdt.progress import NullProgress, Progress
from cdt.scratch import temporary as scratch_dir
from cdt.sqlfiles import read_sql
from cdt.state import record_stage, row_count

#: Columns a user's file may leave out (the database fills them).
OPTIONAL_COLUMNS = frozenset({"created_at", "updated_at"})
_FORMATS = (".parquet", ".csv")


@dataclass(frozen=True)
class Source:
    """The files that feed one table."""

    name: str  # e.g. "customers"
    table: str  # e.g. "RAW.CUSTOMERS"
    paths: tuple[Path, ...]
    format: str  # "parquet" or "csv"


@dataclass
class LoadResult:
    """What `cdt load` did."""

    source: Path
    trusted: bool
    rows: dict[str, int] = field(default_factory=dict)
    integrity: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)  # values out of range (--lenient)

    def to_dict(self) -> dict[str, object]:
        return {
            "source": str(self.source),
            "validated": not self.trusted,
            "violations": self.violations,
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
        if not found:
            raise DataError(
                f"no data for {table} in {folder}",
                fix=f"add {name}.csv, {name}.parquet or a {name}/ folder of parts",
            )
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
    progress.start("load", total=len(sources) * (1 if trusted else 2) + 1)
    with scratch_dir("typed") as scratch:
        parquet = typed_files(sources, trusted, Path(scratch), progress, result.violations,
                              lenient=lenient)  # fmt: skip
        with backend.work("load"), backend.transaction():
            for source in sources:
                backend.execute(f"DELETE FROM {source.table}")  # noqa: S608 (allow-listed)
            for source in sources:
                result.rows[source.table] = backend.load(source.table, parquet[source.name])
                progress.advance("load")
            result.integrity = checked_integrity(
                backend, "the data", "fix the source files; the previous tables were kept"
            )
            # A full load replaces what any incremental load merged.
            backend.execute("DELETE FROM APP.BUILD_STATE WHERE stage IN ('delta', 'responses')")
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


def _reader(source: Source) -> str:
    if source.format == "csv":
        return "read_csv(?, header = true, all_varchar = true)"
    return "read_parquet(?)"


def file_columns(source: Source) -> list[str]:
    with duckdb.connect() as conn:
        try:
            rows = conn.execute(
                f"DESCRIBE SELECT * FROM {_reader(source)}",  # noqa: S608
                [[str(p) for p in source.paths]],
            ).fetchall()
        except duckdb.Error as exc:
            raise DataError(
                f"cannot read {_label(source)}: {exc}",
                fix="check the file is valid CSV (with a header) or Parquet",
            ) from exc
    return [str(row[0]).lower() for row in rows]


def check_columns(source: Source, columns: list[str]) -> None:
    """Raise DataError unless ``columns`` are exactly the table's (optional ones may be absent)."""
    expected = [c.name for c in schema.ddl_columns(source.table)]
    missing = [c for c in expected if c not in columns and c not in OPTIONAL_COLUMNS]
    unknown = [c for c in columns if c not in expected]
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if duplicated:
        problems.append(f"duplicated column(s) {', '.join(duplicated)}")
    if problems:
        raise DataError(
            f"{_label(source)} does not match {source.table}: {'; '.join(problems)}",
            fix="use the spec's column names (docs/architecture.md §3.1–3.2)",
        )


@dataclass
class Typed:
    """A source's typed Parquet, and what was out of range in it (``lenient`` only)."""

    path: Path
    violations: list[str] = field(default_factory=list)


def validate_and_type(source: Source, scratch: Path, *, lenient: bool = False) -> Typed:
    """Check every value of ``source`` against the table's types and declared ranges, then
    write typed Parquet.

    Raises:
        DataError: naming the file, the first bad row (1-based, data rows), the column, the
            value and (for a range) the range; with ``lenient``, only for a bad type.
    """
    columns = file_columns(source)
    check_columns(source, columns)
    declared = [c for c in schema.ddl_columns(source.table) if c.name in columns]
    failures = ", ".join(f'min(CASE WHEN {_bad(c)} THEN _row END) AS "{c.name}"' for c in declared)
    numbered = f"SELECT row_number() OVER () AS _row, * FROM {_reader(source)}"  # noqa: S608
    paths = [[str(p) for p in source.paths]]
    with duckdb.connect() as conn:
        try:
            first_bad = conn.execute(
                f"SELECT {failures} FROM ({numbered})",  # noqa: S608
                paths,
            ).fetchone()
        except duckdb.Error as exc:
            raise DataError(
                f"cannot read {_label(source)}: {exc}",
                fix="check the file is valid CSV (with a header) or Parquet",
            ) from exc
        assert first_bad is not None
        bad = [(row, c) for row, c in zip(first_bad, declared, strict=True) if row is not None]
        if bad:
            row, column = min(bad, key=lambda item: item[0])
            raise DataError(
                f"{_label(source)}: {_cell(conn, source, numbered, paths, column, row)} is not "
                f"a valid {column.declared}",
                fix="correct the value; nothing was loaded",
            )
        found = _out_of_range(conn, source, declared, numbered, paths)
        if found and not lenient:
            raise DataError(found[0][1], fix="correct the value, or load with --lenient to "
                            "take it as it is; nothing was loaded")  # fmt: skip
        target = scratch / f"{source.name}.parquet"
        select = ", ".join(f'CAST("{c.name}" AS {_duck_type(c)}) AS "{c.name}"' for c in declared)
        conn.execute(
            f"COPY (SELECT {select} FROM {_reader(source)}) TO '{target}' "  # noqa: S608
            "(FORMAT parquet)",
            paths,
        )
    return Typed(target, [text for _, text in found])


def _out_of_range(
    conn: duckdb.DuckDBPyConnection,
    source: Source,
    declared: list[schema.DDLColumn],
    numbered: str,
    paths: list[list[str]],
) -> list[tuple[int, str]]:
    """Per column out of its declared range: (first bad row, one line saying so with how many
    rows), first row first."""
    ranged = [(c, check) for c in declared if (check := schema.checks(source.table).get(c.name))]
    if not ranged:
        return []
    parts = ", ".join(
        f"min(CASE WHEN {schema.violation_sql(c.name, check)} THEN _row END), "
        f"count(*) FILTER (WHERE {schema.violation_sql(c.name, check)})"
        for c, check in ranged
    )
    found = conn.execute(f"SELECT {parts} FROM ({numbered})", paths).fetchone()  # noqa: S608
    assert found is not None
    out = []
    for j, (column, check) in enumerate(ranged):
        row, count = found[2 * j], found[2 * j + 1]
        if row is None:
            continue
        more = f" ({count:,} rows out of range in this column)" if count > 1 else ""
        cell = _cell(conn, source, numbered, paths, column, row)
        out.append((row, f"{_label(source)} ({source.table}): {cell} is outside its range, "
                         f"{schema.check_text(check)}{more}"))  # fmt: skip
    return sorted(out)


def _cell(
    conn: duckdb.DuckDBPyConnection,
    source: Source,
    numbered: str,
    paths: list[list[str]],
    column: schema.DDLColumn,
    row: int,
) -> str:
    """ "row 7 (line 8), column age: 'forty'": where a bad value is, and the value cut to
    about 80 characters."""
    value = conn.execute(
        f'SELECT "{column.name}" FROM ({numbered}) WHERE _row = ?',  # noqa: S608
        [*paths, row],
    ).fetchone()
    text = str(value[0]) if value else "?"
    shown = repr(text if len(text) <= 80 else text[:79] + "…")
    where = f"row {row}" + (f" (line {row + 1})" if source.format == "csv" else "")
    return f"{where}, column {column.name}: {shown}"


def _bad(column: schema.DDLColumn) -> str:
    """SQL that is true when a value is present but not valid for the column's type."""
    name = f'"{column.name}"'
    condition = f"{name} IS NOT NULL AND TRY_CAST({name} AS {_duck_type(column)}) IS NULL"
    if column.canonical == "VARCHAR" and "(" in column.declared:
        length = int(column.declared.split("(")[1].rstrip(")"))
        condition = f"({condition}) OR length(CAST({name} AS VARCHAR)) > {length}"
    return condition


def _duck_type(column: schema.DDLColumn) -> str:
    return {"TIMESTAMP_NTZ": "TIMESTAMP", "TEXT": "VARCHAR", "VARIANT": "JSON"}.get(
        column.declared, column.declared
    )


def _label(source: Source) -> str:
    return source.paths[0].name if len(source.paths) == 1 else f"{source.paths[0].parent.name}/"
