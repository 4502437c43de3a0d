"""Who writes the words a user reads (voices and persona prose): the LLM, or the data (real
verbatims and sentences composed from data). ``[voices] writer = "auto"`` picks data with the
bundled SmolLM2-135M, whose words were measured to pass a reader and the gate almost never
(2 of 466 voices labelled sensible; 1 of 72 persona fields kept at scale 1, for 138 s of
writing), and the LLM with Ollama, Cortex or a GGUF of your own, unless the embedder is
Cortex's: the gate's thresholds belong to all-MiniLM-L6-v2, so with another embedder it would
withhold every LLM text, and the calls are not made."""

from __future__ import annotations

from typing import Literal

from cdt.config import Settings


def persona_writer(settings: Settings) -> str:
    """Who writes personas now, as recorded with them: "data", or the provider and model."""
    if writer(settings) == "data":
        return "data"
    from cdt.llm import resolve_llm_provider

    provider, _ = resolve_llm_provider(settings)
    model = {
        "llamacpp": settings.llm.gguf_path or "bundled",
        "ollama": settings.llm.ollama_model,
        "cortex": settings.llm.cortex_persona_model,
    }.get(provider, "")
    return f"{provider}/{model}"


def writer(settings: Settings) -> Literal["llm", "data"]:
    """ "llm" or "data", from ``settings.voices.writer`` and the configured LLM."""
    from cdt.llm import resolve_llm_provider

    mode = settings.voices.writer
    if mode != "auto":
        return mode
    if settings.embedder.provider == "cortex":
        return "data"
    provider, _ = resolve_llm_provider(settings)
    return "llm" if provider != "llamacpp" or settings.llm.gguf_path else "data"
