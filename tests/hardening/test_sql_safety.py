"""No SQL is built from user input. Every statement takes user values as bind parameters;
the only text spliced into SQL is listed here with why it is safe, and a new splice fails
this test until it is reviewed and listed (ruff's S608 flags the same sites at lint time)."""

from __future__ import annotations

import ast
import re

from tests.paths import ROOT

SOURCE = ROOT / "src" / "cdt"
SQL_START = re.compile(
    r"^\s*\(?\s*(SELECT|INSERT|DELETE|UPDATE|CREATE|USE|COPY|DESCRIBE|DROP|ALTER|GRANT|MERGE|"
    r"WITH|TRUNCATE|SHOW|CALL|PUT)\b"
)
# (file, spliced expression): why it cannot carry user input.
ALLOWED = {
    ("calibrate/incremental.py", "', '.join(STORED)"): "the constant cell column names",
    ("calibrate/incremental.py", "FIT_CELLS"): "a constant table name",
    ("calibrate/incremental.py", "FIT_BANDS"): "a constant table name",
    ("calibrate/incremental.py", "cells"): "packaged .sql file text (response_cells)",
    ("calibrate/incremental.py", "bands_sql(backend, scorer)"): "packaged .sql with the "
    "scorer's numbers and checked names (see Scorer.band_sql)",
    ("calibrate/incremental.py", "scope"): "empty, or a constant predicate over RAW.PENDING_CELLS",
    ("calibrate/incremental.py", "_BAND_COLUMNS"): "constant column names",
    ("calibrate/incremental.py", "_PENDING"): "a constant predicate over RAW.PENDING_CELLS",
    ("load.py", "pending"): "constant table names",
    ("filecheck.py", "parts"): "schema.violation_sql: DDL column names and the checks' numbers",
    ("refresh/merge.py", "target"): "check_table() against the DDL's table list",
    ("refresh/merge.py", "column"): "the table's key column, checked by NAME",
    ("features.py", "where"): "empty, or WHERE with the constant _PENDING predicate",
    ("features.py", "_PENDING"): "a constant predicate over RAW.PENDING_REFRESH",
    ("refresh/load.py", "keyed.staging"): "check_table() of the DDL's staging tables",
    ("refresh/load.py", "source.table"): "TABLES constant (file names map to fixed tables)",
    ("refresh/merge.py", "keys"): "key columns of the KEYED constant, checked by NAME",
    ("refresh/merge.py", "self.staging"): "check_table() against the DDL's table list",
    ("refresh/merge.py", "self.target"): "check_table() against the DDL's table list",
    ("refresh/merge.py", "self.keys[0]"): "a key column of the KEYED constant, checked by NAME",
    ("refresh/merge.py", "self._match()"): "key equalities over NAME-checked key columns",
    ("refresh/merge.py", "self._new_rows()"): "FROM the staging table WHERE NOT EXISTS the "
    "key in the target: check_table() names and NAME-checked keys",
    ("refresh/merge.py", "self._differs()"): "IS NOT DISTINCT FROM over the DDL's columns, "
    "checked by NAME",
    ("refresh/merge.py", "reason"): "a constant delta file name, checked by NAME",
    ("refresh/merge.py", "', '.join(assignments)"): "'col = s.col' over the DDL's columns, "
    "checked by NAME",
    ("refresh/merge.py", "', '.join(columns)"): "the DDL's columns, checked by NAME",
    ("refresh/merge.py", "', '.join(values)"): "'s.col' or a COALESCE stamp over the DDL's "
    "columns, checked by NAME",
    ("segment/refresh.py", "columns"): "the stored run's feature columns, checked by COLUMN",
    ("segment/refresh.py", "FEATURES_TABLE"): "a constant table name",
    ("segment/refresh.py", "scope"): "empty, or WHERE with the constant _PENDING predicate",
    ("api/session.py", "database"): "settings.snowflake.database, validated by check_identifier",
    ("backends/duckdb.py", "target"): "check_table() against the DDL's table list",
    ("backends/snowflake.py", "target"): "check_table() against the DDL's table list",
    ("backends/snowflake.py", "folder"): "an internal stage path built from a uuid",
    ("backends/snowflake.py", "file_url(path)"): "a file:// URI (percent-encoded) in quotes; "
    "a path with a quote is refused",
    ("backends/snowflake.py", "warehouse"): "settings warehouses, validated identifiers",
    ("backends/snowflake.py", "previous"): "a warehouse name this code set before",
    ("backends/snowflake.py", "self._current_warehouse"): "a warehouse name this code set before",
    ("calibrate/cells.py", "bands"): "packaged .sql file text",
    ("calibrate/cells.py", "read_sql(name, backend.dialect)"): "packaged .sql file text",
    (
        "calibrate/cells.py",
        "read_sql('response_cells_pair', backend.dialect)",
    ): "packaged .sql file text",
    ("calibrate/predict.py", "read_sql('audience', backend.dialect)"): "packaged .sql file "
    "text (the audience's values are bound with ?)",
    ("calibrate/predict.py", "bands_sql(backend, scorer_of(model))"): "packaged .sql with the "
    "scorer's numbers and checked names (see Scorer.band_sql)",
    ("calibrate/score_sql.py", "read_sql('audience', backend.dialect)"): "packaged .sql file "
    "text (the audience's values are bound with ?)",
    ("calibrate/score_sql.py", "bands_sql(backend, scorer_of(model))"): "packaged .sql with "
    "the scorer's numbers and checked names",
    ("calibrate/score_sql.py", "read_sql('response_population', backend.dialect)"): "packaged "
    ".sql file text",
    ("calibrate/score_sql.py", "weights"): "'CAST(? AS DOUBLE) AS w<n>': binds",
    ("calibrate/score_sql.py", "by_plan"): "BY_PLAN_ROWS copies of a SELECT of three ? binds",
    ("calibrate/score_sql.py", "logit.RISK_BANDS"): "an integer constant",
    ("calibrate/score_sql.py", "_name(logit.NOTICE)"): "a constant name checked by NAME",
    ("calibrate/score_sql.py", "_number(logit.DELTA_SCALE)"): "a float constant",
    ("calibrate/score_sql.py", "', '.join(base)"): "logits built from the model's numbers "
    "(_number) and its names checked by NAME (_name)",
    ("calibrate/score_sql.py", "', '.join(probabilities)"): "softmax over those logits; the "
    "channel weights are binds",
    ("calibrate/score_sql.py", "churned"): "an outcome's index (an integer)",
    ("deploy/run.py", "file_url(path)"): "a file:// URI of cdt's own bundle, in quotes; a "
    "path with a quote is refused",
    ("deploy/run.py", "folder"): "@AGENTS.CDT_CODE and a constant folder name",
    ("calibrate/score_sql.py", "shares"): "SUM expressions over fixed outcome names",
    ("segment/assign_sql.py", "features"): "the run's preprocessing: numbers, COLUMN-checked "
    "column names and LABEL-checked categories",
    ("segment/assign_sql.py", "FEATURES_TABLE"): "a constant table name",
    ("segment/assign_sql.py", "distances"): "the run's centroids (numbers)",
    ("segment/assign_sql.py", "segment"): "SEGMENT-checked segment ids",
    ("segment/assign_sql.py", "nearest"): "LEAST over fixed column names",
    ("agents/targeting.py", "read_sql('audience', backend.dialect)"): "packaged .sql file text "
    "(the audience's values are bound with ?)",
    ("features.py", "table"): "constant STEPS table names",
    ("load.py", "table"): "TABLES constant (file names map to fixed tables)",
    ("mapping.py", "', '.join(select)"): "the DDL's column names, and the file's own column "
    "names (checked against its header) as quoted identifiers; values are binds",
    ("mapping.py", "reader(_source(file))"): "filecheck's fixed reader call; the file's "
    "path is bound with ?",
    ("mapping.py", "reader(_source(mapped.file))"): "filecheck's fixed reader call; the "
    "file's path is bound with ?",
    ("mapping.py", "out"): "a scratch path from tempfile with quotes doubled, not user text",
    ("filecheck.py", "reader(source)"): "a fixed reader call; file paths are bound with ?",
    ("filecheck.py", "select"): "casts built from the DDL's columns and types",
    ("filecheck.py", "target"): "a scratch path from tempfile, not user text",
    ("filecheck.py", "failures"): "checks built from the DDL's columns and types",
    ("filecheck.py", "numbered"): "the fixed numbered-reader query above",
    ("filecheck.py", "column.name"): "a DDL column name (user columns must match the DDL exactly)",
    ("rows.py", "target"): "check_table() against the DDL's table list",
    ("rows.py", "', '.join(columns)"): "columns checked against the table's DDL columns",
    ("rows.py", "marks"): "'?' placeholders",
    ("schema.py", "re.escape(table.upper())"): "a regular expression, not SQL sent",
    ("segment/stage.py", "FEATURES_TABLE"): "a constant table name",
    ("segment/stage.py", "wanted"): "feature names kept only if they are columns of the "
    "features table (the caller filters them by its schema)",
    ("segment/stage.py", "int(SAMPLE_FIT)"): "an integer constant",
    ("segment/assign_sql.py", "named"): "'WHEN <id> THEN ?': segment ids checked by SEGMENT, "
    "the names are binds",
    ("segment/assign_sql.py", "assignment_sql(model)"): "the run's numbers and checked names "
    "(see assignment_sql)",
    ("calibrate/sensitivity.py", "quantiles"): "PERCENTILE_CONT over float literals (_number)",
    ("calibrate/sensitivity.py", "slope.slope_sql()"): "the scorer's numbers and checked names "
    "(see Scorer.slope_sql)",
    ("segment/stage.py", "table"): "constant table names",
    ("state.py", "table"): "callers pass constant, allow-listed table names",
}


def spliced() -> dict[tuple[str, str], list[int]]:
    found: dict[tuple[str, str], list[int]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            head = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if not SQL_START.match(head):
                continue
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    key = (str(path.relative_to(SOURCE)), ast.unparse(value.value))
                    found.setdefault(key, []).append(node.lineno)
    return found


def test_only_reviewed_text_is_spliced_into_sql() -> None:
    found = spliced()
    assert len(found) >= 10, "the scan found too few SQL f-strings to be working"
    unreviewed = {key: lines for key, lines in found.items() if key not in ALLOWED}
    assert not unreviewed, f"SQL built from unreviewed text (bind it with ?): {unreviewed}"


def test_the_allow_list_has_no_stale_entries() -> None:
    assert set(ALLOWED) <= set(spliced())


def test_user_values_reach_sql_as_bind_parameters() -> None:
    # The places that take user text (scenario, segment ids, simulation ids, page numbers)
    # pass it as parameters: their SQL strings hold no splice at all.
    readers = [*(SOURCE / "api").glob("*.py"), SOURCE / "history.py"]
    queries = [
        SOURCE / "sql" / "common" / f"{n}.sql"
        for n in ("history_find", "history_list", "segment_customer_count")
    ]
    api = "\n".join(p.read_text(encoding="utf-8") for p in [*readers, *queries])
    for needle in (
        "WHERE simulation_id = ? OR simulation_id LIKE ?",
        "ORDER BY started_at DESC\nLIMIT ?",
        "WHERE segment_id = ?",
    ):
        assert needle in api
    assert 'f"{simulation_id}%"' in api  # a LIKE pattern, itself a bind parameter
    assert not re.search(r"\"(SELECT|DELETE|INSERT)[^\"]*\{(simulation_id|segment_id|key)", api)
