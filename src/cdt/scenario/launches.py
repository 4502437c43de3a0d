"""A launched plan's name, as the text writes it: "Summit Max" (one of our plans with a tier
word), "a plan called Tundra", "New Drift plan:", "Black Ice launches at $60"."""

from __future__ import annotations

import re

from cdt.scenario.model import PLANS
from cdt.scenario.places import NOT_PLACES
from cdt.scenario.rivals import competitor

_PLAN = "|".join(PLANS)
_LAUNCH = re.compile(
    r"\b(?:introduc\w*|(?<!phone )(?<!device )(?<!iphone )(?<!app )launch\w*|unveil\w*|debut\w*|"
    r"roll(?:s|ing|ed)? out|new plan|newest plan|brand[\s-]new|"
    r"our newest plan|(?:is here|has arrived)\W+our new(?:est)? plan|"
    r"(?-i:Coming (?:soon|[A-Z][a-z]+ \d{1,2})(?=\s*:))|"
    r"announc\w* (?:a |the )?new|meet|say hello to|coming soon|now available|"
    r"new (?:['\"‘“]?\$?[\w+.-]+['\"’”]? ){1,3}"
    r"plan|new\s*\|\s*plan|new product|(?:plan|tier),?\s+(?:called|named)|present(?:s|ed|ing)|"
    r"our (?:first|new|newest) (?:[\w-]+ ){0,3}plan)\b|"
    # "Frostbite is here: $40 for ...", "Arctic Max arrives at $160", "approved the Iceberg plan"
    r"(?-i:\b[A-Z][\w+-]*(?:\s+[A-Z][\w+-]*)?\s+(?:is here|has arrived|arrives)\b(?=[^.]*\$))|"
    r"\bapprov\w*\s+(?:the\s+)?(?:new\s+)?(?-i:[A-Z][\w+-]*)\s+plan\b|"
    # "Hailstone, a business plan for 12-Month contract customers at $38"
    r"(?-i:\b(?!(?:" + _PLAN + r")\b)[A-Z][\w+-]*'?,'?\s+an?\s+(?:[\w-]+\s+){1,3}plan\b)",
    re.I,
)
_NEW_NAME = re.compile(
    r"\b(" + _PLAN + r")[\s-]+((?:Max|Plus|Pro|Lite|Ultra|Go|Prime|Elite|Basic|Unlimited|Family|"
    r"Kids|Senior|55|Student|Flex|One|Connect|Premium|Select|Essentials?|X|XL)\b|"
    r"\+(?!\s*[$\d])|"  # "Summit+" (not "Avalanche +8%")
    r"[A-Z][a-z]+\b)",
)
_CALLED = re.compile(
    r"\b(?i:plan|tier),?\s+(?i:called|named|name:)\s+\"?([A-Z][\w+-]*(?:\s+[A-Z0-9][\w+-]*){0,2})"
    r"|\b(?i:introduc\w*|launch\w*|unveil\w*|debut\w*|announc\w*|meet|say hello to)\s+(?i:of\s+)?"
    r"(?i:the\s+|our\s+|a\s+new\s+)?"
    r"['\"]?((?:[A-Z][\w+-]*)(?:\s+(?:[A-Z][\w+-]*|\d[\w+-]*(?![/.:]\d)))*)"  # not "5/15"
    r"|\b(?:[Nn]ew|NEW)\s+['\"‘“]?((?:[A-Z][\w+-]*)(?:\s+[A-Z0-9][\w+-]*){0,2})['\"’”]?"
    r"(?:\s+[a-z][\w-]*)?\s+(?:[Pp]lan|PLAN)\b"
    # "Icicle is Snowmobile's new $20-a-month starter plan", "will offer the Snowdrift Family plan"
    r"|\b([A-Z][\w+-]*(?:\s+[A-Z][\w+-]*)?)\s+is\s+(?i:snowmobile's|their|our|its|the)\s+"
    r"(?i:new(?:est)?)\b"
    r"|\b(?i:will )?(?i:offer|sell|open|approv)\w*\s+(?i:the\s+)?"
    r"([A-Z][\w+-]*(?:\s+[A-Z][\w+-]*)?)\s+(?i:plan)\b"
    r"|\b(?i:plan)\s*:\s*([A-Z][\w+-]*(?:\s+[A-Z][\w+-]*)?)\s*\|"  # "| Plan: Crevasse |"
    # "Rime Connect, a data-only plan for tablets"
    r"|(?:^|[:.]\s+['\"]?|\b(?i:presented|presents|adds|added|approved|approves|offers|sells|"
    r"tests|testing|pilots|piloting)\s+)(?!(?i:introduc|launch|meet|unveil|say|new|our|the)\w*\s)"
    r"([A-Z][\w+-]*(?:\s+[A-Z][\w+-]*)?),['\"]?\s+an?\s+(?:[\w$.-]+\s+){0,3}(?i:plan)\b"
    r"|\b(?i:new(?:est)? (?:\w+ )?plan),\s+\"?([A-Z][\w+-]*(?:\s+[A-Z0-9][\w+-]*)?)\"?,"
    r"|\b(?i:new (?:[\w-]+ )?plan)(?:\s+(?i:concept|idea|proposal|draft|called|named))?\s+['\"]"
    r"([A-Z][\w+-]*(?:\s+[A-Z0-9][\w+-]*)?)['\"]"
    r"|\b([A-Z][\w+-]*(?:\s+[A-Z0-9][\w+-]*)?),\s+(?i:the|our)\s+(?i:new|newest)\s+(?i:plan)\b"
    r"|\b([A-Z][\w+-]*),\s+(?:a|an|our|the)\s+(?:new(?:est)?|first)\s+(?:[\w-]+\s+){0,2}"
    r"(?i:plan)\b"
    # "a new plan for 55 and over, Snowdrift,"
    r"|\b(?i:new(?:est)? (?:\w+ )?plan)\b[^,.;:]{0,30},\s+([A-Z][\w+-]*),"
    # "approves Sleet, a $20 a month data-light plan"
    r"|\b([A-Z][\w+-]*),\s+an?\s+\$[\d.]+(?:/mo|[\s-]a[\s-]month|[\s-]per[\s-]month)?\s+"
    r"(?:[\w-]+\s+){0,3}(?i:plan)\b"
)


_Q, _QE = r"['\"‘“]", r"['\"’”]"
_CAP = r"[A-Z][\w+-]*(?:\s+[A-Z0-9][\w+-]*){0,2}"
#: a plan named as new by its name alone: "'Slush' plan just dropped", "prepaid-only plan
#: 'Slush'", "Tundra plan: one-twenty a month", "Squall family plan, 4 lines for $120",
#: "added plan Whiteout", "something called 'Frostbite'", "Say hi to Tundra"
_NAMED_PLAN = re.compile(
    _Q + r"(" + _CAP + r")" + _QE + r"(?=[^.;]{0,40}?\b(?i:plans?|tier|goes live|is live|is out|"
    r"launch\w*|just dropped|drops)\b)"
    r"|\b(?i:plan|tier)\s+" + _Q + r"(" + _CAP + r")" + _QE
    + r"|\b(?i:added|adds|adding|new)\s+(?i:plan|tier)\s+(" + _CAP + r")\b"
    r"|\b(?i:(?:something|plan|tier|one|thing) (?:called|named)|say hi to|say hello to)\s+"
    + _Q + r"?(" + _CAP + r")"
    r"|\b(?i:launch\w*|introduc\w*|unveil\w*|debut\w*)\b[^.;'\"‘“]{0,30}"
    + _Q + r"(" + _CAP + r")" + _QE
    # "Permafrost, the Company's new premium plan, ...", "Whiteout, unveiled Monday, lists at $85"
    + r"|(?:^|[.;!?]\s+)([A-Z][a-z][\w+-]*(?:\s+[A-Z][\w+-]*)?),\s+(?:(?:the|our|its)\s+"
    r"(?:\w+'s\s+)?new(?:est)?\s+(?:[\w-]+\s+){0,2}(?i:plan)\b|(?:unveiled|launched|introduced|"
    r"debuted|rolled out|announced)\b)"
    r"|(?<![\w'’$-])([A-Z][a-z][\w+-]*(?:\s+[A-Z][\w+-]*)?)\s+(?:(?:family|kids|prepaid|"
    r"starter|senior|student|business|data-only|value|unlimited)\s+)?(?i:plan)\b"
    r"(?=\s*[:,(]|\s+(?:goes live|is live|is out|launch\w*|debut\w*|arrives|is here|"
    r"just dropped)\b)"
)  # fmt: skip
#: names that are no new plan's: ours, generic words, a rival's own plans
_NOT_NEW = {
    *(p.lower() for p in PLANS), "unlimited", "family", "new", "our", "the", "your", "my", "this",
    "that", "each", "every", "any", "prepaid", "postpaid", "premium", "basic", "starter", "kids",
    "business", "snowmobile", "snowmobile's", "data", "value", "price", "essentials", "magenta",
    "holiday", "summer", "winter", "spring", "fall", "autumn", "promo", "pricing", "action",
    "retention", "save", "upgrade", "rate", "migration", "test", "pilot", "launch", "travel",
    "installment", "month",
}  # fmt: skip
_OURS = frozenset(p.lower() for p in PLANS)


def named_plan(text: str) -> str | None:
    """A plan the text calls new by its name alone, where no rival is named."""
    for m in _NAMED_PLAN.finditer(text):
        name = next(g for g in m.groups() if g).strip()
        said = name.lower().split()
        if (
            said[0] in _NOT_NEW
            or _OURS & set(said)
            or _MONTHS.match(name)
            or name.lower() in NOT_PLACES
        ):
            continue
        return None if competitor(text) else name  # a rival's plan is no launch of ours
    return None


_MONTHS = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*\b|^(?:mon|tue|wed|thu|fri|sat|"
    r"sun)\w*day\b|^(?:today|tomorrow|next|this|q[1-4])\b",
    re.IGNORECASE,
)
#: "Tundra launches at $35", "Launching July 1: Whiteout, $60": a name after the date
_NAMED_LATER = re.compile(
    r"\b(?!(?:Now|Today|Also|Soon|Finally|"
    r"Officially)\b)([A-Z][\w+-]*(?:\s+[A-Z][\w+-]*)?),?\s+(?i:launches|launching|debuts|"
    r"arrives|goes live|"
    r"is our (?:new|newest) plan|is here|has arrived|is live|will be (?:offered|sold|available)|"
    r"goes on sale)\b|"
    r"(?i:launch\w*|introduc\w*|debut\w*|coming|arriving|new plan\w*(?: alert)?)[^:.!—–]{0,45}"
    r"(?:[:!]|\s[—–-])\s*"
    r"([A-Z][\w+-]*(?:\s+[A-Z0-9][\w+-]*)?)(?=,|:|\.\s|\s+at\b|\s*\(|\s+(?:is|costs|runs)\b)"
    r"|\b([A-Z][\w+-]*)\?\s+(?i:it's|it is) our new(?:est)? (?:[\w-]+ ){0,2}(?i:plan)"
    # "new family plan Snowdrift is $120", "new plan Icicle for $15/mo"
    r"|\b(?i:new (?:[\w-]+ )?plan)\s+([A-Z][\w+-]*)(?=\s+(?:is|for|at|costs|launch\w*|just|-|"
    r"–)\b|:|,)"
    r"|\b(?i:the )?([A-Z][\w+-]*(?:\s+[A-Z][\w+-]*)?) (?i:plan),? (?i:launches|launching|debuts|"
    r"arrives|goes live)\b"
)


#: words that open a sentence before a launched plan's name ("Today Glide launches")
_NOT_A_NAME = re.compile(r"^(?:Snowmobile(?:\s+Wireless)?(?:'s)?|New|Our|The|Today|Tomorrow)\s+")


def _launched_name(text: str) -> str | None:
    """A launched plan's name as written, when the text calls it by one."""
    called = _CALLED.search(text)
    name = ""
    if called:
        name = next((g for g in called.groups() if g), "").strip()
        name = re.sub(r"\s+(?:Plan|Unlimited Plan)$", "", name)
    if not name or _MONTHS.match(name):
        later = _NAMED_LATER.search(text)
        name = next((g for g in later.groups() if g), "").strip() if later else ""
        name = _NOT_A_NAME.sub("", name)
    usable = name and not name.lower().startswith("a ") and not _MONTHS.match(name)
    words = {"new", "our", "the", "snowmobile", "prepaid", "postpaid", "customers", "now", "today"}
    if usable and name.lower() not in NOT_PLACES | words and name not in PLANS:
        return name
    return None


def launched(text: str) -> tuple[str | None, tuple[int, int] | None]:
    """The plan ``text`` launches, and where an existing plan's name is part of it ("Summit
    Max": that Summit is no audience); (None, None) when it launches none."""
    if not _LAUNCH.search(text):
        return named_plan(text), None
    for m in _NEW_NAME.finditer(text):
        if m.group(2).lower() not in {"plan", "customers", "customer", "subscribers", "users"}:
            return f"{m.group(1)} {m.group(2)}".strip(), m.span()
    return _launched_name(text) or named_plan(text), None


#: plans named as the people a launch reaches ("offered first to Blizzard customers", "existing
#: Powder and Blizzard customers"), not as its yardstick ("cheaper than my Glacier", "between
#: Flurry and Powder", "410,000 Avalanche lines")
_OFFERED_TO = re.compile(
    r"\b(" + _PLAN + r")((?:\s*(?:,|\band\b|\bor\b|&|/)\s*(?:" + _PLAN + r")\b)*)"
    r"(?:\s+(?:plan|prepaid|postpaid))?\s+(?:customers?|subscribers?|users?|members?|owners?|"
    r"folks|households|families|account ?holders)\b",
    re.IGNORECASE,
)


def reached(text: str, plans: list[str]) -> list[str]:
    """Of a launch's ``plans``, those the text names as its customers."""
    named = set()
    for m in _OFFERED_TO.finditer(text):
        named |= {p.lower() for p in re.findall(_PLAN, m.group(0), re.IGNORECASE)}
    return [p for p in plans if p.lower() in named]
