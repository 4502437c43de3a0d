"""A simulation's plan, before any LLM call: who the scenario reaches, whether its numbers are
grounded in the history, the numbers themselves, and every warning. `cdt simulate --dry-run`
shows it; a simulation runs it and then asks the personas."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cdt.agents import grounding, targeting
from cdt.backends.base import Backend
from cdt.calibrate import NO_HISTORY, Prediction, ResponseModel, population, predict
from cdt.errors import ConfigError
from cdt.scenario import Kind, Scenario, plausible
from cdt.sqlfiles import read_sql


@dataclass
class Plan:
    """What a simulation will do before any LLM call: who it reaches, how its numbers are
    grounded, the numbers themselves, and every warning."""

    scenario: Scenario
    reach: targeting.Reach
    counts: list[dict[str, Any]]
    grounding: grounding.Grounding
    predictions: dict[str, Prediction]
    warnings: list[str]
    reading: str = ""  # the reading in plain words
    doubts: list[plausible.Doubt] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.to_dict()
            | {"warnings": self.warnings, "reading": self.reading},
            "reading": self.reading,
            "doubts": [
                {"field": d.field, "reading": d.reading, "why": d.why, "confirm": d.confirm}
                for d in self.doubts
            ],
            "warnings": self.warnings,
            "affected": self.counts,
            "affected_customers": sum(r["affected"] for r in self.counts),
            "matched": self.reach.matched,
            "grounding": self.grounding.to_dict(),
        }


def plan_simulation(
    backend: Backend,
    model: ResponseModel | None,
    scenario: Scenario,
    *,
    numbers: bool = True,
    scored: bool = True,
) -> Plan:
    """Resolve ``scenario``'s audience, ground it in the history (``model``'s facts), check
    its reading against the twin's plans and prices and, with ``numbers``, predict each
    reached segment (here, unless not ``scored``: the Snowflake handler scores the same plan
    in the warehouse). Without a ``model`` (a twin with no campaign history) nothing is
    grounded: the plan says who is reached and why there are no numbers. Calls no LLM and
    writes nothing.

    Raises:
        ConfigError: with ``numbers``, a reading that is implausible (``scenario.plausible``)
            and not confirmed: it gets no numbers.
    """
    prices = plan_prices(backend)
    doubts = plausible.doubts(scenario, prices)
    said = plausible.reading(scenario, prices)
    if numbers and doubts:
        first = doubts[0]
        raise ConfigError(first.message(), fix=first.fix())
    reach = targeting.resolve(backend, scenario)
    counts = targeting.counts(backend, reach)
    grounded = (
        grounding.ground(scenario, model.facts)
        if model is not None
        else grounding.Grounding(None, f"not grounded: {NO_HISTORY}")
    )
    warnings = [*scenario.warnings, *plausible.asides(scenario, prices), *reach.warnings]
    if _AT_RISK.search(scenario.text or "") and not scenario.segments:
        warnings.append(
            "'at-risk' customers are not an audience cdt can select (there is no churn-risk "
            "filter): the figures are for every customer the scenario reaches. To aim it, name "
            "the segments (e.g. --set segments=SEG08; `cdt segments` shows each one's churn risk)"
        )
    prospects = _PROSPECTS.search(scenario.text or "")
    if prospects and scenario.kind != Kind.COMPETITOR_OFFER:  # a rival's switchers are ours
        warnings.append(
            f"'{prospects.group(0)}' are not in the twin, which holds today's customers only: "
            "the figures are for the existing customers the scenario reaches, not for people "
            "who would join"
        )
    if reach.filters.set_names() and not any(r["affected"] for r in counts):
        warnings += ["no customer matches every filter: " + w for w in
                     targeting.explain_nobody(backend, reach)]  # fmt: skip
    if not grounded.grounded:
        warnings.append(grounded.reason)
    warnings += list(grounded.notes)
    predictions: dict[str, Prediction] = {}
    if numbers and scored and grounded.inputs is not None and model is not None:
        predictions = predict(model, population(backend, model, reach.filters), grounded.inputs)
    warnings += [f"{d.message()} ({d.fix()})" for d in doubts]
    return Plan(scenario, reach, counts, grounded, predictions, list(dict.fromkeys(warnings)),
                said, doubts)  # fmt: skip


_AT_RISK = re.compile(
    r"\b(?:at[\s-]risk|high[\s-]risk|churn[\s-]risk|likely to (?:churn|leave|cancel)|"
    r"(?:about|thinking of|planning) to (?:leave|cancel|churn))\b",
    re.I,
)


#: people an offer may be aimed at who are not customers yet
_PROSPECTS = re.compile(
    r"\b(?:new (?:customers|subscribers|members)|switchers|port[\s-]?ins|prospects|"
    r"people (?:who|that) switch)\b",
    re.I,
)


def plan_prices(backend: Backend) -> dict[str, float]:
    """Each plan's median monthly price in the twin."""
    rows = backend.query(read_sql("plan_prices", backend.dialect)).to_pylist()
    return {str(r["plan_name"]): float(r["price"]) for r in rows if r["price"] is not None}
