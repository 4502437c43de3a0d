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
