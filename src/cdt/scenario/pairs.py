"""Which of an announcement's amounts go together: a change and the new price it brings
("Blizzard climbs $6, $81 a month", "up by $4 to $99"), and the bill's own from/to after a
discount's ("the discount shrinks from $20 off to $5 off, so my line goes from $55 to $70")."""

from __future__ import annotations

import re

from cdt.scenario.direction import signed
from cdt.scenario.numbers import Amount

#: between a change and the new price it brings: "climbs $6, $81 a month", "+$6 ($101)"
_APPOSED = re.compile(
    r"\s*(?:/mo|a month|per month|monthly|a line|per line)?\s*(?:more|less|cut|increase|hike|"
    r"rise|decrease|reduction|drop|higher|lower|cheaper)?\s*(?:a month|per month|monthly)?\s*"
    r"(?:,|\(|—|–|;)\s*(?:(?:so|and|making it|bringing it to|which makes it|it's|it is|that's|"
    r"or|for|to|now|just|only)\s+)*$",
    re.IGNORECASE,
)
#: after an amount: words that make it a change, an offer or a company's figure, not a price
_NOT_A_PRICE = re.compile(
    r"\s*(?:/mo|a month|per month|monthly)?\s*(?:more|less|extra|off|credit|back|rebate|"
    r"discount|increase|cut|hike|(?:a|per) year|annually|million|billion|on|for|in)\b",
    re.IGNORECASE,
)


def apposed(text: str, chosen: Amount, deltas: list[Amount], change: float) -> Amount | None:
    """The amount right after a change that is the price it brings ("Blizzard climbs $6, $81
    a month", "a $2 cut, $23 a month", "Summit +$6 ($101)"): a bare price set off by a comma
    or a bracket, larger than the change, with a positive price before it."""
    later = [d for d in deltas if d.start > chosen.end]
    if not later or chosen.period in ("year", "once"):
        return None
    then = later[0]
    between = text[chosen.end : then.start]
    if (
        not _APPOSED.fullmatch(between)
        or then.period in ("year", "once")
        or signed(text, then) is not None
        or _NOT_A_PRICE.match(text[then.end : then.end + 30])
        or then.value <= abs(change)
        or round(then.value - change, 2) <= 0
    ):
        return None
    return then


#: between a change and the price it brings: "up by $4 to $99", "drops $10 for them, landing
#: at $45", "rises $1.50 a month to $26.50"
_THEN_TO = re.compile(
    r"\s*(?:a month|/mo|per month|monthly|a line|per line)?(?:\s+(?:for|on|in)\s+\w+)?\s*,?\s*"
    r"(?:to|bringing it to|taking it to|landing at|putting it at|for a new price of|making it|"
    r"which makes it)\s*$",
    re.IGNORECASE,
)
#: before a spelled pair that is the bill's: "so their effective price moves from", "my line
#: goes from"
_BILL_FROM = re.compile(
    r"\b(?:price|bill|line|plan|rate|cost|pay\w*)\b[^.;$]{0,25}\bfrom\s*$", re.IGNORECASE
)


#: a discount named anywhere before a pair
_DISCOUNT_WORD = re.compile(r"\b(?:discount|credit|savings|rebate)s?\b", re.IGNORECASE)


def by_to(text: str, deltas: list[Amount], ends: list[Amount]) -> tuple[Amount, Amount] | None:
    """A change followed by the price it brings, in so many words ("up by $4 to $99")."""
    for d in deltas:
        for t in ends:
            if t.start > d.end and t.value > d.value and _THEN_TO.fullmatch(text[d.end : t.start]):
                return d, t
    return None


def bill_from_to(
    text: str, starts: list[Amount], ends: list[Amount]
) -> tuple[Amount, Amount] | None:
    """The bill's own "from $X to $Y" when a discount's pair comes before it ("the discount
    shrinks from $20 off to $5 off, so my line goes from $55 to $70")."""
    if len(starts) + len(ends) < 3 or not _DISCOUNT_WORD.search(text):
        return None
    for s in starts:
        for t in ends:
            if (
                t.start > s.end
                and _DISCOUNT_WORD.search(text[: s.start])
                and _BILL_FROM.search(text[max(0, s.start - 45) : s.start])
                and re.fullmatch(r"\s*(?:a month|/mo|per month)?\s*to\s*", text[s.end : t.start])
            ):
                return s, t
    return None
