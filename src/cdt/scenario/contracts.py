"""The contracts and device tiers a scenario's audience names."""

from __future__ import annotations

import re

from cdt.scenario.cues import COMPETITORS
from cdt.scenario.model import PLANS


def _add(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)


CONTRACTS = (
    (r"\b(?:" + "|".join(PLANS).lower() + r") pre-?paid\b|"
     r"^\s*pre-?paid\b[^.:;]{0,20}:|\ball pre-?paid\b|\bpre-?paid\s*(?:[?.!;:]|$)|"
     r"\bpre-?paid (?:customers?|plans?|accounts?|lines?|subscribers?|subs?|users?|base|bills?|"
     r"sims?|folks|people|peeps|members|families|households|crowd|activations?|"
     r"phones?|(?:" + "|".join(PLANS).lower() + r")\b)|"
     r"\b(?:on|for) pre-?paid\b(?![\s-]+(?:cards?|refill|top[\s-]?ups?))|"
     r"\bpre-?paid (?:price|pricing|rate)s?\b|\bpre-?paid[\s-]only\b|\bpre-?paid(?=\s*(?:,|and|"
     r"or|&)\s*(?:month[\s-]to[\s-]month|12[\s-]month|"
     r"postpaid|installment)[^.;]{0,20}\b(?:accounts?|customers?|lines?|plans?|subscribers?))|"
     r"[(,]\s*pre-?paid\s*[),]|"
     r"\bpay[\s-]as[\s-]you[\s-]go\b", "Prepaid"),
    (r"\bmonth[\s-]to[\s-]month\b|\bno[\s-]contract\b(?! change)|\bcontract[\s-]free\b",
     "Month-to-Month"),
    (r"\b(?:12|twelve)[\s-]month (?:contract|term|agreement)|(?<!no )\bannual contract|"
     r"\b1[\s-]year contract", "12-Month"),
    (r"\binstall?ments?\b|\b24[\s-]month\b(?!,?\s*\$\s?[\d.,]+\s*(?:billion|million|bn|b|m)\b)"
     r"(?![\s-]+(?:tower|network|5g|fiber|capital|spending)\b)"
     r"(?![\s-]+(?:build[\s-]?out|roll[\s-]?out|period|program|"
     r"project|investment|plan to|campaign|high|low|peak|record|network|modern\w*|upgrade|"
     r"build\w*|effort|initiative|device deals?|deals?|promos?|horizon|window|outlook|forecast|"
     r"view|payback|stretch|span|churn|trend|period|freeze|price freeze|lock|guarantee|"
     r"price (?:lock|guarantee)|credits?|discounts?|(?:\w+\s+)?(?:study|"
     r"survey|analysis|review|report|test|trial)))|"
     r"\bdevice payment plan|"
     r"\bfinanc(?:ing|ed) (?:a )?(?:phone|device)", "24-Month Installment"),
)  # fmt: skip
_OWNERS = (
    r"(?:phones?|devices?|handsets?)?[\s-]*(?:owners?|users?|customers?|holders?|subscribers?|"
    r"buyers?|shoppers?|purchasers?|upgrades?|activations?)"
)
_WITH = (
    r"(?:customers?|owners?|users?|those|subscribers?) (?:with|on|using|of|holding|"
    r"who (?:have|own|use|hold)) (?:an? )?"
)
#: Device tiers as an audience ("flagship phone owners"), not as an offer's object.
DEVICES = (
    (r"(?<!to a )(?<!to an )(?<!for a )(?<!to the )"
     r"\b(?:flagship|high[\s-]end)(?:[\s-]tier)?[\s-]*(?:phones?|devices?|handsets?)\b|"
     r"\b(?:flagship|high[\s-]end)(?:[\s-]tier)?[\s-]*" + _OWNERS + r"|"
     r"\bpremium[\s-]*(?:phones?|devices?|handsets?)[\s-]*(?:owners?|users?|customers?|holders?|"
     r"buyers?)|" + _WITH
     + r"(?:flagship|premium|high[\s-]end)", "Flagship"),
    (r"\bmid[\s-]?(?:range|tier)[\s-]*(?:phones?|devices?|handsets?)\b|"
     r"\b(?:any|a|your|their) mid[\s-]?range\b(?![\s-]+plan)|"
     r"\bmid[\s-]?(?:range|tier)[\s-]*" + _OWNERS + r"|" + _WITH + r"mid[\s-]?(?:range|tier)",
     "Mid-Range"),
    (r"\b(?:your|their|on|any|own)\s+(?:an?\s+)?(?:budget|entry[\s-]level|"
     r"basic)(?:[\s-]tier)?[\s-]*"
     r"(?:phones?|devices?|handsets?)\b|"
     r"\b(?:budget|entry[\s-]level|basic)(?:[\s-]tier)?[\s-]*(?:phones?|devices?|"
     r"handsets?)\s+only\b|"
     r"\b(?:budget|entry[\s-]level|basic)(?:[\s-]tier)?[\s-]*" + _OWNERS + r"|" + _WITH
     + r"(?:budget|entry[\s-]level|basic)[\s-]*(?:tier )?(?:phones?|devices?)", "Budget"),
)  # fmt: skip


_SPARED = (
    r"[^.;]{0,40}\b(?:are|is|will be|stay|remain)\s+(?:not affected|unaffected|exempt|excluded|"
    r"unchanged|locked in|grandfathered|protected)|\s+(?:exempt|excluded|unaffected|not affected|"
    r"unchanged)\b|(?:\s+[\w-]+){0,2}?\s+(?:customers|lines|subscribers|accounts|plans)\s+"
    r"(?:are\s+)?(?:unchanged|unaffected|not affected|exempt|excluded)\b"
)


_TIER = r"\b(budget|mid[\s-]?range|flagship)\b"
_TIERS = {"budget": "Budget", "mid-range": "Mid-Range", "midrange": "Mid-Range",
          "flagship": "Flagship"}  # fmt: skip
#: "whose phones are mid-range"
_PHONES_ARE = re.compile(
    r"\b(?:phones?|devices?|handsets?) (?:are|is) (budget|mid[\s-]?range|flagship)\b|"
    r"\b(?:with|using|own|owning|buying) (?:an? |their |your )?"
    r"(budget|mid[\s-]?range|flagship)[\s-]*"
    r"(?:tier )?(?:devices?|phones?|handsets?)\b",
    re.I,
)
_TIER_LIST = re.compile(
    _TIER + r"(?:\s*(?:,|and|or|&|/)\s*" + _TIER + r")+\s+(?:devices?|phones?|handsets?|tiers?|"
    r"owners|customers|users)\b",
    re.I,
)


_RIVALS = r"(?:\$\d+(?:\.\d+)?|'s)\s*(?:new\s+)?$"
#: any competitor named (the names ``kinds.competitor`` reads, as one pattern)
_A_RIVAL = re.compile("|".join(r"(?<![\w&-])(?:" + p + r")(?![\w&])" for p in COMPETITORS))


def _theirs(lower: str, m: re.Match[str]) -> bool:
    """Whether a contract's mention is a rival's plan: "Verizon's new $35 prepaid plan" (not
    "our new $30 prepaid plan"), "Visible is $25/mo with no contract"."""
    before = lower[max(0, m.start() - 15) : m.start()]
    if re.match(r"pre-?paid plans?\b", m.group(0)):
        rival = bool(_A_RIVAL.search(lower))
        return bool(re.search(_RIVALS, before)) and rival and not re.search(r"\bour\b", before)
    clause = lower[max(lower.rfind(".", 0, m.start()), lower.rfind(";", 0, m.start())) + 1 :
                   m.start()]  # fmt: skip
    return bool(_A_RIVAL.search(clause)) and not re.search(r"\b(?:our|we|us|snowmobile)\b", clause)


def contracts_and_devices(text: str) -> tuple[list[str], list[str]]:
    """The contracts and device tiers an audience names, in the order of the text's rules:
    "prepaid customers", "flagship phone owners", "Budget and Mid-Range devices"; not a
    rival's "$35 prepaid plan", not an upgrade's "flagship device", not contracts "not
    affected"."""
    found: list[tuple[int, str]] = []
    devices: list[str] = []
    lower = text.lower()
    for pattern, name in CONTRACTS:
        # the first mention that is not a rival's plan ("Verizon's $45 prepaid plan is pulling
        # away our Prepaid customers": ours are the second)
        m = next((m for m in re.finditer(pattern, lower) if not _theirs(lower, m)), None)
        if m and not re.match(_SPARED, lower[m.end() :]):
            found.append((m.start(), name))  # not "… installment agreements are not affected"
    named = re.search(r"\b12-Month\b", text)  # the contract's own name, capitalised
    if named:
        found.append((named.start(), "12-Month"))
    contracts: list[str] = []
    for _, name in sorted(found):  # in the order the text names them
        _add(contracts, name)
    for m in _PHONES_ARE.finditer(text):
        tier = (m.group(1) or m.group(2)).lower().replace(" ", "-")
        _add(devices, _TIERS[tier])
    for m in _TIER_LIST.finditer(text):  # "Budget and Mid-Range devices"
        for tier in re.findall(_TIER, m.group(0), re.I):
            _add(devices, _TIERS[tier.lower().replace(" ", "-")])
    for pattern, name in DEVICES:
        if re.search(pattern, lower):
            _add(devices, name)
    return contracts, devices
