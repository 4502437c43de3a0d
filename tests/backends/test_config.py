"""Configuration precedence and bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdt.config import load_settings
from cdt.errors import ConfigError

TOML = """
[profiles.default]
backend = "duckdb"
home = "from-profile"

[profiles.prod]
backend = "snowflake"
[profiles.prod.snowflake]
connection_name = "snowmobile"
[profiles.prod.snowflake.warehouses]
ml = "BIG_ML_WH"
[profiles.prod.llm]
provider = "cortex"
"""


def write_config(folder: Path, text: str = TOML) -> Path:
    path = folder / "cdt.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_config(tmp_path: Path) -> None:
    settings = load_settings(env={}, cwd=tmp_path)
    assert settings.backend == "duckdb"
    assert settings.database_path == tmp_path / ".cdt" / "cdt.duckdb"
    assert settings.llm.provider == "auto"
    assert settings.snowflake.database == "SNOWMOBILE_DIGITAL_TWIN"
    assert settings.snowflake.warehouses.ml == "CDT_ML_WH"


def test_precedence_flag_over_env_over_profile_over_default(tmp_path: Path) -> None:
    write_config(tmp_path)
    assert load_settings(env={}, cwd=tmp_path).home == tmp_path / "from-profile"
    env = {"CDT_HOME": "from-env"}
    assert load_settings(env=env, cwd=tmp_path).home == tmp_path / "from-env"
    flags = {"home": "/abs/from-flag"}
    assert load_settings(flags, env=env, cwd=tmp_path).home == Path("/abs/from-flag")


def test_named_profile_with_nested_tables(tmp_path: Path) -> None:
    write_config(tmp_path)
    settings = load_settings({"profile": "prod"}, env={}, cwd=tmp_path)
    assert settings.backend == "snowflake"
    assert settings.snowflake.connection_name == "snowmobile"
    assert settings.snowflake.warehouses.ml == "BIG_ML_WH"
    assert settings.snowflake.warehouses.load == "CDT_LOAD_WH"
    assert settings.llm.provider == "cortex"
    env_profile = load_settings(
        env={"CDT_PROFILE": "prod", "CDT_LLM_PROVIDER": "ollama"}, cwd=tmp_path
    )
    assert env_profile.llm.provider == "ollama"


def test_unknown_backend_names_the_source_and_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown backend 'oracle' \(from --backend\)") as info:
        load_settings({"backend": "oracle"}, env={}, cwd=tmp_path)
    assert "duckdb" in str(info.value) and "snowflake" in str(info.value)
    with pytest.raises(ConfigError, match=r"\$CDT_LLM_PROVIDER"):
        load_settings(env={"CDT_LLM_PROVIDER": "gpt"}, cwd=tmp_path)


def test_missing_profile_lists_known_profiles(tmp_path: Path) -> None:
    write_config(tmp_path)
    with pytest.raises(ConfigError, match=r"profile 'staging' is not in .*default, prod"):
        load_settings({"profile": "staging"}, env={}, cwd=tmp_path)


def test_profile_without_any_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no cdt\.toml"):
        load_settings({"profile": "prod"}, env={}, cwd=tmp_path)


def test_unknown_setting_in_profile_is_rejected(tmp_path: Path) -> None:
    write_config(tmp_path, '[profiles.default]\nbakend = "duckdb"\n')
    with pytest.raises(ConfigError, match="unknown setting 'bakend'"):
        load_settings(env={}, cwd=tmp_path)


def test_broken_toml_is_reported(tmp_path: Path) -> None:
    write_config(tmp_path, "[profiles.default\nbackend=")
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(env={}, cwd=tmp_path)


def test_explicit_config_path_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings({"config": "nope.toml"}, env={}, cwd=tmp_path)


def test_warehouse_names_must_be_plain_identifiers(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"snowflake.warehouses.ml.*\$CDT_WAREHOUSE_ML"):
        load_settings(env={"CDT_WAREHOUSE_ML": "WH; DROP DATABASE X"}, cwd=tmp_path)


def test_ollama_host_from_the_standard_variable(tmp_path: Path) -> None:
    settings = load_settings(env={"OLLAMA_HOST": "http://gpu-box:11434"}, cwd=tmp_path)
    assert settings.llm.ollama_host == "http://gpu-box:11434"
