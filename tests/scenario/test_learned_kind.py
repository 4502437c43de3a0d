"""The learned second reading of a scenario's kind: fitted on the corpus as it stands, read in
numpy exactly as scikit-learn reads it, and taken over the word rules only where it is sure and
the rules' own evidence does not stand against it."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from cdt.scenario import parse
from cdt.scenario.learned import (
    RIVAL_THRESHOLD,
    SETTINGS,
    THRESHOLD,
    KindModel,
    fit,
    labelled,
    model,
    second_reading,
    vectorizers,
)
from cdt.scenario.vocab import Kind
from tests.paths import DATA

CORPUS = DATA / "scenario_corpus.jsonl"


def test_the_shipped_weights_are_fitted_on_the_corpus_as_it_stands() -> None:
    from importlib.resources import files

    pairs = labelled(CORPUS)
    digest = hashlib.sha256("\n".join(f"{t}\t{k}" for t, k in pairs).encode()).hexdigest()
    with (files("cdt.scenario") / "data" / "kind_model.npz").open("rb") as handle:
        stored = str(np.load(handle, allow_pickle=False)["corpus_sha256"])
    assert stored == digest, "the corpus changed since the kind model was fitted: make kinds"


def test_the_numpy_reading_mirrors_scikit_learn() -> None:
    """Probabilities computed from the stored arrays equal scikit-learn's predict_proba."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pairs = labelled(CORPUS)[::4]  # a quarter keeps the test quick; the arithmetic is the same
    arrays = fit(pairs)
    ours = KindModel(
        {str(t): i for i, t in enumerate(arrays["terms"])},
        arrays["idf"],
        {str(t): i for i, t in enumerate(arrays["runs"])},
        arrays["run_idf"],
        arrays["coef"],
        arrays["intercept"],
        tuple(Kind(str(k)) for k in arrays["kinds"]),
    )
    theirs = make_pipeline(vectorizers(), LogisticRegression(C=SETTINGS["C"], max_iter=5000))
    theirs.fit([t for t, _ in pairs], [k for _, k in pairs])
    texts = [t for t, _ in labelled(CORPUS)[1::37]] + [
        "",
        "zzz qqq",
        "a I",  # words shorter than a letter run
        "Glacier Glacier Glacier goes up up $5",
        "T-Mobile pays $800 to switch;\twe answer  with $10 off Summit",
        "Café crème: l'offre à 5 € — ÉTÉ",
    ]
    expected = theirs.predict_proba(texts)
    for text, row in zip(texts, expected, strict=True):
        got = ours.probabilities(text)
        assert [got[Kind(str(k))] for k in theirs.classes_] == pytest.approx(row, abs=1e-5)


def test_a_sure_learned_kind_is_taken_and_said_with_the_set_that_restores_the_rules() -> None:
    rise = "Glacier goes up $5 a month starting in March."
    assert model().guess(rise)[0] == Kind.PRICE_CHANGE and model().guess(rise)[1] >= THRESHOLD
    kind, said = second_reading(rise, Kind.OTHER, rival=False, launched=False)
    assert kind == Kind.PRICE_CHANGE
    assert said and "where the word rules read nothing to simulate" in said[0]
    assert said[0].endswith("correct it with --set kind=other")
    assert second_reading(rise, Kind.PRICE_CHANGE, rival=False, launched=False) == (
        Kind.PRICE_CHANGE, [])  # fmt: skip


def test_the_rules_evidence_for_an_outage_a_rule_or_a_value_add_stands() -> None:
    """An outage, a rule or something said to come with the change, as the rules read them,
    stand against the model; and the model's rival or launch needs one the rules found, its
    price change an amount."""
    rise = "Glacier goes up $5 a month starting in March."
    for kind in (Kind.PRICE_CHANGE_VALUE_ADD, Kind.POLICY_CHANGE, Kind.SERVICE_CREDIT):
        assert second_reading(rise, kind, rival=True, launched=False) == (kind, [])
    # a price change needs an amount the rules found: no change of no size
    assert second_reading(rise, Kind.LOYALTY_REWARD, rival=False, launched=False, sized=False) == (
        Kind.LOYALTY_REWARD, [])  # fmt: skip
    rival = "T-Mobile is now paying $800 per line to switch, and its unlimited plan is $60."
    assert model().guess(rival)[0] == Kind.COMPETITOR_OFFER
    assert second_reading(rival, Kind.OTHER, rival=False, launched=False) == (Kind.OTHER, [])
    assert second_reading(rival, Kind.OTHER, rival=True, launched=False)[0] == (
        Kind.COMPETITOR_OFFER)  # fmt: skip


def test_the_parse_carries_the_learned_kind_and_its_fields(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the word rules read a bare price change (as they once read this wording) and the
    model a reward, the reading takes the reward, with its worth and months, and says so."""
    from cdt.scenario import kinds

    text = "A thank-you for our Flurry customers: 20% off your bill for a year."
    monkeypatch.setattr(kinds, "kind", lambda *_: Kind.PRICE_CHANGE)
    read = parse(text)
    assert read.kind == Kind.LOYALTY_REWARD
    assert read.offer_months == 12 and read.price_delta is None and read.plans == ["Flurry"]
    said = next(w for w in read.warnings if "by the learned reader" in w)
    assert said.startswith("read as a loyalty reward by the learned reader (")
    assert said.endswith("where the word rules read a price change: if that is wrong, correct "
                         "it with --set kind=price_change")  # fmt: skip


def test_a_rival_the_rules_read_stands_unless_the_model_is_very_sure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rival named as the reason for our own move: the rules read a competitor's offer, and
    the model, sure of our price change, overturns it; where it is less sure, the rival stands."""
    reason = ("Verizon raised its prices twice this year, so Blizzard goes up $6 to $81 a month "
              "from the June bill.")  # fmt: skip
    learned, sure = model().guess(reason)
    assert learned == Kind.PRICE_CHANGE and sure >= RIVAL_THRESHOLD
    kind, said = second_reading(reason, Kind.COMPETITOR_OFFER, rival=True, launched=False)
    assert kind == Kind.PRICE_CHANGE and "--set kind=competitor_offer" in said[0]
    assert parse(reason).kind == Kind.PRICE_CHANGE and parse(reason).price_delta == 6

    class Unsure:  # the model's price change, sure enough for any other kind but not a rival's
        def guess(self, _text: str) -> tuple[Kind, float]:
            return Kind.PRICE_CHANGE, (THRESHOLD + RIVAL_THRESHOLD) / 2

    from cdt.scenario import learned

    monkeypatch.setattr(learned, "model", Unsure)
    assert second_reading(reason, Kind.COMPETITOR_OFFER, rival=True, launched=False) == (
        Kind.COMPETITOR_OFFER, [])  # fmt: skip
    assert second_reading(reason, Kind.OTHER, rival=True, launched=False)[0] == Kind.PRICE_CHANGE
