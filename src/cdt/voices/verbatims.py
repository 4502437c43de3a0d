"""A segment's real customer words: the first fallback for a voice the LLM could not write
twice. Verbatims come from RAW.SUPPORT_INTERACTIONS (voice_verbatims.sql). For a voice, only
contacts about what the scenario is about, whose topic and sentiment fit the outcome, are
candidates; they are ranked by embedding similarity to the scenario, and the best one that
passes the meaning gate for this scenario and outcome is used."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cdt.backends.base import Backend
from cdt.errors import BackendError
from cdt.llm.embed import Embedder
from cdt.scenario import Scenario
from cdt.scenario.kinds import is_instruction
from cdt.scenario.numbers import amounts, words_to_digits
from cdt.scenario.rivals import competitor
from cdt.sqlfiles import read_sql

# Which support contacts can speak for an outcome: a contact about that kind of thing. A
# customer who quietly accepts or ignores a message never calls about it, so no verbatim
# speaks for them (their voice falls back to data).
OUTCOME_TOPICS: dict[str, frozenset[str]] = {
    "complained": frozenset({"Price Increase", "Unexpected Fee", "Network Coverage",
                             "Data Throttling", "Customer Service", "Outage"}),
    "threatened_churn": frozenset({"Competitor Offer", "Too Expensive", "Price Increase",
                                   "Network Coverage"}),
    "churned": frozenset({"Port Out Request", "Competitor Offer", "Too Expensive"}),
    "downgraded": frozenset({"Downgrade Plan", "Too Expensive"}),
    "upgraded": frozenset({"Upgrade Plan", "Upgrade Eligibility", "International Pass",
                           "Add a Line"}),
    "accepted": frozenset(),
    "ignored": frozenset(),
}  # fmt: skip
_PRICE = frozenset({"Price Increase", "Too Expensive", "Competitor Offer", "Port Out Request",
                    "Downgrade Plan", "Upgrade Plan"})  # fmt: skip
# Which contacts are about what a kind of scenario is about.
KIND_TOPICS: dict[str, frozenset[str]] = {
    "price_change": _PRICE,
    "price_change_value_add": _PRICE,
    "retention_offer": _PRICE,
    "fee": frozenset({"Unexpected Fee", "Too Expensive", "Competitor Offer", "Port Out Request"}),
    "competitor_offer": frozenset({"Competitor Offer", "Port Out Request", "Too Expensive"}),
    "service_credit": frozenset({"Outage", "Network Coverage", "Competitor Offer",
                                 "Port Out Request"}),
    "policy_change": frozenset({"Data Throttling", "Customer Service", "Port Out Request",
                                "Downgrade Plan", "Competitor Offer"}),
    "new_plan": frozenset({"Upgrade Plan", "Upgrade Eligibility", "Port Out Request"}),
    "upgrade_offer": frozenset({"Upgrade Plan", "Upgrade Eligibility", "Port Out Request"}),
    "loyalty_reward": frozenset({"Upgrade Plan", "Upgrade Eligibility", "Port Out Request"}),
    "add_on_bundle": frozenset({"International Pass", "Add a Line", "Upgrade Plan"}),
}  # fmt: skip
# The sentiment a contact must have to voice an outcome.
SENTIMENT: dict[str, tuple[float, float]] = {
    "complained": (-1.0, -0.2),
    "threatened_churn": (-1.0, -0.2),
    "churned": (-1.0, 0.0),
    "downgraded": (-1.0, 0.2),
    "upgraded": (0.0, 1.0),
}


@dataclass(frozen=True)
class Verbatim:
    text: str
    subcategory: str
    sentiment: float


def read(backend: Backend, segments: Sequence[str]) -> dict[str, list[Verbatim]]:
    """Each segment's verbatims, one most negative and one most positive per subcategory
    (none when the table cannot be read). A verbatim that reads as an instruction to a model
    is data, never a quote, and is left out."""
    out: dict[str, list[Verbatim]] = {s: [] for s in segments}
    try:
        rows = backend.query(read_sql("voice_verbatims", backend.dialect)).to_pylist()
    except BackendError:
        return out
    for row in rows:
        text = str(row["customer_verbatim"] or "").strip()
        if row["segment_id"] in out and text and not is_instruction(text):
            out[row["segment_id"]].append(
                Verbatim(text, str(row["subcategory"]), float(row["sentiment"] or 0.0))
            )
    return out


def candidates(verbatims: Sequence[Verbatim], outcome: str, scenario: Scenario) -> list[Verbatim]:
    """The verbatims about what ``scenario`` is about whose topic and sentiment fit
    ``outcome`` (a contact about a price rise never speaks for a price cut)."""
    kind = str(getattr(scenario.kind, "value", scenario.kind))
    topics = OUTCOME_TOPICS[outcome] & KIND_TOPICS.get(kind, frozenset())
    if (scenario.price_delta or 0) < 0 or (scenario.price_delta_pct or 0) < 0:
        topics = topics - {"Price Increase"}
    low, high = SENTIMENT.get(outcome, (-1.0, 1.0))
    return [
        v
        for v in verbatims
        if v.subcategory in topics
        and low <= v.sentiment <= high
        and not is_instruction(v.text)
        and not elsewhere(v.text, scenario)
        and (outcome not in _LEAVING_OUTCOMES or _LEAVING.search(v.text))
    ]


#: a customer who threatens to leave, or leaves, says so: words that only grumble ("the bill
#: is too high now, kinda annoying") speak for a complaint, not for leaving
_LEAVING_OUTCOMES = ("threatened_churn", "churned")
_LEAVING = re.compile(
    r"\b(?:leav\w*|switch\w*|cancel\w*|port\w*|quit\w*|done with|go(?:ing)? elsewhere|other "
    r"carriers?|another carrier|look(?:ing)? (?:at|around|elsewhere)|take my business|walk away|"
    r"close my account|moving to|move to)\b",
    re.IGNORECASE,
)


def elsewhere(text: str, scenario: Scenario) -> bool:
    """Whether a customer's words are about another event than ``scenario``: they name a
    competitor the scenario does not ("T-Mobile will give me $200" under our price rise), or
    a dollar amount the scenario has nowhere."""
    rival = competitor(text)
    if rival and (not scenario.competitor or rival.lower() != scenario.competitor.lower()):
        return True
    known = {round(abs(v), 2) for v in _amounts_of(scenario)}
    said = {round(a.value, 2) for a in amounts(words_to_digits(text)) if a.unit == "$"}
    return bool(said - known)


def _amounts_of(scenario: Scenario) -> list[float]:
    values = [
        scenario.offer_value, scenario.competitor_price, scenario.competitor_credit,
        scenario.new_plan_price, scenario.intro_price, scenario.value_add_worth,
    ]  # fmt: skip
    for change in scenario.price_changes():
        values += [change.price_delta, change.price_from, change.price_to]
    return [float(v) for v in values if v is not None]


def ranked(embedder: Embedder, verbatims: Sequence[Verbatim], query: np.ndarray) -> list[str]:
    """The texts of ``verbatims``, most similar to ``query`` first."""
    if not verbatims:
        return []
    vectors = embedder.embed([v.text for v in verbatims])
    order = np.argsort(-(vectors @ query), kind="stable")
    return [verbatims[int(i)].text for i in order]
