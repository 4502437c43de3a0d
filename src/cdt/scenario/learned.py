"""A second reading of a scenario's kind, learned from the labelled phrasings.

The word rules (``kinds.kind``) read most announcements right, but each new register brings
wording they have no rule for. A linear model over the text's words and word pairs and the
letter runs inside its words (2 to 5 letters, so that "bundles", "bundled" and "Bundle:" share
evidence), fitted on every labelled phrasing of ``tests/data/scenario_corpus.jsonl`` (TF-IDF
and a multinomial logistic regression, scikit-learn), reads the kind from the whole text at
once. Where it
disagrees with the rules and gives its own kind at least ``THRESHOLD``, its kind is taken and a
warning says so, with the ``--set kind=`` that restores the rules' reading.

The fitted weights ship as ``data/kind_model.npz`` (vocabularies, idf, coefficients); reading a
text needs only numpy, and ``probabilities`` mirrors scikit-learn's ``predict_proba`` (tested
against it). Refit after the corpus grows: ``python -m cdt.scenario.refit`` (``make kinds``);
a test fails while the shipped weights lag the corpus.

Measured before it was adopted, forward in time: fitted only on the phrasings that existed
before each fresh set was written, it took the kind of sets 22-31 (1,500 phrasings) from
97.0% (the rules as they were when each was first scored) to 97.8% at a threshold chosen on
sets 13-21. Measured the same way on sets 87-94, a threshold of 0.5 read 84.7% of their
fields right against 84.1% at 0.7 and 81.1% with the rules alone, and replaced it. The letter
runs joined the words when, fitted only on the phrasings before sets 87-94, the model alone read
92.8% of their kinds against 90.1% on words alone; with the rules, it read 93.3% of the kinds
of the fresh sets 99-102 against 92.2% (85.5% of their fields against 84.7%).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from cdt.scenario.vocab import Kind

#: the learned kind is taken over the rules' where it is at least this sure: 0.7 was chosen on
#: the fresh sets 13-21 among 0.6-0.9 and checked on sets 22-31; 0.5 replaced it when, fitted
#: only on the phrasings written before sets 87-94 (1,200 phrasings in a harder brief), it read
#: them 84.7% field-exact against 84.1% at 0.7 (1,083 kinds right of 1,200 against 1,067)
THRESHOLD = 0.5
#: a rival's offer, as the rules read it, stands unless the model is at least this sure: 0.8
#: was chosen among 0.7-0.95 on the fresh sets 99-102 (long business writing names rivals as
#: the reason for our own move: "Verizon bundles protection ... we sell it separately. Customers
#: ... can now add device protection for $12"), where it read 87.2% of the fields right against
#: 85.5% with the rival always standing, and checked on sets 87-94 (86.7% against 86.4%)
RIVAL_THRESHOLD = 0.8
#: scikit-learn's default token pattern, lower-cased words of two or more characters
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
MODEL = "kind_model.npz"
#: the fit's settings, stored with the weights (and checked by the test that refits them)
SETTINGS: dict[str, Any] = {"ngram_range": (1, 2), "char_range": (2, 5), "min_df": 2,
                            "sublinear_tf": True, "C": 20.0}  # fmt: skip


def _terms(text: str) -> list[str]:
    words = _TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def _letters(text: str) -> list[str]:
    """The letter runs inside each word, padded with a space at its ends, as scikit-learn's
    ``char_wb`` analyzer cuts them (a word shorter than a run is counted once)."""
    low, high = SETTINGS["char_range"]
    runs: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(low, high + 1):
            runs += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
            if len(padded) <= n:
                break
    return runs


def _block(found: list[str], columns: dict[str, int], idf: np.ndarray) -> tuple[Any, Any]:
    """One TF-IDF block: the columns of the terms found and their L2-normalised weights."""
    counts = Counter(t for t in found if t in columns)
    if not counts:
        return np.zeros(0, dtype=int), np.zeros(0)
    cols = np.array([columns[t] for t in counts])
    tf = np.array([1.0 + math.log(c) for c in counts.values()]) * idf[cols]
    return cols, tf / np.linalg.norm(tf)


@dataclass(frozen=True)
class KindModel:
    """The fitted weights: each word term's column and idf, each letter run's (after the
    words' columns), and one row of weights per kind."""

    columns: dict[str, int]
    idf: np.ndarray
    runs: dict[str, int]
    run_idf: np.ndarray
    coef: np.ndarray  # kinds × (terms + runs)
    intercept: np.ndarray
    kinds: tuple[Kind, ...]

    def probabilities(self, text: str) -> dict[Kind, float]:
        """How likely each kind is for ``text`` (scikit-learn's predict_proba, in numpy)."""
        words, weights = _block(_terms(text), self.columns, self.idf)
        runs, run_weights = _block(_letters(text), self.runs, self.run_idf)
        scores = self.intercept.copy()
        scores += self.coef[:, words] @ weights
        scores += self.coef[:, runs + len(self.columns)] @ run_weights
        odds = np.exp(scores - scores.max())
        return dict(zip(self.kinds, (odds / odds.sum()).tolist(), strict=True))

    def guess(self, text: str) -> tuple[Kind, float]:
        """The likeliest kind and its probability."""
        probabilities = self.probabilities(text)
        best = max(probabilities, key=lambda k: probabilities[k])
        return best, probabilities[best]


@lru_cache(maxsize=1)
def model() -> KindModel:
    """The shipped weights (read once)."""
    with (files("cdt.scenario") / "data" / MODEL).open("rb") as handle:
        stored = np.load(handle, allow_pickle=False)
        return KindModel(
            {str(t): i for i, t in enumerate(stored["terms"])},
            stored["idf"],
            {str(t): i for i, t in enumerate(stored["runs"])},
            stored["run_idf"],
            stored["coef"],
            stored["intercept"],
            tuple(Kind(str(k)) for k in stored["kinds"]),
        )


#: a fee named, then its amount, in one clause
_FEE_SIZED = re.compile(r"\b(?:fee|surcharge|recovery charge)s?\b[^.;$]{0,40}\$", re.IGNORECASE)


def second_reading(
    text: str, kind: Kind, *, rival: bool, launched: bool, sized: bool = True
) -> tuple[Kind, list[str]]:
    """``kind`` (the rules' reading of ``text``), or the learned kind where the model gives
    it at least THRESHOLD, with a warning naming both.

    A rival named with what it does (a competitor's offer) stands unless the model is at least
    RIVAL_THRESHOLD sure: a rival is often only the reason for our own move. Three readings of
    the rules rest on evidence the model weighs poorly, and stand: an outage or disruption named
    (a service credit, never overturned rightly on sets 13-31, wrongly once on set 36), a rule's
    own words ("will require", "no longer": a policy, which the model overturned wrongly in all
    3 such disagreements on sets 13-31 and the one on set 33), and something said to come with a
    price change (a value-add, which the model took for a bare price change in 8 of 11 such
    disagreements on sets 13-31). A save offer's "$10 off" is no bare price cut either: a
    retention offer stands against a price change, and so does a launch the rules read with its
    name (a new plan's price is no change of an existing one), and a fee with its amount against
    a policy or, named before its amount, against a price change. A competitor's offer needs a
    rival the rules found (``rival``), and a new plan a launch they read (``launched``): the
    fields of those kinds come from what the rules found. A price change or a fee needs an
    amount the rules found (``sized``): without one it would be a change of no size."""
    learned, sure = model().guess(text)
    if learned == kind or sure < THRESHOLD:
        return kind, []
    if kind == Kind.COMPETITOR_OFFER and sure < RIVAL_THRESHOLD:
        return kind, []
    if kind in (Kind.POLICY_CHANGE, Kind.SERVICE_CREDIT):
        return kind, []
    launch = kind == Kind.NEW_PLAN and launched
    offered = kind in (Kind.PRICE_CHANGE_VALUE_ADD, Kind.RETENTION_OFFER) or launch
    if offered and learned == Kind.PRICE_CHANGE:
        return kind, []
    if kind == Kind.FEE and learned == Kind.POLICY_CHANGE and sized:
        return kind, []  # "charging $2 for paper bills": a rule with a price is a fee
    if kind == Kind.FEE and learned == Kind.PRICE_CHANGE and _FEE_SIZED.search(text):
        return kind, []  # "the Network Investment Surcharge on Powder rises by $1"
    if (
        (learned == Kind.COMPETITOR_OFFER and not rival)
        or (learned == Kind.NEW_PLAN and not launched)
        or (learned in (Kind.PRICE_CHANGE, Kind.FEE) and not sized)
    ):
        return kind, []
    rules = "nothing to simulate" if kind == Kind.OTHER else kind.spoken()
    return learned, [
        f"read as {learned.spoken()} by the learned reader ({sure:.0%} sure), where the word "
        f"rules read {rules}: if that is wrong, correct it with --set kind={kind.value}"
    ]


def labelled(path: Path) -> list[tuple[str, str]]:
    """The (text, kind) pairs of a labelled corpus (rows with an ``expect``)."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [(r["text"], r["expect"]["kind"]) for r in rows if "expect" in r]


def fit(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Fit the model on (text, kind) pairs: the arrays ``data/kind_model.npz`` holds."""
    from sklearn.linear_model import LogisticRegression

    vectorizer = vectorizers()
    features = vectorizer.fit_transform([t for t, _ in pairs])
    classifier = LogisticRegression(C=SETTINGS["C"], max_iter=5000)
    classifier.fit(features, [k for _, k in pairs])
    digest = hashlib.sha256("\n".join(f"{t}\t{k}" for t, k in pairs).encode()).hexdigest()
    words, runs = (v for _, v in vectorizer.transformer_list)
    return {
        "terms": np.array(words.get_feature_names_out(), dtype=str),
        "idf": words.idf_.astype(np.float64),
        "runs": np.array(runs.get_feature_names_out(), dtype=str),
        "run_idf": runs.idf_.astype(np.float64),
        "coef": classifier.coef_.astype(np.float32),  # half the size; probabilities to 1e-6
        "intercept": classifier.intercept_.astype(np.float64),
        "kinds": np.array(classifier.classes_, dtype=str),
        "corpus_sha256": np.array(digest),
    }


def vectorizers() -> Any:
    """The words' and the letter runs' TF-IDF, side by side (scikit-learn, unfitted)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    common = {"min_df": SETTINGS["min_df"], "sublinear_tf": SETTINGS["sublinear_tf"]}
    return make_union(
        TfidfVectorizer(ngram_range=SETTINGS["ngram_range"], **common),
        TfidfVectorizer(analyzer="char_wb", ngram_range=SETTINGS["char_range"], **common),
    )
