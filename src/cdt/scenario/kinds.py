"""What kind of event an announcement is, which competitor and channel it names, whether a
price change comes with something more, and the sentences that give instructions (read as
data, never obeyed). The words themselves are in ``cues``."""

from __future__ import annotations

import re

from cdt.scenario import audience as A
from cdt.scenario.cues import (
    ADDS_FOR,
    CHANNELS,
    DOWN,
    INJECTION,
    KIND_PATTERNS,
    LOCK,
    OFFER_WORDS,
    PRICE_WORDS,
    RAISE,
    RAISES,
    REQUIRES,
    SIGNED,
    UP,
    UP_BY,
)
from cdt.scenario.distractors import WHY, blanked
from cdt.scenario.launches import named_plan
from cdt.scenario.model import PLANS, Kind
from cdt.scenario.numbers import Amount
from cdt.scenario.value_adds import (
    ADDS_A_THING,
    GROWS,
    INCLUDES_A_THING,
    NOW_INCLUDED,
    VALUE_ADDS,
)


def is_instruction(text: str) -> bool:
    """Whether ``text`` holds a sentence that gives a model instructions."""
    return bool(INJECTION.search(text))


def strip_injection(text: str) -> tuple[str, list[str]]:
    """``text`` without sentences that give instructions, and a warning for each."""
    parts = re.split(r"(?<=[.!?;])\s+|\n+", text)
    kept: list[str] = []
    dropped: list[str] = []
    for part in parts:
        (dropped if INJECTION.search(part) else kept).append(part)
    warnings = [
        f'ignored an instruction in the scenario text: "{_short(part)}"' for part in dropped
    ]
    return " ".join(kept).strip(), warnings


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: an add-on named as the thing sold: a pack or boost as the subject or the title, data sold
#: by the gigabyte, a discount on an added line, a watch or tablet line at a price
_AN_ADD_ON = re.compile(
    r"\b(?:pack|boost|booster|add-on)\b(?:\s+is\s+back)?\s*[:—]|"
    r"\b(?:the|a|an|new|our|snowmobile's|its)\s+(?:[\w+&-]+\s+){0,3}(?:pack|boost|booster|add-on)"
    r"\s+(?:adds|gives|offers|includes|costs|runs|is|will (?:add|give|cost|sell))\b|"
    r"\badds?\s+(?:an? (?:extra )?)?\d+\s?gb\b[^.;$]{0,40}\bfor\s+\$|"
    r"\$[\d.]+\s+off\s+(?:each|a|the|every|your|one|any)\s+(?:added|new|additional|second|third|"
    r"fourth|fifth|extra)\s+lines?\b|\badd[\s-]a[\s-]line\b|"
    r"\b(?:watch|tablet|smartwatch|wearable)\s+line\b[^$]{0,50}\$[\d.]+\s*(?:a month|/mo|"
    r"per month|monthly)|"
    r"\bfor \$[\d.]+ (?:a month|/mo|monthly|per month),?\s+(?:[\w-]+\s+){0,4}get\s+(?:an? "
    r"(?:extra )?)?\d+\s?gb\b"
)
#: an offer of ours to keep or win back a customer, whoever the rival named is
_KEEPS = re.compile(
    r"\b(?:if (?:you|they|he|she) stay|to stay|(?:to |will |can )?win (?:them |you |\w+ )?back|"
    r"win[\s-]?back (?:offer|credit|email|sms|text|campaign)|come back|return credit|ex-customers|"
    r"former customers)\b"
)
#: a price said to stay as it is: "the monthly price stays at $95"
_HELD = re.compile(r"\b(?:stays?|remains?|holds?|held|unchanged|steady|kept|staying)\s+(?:at\s+)?$")


def _score(text: str, pattern: str) -> int:
    return len(re.findall(pattern, text, flags=re.I))


def kind(text: str, found: list[Amount], competitor: str | None, people: A.Audience) -> Kind:
    """The kind of event. Offers are told apart by their words; a price change needs an
    amount with a direction or a price word; a policy needs no amount."""
    lower = text.lower()
    scores = {kind: _score(text, pattern) for kind, pattern in KIND_PATTERNS}
    offer_words = bool(OFFER_WORDS.search(lower))
    rival_moves = competitor and re.search(
        r"(?:offer\w*|launch\w*|cut\w*|drop\w*|slash\w*|undercut\w*|is giving|gives|will pay|pays|"
        r"paying|has a|running|runs|now (?:charg|offer)\w*|switch\w*|port\w*|poach\w*|lur\w*|'s\b|"
        r"promo\w*|deal|match\w*|beat\w*|price war|announc\w*|lower\w*|for \$|at \$|\bto \$|now \$|"
        r"quot\w*|is \$|has \$|"
        r"advertis\w*|market(?:s|ing)\b|pitch\w*|target\w*|sell(?:s|ing)\b|undercut\w*|"
        r"introduc\w*|unveil\w*|now charg\w*|charg(?:es|ing)\b|"
        r"\$\d[\d.]*\s*(?:/mo\s*)?(?:unlimited\s+)?plans?\b|\bis back\b|bundl\w*|"
        r"(?:rais|hik|increas|lift)\w*\s+(?:its|their|the price|prices?|rates?|"
        r"(?:\w+\s+){1,2}(?:prices?|rates?)))",
        lower,
    )
    rival_at = lower.find(competitor.lower()) if competitor else -1
    rival_end = rival_at if rival_at >= 0 else len(lower)  # a rival written otherwise ("Mint")
    launched_first = (
        people.new_plan
        and scores[Kind.NEW_PLAN]
        and competitor
        and 0 <= lower.find(people.new_plan.lower()) < rival_end
    )  # "introduces Sleet, a seniors plan at $40, answering T-Mobile's 55+ offering"
    keeps = _KEEPS.search(lower) if scores[Kind.RETENTION_OFFER] and competitor else None
    # "$15 off your Summit plan ... if you stay", not "Verizon offered me $400. Give me a reason
    # to stay": a rival whose own amount comes first is the event
    kept = keeps and not (0 <= rival_at < keeps.start() and "$" in lower[rival_at : keeps.start()])
    if (
        competitor
        and rival_moves
        and not launched_first
        and not kept
        and not _ours_first(lower, competitor, people)
    ):
        # "A $5 activation fee will apply from May 1. ... Verizon charges $35": our move leads, in
        # a sentence of its own, and the rival named after it is the reason
        at = rival_at
        lead = text[: max(text.rfind(".", 0, at), text.rfind(";", 0, at)) + 1] if at > 0 else ""
        lead_found = [a for a in found if a.end <= len(lead)]
        ours = kind(lead, lead_found, None, people) if lead_found else Kind.OTHER
        if ours in (Kind.OTHER, Kind.COMPETITOR_OFFER):
            return Kind.COMPETITOR_OFFER
    if (
        people.new_plan
        # "adds Hailstone, a business plan at $38", "Tundra plan: $120 a month"
        and (scores[Kind.NEW_PLAN] or not people.plans or named_plan(text))
        and not re.search(re.escape(people.new_plan.lower()) + r"\s+(?:add-on|pack|pass)\b", lower)
    ):
        return Kind.NEW_PLAN
    # a company's figure ("generates $1.3 billion in revenue") moves no price: left out
    delta_like = _delta_phrase(blanked(text, found).lower())
    # "Sorry to say it: Summit is going up": an apology for a rise is no make-good
    unapologetic = re.sub(
        r"\bsorry\b|\bapologi[sz]\w*|"
        r"\baffected (?:\w+ )?(?:customers|subscribers|accounts|lines)\b",
        " ",
        text,
        flags=re.I,
    )
    apology_only = (
        _score(unapologetic, _CREDIT_PATTERN) == 0 and bool(RAISES.search(lower)) and delta_like
    )
    if scores[Kind.SERVICE_CREDIT] and not apology_only:
        return Kind.SERVICE_CREDIT
    # "require a 20% down payment": the amount is the rule's, not a price
    ruled = all(
        re.match(r"\s*(?:down payment|deposit)\b", lower[a.end : a.end + 16]) for a in found
    )
    if scores[Kind.POLICY_CHANGE] and ruled and REQUIRES.search(lower):
        return Kind.POLICY_CHANGE  # "will need to keep autopay on to receive device promotions"
    locked = bool(LOCK.search(lower))  # "your price is locked ... while you stay with us"
    if (
        scores[Kind.RETENTION_OFFER]
        and not locked
        and (offer_words or not delta_like or re.search(r"\bretention\b|\bcancel\w*", lower))
    ):
        return Kind.RETENTION_OFFER
    # "Network uptime hit 99.98% — thanks for being with us!": thanks alone give nothing
    thanks_only = not (found or offer_words) and not _score(
        _THANKS.sub(" ", text), _LOYALTY_PATTERN
    )
    if scores[Kind.LOYALTY_REWARD] and (not delta_like or offer_words) and not thanks_only:
        return Kind.LOYALTY_REWARD
    # "+$3 per line and bundles Apple TV+": a signed amount moves the price as a word does
    raise_words = bool(RAISE.search(lower) or SIGNED.search(lower) or UP_BY.search(lower))
    a_fee = re.search(r"\bupgrade (?:fee|charge)s?\b", lower) and not people.target_plan
    if (
        scores[Kind.UPGRADE_OFFER]
        and not a_fee
        and (people.target_plan or not delta_like or not raise_words)
    ):
        return Kind.UPGRADE_OFFER
    if people.target_plan and re.search(
        r"\b(?:waive\w*|credit\w*|discount\w*|free|off|offered|half price|"
        r"no extra (?:cost|charge))\b",
        lower,
    ):
        return Kind.UPGRADE_OFFER  # "switch to Avalanche and we'll waive the difference"
    if scores[Kind.FEE] and (found or not scores[Kind.POLICY_CHANGE]):
        return Kind.FEE
    launches_an_add_on = re.search(
        r"\blaunch\w* (?:the |an? |our |new )?(?:[\w+-]+ ){0,3}(?:add-on|pack|pass|bundle)\b|"
        r"\b(?:phone|device|iphone|galaxy|pixel|handset|product|app) launch",
        lower,
    )
    # "the Fargo store opens Monday ... for the launch": a store's opening is no plan's launch
    a_store = re.search(
        r"\b(?:stores?|shops?|locations?|kiosks?)\b[^.;]{0,30}\bopen\w*|\bopen\w*\b[^.;]{0,30}"
        r"\b(?:stores?|shops?|locations?|kiosks?)\b",
        lower,
    ) and not re.search(r"\bplans?\b", lower)
    if scores[Kind.NEW_PLAN] and not delta_like and not launches_an_add_on and not a_store:
        return Kind.NEW_PLAN
    optional = re.search(
        r"\b(?:can|may|could|able to|option to)\s+(?:i\s+|you\s+|we\s+|they\s+|customers\s+)?"
        r"(?:now\s+)?(?:add\b|be added\b)|(?:^|[:.!?]\s*)add\b|"
        r"\b(?:add|added)\b[^.;$]{0,40}\b(?:to|onto) (?:(?:any|your|their|a|every|my) (?:\w+ )?"
        r"(?:plan|line|account)s?\b|(?:" + "|".join(PLANS).lower() + r")\b)|" + ADDS_FOR,
        lower,
    )
    # "Snowmobile will add Spotify to Powder, lifting the price $2": ours to give, at a price
    given = re.search(
        r"\b(?:snowmobile(?: wireless)?|we|the carrier|the company)\s+(?:will |'ll |"
        r"is going to |plans to )?add\b",
        lower,
    ) and (raise_words and delta_like)
    if _AN_ADD_ON.search(lower) and not raise_words:
        return Kind.ADD_ON_BUNDLE  # "Data Boost pack: an extra 10GB for $8", "$20 off a third line"
    if (
        scores[Kind.ADD_ON_BUNDLE]
        and (found or not scores[Kind.POLICY_CHANGE])
        and ((optional and not given) or not (raise_words and (includes(lower) or delta_like)))
    ):  # "roaming now requires an opt-in": no price, a rule
        return Kind.ADD_ON_BUNDLE
    if found and re.search(
        r"\$[\d.]+(?:/mo)?\s+(?:[\w-]+\s+){0,2}discount\b[^.;$]{0,40}\b(?:ends?|ending|expires?|"
        r"expiring|goes away|is going away)\b",
        lower,
    ):
        return Kind.PRICE_CHANGE  # "the $10 autopay discount on Summit ends in June": a rise
    held = found and all(_HELD.search(lower[max(0, a.start - 30) : a.start]) for a in found)
    if held and scores[Kind.POLICY_CHANGE]:
        return Kind.POLICY_CHANGE  # "capped at 40GB ..., though the price stays at $95"
    price_signal = bool(re.search(PRICE_WORDS, lower)) or bool(re.search(UP, lower))
    dollars = any(a.unit == "$" for a in found)
    priced = dollars or bool(re.search(PRICE_WORDS, lower)) or bool(people.plans)
    if found and priced and (delta_like or (price_signal and dollars)):
        return Kind.PRICE_CHANGE_VALUE_ADD if includes(lower) else Kind.PRICE_CHANGE
    if (
        found
        and any(a.unit == "%" for a in found)
        and (re.search(PRICE_WORDS, lower) or people.plans)
    ):  # "subscribers, up 4%" is no price
        return Kind.PRICE_CHANGE_VALUE_ADD if includes(lower) else Kind.PRICE_CHANGE
    if people.plans and re.search(
        r"\b(?:is|are|costs?|becomes?|pays?|at)\s+(?:just |only |now )?\$\d", lower
    ):  # "Flurry is $30 through June": a new price
        return Kind.PRICE_CHANGE
    if scores[Kind.POLICY_CHANGE]:
        return Kind.POLICY_CHANGE
    if scores[Kind.UPGRADE_OFFER]:
        return Kind.UPGRADE_OFFER
    if found and offer_words and re.search(r"\boff\b|discount", lower):
        return Kind.RETENTION_OFFER
    return Kind.OTHER


def _ours_first(lower: str, competitor: str, people: A.Audience) -> bool:
    """Whether the text leads with our own price move, a rival named only after it ("Glacier
    and Flurry go up $2, while Avalanche drops $10; Verizon's $300 credit is the reason")."""
    at = lower.find(competitor.lower())
    if at <= 0 or not people.plans:
        return False
    lead = lower[:at]
    plans = re.search(r"\b(?:" + "|".join(PLANS).lower() + r")\b", lead)
    return bool(plans) and _delta_phrase(lead) and not re.search(r"\b(?:we|our)\b", lead)


def _delta_phrase(lower: str) -> bool:
    """Words that change a price: "raise by $5", "$4 more a month", "from $95 to $85"."""
    return bool(
        re.search(
            r"(?:" + UP + "|" + DOWN + r")[^.;]{0,40}(?:\$|\d+\s?(?:%|percent|dollars?|bucks?))"
            r"|(?:\$|\d)[\d.,]*\s?(?:%|percent|dollars?|bucks)?(?:/mo)?\s*"
            r"(?:a month\s+|per month\s+"
            r"|/mo\s+|monthly\s+)?(?:more|extra|less|increase|hike|rise|raise|jump|cut|decrease|"
            # (not a count: "the last 2 hikes")
            r"reduction|drop|bump|uptick|higher|lower|cheaper|off|discount|price)(?!s\b)"
            r"|\bfrom \$?\d[\d.,]*\s*(?:/mo|a month|per month)?\s*(?:to|down to|up to) \$?\d"
            r"|\bto \$\d[\d.,]*(?:/mo)?\s+from \$\d"
            r"|\bwas \$\d[^.;]{0,30}\bnow (?:it's |it is )?\$\d"
            r"|\bprices?\b[^.;]{0,30}\bto \$\d|\bnow (?:costs?|is|are|\$)[^.;]{0,12}\$\d"
            r"|(?:^|[\s(:,;])[+-]\s?(?:\$\s?\d|\d[\d.]*\s?(?:%|cents?\b|¢))"  # "+$2", "-5%"
            r"|\$\d[\d.,]*(?:/mo)?\s+to\s+\$\d"  # a pair: "$35 to $36"
            r"|\$\d[\d.,]*(?:/mo| a month)?,?\s+(?:not|instead of|rather than)\s+\$\d"
            r"|\$\d[\d.,]*(?:/mo)?[^.;$()]{0,25}\((?:was|from|previously|down from|up from)\s+\$\d"
            # "$35 today, $39 starting…"
            r"|\$\d[\d.,]*(?:/mo| a month)?\s+(?:today|now|currently),?\s+\$\d",
            lower,
        )
    )


def includes(lower: str) -> bool:
    """A price change that comes with something new ("with Netflix included"); not what the
    reasons after it say ("Rationale: the plan bundles premium data")."""
    lower = WHY.split(lower, maxsplit=1)[0]
    if re.search(r"\b(?:still|already|continues? to) (?:includ|come|get)|\b(?:stays?|remains?) "
                 r"included\b|\bwith (?:the |its |your )?[^.;,]{0,30}\b(?:unchanged|as before)\b|"
                 r"\bwith (?:the |its |your )?(?:(?!includ|add|new)[^.;]){0,80}\b(?:all |both )?"
                 r"(?:unchanged|untouched|unaffected|intact)\b|"
                 r"\bincluded,? as (?:always|usual|before|today)\b|"
                 r"\bnothing else\b[^.;]{0,40}\binclud",
                 lower):  # fmt: skip
        return False
    # "Glacier, our entry plan with 5GB of data": what the plan has, not what comes with it
    lower = re.sub(
        r"\bwith (?:\d+\s?gb|unlimited)(?: of)?(?: high[\s-]speed| 5g)? data\b", "", lower
    )
    return bool(
        re.search(
            r"\b(?:with|includ\w*|now comes with|comes with|plus|and (?:we're |we are |we )?add\w*|"
            r"(?:they're|they are|we're|we are|it's|it is|is|are|each|both|also|now) adding|"
            r"now packs|and they (?:just )?added|"
            r"along with|gets?|add(?:s|ed)?|gain(?:s|ing)?|picks? up|bundl(?:ed|ing|es)|throw(?:s|"
            r"ing)? in|toss(?:es|ing)? in|threw in|put|brings?)\b[^.;]{0,50}?\b(?:"
            + "|".join(p for p, _ in VALUE_ADDS)
            + r"|(?:tablet|watch|smartwatch|wearable) line|satellite (?:texting|messaging|sos)|"
            r"wi-?fi)(?!\s+(?:costs?|fees?|charges?|revenue|usage|expenses?|traffic|spend\w*))"
            r"|\(\s*a \$[\d.]+(?:/mo| a month| monthly)? value\s*\)|\bworth \$|\bvalued at \$"
            r"|\ba \$[\d.]+ value|(?:"
            + "|".join(p for p, _ in VALUE_ADDS)
            + r")[\w+ ]{0,32}(?:\([^)]{0,40}\)\s*)?\b(?:is |are )?(?:now |also )?"
            r"(?:included|thrown in|added|free|built[\s-]in)\b"
            r"|\ballowances?(?: (?:on|for|of|in) [\w ]{1,20}?)? "
            r"(?:doubles?|doubled|triples?|tripled|grows?|increases?)\b|"
            + ADDS_A_THING
            + r"|"
            + NOW_INCLUDED
            + r"|"
            + INCLUDES_A_THING
            + r"|"
            + GROWS
            + r"|\b(?:is|are) now part of\b"
            r"|\bin the bundle\b|\bdoubl\w+ (?:the |its |"
            r"your )?(?:\w+'s )?(?:[\w-]+ ){0,2}allowance"
            r"|\bdoubl\w+ (?:the |its |your )?(?:hotspot|data|storage)\b"
            r"|\b(?:it's|it is) (?:now )?unlimited (?:data|hotspot)\b",
            lower,
        )
    )


def channel(text: str) -> str | None:
    lower = text.lower()
    for pattern, name in CHANNELS:
        for m in re.finditer(pattern, lower):
            if not _WRITES_BACK.search(lower[max(0, m.start() - 30) : m.start()]):
                return name
    return None


#: a customer's own letter or email back: "writing them an actual letter in protest"
_WRITES_BACK = re.compile(
    r"\b(?:writ\w*|sen(?:d|t|ding)) (?:them|snowmobile|you guys)\s+(?:\w+\s+){0,2}$"
)


_CREDIT_PATTERN = dict(KIND_PATTERNS)[Kind.SERVICE_CREDIT]
_LOYALTY_PATTERN = dict(KIND_PATTERNS)[Kind.LOYALTY_REWARD]
_THANKS = re.compile(
    r"\bthanks? (?:you )?for (?:being|staying|sticking)(?: \w+){0,3}|"
    r"\bthank(?:s|ing)? (?:you|our|loyal|them)\b",
    re.I,
)
