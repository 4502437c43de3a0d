"""The money in an announcement that is not a price change: a new plan's price and
introductory price, a competitor's price and credit (and our answer to it), and an offer's
worth and how long it lasts. Each reading that could go two ways adds a warning."""

from __future__ import annotations

import re
from typing import Any

from cdt.scenario.model import Kind
from cdt.scenario.numbers import Amount, durations
from cdt.scenario.prices import role
from cdt.scenario.temporary import free_durations
from cdt.scenario.value_adds import value_add_name


def duration(text: str, skip: list[tuple[int, int]]) -> int | None:
    lower = text.lower()
    for count, start, end in free_durations(lower, skip):
        before = lower[max(0, start - 24) : start]
        if re.search(r"\b(?:thanks?|thank you)\b[^.!?]{0,12}$|\bcelebrat\w*\s+$", before):
            continue  # "Thank you for 10 years!": how long they have stayed, not the offer's
        if re.match(r"\s*old\b", lower[end : end + 6]):
            continue  # "phones over 3 years old": an age, not the offer's length
        if re.search(r"\b(?:million|billion|[mb]n?)\b[^.;$]{0,16}$", before):
            continue  # "a partnership worth $14 million to us over 3 years": a company figure
        if re.search(
            r"\b(?:for|first|next|during|over|(?<!the )lasts?|lasting|up to|x)\s*(?:the\s+)?"
            r"(?:first\s+|next\s+)?$|\(\s*$|\s×\s*$",
            before,
        ) or (re.search(r"[,;]\s*$", before) and re.match(r"[\s.)]*(?:$|;)", lower[end : end + 3])):
            return count  # "for 6 months"; "Our response: $5 off Flurry, 3 mos."
    m = re.search(r"\b(\d+)[\s-]month (?:credit|discount|promo\w*|offer|deal)", lower)
    if m:
        return int(m.group(1))
    lasting = _LASTING.search(lower)
    if lasting:  # "a three-year price guarantee", "| Length: 2 years |"
        at = lasting.start("n") if lasting.group("n") else lasting.start("m")
        said = [c for c, s, _ in durations(lower) if s == at]
        if said:
            return said[0]
    if re.search(r"\b(?:a|one) (?:free|full) year of\b", lower):
        return 12  # "a free year of device protection"
    given = re.search(r"\b(?:credit\w*|get|gets|getting|plus|includ\w*|with)\s+(\d+) months? of\b",
                      lower)  # fmt: skip
    if given:  # "crediting 2 months of service", "upgrade and get 6 months of Netflix"
        return int(given.group(1))
    if re.search(r"\b(?:a|one) (?:(?:whole|full|entire) )?(?:free|full) month\b|"
                 r"\bfirst month(?:'s)? (?:is )?(?:free|on us)\b|"
                 r"\b(?:a|one) month (?:free|on us)\b|"
                 r"\b(?:a|one) (?:full )?month of (?:\w+ )?(?:service|[\w+]+) (?:free|credited|"
                 r"on us)\b",
                 lower):  # fmt: skip
        return 1  # "a free month of service", "one month of service credited"
    free = re.search(r"\b(\d+) free (?:months?|mos?)\b", lower)  # "2 free months of hotspot"
    if free:
        return int(free.group(1))
    for count, _, end in free_durations(lower, skip):  # "3 months at half price"
        if re.match(r"\s*(?:(?:is|are) )?(?:at (?:half|\$|\d)|half[\s-]?price|of (?:half|"
                    r"\d+% off|\$)|free\b|on us\b|"
                    r"at (?:\w+'s|the same|their|your|the old|the current) (?:price|rate)\b|"
                    r"at no (?:charge|cost)|of [\w+ ]{1,25}?,?\s*(?:on us|free|at no|at half))",
                    lower[end : end + 40]):  # fmt: skip
            return count
    return None


#: a lock's or an offer's length said as its size: "a 24-month price guarantee", "a three-year
#: price lock", "Length: 2 years", "Duration: 4 months"
_LASTING = re.compile(
    r"(?P<n>\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|"
    r"twenty-four|thirty-six)[\s-](?:months?|years?))[\s-]+(?:\w+\s+)?(?:price\s+)?(?:lock|"
    r"guarantee|freeze)\b|"
    r"\b(?:length|duration|term)\s*:\s*(?P<m>\d+\s+(?:months?|years?))"
)


#: words after an amount that make it a change ("a $5 increase"), not a price
_A_CHANGE = r"\s*(?:/mo\s*)?(?:increase|hike|rise|cut|drop|decrease|more|less)\b"
_AMOUNT_INTRO = re.compile(
    r"\$\s?(\d+(?:\.\d+)?)(?:/mo| a month)?\s+(?:intro(?:ductory)?|promo(?:tional)?)\b"
    r"(?:[^.;$]{0,20}?\bfor (\d+) (?:mo|mos|months?)\b)?"
)
_SOLD_UNTIL = re.compile(
    r"(?:\b(?:(?:sell|sold|available|priced|cost|go)\w* (?:for|at)|only|just|or|pay|pays|paying|"
    r"it's|it is|but|then) |[:;,]\s*)\$\s?(\d+(?:\.\d+)?)"
    r"(?:/mo| a month| per month)?\s+(?:until|through|till|thru)\b"
)


def new_plan(text: str, money: list[Amount], values: dict[str, Any], warnings: list[str]) -> None:
    lower = text.lower()
    if not values.get("new_plan"):
        values["new_plan"] = None
    prices = [a for a in money if role(text, a) not in ("worth", "credit")]
    counted = re.sub(r"\bfirst month\b", "first 1 months", lower)  # "first month $10"
    counted = re.sub(r"\bfirst year\b", "first 12 months", counted)
    # "$60 instead of $70 for the first 12 months": the first is the introductory price
    counted = re.sub(r"(\$\s?[\d.]+)((?:/mo| a month)?)\s+(?:instead of|"
                     r"rather than)\s+(\$\s?[\d.]+)",
                     r"\3 regular, \1\2", counted)  # fmt: skip
    # "the first 3 months at $35" names the intro price wherever the plan's price stands
    intro = re.search(
        r"\bfirst\s+(\d+)\s+(?:months?|mos?)\s+(?:at|for|are|is)\s+(?:just |only )?"
        r"\$\s?(\d+(?:\.\d+)?)",
        counted,
    ) or re.search(
        r"\b(?:first|for)\s+(\d+)\s+months?\b(?:(?!then)[^$.;]){0,20}\$\s?(\d+(?:\.\d+)?)"
        r"|\b(\d+)\s+months?\s+(?:at|for)\s+\$\s?(\d+(?:\.\d+)?)"  # "6 months at $40"
        r"|\$\s?(\d+(?:\.\d+)?)"
        r"[^.;$]{0,30}\b(?:(?:for|during|in) (?:the |your )?(?:first )?|(?:the |your )first |"
        r"(?:(?<=/mo )|(?<=a month )|(?<=\d ))first )(\d+) (?:months?|mos?)\b"
        r"|\b(?:introductory|intro|promo(?:tional)?|limited[\s-]time|launch(?= (?:offer|pric|"
        r"special|deal|"
        r"rate)))(?: (?:intro(?:ductory)? )?(?:price|pricing|rate|offer|special|deal))?(?: of|"
        r" is|:)?\s*\$\s?(\d+(?:\.\d+)?)",
        counted,
    )
    # "a $70 plan ..., saying it would sell for $60 until September 30"; "$20 intro for 6 mo"
    bounded = None if intro else (_SOLD_UNTIL.search(counted) or _AMOUNT_INTRO.search(counted))
    if bounded and bounded.re is _AMOUNT_INTRO and bounded.group(2):
        values["price_months"] = int(bounded.group(2))
    intro_value = float(bounded.group(1)) if bounded else None
    if bounded:
        values["intro_price"], values["price_temporary"] = intro_value, True
    if intro:
        if intro.group(1):
            values["price_months"], intro_value = int(intro.group(1)), float(intro.group(2))
        elif intro.group(3):
            values["price_months"], intro_value = int(intro.group(3)), float(intro.group(4))
        elif intro.group(5):
            intro_value, values["price_months"] = float(intro.group(5)), int(intro.group(6))
        else:
            intro_value = float(intro.group(7))
            lasts = re.match(r"[^.;$]{0,30}?\b(?:for|during|in) (?:the |your )?(?:first )?(\d+) "
                             r"months?", counted[intro.end() :])  # fmt: skip
            if lasts:  # "an introductory price of $55 for your first year"
                values["price_months"] = int(lasts.group(1))
        values["intro_price"] = intro_value
        values["price_temporary"] = True  # an introductory price holds for a while
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
        values["price_months"] = duration(text, values["_skip"])
    for a in money:
        if role(text, a) in ("worth", "credit"):
            values["offer_value"] = a.value
    if not values.get("new_plan_price") and not money:
        warnings.append("the new plan's price is not given")
    if values.get("plans") and values.get("new_plan"):
        base = values["new_plan"].split()[0]
        values["plans"] = [p for p in values["plans"] if p != base]
    del lower


#: a change's size: "undercutting them by about $10"
_BY = r"\bby\s*(?:about |around |roughly |nearly |almost |some )?"
#: words that make a competitor's amount money paid to switchers, not a price
_PAID = (
    r"\b(?:switch\w*|port\w*|credit|card|bonus|cash|pay(?:s|ing)?|giv\w*|cover\w*|"
    r"reimburs\w*|buy ?out)\b"
)


def competitor_offer(
    text: str, money: list[Amount], values: dict[str, Any], warnings: list[str]
) -> None:
    lower = text.lower()
    ours = re.search(r"\b(?:we|we'll|we will|snowmobile(?: wireless)?)\b[^.;]{0,30}\b(?:match|beat|"
                     r"counter|respond|answer)|\bour (?:response|answer|counter\w*|reply)\b|"
                     r"\bin (?:response|reply)\b|\bto (?:counter|match) (?:it|this|that)\b|"
                     r"\bto (?:answer|respond|counter)\s*,|"
                     r"\b(?:you|we|reps?|agents?|stores?|teams?) (?:can|may|will) offer\b|"
                     r"\bcounter(?:-offer)?\b[^.;:$]{0,40}:|"
                     r"(?:^|[.;]\s*)(?:us|our (?:move|offer|answer|side))\s*:|"
                     r"(?<!^competitive )\b(?:proposed |planned |recommended )?"
                     r"(?:response|answer|counter|reply)\s*:|"
                     r"\b(?:approved|proposed|recommended|planned) "
                     r"(?:response|reply|answer|counter)\b|"
                     r",?\s*so (?:our |all |eligible )?(?:\w+ )?customers (?:will )?"
                     r"(?:get|receive)\b|"
                     r"\b(?:committee|team|we|pricing|finance|marketing|retention|leadership|"
                     r"board|management) (?:has )?(?:recommends?|proposes?|suggests?|approved)\b|"
                     r"(?:^|[.;]\s*)(?:approved|decision)\s*:|"
                     r"\b(?:we|we'd|we'll|we will|we would)\s+(?:add|give|provide|credit)\b|"
                     r"[.;]\s*(?:retention|care|sales|store|loyalty) (?:team|reps?|agents?|"
                     r"staff)\s*:|\boffer (?:\S+ ){0,3}(?:customers|subscribers)\b|"
                     r"(?:^|[.;:!,]\s*)(?:recommend|suggest|propose|offer|match(?:ing)?|"
                     r"counter(?:ing)?|answer|respond|reply|test|try)"
                     r"\b(?!\s+(?:it|this|that)\?)|"
                     r"\bwe(?:'re| are) (?:thinking|considering|planning|looking at)\b|"
                     r"\bsnowmobile(?: wireless)?'s (?:response|answer|counter)\b|"
                     r"\b(?:you're|you are|you guys are) (?:matching|offering|giving)\b|"
                     r"\bsnowmobile(?: wireless)? will (?:give|offer|credit|provide)\b|"
                     r"\brespond\w* (?:by offering|with)\b|"
                     r"\bsnowmobile(?: wireless)? (?:plans|intends|aims|expects|"
                     r"is planning)(?: to\b|(?=\s+\$))|"
                     r"\b(?:would|will|could|plans to) (?:answer|respond|counter|reply)\b|"
                     r"\b(?:will be|are being|would be|to be|get|be) offered\b|"
                     r"\b(?:snowmobile(?: wireless)?|we) (?:is |are )?"
                     r"(?:offer(?:s|ing)?|giv(?:es|ing)|credit(?:s|ing)|emailed|texted|mailed|"
                     r"sent|texting|emailing|mailing|sending)\b",
                     lower)  # fmt: skip
    if ours and re.search(r"\b(?:not|n't|never|no plans? to)\b", ours.group(0)):
        ours = None  # "we will not match": no answer of ours
    # "Q: Will we match Mint Mobile's $20 plan?" asks; "What if we matched it with $150?" proposes
    asked = ours and re.search(r"\b(?:will|shall|do|did|are|should|can)\s*$", lower[: ours.start()])
    if ours and asked and re.match(r"[^.;!?]*\?", lower[ours.start() :]):
        ours = None  # "Q: Will we match Mint Mobile's $20 plan?": a question, no answer
    named = values.get("competitor") or ""
    # "match T-Mobile's $800 switcher credit with $200": theirs first, ours after "with"
    if (
        ours
        and named
        and re.search(r"match\w*\s*$", ours.group(0))
        and named.lower() in lower[ours.end() : ours.end() + 25]
    ):
        ours = re.compile(r"\bwith\b").search(lower, ours.end()) or ours
    for a in money:
        # the competitor's amounts come before our answer; ours from it on
        clause = max(lower.rfind(".", 0, a.start), lower.rfind(";", 0, a.start)) + 1
        before = lower[max(0, a.start - 50, clause) : a.start]
        after = lower[a.end : a.end + 40]
        up_to_next = lower[a.end : a.end + 60].split("$")[0]  # this amount's own words
        sentence = lower[clause : min([i for i in (lower.find(c, a.end) for c in ".;")
                                        if i >= 0] or [len(lower)])]  # fmt: skip
        # ours: after our answer's words, or in a later clause that credits our customers
        # ("…; at-risk Summit customers get a $100 credit from us")
        credited = bool(re.search(r"\b(?:credit|off|discount)\b", sentence)) and bool(
            re.search(
                r"\b(?:from us|our|we|snowmobile|get an?)\b|\b(?:customers?|subscribers?)\b"
                r"[^.;]{0,40}\bget\b",
                sentence,
            )
        )
        from_us = bool(re.search(r"\b(?:from us|from snowmobile)\b", sentence))
        # "Summit customers who bring up AT&T's offer get a $100 credit": named as the reason
        cited = named and re.sub(
            r"\b(?:who|that) (?:bring up|mention|cite|ask about|quote|show|name)\s+"
            + re.escape(named.lower())
            + r"(?:'s)?(?: \w+)?",
            " ",
            sentence,
        )
        later_ours = (
            clause > 0 and bool(named) and named.lower() not in str(cited) and (credited or from_us)
        )
        possessed = bool(named) and re.search(re.escape(named.lower()) + r"'s\s*$", before)
        if ((ours and a.start >= ours.start()) or later_ours) and not possessed:
            values.setdefault("offer_value", a.value)
        elif re.search(
            r"\b(?:plan|unlimited) (?:is|costs?|runs?|for)\s*$|\bplans? (?:from|"
            r"starting at)\s*$|\b\d+ lines? for\s*$",
            before,
        ) or (
            re.search(r"[\w+)]\s+at\s*$", before)
            and not re.match(r"\s*(?:/mo\s*|a month\s*)?(?:credit|off|bonus|back|in)\b", after)
        ):
            values.setdefault("competitor_price", a.value)  # "their plan is $60"
        elif re.match(r"\s*lines\b", after) or (
            re.match(r"\s*(?:/line|per line|a line)\b", after)
            and not re.search(r"\bby\s*$", before)  # "raised prices by $3 per line": a change
            and not re.search(_PAID, before + " " + re.split(r"[.;]", up_to_next)[0])
        ):
            values.setdefault("competitor_price", a.value)  # "$35/line promo", "$35 lines"
        elif re.search(
            r"\bour\s*$|\b(?:pays?|paying) (?:snowmobile|you|us)\s*$|\b(?:i'm|i am|am i|"
            r"we're|we are|are we|i|we) (?:still )?(?:paying|pay)\s*$",
            before,
        ):
            continue  # "answers our $95 with a $90 plan", "I pay Snowmobile $35": ours
        elif re.match(r"\s*(?:/mo\s*|a month\s*|per month\s*|/line\s*|per line\s*|a line\s*)?"
                      r"(?:(?:[\w+-]+\s+){0,2}(?:plans?|tiers?|unlimited)\b|for unlimited\b|"
                      r"line\b)",
                      after):  # fmt: skip
            values.setdefault("competitor_price", a.value)  # "a $50 plan"
        elif re.search(r"\b(?:switch\w*|port\w*|credit|card|bonus|cash|pay(?:s|ing)?|cover\w*|"
                     r"reimburs\w*|buy ?out|prepaid)\b", before + " " + up_to_next) \
                and not re.match(r"\s*(?:/mo|a month|per month|monthly)", after) \
                and not re.search(_BY + r"$", before):  # fmt: skip
            values.setdefault("competitor_credit", a.value)
        elif (
            re.match(r"\s*(?:/mo|a month|per month|monthly)", after)
            and re.search(r"\b(?:credit|off|discount|match|beat)\b", before + after)
            and re.search(r"\b(?:we|snowmobile|our)\b", sentence)  # ours in its own sentence
            and not ours  # before our answer's words, an amount is the competitor's
        ):
            values.setdefault("offer_value", a.value)
        elif role(text, a) == "delta" and (
            re.search(_BY + r"$", before) or re.match(_A_CHANGE, after)
        ):
            warnings.append(
                f"the competitor's price changes by {a.label()}: its new price is not given"
            )
        else:
            values.setdefault("competitor_price", a.value)
    at = ours.start() if ours else 0  # "$360 over 36 months. Our response: $25 off for 24 months"
    months = duration(text[at:], [(s - at, e - at) for s, e in values["_skip"] if s >= at])
    if not months and at:  # months said before our answer, outside the rival's own sentences
        ours_only = re.sub(r"[^.;]*", lambda s: " " * len(s.group(0)) if named and named.lower()
                           in s.group(0).lower() else s.group(0), text)  # fmt: skip
        months = duration(ours_only, values["_skip"])
    if months and (values.get("offer_value") is not None or ours):
        values["offer_months"] = months  # "our answer is 20% off Flurry for 6 months"
    theirs = [a for a in money if not ours or a.start < ours.start()]
    if len(theirs) > 1:
        warnings.append(
            "several amounts in a competitor's offer ("
            + ", ".join(a.label() for a in theirs)
            + "): check the competitor's price and credit"
        )


#: a price a lock keeps, not an offer's worth: "your rate stays $25 through 2028"
_LOCKED_AT = re.compile(
    r"\b(?:stays?|remains?|locked(?: in)? at|frozen at|guaranteed at|held at|keeps? (?:your|their|"
    r"the) (?:rate|price) (?:at )?|keep\w* (?:today's|their|your|the|its|current))\s*(?:at\s*)?$",
    re.IGNORECASE,
)


#: a price that a lock holds, named before it: "their $95 rate locked for 24 months", "today's
#: $95 and $140 rates are guaranteed"
_RATE_LOCKED = re.compile(
    r"(?:\s*(?:/mo|a month|per month|monthly))?(?:\s+and\s+\$?\d+(?:\.\d+)?)?\s+"
    r"(?:\w+\s+)?(?:rates?|prices?|pricing|plans?)\b[^.;$]{0,20}\b(?:lock\w*|guarantee\w*|"
    r"frozen|freez\w*|held|protected)\b",
    re.IGNORECASE,
)


#: an amount that is no offer's worth: a rival's move ("while rivals raise prices by $3"), or
#: what the offer costs us ("points redemption runs about $1.10 per customer")
_NOT_WORTH = re.compile(
    r"\b(?:rivals?|competitors?|other carriers)\b (?:\w+ ){0,2}(?:rais|cut|charg|offer|pric|hik)\w*"
    r"\b[^.;]{0,25}$|\b(?:redemption\w*|expenses?)\b(?: \w+)?\s*(?:runs?|costs?)?\s*(?:about|"
    r"roughly|around|approximately|nearly)?\s*$",
    re.IGNORECASE,
)
#: an offer's worth told after the fact: "the outage credit? Mine was $20"
_WAS_WORTH = re.compile(
    r"\b(?:credit|offer|mine|discount|reward|gift|refund)\b[^.$!?;]{0,30}\b(?:was|came to)\s*$",
    re.IGNORECASE,
)


def offer(
    text: str,
    kind: Kind,
    money: list[Amount],
    percents: list[Amount],
    values: dict[str, Any],
    warnings: list[str],
) -> None:
    """An offer, credit or reward: its worth and how long it lasts."""
    worth = [
        a
        for a in money
        if role(text, a) in ("credit", "worth", "delta", "to")
        and not _LOCKED_AT.search(text[max(0, a.start - 40) : a.start])
        and not _RATE_LOCKED.match(text[a.end : a.end + 50])
    ] or [a for a in money if _WAS_WORTH.search(text[max(0, a.start - 50) : a.start])]
    worth = [a for a in worth if not _NOT_WORTH.search(text[max(0, a.start - 50) : a.start])]
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
            f"the offer is {percents[0].label()} off: its dollar worth depends on each bill"
        )
    months = duration(text, values["_skip"])
    if months:
        values["offer_months"] = months
    if kind == Kind.ADD_ON_BUNDLE:
        values["value_add"] = value_add_name(text, anywhere=True)
