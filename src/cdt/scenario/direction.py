"""Which way a price change goes: the sign it is written with ("-$3"), the direction word that
governs it ("cut Avalanche by $10 and added Netflix": a cut), and a discount whose own size
moves, which moves the bill the other way ("the autopay discount falls from $10 to $5")."""

from __future__ import annotations

import re

from cdt.scenario.cues import DOWN, UP
from cdt.scenario.numbers import Amount, amounts

#: a discount or credit whose own size changes ("the autopay discount shrinks from $15 to $10")
DISCOUNT = re.compile(
    r"(?:\b(?:discount|credit|savings|rebate)s?\b|\bdisc\b\.?)[^.;$]{0,45}"
    r"(?:\b(?:from|to)\s*(?:just |only )?$|"
    r"\b(?:drops?|falls?|shrinks?|shrinking|grows?|rises?|goes|moves?|increases?|decreases?|is cut|"
    r"is reduced|changes?)\b[^.;$]{0,12}$)",
    re.IGNORECASE,
)


def discount_way(before: str) -> bool | None:
    """For a discount or credit whose size changes by the amount after ``before``: True when
    it shrinks (the bill rises), False when it grows, None when ``before`` says neither."""
    m = re.search(r"\b(?:discount|credit|savings|rebate)s?\b[^.;$]{0,30}\b(drops?|falls?|shrinks?|"
                  r"decreases?|is cut|is reduced|grows?|rises?|increases?)\b(?:\s+by)?\s*$",
                  before, re.IGNORECASE)  # fmt: skip
    if m is None:
        return None
    return not re.match(r"grow|rise|increase", m.group(1), re.IGNORECASE)


def discount_moves(text: str) -> bool:
    """Whether ``text`` changes a discount's or credit's own size ("the autopay discount falls
    from $10 to $5"), whose words run opposite to the bill's."""
    return any(
        DISCOUNT.search(text[max(0, a.start - 60) : a.start])
        for a in amounts(text)
        if a.unit == "$"
    )


def moved(text: str, amount: Amount) -> bool:
    """Whether a direction word sits just before ``amount`` ("up $2"): a change, not a price."""
    before = text[max(0, amount.start - 25) : amount.start].lower()
    return bool(re.search(rf"\b(?:{UP}|{DOWN}|by)\s*(?:just |only |another )?\$?\s*$", before))


def signed(text: str, amount: Amount) -> bool | None:
    """Whether ``amount`` is written with a sign: True for "-$3" or "-5%" (a cut), False for
    "+$2", None for no sign (a hyphen inside "18-24" is no sign)."""
    m = re.search(r"(?:^|[\s(:,;])([+-])\s?\$?\s?$", text[: amount.start])
    if m and m.group(1) == "-" and re.search(r"\w\s+-\s+\$?\s?$", text[: amount.start]):
        return None  # "Yes - $7 more per month": a dash between words, no sign
    return None if m is None else m.group(1) == "-"


_BY_END = re.compile(r"\s(?:[\w+-]+\s+){0,3}by\s*$")
#: after an amount: a discount of that size that ends
_ENDS = re.compile(
    r"(?:/mo| a month| per month)?\s+(?:[\w-]+\s+){0,2}(?:discount|credit|promo\w*|savings?)\b"
    r"[^.;$]{0,40}\b(?:ends?|ending|expires?|expiring|goes away|is going away|rolls? off|"
    r"drops? off)\b"
)


def direction(lower: str, amount: Amount) -> bool:
    """True when the change is downward (a cut): its sign when it has one, else the direction
    word nearest the amount in its sentence ("3 lines or more" is no direction)."""
    sign = signed(lower, amount)
    if sign is not None:
        return sign
    if _ENDS.match(lower, amount.end):
        return False  # "the $5 Glacier discount ... ends May 31": the bill goes back up
    before = lower[max(0, amount.start - 40) : amount.start]
    verbs = list(re.finditer(rf"\b(?:({UP})|({DOWN}))", before)) if _BY_END.search(before) else []
    if verbs:  # "They cut Avalanche by $10 AND added Netflix": the verb of "by" says it
        return verbs[-1].group(2) is not None
    scrubbed = re.sub(r"\bor (?:more|less|fewer|longer|older|younger)\b", " " * 8, lower)
    start = max(scrubbed.rfind(".", 0, amount.start), scrubbed.rfind(";", 0, amount.start)) + 1
    end = min(p for p in (scrubbed.find(".", amount.end), scrubbed.find(";", amount.end),
                          len(scrubbed)) if p >= 0)  # fmt: skip
    sentence = scrubbed[start:end]
    here = (amount.start + amount.end) / 2 - start
    nearest: tuple[float, bool] | None = None
    for pattern, downward in ((UP, False), (DOWN, True)):
        for m in re.finditer(r"\b(?:" + pattern + r")", sentence):
            distance = abs((m.start() + m.end()) / 2 - here)
            if nearest is None or distance < nearest[0]:
                nearest = (distance, downward)
    return nearest[1] if nearest else False
