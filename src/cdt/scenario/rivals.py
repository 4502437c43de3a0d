"""The rival an announcement names: a carrier by name first, a generic "rival carrier" only when
none is named and it acts (as a sentence's subject or the owner of an offer), never when it is
only the company of our own move ("joining rivals that raised similar charges")."""

from __future__ import annotations

import re

from cdt.scenario.cues import COMPETITORS
from cdt.scenario.vocab import PLANS


def competitor(text: str) -> str | None:
    """The competitor the text names first ("Visible, Verizon's digital brand": Visible); a
    generic "rival carrier" only when none is named."""
    lower = text.lower()
    found = []
    visible = re.search(r"(?<=[a-z,;:] )Visible\b|^Visible\b(?=\s+(?:is|has|will|holds|\$))", text)
    if visible:  # "if Visible holds its plan at $25": a capitalised name mid-sentence
        found.append((False, visible.start(), -1, "Visible"))
    for rank, (pattern, name) in enumerate(COMPETITORS.items()):
        m = re.search(r"(?<![\w&-])(?:" + pattern + r")(?![\w&])", lower)
        if m and not (
            name in GENERIC and (_JOINING.search(lower) or not _RIVAL_ACTS.search(lower))
        ):
            found.append((name in GENERIC, m.start(), rank, name))
    return min(found)[3] if found else None


#: rivals named only as company for our own move: "joining rivals that raised similar charges"
_JOINING = re.compile(
    r"\b(?:joining|following|like|as did|matching what|against|versus|pressuring|than|to|from|"
    r"(?:leave|leaving|left|switch\w*|defect\w*|go|going|port\w*)(?: out)? for|"
    r"(?:targets?|prey|vulnerable|exposed|at risk|lost|losing \w+) (?:for|to|from)) "
    r"(?:its |our |the |a |another )?(?:(?:low-cost|regional|national|bigger|larger|cable|"
    r"major|two|three|"
    r"other|largest|biggest|\d+)[\s-]+)*(?:rivals?|competitors?)\b|\b(?:rivals|competitors)'|"
    r"\brival carriers'|"
    # "undercutting rival carriers' tiers", "matching senior pricing at larger rivals"
    r"\b(?:undercut\w*|match\w*|beat\w*)\b[^.;$]{0,40}\b(?:rivals?|competitors?)\b|"
    # a rival in a clause that explains our move: "after a spring campaign by a rival"
    r"\b(?:after|following|where|as|because|since|amid|by)\b[^.;]{0,40}\b(?:rivals?|competitors?)\b|"
    # "rivals bundle streaming, so Snowmobile adds Hulu": the reason for our move
    r"\b(?:rivals?|competitors?)\b[^.;]{0,40},?\s+so\s+(?:we|snowmobile|our)\b"
)


GENERIC = ("a regional carrier", "a cable carrier", "a competitor")
#: a rival that is no name is the event only when it acts, as a sentence's subject or as the
#: owner of an offer ("A rival carrier is offering $300 to switch", "a competitor's $40 plan");
#: "although rivals already charge $3.49, we will introduce a fee" is our move
_RIVAL_ACTS = re.compile(
    r"(?:^|[.;:!?]\s*)(?:[\w-]+:\s*)?(?:(?:a|an|the|one|two|three|several|some|many|other|local|every|all|"
    r"regional|national|cable|low-cost|bigger|larger|major|main|nearest|big|new|unnamed)\s+){0,3}"
    r"(?:(?:rival|competitor|competing|regional|local)s?"
    r"(?:\s+(?:carrier|provider|operator|brand|mvno)s?)?|cable\s+(?:carrier|provider|operator|"
    r"compan(?:y|ies)|mvno)s?)\s+(?:\w+\s+){0,2}?"
    r"(?:is\s+|are\s+|has\s+|have\s+|just\s+|now\s+|will\s+)*"
    r"(?:offer|launch|cut|drop|slash|giv|pay|running|runs|promot|advertis|introduc|unveil|charg|"
    r"hand|throw|doing|dangl|push|pitch|quot|bundl|tout|"
    r"sell|match|beat|undercut|rais|hik|lower|debut|roll)|"
    r"\b(?:rival|competitor|carrier)s?'s?\s+(?:new\s+|latest\s+)?"
    r"(?:\$|\d|offer|promo|deal|plan|credit|switch|port|bonus|price|discount)",
    re.IGNORECASE,
)


_PLAN = "(?:" + "|".join(PLANS) + ")"
#: our answer to a rival is a cut of one of our plans' price: "answered by cutting Powder $5 to
#: $50", "takes Powder down $5 to $50", "matched it with Avalanche down $20 to $120"
_OUR_CUT = re.compile(
    r"\b(?:cut(?:s|ting)?|lower(?:s|ed|ing)?|drop(?:s|ped|ping)?|reduc(?:e|es|ed|ing)|"
    r"trim(?:s|med|ming)?|slash(?:es|ed|ing)?)\s+(?:the\s+price\s+of\s+)?(?:our\s+)?"
    + _PLAN
    + r"(?:'s\s+price)?\s+(?:by\s+|to\s+)?\$"
    r"|\btak(?:e|es|ing)\s+(?:our\s+)?" + _PLAN + r"\s+down\s+(?:by\s+|to\s+)?\$"
    r"|\b(?:with|answer\w*:?|respon\w*:?|counter\w*:?)\s+(?:our\s+)?"
    + _PLAN
    + r"\s+(?:down|cut)\s+(?:by\s+|to\s+)?\$",
    re.IGNORECASE,
)


def our_cut(text: str, rival: str) -> int | None:
    """Where our answer to ``rival`` starts, when it cuts one of our plans' price after the
    rival is named (its clause is read as a price change), else None."""
    named = text.lower().find(rival.lower())
    found = _OUR_CUT.search(text, max(named, 0))
    return found.start() if found and named >= 0 else None
