"""Snowflake specifics: credentials, warehouses per kind of work, roles and grants as sent."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from cdt import api
from cdt.backends.snowflake import SnowflakeBackend, connection_params
from cdt.config import SnowflakeSettings, load_settings
from cdt.errors import ConfigError
from tests.conftest import FAKE_SNOWFLAKE_ENV


def test_params_from_snowflake_variables() -> None:
    params = connection_params(SnowflakeSettings(), {**FAKE_SNOWFLAKE_ENV, "SNOWFLAKE_ROLE": "R"})
    assert params["account"] == "fake"
    assert params["user"] == "u"
    assert params["role"] == "R"
    assert params["database"] == "SNOWMOBILE_DIGITAL_TWIN"
    assert params["paramstyle"] == "qmark"


def test_connection_name_wins_over_variables() -> None:
    params = connection_params(SnowflakeSettings(connection_name="prod"), FAKE_SNOWFLAKE_ENV)
    assert params["connection_name"] == "prod"
    assert "account" not in params


def test_no_credentials_names_the_missing_settings() -> None:
    with pytest.raises(ConfigError) as info:
        connection_params(SnowflakeSettings(), {})
    message = str(info.value)
    assert "SNOWFLAKE_ACCOUNT" in message
    assert "connections.toml" in message
    assert "CDT_SNOWFLAKE_CONNECTION" in message


@pytest.fixture
def sent_sql(fake_snowflake: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every SQL text the Snowflake backend sends through the connector."""
    from fakesnow.cursor import FakeSnowflakeCursor

    sent: list[str] = []
    original = FakeSnowflakeCursor.execute

    def spy(self: FakeSnowflakeCursor, command: str, *args: object, **kwargs: object) -> object:
        sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(FakeSnowflakeCursor, "execute", spy)
    for key, value in FAKE_SNOWFLAKE_ENV.items():
        monkeypatch.setenv(key, value)
    yield sent


def test_work_switches_to_the_configured_warehouse(sent_sql: list[str]) -> None:
    settings = load_settings({"backend": "snowflake", "snowflake.warehouses.ml": "BIG_ML"})
    with SnowflakeBackend(settings.snowflake, FAKE_SNOWFLAKE_ENV) as backend, backend.work("ml"):
        with backend.work("llm"):
            pass
        backend.scalar("SELECT 1")
    assert [s for s in sent_sql if s.startswith("USE WAREHOUSE")] == [
        "USE WAREHOUSE BIG_ML",
        "USE WAREHOUSE CDT_CORTEX_WH",
        "USE WAREHOUSE BIG_ML",
    ]


def test_init_with_roles_sends_the_spec_grants(sent_sql: list[str]) -> None:
    result = api.init(load_settings({"backend": "snowflake"}), roles=True)
    assert result.roles_statements > 100
    grants = [s for s in sent_sql if s.startswith(("GRANT", "CREATE ROLE", "CREATE WAREHOUSE"))]
    for role in (
        "CDT_ADMIN",
        "CDT_DEVELOPER",
        "CDT_ANALYST",
        "CDT_VIEWER",
        "CDT_DATA_LOADER",
        "CDT_APP_ROLE",
    ):
        assert f"CREATE ROLE IF NOT EXISTS {role}" in grants
    # Hierarchy of spec §7.1.
    for child, parent in [
        ("CDT_DEVELOPER", "CDT_ADMIN"),
        ("CDT_ANALYST", "CDT_DEVELOPER"),
        ("CDT_VIEWER", "CDT_ANALYST"),
        ("CDT_DATA_LOADER", "CDT_ADMIN"),
    ]:
        assert f"GRANT ROLE {child} TO ROLE {parent}" in grants
    # Warehouses of spec §2.2.
    assert any(
        re.match(r"CREATE WAREHOUSE IF NOT EXISTS CDT_ML_WH .*'LARGE'.*300", s) for s in grants
    )
    assert any(
        re.match(r"CREATE WAREHOUSE IF NOT EXISTS CDT_APP_WH .*'XSMALL'.*60", s) for s in grants
    )
    # Admin owns every schema.
    for schema_name in ("RAW", "EXTERNAL", "ANALYTICS", "PERSONAS", "AGENTS", "APP"):
        assert any(
            s.startswith(
                f"GRANT OWNERSHIP ON SCHEMA SNOWMOBILE_DIGITAL_TWIN.{schema_name} TO ROLE CDT_ADMIN"
            )
            for s in grants
        )


def _grants_to(grants: list[str], role: str) -> list[str]:
    return [g for g in grants if g.startswith("GRANT") and g.endswith(f"TO ROLE {role}")]


def test_read_only_roles_cannot_write_raw_external_or_analytics(sent_sql: list[str]) -> None:
    api.init(load_settings({"backend": "snowflake"}), roles=True)
    write = re.compile(r"\b(INSERT|UPDATE|DELETE|TRUNCATE|MODIFY|OWNERSHIP|CREATE TABLE)\b")
    for role in ("CDT_APP_ROLE", "CDT_ANALYST", "CDT_VIEWER"):
        for grant in _grants_to(sent_sql, role):
            if re.search(r"\.(RAW|EXTERNAL|ANALYTICS)\b", grant):
                assert not write.search(grant), grant
    app_writes = [g for g in _grants_to(sent_sql, "CDT_APP_ROLE") if "INSERT" in g]
    assert app_writes, "the app must be able to record simulations"
    assert all(re.search(r"\.(AGENTS|HISTORY|PERSONAS)\.", g) for g in app_writes)
    loader = _grants_to(sent_sql, "CDT_DATA_LOADER")
    assert not any(re.search(r"\.(ANALYTICS|PERSONAS|AGENTS)\b", g) for g in loader)


def test_configured_names_replace_the_defaults_in_grants(sent_sql: list[str]) -> None:
    settings = load_settings(
        {
            "backend": "snowflake",
            "snowflake.database": "TWIN_DEV",
            "snowflake.warehouses.app": "SMALL_APP",
        }
    )
    api.init(settings, roles=True)
    assert "CREATE DATABASE IF NOT EXISTS TWIN_DEV" in sent_sql
    assert not any("SNOWMOBILE_DIGITAL_TWIN" in s for s in sent_sql)
    assert "GRANT USAGE ON WAREHOUSE SMALL_APP TO ROLE CDT_APP_ROLE" in sent_sql


def test_roles_on_duckdb_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="DuckDB has no roles"):
        api.init(load_settings(), roles=True)


def test_a_dropped_connection_is_retried_for_reads_but_never_for_writes(
    sent_sql: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import snowflake.connector.errors as connector_errors
    from fakesnow.cursor import FakeSnowflakeCursor

    from cdt.errors import BackendError

    settings = load_settings({"backend": "snowflake"})
    spy = FakeSnowflakeCursor.execute  # records into sent_sql
    drop_next: list[str] = []  # SQL prefixes whose next run "loses the connection"

    def flaky(self: FakeSnowflakeCursor, command: str, *args: object, **kwargs: object) -> object:
        if drop_next and command.startswith(drop_next[0]):
            drop_next.pop(0)
            raise connector_errors.OperationalError(msg="Connection reset by peer", errno=250003)
        return spy(self, command, *args, **kwargs)

    monkeypatch.setattr(FakeSnowflakeCursor, "execute", flaky)
    with SnowflakeBackend(settings.snowflake, FAKE_SNOWFLAKE_ENV) as backend:
        connections = []
        connect = backend._connect
        monkeypatch.setattr(backend, "_connect", lambda: connections.append(1) or connect())
        with backend.work("ml"):
            drop_next.append("SELECT")
            assert backend.scalar("SELECT 41 + 1") == 42  # reconnected and retried once
        assert connections == [1]
        # The new session is put back on the warehouse in use.
        assert sent_sql.count("USE WAREHOUSE CDT_ML_WH") == 2
        drop_next.append("CREATE")
        with pytest.raises(BackendError, match="dropped during a write") as write:
            backend.execute("CREATE TABLE IF NOT EXISTS APP.DROPPED (a INT)")
        assert "not retried" in str(write.value)
        assert not any(s.startswith("CREATE TABLE IF NOT EXISTS APP.DROPPED") for s in sent_sql)
        drop_next.append("SELECT")
        with pytest.raises(BackendError, match="not committed"), backend.transaction():
            backend.scalar("SELECT 1")
        assert connections == [1]  # no reconnect inside a transaction
        drop_next.append("SELECT")
        drop_next.append("SELECT")
        with pytest.raises(BackendError, match="dropped"):
            backend.scalar("SELECT 2")  # dropped twice: a clear error, not a loop
