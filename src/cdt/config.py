"""Configuration: flags > ``CDT_*`` variables > a ``cdt.toml`` profile > defaults.

A ``cdt.toml`` holds named profiles::

    [profiles.default]
    backend = "duckdb"

    [profiles.prod]
    backend = "snowflake"
    [profiles.prod.snowflake]
    connection_name = "snowmobile"
    [profiles.prod.llm]
    provider = "cortex"

The file is found at ``--config``, then ``$CDT_CONFIG``, then ``./cdt.toml``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cdt.errors import ConfigError

BackendName = Literal["duckdb", "snowflake"]
LLMProviderName = Literal["auto", "llamacpp", "ollama", "openai", "cortex"]
EmbedderName = Literal["auto", "sentence-transformers", "cortex"]

DEFAULT_HOME = Path(".cdt")
DEFAULT_PROFILE = "default"
DEFAULT_DATABASE = "SNOWMOBILE_DIGITAL_TWIN"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,254}$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Warehouses(_Section):
    """One Snowflake warehouse per kind of work (spec §2.2)."""

    load: str = "CDT_LOAD_WH"
    ml: str = "CDT_ML_WH"
    llm: str = "CDT_CORTEX_WH"
    app: str = "CDT_APP_WH"

    @field_validator("load", "ml", "llm", "app")
    @classmethod
    def _identifier(cls, value: str) -> str:
        return check_identifier(value)


class SnowflakeSettings(_Section):
    """How to reach Snowflake. Credentials stay in the connector's own config."""

    connection_name: str | None = None
    #: "connector": connect with the Snowflake connector (connections.toml, environment);
    #: "active": use Snowpark's active session, inside Snowflake (Streamlit in Snowflake, a
    #: stored procedure), with the session's role and warehouse.
    session: Literal["connector", "active"] = "connector"
    database: str = DEFAULT_DATABASE
    role: str | None = None
    warehouses: Warehouses = Warehouses()

    @field_validator("database", "role")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        return None if value is None else check_identifier(value)


class LLMSettings(_Section):
    """Which LLM writes personas and reactions."""

    provider: LLMProviderName = "auto"
    cache: bool = True
    gguf_path: str | None = None
    ollama_host: str = "http://127.0.0.1:11434"
    ollama_model: str = "llama3.1"
    #: An OpenAI-compatible server (llama.cpp's llama-server, LM Studio, vLLM, a hosted one):
    #: its /v1 base URL, the model to ask for, and a key if it needs one.
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = "default"
    openai_api_key: str | None = Field(default=None, repr=False)
    cortex_persona_model: str = "llama3.1-70b"
    cortex_reaction_model: str = "llama3.1-8b"
    #: Snowflake's AI functions (AI_COMPLETE, AI_EMBED), or the legacy SNOWFLAKE.CORTEX.COMPLETE
    #: and EMBED_TEXT_768 for accounts that still have them (the 2026_08 bundle removes them
    #: from accounts that had not called them recently).
    cortex_functions: Literal["ai", "legacy"] = "ai"
    #: How free-text scenarios are read: by rules only, or also by the LLM where it is capable
    #: (auto: Ollama, Cortex or a GGUF of your own; the bundled small model keeps the rules).
    scenario_parser: Literal["auto", "rules", "llm"] = "auto"
    #: Seconds one LLM call may wait for its answer (a hung server fails within it), and
    #: seconds a whole simulation's LLM calls may take; numbers never wait on either.
    timeout_s: float = Field(default=60.0, gt=0, le=3600)
    deadline_s: float = Field(default=600.0, gt=0, le=86400)
    #: Threads for the embedded model; unset, each process that runs it takes its share of
    #: the cores it may use (two at once on 2 cores: one each).
    threads: int | None = Field(default=None, ge=1, le=256)


class EmbedderSettings(_Section):
    """Which model turns text into vectors."""

    provider: EmbedderName = "auto"
    cortex_model: str = "e5-base-v2"


class VoiceSettings(_Section):
    """How many voices a segment gets: one per outcome that at least ``min_share`` of it
    takes, at most ``most`` (the commonest outcome always speaks); and who writes them:
    ``llm``, ``data`` (real verbatims and sentences composed from data), or ``auto`` (data
    with the bundled 135M model, whose voices made sense 2 times in 466; the LLM otherwise)."""

    most: int = Field(default=3, ge=1, le=7)
    min_share: float = Field(default=0.05, ge=0.0, le=1.0)
    writer: Literal["auto", "llm", "data"] = "auto"


class Settings(_Section):
    """Everything a cdt command needs to know, resolved once per invocation."""

    profile: str = DEFAULT_PROFILE
    config_file: Path | None = None
    home: Path = DEFAULT_HOME
    data_dir: Path = Path("data")
    backend: BackendName = "duckdb"
    duckdb_path: Path | None = None
    snowflake: SnowflakeSettings = SnowflakeSettings()
    llm: LLMSettings = LLMSettings()
    embedder: EmbedderSettings = EmbedderSettings()
    voices: VoiceSettings = VoiceSettings()
    #: Answer from a twin whose derived stages are stale (every result is marked stale).
    allow_stale: bool = False
    #: Seconds a command waits for the twin while another process holds it (DuckDB allows
    #: one writer), before it fails with the fix.
    wait_s: float = Field(default=30.0, ge=0, le=86400)
    #: "app": a local twin's connections refuse writes to RAW, EXTERNAL and ANALYTICS (what
    #: `cdt app` runs with; on Snowflake the app role's grants do this).
    access: Literal["full", "app"] = "full"

    @property
    def database_path(self) -> Path:
        """The DuckDB file: ``duckdb_path`` if set, else ``<home>/cdt.duckdb``."""
        return self.duckdb_path if self.duckdb_path is not None else self.home / "cdt.duckdb"


def check_identifier(value: str) -> str:
    """Return ``value`` if it is a plain SQL identifier, else raise ValueError."""
    if not _IDENTIFIER.match(value):
        raise ValueError(
            f"{value!r} is not a plain identifier (letters, digits, _ and $; starts with a letter)"
        )
    return value


# (environment variable, dotted setting) in the order they are applied.
ENV_VARS: tuple[tuple[str, str], ...] = (
    ("CDT_HOME", "home"),
    ("CDT_DATA_DIR", "data_dir"),
    ("CDT_BACKEND", "backend"),
    ("CDT_DUCKDB_PATH", "duckdb_path"),
    ("CDT_SNOWFLAKE_CONNECTION", "snowflake.connection_name"),
    ("CDT_SNOWFLAKE_SESSION", "snowflake.session"),
    ("CDT_SNOWFLAKE_DATABASE", "snowflake.database"),
    ("CDT_SNOWFLAKE_ROLE", "snowflake.role"),
    ("CDT_WAREHOUSE_LOAD", "snowflake.warehouses.load"),
    ("CDT_WAREHOUSE_ML", "snowflake.warehouses.ml"),
    ("CDT_WAREHOUSE_LLM", "snowflake.warehouses.llm"),
    ("CDT_WAREHOUSE_APP", "snowflake.warehouses.app"),
    ("CDT_LLM_PROVIDER", "llm.provider"),
    ("CDT_LLM_CACHE", "llm.cache"),
    ("CDT_GGUF_PATH", "llm.gguf_path"),
    ("OLLAMA_HOST", "llm.ollama_host"),
    ("CDT_OLLAMA_HOST", "llm.ollama_host"),
    ("CDT_OLLAMA_MODEL", "llm.ollama_model"),
    ("OPENAI_BASE_URL", "llm.openai_base_url"),
    ("CDT_OPENAI_BASE_URL", "llm.openai_base_url"),
    ("CDT_OPENAI_MODEL", "llm.openai_model"),
    ("OPENAI_API_KEY", "llm.openai_api_key"),
    ("CDT_OPENAI_API_KEY", "llm.openai_api_key"),
    ("CDT_SCENARIO_PARSER", "llm.scenario_parser"),
    ("CDT_LLM_TIMEOUT", "llm.timeout_s"),
    ("CDT_LLM_DEADLINE", "llm.deadline_s"),
    ("CDT_EMBEDDER", "embedder.provider"),
    ("CDT_VOICES_WRITER", "voices.writer"),
    ("CDT_LLM_THREADS", "llm.threads"),
    ("CDT_ALLOW_STALE", "allow_stale"),
    ("CDT_WAIT", "wait_s"),
)


def load_settings(
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Resolve settings from flags, environment, the profile file and defaults.

    Args:
        flags: dotted setting names (``"backend"``, ``"llm.provider"``) to values; ``None``
            values are ignored. ``"config"`` and ``"profile"`` pick the file and profile.
        env: the environment (default ``os.environ``).
        cwd: where relative paths and ``./cdt.toml`` are resolved (default: current directory).

    Raises:
        ConfigError: unknown profile, unreadable file, or an invalid value; the message names
            the setting, where it came from and the accepted values.
    """
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd

    config_file = _find_config_file(flags.pop("config", None), env, cwd)
    profile_flag = flags.pop("profile", None)
    profile_name = str(profile_flag or env.get("CDT_PROFILE") or DEFAULT_PROFILE)
    explicit_profile = profile_name != DEFAULT_PROFILE

    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    profile = _read_profile(config_file, profile_name, explicit=explicit_profile)
    for key, value in _flatten(profile).items():
        _set(merged, key, value)
        sources[key] = f"profile '{profile_name}' in {config_file}"
    for var, key in ENV_VARS:
        if env.get(var):
            _set(merged, key, env[var])
            sources[key] = f"${var}"
    for key, value in flags.items():
        _set(merged, key, value)
        sources[key] = f"--{key.split('.')[-1].replace('_', '-')}"

    merged["profile"] = profile_name
    merged["config_file"] = config_file
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        raise _config_error(exc, sources) from None
    return _absolute(settings, cwd)


def _find_config_file(flag: Any, env: Mapping[str, str], cwd: Path) -> Path | None:
    if flag or env.get("CDT_CONFIG"):
        path = Path(str(flag or env["CDT_CONFIG"]))
        path = path if path.is_absolute() else cwd / path
        if not path.is_file():
            raise ConfigError(
                f"config file {path} does not exist",
                fix="pass an existing file to --config / CDT_CONFIG, or remove the setting",
            )
        return path
    default = cwd / "cdt.toml"
    return default if default.is_file() else None


def _read_profile(path: Path | None, name: str, *, explicit: bool) -> dict[str, Any]:
    if path is None:
        if explicit:
            raise ConfigError(
                f"profile '{name}' was asked for but there is no cdt.toml",
                fix=f"create cdt.toml with a [profiles.{name}] table, or drop --profile",
            )
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", fix="fix the TOML syntax") from exc
    unknown = set(document) - {"profiles"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown top-level key(s) {sorted(unknown)}",
            fix="put settings under [profiles.<name>]",
        )
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(p, dict) for p in profiles.values()):
        raise ConfigError(f"{path}: 'profiles' must be tables", fix="use [profiles.<name>]")
    if name not in profiles:
        if not explicit:
            return {}
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigError(
            f"profile '{name}' is not in {path} (profiles: {known})",
            fix=f"add [profiles.{name}] to {path.name} or choose an existing profile",
        )
    profile = profiles[name]
    assert isinstance(profile, dict)
    return profile


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{dotted}."))
        else:
            flat[dotted] = value
    return flat


def _set(target: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        child = target.setdefault(part, {})
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    target[leaf] = value


def _config_error(exc: ValidationError, sources: Mapping[str, str]) -> ConfigError:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"])
    source = sources.get(key, "defaults")
    if first["type"] == "literal_error":
        expected = first.get("ctx", {}).get("expected", "")
        return ConfigError(
            f"unknown {key} {first['input']!r} (from {source})",
            fix=f"choose one of {expected}",
        )
    if first["type"] == "extra_forbidden":
        return ConfigError(
            f"unknown setting '{key}' (from {source})",
            fix="check the spelling; `cdt doctor` lists the settings in use",
        )
    return ConfigError(f"invalid {key} (from {source}): {first['msg']}", fix="correct the value")


def _absolute(settings: Settings, cwd: Path) -> Settings:
    home = settings.home if settings.home.is_absolute() else cwd / settings.home
    data_dir = settings.data_dir if settings.data_dir.is_absolute() else cwd / settings.data_dir
    updates: dict[str, Any] = {"home": home, "data_dir": data_dir}
    if settings.duckdb_path is not None and not settings.duckdb_path.is_absolute():
        updates["duckdb_path"] = cwd / settings.duckdb_path
    return settings.model_copy(update=updates)
