"""What comes with a price change, or what an add-on is: the value-adds a scenario can name,
and the name the text gives one."""

from __future__ import annotations

import re

from cdt.scenario.vocab import PLANS

VALUE_ADDS = (
    ("netflix", "Netflix"), ("disney", "Disney+"), ("hulu", "Hulu"), ("hbo max", "HBO Max"),
    ("max\\b(?!\\.?\\s*(?:of\\s+)?\\d)", "Max"),  # not "max 1 per line"
    ("spotify premium", "Spotify Premium"), ("spotify", "Spotify"), ("apple music", "Apple Music"),
    ("apple tv", "Apple TV+"), ("apple one", "Apple One"),
    ("youtube", "YouTube Premium"), ("paramount", "Paramount+"), ("peacock", "Peacock"),
    ("streaming", "streaming"), ("hotspot", "hotspot"),
    ("international", "international"),
    ("roaming", "roaming"), ("device protection|insurance|protection", "device protection"),
    ("cloud storage|cloud", "cloud storage"),
    ("5g\\b(?!\\s+(?:hotspot|home|internet|data|speeds?|network|coverage|adoption|rollout|"
     "build\\w*|sites?|towers?|users?|phones?|devices?|customers?|lines?|b\\b|population|"
     "smartphones?|launch\\w*|capex|plans?\\b|spend\\w*|investment|to\\s+\\d))", "5G access"),
    ("music", "music"),
    ("data", "data"), ("calling", "calling"), ("home internet", "home internet"),
)  # fmt: skip


#: a plan that "adds" a thing, not an amount, a line or a fee ("and adds in-flight Wi-Fi")
ADDS_A_THING = (
    r"(?:\band|,|\bplan|\bit|\bnow|\balso)\s+(?:now\s+|also\s+)?"
    # "..., adding satellite texting to both plans"
    r"(?:adds|gains|gaining|adding(?=\s+[a-z][\w+&' -]{2,40}?\s+to\s+(?:both|all|the|its|their|"
    r"each|these|those)?\s*(?:\w+\s+)?(?:plans?|tiers?)\b))\s+"
    r"(?!\$|\d|(?:an?\s+)?(?:new\s+|extra\s+|second\s+)?lines?\b|(?:an?|the)\s+(?:\w+\s+)?"
    r"(?:fee|charge|surcharge)s?\b|up\b|to\b|on\b|more\b)(?:(?:an?|free|the)\s+)*"
    r"([a-z][\w+&'-]*(?:\s+(?!for\b|at\b|to\b|worth\b|on\b|with\b|and\b|in\b|from\b)"
    r"[\w+&'-]+){0,3})"
)

#: an allowance that grows: "your data doubles from 15GB to 30GB", "data goes from 5GB to 10GB"
GROWS = (
    r"\b(data|hotspot|storage)\b(?: allowance)? (?:doubles?|doubled|triples?|tripled|"
    r"(?:goes|grows|jumps|increases|rises) (?:from )?\d+\s?gb)\b|\b[23]x (data|hotspot|storage)\b"
)

#: a thing the rules do not name, said to be included now: "... and in-flight Wi-Fi is now
#: included"
NOW_INCLUDED = (
    r"(?:,\s*(?:and|plus)?|\band|;|\bplus)\s+(?:(?:an?|the|"
    r"free)\s+)?([a-z][\w+&'-]*(?:\s+[\w+&'-]+){0,3}?)\s+"
    r"(?:is|are)\s+(?:now\s+|also\s+)?(?:included|thrown in|part of the plan)\b"
)
#: "and includes in-flight Wi-Fi on three airlines": a thing the rules do not name
INCLUDES_A_THING = (
    r"(?:\band|,|\bnow|\bplan|\bit|\balso)\s+(?:now\s+|also\s+)?includes\s+(?:free\s+|an?\s+|"
    r"the\s+)?(?!\$|\d|unlimited\b|the same\b)([a-z][\w+&'-]*(?:\s+(?!on\b|for\b|at\b|to\b|"
    r"with\b|and\b|in\b|from\b|across\b|worth\b)[\w+&'-]+){0,2})"
)
_PARENS = re.compile(
    r"\s\((?![^)]*\$)(?=[^)]*(?:\+|,|\band\b))[^()]{1,40}\)"
)  # a list: "(Hulu + Max)"
_DASHED = re.compile(r"\s[-–—]\s[^-–—.;]{1,40}\s[-–—](?=\s)")
_ADJECTIVES = (
    r"(?:optional|new|monthly|extra|paid|premium|popular|first|our|this|good|great|nice|decent|"
    r"solid|cool|cheap|handy|useful)\b"
)
_PLANS = r"(?:" + "|".join(PLANS).lower() + r")\b"
_DET = r"(?:(?:an?|the|their|your|its|our|one|any|each|every|my)\s+)"
_THING = r"([a-z][\w+&'-]*(?:\s+(?!with\b|and\b|to\b|for\b)[a-z][\w+&'-]*)?)"
#: a thing bundled with the plan: its name, wherever the bundle names it
_BUNDLED = re.compile(
    r"\b(?:bundl\w*|pair\w*|combin\w*|(?<=who )add|(?<=that )add|(?<=they )add|(?<=you )add)\s+"
    + _DET
    + r"?((?!(?:their|your|its|our|the|a|an|my|his|her|mobile|wireless|phone|cell|any|each)\b)"
    r"[a-z][\w+&'-]*\s+(?:line|plan))\b|"
    r"\b(?:bundl\w*|pair\w*|combin\w*)\s+"
    + _DET
    + r"?(?!"
    + _PLANS
    + r")"
    + _THING
    + r"\s+with\s+"
    + _DET
    + r"?(?:[\w-]+\s+){0,4}?(?:plan|service|lines?|account)s?\b|"
    r"\bbundl\w*\s+" + _DET + r"?(?!" + _PLANS + r")([a-z][\w+&'-]*)\s+and\s+(?:save|get)\b|"
    r"\b(?:bundl\w*|pair\w*|combin\w*)\s+(?:" + _PLANS + r")\s+with\s+" + _DET + r"?"
    r"(?!" + _PLANS + r")" + _THING + r"(?=\s+(?:service|subscription)\b|[\s,.;]|$)"
)
#: "home security bundle knocks $15 off": a thing named as a bundle (not "the multi-line
#: bundle", nor one whose service is named: "the streaming bundle adds Netflix")
_A_BUNDLE = re.compile(
    r"(?:^|[:;.]\s+|\b(?:the|our|a|new)\s+)((?!multi|family|new|our|the|this|that|a\b|snowmobile|"
    r"\w+'s\b|"
    + _PLANS
    + r")[a-z][\w+&'-]*(?:\s+(?!who\b|that\b|to\b|and\b|i\b|we\b|you\b|they\b)[a-z][\w+&'-]*)?)"
    r"\s+bundle\b(?!\s+(?:it|them|home|the|a|an|your|their|"
    r"[a-z]+\s+with)\b)(?!\s*:)(?![^.;]*\b(?:netflix|hulu|disney|"
    r"spotify|max|apple|youtube|paramount|peacock)\b)"
)
BRANDS = 13  # VALUE_ADDS before this index name a service; after it, a kind of thing
_BRAND_NAMES = frozenset(n for _, n in VALUE_ADDS[:BRANDS])

#: things a text names in two words, kept as it writes them: "international calling", not
#: "international"; "a tablet line"; "satellite texting"
AS_WRITTEN = (
    r"international (?:calling|texting|roaming|data|minutes|long[- ]distance)\b",
    r"(?:tablet|watch|smartwatch|wearable|extra|second|third|companion) line\b",
    r"satellite (?:texting|messaging|sos)\b",
    r"(?:in-flight )?wi-?fi(?: calling)?\b",
)


def value_add_name(text: str, *, anywhere: bool = False) -> str | None:
    """What comes with the change (or what an add-on is): a named service first, in the order
    the text names them, else the first kind of thing, cased as the text writes it ("Device
    Protection", "cloud storage"); a service keeps its brand's name ("Disney+"). A sentence's
    own capital is no part of a name: "Hotspot doubles" names "hotspot"."""
    name = _value_add_name(text, anywhere=anywhere)
    if not name or not re.fullmatch(r"[A-Z][a-z][\w&'-]*(?: [a-z][\w&'-]*)*", name):
        return name
    if name in _BRAND_NAMES:
        return name
    opens = re.search(r"(?:^|[.:!?;|]\s*|\s[-–—]\s*)" + re.escape(name) + r"\b", text)
    return name[0].lower() + name[1:] if opens else name


def _value_add_name(text: str, *, anywhere: bool) -> str | None:
    # "add extra data — 10GB a month — for $10", "the Stream Pack (Hulu + Max) for $14": asides
    text = _PARENS.sub("", _DASHED.sub("", text))
    lower = text.lower()
    # the text's own letters for a span found in ``lower`` (the same length, for ASCII text)
    written = text if len(text) == len(lower) else lower
    window = (
        None
        if anywhere
        else re.search(
            r"\b(?:with|includ\w*|comes with|plus|add\w*|along with|gets?|bundled with|"
            r"throw(?:s|ing)? in|toss(?:es|ing)? in|brings?|bundl\w*)\b([^.;]*)",
            lower,
        )
    )
    grown = re.search(
        r"\b(\w+) allowances?(?: (?:on|for|of|in) [\w ]{1,20}?)? "
        r"(?:doubles?|doubled|triples?|tripled|grows?|"
        r"increases?)\b|\bdoubl\w+ (?:the |its |your )?(?:\w+'s )?(\w+) allowance|" + GROWS,
        lower,
    )
    if grown and not anywhere:
        group = next(i for i in range(1, len(grown.groups()) + 1) if grown.group(i))
        return written[grown.start(group) : grown.end(group)]
    added = re.search(
        r"\badd(?:ed|ing)? (?:the |an? )?((?!to\b|on\b|in\b)[\w+&' -]{2,30}?)"
        r"(?: pack| package| add-on)?"
        r" (?:to (?:any|your|their|a|every)\b|to " + _PLANS + r"|for \$|at \$)",
        lower,
    )
    quoted = re.search(r"\b(?:add-on|pack|bundle)\s+['\"‘“]([^'\"’”]{2,30})['\"’”]", lower)
    if quoted and anywhere:  # "Add-on 'Mexico & Canada' priced at USD 8/mo"
        return written[quoted.start(1) : quoted.end(1)]
    if added and added.group(1) in ("it", "this", "them", "one", "that"):
        added = None  # "Want Spotify? ... can add it for $6": the thing is named elsewhere
    paired = _BUNDLED.search(lower) if anywhere and not added else None
    paired = paired or (_A_BUNDLE.search(lower) if anywhere and not added else None)
    if paired:  # "bundle a tablet line with two Powder lines", "pair Summit with its TV service"
        group = next(i for i in range(1, len(paired.groups()) + 1) if paired.group(i))
        return written[paired.start(group) : paired.end(group)]
    if not added and anywhere:  # "we push the Smartwatch line add-on to Powder customers"
        added = re.search(
            r"(?:\b(?:the|an?|our|new)\s+(?:\$[\d.]+(?:/mo|-a-month| a month)?\s+)?|^|[:;]\s+)"
            r"((?!add-on|pack|" + _ADJECTIVES + r"|" + _PLANS + r")[\w+&' -]{2,30}?)\s+"
            r"(?:add-on|pack)\b",
            lower,
        )
    if added and anywhere:
        # "the carrier's new smartwatch add-on": the thing follows the last determiner
        last = list(re.finditer(r"\b(?:the|an?|our|new|its|their)\s+", added.group(1)))
        start = added.start(1) + (last[-1].end() if last else 0)
        said = lower[start : added.end(1)]
        named = next((n for p, n in VALUE_ADDS if re.search(r"\b" + p, said)), None)
        brand = named in _BRAND_NAMES or said.startswith("snowmobile")
        product = written[start : added.end(1)]
        named_pack = re.match(r" (?:Pack|Pass|Bundle)\b", written[added.end(1) :])
        if named_pack and re.fullmatch(r"[A-Z][\w+&'-]*(?:\s+[A-Z][\w+&'-]*)*", product):
            product += named_pack.group(0)  # "the Stream Pack": its name has "Pack" in it
        titled = re.fullmatch(r"[A-Z][\w+&'-]*(?:\s+[A-Z][\w+&'-]*)+", product)
        if titled and not brand:  # a product's own name: "the International Pass pack"
            return product
        if named is None or named.lower() == said:  # the text's own words
            return written[start : added.end(1)]
        two_words = next((m for p in AS_WRITTEN if (m := re.search(r"\b" + p, said))), None)
        if two_words and not brand:  # "add international calling for $5"
            return written[start + two_words.start() : start + two_words.end()]
        kinds_of = ("data", "calling", "roaming", "streaming", "music")
        others = [n for p, n in VALUE_ADDS if n != named and re.search(r"\b" + p, said)]
        qualifier = said[: -len(named)] if said.endswith(named) else ""
        worded = re.fullmatch(r"(?:(?!extra|more|additional|bonus)[a-z&+]+\s+){1,3}", qualifier)
        if named in kinds_of and not others and worded:
            return written[start : added.end(1)]  # "travel data", "Latin America calling"
        return _as_written(named, lower, written)
    scope = window.group(1) if window else lower
    brands = VALUE_ADDS[:BRANDS]
    unnamed = not anywhere and not any(re.search(r"\b" + p, scope) for p, _ in VALUE_ADDS)
    # "Apple Music (a $10.99 value) is now included — ... makes music": the brand, before
    brand_before = not any(re.search(r"\b" + p, scope) for p, _ in brands) and any(
        re.search(r"\b" + p, lower) for p, _ in brands
    )
    if unnamed or brand_before:
        scope = lower
    found = []
    for index, (pattern, name) in enumerate(VALUE_ADDS):
        m = re.search(r"\b" + pattern, scope)
        if m:
            found.append((index >= BRANDS, m.start(), index, name))  # "Spotify Premium" first
    for pattern in AS_WRITTEN:  # before the kind of thing at the same place
        m = re.search(r"\b" + pattern, scope)
        if m:
            found.append((True, m.start(), -1, m.group(0)))
    if not found:
        adds = (
            re.search(ADDS_A_THING, lower)
            or re.search(NOW_INCLUDED, lower)
            or re.search(INCLUDES_A_THING, lower)
        )
        adds = None if anywhere else adds
        return written[adds.start(1) : adds.end(1)] if adds else None
    thing, _, _, name = min(found)
    return _as_written(name, lower, written) if thing else name


def _as_written(name: str, lower: str, written: str) -> str:
    """``name`` with the text's own casing where the text writes it ("Home Internet")."""
    at = lower.find(name.lower())
    return written[at : at + len(name)] if at >= 0 else name
