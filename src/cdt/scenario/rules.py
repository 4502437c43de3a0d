"""The rule parse: a typed scenario from an announcement's words, with every guess said.

It reads the kind of event, the price change (in dollars or percent, as a change or as
from/to, temporary or not), an offer's worth and duration, a competitor, a channel, and the
audience (``audience``). Numbers that are not money (dates, GB, hours, line counts, "5G")
are ignored. Whenever the words allow two readings, the reading taken is stated in a
warning, e.g. "two amounts, $95 and $85; read as a change of -$10".
"""

from __future__ import annotations

import re
from typing import Any

from cdt.scenario import audience as A
from cdt.scenario import kinds as K
from cdt.scenario import offers as O
from cdt.scenario import prices as P
from cdt.scenario import rivals
from cdt.scenario.changes import format_changes
from cdt.scenario.distractors import RIVALS_SAY, WHY, blanked, distractor
from cdt.scenario.launches import reached
from cdt.scenario.learned import second_reading
from cdt.scenario.model import PLANS, PRICE_FIELDS, Change, Kind, Scenario, build
from cdt.scenario.numbers import amounts, words_to_digits
from cdt.scenario.several import UNCHANGED, read_changes, respective
from cdt.scenario.text import clean

#: the plans' names as one alternation, for the patterns below
_PLANS = "|".join(PLANS)


def parse(text: str, *, template: str | None = None) -> Scenario:
    """The typed scenario that ``text`` describes, with its warnings.

    Raises:
        ConfigError: empty or over-long text.
    """
    cleaned = clean(text)
    body, warnings = K.strip_injection(cleaned)
    if not body:
        warnings.append("nothing but instructions in the scenario: read as 'other'")
    read = _digits(_normalise(body))
    values: dict[str, Any] = {"text": cleaned, "template": template}
    if template:
        values["source"] = "template"
    people = A.read(read)
    found = [a for a in amounts(read) if not distractor(read, a)]
    why = WHY.search(read)  # "... on July 1. Rationale: roaming costs up 12% and fees of $18M"
    if why:
        found = [a for a in found if a.start < why.start()]
    competitor = rivals.competitor(read[: why.start()] if why else read)
    if competitor in rivals.GENERIC and _OURS_MOVED.search(read):
        competitor = None  # "the regional carrier cut Glacier to $22": a press name for us
    kind = K.kind(read, found, competitor, people)
    kind, learned = second_reading(
        body,
        kind,
        rival=competitor is not None,
        launched=people.new_plan is not None,
        sized=any(a.unit in ("$", "%") for a in found),
    )
    warnings += learned
    values.update(_audience_values(people))
    values["_skip"] = people.spans
    warnings += people.warnings
    values["channel"] = K.channel(read)
    # a rival named in a text about our own move is its reason, not the event
    values["competitor"] = competitor if kind == Kind.COMPETITOR_OFFER else None
    if kind != Kind.COMPETITOR_OFFER:  # "although rivals already charge $3.49, we will ...": theirs
        found = [a for a in found if not RIVALS_SAY.search(read[max(0, a.start - 40) : a.start])]
    money = [a for a in found if a.unit == "$"]
    percents = [a for a in found if a.unit == "%"]
    if kind == Kind.PRICE_CHANGE and P.only_credits(read, money):
        # "a $50 bill credit for everyone": money given back once, not a price rise
        kind = Kind.LOYALTY_REWARD
        warnings.append("a bill credit with no outage named is read as a loyalty reward")
    if kind in (Kind.PRICE_CHANGE, Kind.FEE, Kind.PRICE_CHANGE_VALUE_ADD):
        said: list[str] = []
        kind = P.price(read, kind, money, percents, values, said)
        changes = read_changes(blanked(read, found), kind, _clause) if kind != Kind.FEE else None
        if changes:
            values.update({f: None for f in PRICE_FIELDS}, changes=changes, plans=[])
            read_as = [Change(**c) for c in changes]
            said = [
                "several price changes, read as "
                + "; ".join(c.words() for c in read_as)
                + f" (if that is wrong, correct it with --set changes='{format_changes(read_as)}')"
            ]
        warnings += said
    elif kind == Kind.NEW_PLAN:
        O.new_plan(read, money, values, warnings)
        values["plans"] = reached(read, values["plans"])
    elif kind == Kind.COMPETITOR_OFFER:
        answer = rivals.our_cut(read, competitor or "")
        if answer is not None:  # "Snowmobile answered by cutting Powder $5 to $50"
            money = [a for a in money if a.start < answer]
            values.update({k: v for k, v in _clause(read[answer:], Kind.PRICE_CHANGE).items()
                           if k != "_skip"})  # fmt: skip
        O.competitor_offer(read, money, values, warnings)
        if answer is not None:
            values["offer_months"] = None  # our cut's months are its price's
    elif kind in (Kind.POLICY_CHANGE, Kind.OTHER):
        if money or percents:
            warnings.append(
                "amounts " + ", ".join(a.label() for a in found) + " are not read as a price "
                "change: no price, fee or offer is named"
            )
    else:
        O.offer(read, kind, money, percents, values, warnings)
    if kind not in (Kind.NEW_PLAN,):
        values["new_plan"] = None
    values["kind"] = kind
    _bounds_that_hold(values, warnings)
    values["warnings"] = _unique(warnings)
    del values["_skip"]
    return build(values)


#: a generic carrier that moves one of our plans' prices is Snowmobile, as the press says it
_OURS_MOVED = re.compile(
    r"\b(?:regional|local) (?:carrier|provider|operator)\s+(?:will\s+|has\s+)?(?:cut|raised|lifted|"
    r"lowered|increased|dropped|moved|trimmed|hiked|reduced|repriced)\s+(?:the price of\s+)?"
    r"(?:its\s+)?(?:" + _PLANS + r")\b",
    re.IGNORECASE,
)


def _clause(clause: str, kind: Kind) -> dict[str, Any]:
    """One clause's price change, read as a whole announcement's is."""
    found = [a for a in amounts(clause) if not distractor(clause, a)]
    values: dict[str, Any] = {"_skip": []}
    P.price(clause, kind, [a for a in found if a.unit == "$"],
            [a for a in found if a.unit == "%"], values, [])  # fmt: skip
    return values


#: how the rules say that an audience's bounds were read the wrong way round (``plausible``
#: doubts such a reading)
BOUNDS = "which cannot both hold"


def _bounds_that_hold(values: dict[str, Any], warnings: list[str]) -> None:
    """A lower bound read above its upper one ("at least 5 years ... under 2 years") is no
    audience the words can mean: both are left out, and said, rather than refusing the text."""
    for low, high, what in (("tenure_min_months", "tenure_max_months", "tenure in months"),
                            ("age_min", "age_max", "age")):  # fmt: skip
        if None not in (values.get(low), values.get(high)) and values[low] > values[high]:
            warnings.append(
                f"{what} read as at least {values[low]} and at most {values[high]}, {BOUNDS}: "
                "both left out"
            )
            values[low] = values[high] = None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


#: the shorthand of quick notes, in full: what the rules' words are written for
_SHORT = (
    (r"(?i)\bw/(?=\s?[\w$])\s?", "with "), (r"(?i)\bw/o\b\s?", "without "),
    (r"\bincl\.?(?=\s)", "including"), (r"\bcusts?\b", "customers"), (r"\baccts?\b", "accounts"),
    (r"\btil\b", "until"), (r"\bppl\b", "people"), (r"(?i)\bthx\b", "thanks"),
)  # fmt: skip


def _normalise(text: str) -> str:
    """One spelling for dashes, quotes and arrows; "5 more dollars" as "5 dollars more"."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\u2018\u2019\u02bc]", "'", text)
    text = re.sub(r"[\u201c\u201d]", '"', text)
    text = re.sub(r"\bUSD\s?(?=\d)", "$", text)
    for short, long in _SHORT:  # "w/ Netflix", "Powder cust", "til Labor Day"
        text = re.sub(short, long, text)
    text = _RESPECTIVELY.sub(
        r"\g<p1> \g<v1> \g<n1> (\g<was> \g<o1>) and \g<p2> \g<v2> \g<n2> (\g<was> \g<o2>)", text
    )
    text = respective(text)
    # "$10→$5", "25 -> 27": an arrow between two amounts is a from/to pair
    text = re.sub(
        r"(?<![\w$.+-])(\$?)\s?(\d+(?:\.\d+)?)\s*(?:→|->|=>|⟶)\s*(\$?)\s?(\d+(?:\.\d+)?)"
        r"(?!\s*(?:%|percent|gb|mb|tb|lines?|months?|mos?|years?|yrs?)\b|\s*%)",
        r"from $\2 to $\4",
        text,
        flags=re.I,
    )  # fmt: skip "Glacier 25→27": dollars
    text = re.sub(r"\s*(?:→|->|=>|⟶)\s*", " to ", text)
    # "tenure <2 yrs", ">= 65": comparison signs before a number, in words
    for sign, words in (("<=", "up to"), (">=", "at least"), ("<", "under"), (">", "over")):
        text = re.sub(rf"(?<![<>=-]){re.escape(sign)}\s*(?=\d)", f"{words} ", text)
    # "no other plans, fees or terms are affected" names nothing that happens
    text = re.sub(r"\bno other\b[^.;]*\b(?:affected|chang\w*|impacted)\b", " ", text, flags=re.I)
    text = _without_the_unchanged(_table_rows(text))
    return re.sub(r"(?<=\d)\s?(?:/\s?mo(?:nth)?\.?)\b", "/mo", text)


_MONEY = r"\$\s?\d+(?:\.\d+)?"
#: "Glacier is $26/mo and Flurry is $37/mo (previously $25 and $35)": each old price with its plan
_RESPECTIVELY = re.compile(
    rf"\b(?P<p1>{_PLANS})\s+(?P<v1>is|will be|goes to|moves to)\s+(?P<n1>{_MONEY}(?:/mo)?)"
    rf"\s+and\s+(?P<p2>{_PLANS})\s+(?P<v2>is|will be|goes to|moves to)\s+"
    rf"(?P<n2>{_MONEY}(?:/mo)?)\s*\(\s*(?P<was>previously|was|were|from|up from|down from)\s+"
    rf"(?P<o1>{_MONEY})\s+and\s+(?P<o2>{_MONEY})(?:,?\s*respectively)?\s*\)"
)
_TABLE_HEAD = re.compile(
    r"\bplans?\s*\|\s*(?:old|current|was|from|before|today)\w*\s*\|\s*(?:new|to|now|after)\w*"
    r"(?:\s*\|\s*(?:eff\w*\.?|effective|date|starts?|from|when))?\s*\|?",
    re.IGNORECASE,
)
_TABLE_ROW = re.compile(
    r"\b(" + _PLANS + r")\s*\|\s*\$?\s?(\d+(?:\.\d+)?)\s*\|\s*\$?\s?(\d+(?:\.\d+)?)"
    r"(?:\s*\|\s*([^|$;(]*?))?\s*\|?[\s;]*(?=\b(?:" + _PLANS + r")\s*\||\(|$)",
    re.IGNORECASE,
)


def _table_rows(text: str) -> str:
    """A table of old and new prices ("Plan | Old | New", then "Glacier | $25 | $27") as the
    sentences it stands for ("Glacier from $25 to $27;")."""
    if not _TABLE_HEAD.search(text):
        return text
    return _TABLE_ROW.sub(
        lambda m: (
            f"{m.group(1)} from ${m.group(2)} to ${m.group(3)}"
            + (f" (effective {m.group(4).strip()})" if m.group(4) and m.group(4).strip() else "")
            + "; "
        ),
        _TABLE_HEAD.sub("", text),
    ).strip()


_PRICED = re.compile(r"\$\s?\d|\d\s?(?:%|percent\b|dollars?\b|bucks?\b)", re.I)
#: a clause about people ("customers with us 5+ years are exempt") says who the audience is not
_PEOPLE = re.compile(
    r"\b(?:customers?|subscribers?|members?|users?|accounts?|lines?|those|anyone|who|people|"
    r"seniors?|students?|families)\b",
    re.IGNORECASE,
)
_A_PLAN = re.compile(r"\b(?:" + _PLANS + r")\b")


def _without_the_unchanged(text: str) -> str:
    """``text`` without its clauses that say something else stays as it is and name neither
    a plan nor an amount ("...; 5G home bundles are unaffected"), when another clause names an
    amount: they change nothing, and their words (a bundle, a contract) are not the event's."""
    parts = re.split(r"(?<=[.;])\s+", text)
    kept = [
        p
        for p in parts
        if not UNCHANGED.search(p) or any(r.search(p) for r in (_PRICED, _A_PLAN, _PEOPLE))
    ]
    return " ".join(kept) if len(kept) < len(parts) and _PRICED.search(" ".join(kept)) else text


#: after a number: no unit that makes it something other than dollars
_NO_UNIT = (
    r"(?!\s*(?:%|percent|gb|mb|gigs?\b|months?|years?|weeks?|lines?|days?|hours?|[ap]\.?m\b|[:/]))"
)


def _digits(text: str) -> str:
    text = words_to_digits(text)
    # a currency given once for a range: "from 35 to 40 dollars", "from $75 to 79", "25 to $27"
    number = r"\d+(?:\.\d+)?"
    text = re.sub(rf"\b((?:from\s+)?)({number})\s+to\s+({number})\s+(?:dollars?|bucks?|usd)\b",
                  r"\1$\2 to $\3", text, flags=re.I)  # fmt: skip
    # "lowers Flurry to 30 from 35 dollars": the same, the other way round
    text = re.sub(rf"\b(to\s+)({number})\s+from\s+({number})\s+(?:dollars?|bucks?|usd)\b",
                  r"\1$\2 from $\3", text, flags=re.I)  # fmt: skip
    # "Flurry is now 40 instead of 35": a plan's bare pair is its new and old price
    text = re.sub(rf"\b({_PLANS})([^.;$\d]{{0,20}}?)\b({number})\s+(instead of|rather than)\s+"
                  rf"({number})\b"
                  rf"{_NO_UNIT}", r"\1\2$\3 \4 $\5", text, flags=re.I)  # fmt: skip
    # "Glacier is now 27 a month": a bare number with a month is a price
    text = re.sub(rf"((?:\b(?:is|are|costs?|will be|goes to|becomes?|wants?|charg\w+|at)|[:,])\s+"
                  rf"(?:now\s+)?)"
                  rf"({number})\s+(?=a month\b|per month\b|/mo\b|monthly\b)",
                  r"\1$\2 ", text, flags=re.I)  # fmt: skip
    # "Glacier goes 25 to 27": a plan's bare pair of numbers is its old and new price
    text = re.sub(rf"\b({_PLANS})([:\s]+(?:goes|moves|is going|will go)?\s*(?:from\s+)?)({number})"
                  rf"\s+to\s+({number})\b{_NO_UNIT}",
                  r"\1\2$\3 to $\4", text, flags=re.I)  # fmt: skip
    if "$" in text:  # "now $99 with Disney+ included, was 95": a price the plan had
        text = re.sub(rf"\b((?:it|that|which|they)\s+(?:was|were|used to be)\s+|,\s*was\s+)"
                      rf"({number})\b(?!\.?\d){_NO_UNIT}", r"\1$\2", text, flags=re.I)  # fmt: skip
    # "drops by five bucks to $70, and Summit drops by ten to $85": the change's currency
    text = re.sub(rf"\b(by\s+)({number})(\s+to\s+\$)", r"\1$\2\3", text, flags=re.I)
    if "$" in text:  # "Glacier to $27 (+2)", "..., instead of 35": the same currency
        text = re.sub(r"\(\s*([+-])\s*(\d+(?:\.\d+)?)\s*\)", r"(\1$\2)", text)
        text = re.sub(rf"\b(instead of|rather than|down from|up from|normally|usually|regularly)\s+"
                      rf"({number})\b(?!\.?\d){_NO_UNIT}", r"\1 $\2", text, flags=re.I)  # fmt: skip
    if "$" in text:  # "Powder to $58 on the 1st (was 55)"
        text = re.sub(rf"\((\s*(?:was|from|previously|down from|up from|vs\.?)\s+)({number})\s*\)",
                      r"(\1$\2)", text, flags=re.I)  # fmt: skip
    # "falls 5 dollars to 20": the change's currency names the price after it too
    text = re.sub(rf"\b({number})\s+(?:dollars?|bucks?)(,?\s+to\s+)({number})\b{_NO_UNIT}"
                  r"(?!\s*(?:dollars?|bucks?))", r"$\1\2$\3", text, flags=re.I)  # fmt: skip
    text = re.sub(rf"(\$\s?{number})(\s*(?:/mo|a month|per month)?,?\s+to\s+)({number})\b"
                  rf"{_NO_UNIT}", r"\1\2$\3", text, flags=re.I)  # fmt: skip
    text = re.sub(rf"\bfrom\s+({number})(\s+to\s+\$)", r"from $\1\2", text, flags=re.I)
    if "$" in text:  # "... from 95 to 90 dollars, Avalanche from 140 to 130": the same currency
        text = re.sub(rf"\bfrom\s+({number})\s+to\s+({number})\b(?!\s*(?:%|percent|gb|mb|months?|"
                      r"years?|lines?|days?|hours?|mbps|gigs?\b|[ap]\.?m\b|[:/]))",
                      r"from $\1 to $\2", text, flags=re.I)  # fmt: skip
    price = rf"(?:\$\s?{number}|{number}\s+(?:dollars?|bucks?))(?:/mo| a month)?"
    text = re.sub(rf"({price},?\s+(?:instead of|rather than|not|down from|up from|vs\.?|versus|"
                  rf"compared to)\s+)({number})\b(?!\s*(?:%|percent|gb|months?|years?))",
                  r"\1$\2", text, flags=re.I)  # fmt: skip
    text = re.sub(r"\b(than|over|under|least|most|within|past|last|about|nearly|almost)\s+"
                  r"(?:a|an|one)\s+(year|month)\b", r"\1 1 \2", text, flags=re.I)  # fmt: skip
    text = re.sub(r"\b(\d+)\s+(?:dollars?|bucks?)\s+(?:and\s+)?(\d{2})\b"
                  r"(?!\s*(?:%|percent|gb|months?|years?))",
                  r"$\1.\2", text)  # "1 dollar 50"  # fmt: skip
    text = re.sub(r"\b(\d+(?:\.\d+)?)\s+(more|extra|additional|fewer|less)\s+(dollars?|bucks?)\b",
                  r"\1 \3 \2", text)  # fmt: skip
    # "introductory price 15 dollars": an amount in dollars, written as one with "$"
    text = re.sub(rf"(?<![$\d.,])({number})[\s-](?:dollars?|bucks?)\b"
                  r"(?!\s+(?:and\s+)?\d+\s*cents?)", r"$\1", text, flags=re.I)  # fmt: skip
    if "$" in text:  # "$25 through the end of the school year, then back to 35": dollars too
        text = re.sub(rf"\b(then (?:back )?to\s+)({number})\b(?!\.?\d){_NO_UNIT}", r"\1$\2", text,
                      flags=re.I)  # fmt: skip
    if "$" in text:  # "was twenty-five bucks ... and now it's twenty-seven": the same currency
        text = re.sub(rf"\b(now(?: it's| it is| is| costs?)?\s+)({number})\b(?!\.?\d){_NO_UNIT}"
                      r"(?!\s*(?:gb|mb|k\b|m\b|x\b))", r"\1$\2", text, flags=re.I)  # fmt: skip
    # "$49 a month, 39 for the first year": a bare second price bounded in time is a price too
    text = re.sub(rf"(\$\s?{number}(?:/mo| a month)?,?\s+(?:then\s+|but\s+|and\s+)?)({number})"
                  rf"(?=\s+(?:for (?:the |your )?first|for \d+ months|until|through|thru|intro))",
                  r"\1$\2", text, flags=re.I)  # fmt: skip
    return text


def _audience_values(people: A.Audience) -> dict[str, Any]:
    return {
        "plans": people.plans,
        "target_plan": people.target_plan,
        "new_plan": people.new_plan,
        "tenure_min_months": people.tenure_min_months,
        "tenure_max_months": people.tenure_max_months,
        "age_min": people.age_min,
        "age_max": people.age_max,
        "states": people.states,
        "regions": people.regions,
        "dmas": people.dmas,
        "zips": people.zips,
        "places": people.places,
        "segments": people.segments,
        "contract_types": people.contract_types,
        "device_tiers": people.device_tiers,
    }
