"""The stored response model compiled to one SQL query that scores a scenario in the warehouse:
each segment's outcome shares over today's customers, with no customer row leaving it.

The query mirrors ``logit.design`` term by term (tests/model/test_score_sql.py holds it to
``predict`` at 1e-9 on DuckDB). It is built only from the model's numbers (as float literals)
and from names the model was fitted on, each checked against NAME; everything the scenario
says (campaign type, the change in dollars or percent, value-add, channel weights, plans, the
audience) goes in as bind parameters. The same text runs on DuckDB and Snowflake.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from cdt.backends.base import Backend
from cdt.calibrate import logit
from cdt.calibrate.cells import bands_sql
from cdt.calibrate.predict import Inputs, channel_mix
from cdt.calibrate.response import ResponseModel, scorer_of
from cdt.scenario.filters import EVERYONE, Filters
from cdt.scenario.vocab import PLANS
from cdt.sqlfiles import read_sql

#: A name the model was fitted on (segment, plan, campaign type, channel) that may appear in
#: the query as a literal: letters, digits, spaces and a few signs, never a quote.
#: rows of per-plan changes the scorer binds (several price changes): at least as many as the
#: plans a scenario may name, so the statement's shape never depends on the scenario
BY_PLAN_ROWS = len(PLANS)
NAME = re.compile(r"^[A-Za-z0-9 _&./+-]{1,80}$")


def _name(value: str) -> str:
    if not NAME.fullmatch(value):
        raise ValueError(f"{value!r} cannot be written into SQL as a name")
    return f"'{value}'"


def _number(value: float) -> str:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return f"{number:.17e}"  # an exponent makes it a DOUBLE (FLOAT) literal in both dialects


def _lookup(pairs: Sequence[tuple[str, float]]) -> str | None:
    """``CASE WHEN condition THEN coefficient ... ELSE 0 END`` over mutually exclusive
    conditions, leaving out zero coefficients (None when all are zero)."""
    kept = [(c, w) for c, w in pairs if w != 0.0]
    if not kept:
        return None
    whens = " ".join(f"WHEN {c} THEN {_number(w)}" for c, w in kept)
    return f"CASE {whens} ELSE 0.0 END"


class _Columns:
    """Walks the design's columns in ``logit.feature_names`` order."""

    def __init__(self, coef: np.ndarray) -> None:
        self.coef = coef
        self.at = 0

    def take(self, count: int) -> np.ndarray:
        block = self.coef[self.at : self.at + count]
        self.at += count
        return block


def _logits(vocab: logit.Vocabulary, coef: np.ndarray, outcome: int) -> tuple[str, list[str]]:
    """The base logit of ``outcome`` (every term but the channel's) and, per channel of the
    vocabulary, that channel's coefficient times ``l.offer``."""
    w = _Columns(coef[:, outcome])
    seg = [f"x.segment_id = {_name(s)}" for s in vocab.segments]
    types = [f"x.campaign_type = {_name(t)}" for t in vocab.types]
    plans = [f"x.plan_name = {_name(p)}" for p in vocab.plans]
    tenure = [f"x.tenure_band = {b}" for b in range(logit.TENURE_BANDS)]
    risk = [f"x.band = {b}" for b in range(len(vocab.bands))]
    terms: list[str | None] = [_number(w.take(1)[0])]
    terms.append(_lookup(list(zip(seg, w.take(len(seg)), strict=True))))
    terms.append(_lookup(list(zip(types, w.take(len(types)), strict=True))))
    pairs = [f"{t} AND {s}" for t in types for s in seg]
    terms.append(_lookup(list(zip(pairs, w.take(len(pairs)), strict=True))))
    terms.append(_lookup(list(zip(plans, w.take(len(plans)), strict=True))))
    notice_plan = [f"x.campaign_type = {_name(logit.NOTICE)} AND {p}" for p in plans]
    terms.append(_lookup(list(zip(notice_plan, w.take(len(notice_plan)), strict=True))))
    terms.append(_lookup(list(zip(tenure, w.take(len(tenure)), strict=True))))
    terms.append(_lookup(list(zip(risk, w.take(len(risk)), strict=True))))
    delta, cut, value_add = w.take(3)
    terms += [f"x.delta * {_number(delta)}", f"x.cut * {_number(cut)}"]
    terms.append(f"x.value_add * {_number(value_add)}")

    def scaled(factor: str, conditions: list[str]) -> str | None:
        found = _lookup(list(zip(conditions, w.take(len(conditions)), strict=True)))
        return None if found is None else f"{factor} * ({found})"

    seg_risk = [f"{s} AND {r}" for s in seg for r in risk]
    terms.append(scaled("x.delta", seg))
    terms.append(scaled("x.delta", risk))
    terms.append(scaled("x.delta", tenure))
    terms.append(scaled("x.delta", seg_risk))
    terms.append(scaled("x.delta", [f"{s} AND {p}" for s in seg for p in plans]))
    terms.append(scaled("x.value_add", seg))
    terms.append(scaled("x.value_add", risk))
    terms.append(scaled("x.value_add", seg_risk))
    offers = [t for t in vocab.types if t != logit.NOTICE]
    worth = w.take(len(offers))
    terms.append(
        _lookup(
            [
                (f"x.campaign_type = {_name(t)}", c / vocab.value_scale.get(t, 1.0))
                for t, c in zip(offers, worth, strict=True)
            ]
        )
    )
    if terms[-1] is not None:
        terms[-1] = f"x.value * ({terms[-1]})"
    channels = [f"l.offer * {_number(c)}" for c in w.take(len(vocab.channels))]
    if w.at != len(coef):
        raise AssertionError("the SQL scorer lost step with logit.design's columns")
    return " + ".join(t for t in terms if t is not None), channels


def scoring_sql(backend: Backend, model: ResponseModel) -> str:
    """The query that scores a scenario for ``model``: binds are the audience's
    (``Filters.binds``), then ``scenario_binds``. One row per reached segment: customers, one
    ``share_<outcome>`` column per outcome, expected_churners and revenue_at_risk (the monthly
    revenue of the expected churners)."""
    vocab = model.logit.vocab
    outcomes = logit.OUTCOMES
    blocks = [*vocab.channels, None]  # None: a channel the model never saw (no channel term)
    base = []
    per_channel: list[list[str]] = [[] for _ in blocks]
    for k in range(len(outcomes)):
        logit_k, channels = _logits(vocab, model.logit.coef, k)
        base.append(f"{logit_k} AS l{k}")
        for b, term in enumerate(channels):
            per_channel[b].append(term)
    weights = ", ".join(f"CAST(? AS DOUBLE) AS w{b}" for b in range(len(blocks)))
    probabilities = []
    for k in range(len(outcomes)):
        mixed = []
        for b, block in enumerate(blocks):
            logits = [
                f"(l.l{j} + {per_channel[b][j]})" if block is not None else f"l.l{j}"
                for j in range(len(outcomes))
            ]
            top = f"GREATEST({', '.join(logits)})"
            total = " + ".join(f"EXP({lj} - {top})" for lj in logits)
            mixed.append(f"s.w{b} * EXP({logits[k]} - {top}) / ({total})")
        probabilities.append(f"({' + '.join(mixed)}) AS p{k}")
    churned = outcomes.index("churned")
    shares = ",\n    ".join(
        f"SUM(l.customers * l.p{k}) / SUM(l.customers) AS share_{name}"
        for k, name in enumerate(outcomes)
    )
    by_plan = "\n    UNION ALL ".join(
        ["SELECT CAST(? AS VARCHAR) AS plan_name, CAST(? AS DOUBLE) AS value, "
         "CAST(? AS DOUBLE) AS delta_pct"] * BY_PLAN_ROWS
    )  # fmt: skip
    return f"""WITH audience AS ({read_sql("audience", backend.dialect)}),
bands AS ({bands_sql(backend, scorer_of(model))}),
population AS ({read_sql("response_population", backend.dialect)}),
s AS (
    SELECT CAST(? AS VARCHAR) AS campaign_type, CAST(? AS DOUBLE) AS value,
        CAST(? AS DOUBLE) AS delta_pct, CAST(? AS DOUBLE) AS value_add,
        CAST(? AS VARCHAR) AS plans, {weights}
),
c AS (
    {by_plan}
),
v AS (
    SELECT p.segment_id, p.plan_name, p.tenure_band, p.customers, p.arpu_total,
        p.risk_band + {logit.RISK_BANDS} * p.sensitivity_band AS band, s.campaign_type,
        CASE WHEN s.campaign_type = {_name(logit.NOTICE)} THEN 1.0 ELSE 0.0 END AS notice,
        CASE WHEN c.delta_pct IS NOT NULL THEN CAST(p.plan_price AS DOUBLE) * c.delta_pct / 100
            WHEN c.value IS NOT NULL THEN c.value
            WHEN s.delta_pct IS NOT NULL THEN CAST(p.plan_price AS DOUBLE) * s.delta_pct / 100
            ELSE s.value END AS value,
        s.value_add AS asked_value_add
    FROM population p
    CROSS JOIN s
    LEFT JOIN c ON c.plan_name = p.plan_name
    WHERE s.plans = '' OR POSITION('|' || p.plan_name || '|' IN s.plans) > 0
),
x AS (
    SELECT v.*, v.notice * v.value / {_number(logit.DELTA_SCALE)} AS delta,
        GREATEST(-(v.notice * v.value / {_number(logit.DELTA_SCALE)}), 0.0) AS cut,
        v.notice * v.asked_value_add AS value_add, 1.0 - v.notice AS offer
    FROM v
),
l AS (
    SELECT x.segment_id, x.customers, x.arpu_total, x.offer, {", ".join(base)} FROM x
),
q AS (
    SELECT l.segment_id, l.customers, l.arpu_total, {", ".join(probabilities)}
    FROM l CROSS JOIN s
)
SELECT l.segment_id, SUM(l.customers) AS customers,
    {shares},
    SUM(l.customers * l.p{churned}) AS expected_churners,
    SUM(l.arpu_total * l.p{churned}) AS revenue_at_risk,
    SUM(l.arpu_total) AS reached_revenue
FROM q l
GROUP BY l.segment_id
ORDER BY l.segment_id"""  # noqa: S608 (numbers and names checked by NAME)


def scenario_binds(model: ResponseModel, inputs: Inputs) -> list[Any]:
    """The scenario's values for ``scoring_sql``, in its order (after the audience's)."""
    vocab = model.logit.vocab
    known = model.facts.get(inputs.campaign_type) or {"value_typical": 0.0}
    if inputs.campaign_type == logit.NOTICE:
        value = float(inputs.delta or 0.0)
        pct = inputs.delta_pct
    else:
        worth = inputs.offer_value
        value = float(worth if worth is not None else known["value_typical"])
        pct = None
    mix = channel_mix(model, inputs)
    weights = [float(mix.get(c, 0.0)) for c in vocab.channels]
    weights.append(float(sum(w for c, w in mix.items() if c not in vocab.channels)))
    plans = "|" + "|".join(inputs.plans) + "|" if inputs.plans else ""
    if len(inputs.by_plan) > BY_PLAN_ROWS:
        raise ValueError(f"{len(inputs.by_plan)} changed plans; the scorer takes {BY_PLAN_ROWS}")
    rows = [list(row) for row in inputs.by_plan]
    rows += [[None, None, None]] * (BY_PLAN_ROWS - len(rows))
    return [
        inputs.campaign_type,
        value,
        pct,
        1.0 if inputs.value_add else 0.0,
        plans,
        *weights,
        *(v for row in rows for v in row),
    ]


def shares_in_sql(
    backend: Backend, model: ResponseModel, inputs: Inputs, audience: Filters = EVERYONE
) -> dict[str, dict[str, Any]]:
    """Each reached segment's customers and outcome shares, scored in the warehouse."""
    rows = backend.query(
        scoring_sql(backend, model), [*audience.binds(), *scenario_binds(model, inputs)]
    ).to_pylist()
    return {
        str(row["segment_id"]): {
            "customers": float(row["customers"]),
            "shares": {k: float(row[f"share_{k}"]) for k in logit.OUTCOMES},
            "churners": float(row["expected_churners"]),
            "revenue_at_risk": float(row["revenue_at_risk"]),
            "reached_revenue": float(row["reached_revenue"]),
        }
        for row in rows
    }
