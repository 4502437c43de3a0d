"""LLM and embedding providers (see DESIGN.md: words come from the LLM, numbers from data).

``make_llm`` and ``make_embedder`` turn settings into a provider; ``auto`` means Ollama when a
server answers and has the model, else the embedded llama.cpp model (LLM), and Cortex on
Snowflake, else the bundled all-MiniLM-L6-v2 (embedder).
"""

from __future__ import annotations

from typing import Literal

from cdt.backends.base import Backend
from cdt.config import Settings
from cdt.errors import LLMError
from cdt.llm import locate
from cdt.llm.base import LLM
from cdt.llm.embed import Embedder

Purpose = Literal["persona", "reaction"]


def resolve_llm_provider(settings: Settings) -> tuple[str, str]:
    """The provider ``auto`` stands for, and why."""
    llm = settings.llm
    if llm.provider != "auto":
        return llm.provider, "set explicitly"
    status = locate.ollama_status(llm.ollama_host, llm.ollama_model)
    if status.answered and status.has_model:
        return "ollama", f"auto: Ollama at {llm.ollama_host} has {llm.ollama_model}"
    why = (
        "no Ollama server answered" if not status.answered else (f"Ollama lacks {llm.ollama_model}")
    )
    return "llamacpp", f"auto: {why}, using the embedded model"


def resolve_embedder(settings: Settings) -> str:
    """The embedder ``auto`` stands for: Cortex on Snowflake, the bundled model elsewhere."""
    if settings.embedder.provider != "auto":
        return settings.embedder.provider
    return "cortex" if settings.backend == "snowflake" else "sentence-transformers"


_EMBEDDED: dict[str, LLM] = {}


def make_llm(
    settings: Settings, backend: Backend | None = None, *, purpose: Purpose = "reaction"
) -> LLM:
    """The configured LLM. The embedded model is loaded once per process and reused.

    Raises:
        LLMError: the provider cannot be used (e.g. Cortex without a Snowflake backend).
    """
    provider, _ = resolve_llm_provider(settings)
    llm = settings.llm
    if provider == "llamacpp":
        from cdt.llm.llamacpp import LlamaCppLLM

        key = f"{llm.gguf_path or 'bundled'}|{llm.threads}"
        if key not in _EMBEDDED:
            _EMBEDDED[key] = LlamaCppLLM(llm.gguf_path, n_threads=llm.threads)
        return _EMBEDDED[key]
    if provider == "ollama":
        from cdt.llm.ollama import OllamaLLM

        return OllamaLLM(llm.ollama_model, host=llm.ollama_host, timeout=llm.timeout_s)
    if provider == "openai":
        from cdt.llm.openai import OpenAICompatLLM

        return OpenAICompatLLM(
            llm.openai_model,
            base_url=llm.openai_base_url,
            api_key=llm.openai_api_key,
            timeout=llm.timeout_s,
        )
    from cdt.llm.cortex import CortexLLM

    if backend is None:
        raise LLMError(
            "Cortex needs the Snowflake backend's connection", fix="use --backend snowflake"
        )
    model = llm.cortex_persona_model if purpose == "persona" else llm.cortex_reaction_model
    return CortexLLM(backend, model, functions=llm.cortex_functions)


_EMBEDDERS: dict[str, Embedder] = {}


def make_embedder(settings: Settings, backend: Backend | None = None) -> Embedder:
    """The configured embedder (the bundled one is loaded once per process)."""
    provider = resolve_embedder(settings)
    if provider == "sentence-transformers":
        from cdt.llm.embed import SentenceTransformerEmbedder

        if provider not in _EMBEDDERS:
            _EMBEDDERS[provider] = SentenceTransformerEmbedder()
        return _EMBEDDERS[provider]
    from cdt.llm.embed import CortexEmbedder

    if backend is None:
        raise LLMError(
            "Cortex embeddings need the Snowflake backend's connection",
            fix="use --backend snowflake or --embedder sentence-transformers",
        )
    return CortexEmbedder(
        backend, settings.embedder.cortex_model, functions=settings.llm.cortex_functions
    )
