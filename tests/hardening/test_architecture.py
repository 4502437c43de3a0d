"""The core never imports the UI: checked by import-linter and by a clean interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


def test_api_loads_without_the_cli_or_ui_frameworks() -> None:
    # rich is not checked here: httpx (a dependency of the Ollama client) imports it itself.
    # import-linter above proves that no cdt core module imports rich.
    code = (
        "import sys, cdt.api, cdt.doctor, cdt.backends.duckdb, cdt.backends.snowflake\n"
        "print(sorted(m for m in ('typer', 'streamlit', 'cdt.cli') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_numbers_only_sweep_loads_no_words_stack() -> None:
    code = (
        "import sys, cdt.agents.sweep, cdt.agents.sweep_points, cdt.agents.plan\n"
        "heavy = ('xllamacpp', 'torch', 'sentence_transformers', 'vaderSentiment',\n"
        "         'cdt.voices', 'cdt.personas', 'cdt.llm.llamacpp', 'cdt.llm.embed')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_core_module_is_under_the_contract() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = config["tool"]["importlinter"]["contracts"][0]
    listed = set(contract["source_modules"])
    package = ROOT / "src" / "cdt"
    modules = {
        f"cdt.{path.stem if path.is_file() else path.name}"
        for path in package.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert modules - {"cdt.cli", "cdt.app", "cdt.console"} == listed  # the UI side


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in imports.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_inside_cdt() -> None:
    # grimp reads every import statement, those inside functions and under TYPE_CHECKING too,
    # so a cycle cannot hide behind a late import.
    import grimp

    graph = grimp.build_graph("cdt")
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(imports) == [], "import cycles; break them by moving the shared part out"


def test_no_underscored_name_is_imported_across_modules() -> None:
    """A name other modules need is part of a module's face: no ``_private`` import."""
    import ast

    source = ROOT / "src" / "cdt"
    found = [
        f"{path.relative_to(source)}: {node.module}.{alias.name}"
        for path in source.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cdt")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert found == []
