"""Checking a user's files before they are loaded: their columns against the table's, and
every value against its type and declared range, naming the file, row, line, column and value
of the first that fails; then writing them as typed Parquet (`cdt load`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cdt import schema
from cdt.csvfile import cut, first_problem, header
from cdt.errors import DataError

#: Columns a user's file may leave out (the database fills them).
OPTIONAL_COLUMNS = frozenset({"created_at", "updated_at"})


@dataclass(frozen=True)
class Source:
    """The files that feed one table."""

    name: str  # e.g. "customers"
    table: str  # e.g. "RAW.CUSTOMERS"
    paths: tuple[Path, ...]
    format: str  # "parquet" or "csv"


def reader(source: Source) -> str:
    """The DuckDB reader call for ``source``'s files (bound as one list with ?)."""
    if source.format == "csv":
        # the dialect is stated, not sniffed: a stray quote is an error, not part of a value
        return (
            "read_csv(?, header = true, all_varchar = true, delim = ',', quote = '\"', "
            f"escape = '\"', max_line_size = {MAX_LINE})"
        )
    return "read_parquet(?)"


#: The longest CSV line read (bytes); a longer value is named with its line by ``csvfile``.
MAX_LINE = 64 * 1024 * 1024


def file_columns(source: Source) -> list[str]:
    """The source's column names, lower-case; for CSV, as its header writes them (so that a
    duplicated name is named as written, not as DuckDB renames it).

    Raises:
        DataError: a file is empty, unreadable, or its parts' headers differ.
    """
    if source.format == "csv":
        headers = {path: header(path) for path in source.paths}
        first = headers[source.paths[0]]
        for path, names in headers.items():
            if names != first:
                raise DataError(
                    f"{path.name}'s header differs from {source.paths[0].name}'s",
                    fix="give every part of a table the same header",
                )
        return first
    with duckdb.connect() as conn:
        try:
            rows = conn.execute(
                f"DESCRIBE SELECT * FROM {reader(source)}",  # noqa: S608
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
    numbered = f"SELECT row_number() OVER () AS _row, * FROM {reader(source)}"  # noqa: S608
    paths = [[str(p) for p in source.paths]]
    with duckdb.connect() as conn:
        try:
            first_bad = conn.execute(
                f"SELECT {failures} FROM ({numbered})",  # noqa: S608
                paths,
            ).fetchone()
        except duckdb.Error as exc:
            raise _unreadable(source, exc) from exc
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
            f"COPY (SELECT {select} FROM {reader(source)}) TO '{target}' "  # noqa: S608
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


def _unreadable(source: Source, exc: duckdb.Error) -> DataError:
    """What is wrong with a file DuckDB could not read, in the file's own line numbers where
    it is CSV, else DuckDB's first line."""
    fix = "correct the line (or save the table as Parquet); nothing was loaded"
    if source.format == "csv":
        for path in source.paths:
            found = first_problem(path)
            if found:
                return DataError(found, fix=fix)
    said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DataError(f"cannot read {_label(source)}: {cut(said)[1:-1]}", fix=fix)


def _label(source: Source) -> str:
    return source.paths[0].name if len(source.paths) == 1 else f"{source.paths[0].parent.name}/"
