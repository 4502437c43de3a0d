"""Who a scenario is for, read from its words: plans, tenure, age, geography, segments,
contracts and devices.

An offer's *target* (the plan it moves people to) is kept apart from its *audience* (who
receives it): "customers with us over 3 years get a free upgrade to Avalanche" is for tenure
above 36 months, and Avalanche is the target. Place names are kept as written here and
matched against EXTERNAL.ZIP_DEMOGRAPHICS when the scenario is applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cdt.scenario.contracts import contracts_and_devices
from cdt.scenario.launches import launched
from cdt.scenario.model import PLANS
from cdt.scenario.places import NOT_PLACES, geography
from cdt.scenario.tenure import age, tenure

_PLAN = "|".join(PLANS)
#: Verbs that move a customer to a plan: the plan after them is an offer's target.
_TO_PLAN = re.compile(
    r"\b(?:upgrade[sd]?|upgrading|move[sd]?|moving|switch(?:es|ed|ing)?|migrat\w*|step(?:ping)? up|"
    r"bump(?:ed)?(?: up)?|shift(?:ed)?|transition\w*|trade up|go(?:es)? up)\b(?:\s+\w+){0,10}?"
    r"\s+(?:to|into|onto)\s+(?:the\s+|our\s+)?(?:postpaid\s+|prepaid\s+)?(" + _PLAN + r")\b"
    r"(?!\s+(?:customers?|subscribers?|users?|members?|accounts?))"
    r"|\b(?:get|gets|try|tries|access)\b(?:\s+\w+){0,4}?\s+(?:to|into|onto)\s+(?:the\s+|our\s+)?("
    + _PLAN
    + r")\b"
    # "upgrades to Summit customers": the audience, not a target
    r"(?!\s+(?:customers?|subscribers?|users?|members?|accounts?))"
    r"|\bfree\s+(" + _PLAN + r")\b(?!\s+(?:customers?|subscribers?|users?|members?))"
    r"|\b(?:get|gets|try|tries|enjoy|access)\s+(?:the\s+)?(" + _PLAN + r")\s+"
    r"(?:for\s+(?:free|\$0\b)|at no (?:extra )?(?:cost|charge))"
    r"|\b(?:jump|hop|step)(?:s|ed|ing)?\s+(?:up\s+)?to\s+(?:the\s+)?(" + _PLAN + r")\b"
    r"|\btry\s+(?:the\s+)?(" + _PLAN + r")\s+(?:for\s+)?free\b"
    r"|\b(?:jump|hop|step|mov\w*|switch\w*|go(?:es|ing)?|upgrad\w*)\s+from\s+(?:the\s+)?(?:"
    + _PLAN
    + r")\s+(?:up\s+)?to\s+(?:the\s+)?("
    + _PLAN
    + r")\b"
    r"|(?:^|[.!?]\s+)(?:go|choose|pick)\s+(" + _PLAN + r")\s*[.!:]"  # "Go Summit. Move up…"
    r"|\b(" + _PLAN + r")\s+upgrade\s+(?:offer|deal|promo\w*)\b"  # "Avalanche upgrade offer for"
    # "they want me on Avalanche so bad ... if I upgrade"
    r"|\b(?:wants? (?:me|us|you|them|customers|people) (?:on|onto|to be on)|offer(?:ed|ing|s)? "
    r"(?:me|us|you|them)) (?:the\s+)?(" + _PLAN + r")\b(?=[^!?]{0,60}\bupgrad)"
    # "Glacier → Powder at $10/mo off" (the arrow is read as "to")
    r"|(?<!\bfrom )\b(?:" + _PLAN + r")\s*(?:→|->|=>|-to-|\bto\b)\s*(" + _PLAN + r")\b"
    r"(?!\s+(?:customers?|subscribers?|users?|members?|accounts?|and|or|,))"
    r"|\boffer(?:s|ing)?\s+(?:the\s+)?(" + _PLAN + r")\s+(?:plan\s+)?to\b"  # "offer Summit to"
    r"|\b(?:be|are|were|been|being|get|gets) offered\s+(?:the\s+)?(" + _PLAN + r")\s+"
    r"(?:plan\s+)?(?:at|for|free)\b"
    # "offer the Blizzard upgrade", "take the Flurry upgrade at $5 off"
    r"|\bthe\s+(" + _PLAN + r")\s+upgrade\b(?!\s+(?:fee|charge)s?\b)"
    r"|\b(?:can|could|may)\s+go\s+(?:up\s+)?to\s+(?:the\s+)?(" + _PLAN + r")\b"
    r"(?!\s+(?:customers?|subscribers?|users?|members?|accounts?)|\s*(?:,|and|or)\s+(?:"
    + _PLAN
    + r"))"
    r"|\b(?:push|promote|pitch|sell)\w*\s+(?:the\s+)?(" + _PLAN + r")\s+upgrade\b"
    # "offering Blizzard at Powder's price", "Avalanche upgrades are open to Summit customers"
    r"|\boffer\w*\s+(?:the\s+)?(" + _PLAN + r")\s+at\s+(?:(?:" + _PLAN + r")'s|the|their)\s+"
    r"(?:\w+\s+)?price\b"
    r"|\b(" + _PLAN + r")\s+upgrades?\s+(?:are|is)\s+(?:now\s+)?(?:open|available)\s+to\b"
    r"|\|\s*to\s*:\s*(" + _PLAN + r")\b"  # "| From: Glacier, Flurry | To: Powder |"
    r"|\bstep(?:ping)?-up\s+to\s+(?:the\s+)?(" + _PLAN + r")\b",
    re.I,
)
_FROM_PLAN = re.compile(r"\bfrom\s+(?:the\s+)?(" + _PLAN + r")\b", re.I)
_SEGMENT_ID = re.compile(r"\bSEG[-\s]?(\d{1,3})\b|\bsegment\s+(\d{1,3})\b", re.I)
_SEGMENT_NAME = re.compile(r"\bthe\s+((?:[A-Z][\w'-]*\s+){0,3}[A-Z][\w'-]*)\s+segment\b")
_SEGMENT_NAMED = re.compile(
    r"\bsegment\s+(?:called|named)\s+\"?([A-Z][\w' -]{2,40}?)\"?(?=[.,;]|$)"
)


@dataclass
class Audience:
    """Targeting read from text, and what was ambiguous."""

    plans: list[str] = field(default_factory=list)
    target_plan: str | None = None
    new_plan: str | None = None
    tenure_min_months: int | None = None
    tenure_max_months: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    states: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    dmas: list[str] = field(default_factory=list)
    zips: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    contract_types: list[str] = field(default_factory=list)
    device_tiers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # text read as audience


def _add(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)


#: plans named as a yardstick, not an audience: "slotting between Flurry and Powder",
#: "Blizzard and Summit remain on sale"
_ONE_PLAN = r"(?:" + _PLAN + r")"
_AS_CONTEXT = re.compile(
    r"\b(?:slot\w*|position\w*|sits?|sitting|priced|placed|falls?|fits?|lands?|wedged|tiered)\s+"
    r"(?:it\s+|itself\s+)?between\s+(?:the\s+)?"
    + _ONE_PLAN
    + r"(?:\s+plans?)?\s+and\s+(?:the\s+)?"
    + _ONE_PLAN
    + r"\b|"
    r"\b" + _ONE_PLAN + r"(?:,?\s+(?:and\s+)?" + _ONE_PLAN + r")*\s+(?:remains?|stays?)\s+"
    r"(?:on sale|available)\b|"
    r"\b" + _ONE_PLAN + r"\s+(?:\w+\s+)?(?:get|gets|got|receive|receives)\s+nothing\b|"
    r"\b(?:i'm|i am) on " + _ONE_PLAN + r"\s*,?\s*(?:so|and|but)?\s*(?:i get |get |got )?"
    r"(?:nothing|none)\b",
    re.IGNORECASE,
)


def plans(text: str, out: Audience) -> None:
    """The audience's plans, an offer's target plan and a launched plan's name."""
    taken: list[tuple[int, int]] = []
    out.new_plan, span = launched(text)
    if span:
        taken.append(span)
    taken += [m.span() for m in _AS_CONTEXT.finditer(text)]
    for m in _TO_PLAN.finditer(text):
        plan = next(g for g in m.groups() if g)
        out.target_plan = _canon_plan(plan)
        start = m.start(m.lastindex or 0)
        taken.append((start, m.end()))
    for m in re.finditer(r"\b(" + _PLAN + r")\b", text, re.I):
        if any(s <= m.start() < e for s, e in taken) or _kept(text, m.start()):
            continue
        if _TEAM.match(text, m.end()) or re.search(r"\bColorado\s+$", text[: m.start()]):
            continue  # "the Colorado Avalanche hockey team", "Glacier National Park": no plan
        if m.group(1) == "summit" and re.search(
            r"\b(?:a|an|the|industry|wireless|leadership|tech|annual|global|investor)\s+$",
            text[max(0, m.start() - 14) : m.start()],
        ):
            continue  # "a wireless industry summit": a meeting, not the plan
        plan = _canon_plan(m.group(1))
        moved_from = {m.group(1).lower() for m in _FROM_PLAN.finditer(text)}
        if plan == out.target_plan and plan.lower() not in moved_from:
            continue
        _add(out.plans, plan)


_TEAM = re.compile(
    r"\s+(?:hockey|football|baseball|basketball|soccer|sports)?\s*(?:team|club|fc|game|arena|"
    r"stadium)s?\b|\s+(?:hockey|football|baseball|basketball|soccer|sports)\s+fans\b|"
    r"\s+(?:National (?:Park|Forest|Monument)|County|Bay|Lake|Pass|Peak)\b",
    re.I,
)


def _kept(text: str, at: int) -> bool:
    """Whether the plan named at ``at`` is said to keep its price ("Powder and Summit are
    unchanged"): its clause says so and names no amount."""
    if not _PRICE.search(text):
        return False  # "Powder: threshold lowered, price unchanged": a policy on Powder
    start = max(text.rfind(c, 0, at) for c in ".;|") + 1
    ends = [i for i in (text.find(c, at) for c in ".;|") if i >= 0]
    clause = without_asides(text[start : min(ends) if ends else len(text)])
    piece = re.split(r",", clause[: at - start])[-1] + re.split(r",", clause[at - start :])[0]
    if _UNCHANGED.search(piece) and not _PRICE.search(piece):
        return True  # "Glacier +4%, Powder unchanged, Blizzard -$3"
    then = re.search(r"\bthen\b[^.;]*\$\s?\d", clause[at - start :])
    locked = re.search(r"\b(?:guarantee\w*|lock\w*|freez\w*|promise\w*)", clause, re.I)
    if HELD_AT.search(piece) and len(re.findall(r"\$\s?\d", piece)) == 1 and not (then or locked):
        return True  # "Powder: up $4 to $59. Avalanche stays at $140." (not a price lock's plan)
    return (
        bool(_UNCHANGED.search(clause))
        and not _PRICE.search(clause)
        and not re.search(
            r"\b(?:customers?|subscribers?|members?|users?|accounts?)\b", clause, re.I
        )
    )


_ASIDE = re.compile(r",\s*(?:which|who|whose)\b(?:[^,;.$%]|(?<=\d)[,.](?=\d))*,")


def without_asides(text: str) -> str:
    """``text`` with its asides blanked out, keeping every offset ("Powder, which added
    96,000 lines last quarter, stays at $55": Powder stays at $55)."""
    return _ASIDE.sub(lambda m: " " * len(m.group(0)), text)


#: words that say a plan keeps its price, shared with ``several.UNCHANGED`` (which also
#: reads exemptions: here an exempt audience inverts the tenure instead)
KEEPS = (
    r"unchanged|no change|not affected|unaffected|untouched|(?:is|are) not changing|"
    r"(?:isn't|aren't|won't|will not) change?|no (?:price )?(?:increase|change|rise|hike)s? for"
)
_UNCHANGED = re.compile(
    r"\b(?:" + KEEPS + r"|holding \w+ flat|(?:stays?|kept|remains?) flat)\b", re.IGNORECASE
)
#: a price in a clause: it changes, so a mention of "unchanged" there is about something else
_PRICE = re.compile(r"\$\s?\d|\d\s?%")
#: a plan said to keep the price it has: "Avalanche stays at $140"
HELD_AT = re.compile(
    r"\b(?:stays?|remains?|holds?|is held|unchanged|steady|kept|staying|remaining)"
    r"(?:\s+(?:put|flat|steady|unchanged))?\s+at\s+\$\s?\d|"
    # "while 3 million customers stay on Blizzard at $75"
    r"\b(?:stays?|remains?|staying|remaining)\s+on\s+(?:" + _PLAN + r")\s+at\s+\$\s?\d|"
    r"\bkeep(?:s|ing)?\s+(?:"
    + _PLAN
    + r")(?:'s)?\s+(?:at\s+)?\$\s?\d",  # "keeping Glacier's $25 price"
    re.IGNORECASE,
)


def _canon_plan(name: str) -> str:
    return next(p for p in PLANS if p.lower() == name.lower())


def segments(text: str, out: Audience) -> None:
    """Segment ids (SEG03, "segment 3") and names ("the Value Seekers segment")."""
    for m in _SEGMENT_ID.finditer(text):
        _add(out.segments, f"SEG{int(m.group(1) or m.group(2)):02d}")
    for pattern in (_SEGMENT_NAME, _SEGMENT_NAMED):
        for m in pattern.finditer(text):
            name = m.group(1).strip()
            if not re.fullmatch(r"SEG\d+", name, re.I) and name.lower() not in NOT_PLACES:
                _add(out.segments, name)


#: where the writer is, not who the change is for: "I'm in Ohio, not fair"
_WRITER_AT = re.compile(
    r"\b(?:i'm|i am|i live|we live|i'm based|my family is|my parents are|(?:my|"
    r"our) (?:\w+ )?(?:cousin|"
    r"mom|dad|sister|brother|friend|parents|family|grandma|grandpa|neighbou?r|wife|husband|son|"
    r"daughter|aunt|uncle|kid)s?(?: (?:lives?|is|are))?)\s+"
    r"(?:out |down |up |over )?"
    r"(?:in|from)\s+[^,.;!?]{1,30}",
    re.IGNORECASE,
)


def read(text: str) -> Audience:
    """Everything about the audience that ``text`` says."""
    out = Audience()
    plans(text, out)
    tenure(text, out)
    age(text, out)
    where = geography(text, out.spans + [m.span() for m in _WRITER_AT.finditer(text)])
    out.states, out.regions, out.dmas = where.states, where.regions, where.dmas
    out.zips, out.places = where.zips, where.places
    segments(text, out)
    out.contract_types, out.device_tiers = contracts_and_devices(text)
    return out
