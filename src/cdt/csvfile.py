"""A CSV file's header and its first broken line, read in the file's own terms (its line
numbers, its header's names), for errors a user can act on. DuckDB reads the data; this
only explains what it could not read."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from cdt.errors import DataError

#: How much of a bad value an error shows.
SHOWN = 80


def cut(text: str) -> str:
    """``text`` as an error shows it: quoted, cut to about SHOWN characters."""
    return repr(text if len(text) <= SHOWN else text[: SHOWN - 1] + "…")


def header(path: Path) -> list[str]:
    """The header's column names, lower-case, as written (duplicates kept).

    Raises:
        DataError: the file is empty, its first line is blank, or it is not text.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            first = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path.name} is not UTF-8 text (byte {exc.start} of its header)",
            fix="save it as UTF-8 CSV, or as Parquet",
        ) from exc
    except csv.Error as exc:
        raise DataError(
            f"{path.name}: its header line cannot be read ({exc})",
            fix="fix the header line: comma-separated column names",
        ) from exc
    if first is None:
        raise DataError(f"{path.name} is empty", fix="write a header line and the data, or "
                        "remove the file")  # fmt: skip
    if not any(name.strip() for name in first):
        raise DataError(f"{path.name} starts with a blank line where its header should be",
                        fix="put the column names on the first line")  # fmt: skip
    return [name.strip().lower() for name in first]


def first_problem(path: Path) -> str | None:
    """Where ``path`` stops being well-formed CSV under its own header: "customers.csv line
    1,204: 47 fields where the header has 45 (…)", or None when every line is."""
    csv.field_size_limit(sys.maxsize)
    width = len(header(path))
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        start = line = 1  # where the record being read starts, and where the last one ended
        try:
            next(reader)
            while True:
                start = reader.line_num + 1
                row = next(reader, None)
                if row is None:
                    break
                line = reader.line_num
                if row and len(row) != width:
                    return (
                        f"{path.name} line {start:,}: {len(row)} fields where the header has "
                        f"{width} (the line starts {cut(','.join(row))})"
                    )
                longest = max(row, key=len, default="")
                if len(longest) > 1_000_000:
                    return (
                        f"{path.name} line {start:,}, column {row.index(longest) + 1}: a value of "
                        f"{len(longest):,} characters ({cut(longest)})"
                    )
        except csv.Error as exc:
            if "end of data" in str(exc):
                return (
                    f"{path.name} line {start:,}: a quoted value opens there and never closes "
                    "(it runs to the end of the file)"
                )
            return f"{path.name} line {start:,}: {exc}"
        except UnicodeDecodeError:
            return f"{path.name} after line {line:,}: bytes that are not UTF-8 text"
    return None
