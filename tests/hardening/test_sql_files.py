"""Every packaged stage SQL file parses in the dialect(s) it runs on: common/ files in both,
a dialect's overrides in their own."""

from __future__ import annotations

from importlib.resources import files

import pytest
import sqlglot
from sqlglot.errors import ParseError

from cdt.sqlfiles import read_sql, sql_names
from tests.paths import ROOT

DIALECTS = ("duckdb", "snowflake")
NAMES = sql_names()


def _cases() -> list[tuple[str, str, str]]:
    return [
        (folder, name, dialect)
        for folder, name in NAMES
        for dialect in (
            DIALECTS if folder == "common" else ("snowflake",) if folder == "deploy" else (folder,)
        )
    ]


def test_the_packaged_sql_is_found() -> None:
    folders = {folder for folder, _ in NAMES}
    assert folders == {"common", "deploy", *DIALECTS}  # deploy: `cdt deploy`, Snowflake only
    assert len(NAMES) >= 30
    # An override is what read_sql gives its dialect; the common file is the others' default.
    for folder, name in NAMES:
        if folder not in ("common", "deploy"):
            text = files("cdt").joinpath("sql", folder, f"{name}.sql").read_text("utf-8")
            assert read_sql(name, folder) == text


@pytest.mark.parametrize(("folder", "name", "dialect"), _cases())
def test_each_sql_file_parses_in_its_dialect(folder: str, name: str, dialect: str) -> None:
    text = files("cdt").joinpath("sql", folder, f"{name}.sql").read_text("utf-8")
    if folder == "deploy":  # templates: rendered with the checked values of the defaults
        from cdt.config import load_settings
        from cdt.deploy.objects import render, values

        text = render(text, values(load_settings()))
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


def _selects(name: str, dialect: str) -> list[str]:
    (select,) = sqlglot.parse(read_sql(name, dialect), read=dialect)
    assert select is not None
    return list(select.named_selects)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_scorers_moments_and_notices_read_the_scorers_features(dialect: str) -> None:
    from cdt.calibrate.sensitivity import FEATURES, MAX_NOTICES

    moments = _selects("scorer_moments", dialect)
    assert moments == [
        "customers",
        *(f"mean_{f}" for f in FEATURES),
        *(f"sd_{f}" for f in FEATURES),
    ]
    notices = _selects("scorer_notices", dialect)
    assert notices[-len(FEATURES) :] == list(FEATURES)
    (select,) = sqlglot.parse(read_sql("scorer_notices", dialect), read=dialect)
    assert select is not None
    limit = select.args["limit"].expression
    assert int(limit.name) == MAX_NOTICES


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_statistics_queries_read_the_statistics_columns(dialect: str) -> None:
    from cdt.segment.statistics import CAMPAIGN_COUNTS, KEY_FEATURES, MIXED

    assert _selects("segment_feature_aggregates", dialect) == [
        "segment_id",
        "customers",
        *(f"mean_{f}" for f in KEY_FEATURES),
        *(f"median_{f}" for f in KEY_FEATURES),
    ]
    assert _selects("segment_campaign_outcomes", dialect) == ["segment_id", *CAMPAIGN_COUNTS]
    text = read_sql("segment_mixes", dialect)
    counted = [line.split("'")[1] for line in text.splitlines() if "AS mix_column" in line]
    assert counted == list(MIXED)
    from cdt.segment.statistics import AGE_BANDS, INCOME_BANDS

    for edges, labels in (AGE_BANDS, INCOME_BANDS):
        for edge, label in zip(edges, labels, strict=False):
            assert f"< {edge} THEN '{label}'" in text
        assert f"ELSE '{labels[-1]}' END" in text


def test_no_fixed_sql_is_left_inline_in_the_code() -> None:
    """Fixed SQL text lives in sql/ (read with read_sql); what stays in .py files is SQL built
    from checked names or a stored model (f-strings, tested elsewhere) and the few listed."""
    import ast
    import re

    statement = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|WITH)\s+\S")
    listed = {
        # one UNION ALL row of the by-plan values, repeated to the model's count: generated
        "calibrate/score_sql.py",
        # an example query the CLI prints for the user to paste into a worksheet
        "console/twin.py",
    }
    root = ROOT / "src" / "cdt"
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        formatted = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in ast.walk(node)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in formatted
                and statement.match(node.value)
                and path.relative_to(root).as_posix() not in listed
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value[:60]!r}")
    assert found == [], "move these into sql/ and read them with read_sql:\n" + "\n".join(found)
