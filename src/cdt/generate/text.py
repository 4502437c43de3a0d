"""Phrase banks for support verbatims. A verbatim is opener + issue + closer, where the opener
and closer carry the archetype's tone and the issue carries the subcategory, so segments sound
different while every sentence stays about a real telecom problem."""

from __future__ import annotations

CATEGORIES: dict[str, tuple[str, ...]] = {
    "Billing": ("Overage Charge", "Payment Issue", "Autopay Setup", "Unexpected Fee"),
    "Technical Support": ("Voicemail", "Hotspot", "eSIM Activation", "App Login"),
    "Network": ("Dropped Calls", "Slow Data", "No Coverage", "Outage"),
    "Device": ("Upgrade Eligibility", "Broken Screen", "Battery", "Trade-In"),
    "Plan Change": ("Upgrade Plan", "Downgrade Plan", "Add a Line", "International Pass"),
    "Account": ("Address Change", "Authorized User", "Password Reset", "Rewards Points"),
    "Complaint": (
        "Price Increase",
        "Billing Dispute",
        "Network Coverage",
        "Customer Service",
        "Data Throttling",
    ),
    "Cancellation": ("Port Out Request", "Competitor Offer", "Moving", "Too Expensive"),
}
CATEGORY_NAMES = tuple(CATEGORIES)
SUBCATEGORIES = tuple(sub for subs in CATEGORIES.values() for sub in subs)

INTENTS: dict[str, str] = {
    "Overage Charge": "Dispute overage charge",
    "Payment Issue": "Resolve failed payment",
    "Autopay Setup": "Enroll in autopay",
    "Unexpected Fee": "Question a fee on the bill",
    "Voicemail": "Fix voicemail",
    "Hotspot": "Enable mobile hotspot",
    "eSIM Activation": "Activate eSIM",
    "App Login": "Regain app access",
    "Dropped Calls": "Report dropped calls",
    "Slow Data": "Report slow data speeds",
    "No Coverage": "Report no signal at home",
    "Outage": "Ask about a service outage",
    "Upgrade Eligibility": "Check upgrade eligibility",
    "Broken Screen": "File a protection claim",
    "Battery": "Troubleshoot battery drain",
    "Trade-In": "Get a trade-in quote",
    "Upgrade Plan": "Move to a bigger plan",
    "Downgrade Plan": "Move to a cheaper plan",
    "Add a Line": "Add a line to the account",
    "International Pass": "Buy an international pass",
    "Address Change": "Update billing address",
    "Authorized User": "Add an authorized user",
    "Password Reset": "Reset account PIN",
    "Rewards Points": "Redeem rewards points",
    "Price Increase": "Complain about a price increase",
    "Billing Dispute": "Complain about billing errors",
    "Network Coverage": "Complain about coverage",
    "Customer Service": "Complain about service",
    "Data Throttling": "Complain about throttled data",
    "Port Out Request": "Request port-out PIN",
    "Competitor Offer": "Ask to match a competitor offer",
    "Moving": "Cancel due to a move",
    "Too Expensive": "Cancel because the bill is too high",
}

ISSUES: dict[str, tuple[str, ...]] = {
    "Overage Charge": (
        "there's an overage charge on my bill again",
        "I got charged extra for going over my data",
    ),
    "Payment Issue": ("my payment didn't go through", "my card got declined on the bill"),
    "Autopay Setup": ("I want to set up autopay", "autopay isn't taking my bank account"),
    "Unexpected Fee": (
        "there's a fee on my bill I don't understand",
        "I was charged a fee nobody told me about",
    ),
    "Voicemail": ("my voicemail stopped working", "I can't get into my voicemail"),
    "Hotspot": ("my hotspot won't turn on", "the hotspot keeps disconnecting my laptop"),
    "eSIM Activation": ("my eSIM won't activate", "the new eSIM says no service"),
    "App Login": ("I can't log into the app", "the app keeps logging me out"),
    "Dropped Calls": ("my calls keep dropping", "calls cut out every few minutes"),
    "Slow Data": ("my data is super slow", "videos won't load on cellular data"),
    "No Coverage": ("I have no signal at my house", "there's zero bars where I live"),
    "Outage": ("the whole network seems down", "nothing works, is there an outage"),
    "Upgrade Eligibility": (
        "I want to know when I can upgrade my phone",
        "am I eligible for a new phone yet",
    ),
    "Broken Screen": ("I cracked my screen", "my screen is shattered"),
    "Battery": ("my battery dies by noon", "the phone gets hot and drains fast"),
    "Trade-In": ("what's my old phone worth as a trade-in", "I want to trade in my phone"),
    "Upgrade Plan": ("I need more data on my plan", "I want to move up to unlimited"),
    "Downgrade Plan": ("I need a cheaper plan", "I want to drop to a smaller plan"),
    "Add a Line": ("I want to add a line for my kid", "I'd like to add a line"),
    "International Pass": ("I'm traveling abroad next month", "I need service in Mexico"),
    "Address Change": ("I moved and need to update my address", "my billing address is wrong"),
    "Authorized User": ("I want to add my spouse to the account", "can my son manage the account"),
    "Password Reset": ("I forgot my account PIN", "I'm locked out of my account"),
    "Rewards Points": ("I want to use my rewards points", "my points didn't show up"),
    "Price Increase": ("you raised my price again", "my plan went up without a good reason"),
    "Billing Dispute": ("my bill is wrong for the third month", "I was double charged"),
    "Network Coverage": (
        "the coverage is terrible for what I pay",
        "I keep losing signal everywhere I go",
    ),
    "Customer Service": (
        "nobody fixed my problem last time",
        "I was on hold for an hour and got transferred twice",
    ),
    "Data Throttling": ("you slowed my 'unlimited' data", "my data gets throttled every month"),
    "Port Out Request": ("I need my port-out PIN", "I'm switching and need my account number"),
    "Competitor Offer": (
        "another carrier offered me a better deal",
        "T-Mobile will give me $200 to switch",
    ),
    "Moving": ("I'm moving where you don't have coverage", "I'm relocating overseas"),
    "Too Expensive": ("the bill is just too high now", "I can't afford this plan anymore"),
}

TONES = ("plain", "frugal", "casual", "warm", "technical", "rural", "young", "angry")
# Categories whose issues are about the phone or the network: only they take the openers
# that speak of settings, diagnostics or signal.
TECHNICAL = ("Technical Support", "Network", "Device")
# Per tone: (openers that fit any issue, openers that fit only a technical one). A verbatim is
# opener + issue + closer, and must read as one person's message whatever the issue.
OPENERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "plain": (
        ("Hello, I've been a customer for many years and", "Good morning. I'm calling because",
         "Hi there,"),
        (),
    ),
    "frugal": (("Money's tight right now and", "I'm on a fixed budget and",
                "I watch every dollar, and"), ()),
    "casual": (("Hey, so", "Honestly,", "Quick thing:"), ()),
    "warm": (
        ("Hi! I pay for all the lines on our family account and",
         "Hello, my kids use this plan and", "Hi, I manage the family account and"),
        (),
    ),
    "technical": (
        ("FYI,", "To be precise:"),
        ("FYI, after checking the settings myself,", "I already reset the network settings;",
         "Per the diagnostics in the app,"),
    ),
    "rural": (("Hello from out in the country;", "Out here in the country,"),
              ("On our farm road,", "Living this far from town,")),
    "young": (("ngl", "lol ok so", "hey!!"), ()),
    "angry": (("This is ridiculous.", "I am fed up.", "Unbelievable."), ()),
}  # fmt: skip
# Per tone: (negative, neutral, positive) closers. None claims the problem was solved (the
# message is what the customer wrote when they got in touch), and none names a topic, so
# each fits any issue. Complaints and cancellations never take a positive closer.
CLOSERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "plain": (
        ("I expected better after all this time.",),
        ("Please let me know.",),
        ("Thank you for your help.",),
    ),
    "frugal": (
        ("I can't keep paying more for the same thing.",),
        ("Is there a cheaper way to do this?",),
        ("Thanks for any help you can give.",),
    ),
    "casual": (("Kinda annoying tbh.",), ("Can you sort it?",), ("Appreciate it!",)),
    "warm": (
        ("This is stressing out the whole family.",),
        ("We just need it to work for all of us.",),
        ("Thanks so much, we really appreciate the help.",),
    ),
    "technical": (
        ("I've done my part; this needs a real fix.",),
        ("Please escalate to tier 2.",),
        ("Appreciate a quick look at this.",),
    ),
    "rural": (
        ("We can't be left stuck out here.",),
        ("Please let me know what you can do.",),
        ("Thank you kindly.",),
    ),
    "young": (("this is so mid", "not a vibe"), ("can u fix it pls",), ("ty!! ur the best",)),
    "angry": (
        ("Fix it or I'm leaving.", "I'm done with Snowmobile."),
        ("I want this escalated now.",),
        ("Just get it right this time.",),
    ),
}
NO_POSITIVE_CLOSER = ("Complaint", "Cancellation")
RESOLUTION_PHRASES = (
    "Resolved on first contact.",
    "Escalated to a specialist.",
    "Pending follow-up.",
    "Unresolved; customer dissatisfied.",
)
