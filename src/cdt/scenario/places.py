"""Where a scenario's audience lives: states (names and codes), regions, DMAs, ZIPs and place
names, as written. They are matched against EXTERNAL.ZIP_DEMOGRAPHICS later
(``cdt.agents.targeting``), where a name that matches nothing is reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files

from cdt.scenario.model import PLANS

_PLAN = "|".join(PLANS)
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip
_STATE_NAMES = sorted(
    ((name.lower(), code) for code, name in STATES.items()), key=lambda p: -len(p[0])
)
_STATE_NAMES += [("washington dc", "DC"), ("washington, d.c.", "DC"), ("d.c.", "DC")]
REGIONS = {
    "northeast": "Northeast", "northeastern": "Northeast", "south": "South",
    "southern": "South", "midwest": "Midwest", "midwestern": "Midwest", "west": "West",
    "western": "West",
}  # fmt: skip
_ZIP = re.compile(
    r"\b(?:zips?(?:\s?codes?)?|postal codes?)\s*:?\s*((?:\d{5}(?:\s*(?:,|and|or)\s*)?)+)"
    # "dropped calls in 85004 and 85008": five digits after "in" name ZIPs, not a count
    r"|\b(\d{5}(?:\s*(?:,|and|or)\s*\d{5})*)\s+zips?\b"  # "in the 44101 and 44114 ZIPs"
    r"|\b(?:in|across|around)\s+(\d{5}(?:\s*(?:,|and|or)\s*\d{5})*)\b(?![\s-]*(?:,\d|homes|"
    r"households|stores|customers|lines|people|subscribers|accounts|users|locations|towers|"
    r"sites|units|dollars|gb|mb|minutes|messages|texts))",
    re.I,
)
_DMA = re.compile(
    r"\bdma(?:\s+code)?s?\s*:?\s*((?:\d{3}(?:\s*(?:,|and|or)\s*)?)+)|\b(\d{3})\s+dma\b", re.I
)
_DMA_NAME = re.compile(
    r"\b(?:the\s+)?([A-Z][\w.'-]*(?:[\s-]+[A-Z][\w.'-]*){0,3})\s+"
    r"(?:dma|DMA|media market|TV market)\b"
    r"|\bDMA\s+(?!\d)([A-Z][a-z][\w.'-]*(?:[\s-]+[A-Z][a-z][\w.'-]*){0,3})"
)
# a full stop belongs to a name only inside it or after St/Ft/Mt ("Houston. Our" is two)
_WORD = r"[A-Z][a-z](?:[\w'-]|\.(?=\w)|(?<=\b[SFM]t)\.)*"
_NAME = rf"(?:{_WORD})(?:[\s-]+(?:{_WORD}))*(?:,\s*[A-Z]{{2}}\b)?"
#: names in a list: "Chicago", "Boston, Hartford, and Providence"
_LIST = _NAME + r"(?:\s*(?:,\s*(?:and\s+|or\s+)?|\band\b|\bor\b|&|\+)\s*" + _NAME + r")*"
#: what separates the names of a list found by ``_LIST``
_SPLIT = r"\s*(?:,|\band\b|\bor\b|&|\+)\s*"
_PLACE = re.compile(
    r"\b(?:[Ii]n|[Nn]ear|[Aa]round|[Aa]cross|[Tt]hroughout)\s+(?:the\s+)?"
    r"(?:(?:downtown|uptown|greater|metro|suburban|rural)\s+)?(" + _LIST + r")"
)
#: US places whose names are also words a text capitalises for other reasons ("our Mobile
#: customers", "Enterprise customers"): a place only where "in" names it
_COMMON = {
    "Enterprise", "Liberty", "Independence", "Union", "Mission", "Paradise", "Normal", "Surprise",
    "Mobile", "Sunrise", "Eagle", "Temple", "Highland", "Reading", "Providence", "Concord",
    "Orange", "Victoria", "Florence", "Marion", "Allen",
}  # fmt: skip
#: a place named by what is there: "our new Billings store", "the Springfield tower outage",
#: "coverage for Bozeman"
_PLACE_THING = re.compile(
    r"\b(?:[Oo]ur|[Tt]he|[Ii]ts|[Nn]ew|[Aa]ll)\s+(?:new\s+)?(" + _LIST + r")\s+(?:stores?|shops?|"
    r"towers?|outage|area|metro|locations?|markets?|district|region|office|branch|kiosks?)\b"
    r"|\b(?:coverage|service|signal)\s+(?:for|in|around)\s+(" + _NAME + r")"
    r"|\b(?:my|our|their) (?:home)?(?:town|city),\s+(" + _NAME + r")"
)
#: US cities an event struck, with no "in": "the outage that hit Kansas City"
_STRUCK = re.compile(
    r"\b(?:hit|hits|struck|affected|affecting|knocked out|from|like|to|including|such as)\s+"
    r"(" + _LIST + r")|(?:^|[.;!?]\s+)(" + _LIST + r")(?:\s+(?:test\s+)?(?:market|area|metro))?\s*:"
)
_CITY_FULL_STATE = re.compile(
    r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}),\s+(?:"
    + "|".join(re.escape(name.title()) for name, _ in _STATE_NAMES)
    + r")\b"
)
_CITY_STATE = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}),?\s([A-Z]{2})\b(?![\w-])")
#: words after a name that make it a source, not a place ("..., Light Reading reports")
_SOURCE = r"\s+(?:reports?|reported|says|said|writes|wrote|notes|noted|told|adds|added)\b"
#: cities named by the people there, with no "in": "Chicago and Milwaukee Powder customers:",
#: "for Phoenix and Tucson customers"; only names of US places count (``CITIES``)
_CITY_PEOPLE = re.compile(
    r"(?:^|[.:;!?,]\s+|\b(?:[Ff]or|[Tt]o)\s+(?:our\s+|all\s+)?|\b[a-z]+\s+)"
    r"(" + _LIST + r")\s+(?:(?:" + _PLAN + r")\s+)?"
    r"(?:customers|subscribers|residents|users|households|accounts|shoppers|lines|stores?|folks|"
    r"families|neighbors)\b"
)
_CITY_ROWS = [
    line.split("\t")
    for line in (files("cdt.scenario") / "data" / "us_cities.tsv").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]
CITIES = frozenset(row[0] for row in _CITY_ROWS)


def states_of(place: str) -> list[str]:
    """The states a US place of that name lies in ("Chicago": IL; "Springfield": several)."""
    return sorted({row[1] for row in _CITY_ROWS if row[0].lower() == place.lower().strip()})


NOT_PLACES = {
    *(p.lower() for p in PLANS), "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "q1", "q2", "q3", "q4", "snowmobile",
    "snowmobile wireless", "verizon", "at&t", "t-mobile", "tmobile", "the", "our", "your",
    "their", "this", "that", "each", "every", "all", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "spring", "summer", "fall", "autumn", "winter",
    "netflix", "disney", "hulu", "max", "spotify", "apple", "samsung", "google", "pixel",
    "iphone", "galaxy", "us", "usa", "america", "united states", "the us", "a", "an", "it",
    "cricket", "mint", "visible", "metro", "boost", "us cellular", "xfinity", "spectrum",
    "we", "they", "customers", "those", "anyone", "everyone", "english", "spanish", "store",
    "stores", "app", "app store", "play store", "settings", "beta", "store credit", "new",
    "next", "total", "select", "prepaid", "postpaid", "zip", "dma", "seg", "segment", "plan",
    "plans", "confluence",
    "jira", "slack", "teams", "sharepoint", "salesforce", "tableau", "looker", "zoom", "github",
    "notion", "asana", "excel", "powerpoint", "outlook", "workday", "servicenow", "the deck",
    "youtube", "youtube premium", "paramount", "peacock", "disney+", "apple tv",
    "visa", "mastercard", "amex", "paypal", "venmo", "amazon", "walmart", "target", "costco",
    "best buy", "canada", "mexico", "europe", "asia", "africa", "south america", "latin america",
    "southeast", "southwest", "northwest", "pacific northwest", "mid-atlantic", "new england",
    "great lakes", "gulf coast", "sun belt", "rust belt", "the uk", "uk", "japan", "china",
    "india", "france", "germany", "italy", "spain", "brazil", "caribbean",
}  # fmt: skip


#: little words a capitalised name never is ("In DMA 505")
_LINKS = {"in", "on", "for", "of", "to", "at", "by", "from", "per", "and", "or", "within"}


#: what follows a region that stands alone as an item of a terse list ("..., Midwest + South.")
_ALONE = (
    r"(?:\s*(?:\+|,|and|&|/)\s*(?:the\s+)?(?:northeast|south|midwest|west)(?:ern)?)*\s*(?:[,.;]|$)"
)


def _bare(name: str) -> str:
    """A place's name without the state or the mall after it: "Austin, TX" -> "Austin",
    "the Tucson Mall location" -> "Tucson", "Denver's suburbs" -> "Denver"."""
    return re.sub(r",?\s+[A-Z]{2}$|\s+(?:Mall|Plaza|Outlets?)$|['’]s$", "", name.strip(" .,"))


def _add(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)


@dataclass
class Places:
    """The geography an announcement names."""

    states: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    dmas: list[str] = field(default_factory=list)
    zips: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


def geography(text: str, skip: list[tuple[int, int]]) -> Places:
    """States, regions, DMAs, ZIPs and place names; text in ``skip`` (read as tenure or age)
    is not a place."""
    out = Places()
    lower = text.lower()
    taken: list[tuple[int, int]] = []
    states: list[tuple[int, str]] = []
    for name, code in _STATE_NAMES:
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w])", lower):
            if any(s <= m.start() < e for s, e in taken + skip):
                continue
            if name == "washington" and re.match(r",?\s*d\.?c\b", lower[m.end() : m.end() + 6]):
                continue
            if name in ("georgia", "washington") and _is_person(text, m.start()):
                continue
            if re.match(r"\s+[A-Z][a-z]+\s+(?:hockey|football|baseball|basketball|soccer)?\s*"
                        r"(?:team|club|fc)\b|\s+Avalanche\b", text[m.end() :]):  # fmt: skip
                continue  # "the Colorado Avalanche hockey team": a team's name
            city = re.match(
                r"[\w.' -]*?\b(?:city|beach|springs)\b", text[m.start() : m.end() + 9], re.I
            )
            if city and city.group(0).title() in CITIES:
                continue  # "Kansas City", "Oklahoma City", "Virginia Beach": a city, not a state
            taken.append(m.span())
            states.append((m.start(), code))
    for m in re.finditer(
        r"(?:\b(?:in|across|from|of|for|to|at)\s+(?:the\s+)?|,\s*|\band\s+|\bor\s+|/|&\s*|\+\s*)"
        r"([A-Z]{2})\b(?=[\s,./;:)&+]|$)"
        r"|\b([A-Z]{2})\s+(?:customers|subscribers|residents|accounts|zips|only|scenario|market|"
        r"stores?|pricing|lines)\b",
        text,
    ):
        code = m.group(1) or m.group(2)
        before = text[max(0, m.start() - 24) : m.start() + 1]
        city = re.search(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?),?\s*$", before)
        if city and city.group(1) in CITIES:
            pass  # "Austin, TX": the city is a place (read below) and the state a state
        elif (
            re.search(r"\b[A-Z][a-z]+,\s*$", text[max(0, m.start() - 20) : m.start() + 1])
            and not re.search(
                r"(?i)(?:" + "|".join(STATES.values()) + r"),\s*$", text[: m.start() + 1]
            )
            and not re.match(r"[A-Z]{2}\s*(?:,|and|or|/)\s*[A-Z]{2}\b", text[m.start(1) or 0 :])
        ):
            continue  # "Prepaid, KS" names no state (but "Prepaid, KS and MO" does)
        if code in STATES and code not in ("US", "AM", "PM") and not _inside(m.start(), taken):
            start = m.start(1) if m.group(1) else m.start(2)
            ambiguous = code in ("OK", "IN", "ME", "OR", "HI", "ID")
            if ambiguous and not _state_list_context(text, start):
                continue
            taken.append((start, start + 2))
            states.append((start, code))
    for m in _CITY_STATE.finditer(text):  # "(Plano, TX)", "Columbus OH:": a city and its state
        if m.group(1) in CITIES and m.group(2) in STATES and _place_like(m.group(1)):
            if not _inside(m.start(2), taken):
                taken.append(m.span(2))
                states.append((m.start(2), m.group(2)))
            _add(out.places, m.group(1))
    for _, code in sorted(states):
        _add(out.states, code)
    last = 0
    for m in re.finditer(
        r"\b(?:the\s+)?(northeast(?:ern)?|south(?:ern)?|midwest(?:ern)?|west(?:ern)?)\b"
        r"(?!\s+(?:virginia|dakota|carolina|coast|of)\b)",
        lower,
    ):
        if _inside(m.start(1), taken):
            continue
        before = lower[max(0, m.start() - 14) : m.start()]
        after = lower[m.end() : m.end() + 60]
        for_the = m.group(0).startswith("the") and re.search(r"\bfor\s*$", before)
        after_a_word = re.search(
            r"\b(?:in|across|the|of|from|at|throughout|within|whole|entire|all of)\s*$|\(\s*$",
            before,
        )
        # "in the Northeast and Midwest": a region listed after one
        listed = out.regions and re.fullmatch(r"\s*(?:,|and|or|&|/|\+)\s*", lower[last : m.start()])
        alone = re.search(r"(?:^|[,;:]\s*)$", before) and re.match(_ALONE, lower[m.end() :])
        regional = (
            for_the
            or after_a_word
            or listed
            or alone
            or re.match(
                r"(?:\s*(?:,|and|or|&|/)\s*(?:the\s+)?(?:northeast|south|midwest|west)(?:ern)?)*"
                r"(?:(?:\s+[\w-]+){0,3}?\s+(?:regions?|states|customers?|markets?|subscribers|"
                r"u\.?s\.?|users|members|folks|households|residents|families|"
                r"bills|accounts|stores|outages?|storms?|only)\b|\s*:|\s*\)|\s+\w+\s*:)",
                after,
            )
        )
        if regional:
            _add(out.regions, REGIONS[m.group(1)])
            taken.append(m.span(1))
            last = m.end()
    for m in _ZIP.finditer(text):
        for code in re.findall(r"\d{5}", next(g for g in m.groups() if g)):
            _add(out.zips, code)
        taken.append(m.span())
    for m in _DMA.finditer(text):
        for code in re.findall(r"\d{3}", m.group(1) or m.group(2)):
            _add(out.dmas, code)
        taken.append(m.span())
    for m in _DMA_NAME.finditer(text):
        group = 1 if m.group(1) else 2
        name = m.group(group)
        if name.lower() not in NOT_PLACES | _LINKS and not _inside(m.start(group), taken):
            _add(out.dmas, name)
            taken.append(m.span())
    for m in _PLACE.finditer(text):
        if _inside(m.start(1), taken) or _inside(m.start(1), skip):
            continue
        if re.match(r"\s+(?:segments?|personas?|cohorts?)\b", text[m.end(1) :]):
            continue  # "in the Value Seekers segment": a segment, read elsewhere
        names = re.split(r"\s*(?:,(?!\s*[A-Z]{2}\b)(?:\s*(?:and|or)\b)?|\band\b|\bor\b|&|\+)\s*",
                         m.group(1))  # fmt: skip
        # "in Tulsa Sat 10am": a day or a month after a name is no part of it
        names = [re.sub(r"\s+(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?$", "", n)
                 for n in names]  # fmt: skip
        if len(names) > 1 and re.match(_SOURCE, text[m.end(1) :]):
            names = names[:-1]  # "starting in June, Light Reading reports": a source, no place
        for name in names:
            name = name.strip(" .,")
            if name and _place_like(name):
                _add(out.places, _bare(name))
        taken.append(m.span(1))
    # cities with no "in": "the outage that hit Kansas City", "Chicago and Milwaukee customers"
    for m in [*_STRUCK.finditer(text), *_CITY_PEOPLE.finditer(text)]:
        group = next(i for i in range(1, len(m.groups()) + 1) if m.group(i))
        parts = re.split(_SPLIT, m.group(group))
        names = [re.sub(r"\s+(?:" + _PLAN + r")$", "", n.strip(" .,")) for n in parts]
        names = [re.sub(r"-area$", "", n) for n in names]  # "Minneapolis-area customers"
        names = [n for n in names if n]
        cities = bool(names) and all(
            n in CITIES and n not in _COMMON and _place_like(n) for n in names
        )
        if cities and not _inside(m.start(group), taken + skip):
            for name in names:
                _add(out.places, _bare(name))
            taken.append(m.span(group))
    for m in _PLACE_THING.finditer(text):
        group = next(i for i in (1, 2, 3) if m.group(i))
        if _inside(m.start(group), taken + skip):
            continue
        for name in re.split(_SPLIT, m.group(group)):
            if name.strip(" .,") and _place_like(name.strip(" .,")):
                _add(out.places, _bare(name))
        taken.append(m.span(group))
    for m in _CITY_FULL_STATE.finditer(text):  # "Dallas, Texas folks:", "Boise, Idaho stores"
        if m.group(1) in CITIES and _place_like(m.group(1)) and not _inside(m.start(1), skip):
            _add(out.places, m.group(1))
    return out


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)


def _is_person(text: str, start: int) -> bool:
    return bool(re.match(r"[A-Z][a-z]+\s+[A-Z]", text[start:]))  # "Georgia Smith"


def _state_list_context(text: str, start: int) -> bool:
    window = text[max(0, start - 12) : start + 14]
    return bool(re.search(r"\b[A-Z]{2}\s*(?:,|and|or|/)\s*[A-Z]{2}\b", window)) or bool(
        re.match(r"[A-Z]{2}\s+(?:customers|subscribers|residents|accounts)", text[start:])
    )


def _place_like(name: str) -> bool:
    """A capitalised name after "in" that may be a place: not a month, plan, brand or state
    (those are read elsewhere). Places are matched against ZIP and DMA names later, and one
    that matches nothing is reported."""
    words = re.sub(r"['’]s\b", "", name.lower())  # "in Thursday's release": a day, no place
    if re.search(r"\s(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive)\.?$", words):
        return False  # "the Main Street store": a street, not a place
    plan = re.fullmatch(r"(?:" + _PLAN.lower() + r")(?:\s.*)?", words)
    if any(words == state.lower() for state in STATES.values()):
        return False  # "Laramie, Wyoming": the state is read as one (a city may share its name)
    if name in CITIES and words not in NOT_PLACES and not plan:
        return True  # a US city whose first word alone would not pass: "New York City"
    if words in NOT_PLACES or words.split()[0] in NOT_PLACES:
        return False
    if words in REGIONS:
        return False
    return not plan
