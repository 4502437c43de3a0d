"""The words a scenario's kind, direction, channel and competitor are read from: the cue
tables ``cdt.scenario.kinds`` decides with. Each pattern is matched on the lower-cased text
unless it says otherwise."""

from __future__ import annotations

import re

from cdt.scenario.model import PLANS, Kind

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
    r" undercuts| advertises| charges| sells| launched| raised|,\s+verizon's|"
    r" lowered| raised|:)": "Visible",
    r"metropcs|metro pcs": "Metro",
    (
        r"boost(?: mobile)?(?= is| offers| has| now| launches| cuts| drops| mobile|'s|: )"
    ): "Boost Mobile",
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
    r"(?:a |the )?(?:(?:regional|local|other) )?cable (?:carrier|provider|operator|compan(?:y|ies)|"
    r"mvno)s?": "a cable carrier",
    r"(?:a |the )?(?:competitor|rival)s?\b": "a competitor",
}
CHANNELS = (
    (r"\bpush(?: notifications?| alerts?| messages?| copy)\b|^\s*push\s*:|\bpush[\s-]notif\w*|"
     r"\b(?:via|by|through|an?|in[\s-]app|app)\s+push\b"
     r"(?!\s+(?:across|for|into|toward|towards|behind|on|in|to (?:sell|get|grow|drive)|aimed|meant|"
     r"designed|targeting|that (?:aims|targets)))|"
     r"\bpush(?:ed|ing)? (?:it |this )?(?:to|out to) (?:their |your |the )?(?:phones?|devices?|"
     r"app)\b|\bin[\s-]app (?:notifications?|alerts?|messages?|banners?|notices?)\b|"
     r"\bapp (?:notifications?|alerts?|messages?|banners?)|"
     r"\bpush(?:ed|es|ing)?\b[^.;]{0,40}\b(?:in[\s-]app|in the (?:\w+ )?app)\b|"
     r"\b(?:notif\w*|alert\w*|messag\w*|announc\w*|tell\w*|inform\w*|banner\w*|let \w+ know)"
     r"[^.;]{0,40}\b(?:in|through|via) the app\b|\b(?:in|through|via) the app\b[^.;]{0,25}"
     r"\b(?:notif\w*|alert\w*|messag\w*|banner\w*)",
     "App Push"),
    (r"\bsms\b|(?<!talk & )(?<!talk and )(?<!talk \+ )(?<!talk, )(?<!unlimited )"
     r"\btext(?:ed)?(?: messages?| alerts?)?\s*(?:to|blast|campaign)?\b(?! messaging)(?!ing in)"
     r"(?<!text to)(?<!texted to)(?=[^.]*\b(?:by|via|"
     r"over|through|sent|send|announce|notif|tell|inform|message|customers))|\bby text\b|"
     r"\bvia text\b|\bover text\b|\btexts? (?:them|customers|every)|"
     r"\b(?:get|receive|send|sent|be sent) an? (?:text|sms)\b(?! alerts? when| when| if)|"
     r"\b(?:we're|we are|we'll be|we will be|is|are|be|begin|start|starts) texting\b|"
     r"\bthis text\b|(?:^|[.!]\s+)text (?:alert|message|msg)\s*:|"
     r"\b(?:they|we|snowmobile|it|you)(?: wireless)? texted\b|"
     r"\b(?:get|got|received?|sent) (?:the|a|this|that) text\b|\btext (?:i|we) (?:got|received)\b|"
     r"\b(?:they|snowmobile|it) (?:just |already )texted\b|"
     r"\b(?:your|the|a|this) text from\b|\b(?:the|your|a) text (?:said|says|saying|stated)\b|"
     r"\btexting (?:me|us)\b|\btexting (?:\w+ ){0,2}(?:customers|subscribers|users|members)\b|"
     r"(?:^|[.!?:]\s*)(?:a |the )?text (?:says|said)\b|"
     r"\btexted (?:notice|alert|message|reminder)s?\b|"
     r"\b(?:the|a|your) (?:snowmobile |carrier's )?text (?:said|says)\b|"
     r"\btext from (?:them|snowmobile|the carrier)\b|"
     r"\b(?:the |their )?texts? (?:went out|go out|goes out|were sent|was sent)\b|"
     r"\bsaw the text about\b|\b(?:came|come|comes|arrived) (?:in|by|"
     r"via) (?:a |an )?text\b",
     "SMS"),
    (r"(?<!have )(?<!has )(?<!no )(?<!use )(?<!any )(?<!do )\be-?mail(?:ed|s|"
     r"ing)?\b(?! address| statement)"
     r"(?! to (?:care|marketing|the team|pricing|sales|finance|legal|retail|stores|reps|agents|"
     r"staff|leadership|ops|operations|engineering|product|the board|all staff|partners)\b)|"
     r"\bnewsletter\b(?!\s*(?:blurb|item|note)?\s*:)", "Email"),
    (r"\bdirect[\s-]mail\b|\bmail (?:a|an|the|each|every)\b|"
     r"(?<!investor )(?<!shareholder )(?<!shareholders' )(?<!ceo )(?<!ceo's )(?<!annual )"
     r"\bletters?\b|\bpostcards?\b|\bmailers?\b|\bby (?:post|mail)\b|"
     r"\bin the mail\b|\b(?:is|are|be|we're|we are|will be) mailing\b|"
     r"\bpaper (?:notice|letter)s?\b",
     "Direct Mail"),
    (r"(?:^|[.!?]\s+)call (?=\w+ (?:\w+ )?customers)|"
     r"\b(?:reps?|agents?|advisors?) (?:will |to |should )?call (?:\S+ ){0,3}customers\b|"
     r"\bphone calls?\b|\boutbound calls?\b|\bcall(?:ing)? (?:them|customers|each|every)\b|"
     r"\btelemarketing\b|\bcall[\s-]cent(?:er|re) (?:outreach|reps? will call)|\bby phone\b|"
     r"\bover the phone\b|\b(?:get|receive|gets|receives) an? (?:phone )?call\b|"
     r"\b(?:told|called) (?:me|us) on the phone\b|\b(?:rep|agent|someone|advisor) on the phone\b|"
     r"\bwill call\b|\b(?:snowmobile|they|someone|a rep|an agent|support) (?:called|phoned|rang) "
     r"(?:me|us)\b|\bwe(?:'ll| will) call\b|\bphone (?:outreach|campaign)\b|"
     r"\b(?:proactive|outbound|outreach|retention) calls?\b|\(\s*phone\s*\)|"
     r"\b(?:phone|call) script\b|"
     r"\b(?:we're|we are|we'll be|we will be|is|are|be|begin|start|starts) (?:calling|phoning)\b|"
     r"\b(?:will|to|we'll|team|reps?|agents?) (?:phone|ring) (?=(?:\w+ ){0,3}(?:customers|"
     r"subscribers|them|members)|(?:each|every|those|all|affected)\b)|\[voicemail\]|"
     r"^\s*voicemail\s*:|\bvoicemail (?:transcript|message) from\b|"
     r"\bthis is [^.?!]{0,40}\bcalling (?:about|to|with)\b|"
     r"\bcalled to cancel\b[^.]{0,40}\boffered\b",
     "Phone"),
)  # fmt: skip
INJECTION = re.compile(
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
    r"lift(?:s|ing|ed)?\b|"
    r"climbs?|bump\w*|up\b(?!\s+to\b)|more\b|extra\b|additional|adding|add(?:s|ed)?\b|higher|"
    r"surcharge|adjust\w* upward|tack\w* on|uptick|grows?|steeper"
)
DOWN = (
    r"decreas\w*|cut\w*|reduc\w*|lower\w*|drops?|dropp\w*|discount\w*|\boff\b|cheaper|less\b|"
    r"slash\w*|(?<!this )(?<!next )(?<!last )(?<!the )(?<!in )(?<!early )(?<!late )falls?|fell|"
    r"down\b|savings?|save[sd]?|rollback|roll back|trim\w*|markdown|"
    r"goes down|go down|going down|went down|decline\w*|shaves?|knock\w* off|eliminat\w*|"
    r"waiv\w*|remov\w*|scrap\w*|abolish\w*|get rid of|below\b|slips?\b|slipp\w*|dips?\b|dipp\w*|"
    r"eas(?:es|ed|ing)\b|under\b(?=\s+(?:list|the (?:list|regular|usual|normal)|regular|retail))|"
    r"credit\b(?=[^.;$]{0,20}\b(?:bringing|making|dropping|lowering|taking))"
)
#: a word that raises a price, and one that lowers it, anywhere in a text
RAISES = re.compile(rf"\b(?:{UP})", re.IGNORECASE)
LOWERS = re.compile(rf"\b(?:{DOWN})", re.IGNORECASE)
PRICE_WORDS = (
    r"\b(?:price|prices|pricing|bill|bills|plan|plans|rate|rates|cost|costs|monthly|per month|"
    r"a month|/mo|subscription|charge|charges|fee|fees|line|lines|tier|access|billed|charged|pay|"
    r"pays|paying)\b"
)
RAISE = re.compile(
    r"\b(?:increas\w*|rais\w*|hik\w*|goes up|go up|went up|gone up|rises?|rising|rose|jumps?|"
    r"climbs?|lift(?:s|ing|ed)?\b|price "
    r"(?:change|increase|cut|drop)|cheaper|cut\w*|decreas\w*|reduc\w*|lower\w*)"
    r"|\$[\d.]+\s*(?:/mo\s*|a month\s*)?more\b",  # "$8 more"
    re.I,
)
LOCK = re.compile(
    r"\bprice (?:lock|guarantee|freeze)|"
    r"\bguarantee(?:s|d|ing)? (?:\w+ ){0,4}prices?\b|\bfreez(?:e|es|ing) (?:\w+ ){0,3}prices?\b|"
    r"\b(?:price|rate) (?:is |stays |will stay |remains? )?"
    r"(?:locked|frozen|guaranteed)\b|\block(?:s|ed|ing)? in (?:your |their |the )?(?:rate|price)|"
    r"\b(?:won't|will not|never) (?:see|face|get) (?:a |any )?(?:price|rate) (?:increase|hike|"
    r"rise|change)s?\b|\blocks? (?:[\w&]+ ){1,4}(?:pricing|prices|rates)\b"
)
REQUIRES = re.compile(
    r"\b(?:(?:will need|needs?|are required|must continue) to|must|has to|have to)"
    r"\s+(?:now\s+)?(?:keep|have|use|enroll|enable|show|stay|switch|verify|provide|present|"
    r"sign|register)\b|\brequires? an? (?:\d+% )?(?:down payment|deposit|credit check)\b"
)
SIGNED = re.compile(r"(?:^|[\s(:,;])[+-]\s?\$\s?\d|(?:^|[\s(:,;])\+\s?\d+(?:\.\d+)?\s?%")
UP_BY = re.compile(
    r"\b(?:price|prices|rate|plan|bill)s? (?:is |are |goes |go )?(?:up|down)\s+\$?\d"
    r"|(?<!make )(?<!makes )(?<!made )(?<!making )\bup\s+\d+(?:\.\d+)?\s?(?:%|percent\b)|(?:^|"
    r",\s*)(?:up|down)\s+\$\d"
)
OFFER_WORDS = re.compile(
    r"\b(?:credit(?:ed|s|ing)?|off\b|discount\w*|save|savings|reward\w*|points?|bonus|rebate|"
    r"gift[\s-]?cards?|prepaid card|free|back|cash|worth|value|voucher|coupon|waive[sd]?|"
    r"refund\w*|comp(?:ed)?\b|promo\w*)\b",
    re.I,
)
#: something added for a price: "add a smartwatch for $5/mo", "added device protection for $12"
ADDS_FOR = (
    r"\b(?:add|added|adding)\s+(?:an? |the )?[\w+&' -]{2,30}?\s+(?:for|at)\s+(?:just |only )?\$"
)
KIND_PATTERNS: tuple[tuple[Kind, str], ...] = (
    (Kind.SERVICE_CREDIT,
     r"(?<!no )(?<!not an )(?<!without an )(?<!any )\boutages?\b|"
     r"\bservice (?:disruption|interruption|issue|problem)s?|"
     r"\b(?:coverage|service|network|signal) (?:degradation|degraded|outages?)\b|\bnetwork "
     r"(?:issue|problem|failure|disruption|went down|was down)s?|\bdowntime\b|\bmake[\s-]good\b|"
     r"\bapolog(?:y|ies|i[sz]\w*)|\bsorry\b|\bcompensat\w*|\bservice credit|\bcredit for the "
     r"(?:outage|disruption)|(?<!cut )(?<!reduced )(?<!fewer )(?<!reduce )(?<!lower )"
     r"\bdropped[\s-]calls?\b|"
     r"\bno (?:cell )?service\b(?! (?:fees?|charges?))|"
     r"\b(?:hurricane|storm|weather|wildfire|flood|power) (?:disruption|damage|outage)s?\b|"
     r"\b(?:took|knocked|went|were|was) (?:\w+ ){0,3}offline\b|"
     r"\buptime (?:target |goal |guarantee )?(?:was )?missed\b|\bmissed (?:\w+ )?uptime\b|"
     r"\b(?:after|during|because of) the (?:storm|hurricane|wildfire|flood|blizzard|ice storm)\b|"
     r"\bwent dark\b|\bwas down\b|\blost (?:\w+ )?service\b|"
     r"\bcredit for (?:the |my |our |a )?(?:\w+ ){0,3}(?:problems?|issues?|troubles?|"
     r"dead zones?)\b|"
     r"\bno (?:lte|5g|4g|signal|service|data|coverage|bars)\b[^.;]{0,20}\bfor (?:\d+|a few|two|"
     r"three|several) (?:days?|hours?)\b|"
     r"\bno (?:calls|data|signal|bars|service|texts),? (?:and )?no (?:calls|data|signal|texts|"
     r"internet|service)\b|\bknock(?:ed|s)? out (?:\w+ )?(?:service|voicemail|data|calling|calls|"
     r"texting|coverage|connectivity)\b|"
     r"\b(?:wasn't|weren't|was not|were not|stopped|isn't|aren't) working\b|"
     r"\b(?:didn't|did not|doesn't|does not|wouldn't|won't) work (?:for|all|since)\b|"
     r"\bdisconnected (?:\w+ ){0,3}(?:customers|users|lines|subscribers|accounts|for)\b|"
     r"\b(?:made|make) up (?:with|by|for)\b|"
     r"\bfiber cut\b|\bservice (?:loss|outage)|\bdropped (?:service|connections?)\b|"
     r"\bbeing down\b|\bdown for (?:\w+ )?(?:days?|hours?)\b|"
     r"\bservice (?:was|is|were) (?:disrupted|interrupted|down|out)\b|"
     r"\btower (?:repair|failure|fire|damage)\b|"
     r"(?<!notify )(?<!notifying )(?<!inform )(?<!informing )"
     r"(?<!notified )(?<!contact )(?<!contacting )(?<!tell )(?<!telling )(?<!email )(?<!all )"
     r"(?<!% of )(?<!percent of )(?<!\d{3} )(?<!letters to )(?<!notices to )(?<!emails to )"
     r"(?<!texts to )(?<!letter to )(?<!notice to )(?<!messages to )(?<!sms to )(?<!email to )"
     r"(?<!text to )(?<!message to )(?<!mail to )"
     r"\baffected (?:\w+ )?(?:customers|subscribers|cust|"
     r"accounts|lines)\b(?!\s*(?:\([^)]*\)\s*)?(?:will )?(?:be |get |receive )?(?:notified|"
     r"informed|told|"
     r"emailed|texted|mailed|\d+|thirty|sixty)\b)|\bmissed (?:its|our) (?:\w+ )?(?:uptime|"
     r"reliability|service)|"
     r"\bto make up for\b|\b(?:because of|due to|following|after|for|during)\s+(?:the |last \w+'s |"
     r"this \w+'s |yesterday's |today's |recent )?(?:\w+ )?"
     r"(?:slowdown|disruption|interruption)s?\b|"
     r"\b(?:data|network|service) slowdown\b[^.]{0,40}"
     r"(?:wasn't|was not|not) (?:acceptable|ok)|"
     r"\blost (?:\w+ )?(?:data|signal|coverage|connectivity|(?:cell )?service)\b"),
    (Kind.LOYALTY_REWARD,
     r"\bloyal(?:ty)? (?:reward|bonus|points|gift|perk|program|credit)|\brewards? (?:points|"
     r"program|credit|bonus)|\bin rewards\b|"
     r"(?<!talking )(?<!\.\d )(?<!\.\d\d )(?<!percentage )(?<!basis )(?<!by \d )(?<!by \d\d )"
     r"\bpoints\b|"
     r"\bthank[\s-]you (?:gift|credit|bonus|reward|letter|note|offer|discount|deal|perk)|"
     r"\bthanks? (?:you )?for \d+ (?:great )?years\b|"
     r"\bbecause you(?:'ve| have) been with us\b|\bfor being with us\b|\bto say thanks\b|"
     r"\bthank(?:s|ing)? (?:you|our|loyal|"
    r"them)|\bsaying thanks\b|\ba gift\b|\bgift for you\b|\bwelcome (?:credit|gift|bonus)|"
     r"\banniversary (?:gift|credit|bonus|reward)|"
     r"\b(?:snowmobile's|our) (?:\d+\w* )?(?:birthday|anniversary)\b|"
     r"\bhappy (?:\d+\w* )?birthday\b|"
     r"\bbirthday\b[^.!?]*[.!?]\s*to celebrate\b|"
     r"\bbeen with (?:us|them|snowmobile) (?:for )?(?:\d+\+?|over \d+|more than \d+) (?:years?|"
     r"yrs?)\b(?=[^.]{0,60}\b(?:credit|gift|reward|free|bonus)\b)|"
     r"\bappreciation (?:credit|gift|bonus)|\b(?:the|a) gift of\b|\bas (?:a |our )?thanks\b|"
     r"\bloyalty\b|\brewards?\b|"
     r"\bthank[\s-]you (?:credit|offer|discount|gift|reward)\b|\bwelcome thank[\s-]you\b|"
     r"(?:^|[.!:]\s*)a (?:small |little )?thank[\s-]you\b|"
     r"\bas a thank[\s-]you\b|"
     r"\b(?:price|rate) (?:lock|guarantee|freeze|promise)\w*|"
     r"\block(?:s|ed|ing)? in (?:your |their |the )?"
     r"(?:\w+ )?(?:rates?\b|pric\w*)|\bthanks? for (?:being|staying|sticking|your loyalty)|"
     r"\block(?:s|ed|ing)? (?:in )?(?:your|their) (?:current )?(?:rates?|pric\w*)\b|"
     r"\b(?:prices?|rates?) (?:is |are |stays? |will stay |remains? )?(?:frozen|"
     r"locked|guaranteed)|\bwon't (?:go up|increase|rise)\b|"
     r"\b(?:won't|will not|never) (?:see|face|get) (?:a |any )?(?:price|rate) (?:increase|hike|"
     r"rise|change)s?\b|\blocks? (?:[\w&]+ ){1,4}(?:pricing|prices|rates)\b|"
     r"\bfreez(?:e|es|ing) (?:\w+ ){0,3}prices?\b|"
     r"\bwill not (?:go up|increase|rise|see a price increase)|"
     r"\bguarantee\w* (?:your|their|the|its) (?:current )?(?:price|rate)|"
     r"\bguarantee\w* (?:[\w&]+ ){1,4}(?:prices?|rates?)\b|"
     r"\bno price increases?\b|\bloyal (?:\w+ )?(?:customers|subscribers)\b|"
     r"\blong[\s-]?(?:time|standing) (?:\w+ )?(?:customers|subscribers|"
     r"members)\b(?=[^.;]{0,80}\b(?:free|"
     r"credit|gift|reward|bonus|on us)\b)|"
     r"\b(?:it's|it is|is|are|stays?) guaranteed\b|\bfreez\w* (?:\w+ ){0,2}(?:pric\w*|rates?)\b|"
     r"\bgift[\s-]?cards?\b|\b(?:welcome|birthday|holiday|thank[\s-]you) gifts?\b|"
     r"\bhappy anniversary\b|\b(?:service |customer )?anniversary\b|"
     r"\b(?:monthly )?bill credit\b[^.;]{0,60}\bno strings\b"),
    (Kind.RETENTION_OFFER,
     r"(?<!lifts )(?<!lift )(?<!boosts )(?<!boost )(?<!improves )(?<!improve )(?<!helps )(?<!help )"
     r"(?<!supports )(?<!lifting )(?<!boosting )(?<!improving )"
     r"\bretention\b(?!\s+(?:held|rates?|was|is|rose|fell|improved|metrics?|numbers?|stayed|"
     r"above|below|of \d))|\bretain\b|\bto stay\b|\bstay with us\b|"
     r"\bif (?:they|i|you|we) (?:stay|stayed)\b|"
     r"(?<!thank-you )(?<!thank you )(?<!thanks )\bfor staying\b|"
     r"\bthinking (?:of|about) (?:leaving|switching|cancel\w*|porting)\b|\bcan stay for\b|"
     r"\bsave offer|\bsave (?:credit|discount)\b|\bcancel(?:lation)?[\s-]flow\b|\bchurn score\b|"
     r"\blapsed (?:customers|subscribers|members|accounts|users)\b|"
     r"\b(?:say|type|mention|threaten\w*(?: to)?)\s+['\"‘“]?cancel\w*|\brejoin\w*\b|"
     r"\b(?:transfer|port[\s-]?out|number transfer) pins?\b|\bchurn (?:signal|flag|alert)s?\b|"
     r"\bfrom (?:leaving|churning|switching away|porting out|defecting)\b|"
     r"(?<!bid to )(?<!effort to )(?<!aim to )(?<!aims to )(?<!hope to )(?<!hopes to )"
     r"(?<!trying to )\bwin[\s-]?back\b(?![\s-]to[\s-]school)|\bcome back\b|\bwe miss you\b|"
     r"\b(?:don't|do not) want (?:to see )?you (?:to )?(?:go|leave)\b|"
     r"\b(?:threaten\w*|trying|tried|try|want\w*|plan\w*|ask\w*|request\w*) to "
     r"(?:leave|cancel|switch|port)|\bcall(?:s|ing)? to cancel|\bat[\s-]risk (?:customers|"
     r"accounts|subscribers)|\bat risk of (?:churn\w*|leaving|cancel\w*)|\blikely to (?:churn|"
     r"leave|cancel)|\bcancell?ation (?:request|call)|\bwho (?:try|want|ask) to "
     r"(?:leave|cancel)|(?<!fee to )\bkeep (?:them|customers)\b|"
     r"\bbefore you (?:switch|leave|go|cancel)\b|\bbefore they (?:leave|churn)|"
     r"\bchurn[\s-](?!risk of \d)"
     r"(?:risk|prevention)|\bcontract (?:ends|expires|is up)|\bat[\s-]risk\b|"
     r"\bport[\s-]?outs?\b(?![\s-]+(?:fees?|charges?|loss(?:es)?|numbers|rates?|trends?|pins?))|"
     r"\b(?:hate|sorry|sad) to see you go\b|\bbefore you go\b|\bsave desk\b|"
     r"\b(?:mentions?|talks? about|considering|thinking about) (?:switching|leaving|porting|"
     r"cancel)|"
     r"\b(?:i|we|they|you)(?:'m| am| was| were| are|'re) (?:leaving|switching|cancell?ing)\b|"
     r"\b(?:customers|subscribers) (?:who are )?leaving\b|"
     r"\bporting out\b|\bcan keep (?:the|their|your) (?:plan|line|number)|"
     r"\brequest\w* (?:a |to )?cancel\w*|\bcancell?ation requests?\b|"
     r"\b(?:say|says|said) (?:they're|they are|they'll|they will) (?:leaving|switching|"
     r"cancel\w*|going to leave)|\bwho(?:'re| are) (?:leaving|switching|cancell?ing)\b"),
    (Kind.UPGRADE_OFFER,
     r"(?<!tower )(?<!network )(?<!site )(?<!system )(?<!5g )(?<!capacity )(?<!infrastructure )"
     r"(?<!software )\bupgrade\w*|\btrade[\s-]?in\b|"
     r"(?<!or )(?<!or a )(?<!no )\bnew (?:phone|device|handset|iphone|galaxy|pixel)s?\b"
     r"(?! protection| insurance| care)|"
     r"\bdevice (?:credit|offer|deal|promo)|\bphone (?:credit|offer|deal|promo)|"
     r"\bmove up (?:to|from)\b|\bmove from \w+ to\b|\bcover the difference\b|"
     r"\bmove to \w+ at no (?:extra |additional )?(?:cost|charge)\b|"
     r"\bstep up to\b|\bbogo\b|\bbuy one,? get one|\bjump to\b|\btry (?:\w+ )?(?:for )?free\b"),
    (Kind.NEW_PLAN,
     r"\bintroduc(?:e|es|ed|ing)\b|\blaunch\w*|\bour newest plan\b|"
     r"(?-i:\bComing (?:soon|[A-Z][a-z]+ \d{1,2})(?=\s*:))|"
     r"(?-i:\b(?:[Nn]ew|NEW) (?:[A-Z][\w+-]* ){1,2}(?:[Pp]lan|PLAN)\b)|"
     r"\ba new (?:\w+ )?plan\b|\bnewest plan\b|\b(?:snowmobile's|our|its|"
     r"their) new (?:\w+ )?plan\b|\bunveil\w*|\bdebut\w*|\broll(?:s|ing|ed)? out (?:a |the |our )?"
     r"(?:new|\w+ plan)|\bnew plan\b|\bbrand[\s-]new (?:plan|tier)|\bnew (?:\w+ )?(?:tier|plan) "
     r"(?:called|named)|\bsay hello to\b|(?-i:\b[Mm]eet (?:the )?[A-Z])"),
    (Kind.ADD_ON_BUNDLE,
     r"\bbundl\w*|\badd[\s-]?ons?\b|\badd (?:it |this |(?:[\w+&-]+ ){1,3})?(?:to|onto) (?:any|"
     r"your|their|a|every) (?:plan|line|account)|\boptional\b|\bas an extra\b|"
     r"\bstreaming (?:pack|package|pass)|"
     r"\badding (?:my|a|the|an) [\w+ -]{2,30}? costs?\b|"
     r"\bopt[\s-]in\b|\bpackage\b|\bpass for \$|\btack on\b|\btack (?:[\w+&-]+ ){1,3}(?:on|onto)\b|"
     r"\b(?:can|may|could|able to|option to)\s+"
     r"(?:i\s+|you\s+|we\s+|they\s+|customers\s+)?(?:now\s+)?(?:add|be added)\b|"
     r"(?:^|[:.!?]\s*)add\b|\bpack for\b|\b(?:pack|add-on|pass)\s+\$|" + ADDS_FOR + r"|"
     r"\$[\d.]+(?:/mo)?\s+(?:[\w+-]+\s+){0,2}(?:pack|add-on|pass)\b|\b(?:pack|add-on|"
     r"pass)\s*\([^)]*\$|"
     r"\badd\b[^.;$]{0,40}\b(?:to|onto) (?:(?:any|your|their|a|every|my) (?:\w+ )?"
     r"(?:plan|line|account)s?\b|(?:" + "|".join(PLANS).lower() + r")\b)"),
    (Kind.FEE,
     r"(?<!taxes and )(?<!taxes & )(?<!taxes, )(?<!no )(?<!without )\bfees?\b(?! (?:extra|"
     r"apply)\b)|\bsurcharges?\b|\b(?:admin\w*|activation|upgrade|late|paper[\s-]bill|"
     r"regulatory|recovery|service|convenience|restocking|processing|connection|"
     r"administrative|network access|line access|access) charges?\b|"
     r"\b(?:recovery|cost recovery)'?\s+charges?\b|'[^']{3,40}'\s+(?:charges?|fees?)\b|"
     r"\bpaper (?:bills?|statements?|invoices?)\b[^.;]{0,40}\b(?:will )?(?:cost|carry|"
     r"charge)\b|\b(?:charg\w*|wants?) (?:\w+ ){0,2}\$[\d.]+\s*(?:a month\s|per month\s|/mo\s|"
     r"each\s)?\s*(?:for|to) "
     r"(?:a |the |each |every )?(?:keep (?:getting |receiving )?|get |receive )?(?:paper|"
     r"printed|mailed|in-store|paying|card|using|calling)\b"),
    (Kind.POLICY_CHANGE,
     r"\bpolic(?:y|ies)\b|\bterms\b|\brules?\b|\bat most \d+ lines\b|"
     r"\b(?:hold|have|add|carry|support) up to \d+ lines\b|\blines? (?:limit|cap|maximum)\b|"
     r"\bmax(?:imum)?\.? (?:of )?\d+ lines\b|\bonly once (?:per|a|every)\b|"
     r"\bonce per billing cycle\b|\bsuspend\w*|\bdeactivat\w*|\binactive for\b|\bpaperless\b|"
     r"\b(?:(?:will need|needs?|are required|must continue) to|must|has to|have to) (?:now )?"
     r"(?:keep|have|use|enroll|enable|show|stay|verify|provide|present|sign|register)\b|"
     r"\b(?:cannot|can't|can no longer|may not) (?:be|hold|open|own) (?:the |an? )?"
     r"(?:account|line)|"
     r"\b(?:sd|hd) only\b|\bend(?:ing|s)? (?:hd|high[\s-]definition) (?:video|streaming)\b|"
     r"\bdata caps?\b|\bthrottl\w*|\bdeprioriti\w*|\bprivacy\b|"
     r"\b(?:return|trade[\s-]in|grace|cancellation|refund|upgrade) (?:window|period)s?\b|"
     r"\bcap\w*\b[^.;$]{0,40}\b(?:at|to)\s+\d+\s?(?:gb|lines?|devices?|accounts?)\b|"
     r"\b(?:banned|prohibited|(?:no longer|not) (?:be )?allowed|disallowed)\b|"
     r"\b(?:needs?|requires?) (?:the |your |their )?(?:phone|device)s? (?:to be )?paid off\b|"
     r"\bno more than (?:\d+|one|two|three|four|five|six)\b|\bfair[\s-]use\b|"
     r"\btrusted contact\b|\bauthori[sz]ed users?\b|\b(?:only )?on request\b|"
     r"\bautopay (?:is |will be )?(?:required|mandatory)|\bpaper bills? (?:end|will end|are "
     r"ending|discontinued)|\bpaper bill(?:s|ing)?\b[^.;$]{0,30}\b(?:end|ends|ending|stop|stops)\b|"
     r"\bno longer\b|\bdiscontinu\w*|\bwill require\b|\brequir\w*\b|"
     r"\b(?:can't|cannot|can no longer|won't be able to) (?:\w+ )?(?:pay|be paid) (?:by|with|"
     r"in|at) (?:the |a )?(?:kiosks?|stores?|counter)\b|"
     r"\b(?:can't|cannot|can no longer|won't be able to) (?:\w+ )?(?:pay|be paid) (?:by|with|in) "
     r"(?:check|cash|card|money order)s?\b|"
     r"\bpay(?:ing)? by (?:check|cash)\b[^.;?!]{0,20}\banymore\b|"
     r"\bsunset\w*|\bshut(?:ting)? down\b|\bretir\w* the\b|\bend(?:ing|s)? (?:support|the|paper)\b|"
     r"\bcontract terms\b|\bfair use\b|\bcap(?:ped)? at\b|\bminimum (?:term|commitment)|"
     r"\bdata (?:sharing|retention|use) |\bunlimited data (?:ends|will end)|"
     r"\bmust\b(?! be (?:in|on|at|one|the|a|an)\b)(?! have (?:been|missed|gotten)\b)|"
     r"\bchanges? to (?:our|the) (?:rules|terms|policy)|\bmandatory\b|\breplac\w+ .* with\b|"
     r"\bstop(?:s|ping)? (?:offering|selling|supporting|including|providing|mailing|sending|"
     r"printing|accepting|allowing)\b|\bphas\w* out\b|"
     r"\blimit\w* (?:new )?(?:activations?|lines?|accounts?|upgrades?|port[\s-]?ins?) to \d+|"
     r"\b[\w-]+-only (?:activations?|lines?|sales?|sign[\s-]?ups?)\b|"
     r"\bwill end\b|\bno more\b|\bcan(?:no|')t (?:open|activate|add|port|keep|use|buy)\b|"
     r"\bneeds? (?:autopay|a parent|a guardian|an? id\b|paperless|e-?billing|an? co-?signer|"
     r"a valid|a credit check|a deposit)|"
     r"\bwithout (?:a |an )?(?:parent|guardian|id\b|photo id|credit check|deposit)|"
     r"\b(?:reduc|lower|cut|limit|cap|slow|drop)\w*\b(?![^.$;]{0,40}\b(?:drive|hold|wait|waiting|"
     r"response|repair|install\w*|delivery|checkout|call|queue) times?\b)[^.$;]{0,40}\b\d+"
     r"\s?(?:gb|mb|mbps|kbps|minutes|texts|hours)\b|\b(?:hotspot|data|speeds?|streaming|video|"
     r"roaming|minutes)\b[^.$;]{0,30}\b(?:reduc|limit|cap|slow|throttl|lower)\w*|\b\d{3,4}p\b"),
)  # fmt: skip
