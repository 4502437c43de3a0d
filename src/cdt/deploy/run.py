"""Deploying: upload the bundle, then create every object in file order, or only say what
would be done (a dry run changes nothing and needs no connection)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cdt.backends.base import Backend
from cdt.config import Settings
from cdt.deploy.bundle import build, snowflake_yml
from cdt.deploy.objects import STAGE, DeployFile, deploy_files
from cdt.scratch import temporary as scratch_dir

#: The file holding grants to the spec's roles: run only with ``roles`` (`cdt init --roles`
#: creates them).
GRANTS = "60_grants.sql"
#: Files run before the upload (the stage the files go to).
BEFORE_UPLOAD = ("00_code_stage.sql",)


@dataclass
class DeployResult:
    """What a deploy did, or with ``dry_run`` would do."""

    dry_run: bool
    files: list[DeployFile]
    uploads: list[str] = field(default_factory=list)  # "name -> @stage/folder"
    executed: int = 0

    @property
    def statements(self) -> int:
        return sum(len(f.statements) for f in self.files)

    def to_dict(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "statements": self.statements,
            "executed": self.executed,
            "uploads": self.uploads,
            "files": [f.to_dict() for f in self.files],
        }


def planned(settings: Settings, roles: bool) -> list[DeployFile]:
    """The files a deploy runs, in order (the grants only with ``roles``).

    Raises:
        ConfigError: a model name or warehouse that cannot be written into SQL.
    """
    return [f for f in deploy_files(settings) if roles or f.name != GRANTS]


def _upload_lines(folder: Path) -> list[str]:
    bundle = build(folder)
    return [f"{path.name} -> @{STAGE}/{target}".rstrip("/") for path, target in bundle.files]


def deploy(backend: Backend, settings: Settings, *, roles: bool = False) -> DeployResult:
    """Upload the bundle to @AGENTS.CDT_CODE and create every object (idempotent: a second
    deploy replaces the same objects).

    Raises:
        ConfigError: a model name or warehouse that cannot be written into SQL.
        BackendError: Snowflake refused a statement or an upload (the message says which).
    """
    from cdt.backends.snowflake import file_url

    files = planned(settings, roles)
    result = DeployResult(False, files)
    with scratch_dir("deploy") as scratch, backend.work("app"):
        for file in files:
            if file.name not in BEFORE_UPLOAD:
                continue
            for statement in file.statements:
                backend.execute(statement)
                result.executed += 1
        bundle = build(Path(scratch))
        for path, target in bundle.files:
            folder = f"@{STAGE}/{target}" if target else f"@{STAGE}"
            backend.execute(f"PUT {file_url(path)} {folder} AUTO_COMPRESS=FALSE OVERWRITE=TRUE")
            result.uploads.append(f"{path.name} -> {folder}")
        for file in files:
            if file.name in BEFORE_UPLOAD:
                continue
            for statement in file.statements:
                backend.execute(statement)
                result.executed += 1
    return result


def dry_run(settings: Settings, *, roles: bool = False) -> DeployResult:
    """What ``deploy`` would run and upload; touches nothing."""
    files = planned(settings, roles)
    with scratch_dir("deploy") as scratch:
        return DeployResult(True, files, _upload_lines(Path(scratch)))


def write_bundle(settings: Settings, folder: Path) -> list[Path]:
    """The app's files and a snowflake.yml in ``folder``, for `snow streamlit deploy`."""
    bundle = build(folder)
    yml = folder / "snowflake.yml"
    yml.write_text(
        snowflake_yml(settings.snowflake.warehouses.app, settings.snowflake.database),
        encoding="utf-8",
    )
    return sorted({path for path, _ in bundle.files if path.parent == folder} | {yml})
