"""Against a live Snowflake account: skipped unless credentials are configured.

Set SNOWFLAKE_ACCOUNT/USER/PASSWORD (or CDT_SNOWFLAKE_CONNECTION) and CDT_LIVE=1 to run.
"""

from __future__ import annotations

import pytest

from cdt import api, schema
from cdt.config import load_settings
from tests.conftest import AMBIENT_ENV

LIVE = AMBIENT_ENV.get("CDT_LIVE") == "1" and bool(
    AMBIENT_ENV.get("SNOWFLAKE_ACCOUNT") or AMBIENT_ENV.get("CDT_SNOWFLAKE_CONNECTION")
)


@pytest.mark.live
@pytest.mark.skipif(not LIVE, reason="no live Snowflake configured (CDT_LIVE=1 + credentials)")
def test_live_snowflake_init_and_columns() -> None:
    settings = load_settings({"backend": "snowflake"}, env=AMBIENT_ENV)
    api.init(settings, env=AMBIENT_ENV)
    with api.connect(settings, env=AMBIENT_ENV) as backend:
        columns = schema.table_columns(backend, "RAW.CUSTOMERS")
        assert columns[0] == ("customer_id", "VARCHAR")
        assert backend.scalar("SELECT 1") == 1


@pytest.mark.live
@pytest.mark.skipif(not LIVE, reason="no live Snowflake configured (CDT_LIVE=1 + credentials)")
def test_live_deployed_agents_answer_from_a_worksheet() -> None:
    # Needs a built twin in the account (cdt --backend snowflake build) and Cortex access.
    settings = load_settings({"backend": "snowflake"}, env=AMBIENT_ENV)
    result = api.deploy(settings, env=AMBIENT_ENV)
    assert result.executed == result.statements
    with api.connect(settings, env=AMBIENT_ENV) as backend:
        rows = backend.query("CALL AGENTS.SIMULATE_SCENARIO('price increase $5')").to_pylist()
        assert rows and all(r["share_churned"] is not None for r in rows)
        assert sum(r["affected_customers"] for r in rows) > 0
        persona = backend.scalar("SELECT persona_id FROM PERSONAS.PERSONA_DEFINITIONS LIMIT 1")
        reaction = backend.scalar("SELECT AGENTS.ASK_PERSONA(?, 'price increase $5')", [persona])
        assert "likely_action" in str(reaction)
        combined = backend.scalar(
            "SELECT AGENTS.AGGREGATE_REACTIONS(ARRAY_AGG(OBJECT_CONSTRUCT(*))) "
            "FROM TABLE(AGENTS.SIMULATE_SCENARIO('price increase $5'))"
        )
        assert "expected_churners" in str(combined)
