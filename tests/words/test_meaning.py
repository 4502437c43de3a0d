"""The meaning gate against its labelled corpus: the stored thresholds are the ones the corpus
gives (nothing set by hand), and what the gate shows is mostly what a reader would show."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest

from cdt.llm.embed import SentenceTransformerEmbedder
from cdt.voices import fit
from cdt.voices.meaning import MeaningGate, stored_model
from tests.paths import DATA

CORPUS = DATA / "words_corpus.jsonl"
#: The corpus and three held-out sets, each scored once, then added to the tuning texts. Each
#: was written by another author, and the thresholds are chosen on them left out in turn.
TUNING = (CORPUS, *(DATA / f"words_heldout{v}.jsonl" for v in ("", "_v2", "_v3")))
#: Written from a brief by a helper who saw neither corpus nor code; scored once at the end.
HELD_OUT = DATA / "words_heldout_v4.jsonl"
SMOLLM2 = DATA / "words_corpus_smollm2.jsonl"
CLASSES = {"off_topic", "agent_voice", "melodrama", "tone_mismatch", "outcome_mismatch",
           "copied_numbers", "echo", "incoherent", "wrong_scenario"}  # fmt: skip


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return fit.read_corpus(CORPUS)


def test_the_corpus_covers_every_kind_outcome_and_failure_class(
    corpus: list[dict[str, Any]],
) -> None:
    assert len(corpus) >= 400
    kinds = Counter(r["kind"] for r in corpus)
    assert set(kinds) == {"quote", "reaction", "persona"} and min(kinds.values()) >= 100
    assert {r["why"] for r in corpus if r["label"] == 0} == CLASSES
    assert len({r["outcome"] for r in corpus if r["outcome"]}) == 7
    assert 0.3 < sum(r["label"] for r in corpus) / len(corpus) < 0.7


def test_the_stored_thresholds_are_the_corpus_fit(
    embedder: SentenceTransformerEmbedder, corpus: list[dict[str, Any]]
) -> None:
    sets = [(p.name, fit.read_corpus(p)) for p in (*TUNING, SMOLLM2)]
    refit = fit.fit(embedder, sets, train_only=(SMOLLM2.name,))
    stored = stored_model()
    assert refit.keep == stored.keep
    for name, value in refit.thresholds.items():
        assert value == pytest.approx(stored.thresholds[name], abs=1e-5), name
    assert stored.fitted_on == refit.fitted_on
    assert refit.reader is not None and stored.reader is not None
    assert refit.reader.thresholds == stored.reader.thresholds
    assert np.allclose(refit.reader.coef, stored.reader.coef, atol=1e-5)
    left_out = stored.fitted_on["left_out_one_set_at_a_time"]
    for kind, threshold in stored.reader.thresholds.items():  # a kind shown reached the target
        assert threshold is None or left_out[kind]["precision"] >= 0.95, kind


def test_what_the_gate_shows_is_mostly_sensible(
    embedder: SentenceTransformerEmbedder, corpus: list[dict[str, Any]]
) -> None:
    scores = fit.score(MeaningGate(embedder), fit.read_corpus(HELD_OUT))
    # Measured once on texts it never saw: 89.7% precision (35 of 39 shown), 29% recall; the
    # gate before this fit scored 88.9% and 67% on the same texts. 95.4% precision on the
    # tuning sets left out in turn. The target is 95% on unseen texts: not reached, which is
    # why the bundled model's voices come from data.
    assert scores["all"]["precision"] >= 0.85 and scores["all"]["recall"] >= 0.25
    for kind in ("quote", "reaction", "persona"):
        assert scores[kind]["precision"] >= 0.8, kind


def test_the_bundled_models_voices_rarely_make_sense_so_data_writes_them() -> None:
    rows = fit.read_corpus(SMOLLM2)
    sensible = sum(r["label"] for r in rows)
    assert len(rows) >= 400 and sensible / len(rows) < 0.02  # 2 of 466, labelled by a reader


def test_every_check_names_why_a_text_failed(embedder: SentenceTransformerEmbedder) -> None:
    gate = MeaningGate(embedder)
    rows = fit.read_corpus(CORPUS)[:60]
    judged = gate.judge(fit.items_of(rows))
    failed = [j for j in judged if not j.ok]
    assert failed and all(j.reason and j.failed for j in failed)
    assert np.all([j.reason is None for j in judged if j.ok])


def test_a_kind_the_gate_cannot_vouch_for_is_never_shown_and_personas_come_from_data(
    embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from cdt.config import Settings
    from cdt.voices import meaning, writer
    from cdt.voices.signals import Item

    stored = stored_model()
    assert stored.reader is not None
    thresholds = {**stored.reader.thresholds, "quote": None, "persona": None}
    model = replace(stored, reader=replace(stored.reader, thresholds=thresholds))
    text = "Five bucks more for Powder stings, but the coverage is worth it, so I'm keeping it."
    items = [Item(text, kind, "Powder goes up $5 a month", "accepted")
             for kind in ("quote", "reaction")]  # fmt: skip
    quote, reaction = MeaningGate(embedder, model).judge(items)
    assert not quote.ok and "unvouched" in quote.failed
    assert "unvouched" not in reaction.failed
    # the writer asks no LLM for persona prose the gate would always replace
    settings = Settings.model_validate({"llm": {"provider": "ollama"}, "voices": {"writer": "llm"}})
    assert writer.persona_writer(settings).startswith("ollama/")
    monkeypatch.setattr(meaning, "stored_model", lambda: model)
    assert writer.persona_writer(settings) == "data"
