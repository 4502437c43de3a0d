"""What `cdt deploy` creates on Snowflake: the statements of ``sql/deploy/*.sql`` (in file
order), rendered with the few values that come from settings, and the files it uploads.

A template's ``{{name}}`` marks are replaced only by checked values: model names (MODEL),
warehouse identifiers (``config.check_identifier``) and the fixed package list. Every object
is idempotent: CREATE ... IF NOT EXISTS, CREATE OR REPLACE, GRANT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

from cdt.backends.base import split_statements
from cdt.config import Settings, check_identifier
from cdt.errors import ConfigError

#: A Cortex model name as it may be written into a function's body.
MODEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
#: Snowflake Anaconda packages the SIMULATE_SCENARIO handler imports (tests/surfaces/test_deploy.py
#: checks them against the handler's import closure).
PACKAGES = (
    "snowflake-snowpark-python", "numpy", "pandas", "pyarrow", "polars", "pydantic", "scipy",
    "scikit-learn", "httpx", "rich", "safetensors", "tokenizers",
)  # fmt: skip
#: Where `cdt deploy` puts the code: the procedure imports CODE_ZIP, the app runs from APP_DIR.
STAGE = "AGENTS.CDT_CODE"
CODE_ZIP = "cdt.zip"
APP_DIR = "app"
#: The gate's files, uploaded to WORDS_DIR and imported by the procedure beside the code:
#: all-MiniLM-L6-v2's weights and tokenizer, and VADER's two lexicons.
WORDS_DIR = "words"
WORD_FILES = ("model.safetensors", "tokenizer.json", "vader_lexicon.txt", "emoji_utf8_lexicon.txt")
_MARK = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class DeployFile:
    """One ``sql/deploy`` file rendered for these settings, and its statements."""

    name: str
    text: str
    statements: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"file": self.name, "statements": len(self.statements), "sql": self.text}


def _model(value: str, setting: str) -> str:
    if not MODEL.fullmatch(value):
        raise ConfigError(
            f"{setting} = {value!r} is not a Cortex model name",
            fix=f"set {setting} to a name such as llama3.1-70b (letters, digits, . _ -)",
        )
    return value


def values(settings: Settings) -> dict[str, str]:
    """The checked values the templates are rendered with."""
    return {
        "persona_model": _model(settings.llm.cortex_persona_model, "llm.cortex_persona_model"),
        "reaction_model": _model(settings.llm.cortex_reaction_model, "llm.cortex_reaction_model"),
        # who reads a scenario beside the rules, as `cdt simulate` does under Cortex
        "reader_model": "rules"
        if settings.llm.scenario_parser == "rules"
        else _model(settings.llm.cortex_persona_model, "llm.cortex_persona_model"),
        "embed_model": _model(settings.embedder.cortex_model, "embedder.cortex_model"),
        "app_warehouse": check_identifier(settings.snowflake.warehouses.app),
        "packages": ", ".join(f"'{p}'" for p in PACKAGES),
        "imports": ", ".join(
            f"'@{STAGE}/{path}'" for path in (CODE_ZIP, *(f"{WORDS_DIR}/{f}" for f in WORD_FILES))
        ),
    }


def render(text: str, checked: dict[str, str]) -> str:
    """``text`` with every ``{{name}}`` replaced by its checked value.

    Raises:
        KeyError: a mark with no value (a template out of step with ``values``).
    """
    return _MARK.sub(lambda m: checked[m.group(1)], text)


def deploy_files(settings: Settings) -> list[DeployFile]:
    """Every deploy file, in order, rendered for ``settings``.

    Raises:
        ConfigError: a model name or warehouse that cannot be written into SQL.
    """
    checked = values(settings)
    folder = files("cdt").joinpath("sql", "deploy")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql"):
            continue
        text = render(entry.read_text(encoding="utf-8"), checked)
        out.append(DeployFile(entry.name, text, tuple(split_statements(text))))
    return out
