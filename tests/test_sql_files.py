"""Every packaged stage SQL file parses in the dialect(s) it runs on: common/ files in both,
a dialect's overrides in their own."""

from __future__ import annotations

from importlib.resources import files

import pytest
import sqlglot
from sqlglot.errors import ParseError

from cdt.sqlfiles import read_sql, sql_names

DIALECTS = ("duckdb", "snowflake")
NAMES = sql_names()


def _cases() -> list[tuple[str, str, str]]:
    return [
        (folder, name, dialect)
        for folder, name in NAMES
        for dialect in (DIALECTS if folder == "common" else (folder,))
    ]


def test_the_packaged_sql_is_found() -> None:
    folders = {folder for folder, _ in NAMES}
    assert folders == {"common", *DIALECTS}
    assert len(NAMES) >= 30
    # An override is what read_sql gives its dialect; the common file is the others' default.
    for folder, name in NAMES:
        if folder != "common":
            text = files("cdt").joinpath("sql", folder, f"{name}.sql").read_text("utf-8")
            assert read_sql(name, folder) == text


@pytest.mark.parametrize(("folder", "name", "dialect"), _cases())
def test_each_sql_file_parses_in_its_dialect(folder: str, name: str, dialect: str) -> None:
    text = files("cdt").joinpath("sql", folder, f"{name}.sql").read_text("utf-8")
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    except ParseError as exc:
        pytest.fail(f"{folder}/{name}.sql does not parse as {dialect}: {exc}")
    assert statements, f"{folder}/{name}.sql holds no statement"


def test_a_file_that_does_not_parse_is_caught() -> None:
    with pytest.raises(ParseError):
        sqlglot.parse("SELECT FROM WHERE (", read="duckdb")


def test_the_scorers_query_reads_the_scorers_features() -> None:
    from cdt.calibrate.sensitivity import FEATURES

    for dialect in DIALECTS:
        (select,) = sqlglot.parse(read_sql("scorer_people", dialect), read=dialect)
        assert select is not None
        assert select.named_selects == ["customer_id", "segment_id", *FEATURES]
