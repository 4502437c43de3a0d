"""The money in a price change: its size in dollars or percent, as a change or as from/to,
temporary or not, with what each amount is in its sentence (``role``). Each reading that
could go two ways adds a warning. Other money (a launch, a competitor, an offer) is read in
``offers``."""

from __future__ import annotations

import re
from typing import Any

from cdt.scenario.cues import DOWN, UP
from cdt.scenario.direction import DISCOUNT, direction, discount_way, moved, signed
from cdt.scenario.kinds import includes
from cdt.scenario.model import PLANS, Kind
from cdt.scenario.numbers import Amount
from cdt.scenario.pairs import apposed, bill_from_to, by_to
from cdt.scenario.temporary import temporary
from cdt.scenario.value_adds import BRANDS, VALUE_ADDS, value_add_name


def role(text: str, amount: Amount) -> str:
    """What a dollar amount is in its sentence: worth, from, to, delta, price, credit."""
    before = text[max(0, amount.start - 40) : amount.start].lower()
    after = text[amount.end : amount.end + 30].lower()
    if signed(text, amount) is not None:  # "+$5 to $60": a signed amount is a change
        return "delta"
    said_now = re.match(
        r"\s*(?:/mo|a month|per month|monthly)?\s*(?:today|now|currently|at present)\b"
        r"(?!\s+(?:just|only))",
        after,
    )
    if (
        said_now
        and re.match(r"[^?.;]{0,3}\?", after[said_now.end() :])
        and not re.search(r"\b(?:instead of|rather than|was|from|not)\s*$", before)
    ):
        return "to"  # "Why is my plan $150 now?": the new price
    if said_now and re.match(r"[\s,]*(?:\(\s*)?(?:instead of|rather than|(?:(?:it|that|which|"
                             r"they) )?(?:was|were|used to be)|up from|down from|"
                             r"from)\s*\$|\s*\(\s*\$\s?\d[\d.]*\s*(?:less|more|cheaper|lower|higher)\b",
                             after[said_now.end() :]):  # fmt: skip
        return "to"  # "Powder is $60 now instead of $55", "$150 now (was $140)", "it was $30"
    if said_now and re.search(
        rf"(?:(?:{UP}|{DOWN})[^$]{{0,20}}|[+-]\s?)\$\s?\d[^$]*$", text[: amount.start].lower()
    ):
        return "to"  # "Glacier went up two dollars. $27 now", "+$10, $150/mo now": after a change
    if said_now and not re.search(r"\bfor\s*$", before):
        return "from"  # "$55 today, $59 from August" (not "add it for 9.99/mo now")
    if re.match(r"\s*(?:monthly\s+|[\w-]+\s+){0,3}(?:price|rate|fee|charge|surcharge)\s+"
                r"(?:drops?|falls?|rises?|goes|moves?|climbs?|"
                r"increases?|decreases?|is cut|is raised)\b|"
                r"\s*(?:monthly\s+|[\w-]+\s+){0,3}(?:discount|credit|savings)\s+(?:on \w+\s+)?"
                r"(?:is |will |will be )?"  # "my $10 Powder discount is shrinking to $4"
                r"(?:shrinks?|shrinking|grows?|growing|"
                r"(?:drops?|falls?|rises?|goes (?:up |down )?|moves?|"
                r"is cut) to)\b",
                text[amount.end : amount.end + 50].lower()):  # fmt: skip
        return "from"  # "Flurry's $35 price drops to $33"
    if re.search(r"\(\s*value\s*:?\s*$", before):
        return "worth"  # "with Hulu bundled in (value $17.99)"
    if _NAMED_WORTH.search(before) or _SOLD_APART.search(before):
        return "worth"  # "Max (normally $16.99/mo) is now included": what the value-add costs
    if re.search(
        # "we value the Disney+ piece at $7.99"
        r"\b(?:worth|valued at|value of|values? (?:it |the [\w+]+ (?:\w+ )?)?at)\s*"
        r"(?:about |up to |over )?$",
        before,
    ) or re.match(r"\s*(?:/mo|a month|per month|monthly)?\s*(?:value\b|worth\b|in value)", after):
        return "worth"
    if re.match(r"\s*(?:/mo|a month|per month|monthly)?\s*[,(]\s*(?:up|down)\s*(?:by\s*)?\$\d",
                after):  # fmt: skip
        return "to"  # "charge Flurry customers $38 a month, up $3": the new price, then the change
    # "rises by $10 to $95", "goes up $5 to $100", "an increase of $3 to $58": the change
    moved = (
        rf"\b(?:by|of|{UP}|{DOWN})\s*(?:(?:{'|'.join(PLANS).lower()})\s+)?(?:by\s*)?"
        r"(?:just |only |another |an extra )?$"
    )  # "raise Blizzard $4 to $79"
    if re.search(moved, before) and re.match(
        r"\s*(?:/mo|a month|per month|monthly)?\s*(?:,\s*)?(?:to|up to|down to|reaching|"
        r"bringing it to|making it|landing at|for a new price of)\s*\$?\d",
        after,
    ):
        return "delta"
    if re.search(r"\bthen\s+(?:(?:goes |going |it goes |it's |it is )?back to|returns? to|reverts? "
                 r"to|rises? (?:back )?to)\s*$", before):  # fmt: skip
        return "from"  # "$45 for three months, then back to $55": the regular price
    if re.search(_HOLDS + r"$", before) and re.search(r"\bthen\b", text[amount.end :], re.I):
        return "from"  # "Flurry holds at $35 through May, then $39"
    bounded = _FOR_A_WHILE.search(text[: amount.start])  # a price that holds for a while
    held = re.search(_HOLDS + r"\$", text[: amount.start], re.I)
    if re.search(r"\bthen,?\s*$", before) and bounded and not held:
        return "from"  # "an introductory $45 for the first 3 months, then $55"
    if re.search(r"\bfrom\s*(?:just |only )?$|\bold\s*:?\s*$", before) or re.match(
        r"\s*(?:/mo|a month|per month|monthly)?\s*(?:to|down to|up to)\s*\$?\d+(?:\.\d+)?"
        r"(?!\d|\s*(?:lines?|gb|months?|%|accounts?))",  # not "at $9/mo to 2 lines"
        after,
    ):
        return "from"
    if re.match(r"\s*(?:per line\s*)?(?:per month|a month|/mo)?,?\s*(?:increasing|rising|going up|"
                r"climbing|decreasing|dropping|falling|going down) to\s*\$",
                text[amount.end : amount.end + 60].lower()):  # fmt: skip
        return "from"  # "a charge of $1.50 per line per month, increasing to $2.00"
    if re.search(
        r"\b(?:was|were|used to be|previously|formerly|down from|up from|instead of|current\s*:|"
        r"replac(?:es|ing|ed) (?:the |our |its )?|"
        r"rather than|currently|today|compared to|vs\.?|versus|not|normally|usually|regularly|"
        r"(?:the|versus|vs\.?) (?:standard|regular|usual|normal|list)|"
        r"currently pay(?:s|ing)?|"
        r"originally|no longer|(?:regular|list|standard|usual|normal) (?:price|rate)(?: of| is)?|"
        r"(?:(?<=\()|(?<=, ))(?:regular(?:ly)?|usual(?:ly)?|normal(?:ly)?|reg\.?)|the usual)\s*$",
        before,
    ):
        return "from"
    if re.match(r"\s*(?:/mo\s*|a month\s*|per month\s*|monthly\s*)?(?:more|extra|less|higher|"
                r"lower|cheaper|increase|hike|rise|cut|decrease|reduction|drop|off|below|under|"
                r"above)\b",
                after):  # fmt: skip
        return "delta"
    if re.match(r"\s*(?:/mo|a month|per month|monthly)?\s*(?:after that|afterwards?|thereafter)\b",
                after) and bounded:  # fmt: skip
        return "from"  # "$20/mo for your first 3 months, $25 after that": the regular price
    if re.match(r"\s*(?:/mo|a month|per month|monthly)?\s*(?:in total|all[\s-]in|total)\b", after):
        return "to"  # "$3 less each month, so $72 in total"
    moved_by = re.search(rf"\b(?:by|an? (?:extra|additional)|another|(?:{UP}|{DOWN})\s+(?:by\s+)?"
                         r"(?:just|only))\s*$", before)  # fmt: skip
    if _TO.search(before) and not moved_by:  # "goes up just $3" is a change, "just $3" a price
        return "to"
    if re.match(r"\s*(?:/mo\s*|a month\s*|per month\s*)?(?:credit|off|discount|rebate|back|"
                r"bill credit|in (?:rewards|credit|points)|reward|bonus|gift)", after):  # fmt: skip
        return "credit"
    return "delta"


#: words before a new price: "now $60", "will be $60", "introductory price of $45"
_TO = re.compile(
    r"(?:(?<=price )=|(?<=price)=|"  # "Blizzard price = $79"
    r"\|\s*new|\bnew\s*:|"  # "| Old $55 | New $52 |"
    r"\b(?:to|now|now just|now only|will be|be|is|are|becomes?|at|for|costs?|priced at|just|"
    r"reaching|bringing it to|making it|landing at|so|which makes it|"
    r"only|billed|charged|pays?|paying|(?:new|regular|monthly) price(?: of| is| will be|:)?|"
    r"(?:introductory|promotional|promo|intro|special|sale) (?:pricing|price|rate)"
    r"(?: on \w+| of| is)?:?))\s*$"
)

#: what an included thing costs on its own: "a feature previously sold for $5 a month"
_SOLD_APART = re.compile(
    r"\b(?:feature|add-on|perk|service|benefit|pack|extra|option|coverage|protection|"
    r"subscription)s?"
    r"\b[^.;$]{0,12}\b(?:previously|normally|usually|otherwise|typically|formerly)\s+(?:sold|sells|"
    r"priced|offered|available|billed|charged|retails|costs|runs)(?: separately| on its own)?\s+"
    r"(?:for|at)?\s*$|"
    # "Max included, a service that retails for $9.99 a month"
    r"\b(?:service|feature|perk|add-on|subscription|app)\s+(?:that|which)\s+(?:normally |usually |"
    r"typically )?(?:retails|sells|costs|runs|goes)\s+(?:for|at)?\s*$"
)
#: a value-add's own price in brackets after its name
_BRAND = r"\b(?:" + "|".join(p for p, _ in VALUE_ADDS[:BRANDS]) + r")"
_NAMED_WORTH = re.compile(
    _BRAND + r"[\w+ ]{0,12}\(\s*(?:normally|usually|regularly|typically|retails? (?:at|for)|a|"
    r"list)?\s*$|"
    + _BRAND
    + r"[\w+ ]{0,12},?\s*which (?:normally |usually |typically )?(?:runs?|costs?|is|"
    r"sells for|retails (?:at|for))\s*$|"
    # "adds device protection, normally $9 per month"
    r"\b(?:" + "|".join(p for p, _ in VALUE_ADDS) + r")[\w+ ]{0,14},\s*(?:normally|usually|"
    r"typically|regularly)\s*$",
    re.IGNORECASE,
)

#: a price said to hold before it moves: "Flurry holds at $35 through May, then $39"
_HOLDS = r"\b(?:holds?|stays?|remains?) (?:put )?at\s*"

#: words that bound a price in time, before a "then" that gives the regular price
_FOR_A_WHILE = re.compile(
    r"\b(?:for (?:the |your )?(?:first|next|initial) |for \d+ (?:months?|weeks?)\b|introductory|"
    r"\d+ months? at\b|intro\b|promo\w*|through|until|till|limited[\s-]time)",
    re.IGNORECASE,
)

#: How the rules' warning about two price changes in one text begins (read by
#: ``scenario.plausible``, which doubts such a reading).
TWO_CHANGES = "two price changes"

_RISING = re.compile(
    r"\b(?:increas\w*|rais\w*|hik\w*|goes up|go up|going up|rises?|rising|jumps?|climbs?)\b",
    re.IGNORECASE,
)


_GIVEN = re.compile(
    r"\s*(?:monthly\s+|/mo\s+|a month\s+)?(?:bill\s+)?(?:one[\s-]time\b|credit|rebate|"
    r"cash\s*back|back\b|in (?:rewards|credit|points)|reward|bonus|gift)",
    re.IGNORECASE,
)


def only_credits(text: str, money: list[Amount]) -> bool:
    """Whether every dollar amount is money given to the customer once (a credit, a rebate,
    a reward; a discount or "$5 off" is a price cut, not this) and no word raises a price."""
    return (
        bool(money)
        and not _RISING.search(re.sub(r"[^.?!]*\?", " ", text))  # "Is my bill going up? No."
        and all(
            _GIVEN.match(text[a.end : a.end + 30]) or _CREDIT_OF.search(text[: a.start])
            for a in money
        )
    )


#: a credit that names its amount after it: "Bill credit: $15 per month", "a credit of $20"
_CREDIT_OF = re.compile(
    r"\b(?:bill )?(?:credit|rebate)s?\s*(?:of|:|-|,[^.;$]{0,40},)\s*$", re.IGNORECASE
)


def price(
    text: str,
    kind: Kind,
    money: list[Amount],
    percents: list[Amount],
    values: dict[str, Any],
    warnings: list[str],
) -> Kind:
    lower = text.lower()
    roles = [(a, role(text, a)) for a in money]
    worth = [a for a, r in roles if r == "worth"]
    changes = [(a, r) for a, r in roles if r != "worth"]
    if kind == Kind.PRICE_CHANGE_VALUE_ADD or (worth and includes(lower)):
        kind = Kind.PRICE_CHANGE_VALUE_ADD
        values["value_add"] = value_add_name(text) or "a value-add"
        if worth:
            values["value_add_worth"] = worth[0].value
    starts = [a for a, r in changes if r == "from"]
    said_from = [a for a in starts if re.search(r"\bfrom\s*$", text[max(0, a.start - 9) : a.start])]
    starts = (
        said_from if len(starts) > 1 and said_from else starts
    )  # "bill $80 now? from $75 to $80"
    ends = [a for a, r in changes if r == "to"]
    deltas = [a for a, r in changes if r in ("delta", "credit")]
    values["price_temporary"], values["price_months"] = temporary(text, values["_skip"])
    billed = bill_from_to(text, starts, ends)
    spelled_pair = by_to(text, deltas, ends) if not billed else None
    if billed:  # "the discount shrinks to $10, so the price moves from $80 to $85": the bill's
        starts, ends = [billed[0]], [billed[1]]
    elif spelled_pair and not (
        starts and abs(abs(spelled_pair[1].value - starts[0].value) - spelled_pair[0].value) < 0.01
    ):  # "was $89 in 2021 and $95 since 2023 ... up by $4 to $99": the change and its price
        starts, ends = [], [spelled_pair[1]]
        deltas = [spelled_pair[0]] + [d for d in deltas if d is not spelled_pair[0]]
    if starts and not ends:
        # "$27 rather than $25", "$55 today, $59 from August": a second price with no cue is
        # the new one when it is a price (not a change) next to the old one
        later = [a for a in deltas if a.value >= starts[0].value / 2 and a.value != starts[0].value
                 and signed(text, a) is None]  # fmt: skip
        if len(later) == 1 and not moved(text, later[0]):
            ends, deltas = later, [a for a in deltas if a is not later[0]]
    discounted = (
        not billed
        and starts
        and ends
        and any(DISCOUNT.search(text[max(0, a.start - 60) : a.start]) for a in (starts[0], ends[0]))
    )
    if discounted:
        # "the autopay discount drops from $8 to $4": the bill rises by what the discount loses
        change = round(starts[0].value - ends[0].value, 2)
        values["price_delta"] = change
        warnings.append(
            f"a discount going from {starts[0].label()} to {ends[0].label()} is read as a "
            f"{_signed(change)} change to the bill of every customer on the plan (the twin does "
            "not know who pays by autopay)"
        )
    elif starts and ends:
        before, after = starts[0].value, ends[0].value
        values["price_from"], values["price_to"] = before, after
        values["price_delta"] = round(after - before, 2)
        first, then = sorted((starts[0], ends[0]), key=lambda a: a.start)
        spelled = re.search(r"\bfrom\s*$", text[max(0, first.start - 12) : first.start], re.I) and (
            re.fullmatch(r"[\s/a-z]{0,12}\bto\s*", text[first.end : then.start], re.I)
        )  # "from $95 to $100" says it all; "$63 instead of $75" is a guess worth saying
        if not spelled:
            warnings.append(
                f"two amounts, {starts[0].label()} and {ends[0].label()}; read as a change of "
                f"{_signed(after - before)}"
            )
    elif deltas:
        chosen = deltas[0]
        values["price_delta"] = -chosen.value if direction(lower, chosen) else chosen.value
        shrinking = discount_way(text[max(0, chosen.start - 60) : chosen.start])
        if shrinking is not None:  # "autopay savings shrink by $3": the bill rises by $3
            values["price_delta"] = chosen.value if shrinking else -chosen.value
        brought = apposed(text, chosen, deltas, values["price_delta"])
        if brought is not None:  # "Blizzard climbs $6, $81 a month": the price after the change
            ends, deltas = [brought], [d for d in deltas if d is not brought]
        ways = {direction(lower, d) for d in deltas}
        sizes = {(direction(lower, d), d.value) for d in deltas}
        if len(deltas) > 1 and (
            len(ways) > 1 or (len(sizes) > 1 and len(values.get("plans") or []) > 1)
        ):
            # "Summit goes up $5 while Glacier drops $3": two changes, and one is read
            said = ", ".join(_signed(-d.value if direction(lower, d) else d.value) for d in deltas)
            warnings.append(
                f"{TWO_CHANGES} ({said}) in one scenario; only {_signed(values['price_delta'])}"
                " is read"
            )
        elif len(deltas) > 1:
            warnings.append(
                "several amounts ("
                + ", ".join(a.label() for a in deltas)
                + f"); read the first as the change: {_signed(values['price_delta'])}"
            )
        if chosen.period == "year":
            values["price_delta"] = round(values["price_delta"] / 12, 2)
            warnings.append(
                f"{chosen.label()} a year read as {_signed(values['price_delta'])}/month"
            )
        if chosen.period == "once":
            warnings.append(
                f"{chosen.label()} is a one-time amount; read as a monthly change, which "
                "overstates it"
            )
        if ends:
            if not (spelled_pair and ends[0] is spelled_pair[1]):  # "by $4 to $99" says so
                warnings.append(f"{ends[0].label()} read as the new price, not as the change")
            values["price_to"] = ends[0].value
            before = round(ends[0].value - values["price_delta"], 2)
            if before > 0 and chosen.period not in ("year", "once"):
                values["price_from"] = before  # the pair the change implies
    elif percents:
        pct = percents[0].value
        values["price_delta_pct"] = -pct if direction(lower, percents[0]) else pct
        if len(percents) > 1:
            warnings.append(
                "several percents (" + ", ".join(a.label() for a in percents) + "); read the first"
            )
    elif ends and len(ends) == 1 and kind == Kind.FEE:
        values["price_delta"] = ends[0].value  # "recovery charge: now $1.75/line": the fee
        warnings.append(f"{ends[0].label()} read as the fee's amount a month")
    elif ends and len(ends) == 1:
        values["price_to"] = ends[0].value
        warnings.append(
            f"only the new price {ends[0].label()} is given: the size of the change is unknown"
        )
    elif money:
        values["price_delta"] = -money[0].value if direction(lower, money[0]) else money[0].value
    else:
        warnings.append("no amount is given: the size of the price change is unknown")
    if kind == Kind.FEE and values.get("price_delta") is not None and values["price_delta"] < 0:
        warnings.append("a fee that goes down is read as a price cut of that amount")
    if percents and (values.get("price_delta") is not None):
        warnings.append(
            f"both dollars and a percent ({percents[0].label()}); read the dollar change"
        )
    return kind


def _signed(value: float) -> str:
    sign = "-" if value < 0 else "+"
    return f"{sign}${abs(value):,.2f}".replace(".00", "")
