"""Several price changes in one announcement: "Summit goes up $5 to $100 while Glacier drops $3
to $32", "+$2 on Glacier, +$5 on Avalanche", "Glacier: +$2; Avalanche: +5%". The text is cut into
clauses at the words and marks that join changes (";", ",", "while", "and", "whereas", "but",
new lines, bullets); a clause that names plans but no amount joins the next one ("Glacier and
Flurry go up $2"), or the one before when that one gave its amount first ("+$2 to Glacier and
Flurry"), and one with an amount but no plan joins the one before. When two or more clauses
each name their own plans and an amount, each clause is read as one change by the same rules as
a whole announcement (``prices.price``), and a clause with no direction word takes the one
before it ("Glacier drops $2 and Avalanche $5"). Clauses with the same size (and the same
from/to prices) on different plans are one change on all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cdt.scenario.audience import HELD_AT, KEEPS, without_asides
from cdt.scenario.cues import DOWN, LOWERS, RAISES, UP
from cdt.scenario.model import PLANS, Change, Kind
from cdt.scenario.numbers import amounts

_JOINS = re.compile(
    r"\s*(?:;|\n|•|·|\||\s-\s|\s\*\s|\s&\s|\s/\s(?!(?:mo|month|line)\b)|\.\s+|"
    r",(?!\d{3})(?!\s*(?:bringing|making|taking)\b)\s*(?:(?:and|while|whereas|but)\b)?|"
    r"\b(?:while|whereas|but|and|when|alongside|as well as)\b)\s*",
    re.IGNORECASE,
)
_PLAN = re.compile(r"\b(" + "|".join(PLANS) + r")\b(?!\s+(?:Max|Plus|Lite|Pro|Ultra|Mini)\b)")
#: words that say a plan keeps its price: its mention is no change and no audience
UNCHANGED = re.compile(
    r"\b(?:" + KEEPS + r"|stays? the same|remains? the same|stays? put|hold\w* \w+ flat|"
    r"(?:stays?|kept|keeps?|remains?) flat|exempt|excluded|holds? steady|"
    r"keeps? (?:its|their) (?:current )?price)\b",
    re.IGNORECASE,
)


#: a plan that takes the change before it: "and so does Summit", "Summit too", "as does Summit"
_SO_DOES = re.compile(
    r"\b(?:so (?:does|do|will|is)|as (?:does|do|will)|likewise|too|as well|the same)\b", re.I
)


@dataclass
class _Clause:
    text: str
    plans: list[str] = field(default_factory=list)
    sized: bool = False
    borrowed: list[str] = field(default_factory=list)  # plans a clause before it named


def _clauses(text: str) -> list[_Clause]:
    out: list[_Clause] = []
    # a sentence with no amount is no change when it keeps a price or says no change at all
    kept = [
        s
        for s in re.split(r"(?:(?<=[;|\n?!])|(?<=\.)(?=\s|$))\s*", text)
        if any(a.unit in ("$", "%") for a in amounts(s))
        or (not UNCHANGED.search(s) and (RAISES.search(s) or LOWERS.search(s)))
    ]
    unit = ""
    for part in _JOINS.split(
        without_asides(" ".join(kept))
    ):  # "Powder and Summit are unchanged": no change
        if not part or not part.strip():
            continue
        plans = list(dict.fromkeys(_PLAN.findall(part)))
        found = _sizes(part)
        if plans and ((not found and UNCHANGED.search(part)) or HELD_AT.search(part)):
            continue  # "Glacier +4%, Powder unchanged, Blizzard -$3": Powder keeps its price
        if not found and plans and unit:
            part = _borrow_unit(part, unit)  # "Powder drops 5 dollars and Summit drops 10"
            found = _sizes(part)
        unit = found[-1] if found else unit
        sized = bool(found)
        out.append(_Clause(part.strip(), plans, sized))
    merged: list[_Clause] = []
    waiting: list[_Clause] = []  # plans with no amount yet
    for clause in out:
        if clause.plans and not clause.sized and merged and _SO_DOES.search(clause.text):
            last = merged[-1]  # "Blizzard increases $5, and so does Summit": the same change
            plans = list(dict.fromkeys(last.plans + clause.plans))
            merged[-1] = _Clause(f"{last.text} and {' and '.join(clause.plans)}", plans, True)
            continue
        if clause.plans and not clause.sized:
            if not waiting and merged and _amount_first(merged[-1].text):
                last = merged[-1]  # "+$2 to Glacier and Flurry lines": the plans close it
                plans = list(dict.fromkeys(last.plans + clause.plans))
                merged[-1] = _Clause(f"{last.text} and {clause.text}", plans, True)
                continue
            waiting.append(clause)
            continue
        if waiting and clause.sized:
            head = " and ".join(w.text for w in waiting)
            lent = [p for w in waiting for p in w.plans if p not in clause.plans]
            plans = list(dict.fromkeys([p for w in waiting for p in w.plans] + clause.plans))
            clause = _Clause(f"{head} {clause.text}", plans, True, lent)
            waiting = []
        if clause.sized and not clause.plans and merged:
            last = merged[-1]
            merged[-1] = _Clause(f"{last.text}, {clause.text}", last.plans, True)
            continue
        if clause.sized:
            merged.append(clause)
    # "doubles hotspot on Flurry and Powder while lifting Flurry 4% and Powder $3": a plan
    # lent by a clause with no amount, which a later clause sizes, is that clause's
    for clause in merged:
        sized_elsewhere = {
            p for c in merged if c is not clause for p in c.plans if p not in c.borrowed
        }
        clause.plans = [
            p for p in clause.plans if p not in clause.borrowed or p not in sized_elsewhere
        ]
    return [c for c in merged if c.plans]


_HEADER = re.compile(
    r"^[^:$%]{0,80}\b(?:customers?|subscribers?|members?|users?|owners?|lines?|accounts?)\b"
    r"[^:$%]{0,30}:\s*",
    re.IGNORECASE,
)


def _sizes(part: str) -> list[str]:
    """The units of the amounts in ``part`` that can size a change: not a share of the base
    ("the Glacier tier now carries 27% of all lines")."""
    return [a.unit for a in amounts(part) if a.unit == "$" or (a.unit == "%" and not re.match(
        r"\s*of (?:all |our |the |its )?(?:\w+ )?(?:lines|customers|subscribers|accounts|users|base"
        r"|households)\b",
        part[a.end :]))]  # fmt: skip


def _without_header(text: str) -> str:
    """``text`` without an audience header whose plans the changes name again ("Email to
    Glacier and Flurry customers: Glacier goes up $1, Flurry goes up $2")."""
    header = _HEADER.match(text)
    if not header:
        return text
    rest = text[header.end() :]
    named = set(_PLAN.findall(header.group(0)))
    return rest if named and named <= set(_PLAN.findall(rest)) else text


#: a bare number after a plan's direction word or "by" ("and Blizzard falls by 4")
_BARE = re.compile(
    r"(?<=\s)(?:by\s+)?(\d+(?:\.\d+)?)\b(?![.,]\d)(?!\s*(?:gb|mb|months?|years?|lines?|days?|%|"
    r"percent|dollars?|bucks?|cents?|million|billion|thousand|points?|pts?|k\b|m\b))",
    re.IGNORECASE,
)


def _borrow_unit(part: str, unit: str) -> str:
    """``part`` with its one bare number given the unit of the change before it."""
    if not (RAISES.search(part) or LOWERS.search(part) or re.search(r"\bby\b", part)):
        return part
    numbers = list(_BARE.finditer(part))
    if len(numbers) != 1:
        return part
    at = numbers[0]
    value = at.group(1)
    written = f"${value}" if unit == "$" else f"{value}%"
    return part[: at.start(1)] + written + part[at.end(1) :]


def _amount_first(text: str) -> bool:
    """Whether a clause gives its amount before its plans ("apply +$2 to Glacier")."""
    plan = _PLAN.search(text)
    sized = [a for a in amounts(text) if a.unit in ("$", "%")]
    return bool(plan and sized and sized[0].start < plan.start())


def read_changes(text: str, kind: Kind, reader: Any) -> list[dict[str, Any]] | None:
    """The changes ``text`` announces when it announces two or more on different plans (None
    otherwise). ``reader(clause, kind)`` reads one clause's size as ``prices.price`` does and
    returns its values. Where the whole text reads as no list (a plan named again in a later
    sentence: "... Summit comes down $5 to $90. 71 percent of upgrades skip Summit"), the one
    sentence that reads as a list is taken."""
    whole = _read_list(text, kind, reader)
    if whole is not None:
        return whole
    sentences = [s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip()]
    lists = (
        [found for s in sentences if (found := _read_list(s, kind, reader))]
        if len(sentences) > 1
        else []
    )
    return lists[0] if len(lists) == 1 else None


def _read_list(text: str, kind: Kind, reader: Any) -> list[dict[str, Any]] | None:
    clauses = [c for c in _clauses(_without_header(text)) if c.plans]
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
        up, down = bool(RAISES.search(clause.text)), bool(LOWERS.search(clause.text))
        paired = size["price_from"] is not None and size["price_to"] is not None
        signed = re.search(r"(?:^|[\s(:,;])[+-]\s?\$?\s?\d", clause.text)  # "+$6" says its own
        if not up and not down and downward and not paired and not signed:  # "… and Avalanche $5"
            for key in ("price_delta", "price_delta_pct"):
                if size[key] is not None:
                    size[key] = -abs(size[key])
        if paired:  # a from/to pair is its own direction
            size["price_delta"] = round(size["price_to"] - size["price_from"], 2)
        if up != down:
            downward = down
        changes.append({"plans": clause.plans, **size})
    try:
        for change in changes:
            Change(**change)
    except ValueError:
        return None  # a reading that does not hold together is not offered as a list
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
    # "raise Blizzard $4 to $79 and Avalanche $5 to $145": a verb before the plan is its cue
    verb = re.search(rf"\b({UP}|{DOWN})\s+$", text[: plans[-1].start()], re.I)
    if re.fullmatch(r"[\s:'s]*(?:by\s*)?", gap) and cue and not verb:
        # "Blizzard is cut by $10 to $65 and Summit by $15 to $80": Summit is cut by $15 too
        said = cue if gap.strip(" :'s") == "" or re.search(r"\bby$", cue) else f"{cue} by"
        return f"{text[: plans[-1].end()]} {said} {text[start:]}", cue
    words = re.sub(r"^(?:'s)?[\s:,]*", "", gap).strip()
    return text, words or (verb.group(1) if verb else "") or cue


def _joined(changes: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """Changes of the same size are one change on all their plans; None when that leaves one."""
    out: list[dict[str, Any]] = []
    for change in changes:
        keys = ("price_delta", "price_delta_pct", "price_from", "price_to")
        size = tuple(change[k] for k in keys)  # the same change, from the same price
        same = next((c for c in out if tuple(c[k] for k in keys) == size), None)
        if same is not None:
            same["plans"] = same["plans"] + change["plans"]
        else:
            out.append(dict(change))
    return out if len(out) > 1 else None


_P = r"(?:" + "|".join(PLANS) + r")"
_A = r"(?:\$\s?\d+(?:\.\d+)?(?:/mo)?|[+-]?\d+(?:\.\d+)?\s?%)"
_RESPECTIVE = re.compile(
    rf"\b(?P<plans>{_P}(?:\s*,\s*{_P})*,?\s+(?:and|&)\s+{_P})(?P<verb>[^$%.;]{{1,50}}?)"
    rf"(?P<sizes>{_A}(?:\s*,\s*{_A})*,?\s+(?:and|&)\s+{_A}),?\s*respectively\b"
    rf"(?:,?\s*(?P<was>(?:up |down )?from|previously|was)\s+"
    rf"(?P<olds>{_A}(?:\s*,\s*{_A})*,?\s+(?:and|&)\s+{_A}))?"
)
_ITEMS = re.compile(r"\s*(?:,\s*(?:and|&)?|\band\b|&)\s*")


def respective(text: str) -> str:
    """``text`` with each "respectively" list written out plan by plan ("Flurry and Summit
    rise by $3 and $7, respectively" -> "Flurry rise by $3; Summit rise by $7"), when the
    lists have as many plans as amounts."""

    def spell(m: re.Match[str]) -> str:
        plans = [p for p in _ITEMS.split(m.group("plans")) if p]
        sizes = [a for a in _ITEMS.split(m.group("sizes")) if a]
        olds = [a for a in _ITEMS.split(m.group("olds") or "") if a]
        if len(plans) != len(sizes) or (olds and len(olds) != len(plans)):
            return m.group(0)
        verb = m.group("verb")
        return "; ".join(
            f"{plan}{verb}{size}" + (f" {m.group('was')} {olds[i]}" if olds else "")
            for i, (plan, size) in enumerate(zip(plans, sizes, strict=True))
        )

    return _RESPECTIVE.sub(spell, text)
