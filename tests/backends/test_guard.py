"""The app's access to a local twin: writes to RAW, EXTERNAL and ANALYTICS are refused by the
connection itself (cdt.backends.guard), whatever code asks for them."""

from __future__ import annotations

import pyarrow as pa
import pytest

from cdt import api
from cdt.backends import guard
from cdt.config import Settings
from cdt.errors import AccessError

REFUSED = [
    "INSERT INTO RAW.CUSTOMERS (customer_id) VALUES ('x')",
    'INSERT INTO "raw"."customers" (customer_id) VALUES (\'x\')',
    "insert into cdt.raw.customers (customer_id) values ('x')",
    "INSERT OR REPLACE INTO ANALYTICS.CUSTOMER_SEGMENTS SELECT * FROM ANALYTICS.CUSTOMER_SEGMENTS",
    "WITH t AS (SELECT 1 AS a) INSERT INTO ANALYTICS.SEGMENTATION_RUNS SELECT * FROM t",
    "UPDATE RAW.CUSTOMERS SET plan_price = 0",
    "update  external . zip_demographics set total_population = 0",
    "DELETE FROM ANALYTICS.CUSTOMER_SEGMENTS",
    "TRUNCATE RAW.CAMPAIGN_RESPONSES",
    "CREATE OR REPLACE TABLE ANALYTICS.CUSTOMER_SEGMENTS AS SELECT 1 AS a",
    "CREATE TABLE RAW.EXTRA (a INT)",
    "CREATE INDEX sneaky ON RAW.CUSTOMERS (customer_id)",
    "DROP TABLE EXTERNAL.ZIP_DEMOGRAPHICS",
    "DROP VIEW IF EXISTS ANALYTICS.SOMETHING",
    "ALTER TABLE RAW.CUSTOMERS ADD COLUMN x INT",
    "COPY RAW.CUSTOMERS FROM 'customers.csv'",
    "COPY (SELECT * FROM RAW.CUSTOMERS) TO 'out.csv'",
    "ATTACH 'other.duckdb' AS other",
    "INSERT INTO CUSTOMERS (customer_id) VALUES ('x')",  # unqualified: unclear, refused
    "SELECT 1; DELETE FROM RAW.CUSTOMERS",  # a write behind a read
    "INSERT /* HISTORY.SIMULATIONS */ INTO RAW.CUSTOMERS (customer_id) VALUES ('x')",
    "INSERT INTO RAW.CUSTOMERS (customer_id) SELECT 'INSERT INTO HISTORY.SIMULATIONS'",
    "DROP SCHEMA RAW CASCADE",
    "INSTALL httpfs",
]

ALLOWED = [
    "SELECT * FROM RAW.CUSTOMERS",
    "WITH x AS (SELECT * FROM ANALYTICS.CUSTOMER_SEGMENTS) SELECT count(*) FROM x",
    "INSERT INTO HISTORY.SIMULATIONS (simulation_id) SELECT customer_id FROM RAW.CUSTOMERS",
    'insert into "history"."simulation_results" (simulation_id) values (?)',
    "UPDATE PERSONAS.PERSONA_DEFINITIONS SET is_active = FALSE WHERE segment_id = ?",
    "DELETE FROM AGENTS.LLM_CALLS WHERE created_at < ?",
    "BEGIN TRANSACTION",
    "COMMIT",
    "CREATE TEMP TABLE scratch AS SELECT 1 AS a",
    "EXPLAIN SELECT * FROM RAW.CUSTOMERS",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_writes_outside_the_app_schemas_are_refused(sql: str) -> None:
    with pytest.raises(AccessError) as caught:
        guard.check(sql)
    assert "may not" in caught.value.message and caught.value.fix


@pytest.mark.parametrize("sql", ALLOWED)
def test_reads_and_app_writes_pass(sql: str) -> None:
    guard.check(sql)


def test_targets_are_read_from_the_statement() -> None:
    assert guard.target("CREATE INDEX i ON RAW.CUSTOMERS (a)", "CREATE") == "RAW.CUSTOMERS"
    assert guard.target('UPDATE "HISTORY".x SET a = 1', "UPDATE") == '"HISTORY".x'
    assert guard.target("PRAGMA version", "PRAGMA") is None


def _fingerprint(settings: Settings) -> dict[str, object]:
    """Row counts and a content hash of every protected table."""
    with api.connect(settings, read_only=True) as backend:
        tables = backend.query(
            "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables "
            "WHERE table_schema IN ('RAW', 'EXTERNAL', 'ANALYTICS') ORDER BY 1"
        ).column("name")
        return {
            str(name): backend.query(
                f"SELECT count(*) AS n, sum(hash(t)) AS h FROM {name} t"  # names from the catalog
            ).to_pylist()[0]
            for name in tables
        }


def test_an_app_connection_cannot_change_protected_tables(twin: Settings) -> None:
    before = _fingerprint(twin)
    app = twin.model_copy(update={"access": "app"})
    with api.connect(app) as backend:
        for sql in (
            "DELETE FROM RAW.CUSTOMERS",
            "UPDATE ANALYTICS.CUSTOMER_SEGMENTS SET segment_id = 'SEG99'",
            "DROP TABLE EXTERNAL.ZIP_DEMOGRAPHICS",
        ):
            with pytest.raises(AccessError):
                backend.execute(sql)
        with pytest.raises(AccessError):
            backend.query("DELETE FROM RAW.CUSTOMERS RETURNING customer_id")
        with pytest.raises(AccessError):
            backend.load("RAW.CUSTOMERS", pa.table({"customer_id": ["x"]}))
        with pytest.raises(AccessError), backend.transaction():
            backend.execute("INSERT INTO HISTORY.FEEDBACK (feedback_id) VALUES ('f')")
            backend.execute("DELETE FROM ANALYTICS.SEGMENT_STATISTICS")
        # what the app may write still works, and reads of everything do
        assert backend.scalar("SELECT count(*) FROM RAW.CUSTOMERS") > 0
        backend.execute("DELETE FROM HISTORY.SIMULATION_RESULTS")
    assert _fingerprint(twin) == before
    with api.connect(twin) as backend:  # the CLI's own connection is not limited
        assert backend.scalar("SELECT count(*) FROM HISTORY.FEEDBACK") == 0
        backend.execute("DELETE FROM ANALYTICS.SEGMENT_STATISTICS")
    assert _fingerprint(twin) != before
