"""The words the meaning gate listens for: anchor phrases whose embeddings stand for a customer
talking, the carrier's agent talking, melodrama and plain persona prose; the agent's stock
phrases; the telecom topics a text can be about; amounts; and the cues that say which way a
customer goes. Each names what a signal measures; the thresholds on the signals are fitted
on the labelled corpus (``cdt.voices.fit``), not set here."""

from __future__ import annotations

import re

CUSTOMER_ANCHORS = (
    "My phone bill went up again this month.",
    "I pay for my family's phone lines every month.",
    "The coverage and data on my plan matter to me.",
    "I'm a customer and I care what my wireless plan costs.",
)
AGENT_ANCHORS = (
    "I'm sorry, I don't have the ability to change your account.",
    "Thank you for being a valued customer, how can I help you today?",
    "Let me look into your account and get back to you.",
    "I'd love to help you grow your business.",
    "As an AI assistant, I can help you with that.",
)
DRAMA_ANCHORS = (
    "Fighting for his life, he protects everyone he loves.",
    "My heart is shattered and my whole world is collapsing.",
    "This is the darkest day of my life.",
    "I would rather set everything on fire and haunt them forever.",
)
PERSONA_ANCHORS = (
    "A mobile phone customer who watches the monthly bill and uses data every day.",
    "Has been with the carrier for years, calls support when something on the bill changes.",
    "Talks plainly and decides by comparing prices and coverage.",
)
AGENT_PHRASES = re.compile(
    r"\b(?:your account|your business|your record|your order|"
    r"your (?:plan|bill|line)s? (?:is|are|will)|"
    r"valued customers?|how (?:can|may) I (?:help|assist)|let me (?:check|look|pull|see|help)|"
    r"I (?:do not|don't|can't|cannot) (?:have )?(?:the )?(?:ability|access|permission)|"
    r"we appreciate|we value|thank you for (?:being|choosing|contacting|your patience|reaching)|"
    r"our (?:team|records|customers|valued)|as an (?:AI|assistant)|"
    r"(?:happy|glad) to (?:help|assist)|"
    r"I can help you|here to help|simply (?:enroll|visit|call|go|log|open|sign)|"
    r"please (?:contact|visit|call|note|reach)|you can (?:enroll|visit|call|sign up|opt)|"
    r"I understand (?:how|your|that you)|we're (?:sorry|happy|here|excited)|I apologi[sz]e|"
    r"your (?:loyalty|account|usage|part|needs|plan (?:is|now|includes)|patience)|"
    r"we've (?:added|made|updated|lowered|raised|included)|we (?:have|will) (?:added|add|apply)|"
    r"as your\b|I recommend\b|I'm unable to|I (?:can|will) escalate|upgrade today|"
    r"no action (?:is )?needed|great news|for just \$|don't miss|sign up (?:now|today)|"
    r"more of what matters|would you like (?:me|us) to|if you'd like,? (?:I|we) can|"
    r"(?:I|we) (?:can|could|will|'ll) (?:check|review|move|switch|add|apply|update|remove|"
    r"waive|process|transfer|set up|go ahead and) (?:your|that for you|this for you|it for you)|"
    r"(?:I|we)'d be (?:happy|glad) to (?:help|assist|add|check|review|move|set|look|walk|explain|"
    r"go over|switch|apply))",
    re.IGNORECASE,
)
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "to",
        "of",
        "for",
        "with",
        "in",
        "on",
        "at",
        "by",
        "i",
        "you",
        "we",
        "they",
        "my",
        "your",
        "our",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "have",
        "has",
        "had",
        "that",
        "this",
        "it",
        "its",
        "so",
        "if",
        "as",
        "not",
        "no",
        "do",
        "did",
        "does",
        "just",
        "it's",
        "i'm",
        "me",
        "he",
        "she",
        "his",
        "her",
        "them",
        "their",
        "from",
        "about",
        "now",
        "then",
        "than",
        "too",
        "very",
    ]
)
# A specific telecom topic the text talks about. A text naming a topic its scenario does not
# is likely about another scenario (competitors and the bill itself are fair game anywhere).
TOPICS: dict[str, str] = {
    "hotspot": r"hot\s?spot|tether",
    "roaming": r"roam\w*|abroad|international|overseas|travel\w*|trip to",
    "paper": r"paper\w*|e-?bill\w*|mail\w*",
    "activation": r"activat\w*|new line",
    "late": r"\blate\b|overdue",
    "autopay": r"auto-?pay",
    "streaming": r"netflix|hulu|disney|streaming|max\b|spotify|apple tv",
    "outage": r"outage|storm|no signal|without (?:signal|service)|went down",
    "device": r"iphone|galaxy|pixel|new phone|trade-?in|device|lock-?in|installment",
    "data_bonus": r"\b\d+\s?gb\b|gigs?\b|bonus data|extra data",
    "5g": r"\b5g\b|ultra",
}
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100,
}  # fmt: skip
AMOUNT = re.compile(
    r"\$\s?(\d+(?:\.\d+)?)|\b(\d+(?:\.\d+)?)\s?(?:bucks|dollars|a month|/mo)\b|"
    r"\b(" + "|".join(WORD_NUMBERS) + r")\s+(?:bucks|dollars)\b",
    re.IGNORECASE,
)
# Words that say a customer does something else than the outcome it voices.
CUES: dict[str, str] = {
    "churned": r"switch(?:ed|ing)? (?:to|over|carriers)|"
    r"port(?:ed|ing)? (?:out|over|my|all|our|every)|"
    r"cancel(?:led|ed|ing)?\b|(?:moving|moved|going|went|gone) (?:to|over to) (?:t-mobile|"
    r"verizon|at&t|mint|visible|cricket|google fi|another|a different)|(?:last|final) straw|"
    r"(?:tak|mov|port|bring|brought|took)\w* (?:all |my |our |the |both |every )?(?:\w+ )?"
    r"lines? (?:to|over)\b|switch(?:ed|ing)? (?:all|both|every|my|our) \w*\s?lines?|"
    r"port(?:ed|ing)?\s+(?:\w+\s+){0,2}(?:out|over)\b|"
    r"I'?m (?:gone|out of here|leaving)|left (?:for|snowmobile)",
    "threatened": r"\b(?:if|unless)\b[^.?!]*\b(?:leav\w*|switch\w*|gone|port\w*|cancel\w*|walk)|"
    r"one more\b|shopping around|looking at (?:other|another)|"
    r"thinking (?:about|of) (?:leaving|switching)",
    "complaint": r"\bcall(?:ed|ing)? (?:support|customer service|them|you|in)\b|complain\w*|"
    r"unfair|ridiculous|rip-?off|not cool|come on\b|joke\b|outrag\w*|fed up|annoy\w*",
    "content": r"\bfine\b|no problem|fair enough|no big deal|worth it|go ahead|happy (?:with|to)|"
    r"keep(?:ing)? my (?:current )?plan|no need to (?:leave|switch)|\bstay(?:ing)? put\b|"
    r"\bnice\b|thanks?\b|appreciate|\bsure\b|glad",
    "upgrade": r"upgrad\w*|mov\w* up|step(?:ped|ping)? up|bigger plan|premium|signed up for",
    "downgrade": r"downgrad\w*|drop(?:ped|ping)? (?:down|to)|cheaper plan|smaller plan|"
    r"step(?:ped|ping)? down|cut back|went down to|moving down",
}
# For each outcome, the cues that contradict it.
CONTRADICTS: dict[str, tuple[str, ...]] = {
    "accepted": ("churned", "threatened", "downgrade"),
    "ignored": ("churned", "threatened", "complaint", "upgrade", "downgrade"),
    "complained": ("content",),
    "threatened_churn": ("content", "upgrade"),
    "churned": ("content", "upgrade", "threatened"),
    "upgraded": ("churned", "downgrade", "threatened"),
    "downgraded": ("upgrade", "churned"),
}
SUPPORTS: dict[str, tuple[str, ...]] = {
    "accepted": ("content",),
    "ignored": ("content",),
    "complained": ("complaint",),
    "threatened_churn": ("threatened",),
    "churned": ("churned",),
    "upgraded": ("upgrade",),
    "downgraded": ("downgrade",),
}
# Which way each outcome leans, for the sentiment feature: a complainer should not sound
# cheerful, an upgrader should not sound furious; ignoring leans nowhere.
LEAN: dict[str, float] = {
    "accepted": 0.5,
    "ignored": 0.0,
    "complained": -1.0,
    "threatened_churn": -1.0,
    "churned": -1.0,
    "upgraded": 1.0,
    "downgraded": -0.5,
}
