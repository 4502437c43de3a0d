"""Scenario text: validated before anything reads it."""

from __future__ import annotations

import re
import unicodedata

from cdt.errors import ConfigError

MAX_SCENARIO = 4000


def clean(text: str) -> str:
    """Validate scenario text: control characters removed, whitespace collapsed, and a line
    break that ends no sentence kept as "; " ("Powder 55 -> 58" over "Blizzard 75 -> 79" are two
    changes).

    Raises:
        ConfigError: empty after cleaning, or longer than MAX_SCENARIO characters.
    """
    if text is None or not isinstance(text, str):
        raise ConfigError("the scenario must be text", fix='e.g. cdt simulate "price increase $5"')
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    lines = re.sub(r"(?<![.;:!?,|])[ \t]*\n\s*(?=\S)", "; ", kept.strip())
    collapsed = re.sub(r"\s+", " ", lines).strip()
    if not collapsed:
        raise ConfigError("the scenario is empty", fix='describe it, e.g. "price increase $5"')
    if len(collapsed) > MAX_SCENARIO:
        raise ConfigError(
            f"the scenario is {len(collapsed):,} characters long",
            fix=f"shorten it to at most {MAX_SCENARIO:,} characters",
        )
    return collapsed
