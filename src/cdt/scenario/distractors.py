"""Amounts in an announcement that are no part of its event: a company's figures ("$1.2
billion", "churn was 0.9%", "reaches 93% of people"), the reasons given after a decision
("Rationale: roaming costs up 12%"), and a rival's prices named as the context of our own move
("although rivals already charge $3.49")."""

from __future__ import annotations

import re

from cdt.scenario.model import PLANS
from cdt.scenario.numbers import Amount, amounts

_PLANS = "|".join(PLANS)

#: a decision's reasons, after it: their figures are no part of the event
WHY = re.compile(
    r"(?:[.;!?]\s+)(?:rationale|background|context|why|reasons?|for context|the trigger|the intent|"
    r"the thinking|drivers?)\s*:",
    re.IGNORECASE,
)
#: a rival's amount named as the context of our own move
RIVALS_SAY = re.compile(
    r"\b(?:rivals?|competitors?|other carriers|the big three|national carriers|cable mvnos?|"
    r"overbuilders?)\s+(?:\w+\s+){0,2}(?:charg|pric|sell|list|ask|offer)\w*\s+(?:\w+\s+){0,2}$|"
    r"\b(?:rivals|competitors)'\s*(?:\w+\s+)?$",
    re.IGNORECASE,
)


def blanked(text: str, kept: list[Amount]) -> str:
    """``text`` with its amounts that are no price ("reaches 93% of people") blanked out."""
    ours = {(a.start, a.end) for a in kept}
    for a in amounts(text):
        if (a.start, a.end) not in ours:
            text = text[: a.start] + " " * (a.end - a.start) + text[a.end :]
    return text


def distractor(text: str, amount: Amount) -> bool:
    """An amount that is not a price: millions of revenue, a percent of uptime, coverage or a
    share of customers."""
    if amount.unit == "$":  # "$12M in annual revenue", "$1.2 billion": a company's figure
        if amount.value == 0 and re.match(r"\s*down\b", text[amount.end :], re.I):
            return True  # "a new phone for $0 down": financing, no offer's worth
        return bool(
            re.match(r"\s?(?:m|mm|mn|bn|b|million|billion)\b|"
                     r"\s*(?:more |less |higher |lower |extra )?(?:in\s+)?arpu\b|"
                     r"\s*(?:to|-|–)\s*\$?\s?\d+(?:\.\d+)?\s?(?:m|mm|bn|b|million|billion)\b|"
                     r"\s*(?:in|of) (?:lifetime value|ltv|arpu|revenue)\b",
                     text[amount.end :], re.I)
            or re.search(r"\b(?:arpu\b[^.;$]{0,16}|price target\s*(?:of\s*)?|pt\s*)~?$|"
                         r"\barpu\b(?:[^.;]|\.(?=\d)){0,40}\bby\s*$|"
                         r"\b(?:average revenue per (?:user|account)|average (?:monthly )?"
                         r"(?:bill(?:ing)?|spend))\s*(?:is|of|at|was|runs|near)?\s*(?:about |"
                         r"roughly )?$|"
                         # "their bills average $71", "lifetime value ... at $6,800"
                         r"\baverag(?:e|es|ed|ing)\s*(?:about |roughly |around |near(?:ly)? )?$|"
                         r"\blifetime value\b[^.;$]{0,30}$",
                         text[max(0, amount.start - 50) : amount.start], re.I)
            or re.match(r"\s?(?:price target|target price|pt)\b|"
                        r"\s*(?:per|a|each) (?:unit|piece|handset sold|share|device sold)\b|"
                        r"\s*(?:a month |monthly )?on average\b|"
                        r"\s*(?:we|it|they) (?:spend|spent|pay|paid|lose|lost)\b",
                        text[amount.end : amount.end + 40], re.I)
        )  # fmt: skip
    if amount.unit != "%":
        return False
    after = text[amount.end : amount.end + 30].lower()
    before = text[max(0, amount.start - 30) : amount.start].lower()
    measured = re.search(r"\b(?:churn|share|growth|margin|adoption|penetration|nps|satisfaction|"
                         r"uptime|coverage|reach(?:es)?|revenue|sales|earnings|profit|ebitda|arpu|"
                         r"million|billion|traffic|capacity|usage|volumes?|visits|claims|"
                         r"requests|calls|tickets|complaints|attach(?: rate)?|defaults?|"
                         r"delinquenc\w*|congestion|utili[sz]ation|latency|speeds?)\b"
                         r"([^.;$%]{0,20})$",
                         before)  # fmt: skip
    if re.search(r"\b(?:costs?|expenses?|opex|capex|spend\w*)\s+(?:have |has )?(?:climbed|rose|"
                 r"grew|increased|jumped|are up|were up|up|fell|dropped|declined|went up|"
                 r"rising)\s*(?:by\s*)?(?:about |roughly |nearly )?$", before) or re.match(
        r"\s*(?:rise|increase|drop|decline|jump|uptick|growth|climb|gap|premium) (?:in|"
        r"to) (?:\w+ )?"
        r"(?:churn|costs?|opex|capex|traffic|usage|fraud|port[\s-]?outs|complaints|calls|demand|"
        r"cost per gb|the nearest)", after
    ) or re.match(
        r"\s*(?:(?:blended|monthly|annual|annualized|postpaid|prepaid|phone|voluntary|"
        r"quarterly)\s+)?"
        r"(?:churn|attach rate|market share|share of|gross margin|ebitda margin|dividend yield|"
        r"take rate|penetration|utilization|of (?:gross|net) adds)\b", after
    ):  # fmt: skip
        return True  # "because tower-lease costs climbed 11%", "a 2.4% rise in churn"
    if measured and not re.search(r"\b(?:" + _PLANS + r")\b", measured.group(1), re.I):
        return True  # "churn was 0.9%", "coverage at 98%"; not "churn if Glacier goes up 3%"
    if re.search(r"\b(?:(?:up|down) from|versus|vs\.?|compared (?:to|with))\s*$", before) and any(
        distractor(text, other) for other in amounts(text[: amount.start]) if other.unit == "%"
    ):
        return True  # "reaches 98% of customers, up from 91%": the same measure
    return bool(
        re.match(r"\s*(?:year[\s-]over[\s-]year|yoy\b|y/y|from a year (?:ago|earlier)|of capacity|"
                 r"of (?:its |our |the )?(?:network |base|traffic|capacity|share|market)|"
                 r"uptime|reliab|coverage|of (?:\w+ )?(?:customers|our|the|all|users|subscribers|"
                 r"people|households|lines|accounts|callers|members|families|homes|respondents|"
                 r"agents|stores|revenue|sales|traffic|gross adds|net adds|adds|activations)|"
                 r"faster|more (?:data|coverage|speed)|"
                 r"satisfaction|battery|signal|network|of the (?:country|us|population))", after)
        or re.search(r"\b(?:top|bottom|uptime of|coverage of|reach(?:es)?|covers?)\s*$", before)
    )  # fmt: skip
