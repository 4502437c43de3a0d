"""Several price changes in one announcement: "Summit goes up $5 to $100 while Glacier drops
$3 to $32", "+$2 on Glacier, +$5 on Avalanche", "Glacier: +$2; Avalanche: +5%".

The text is cut into clauses at the words and marks that join changes (";", ",", "while",
"and", "whereas", "but", new lines, bullets); a clause that names plans but no amount joins
the next one ("Glacier and Flurry go up $2"), and one with an amount but no plan joins the
one before. When two or more clauses each name their own plans and an amount, each clause is
read as one change by the same rules as a whole announcement (``prices.price``), and a
clause with no direction word takes the one before it ("Glacier drops $2 and Avalanche $5").
Clauses with the same size on different plans are one change on all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cdt.scenario.kinds import DOWN, UP
from cdt.scenario.model import PLANS, Kind
from cdt.scenario.numbers import amounts

_JOINS = re.compile(
    r"\s*(?:;|\n|•|·|\s-\s|,(?!\d{3})\s*(?:(?:and|while|whereas|but)\b)?|\b(?:while|whereas|"
    r"but|and)\b)\s*",
    re.IGNORECASE,
)
_PLAN = re.compile(r"\b(" + "|".join(PLANS) + r")\b(?!\s+(?:Max|Plus|Lite|Pro|Ultra|Mini)\b)")
_UP = re.compile(rf"\b(?:{UP})", re.IGNORECASE)
_DOWN = re.compile(rf"\b(?:{DOWN})", re.IGNORECASE)


@dataclass
class _Clause:
    text: str
    plans: list[str] = field(default_factory=list)
    sized: bool = False


def _clauses(text: str) -> list[_Clause]:
    out: list[_Clause] = []
    for part in _JOINS.split(text):
        if not part or not part.strip():
            continue
        plans = list(dict.fromkeys(_PLAN.findall(part)))
        sized = any(a.unit in ("$", "%") for a in amounts(part))
        out.append(_Clause(part.strip(), plans, sized))
    merged: list[_Clause] = []
    waiting: list[_Clause] = []  # plans with no amount yet
    for clause in out:
        if clause.plans and not clause.sized:
            waiting.append(clause)
            continue
        if waiting and clause.sized:
            head = " and ".join(w.text for w in waiting)
            plans = list(dict.fromkeys([p for w in waiting for p in w.plans] + clause.plans))
            clause = _Clause(f"{head} {clause.text}", plans, True)
            waiting = []
        if clause.sized and not clause.plans and merged:
            last = merged[-1]
            merged[-1] = _Clause(f"{last.text}, {clause.text}", last.plans, True)
            continue
        if clause.sized:
            merged.append(clause)
    return merged


def read_changes(text: str, kind: Kind, reader: Any) -> list[dict[str, Any]] | None:
    """The changes ``text`` announces when it announces two or more on different plans (None
    otherwise). ``reader(clause, kind)`` reads one clause's size as ``prices.price`` does and
    returns its values."""
    clauses = [c for c in _clauses(text) if c.plans]
    if len(clauses) < 2:
        return None
    seen: set[str] = set()
    changes: list[dict[str, Any]] = []
    downward: bool | None = None
    cue = ""
    for clause in clauses:
        clause.text, cue = _borrowed(clause.text, cue)
        if seen & set(clause.plans):
            return None  # a plan named twice: not one change per clause
        seen |= set(clause.plans)
        values = reader(clause.text, kind)
        size = {k: values.get(k) for k in ("price_delta", "price_delta_pct", "price_from",
                                           "price_to")}  # fmt: skip
        if size["price_delta"] is None and size["price_delta_pct"] is None:
            return None
        up, down = bool(_UP.search(clause.text)), bool(_DOWN.search(clause.text))
        if not up and not down and downward:  # "Glacier drops $2 and Avalanche $5"
            for key in ("price_delta", "price_delta_pct"):
                if size[key] is not None:
                    size[key] = -abs(size[key])
        if up != down:
            downward = down
        changes.append({"plans": clause.plans, **size})
    return _joined(changes)


def _borrowed(text: str, cue: str) -> tuple[str, str]:
    """``text`` with the words that size its change (the "cue" between its plans and its first
    amount: "goes from", "rises") borrowed from the clause before when it has none ("...
    and Avalanche $5 to $145"), and the cue for the next clause."""
    plans = list(_PLAN.finditer(text))
    sized = [a for a in amounts(text) if a.unit in ("$", "%")]
    if not plans or not sized or sized[0].start < plans[-1].end():
        return text, cue
    start = sized[0].start
    while start > 0 and text[start - 1] in "$+-":
        start -= 1
    gap = text[plans[-1].end() : start]
    if re.fullmatch(r"[\s:'s]*", gap) and cue:
        return f"{text[: plans[-1].end()]} {cue} {text[start:]}", cue
    words = re.sub(r"^(?:'s)?[\s:,]*", "", gap).strip()
    return text, words or cue


def _joined(changes: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """Changes of the same size are one change on all their plans; None when that leaves one."""
    out: list[dict[str, Any]] = []
    for change in changes:
        size = (change["price_delta"], change["price_delta_pct"])
        same = next((c for c in out if (c["price_delta"], c["price_delta_pct"]) == size), None)
        if same is not None:
            same["plans"] = same["plans"] + change["plans"]
            same["price_from"] = same["price_to"] = None
        else:
            out.append(dict(change))
    return out if len(out) > 1 else None
