"""How long an audience has been with us and how old it is: "customers with us over 3 years"
is tenure above 36 months, "customers 65 and over" an age from 65. Each reads only numbers
that stand in a tenure's or an age's context, and marks the span it read so that no other
reader takes it (a tenure is no place, no offer's months)."""

from __future__ import annotations

import re
from typing import Protocol

from cdt.scenario.model import PLANS


class Audience(Protocol):
    """What these readers fill in (``audience.Audience`` has it all)."""

    tenure_min_months: int | None
    tenure_max_months: int | None
    age_min: int | None
    age_max: int | None
    spans: list[tuple[int, int]]
    warnings: list[str]


_TENURE_CONTEXT = (
    r"(?:with (?:us|snowmobile|them|it|the company|the carrier)|tenure|"
    r"been (?:a )?(?:customer|member|subscriber)s?|been on (?:the|their|this|that|our) plan\b|"
    r"been on (?:" + "|".join(PLANS).lower() + r")\b|"
    r"(?:years?|months?) on the plan\b|"
    r"\bwith \d+(?:\.5)?\s*\+?\s*(?:years?|yrs?)\b|"
    r"(?:customers?|subscribers?|members?|users?) on \w+ for\b|"
    r"(?:customers?|subscribers?|members?) (?:over|more than|under|less than) \d+\s*"
    r"(?:years?|yrs?) on\b|"
    r"customers? (?:for|of)|members? (?:for|of)|loyal(?:ty|ists?)? (?:for|of)|"
    r"on (?:the )?(?:network|snowmobile)|years? of service|months? of service|subscribed|joined|"
    r"signed up|since joining|account history|history with us|"
    r"account age|-year customers?|-year members?|year customers?|month customers?|"
    r"\+\s*(?:years?|yrs?) (?:\w+ )?(?:customers?|members?|subscribers?)|"
    r"(?:customers?|subscribers?|members?|users?|accounts?|folks|people|anyone|everyone|"
    r"loyalists?|those) with (?:at least |more than |over |"
    r"under |less than |fewer than |"
    r"\d)|years? (?:on|at|with) (?:snowmobile|us)\b|long[\s-](?:time|standing|tenured?)\b|"
    r"(?:customers?|subscribers?|members?)\s*\(|"
    r"accounts? (?:over|more than|older than|at least) \d+\s*(?:years?|yrs?)\b|"
    r"(?:who've|who have|have|has) stayed\b|"
    # "Glacier customers over 10 yrs", "customers 3+ yrs": a count of years under 20 after
    # customers is how long they have been with us, not an age
    r"(?:customers?|subscribers?|members?|accounts?),? (?:(?:over|more than|under|less than|"
    r"with) )?1?\d\s*\+?\s*(?:years?|yrs?)\b(?!\s*old))"
)
_UNIT = r"(years?|yrs?|months?|mos?)"
_N = r"(\d+(?:\.5)?)"
_TENURE = (
    (r"\bbetween\s+" + _N + r"\s*(?:" + _UNIT + r")?\s+and\s+" + _N + r"\s+" + _UNIT, "between"),
    (r"\bat least\s+" + _N + r"\s*(?:" + _UNIT + r")?\s+(?:but|and)\s+(?:no more than|"
     r"not more than|at most|up to)\s+" + _N + r"\s+" + _UNIT, "between"),
    (_N + r"\s*(?:-|to)\s*" + _N + r"\s+" + _UNIT, "span"),
    (r"(?<!no )(?<!not )\b(?:more than|over|longer than|beyond|upwards of|greater than|past)\s+"
     + _N + r"\s*"
     + _UNIT, "gt"),
    (r"\b(?:at least|a minimum of|min(?:imum)?|no less than|no fewer than)\s+" + _N + r"\s*"
     + _UNIT, "ge"),
    (_N + r"\s*\+\s*" + _UNIT + r"|" + _N + r"\s*" + _UNIT + r"\s+(?:or|and)\s+(?:more|longer|"
     r"over|up|above|beyond)|" + _N + r"\s*" + _UNIT + r"\s+plus\b|" + _N
     + r"\s+or\s+more\s+" + _UNIT, "ge"),
    (r"\b(?:less than|under|fewer than|shorter than|below|within (?:their|the) first|in (?:their|"
     r"the) first|inside (?:their|the) first)\s+" + _N + r"\s*" + _UNIT, "lt"),
    (r"\b(?:up to|at most|no more than|a maximum of|within)\s+" + _N + r"\s*" + _UNIT + r"|"
     + _N + r"\s*" + _UNIT + r"\s+or\s+(?:less|fewer|under|shorter)", "le"),
    (_N + r"[\s-]" + r"(year|month)[\s-](?:customers?|members?|subscribers?)", "ge"),
    (r"\b(?:in|within|during) the (?:last|past|first) " + _N + r"\s*" + _UNIT, "le"),
)  # fmt: skip
#: what a number after "over" or "under" counts when it is no age: "over 11 hours"
_COUNTED = (
    r"hours?|hrs?\b|days?|minutes?|mins?\b|weeks?|lines?|towers?|sites?|stores?|cities|states|"
    r"countries|markets|miles|mbps|mb\b|tb\b|k\b|million|thousand"
)
_AGE_CONTEXT = r"(?:aged?|years? old|yo\b|seniors?|elderly|retirees?|older|younger|in their)"
_AGE = (
    (r"\b(?:aged?|ages)\s+(\d{2})\s*(?:-|to|–|and)\s*(\d{2})\b", "span"),
    (r"\bbetween\s+(?:the\s+)?ages?\s+(?:of\s+)?(\d{2})\s+and\s+(\d{2})\b", "span"),
    (r"\b(\d{2})\s*(?:-|to)\s*(\d{2})[\s-]+(?:years?|yrs?)[\s-]+olds?", "span"),
    (r"\bin their (\d)0s\b", "decade"),
    (r"\b(?:over|older than|above)[\s-]+(?:the age of\s+|age\s+)?(\d{2})\b(?!\s*(?:%|percent|"
     r"\$|dollars|gb|months?|years? with|years? of|" + _COUNTED + r"))", "gt"),
    (r"\b(\d{2})\s*(?:\+|and (?:over|older|up)|or older)"
     r"(?!\s*(?:months?|years? with|gb|%|days?|hours?|lines?|minutes?|mb|mbps))",
     "ge"),
    (r"\b(?:under|younger than|below)[\s-]+(?:the age of\s+|age\s+)?(\d{2})(?:s\b)?\b"
     r"(?!\s*(?:%|percent|\$|dollars|gb|months?|years? with|years? of|" + _COUNTED + r"))", "lt"),
    (r"\b(\d{2})\s*(?:and (?:under|younger|below)|or younger)", "le"),
    (r"\b(?:aged|age)\s+(\d{2})\b", "eq"),
    # "for customers 18 to 24", "Customers 18-26": ages (not "customers 3 to 5 years")
    (r"\b(?:customers?|members?|people|users|folks|subscribers|anyone|adults)\s+(\d{2})\s*"
     r"(?:-|to|–)\s*(\d{2})\b(?!\s*(?:months?|years? (?:with|of|on)|yrs|%|percent|gb|days?|"
     r"hours?|lines?|\$))", "span"),
)  # fmt: skip
#: a milestone of ours that a reward thanks: "thanks for 3 years", "for being with us 4 years",
#: "members hitting 10 years", "on their 5-year anniversary": that long with us, or longer
_MILESTONE = re.compile(
    r"(?:\bthank(?:s|[\s-]you)?\s+(?:you\s+)?for\s+(?:being with (?:us|them|snowmobile)\s+)?"
    r"(?:being (?:a |our )?(?:customer|member)s?\s+(?:for\s+)?)?|\bfor being with (?:us|them|"
    r"snowmobile)\s+(?:for\s+)?|\b(?:hitting|hits?|reach(?:ing|es)?|marking|on (?:their|your|"
    r"his|her))\s+(?:the\s+)?)(\d+(?:\.5)?|an?|one)[\s-]+(years?|yrs?)\b(?![\s-]+old\b)"
)
_SENIOR = re.compile(r"\bseniors?\b|\bretirees?\b|\b55\+", re.I)


def _number(value: str) -> float:
    return float(value)


def _to_months(value: float, unit: str) -> int:
    return round(value * 12) if unit.lower().startswith("y") else round(value)


def tenure(text: str, out: Audience) -> None:
    """The audience's tenure range, from phrases with a tenure context."""
    lower = text.lower()
    for pattern, how in _TENURE:
        for m in re.finditer(pattern, lower):
            if re.match(r"12-Month\b", text[m.start() : m.end()]):
                continue  # "12-Month customers": the contract, not a tenure
            window = lower[max(0, m.start() - 60) : m.end() + 40]
            self_evident = re.search(
                r"(?:year|month)[\s-](?:customers?|members?|subscribers?)", m.group(0)
            )
            if not (self_evident or re.search(_TENURE_CONTEXT, window)):
                continue
            if any(s <= m.start() < e for s, e in out.spans):
                continue
            groups = [g for g in m.groups() if g is not None]
            if how in ("between", "span"):
                nums = [g for g in groups if re.fullmatch(r"\d+(?:\.5)?", g)]
                units = [g for g in groups if not re.fullmatch(r"\d+(?:\.5)?", g)]
                unit = units[-1]
                low, high = _to_months(_number(nums[0]), unit), _to_months(_number(nums[1]), unit)
                out.tenure_min_months, out.tenure_max_months = low, high
            else:
                value = _to_months(_number(groups[0]), groups[1])
                if how == "gt":
                    out.tenure_min_months = value + 1
                elif how == "ge":
                    out.tenure_min_months = value
                elif how == "lt":
                    out.tenure_max_months = max(value - 1, 0)
                else:
                    out.tenure_max_months = value
            out.spans.append(m.span())
            if re.match(r"[^.;]{0,25}\b(?:are|is|will be|stay|remain)\s+(?:exempt|excluded|spared|"
                        r"unaffected|not affected)", lower[m.end() :]):  # fmt: skip
                _invert_tenure(out)
    milestone = _MILESTONE.search(lower)
    if out.tenure_min_months is None and out.tenure_max_months is None and milestone:
        count = milestone.group(1)
        out.tenure_min_months = _to_months(1 if count in ("a", "an", "one") else float(count), "y")
        out.spans.append(milestone.span(1))
    if (
        out.tenure_max_months is None
        and re.search(
            r"\bnew (?:customers|subscribers|members)\b|\bfirst[\s-]year (?:customers|members)\b"
            r"|\b(?:in|within|during) (?:their |your |the )?first (?:year|yr)\b",
            lower,
        )
        and re.search(r"(?<!for the )(?<!for your )(?<!for their )\bfirst[\s-](?:year|yr)\b", lower)
    ):
        out.tenure_max_months = 11


def _invert_tenure(out: Audience) -> None:
    """ "Customers with us 5+ years are exempt": the audience is everyone else."""
    low, high = out.tenure_min_months, out.tenure_max_months
    if low is not None and high is None:
        out.tenure_min_months, out.tenure_max_months = None, max(low - 1, 0)
    elif high is not None and low is None:
        out.tenure_min_months, out.tenure_max_months = high + 1, None
    else:
        return
    out.warnings.append("the customers named as exempt are left out of the audience")


def age(text: str, out: Audience) -> None:
    """The audience's age range."""
    lower = text.lower()
    for pattern, how in _AGE:
        for m in re.finditer(pattern, lower):
            if any(s < m.end() and m.start() < e for s, e in out.spans):
                continue
            window = lower[max(0, m.start() - 40) : m.end() + 30]
            if how in ("gt", "ge", "lt", "le") and not re.search(
                _AGE_CONTEXT + r"|\bcustomers? (?:over|under|aged)|\b(?:over|under)[\s-]\d{2}s?\b"
                r"(?!\s*(?:months|years|"
                + _COUNTED
                + r"))|\d{2}\s*(?:\+|and over|and older|or older|and up|and "
                r"under|and younger|or younger)",
                window,
            ):
                continue
            values = [int(g) for g in m.groups() if g]
            if how == "span":
                out.age_min, out.age_max = values[0], values[1]
            elif how == "decade":
                out.age_min, out.age_max = values[0] * 10, values[0] * 10 + 9
            elif how in ("gt", "ge") and out.age_min is not None:
                continue  # "customers 65 and over ..., a gap with rival 55+ plans": the first
            elif how in ("lt", "le") and out.age_max is not None:
                continue
            elif how == "gt":
                out.age_min = values[0] + 1
            elif how == "ge":
                out.age_min = values[0]
            elif how == "lt":
                out.age_max = values[0] - 1
            elif how == "le":
                out.age_max = values[0]
            else:
                out.age_min = out.age_max = values[0]
            out.spans.append(m.span())
    if out.age_min is None and out.age_max is None and _SENIOR.search(lower):
        out.age_min = 65
        out.warnings.append("'seniors' read as customers aged 65 and over")
