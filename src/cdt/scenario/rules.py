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
from cdt.scenario.model import Kind, Scenario, build
from cdt.scenario.numbers import Amount, amounts, durations, words_to_digits
from cdt.scenario.text import clean

COMPETITORS = {
    r"verizon": "Verizon",
    r"at\s?&\s?t|\batt\b": "AT&T",
    r"t[\s-]?mobile": "T-Mobile",
    r"us cellular|u\.s\. cellular": "US Cellular",
    r"cricket(?: wireless)?": "Cricket",
    r"mint mobile|\bmint\b": "Mint Mobile",
    r"visible(?= wireless| is| offers| has| now| launches| cuts| drops)": "Visible",
    r"metro by t-mobile|metropcs": "Metro",
    r"boost(?: mobile)?(?= is| offers| has| now| launches| cuts| drops| mobile)": "Boost Mobile",
    r"xfinity mobile|xfinity": "Xfinity Mobile",
    r"spectrum mobile": "Spectrum Mobile",
    r"(?:a |the )?(?:regional|local|rival|competing) (?:carrier|provider|operator)": (
        "a regional carrier"
    ),
    r"(?:a |the )?(?:competitor|rival)s?\b": "a competitor",
}
CHANNELS = (
    (r"\bpush(?: notifications?| alerts?| messages?)?\b|\bin[\s-]app\b|\bapp (?:notifications?|"
     r"alerts?|messages?|banners?)|\bthrough the app\b|\bvia the app\b|\bin the app\b",
     "App Push"),
    (r"\bsms\b|\btext(?:ed)?(?: messages?| alerts?)?\s*(?:to|blast|campaign)?\b(?=[^.]*\b(?:by|via|"
     r"over|through|sent|send|announce|notif|tell|inform|message|customers))|\bby text\b|"
     r"\bvia text\b|\bover text\b|\btexts? (?:them|customers|every)|\btexting\b",
     "SMS"),
    (r"\be-?mail(?:ed|s|ing)?\b|\bnewsletter\b", "Email"),
    (r"\bdirect[\s-]mail\b|\bletters?\b|\bpostcards?\b|\bmailers?\b|\bby (?:post|mail)\b|"
     r"\bin the mail\b|\bpaper (?:notice|letter)s?\b",
     "Direct Mail"),
    (r"\bphone calls?\b|\boutbound calls?\b|\bcall(?:ing)? (?:them|customers|each|every)\b|"
     r"\btelemarketing\b|\bcall[\s-]cent(?:er|re) (?:outreach|reps? will call)|\bby phone\b|"
     r"\bover the phone\b|\bwill call\b|\bwe(?:'ll| will) call\b",
     "Phone"),
)  # fmt: skip
VALUE_ADDS = (
    ("netflix", "Netflix"), ("disney", "Disney+"), ("hulu", "Hulu"), ("max\\b", "Max"),
    ("spotify", "Spotify"), ("apple (?:tv|music|one)", "Apple services"),
    ("youtube", "YouTube Premium"), ("paramount", "Paramount+"), ("peacock", "Peacock"),
    ("streaming", "streaming"), ("hotspot", "hotspot"), ("international", "international"),
    ("roaming", "roaming"), ("device protection|insurance|protection", "device protection"),
    ("cloud storage|cloud", "cloud storage"), ("5g", "5G access"), ("music", "music"),
    ("data", "data"), ("calling", "calling"),
)  # fmt: skip
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?]*\b(?:instructions?|prompts?|rules?|above|"
    r"previous|prior|everything)\b|\b(?:you are now|act as|pretend (?:to be|you)|new "
    r"instructions?|system prompt|jailbreak|developer mode)\b|^\s*(?:system|assistant|user)\s*:|"
    r"\b(?:set|make|force|output|return|respond with|reply with|answer with)\b[^.!?]*\b(?:"
    r"sentiment|likely_action|action_probability|json|kind|price_delta|the numbers?|churn "
    r"(?:rate|probability)|score)\b|<\s*/?\s*(?:scenario|system|instructions?)\s*>",
    re.I,
)
_UP = (
    r"increas\w*|rais\w*|hik\w*|goes up|go up|going up|went up|rises?|rising|risen|rose|jumps?|"
    r"climbs?|bump\w*|up\b|more\b|extra\b|additional|adding|add(?:s|ed)?\b|higher|surcharge|"
    r"adjust\w* upward|tack\w* on|uptick|grows?|steeper"
)
_DOWN = (
    r"decreas\w*|cut\w*|reduc\w*|lower\w*|drops?|dropp\w*|discount\w*|\boff\b|cheaper|less\b|"
    r"slash\w*|falls?|fell|down\b|savings?|save[sd]?|rollback|roll back|trim\w*|markdown|"
    r"goes down|go down|going down|went down|decline\w*|shaves?|knock\w* off|eliminat\w*|"
    r"waiv\w*|remov\w*|scrap\w*|abolish\w*|get rid of"
)
_PRICE_WORDS = (
    r"\b(?:price|prices|pricing|bill|bills|plan|plans|rate|rates|cost|costs|monthly|per month|"
    r"a month|/mo|subscription|charge|charges|fee|fees|line|lines|tier|access)\b"
)
_RAISE = re.compile(
    r"\b(?:increas\w*|rais\w*|hik\w*|goes up|go up|rises?|rising|rose|jumps?|climbs?|price "
    r"(?:change|increase|cut|drop)|cheaper|cut\w*|decreas\w*|reduc\w*|lower\w*)",
    re.I,
)
_OFFER_WORDS = re.compile(
    r"\b(?:credit(?:ed|s)?|off\b|discount\w*|save|savings|reward\w*|points?|bonus|rebate|"
    r"gift[\s-]?cards?|prepaid card|free|back|cash|worth|value|voucher|coupon|waive[sd]?|"
    r"refund\w*|comp(?:ed)?\b|promo\w*)\b",
    re.I,
)
KIND_PATTERNS: tuple[tuple[Kind, str], ...] = (
    (Kind.SERVICE_CREDIT,
     r"\boutages?\b|\bservice (?:disruption|interruption|issue|problem)s?|\bnetwork "
     r"(?:issue|problem|failure|disruption|went down|was down)s?|\bdowntime\b|\bmake[\s-]good\b|"
     r"\bapologi[sz]\w*|\bsorry\b|\bcompensat\w*|\bservice credit|\bcredit for the (?:outage|"
     r"disruption)|\bdropped calls\b|\bwent dark\b|\bwas down\b"),
    (Kind.LOYALTY_REWARD,
     r"\bloyal(?:ty)? (?:reward|bonus|points|gift|perk|program|credit)|\brewards? (?:points|"
     r"program|credit|bonus)|\bin rewards\b|\bpoints\b|\bthank[\s-]you (?:gift|credit|bonus|"
     r"reward)|\bthank(?:s|ing)? (?:you|our|loyal)|\banniversary (?:gift|credit|bonus|reward)|"
     r"\bappreciation (?:credit|gift|bonus)|\bloyalty\b|\brewards?\b"),
    (Kind.RETENTION_OFFER,
     r"\bretention\b|\bretain\b|\bto stay\b|\bstay with us\b|\bif they stay\b|\bfor staying\b|"
     r"\bsave offer|\bwin[\s-]?back\b|\b(?:threaten\w*|trying|want\w*|plan\w*|ask\w*) to "
     r"(?:leave|cancel|switch|port)|\bcall(?:s|ing)? to cancel|\bat[\s-]risk (?:customers|"
     r"accounts|subscribers)|\bcancell?ation (?:request|call)|\bwho (?:try|want|ask) to "
     r"(?:leave|cancel)|\bkeep (?:them|customers)\b|\bbefore they (?:leave|churn)|\bchurn "
     r"(?:risk|prevention)|\bcontract (?:ends|expires|is up)"),
    (Kind.UPGRADE_OFFER,
     r"\bupgrade\w*|\btrade[\s-]?in\b|\bnew (?:phone|device|handset|iphone|galaxy|pixel)s?\b|"
     r"\bdevice (?:credit|offer|deal|promo)|\bphone (?:credit|offer|deal|promo)|\bmove up to\b|"
     r"\bstep up to\b|\bbogo\b|\bbuy one,? get one"),
    (Kind.NEW_PLAN,
     r"\bintroduc\w*|\blaunch\w*|\bunveil\w*|\bdebut\w*|\broll(?:s|ing|ed)? out (?:a |the |our )?"
     r"(?:new|\w+ plan)|\bnew plan\b|\bbrand[\s-]new (?:plan|tier)|\bnew (?:\w+ )?(?:tier|plan) "
     r"(?:called|named)|\bsay hello to\b|(?-i:\b[Mm]eet (?:the )?[A-Z])"),
    (Kind.ADD_ON_BUNDLE,
     r"\bbundl\w*|\badd[\s-]?ons?\b|\badd (?:it |this |[\w+]+ )?(?:to|onto) (?:any|your|their|"
     r"a) (?:plan|line|account)|\boptional\b|\bas an extra\b|\bstreaming (?:pack|package|pass)|"
     r"\bopt[\s-]in\b|\bpackage\b|\bpass for \$"),
    (Kind.FEE,
     r"\bfees?\b|\bsurcharges?\b|\b(?:admin\w*|activation|upgrade|late|paper[\s-]bill|"
     r"regulatory|recovery|service|convenience|restocking|processing|connection|"
     r"administrative|network access|line access|access) charges?\b"),
    (Kind.POLICY_CHANGE,
     r"\bpolic(?:y|ies)\b|\bterms\b|\bdata caps?\b|\bthrottl\w*|\bdeprioriti\w*|\bprivacy\b|"
     r"\bautopay (?:is |will be )?(?:required|mandatory)|\bpaper bills? (?:end|will end|are "
     r"ending|discontinued)|\bno longer\b|\bdiscontinu\w*|\bwill require\b|\brequir\w*\b|"
     r"\bsunset\w*|\bshut(?:ting)? down\b|\bretir\w* the\b|\bend(?:ing|s)? (?:support|the|paper)\b|"
     r"\bcontract terms\b|\bfair use\b|\bcap(?:ped)? at\b|\bminimum (?:term|commitment)|"
     r"\bdata (?:sharing|retention|use) |\bunlimited data (?:ends|will end)|\bmust\b|"
     r"\bchanges? to (?:our|the) (?:rules|terms|policy)|\bmandatory\b|\breplac\w+ .* with\b"),
)  # fmt: skip


def strip_injection(text: str) -> tuple[str, list[str]]:
    """``text`` without sentences that give instructions, and a warning for each."""
    parts = re.split(r"(?<=[.!?;])\s+|\n+", text)
    kept: list[str] = []
    dropped: list[str] = []
    for part in parts:
        (dropped if _INJECTION.search(part) else kept).append(part)
    warnings = [
        f'ignored an instruction in the scenario text: "{_short(part)}"' for part in dropped
    ]
    return " ".join(kept).strip(), warnings


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def parse(text: str, *, template: str | None = None) -> Scenario:
    """The typed scenario that ``text`` describes, with its warnings.

    Raises:
        ConfigError: empty or over-long text.
    """
    cleaned = clean(text)
    body, warnings = strip_injection(cleaned)
    if not body:
        warnings.append("nothing but instructions in the scenario: read as 'other'")
    read = _digits(_normalise(body))
    values: dict[str, Any] = {"text": cleaned, "template": template}
    if template:
        values["source"] = "template"
    people = A.read(read)
    found = [a for a in amounts(read) if not _distractor(read, a)]
    competitor = _competitor(read)
    kind = _kind(read, found, competitor, people)
    values.update(_audience_values(people))
    values["_skip"] = people.spans
    warnings += people.warnings
    values["channel"] = _channel(read)
    values["competitor"] = competitor
    money = [a for a in found if a.unit == "$"]
    percents = [a for a in found if a.unit == "%"]
    if kind in (Kind.PRICE_CHANGE, Kind.FEE, Kind.PRICE_CHANGE_VALUE_ADD):
        kind = _price(read, kind, money, percents, values, warnings)
    elif kind == Kind.NEW_PLAN:
        _new_plan(read, money, values, warnings)
    elif kind == Kind.COMPETITOR_OFFER:
        _competitor_offer(read, money, values, warnings)
    elif kind in (Kind.POLICY_CHANGE, Kind.OTHER):
        if money or percents:
            warnings.append(
                "amounts " + ", ".join(a.label() for a in found) + " are not read as a price "
                "change: no price, fee or offer is named"
            )
    else:
        _offer(read, kind, money, percents, values, warnings)
    if kind not in (Kind.NEW_PLAN,):
        values["new_plan"] = None
    values["kind"] = kind
    values["warnings"] = _unique(warnings)
    del values["_skip"]
    return build(values)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _normalise(text: str) -> str:
    """One spelling for dashes, quotes and arrows; "5 more dollars" as "5 dollars more"."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\u2018\u2019\u02bc]", "'", text)
    text = re.sub(r"[\u201c\u201d]", '"', text)
    text = re.sub(r"\s*(?:→|->|=>|⟶)\s*", " to ", text)
    return re.sub(r"(?<=\d)\s?(?:/\s?mo(?:nth)?\.?)\b", "/mo", text)


def _digits(text: str) -> str:
    text = words_to_digits(text)
    text = re.sub(r"\b(\d+)\s+dollars?\s+(?:and\s+)?(\d{2})\b"
                  r"(?!\s*(?:%|percent|gb|months?|years?))",
                  r"$\1.\2", text)  # "1 dollar 50"  # fmt: skip
    return re.sub(r"\b(\d+(?:\.\d+)?)\s+(more|extra|additional|fewer|less)\s+(dollars?|bucks?)\b",
                  r"\1 \3 \2", text)  # fmt: skip


def _distractor(text: str, amount: Amount) -> bool:
    """A percent that is not a price: uptime, coverage, a share of customers."""
    if amount.unit != "%":
        return False
    after = text[amount.end : amount.end + 30].lower()
    before = text[max(0, amount.start - 30) : amount.start].lower()
    return bool(
        re.match(r"\s*(?:uptime|reliab|coverage|of (?:customers|our|the|all|users|subscribers|"
                 r"people|households|lines|accounts)|faster|more (?:data|coverage|speed)|"
                 r"satisfaction|battery|signal|network|of the (?:country|us|population))", after)
        or re.search(r"\b(?:top|bottom|uptime of|coverage of|reach(?:es)?|covers?)\s*$", before)
    )  # fmt: skip


def _competitor(text: str) -> str | None:
    lower = text.lower()
    for pattern, name in COMPETITORS.items():
        if re.search(r"(?<![\w&-])(?:" + pattern + r")(?![\w&])", lower):
            return name
    return None


def _score(text: str, pattern: str) -> int:
    return len(re.findall(pattern, text, flags=re.I))


def _kind(text: str, found: list[Amount], competitor: str | None, people: A.Audience) -> Kind:
    """The kind of event. Offers are told apart by their words; a price change needs an
    amount with a direction or a price word; a policy needs no amount."""
    lower = text.lower()
    scores = {kind: _score(text, pattern) for kind, pattern in KIND_PATTERNS}
    offer_words = bool(_OFFER_WORDS.search(lower))
    if competitor and re.search(
        r"(?:offer\w*|launch\w*|cut\w*|drop\w*|slash\w*|undercut\w*|is giving|gives|will pay|pays|"
        r"paying|has a|running|runs|now (?:charg|offer)\w*|switch\w*|port\w*|poach\w*|lur\w*|'s\b|"
        r"promo\w*|deal|match\w*|beat\w*|price war|announc\w*|lower\w*|for \$|at \$|\bto \$)",
        lower,
    ):
        return Kind.COMPETITOR_OFFER
    if people.new_plan and scores[Kind.NEW_PLAN]:
        return Kind.NEW_PLAN
    delta_like = _delta_phrase(lower)
    if scores[Kind.SERVICE_CREDIT]:
        return Kind.SERVICE_CREDIT
    if scores[Kind.RETENTION_OFFER] and (
        offer_words or not delta_like or re.search(r"\bretention\b", lower)
    ):
        return Kind.RETENTION_OFFER
    if scores[Kind.LOYALTY_REWARD] and (not delta_like or offer_words):
        return Kind.LOYALTY_REWARD
    raise_words = bool(_RAISE.search(lower))
    if scores[Kind.UPGRADE_OFFER] and (
        people.target_plan or not delta_like or (offer_words and not raise_words)
    ):
        return Kind.UPGRADE_OFFER
    if scores[Kind.FEE] and (found or not scores[Kind.POLICY_CHANGE]):
        return Kind.FEE
    if scores[Kind.NEW_PLAN] and not delta_like:
        return Kind.NEW_PLAN
    if scores[Kind.ADD_ON_BUNDLE] and not (raise_words and _includes(lower)):
        return Kind.ADD_ON_BUNDLE
    price_signal = bool(re.search(_PRICE_WORDS, lower)) or bool(re.search(_UP, lower))
    if found and (delta_like or (price_signal and any(a.unit == "$" for a in found))):
        return Kind.PRICE_CHANGE_VALUE_ADD if _includes(lower) else Kind.PRICE_CHANGE
    if found and price_signal and any(a.unit == "%" for a in found):
        return Kind.PRICE_CHANGE
    if scores[Kind.POLICY_CHANGE]:
        return Kind.POLICY_CHANGE
    if scores[Kind.UPGRADE_OFFER]:
        return Kind.UPGRADE_OFFER
    if found and offer_words and re.search(r"\boff\b|discount", lower):
        return Kind.RETENTION_OFFER
    return Kind.OTHER


def _delta_phrase(lower: str) -> bool:
    """Words that change a price: "raise by $5", "$4 more a month", "from $95 to $85"."""
    return bool(
        re.search(
            r"(?:" + _UP + "|" + _DOWN + r")[^.;]{0,40}(?:\$|\d+\s?(?:%|percent|dollars|bucks))"
            r"|(?:\$|\d)[\d.,]*\s?(?:%|percent|dollars?|bucks)?(?:/mo)?\s*"
            r"(?:a month\s+|per month\s+"
            r"|/mo\s+|monthly\s+)?(?:more|extra|less|increase|hike|rise|raise|jump|cut|decrease|"
            r"reduction|drop|bump|uptick|higher|lower|cheaper|off|discount|price)"
            r"|\bfrom \$?\d[\d.,]*\s*(?:/mo|a month|per month)?\s*(?:to|down to|up to) \$?\d"
            r"|\bprices?\b[^.;]{0,30}\bto \$\d|\bnow (?:costs?|is|are|\$)[^.;]{0,12}\$\d",
            lower,
        )
    )


def _includes(lower: str) -> bool:
    """A price change that comes with something new ("with Netflix included")."""
    if re.search(r"\b(?:still|already|continues? to) (?:includ|come|get)", lower):
        return False
    return bool(
        re.search(
            r"\b(?:with|includ\w*|now comes with|comes with|plus|and (?:we're |we are |we )?add\w*|"
            r"along with|gets?|adds?|bundled with|throws? in)\b[^.;]*?\b(?:"
            + "|".join(p for p, _ in VALUE_ADDS)
            + r")|\(\s*a \$[\d.]+ value\s*\)|\bworth \$|\bvalued at \$|\ba \$[\d.]+ value|(?:"
            + "|".join(p for p, _ in VALUE_ADDS)
            + r")[\w+ ]{0,20}\b(?:is |are )?(?:now |also )?(?:included|thrown in|added|free)\b",
            lower,
        )
    )


_BRANDS = 9  # VALUE_ADDS before this index name a service; after it, a kind of thing


def _value_add_name(lower: str, *, anywhere: bool = False) -> str | None:
    """What comes with the change (or what an add-on is): a named service first, in the order
    the text names them, else the first kind of thing."""
    window = (
        None
        if anywhere
        else re.search(
            r"\b(?:with|includ\w*|comes with|plus|add\w*|along with|gets?|bundled with|"
            r"throws? in)\b"
            r"([^.;]*)",
            lower,
        )
    )
    scope = window.group(1) if window else lower
    if not anywhere and not any(re.search(r"\b" + p, scope) for p, _ in VALUE_ADDS):
        scope = lower
    found = []
    for index, (pattern, name) in enumerate(VALUE_ADDS):
        m = re.search(r"\b" + pattern, scope)
        if m:
            found.append((index >= _BRANDS, m.start(), name))
    return min(found)[2] if found else None


def _channel(text: str) -> str | None:
    lower = text.lower()
    for pattern, name in CHANNELS:
        if re.search(pattern, lower):
            return name
    return None


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


def _role(text: str, amount: Amount) -> str:
    """What a dollar amount is in its sentence: worth, from, to, delta, price, credit."""
    before = text[max(0, amount.start - 40) : amount.start].lower()
    after = text[amount.end : amount.end + 30].lower()
    if re.search(r"\b(?:worth|valued at|value of)\s*(?:about |up to |over )?$", before) or re.match(
        r"\s*(?:value\b|worth\b|in value)", after
    ):
        return "worth"
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
        r"only)\s*$",
        before,
    ) and not re.search(r"\b(?:by|an? (?:extra|additional)|another)\s*$", before):
        return "to"
    if re.match(r"\s*(?:/mo\s*|a month\s*|per month\s*)?(?:credit|off|discount|rebate|back|"
                r"bill credit|in (?:rewards|credit|points)|reward|bonus|gift)", after):  # fmt: skip
        return "credit"
    return "delta"


def _price(
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
    if kind == Kind.PRICE_CHANGE_VALUE_ADD or (worth and _includes(lower)):
        kind = Kind.PRICE_CHANGE_VALUE_ADD
        values["value_add"] = _value_add_name(lower) or "a value-add"
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
        if len(deltas) > 1:
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


def _direction(lower: str, amount: Amount | None = None) -> bool:
    """True when the change is downward (a cut): the direction word nearest the amount in its
    sentence ("3 lines or more" is no direction)."""
    scrubbed = re.sub(r"\bor (?:more|less|fewer|longer|older|younger)\b", " " * 8, lower)
    if amount is None:
        up = re.search(r"\b(?:" + _UP + r")", scrubbed)
        down = re.search(r"\b(?:" + _DOWN + r")", scrubbed)
        if up and down:
            return down.start() < up.start()
        return bool(down)
    start = max(scrubbed.rfind(".", 0, amount.start), scrubbed.rfind(";", 0, amount.start)) + 1
    end = min(p for p in (scrubbed.find(".", amount.end), scrubbed.find(";", amount.end),
                          len(scrubbed)) if p >= 0)  # fmt: skip
    sentence = scrubbed[start:end]
    here = (amount.start + amount.end) / 2 - start
    nearest: tuple[float, bool] | None = None
    for pattern, downward in ((_UP, False), (_DOWN, True)):
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


def _new_plan(text: str, money: list[Amount], values: dict[str, Any], warnings: list[str]) -> None:
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


def _competitor_offer(
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


def _offer(
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
        values["value_add"] = _value_add_name(text.lower(), anywhere=True)
