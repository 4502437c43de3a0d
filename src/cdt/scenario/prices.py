"""The money in an announcement: a price change (as a change or as from/to, temporary or
not), a new plan's price and introductory price, a competitor's price and credit, and an
offer's worth and duration. Each reading that could go two ways adds a warning."""

from __future__ import annotations

import re
from typing import Any

from cdt.scenario.kinds import DOWN, UP, includes, value_add_name
from cdt.scenario.model import Kind
from cdt.scenario.numbers import Amount, durations


def _role(text: str, amount: Amount) -> str:
    """What a dollar amount is in its sentence: worth, from, to, delta, price, credit."""
    before = text[max(0, amount.start - 40) : amount.start].lower()
    after = text[amount.end : amount.end + 30].lower()
    if re.search(r"\b(?:worth|valued at|value of)\s*(?:about |up to |over )?$", before) or re.match(
        r"\s*(?:value\b|worth\b|in value)", after
    ):
        return "worth"
    # "rises by $10 to $95", "goes up $5 to $100", "an increase of $3 to $58": the change
    moved = rf"\b(?:by|of|{UP}|{DOWN})\s*(?:by\s*)?(?:just |only |another |an extra )?$"
    if re.search(moved, before) and re.match(
        r"\s*(?:/mo|a month|per month|monthly)?\s*(?:,\s*)?(?:to|up to|down to)\s*\$?\d", after
    ):
        return "delta"
    if re.search(r"\bfrom\s*(?:just |only )?$", before) or re.match(
        r"\s*(?:/mo|a month|per month|monthly)?\s*(?:to|down to|up to)\s*\$?\d", after
    ):
        return "from"
    if re.search(
        r"\b(?:was|were|used to be|previously|formerly|down from|up from|instead of|"
        r"rather than|currently|today|compared to|vs\.?|versus)\s*$",
        before,
    ):
        return "from"
    if re.match(r"\s*(?:/mo\s*|a month\s*|per month\s*|monthly\s*)?(?:more|extra|less|higher|"
                r"lower|cheaper|increase|hike|rise|cut|decrease|reduction|drop|off)\b",
                after):  # fmt: skip
        return "delta"
    if re.search(
        r"\b(?:to|now|now just|now only|will be|be|is|are|becomes?|at|for|costs?|priced at|just|"
        r"only|billed|charged|pays?|paying)\s*$",
        before,
    ) and not re.search(r"\b(?:by|an? (?:extra|additional)|another)\s*$", before):
        return "to"
    if re.match(r"\s*(?:/mo\s*|a month\s*|per month\s*)?(?:credit|off|discount|rebate|back|"
                r"bill credit|in (?:rewards|credit|points)|reward|bonus|gift)", after):  # fmt: skip
        return "credit"
    return "delta"


#: How the rules' warning about two price changes in one text begins (read by
#: ``scenario.plausible``, which doubts such a reading).
TWO_CHANGES = "two price changes"

_RISING = re.compile(
    r"\b(?:increas\w*|rais\w*|hik\w*|goes up|go up|going up|rises?|rising|jumps?|climbs?)\b",
    re.IGNORECASE,
)


_GIVEN = re.compile(
    r"\s*(?:bill\s+)?(?:credit|rebate|cash\s*back|back\b|in (?:rewards|credit|points)|reward|"
    r"bonus|gift)",
    re.IGNORECASE,
)


def only_credits(text: str, money: list[Amount]) -> bool:
    """Whether every dollar amount is money given to the customer once (a credit, a rebate,
    a reward; a discount or "$5 off" is a price cut, not this) and no word raises a price."""
    return (
        bool(money)
        and not _RISING.search(text)
        and all(_GIVEN.match(text[a.end : a.end + 30]) for a in money)
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
    roles = [(a, _role(text, a)) for a in money]
    worth = [a for a, r in roles if r == "worth"]
    changes = [(a, r) for a, r in roles if r != "worth"]
    if kind == Kind.PRICE_CHANGE_VALUE_ADD or (worth and includes(lower)):
        kind = Kind.PRICE_CHANGE_VALUE_ADD
        values["value_add"] = value_add_name(lower) or "a value-add"
        if worth:
            values["value_add_worth"] = worth[0].value
    starts = [a for a, r in changes if r == "from"]
    ends = [a for a, r in changes if r == "to"]
    deltas = [a for a, r in changes if r in ("delta", "credit")]
    values["price_temporary"], values["price_months"] = _temporary(text, values["_skip"])
    if starts and ends:
        before, after = starts[0].value, ends[0].value
        values["price_from"], values["price_to"] = before, after
        values["price_delta"] = round(after - before, 2)
        warnings.append(
            f"two amounts, {starts[0].label()} and {ends[0].label()}; read as a change of "
            f"{_signed(after - before)}"
        )
    elif deltas:
        chosen = deltas[0]
        values["price_delta"] = -chosen.value if _direction(lower, chosen) else chosen.value
        ways = {_direction(lower, d) for d in deltas}
        sizes = {(_direction(lower, d), d.value) for d in deltas}
        if len(deltas) > 1 and (
            len(ways) > 1 or (len(sizes) > 1 and len(values.get("plans") or []) > 1)
        ):
            # "Summit goes up $5 while Glacier drops $3": two changes, and one is read
            said = ", ".join(_signed(-d.value if _direction(lower, d) else d.value) for d in deltas)
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
            warnings.append(f"{ends[0].label()} read as the new price, not as the change")
            values["price_to"] = ends[0].value
            before = round(ends[0].value - values["price_delta"], 2)
            if before > 0 and chosen.period not in ("year", "once"):
                values["price_from"] = before  # the pair the change implies
    elif percents:
        pct = percents[0].value
        values["price_delta_pct"] = -pct if _direction(lower, percents[0]) else pct
        if len(percents) > 1:
            warnings.append(
                "several percents (" + ", ".join(a.label() for a in percents) + "); read the first"
            )
    elif ends and len(ends) == 1:
        values["price_to"] = ends[0].value
        warnings.append(
            f"only the new price {ends[0].label()} is given: the size of the change is unknown"
        )
    elif money:
        values["price_delta"] = -money[0].value if _direction(lower, money[0]) else money[0].value
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


def signed(text: str, amount: Amount) -> bool | None:
    """Whether ``amount`` is written with a sign: True for "-$3" or "-5%" (a cut), False for
    "+$2", None for no sign (a hyphen inside "18-24" is no sign)."""
    m = re.search(r"(?:^|[\s(:,;])([+-])\s?\$?\s?$", text[: amount.start])
    return None if m is None else m.group(1) == "-"


def _direction(lower: str, amount: Amount) -> bool:
    """True when the change is downward (a cut): its sign when it has one, else the direction
    word nearest the amount in its sentence ("3 lines or more" is no direction)."""
    sign = signed(lower, amount)
    if sign is not None:
        return sign
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


def _temporary(text: str, skip: list[tuple[int, int]]) -> tuple[bool, int | None]:
    """Whether a price change is temporary, and for how many months."""
    lower = text.lower()
    for count, start, end in _free_durations(lower, skip):
        before = lower[max(0, start - 30) : start]
        after = lower[end : end + 30]
        if re.search(
            r"\b(?:for|first|next|during|over)\s*(?:the\s+)?(?:first\s+|next\s+)?$", before
        ) and not re.match(r"\s*(?:with us|of service|as a customer|or (?:more|longer))", after):
            return True, count
    if re.search(
        r"\btemporar\w*|\blimited[\s-]time\b|\bintroductory\b|\bpromotional\b|\bfor now\b", lower
    ):
        return True, None
    return False, None


def _free_durations(lower: str, skip: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Durations that are not part of an audience phrase ("with us over 3 years")."""
    return [d for d in durations(lower) if not any(s <= d[1] < e for s, e in skip)]


def _months(text: str, skip: list[tuple[int, int]]) -> int | None:
    lower = text.lower()
    for count, start, _ in _free_durations(lower, skip):
        before = lower[max(0, start - 24) : start]
        if re.search(
            r"\b(?:for|first|next|during|over|lasts?|up to)\s*(?:the\s+)?(?:first\s+|next\s+)?$",
            before,
        ):
            return count
    m = re.search(r"\b(\d+)[\s-]month (?:credit|discount|promo\w*|offer|deal)", lower)
    return int(m.group(1)) if m else None


def new_plan(text: str, money: list[Amount], values: dict[str, Any], warnings: list[str]) -> None:
    lower = text.lower()
    if not values.get("new_plan"):
        values["new_plan"] = None
    prices = [a for a in money if _role(text, a) not in ("worth", "credit")]
    intro = re.search(
        r"\b(?:first|for)\s+(\d+)\s+months?\b[^$.;]{0,20}\$\s?(\d+(?:\.\d+)?)|\$\s?(\d+(?:\.\d+)?)"
        r"[^.;$]{0,30}\b(?:for|during) (?:the )?(?:first )?(\d+) months?|\bintroductory (?:price "
        r"(?:of )?)?\$\s?(\d+(?:\.\d+)?)",
        lower,
    )
    intro_value = None
    if intro:
        if intro.group(1):
            values["price_months"], intro_value = int(intro.group(1)), float(intro.group(2))
        elif intro.group(3):
            intro_value, values["price_months"] = float(intro.group(3)), int(intro.group(4))
        else:
            intro_value = float(intro.group(5))
        values["intro_price"] = intro_value
    regular = [a for a in prices if a.value != intro_value]
    if regular:
        values["new_plan_price"] = regular[0].value
        if intro_value is not None:
            warnings.append(
                f"{regular[0].label()} read as the new plan's price and ${intro_value:g} as its "
                "introductory price"
            )
    elif intro_value is not None:
        values["new_plan_price"] = intro_value
    if intro_value is not None and values.get("price_months") is None:
        values["price_months"] = _months(text, values["_skip"])
    for a in money:
        if _role(text, a) in ("worth", "credit"):
            values["offer_value"] = a.value
    if not values.get("new_plan_price") and not money:
        warnings.append("the new plan's price is not given")
    if values.get("plans") and values.get("new_plan"):
        base = values["new_plan"].split()[0]
        values["plans"] = [p for p in values["plans"] if p != base]
    del lower


def competitor_offer(
    text: str, money: list[Amount], values: dict[str, Any], warnings: list[str]
) -> None:
    lower = text.lower()
    ours = re.search(r"\b(?:we|we'll|we will|snowmobile(?: wireless)?)\b[^.;]{0,30}\b(?:match|beat|"
                     r"counter|respond|answer)", lower)  # fmt: skip
    for a in money:
        before = lower[max(0, a.start - 50) : a.start]
        after = lower[a.end : a.end + 40]
        if ours:
            values.setdefault("offer_value", a.value)
        elif re.search(r"\b(?:switch\w*|port\w*|credit|card|bonus|cash|pay(?:s|ing)?|cover\w*|"
                     r"reimburs\w*|buy ?out|prepaid|per line)\b", before + " " + after[:25]) \
                and not re.match(r"\s*(?:/mo|a month|per month|monthly)", after):  # fmt: skip
            values.setdefault("competitor_credit", a.value)
        elif (
            re.match(r"\s*(?:/mo|a month|per month|monthly)", after)
            and re.search(r"\b(?:credit|off|discount|match|beat)\b", before + after)
            and re.search(r"\b(?:we|snowmobile|our)\b", lower)
        ):
            values.setdefault("offer_value", a.value)
        elif _role(text, a) == "delta" and re.search(r"\bby\s*$", before):
            warnings.append(
                f"the competitor's price changes by {a.label()}: its new price is not given"
            )
        else:
            values.setdefault("competitor_price", a.value)
    months = _months(text, values["_skip"])
    if months and values.get("offer_value") is not None:
        values["offer_months"] = months
    if len(money) > 1:
        warnings.append(
            "several amounts in a competitor's offer ("
            + ", ".join(a.label() for a in money)
            + "): check the competitor's price and credit"
        )


def offer(
    text: str,
    kind: Kind,
    money: list[Amount],
    percents: list[Amount],
    values: dict[str, Any],
    warnings: list[str],
) -> None:
    """An offer, credit or reward: its worth and how long it lasts."""
    worth = [a for a in money if _role(text, a) in ("credit", "worth", "delta", "to")]
    if worth:
        values["offer_value"] = worth[0].value
        if len(worth) > 1:
            warnings.append(
                "several amounts ("
                + ", ".join(a.label() for a in worth)
                + f"); read {worth[0].label()} as the offer's worth"
            )
    elif percents:
        warnings.append(
            f"the offer is {percents[0].label()} off: its dollar worth depends on each bill and "
            "is read at the history's typical worth"
        )
    months = _months(text, values["_skip"])
    if months:
        values["offer_months"] = months
    if kind == Kind.ADD_ON_BUNDLE:
        values["value_add"] = value_add_name(text.lower(), anywhere=True)
