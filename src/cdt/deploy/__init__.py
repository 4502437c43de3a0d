"""`cdt deploy`: the spec's SQL-callable agents and the app, created on Snowflake.

``objects`` renders the ``sql/deploy`` files, ``bundle`` builds the files uploaded to
@AGENTS.CDT_CODE, ``handler`` is what AGENTS.SIMULATE_SCENARIO runs inside Snowflake, and
``run`` puts them together.
"""

from __future__ import annotations

from cdt.deploy.objects import DeployFile, deploy_files
from cdt.deploy.run import DeployResult, deploy, dry_run, write_bundle

__all__ = ["DeployFile", "DeployResult", "deploy", "deploy_files", "dry_run", "write_bundle"]
