"""The embedded model and the bundled embedder, run for real (no mocks)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from pydantic import BaseModel, Field

from cdt import api
from cdt.config import Settings, load_settings
from cdt.errors import LLMError
from cdt.llm import make_embedder, make_llm
from cdt.llm.base import Message
from cdt.llm.client import LLMClient
from cdt.llm.embed import MINILM_ID, cosine_similarity, ensure_same_model
from cdt.llm.llamacpp import LlamaCppLLM


class Reaction(BaseModel):
    initial_reaction: str = Field(max_length=160)
    sentiment_score: float
    likely_action: Literal["ACCEPT", "IGNORE", "COMPLAIN", "CHURN"]


@pytest.fixture(scope="module")
def embedded() -> LlamaCppLLM:
    llm = make_llm(load_settings({"llm.provider": "llamacpp"}, env={}))
    assert isinstance(llm, LlamaCppLLM)
    return llm


def test_embedded_model_returns_schema_valid_json(
    embedded: LlamaCppLLM, isolated_home: object
) -> None:
    settings = Settings()
    api.init(settings)
    with api.connect(settings) as backend:
        client = LLMClient(embedded, backend)
        answer = client.structured(
            [
                Message(role="system", content="You are a mobile phone customer. Reply in JSON."),
                Message(role="user", content="Your bill goes up by $5 a month. React."),
            ],
            Reaction,
            max_tokens=160,
            kind="reaction",
        )
        assert isinstance(answer.value, Reaction)
        assert answer.completion.completion_tokens > 0
        assert answer.completion.model_id == "SmolLM2-135M-Instruct.Q4_1"
        again = client.structured(
            [
                Message(role="system", content="You are a mobile phone customer. Reply in JSON."),
                Message(role="user", content="Your bill goes up by $5 a month. React."),
            ],
            Reaction,
            max_tokens=160,
            kind="reaction",
        )
        assert again.completion.cached and again.value == answer.value
        calls = backend.scalar(
            "SELECT count(*) FROM AGENTS.LLM_CALLS WHERE provider = ?", ["llamacpp"]
        )
        assert calls >= 2


def test_a_missing_gguf_is_a_clear_error(tmp_path: object) -> None:
    with pytest.raises(LLMError, match="does not exist"):
        LlamaCppLLM("/nowhere/model.gguf")


def test_bundled_embedder_is_offline_and_meaningful() -> None:
    embedder = make_embedder(load_settings(env={}))
    vectors = embedder.embed(
        [
            "My bill went up again and I am furious",
            "The price increase makes me angry",
            "The new phone camera takes great photos",
        ]
    )
    assert embedder.model_id == MINILM_ID and embedder.dim == 384
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = cosine_similarity(
        vectors[0], vectors[1:], query_model=MINILM_ID, vector_models=[MINILM_ID, MINILM_ID]
    )
    assert similarity[0] > similarity[1] + 0.2


def test_vectors_from_different_models_are_not_compared() -> None:
    with pytest.raises(LLMError, match="different models"):
        ensure_same_model(MINILM_ID, "cortex/e5-base-v2")
    with pytest.raises(LLMError, match="different models"):
        cosine_similarity(
            np.ones(3), np.ones((1, 3)), query_model=MINILM_ID, vector_models=["cortex/e5-base-v2"]
        )


def test_embedded_model_fills_a_nested_skeleton_and_uses_a_grammar_for_lists(
    embedded: LlamaCppLLM, isolated_home: object
) -> None:
    from cdt.llm.skeleton import plan

    class Quotes(BaseModel):
        happy: str = Field(min_length=1, max_length=60)
        angry: str = Field(min_length=1, max_length=60)

    class Card(BaseModel):
        name: str = Field(min_length=1, max_length=30)
        score: float
        mood: Literal["CALM", "UPSET"]
        quotes: Quotes

    class Tags(BaseModel):
        tags: list[str] = Field(max_length=3)

    assert plan(Card.model_json_schema()) is not None
    assert plan(Tags.model_json_schema()) is None
    messages = [
        Message(role="system", content="You are a mobile phone customer. Reply in JSON."),
        Message(role="user", content="Your bill goes up by $5 a month. Describe yourself."),
    ]
    settings = Settings()
    api.init(settings)
    with api.connect(settings) as backend:
        client = LLMClient(embedded, backend, use_cache=False)
        card = client.structured(messages, Card, max_tokens=200, kind="card")
        assert isinstance(card.value, Card) and card.value.quotes.angry
        # Only values are sampled: at most each string's budget plus the short scalars.
        assert 0 < card.completion.completion_tokens <= 3 * (60 // 5 + 4) + 8 + 12 + 8
        tags = client.structured(messages, Tags, max_tokens=80, kind="tags")
        assert isinstance(tags.value, Tags)


def test_the_numpy_minilm_gives_sentence_transformers_vectors() -> None:
    from pathlib import Path

    from sentence_transformers import SentenceTransformer

    from cdt.llm.locate import bundled_embedding_model
    from cdt.llm.minilm import MiniLM

    folder = Path(str(bundled_embedding_model()))
    texts = [
        "price increase $5",
        "Powder +$5/mo: 1.8% churned, 7.0% threatened",
        "Ünïcödé, emoji 📱 and CJK 价格上涨",
        "a long scenario that runs past the model's 256-token limit " * 40,
        "x",
    ]
    ours = MiniLM(folder).encode(texts, batch_size=2)  # batches with padding
    reference = SentenceTransformer(str(folder), device="cpu").encode(
        texts, normalize_embeddings=True, convert_to_numpy=True
    )
    assert ours.shape == reference.shape == (5, 384) and ours.dtype == np.float32
    assert np.abs(ours - reference).max() < 1e-5
    assert (ours * reference).sum(axis=1).min() > 0.99999


def test_embedding_a_scenario_does_not_import_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from cdt.llm.embed import SentenceTransformerEmbedder\n"
        "vector = SentenceTransformerEmbedder().embed(['price increase $5'])\n"
        "print(vector.shape, 'torch' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "False" and "(1, 384)" in done.stdout


def test_loading_the_batch_embedder_draws_no_progress_bar_of_its_own() -> None:
    import subprocess
    import sys

    code = (
        "from cdt.llm.embed import SentenceTransformerEmbedder\n"
        "print(SentenceTransformerEmbedder().embed(['a plan'] * 40).shape)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "(40, 384)" in done.stdout
    assert "Loading weights" not in done.stderr and "it/s" not in done.stderr, done.stderr


def test_a_process_that_leaves_the_embedded_model_mid_call_exits_cleanly() -> None:
    """A request's deadline passes while the in-process model is still writing (its call runs
    on a daemon thread): the process returns the timeout and then exits with 0, not a crash
    inside llama.cpp's teardown."""
    import subprocess
    import sys

    code = (
        "from cdt.llm.llamacpp import LlamaCppLLM\n"
        "from cdt.llm.base import Message, Request\n"
        "from cdt.llm.client import run_many\n"
        "llm = LlamaCppLLM(n_threads=1)\n"
        "ask = Request(messages=(Message(role='user', content='Tell a long story.'),),\n"
        "              max_tokens=400, temperature=0.7)\n"
        "(answer,) = run_many([lambda: llm.complete(ask)], parallel=False, timeout=0.5)\n"
        "print(getattr(answer, 'status', 'answered'), flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "timeout"  # it did leave the model mid-call
