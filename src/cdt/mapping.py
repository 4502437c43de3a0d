"""`cdt load --from DIR --map mapping.toml`: a folder of someone else's files, with other column
names and values, read into the spec's tables. The mapping names, per table, the file it comes
from, which source column fills which of the table's columns, and how source values translate:

    [customers]
    file = "telco.csv"                  # in DIR
    [customers.columns]                 # source column = the table's column
    customerID = "customer_id"
    tenure = "tenure_months"
    [customers.values.contract_type]    # a source value = the value the spec uses
    "Month-to-month" = "Month-to-Month"

A column the mapping does not fill is left empty, and so is a table it does not name; what
each costs is said by the load (``cdt.contract.COSTS``). Every problem is found before
anything is read into the twin and names its line of the mapping: an unknown table or column
(of the table or of the file), two source columns onto one of the table's columns, a required
column left out, a missing file. The mapped files then go through the load's own checks (types,
ranges, integrity), all or nothing.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cdt.contract import TABLES
from cdt.errors import DataError
from cdt.filecheck import Source, reader
from cdt.schema import ddl_columns

if TYPE_CHECKING:
    from cdt.backends.base import Backend
    from cdt.load import LoadResult
    from cdt.progress import Progress

#: The columns a mapped table cannot go without.
REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "monthly_usage": ("customer_id", "billing_month"),
    "support_interactions": ("interaction_id", "customer_id"),
    "campaign_responses": ("response_id", "customer_id", "campaign_id"),
    "zip_demographics": ("zip_code",),
    "economic_indicators": ("zip_code",),
    "competitive_landscape": ("dma_code",),
    "lifestyle_segments": ("zip_code",),
}
_FORMATS = (".csv", ".parquet")


@dataclass(frozen=True)
class Mapped:
    """One table's mapping: its file, target column -> source column, and value maps."""

    table: str
    file: Path
    columns: dict[str, str]  # the table's column -> the file's column
    values: dict[str, dict[str, str]]  # the table's column -> {source value: value}


class _Lines:
    """Where a mapping's tables and keys are written, for errors that name the line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def of(self, section: str, key: str | None = None) -> str:
        header = re.compile(rf"^\s*\[\s*{re.escape(section)}\s*\]\s*(?:#.*)?$")
        start = next((i for i, line in enumerate(self.lines) if header.match(line)), None)
        if start is None:
            return str(self.path)
        if key is None:
            return f"{self.path} line {start + 1}"
        keyed = re.compile(rf"^\s*(?:\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=")
        for i in range(start + 1, len(self.lines)):
            if self.lines[i].lstrip().startswith("["):
                break
            if keyed.match(self.lines[i]):
                return f"{self.path} line {i + 1}"
        return f"{self.path} line {start + 1}"


def read_mapping(path: Path, folder: Path) -> list[Mapped]:
    """The mapping at ``path`` for the files in ``folder``, checked whole.

    Raises:
        DataError: the first problem, naming its line of the mapping.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read the mapping {path}: {exc.strerror}",
                        fix="pass --map with a TOML file") from exc  # fmt: skip
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: {exc}", fix="fix the TOML at that line (a column mapped "
                        "twice is a key written twice)") from exc  # fmt: skip
    lines = _Lines(path, text)
    if not data:
        raise DataError(f"{path} maps no table", fix=f"add a [customers] table; tables: "
                        f"{', '.join(TABLES)}")  # fmt: skip
    out = [_table(name, body, folder, lines) for name, body in data.items()]
    if "customers" not in data:
        raise DataError(f"{path} does not map customers, the one table the twin requires",
                        fix="add a [customers] table with its file and columns")  # fmt: skip
    return out


def _table(name: str, body: Any, folder: Path, lines: _Lines) -> Mapped:
    where = lines.of(name)
    if name not in TABLES:
        raise DataError(f"{where}: '{name}' is not a table", fix=_choose(name, list(TABLES)))
    if not isinstance(body, dict) or not isinstance(body.get("file"), str):
        raise DataError(
            f"{where}: [{name}] names no file",
            fix=f'add file = "{name}.csv" (a CSV or Parquet file in the folder)',
        )
    unknown_keys = sorted(set(body) - {"file", "columns", "values"})
    if unknown_keys:
        raise DataError(f"{lines.of(name, unknown_keys[0])}: [{name}] has no setting "
                        f"'{unknown_keys[0]}'", fix="use file, columns and values")  # fmt: skip
    file = folder / body["file"]
    if not file.is_file() or file.suffix not in _FORMATS:
        raise DataError(f"{lines.of(name, 'file')}: {body['file']} is not a CSV or Parquet file "
                        f"in {folder}", fix="name a file in the --from folder")  # fmt: skip
    targets = [c.name for c in ddl_columns(TABLES[name])]
    sources = _header(file)
    columns: dict[str, str] = {}
    for source, target in dict(body.get("columns") or {}).items():
        at = lines.of(f"{name}.columns", source)
        if not isinstance(target, str) or target not in targets:
            raise DataError(f"{at}: the {name} table has no column '{target}'",
                            fix=_choose(str(target), targets))  # fmt: skip
        if source not in sources:
            raise DataError(f"{at}: {file.name} has no column '{source}'",
                            fix=_choose(source, sources))  # fmt: skip
        if target in columns:
            raise DataError(f"{at}: '{source}' and '{columns[target]}' both map onto {target}",
                            fix=f"map one column of {file.name} onto {target}")  # fmt: skip
        columns[target] = source
    left = [c for c in REQUIRED[name] if c not in columns]
    if left:
        raise DataError(f"{where}: [{name}] maps nothing onto {', '.join(left)}, which "
                        f"{TABLES[name]} requires", fix=f"add [{name}.columns] lines for "
                        f"{', '.join(left)} (source column = \"{left[0]}\")")  # fmt: skip
    values: dict[str, dict[str, str]] = {}
    for target, table in dict(body.get("values") or {}).items():
        at = lines.of(f"{name}.values.{target}")
        if target not in columns:
            raise DataError(f"{at}: values for '{target}', which no column of {file.name} "
                            f"fills", fix=f"map a column onto {target} first")  # fmt: skip
        values[target] = {str(k): str(v) for k, v in dict(table).items()}
    return Mapped(name, file, columns, values)


def _choose(wrong: str, known: list[str]) -> str:
    """The fix for a name that does not exist: the closest, or the names to choose from."""
    close = difflib.get_close_matches(wrong, known, n=1)
    if close:
        return f"did you mean '{close[0]}'? Nothing was loaded"
    return "choose from " + ", ".join(known) + "; nothing was loaded"


def _source(file: Path) -> Source:
    """``file`` as the load reads a user's file (the same stated CSV dialect, or Parquet)."""
    return Source(file.stem, "", (file,), file.suffix.lstrip("."))


def _header(file: Path) -> list[str]:
    """The file's column names, as written."""
    import duckdb

    with duckdb.connect() as con:
        rows = con.execute(f"DESCRIBE SELECT * FROM {reader(_source(file))}",  # noqa: S608
                           [[str(file)]]).fetchall()  # fmt: skip
    return [str(row[0]) for row in rows]


def load_mapped(backend: Backend, folder: Path, mapped: list[Mapped], *,
                progress: Progress | None = None, lenient: bool = False) -> LoadResult:  # fmt: skip
    """``cdt.load.load`` of ``folder`` read through ``mapped`` (``read_mapping``, checked
    whole before the twin is touched): its files written as the spec's, then loaded.

    Raises:
        DataError: the load's problems, as for any folder.
    """
    from cdt.load import load
    from cdt.scratch import temporary

    with temporary("mapped") as scratch:
        result = load(backend, write_mapped(mapped, Path(scratch)), progress=progress,
                      lenient=lenient)  # fmt: skip
    result.source = folder
    return result


def write_mapped(mapping: list[Mapped], target: Path) -> Path:
    """Each mapped table written to ``target`` as the spec's CSV (every column, in the DDL's
    order; those the mapping leaves out empty), ready for the load's own checks. The file's
    column names are quoted identifiers checked against its header; its values and the value
    maps are binds, never SQL."""
    import duckdb

    con = duckdb.connect()
    try:
        for mapped in mapping:
            select, binds = [], []
            for column in ddl_columns(TABLES[mapped.table]):
                source = mapped.columns.get(column.name)
                if source is None:
                    select.append(f"NULL AS {column.name}")
                    continue
                value = 'CAST("' + source.replace('"', '""') + '" AS VARCHAR)'
                pairs = mapped.values.get(column.name, {})
                if pairs:
                    whens = " ".join("WHEN ? THEN ?" for _ in pairs)
                    value = f"CASE {value} {whens} ELSE {value} END"
                    binds += [x for pair in pairs.items() for x in pair]
                select.append(f"{value} AS {column.name}")
            con.execute(
                f"CREATE OR REPLACE TABLE mapped AS SELECT {', '.join(select)} "  # noqa: S608
                f"FROM {reader(_source(mapped.file))}",
                [*binds, [str(mapped.file)]],
            )
            out = str(target / f"{mapped.table}.csv").replace("'", "''")
            con.execute(f"COPY mapped TO '{out}' (HEADER, DELIMITER ',')")
    finally:
        con.close()
    return target
