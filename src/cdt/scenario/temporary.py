"""How long a price holds: "for 6 months", "three months at $45", "until June 30", "through
the holidays", "this weekend only"; and the durations that are not an audience's tenure."""

from __future__ import annotations

import re

from cdt.scenario.numbers import durations

_LEAD = (
    r"\b(?:for|first|next|during)\s*(?:the\s+)?(?:first\s+|next\s+)?$"
    r"|\bover\s*the\s+(?:first\s+|next\s+)$"  # "over the next 6 months", not "sites over two years"
    r"|\b(?:introductory|intro|promo(?:tional)?)\s*[,:]\s*$"  # "| introductory, 3 months"
)


def temporary(text: str, skip: list[tuple[int, int]]) -> tuple[bool, int | None]:
    """Whether a price change is temporary, and for how many months."""
    lower = text.lower()
    for count, start, end in free_durations(lower, skip):
        before = lower[max(0, start - 30) : start]
        after = lower[end : end + 30]
        lead = (
            re.search(_LEAD, before)
            or (re.match(r"\s*only\b", after) and not re.search(r"\b(?:with us|for)\s*$", before))
            or re.match(r"\s*at\s+\$\s?\d", after)  # "three months at $45 instead of $55"
        )
        audience = re.match(r"\s*(?:with us|of service|as a customer|or (?:more|longer))", after)
        if audience and re.search(r"\bfirst\s*$", before):
            audience = None  # "for the first 12 months of service": how long the price holds
        contract = re.match(r"[\s-]*(?:contracts?|installments?|agreements?|commitments?|"
                            r"terms?|plans? customers)\b", after)  # fmt: skip
        past = re.search(
            r"\b(?:held|kept|froze|frozen|been|had|hasn't|haven't|didn't|did not|stayed|"
            r"remained|paid|paying)\b[^.;,]{0,25}$",
            before,
        )  # "we held prices flat for two years"
        if lead and not audience and not contract and not past:  # "for 6 months", "six months only"
            return True, count
    if re.search(
        r"\btemporar\w*|\blimited[\s-]time\b|\bintroductory\b|(?<!on )\bpromotional\b|"
        r"(?<!rate )(?<!price )(?<!pricing )(?<!unaffected )(?<!unchanged )(?<!exempt )"
        r"(?<!untouched )(?<!untouched \()\bfor now\b|"
        r"\b(?:this weekend|this week|today|tonight) only\b|\bweekend only\b|"
        r"\bflash (?:deal|sale)\b|\b\d+[\s-]day (?:pilot|trial|test|promo\w*|offer|window|"
        r"sale)\b|\b(?:runs?|lasts?|for) (?:\d+|a few) (?:days|weeks)\b|"
        r"\bfor the rest of (?:the |this )?(?:year|month|quarter|season|school year|semester|"
        r"summer|winter|spring|fall|"
        r"\d{4})\b|\bfor (?:one |a |the |this |\d+ )?(?:semesters?|seasons?|school years?|"
        r"summer)\b",
        lower,
    ) or _BOUNDED.search(lower):
        return True, None
    return False, None


#: a price that holds until a date or an event: "until June 30", "through the holidays",
#: "through the end of the school year"
_BOUNDED = re.compile(
    r"\b(?:until|till|til|through|thru|ending)\s+(?:the\s+)?(?:end\b|holidays?\b|new year\b|"
    r"(?:summer|winter|spring|fall|autumn|season|school year|semester|quarter)\b|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}/\d{1,2}\b|"
    r"labor day|memorial day|thanksgiving|christmas|new year's|black friday|cyber monday|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
    r"independence day|july 4|the fourth)|\bfor the (?:holiday|summer|winter|back-to-school) "
    r"season\b"
)


def free_durations(lower: str, skip: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Durations that are not part of an audience phrase ("with us over 3 years")."""
    return [d for d in durations(lower) if not any(s <= d[1] < e for s, e in skip)]
