"""Numbers in announcements: word numbers, and every amount with its unit.

An announcement carries many numbers that are not prices: dates, data allowances, hours,
line counts, "5G". ``mentions`` finds each number with what it measures, so the parser can
read dollars and percents and ignore the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD = re.compile(
    r"(?<!apple )(?<!apple-)\b(?:a[\s-]+(?:hundred|thousand)|"
    + "|".join(_UNITS)
    + r")(?:[\s-]+(?:and[\s-]+)?(?:"
    + "|".join([*_UNITS, *_SCALES])
    + r"))*\b(?![\s-]*time\b)",
    re.I,
)
_HALF = re.compile(r"\b(?:a|one)[\s-]+half\b|\bhalf[\s-]+(?:a|an)\b", re.I)
_A_UNIT = re.compile(
    r"\b(?:a|an|one)\s+(dollar|buck|decade|dozen)\b"
    r"(?!\s*(?:and\s+(?:a\s+half|[\w-]+\s+cents?)\b|[-/]))",
    re.I,
)
_AND_A_HALF = re.compile(r"\b(?:a|one)\s+(dollar|buck)\s+and\s+a\s+half\b", re.I)


def _value(words: list[str]) -> int | None:
    if (  # a price said the spoken way: "one-twenty" is 120, "one forty-nine" 149
        len(words) in (2, 3)
        and 1 <= _UNITS.get(words[0], 0) <= 9
        and 10 <= _UNITS.get(words[1], 0) <= 90
        and (len(words) == 2 or (_UNITS[words[1]] >= 20 and 1 <= _UNITS.get(words[2], 0) <= 9))
    ):
        return _UNITS[words[0]] * 100 + sum(_UNITS[w] for w in words[1:])
    total, current, seen = 0, 0, False
    for word in words:
        if word in ("and",):
            continue
        if word == "a":
            current = max(current, 1)
            continue
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] == 1000:
                total, current = total + current, 0
            seen = True
    return total + current if seen else None


def words_to_digits(text: str) -> str:
    """``text`` with word numbers written as digits ("five dollars" → "5 dollars",
    "twenty-five percent" → "25 percent", "a dollar more" → "1 dollar more")."""
    text = _AND_A_HALF.sub(lambda m: f"1.5 {m.group(1)}s", text)
    text = _HALF.sub("0.5", text)
    text = _A_UNIT.sub(
        lambda m: (
            ("12" if m.group(1).lower() == "dozen" else "1") + " " + m.group(1)
            if m.group(1).lower() != "decade"
            else "10 years"
        ),
        text,
    )

    def swap(match: re.Match[str]) -> str:
        words = re.split(r"[\s-]+", match.group(0).lower())
        value = _value(words)
        return match.group(0) if value is None else str(value)

    return _WORD.sub(swap, text)


_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
_MONEY = re.compile(
    r"(?:\$|\busd\s?)\s?" + _NUMBER + r"(\s?k\b)?"
    r"|" + _NUMBER + r"[\s-]?(?:dollars?|bucks?|usd)\b"
    r"|" + _NUMBER + r"[\s-]?(?:cents?|¢)"
    r"|(?<![\d.$])(\d{1,3})\.(\d\d)(?=\s?/\s?mo\b)",  # "add it for 9.99/mo": a price, no "$"
    re.I,
)
_PERCENT = re.compile(_NUMBER + r"\s?(?:%|percent\b|per\s?cent\b|pct\b)", re.I)
_MONTHLY = re.compile(
    r"^\s*(?:(?:more|extra|less|off|higher|lower|additional|a line|per line)\s+)?"
    r"(?:/\s?|per\s|a\s|an\s|each\s|every\s)\s*(?:mo\b|mos\b|month|mth|billing cycle)",
    re.I,
)
_YEARLY = re.compile(
    r"^\s*(?:/\s?|per\s|a\s|each\s|every\s)\s*(?:yr\b|year|annum)|^\s*annually", re.I
)
_ONCE = re.compile(r"one[\s-]time|once|up[\s-]?front|single", re.I)


@dataclass(frozen=True)
class Amount:
    """A number found in the text: its value, unit and place."""

    value: float
    unit: str  # "$" or "%"
    start: int
    end: int
    period: str | None = None  # "month", "year" or "once"

    def label(self) -> str:
        if self.unit == "%":
            return f"{self.value:g}%"
        return f"${self.value:,.2f}".replace(".00", "")


def _number(whole: str, fraction: str | None) -> float:
    return float(whole.replace(",", "") + ("." + fraction if fraction else ""))


def amounts(text: str) -> list[Amount]:
    """Every dollar and percent amount in ``text`` (word numbers already digits), in order."""
    found: list[Amount] = []
    for m in _MONEY.finditer(text):
        if m.group(1) is not None:
            value = _number(m.group(1), m.group(2)) * (1000 if m.group(3) else 1)
        elif m.group(4) is not None:
            value = _number(m.group(4), m.group(5))
        elif m.group(8) is not None:
            value = _number(m.group(8), m.group(9))
        else:
            value = _number(m.group(6), m.group(7)) / 100
        found.append(Amount(value, "$", m.start(), m.end(), _period(text, m.end())))
    taken = [(a.start, a.end) for a in found]
    for m in _PERCENT.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            found.append(Amount(_number(m.group(1), m.group(2)), "%", m.start(), m.end()))
    return sorted(found, key=lambda a: a.start)


def _period(text: str, end: int) -> str | None:
    after = text[end : end + 24]
    if _MONTHLY.search(after):
        return "month"
    if _YEARLY.search(after):
        return "year"
    before = text[max(0, end - 40) : end]
    if _ONCE.search(after[:16]) or _ONCE.search(before):
        return "once"
    return None


_DURATION = re.compile(
    r"\b(\d+)\s?(?:-\s?)?(months?|mos?\b|mths?|years?|yrs?|weeks?|wks?)\b"
    r"(?![\s-]+(?:customers?|subscribers?|contracts?|agreements?|accounts?|members?|"
    r"installments?|device (?:plans?|payments?|balances?))\b)",
    re.I,
)


def months(count: str, unit: str) -> int:
    """A duration in months ("2", "years" → 24)."""
    n = int(count)
    unit = unit.lower()
    if unit.startswith(("y",)):
        return n * 12
    if unit.startswith("w"):
        return 0  # "for three weeks": no count of months (weeks are not months)
    return n


_ONE_UNIT = re.compile(
    r"\b(?:for|first|within|next|past|last|after|over)\s+(?:the\s+)?((?:an?|"
    r"one)\s+(?:full\s+)?(year|month))\b",
    re.I,
)

#: "for the first year", "for the next year"
_FIRST_UNIT = re.compile(r"\b(?:first|next|coming|following)\s+(year)\b", re.I)


def durations(text: str) -> list[tuple[int, int, int]]:
    """Every duration in ``text``: (months, start, end)."""
    found = [(months(m.group(1), m.group(2)), m.start(), m.end()) for m in _DURATION.finditer(text)]
    found += [(months("1", m.group(2)), m.start(1), m.end()) for m in _ONE_UNIT.finditer(text)]
    found += [(months("1", m.group(1)), m.start(), m.end()) for m in _FIRST_UNIT.finditer(text)]
    return sorted((d for d in found if d[0] > 0), key=lambda d: d[1])
