"""Several price changes written as one line of text, for ``--set changes=…``, a CSV cell
and the app's form: changes separated by ``;``, each ``PLANS:SIZE``, where PLANS is one or
more plans separated by ``,`` and SIZE is a dollar change (``+2``, ``-3.50``, ``$5``), a
percent change (``+5%``) or a from/to pair (``55->60`` or ``55 to 60``)::

    Glacier:+2; Summit,Avalanche:+5%; Powder:55->60

``format_changes`` writes a list back in the same syntax, so a stored scenario reads again.
"""

from __future__ import annotations

import re
from typing import Any

from cdt.errors import ConfigError
from cdt.scenario.model import Change

SYNTAX = "write PLANS:SIZE; PLANS:SIZE, e.g. 'Glacier:+2; Summit,Avalanche:+5%; Powder:55->60'"
_NUMBER = r"[+-]?\s*\$?\s*\d+(?:\.\d+)?"
_PAIR = re.compile(rf"^({_NUMBER})\s*(?:->|→|\bto\b)\s*({_NUMBER})$", re.IGNORECASE)
_ONE = re.compile(rf"^({_NUMBER})\s*(%?)$")


def _amount(text: str) -> float:
    return float(re.sub(r"[\s$]", "", text))


def parse_changes(text: str) -> list[dict[str, Any]]:
    """The changes ``text`` writes, as ``Change`` fields (checked when the scenario is built).

    Raises:
        ConfigError: a part that is not ``PLANS:SIZE`` (names the part).
    """
    out: list[dict[str, Any]] = []
    for n, part in enumerate((p.strip() for p in text.split(";")), 1):
        if not part:
            continue
        plans, colon, size = part.partition(":")
        size = size.strip()
        if not colon or not plans.strip() or not size:
            raise ConfigError(f"--set changes: change {n} ({part!r}) is not PLANS:SIZE", fix=SYNTAX)
        change: dict[str, Any] = {"plans": [p.strip() for p in plans.split(",") if p.strip()]}
        pair, one = _PAIR.match(size), _ONE.match(size)
        if pair:
            change["price_from"], change["price_to"] = _amount(pair[1]), _amount(pair[2])
        elif one:
            change["price_delta_pct" if one[2] else "price_delta"] = _amount(one[1])
        else:
            raise ConfigError(
                f"--set changes: change {n}'s size {size!r} is not a dollar change, a percent or a "
                "from->to pair",
                fix=SYNTAX,
            )
        out.append(change)
    return out


def format_changes(changes: list[Change]) -> str:
    """``changes`` in the syntax ``parse_changes`` reads."""
    parts = []
    for change in changes:
        if change.price_from is not None and change.price_to is not None:
            size = f"{change.price_from:g}->{change.price_to:g}"
        elif change.price_delta_pct is not None:
            size = f"{change.price_delta_pct:+g}%"
        else:
            size = f"{float(change.price_delta or 0.0):+g}"
        parts.append(f"{','.join(change.plans)}:{size}")
    return "; ".join(parts)
