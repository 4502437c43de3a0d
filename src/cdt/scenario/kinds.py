"""What kind of event an announcement is, and its words: competitors, channels, value-adds,
direction words, and the sentences that give instructions (read as data, never obeyed)."""

from __future__ import annotations

import re

from cdt.scenario import audience as A
from cdt.scenario.model import Kind
from cdt.scenario.numbers import Amount
from cdt.scenario.value_adds import ADDS_A_THING, VALUE_ADDS

COMPETITORS = {
    r"verizon": "Verizon",
    r"at\s?&\s?t|\batt\b": "AT&T",
    r"metro by t-mobile": "Metro by T-Mobile",
    r"t[\s-]?mobile": "T-Mobile",
    r"us cellular|u\.s\. cellular": "US Cellular",
    r"cricket wireless": "Cricket Wireless",
    r"cricket": "Cricket",
    r"mint mobile|\bmint\b": "Mint Mobile",
    r"visible(?= wireless| is| offers| has| now| launches| cuts| drops| dropped| slashed| cut|'s|"
    r" lowered| raised|:)": "Visible",
    r"metropcs|metro pcs": "Metro",
    r"boost(?: mobile)?(?= is| offers| has| now| launches| cuts| drops| mobile|'s)": "Boost Mobile",
    r"xfinity mobile|xfinity": "Xfinity Mobile",
    r"spectrum mobile": "Spectrum Mobile",
    r"google fi": "Google Fi",
    r"us mobile|u\.s\. mobile": "US Mobile",
    r"straight talk": "Straight Talk",
    r"total wireless|total by verizon": "Total Wireless",
    r"consumer cellular": "Consumer Cellular",
    r"tracfone": "Tracfone",
    r"ting mobile|\bting\b(?= is| offers| has| now| launches| cuts| drops)": "Ting Mobile",
    r"cox mobile": "Cox Mobile",
    r"optimum mobile": "Optimum Mobile",
    r"c spire": "C Spire",
    r"tello": "Tello",
    r"ultra mobile": "Ultra Mobile",
    r"red pocket": "Red Pocket",
    r"boost infinite": "Boost Infinite",
    r"simple mobile": "Simple Mobile",
    r"h2o wireless": "H2O Wireless",
    r"lycamobile": "Lycamobile",
    r"(?:a |the )?(?:regional|local|rival|competing) (?:carrier|provider|operator)": (
        "a regional carrier"
    ),
    r"(?:a |the )?(?:competitor|rival)s?\b": "a competitor",
}
CHANNELS = (
    (r"\bpush(?: notifications?| alerts?| messages?)?\b|\bin[\s-]app (?:notifications?|alerts?|"
     r"messages?|banners?|notices?)\b|\bapp (?:notifications?|alerts?|messages?|banners?)|"
     r"\b(?:notif\w*|alert\w*|messag\w*|announc\w*|tell\w*|inform\w*|banner\w*|let \w+ know)"
     r"[^.;]{0,40}\b(?:in|through|via) the app\b|\b(?:in|through|via) the app\b[^.;]{0,25}"
     r"\b(?:notif\w*|alert\w*|messag\w*|banner\w*)",
     "App Push"),
    (r"\bsms\b|(?<!talk & )(?<!talk and )(?<!talk \+ )(?<!talk, )(?<!unlimited )"
     r"\btext(?:ed)?(?: messages?| alerts?)?\s*(?:to|blast|campaign)?\b(?=[^.]*\b(?:by|via|"
     r"over|through|sent|send|announce|notif|tell|inform|message|customers))|\bby text\b|"
     r"\bvia text\b|\bover text\b|\btexts? (?:them|customers|every)|"
     r"\b(?:get|receive|send|sent|be sent) an? (?:text|sms)\b(?! alerts? when| when| if)|"
     r"\b(?:we're|we are|we'll be|we will be|is|are|be|begin|start|starts) texting\b",
     "SMS"),
    (r"\be-?mail(?:ed|s|ing)?\b|\bnewsletter\b", "Email"),
    (r"\bdirect[\s-]mail\b|\bletters?\b|\bpostcards?\b|\bmailers?\b|\bby (?:post|mail)\b|"
     r"\bin the mail\b|\bpaper (?:notice|letter)s?\b",
     "Direct Mail"),
    (r"(?:^|[.!?]\s+)call (?=\w+ (?:\w+ )?customers)|"
     r"\bphone calls?\b|\boutbound calls?\b|\bcall(?:ing)? (?:them|customers|each|every)\b|"
     r"\btelemarketing\b|\bcall[\s-]cent(?:er|re) (?:outreach|reps? will call)|\bby phone\b|"
     r"\bover the phone\b|\bwill call\b|\bwe(?:'ll| will) call\b|\bphone (?:outreach|campaign)\b|"
     r"\b(?:proactive|outbound|outreach|retention) calls?\b|\(\s*phone\s*\)|\bphone script\b|"
     r"\b(?:we're|we are|we'll be|we will be|is|are|be|begin|start|starts) (?:calling|phoning)\b|"
     r"\b(?:will|to|we'll|team|reps?|agents?) (?:phone|ring) (?=(?:\w+ ){0,3}(?:customers|"
     r"subscribers|them|members))",
     "Phone"),
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
UP = (
    r"increas\w*|rais\w*|hik\w*|goes up|go up|going up|went up|rises?|rising|risen|rose|jumps?|"
    r"lifts?\b|"
    r"climbs?|bump\w*|up\b(?!\s+to\b)|more\b|extra\b|additional|adding|add(?:s|ed)?\b|higher|surcharge|"
    r"adjust\w* upward|tack\w* on|uptick|grows?|steeper"
)
DOWN = (
    r"decreas\w*|cut\w*|reduc\w*|lower\w*|drops?|dropp\w*|discount\w*|\boff\b|cheaper|less\b|"
    r"slash\w*|falls?|fell|down\b|savings?|save[sd]?|rollback|roll back|trim\w*|markdown|"
    r"goes down|go down|going down|went down|decline\w*|shaves?|knock\w* off|eliminat\w*|"
    r"waiv\w*|remov\w*|scrap\w*|abolish\w*|get rid of|below\b"
)
#: a word that raises a price, and one that lowers it, anywhere in a text
RAISES = re.compile(rf"\b(?:{UP})", re.IGNORECASE)
LOWERS = re.compile(rf"\b(?:{DOWN})", re.IGNORECASE)
_PRICE_WORDS = (
    r"\b(?:price|prices|pricing|bill|bills|plan|plans|rate|rates|cost|costs|monthly|per month|"
    r"a month|/mo|subscription|charge|charges|fee|fees|line|lines|tier|access|billed|charged|pay|"
    r"pays|paying)\b"
)
_RAISE = re.compile(
    r"\b(?:increas\w*|rais\w*|hik\w*|goes up|go up|rises?|rising|rose|jumps?|climbs?|lifts?\b|"
    r"price "
    r"(?:change|increase|cut|drop)|cheaper|cut\w*|decreas\w*|reduc\w*|lower\w*)",
    re.I,
)
_LOCK = re.compile(
    r"\bprice (?:lock|guarantee|freeze)|\b(?:price|rate) (?:is |stays |will stay |remains? )?"
    r"(?:locked|frozen|guaranteed)\b|\block(?:s|ed|ing)? in (?:your |their |the )?(?:rate|price)"
)
_SIGNED = re.compile(r"(?:^|[\s(:,;])[+-]\s?\$\s?\d")
_UP_BY = re.compile(
    r"\b(?:price|prices|rate|plan|bill)s? (?:is |are |goes |go )?(?:up|down)\s+\$?\d"
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
     r"disruption)|\bdropped calls\b|\bwent dark\b|\bwas down\b|\blost (?:\w+ )?service\b|"
     r"\bfiber cut\b|\bservice (?:loss|outage)|"
     r"(?<!notify )(?<!notifying )(?<!inform )(?<!informing )"
     r"(?<!notified )(?<!contact )(?<!contacting )(?<!tell )(?<!telling )(?<!email )(?<!all )"
     r"\baffected (?:\w+ )?(?:customers|subscribers|"
     r"accounts|lines)\b|\bmissed (?:its|our) (?:\w+ )?(?:uptime|reliability|service)|"
     r"\bto make up for\b|\b(?:because of|due to|following|after|for)\s+(?:the |last \w+'s |"
     r"this \w+'s |yesterday's |today's |recent )?(?:\w+ )?"
     r"(?:slowdown|disruption|interruption)s?\b|"
     r"\b(?:data|network|service) slowdown\b[^.]{0,40}"
     r"(?:wasn't|was not|not) (?:acceptable|ok)|\blost (?:data|signal|coverage|connectivity|"
     r"(?:cell )?service)\b"),
    (Kind.LOYALTY_REWARD,
     r"\bloyal(?:ty)? (?:reward|bonus|points|gift|perk|program|credit)|\brewards? (?:points|"
     r"program|credit|bonus)|\bin rewards\b|"
     r"(?<!talking )(?<!\.\d )(?<!\.\d\d )(?<!percentage )(?<!basis )\bpoints\b|"
     r"\bthank[\s-]you (?:gift|credit|bonus|reward|letter|note|offer|discount|deal|perk)|"
     r"\bbecause you(?:'ve| have) been with us\b|\bfor being with us\b|"
     r"\bthank(?:s|ing)? (?:you|our|loyal|"
    r"them)|\bsaying thanks\b|\ba gift\b|\bgift for you\b|\bwelcome (?:credit|gift|bonus)|"
     r"\banniversary (?:gift|credit|bonus|reward)|"
     r"\bappreciation (?:credit|gift|bonus)|\bloyalty\b|\brewards?\b|\bas a thank[\s-]you\b|"
     r"\bprice (?:lock|guarantee|freeze|promise)\w*|\block(?:s|ed|ing)? in (?:your |their |the )?"
     r"(?:\w+ )?(?:rates?\b|pric\w*)|\bthanks? for (?:being|staying|sticking|your loyalty)|"
     r"\block(?:s|ed|ing)? (?:in )?(?:your|their) (?:current )?(?:rates?|pric\w*)\b|"
     r"\b(?:price|rate) (?:is |stays |will stay |remains? )?(?:frozen|"
     r"locked|guaranteed)|\bwon't (?:go up|increase|rise)\b|"
     r"\bwill not (?:go up|increase|rise|see a price increase)|"
     r"\bguarantee\w* (?:your|their|the|its) (?:current )?(?:price|rate)|"
     r"\bno price increases?\b|\bloyal (?:\w+ )?(?:customers|subscribers)\b|"
     r"\b(?:it's|it is|is|are|stays?) guaranteed\b|\bfreez\w* (?:\w+ ){0,2}(?:pric\w*|rates?)\b|"
     r"\bgift[\s-]?cards?\b|\b(?:welcome|birthday|holiday|thank[\s-]you) gifts?\b|"
     r"\bhappy anniversary\b|\b(?:service |customer )?anniversary\b|"
     r"\b(?:monthly )?bill credit\b[^.;]{0,60}\bno strings\b"),
    (Kind.RETENTION_OFFER,
     r"\bretention\b|\bretain\b|\bto stay\b|\bstay with us\b|\bif they stay\b|"
     r"(?<!thank-you )(?<!thank you )(?<!thanks )\bfor staying\b|"
     r"\bthinking (?:of|about) (?:leaving|switching|cancel\w*|porting)\b|\bcan stay for\b|"
     r"\bsave offer|\bwin[\s-]?back\b|\bcome back\b|\bwe miss you\b|"
     r"\b(?:don't|do not) want (?:to see )?you (?:to )?(?:go|leave)\b|"
     r"\b(?:threaten\w*|trying|want\w*|plan\w*|ask\w*|request\w*) to "
     r"(?:leave|cancel|switch|port)|\bcall(?:s|ing)? to cancel|\bat[\s-]risk (?:customers|"
     r"accounts|subscribers)|\bat risk of (?:churn\w*|leaving|cancel\w*)|\blikely to (?:churn|"
     r"leave|cancel)|\bcancell?ation (?:request|call)|\bwho (?:try|want|ask) to "
     r"(?:leave|cancel)|\bkeep (?:them|customers)\b|\bbefore they (?:leave|churn)|\bchurn[\s-]"
     r"(?:risk|prevention)|\bcontract (?:ends|expires|is up)|\bat[\s-]risk\b|\bport[\s-]?outs?\b|"
     r"\bporting out\b|\bcan keep (?:the|their|your) (?:plan|line|number)|"
     r"\brequest\w* (?:a |to )?cancel\w*|\bcancell?ation requests?\b|"
     r"\b(?:say|says|said) (?:they're|they are|they'll|they will) (?:leaving|switching|"
     r"cancel\w*|going to leave)|\bwho(?:'re| are) (?:leaving|switching|cancell?ing)\b"),
    (Kind.UPGRADE_OFFER,
     r"(?<!tower )(?<!network )(?<!site )(?<!system )\bupgrade\w*|\btrade[\s-]?in\b|"
     r"\bnew (?:phone|device|handset|iphone|galaxy|pixel)s?\b(?! protection| insurance| care)|"
     r"\bdevice (?:credit|offer|deal|promo)|\bphone (?:credit|offer|deal|promo)|"
     r"\bmove up (?:to|from)\b|\bmove to \w+ at no (?:extra |additional )?(?:cost|charge)\b|"
     r"\bstep up to\b|\bbogo\b|\bbuy one,? get one|\bjump to\b|\btry (?:\w+ )?(?:for )?free\b"),
    (Kind.NEW_PLAN,
     r"\bintroduc(?:e|es|ed|ing)\b|\blaunch\w*|\bour newest plan\b|"
     r"(?-i:\b(?:[Nn]ew|NEW) (?:[A-Z][\w+-]* ){1,2}(?:[Pp]lan|PLAN)\b)|"
     r"\bunveil\w*|\bdebut\w*|\broll(?:s|ing|ed)? out (?:a |the |our )?"
     r"(?:new|\w+ plan)|\bnew plan\b|\bbrand[\s-]new (?:plan|tier)|\bnew (?:\w+ )?(?:tier|plan) "
     r"(?:called|named)|\bsay hello to\b|(?-i:\b[Mm]eet (?:the )?[A-Z])"),
    (Kind.ADD_ON_BUNDLE,
     r"\bbundl\w*|\badd[\s-]?ons?\b|\badd (?:it |this |(?:[\w+&-]+ ){1,3})?(?:to|onto) (?:any|"
     r"your|their|a|every) (?:plan|line|account)|\boptional\b|\bas an extra\b|"
     r"\bstreaming (?:pack|package|pass)|"
     r"\bopt[\s-]in\b|\bpackage\b|\bpass for \$|\btack on\b|"
     r"\b(?:can|may|could|able to|option to)\s+"
     r"(?:i\s+|you\s+|we\s+|they\s+|customers\s+)?(?:now\s+)?(?:add|be added)\b|"
     r"(?:^|[:.!?]\s*)add\b|\bpack for\b|"
     r"\badd\b[^.;$]{0,40}\b(?:to|onto) (?:any|your|their|a|every|my) (?:\w+ )?"
     r"(?:plan|line|account)s?\b"),
    (Kind.FEE,
     r"\bfees?\b|\bsurcharges?\b|\b(?:admin\w*|activation|upgrade|late|paper[\s-]bill|"
     r"regulatory|recovery|service|convenience|restocking|processing|connection|"
     r"administrative|network access|line access|access) charges?\b|"
     r"\bpaper (?:bills?|statements?|invoices?)\b[^.;]{0,40}\b(?:will )?(?:cost|carry|"
     r"charge)\b"),
    (Kind.POLICY_CHANGE,
     r"\bpolic(?:y|ies)\b|\bterms\b|\brules?\b|\bat most \d+ lines\b|"
     r"\b(?:hold|have|add|carry|support) up to \d+ lines\b|\blines? (?:limit|cap|maximum)\b|"
     r"\bmax(?:imum)?\.? (?:of )?\d+ lines\b|\bonly once (?:per|a|every)\b|"
     r"\bonce per billing cycle\b|"
     r"\b(?:cannot|can't|can no longer|may not) (?:be|hold|open|own) (?:the |an? )?"
     r"(?:account|line)|"
     r"\bdata caps?\b|\bthrottl\w*|\bdeprioriti\w*|\bprivacy\b|"
     r"\bautopay (?:is |will be )?(?:required|mandatory)|\bpaper bills? (?:end|will end|are "
     r"ending|discontinued)|\bno longer\b|\bdiscontinu\w*|\bwill require\b|\brequir\w*\b|"
     r"\bsunset\w*|\bshut(?:ting)? down\b|\bretir\w* the\b|\bend(?:ing|s)? (?:support|the|paper)\b|"
     r"\bcontract terms\b|\bfair use\b|\bcap(?:ped)? at\b|\bminimum (?:term|commitment)|"
     r"\bdata (?:sharing|retention|use) |\bunlimited data (?:ends|will end)|\bmust\b|"
     r"\bchanges? to (?:our|the) (?:rules|terms|policy)|\bmandatory\b|\breplac\w+ .* with\b|"
     r"\bstop(?:s|ping)? (?:offering|selling|supporting|including|providing)\b|\bphas\w* out\b|"
     r"\bwill end\b|\bno more\b|\bcan(?:no|')t (?:open|activate|add|port|keep|use|buy)\b|"
     r"\bneeds? (?:autopay|a parent|a guardian|an? id\b|paperless|e-?billing|an? co-?signer|"
     r"a deposit)|"
     r"\bwithout (?:a |an )?(?:parent|guardian|id\b|photo id|credit check|deposit)|"
     r"\b(?:reduc|lower|cut|limit|cap|slow|drop)\w*\b[^.$;]{0,40}\b\d+"
     r"\s?(?:gb|mb|mbps|kbps|minutes|texts|hours)\b|\b(?:hotspot|data|speeds?|streaming|video|"
     r"roaming|minutes)\b[^.$;]{0,30}\b(?:reduc|limit|cap|slow|throttl|lower)\w*|\b\d{3,4}p\b"),
)  # fmt: skip


def is_instruction(text: str) -> bool:
    """Whether ``text`` holds a sentence that gives a model instructions."""
    return bool(_INJECTION.search(text))


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


def competitor(text: str) -> str | None:
    lower = text.lower()
    for pattern, name in COMPETITORS.items():
        if re.search(r"(?<![\w&-])(?:" + pattern + r")(?![\w&])", lower):
            return name
    return None


def _score(text: str, pattern: str) -> int:
    return len(re.findall(pattern, text, flags=re.I))


def kind(text: str, found: list[Amount], competitor: str | None, people: A.Audience) -> Kind:
    """The kind of event. Offers are told apart by their words; a price change needs an
    amount with a direction or a price word; a policy needs no amount."""
    lower = text.lower()
    scores = {kind: _score(text, pattern) for kind, pattern in KIND_PATTERNS}
    offer_words = bool(_OFFER_WORDS.search(lower))
    if competitor and re.search(
        r"(?:offer\w*|launch\w*|cut\w*|drop\w*|slash\w*|undercut\w*|is giving|gives|will pay|pays|"
        r"paying|has a|running|runs|now (?:charg|offer)\w*|switch\w*|port\w*|poach\w*|lur\w*|'s\b|"
        r"promo\w*|deal|match\w*|beat\w*|price war|announc\w*|lower\w*|for \$|at \$|\bto \$|"
        r"advertis\w*|market(?:s|ing)\b|pitch\w*|target\w*|sell(?:s|ing)\b|undercut\w*|"
        r"introduc\w*|unveil\w*|now charg\w*|charges\b|\$\d[\d.]*\s*(?:/mo\s*)?(?:unlimited\s+)?"
        r"plans?\b|\bis back\b|bundl\w*|(?:rais|hik|increas|lift)\w*\s+(?:its|their|the price))",
        lower,
    ):
        return Kind.COMPETITOR_OFFER
    if (
        people.new_plan
        and scores[Kind.NEW_PLAN]
        and not re.search(re.escape(people.new_plan.lower()) + r"\s+(?:add-on|pack|pass)\b", lower)
    ):
        return Kind.NEW_PLAN
    delta_like = _delta_phrase(lower)
    # "Sorry to say it: Summit is going up": an apology for a rise is no make-good
    unapologetic = re.sub(r"\bsorry\b|\bapologi[sz]\w*", " ", text, flags=re.I)
    apology_only = (
        _score(unapologetic, _CREDIT_PATTERN) == 0 and bool(RAISES.search(lower)) and delta_like
    )
    if scores[Kind.SERVICE_CREDIT] and not apology_only:
        return Kind.SERVICE_CREDIT
    locked = bool(_LOCK.search(lower))  # "your price is locked ... while you stay with us"
    if (
        scores[Kind.RETENTION_OFFER]
        and not locked
        and (offer_words or not delta_like or re.search(r"\bretention\b", lower))
    ):
        return Kind.RETENTION_OFFER
    if scores[Kind.LOYALTY_REWARD] and (not delta_like or offer_words):
        return Kind.LOYALTY_REWARD
    # "+$3 per line and bundles Apple TV+": a signed amount moves the price as a word does
    raise_words = bool(_RAISE.search(lower) or _SIGNED.search(lower) or _UP_BY.search(lower))
    if scores[Kind.UPGRADE_OFFER] and (people.target_plan or not delta_like or not raise_words):
        return Kind.UPGRADE_OFFER
    if people.target_plan and re.search(r"\b(?:waive\w*|credit\w*|free|off)\b", lower):
        return Kind.UPGRADE_OFFER  # "switch to Avalanche and we'll waive the difference"
    if scores[Kind.FEE] and (found or not scores[Kind.POLICY_CHANGE]):
        return Kind.FEE
    launches_an_add_on = re.search(
        r"\blaunch\w* (?:the |an? |our |new )?(?:[\w+-]+ ){0,3}(?:add-on|pack|pass|bundle)\b", lower
    )
    if scores[Kind.NEW_PLAN] and not delta_like and not launches_an_add_on:
        return Kind.NEW_PLAN
    optional = re.search(
        r"\b(?:can|may|could|able to|option to)\s+(?:i\s+|you\s+|we\s+|they\s+|customers\s+)?"
        r"(?:now\s+)?(?:add\b|be added\b)|(?:^|[:.!?]\s*)add\b|"
        r"\b(?:add|added)\b[^.;$]{0,40}\b(?:to|onto) (?:any|your|their|a|every|my) (?:\w+ )?"
        r"(?:plan|line|account)s?\b",
        lower,
    )
    if (
        scores[Kind.ADD_ON_BUNDLE]
        and (found or not scores[Kind.POLICY_CHANGE])
        and (optional or not (raise_words and (includes(lower) or delta_like)))
    ):  # "roaming now requires an opt-in": no price, a rule
        return Kind.ADD_ON_BUNDLE
    price_signal = bool(re.search(_PRICE_WORDS, lower)) or bool(re.search(UP, lower))
    dollars = any(a.unit == "$" for a in found)
    priced = dollars or bool(re.search(_PRICE_WORDS, lower)) or bool(people.plans)
    if found and priced and (delta_like or (price_signal and dollars)):
        return Kind.PRICE_CHANGE_VALUE_ADD if includes(lower) else Kind.PRICE_CHANGE
    if (
        found
        and any(a.unit == "%" for a in found)
        and (re.search(_PRICE_WORDS, lower) or people.plans)
    ):  # "subscribers, up 4%" is no price
        return Kind.PRICE_CHANGE_VALUE_ADD if includes(lower) else Kind.PRICE_CHANGE
    if people.plans and re.search(
        r"\b(?:is|are|costs?|becomes?|pays?)\s+(?:just |only |now )?\$\d", lower
    ):  # "Flurry is $30 through June": a new price
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
            r"(?:" + UP + "|" + DOWN + r")[^.;]{0,40}(?:\$|\d+\s?(?:%|percent|dollars|bucks))"
            r"|(?:\$|\d)[\d.,]*\s?(?:%|percent|dollars?|bucks)?(?:/mo)?\s*"
            r"(?:a month\s+|per month\s+"
            r"|/mo\s+|monthly\s+)?(?:more|extra|less|increase|hike|rise|raise|jump|cut|decrease|"
            r"reduction|drop|bump|uptick|higher|lower|cheaper|off|discount|price)"
            r"|\bfrom \$?\d[\d.,]*\s*(?:/mo|a month|per month)?\s*(?:to|down to|up to) \$?\d"
            r"|\bprices?\b[^.;]{0,30}\bto \$\d|\bnow (?:costs?|is|are|\$)[^.;]{0,12}\$\d"
            r"|(?:^|[\s(:,;])[+-]\s?(?:\$\s?\d|\d[\d.]*\s?(?:%|cents?\b|¢))"  # "+$2", "-5%"
            r"|\$\d[\d.,]*(?:/mo)?\s+to\s+\$\d"  # a pair: "$35 to $36"
            r"|\$\d[\d.,]*(?:/mo| a month)?,?\s+(?:not|instead of|rather than)\s+\$\d"
            r"|\$\d[\d.,]*(?:/mo)?\s*\((?:was|from|previously|down from|up from)\s+\$\d"
            # "$35 today, $39 starting…"
            r"|\$\d[\d.,]*(?:/mo| a month)?\s+(?:today|now|currently),?\s+\$\d",
            lower,
        )
    )


def includes(lower: str) -> bool:
    """A price change that comes with something new ("with Netflix included")."""
    if re.search(r"\b(?:still|already|continues? to) (?:includ|come|get)", lower):
        return False
    return bool(
        re.search(
            r"\b(?:with|includ\w*|now comes with|comes with|plus|and (?:we're |we are |we )?add\w*|"
            r"along with|gets?|adds?|bundl(?:ed with|ing|es)|throw(?:s|ing)? in|toss(?:es|ing)? in|"
            r"brings?)\b"
            r"[^.;]{0,50}?\b(?:"
            + "|".join(p for p, _ in VALUE_ADDS)
            + r")|\(\s*a \$[\d.]+(?:/mo| a month)? value\s*\)|\bworth \$|\bvalued at \$"
            r"|\ba \$[\d.]+ value|(?:"
            + "|".join(p for p, _ in VALUE_ADDS)
            + r")[\w+ ]{0,20}(?:\([^)]{0,40}\)\s*)?\b(?:is |are )?(?:now |also )?"
            r"(?:included|thrown in|added|free|"
            r"built[\s-]in)\b"
            r"|\ballowances? (?:doubles?|doubled|triples?|tripled|grows?|increases?)\b"
            r"|" + ADDS_A_THING + r"|\b(?:is|are) now part of\b"
            r"|\bdoubl\w+ (?:the |its |your )?(?:\w+ )?allowance",
            lower,
        )
    )


def channel(text: str) -> str | None:
    lower = text.lower()
    for pattern, name in CHANNELS:
        if re.search(pattern, lower):
            return name
    return None


_CREDIT_PATTERN = dict(KIND_PATTERNS)[Kind.SERVICE_CREDIT]
