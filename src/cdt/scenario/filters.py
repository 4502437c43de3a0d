"""A scenario's audience as the binds of ``sql/common/audience.sql``.

Geography is resolved to codes first (``cdt.agents.targeting``); this module only lays the
values out in the order the SQL expects. An empty list binds '' and an unset bound NULL: the
filter then lets everyone through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NOBODY = "~"  # bound as '|~|', a value no column holds: the filter matches nobody

#: Each filter in a user's words, for messages ("the places alone match no customer").
FILTER_WORDS = {"plans": "plans", "tenure_min": "tenure bounds", "tenure_max": "tenure bounds",
                "states": "states", "region_states": "regions", "dmas": "DMAs",
                "zips": "ZIP codes", "place_zips": "places", "segments": "segments",
                "contract_types": "contract types", "device_tiers": "device tiers",
                "age_min": "age bounds", "age_max": "age bounds"}  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """Resolved audience filters: codes and names as the customer tables hold them."""

    plans: tuple[str, ...] = ()
    tenure_min: int | None = None
    tenure_max: int | None = None
    states: tuple[str, ...] = ()
    region_states: tuple[str, ...] = ()
    dmas: tuple[str, ...] = ()
    zips: tuple[str, ...] = ()
    place_zips: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    contract_types: tuple[str, ...] = ()
    device_tiers: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    def binds(self) -> list[Any]:
        """The values for audience.sql's placeholders, in its order."""
        out: list[Any] = []
        for name in (
            "plans", "tenure_min", "tenure_max", "states", "region_states", "dmas", "zips",
            "place_zips", "segments", "contract_types", "device_tiers", "age_min", "age_max",
        ):  # fmt: skip
            value = getattr(self, name)
            if isinstance(value, tuple):
                text = "|" + "|".join(value) + "|" if value else ""
                out += [text, text]
            else:
                out += [value, value]
        return out

    def only(self, name: str) -> Filters:
        """These filters with every one but ``name`` lifted."""
        blank = Filters()
        return Filters(**{name: getattr(self, name)}) if hasattr(blank, name) else blank

    def set_names(self) -> list[str]:
        """The filters that restrict anyone."""
        return [
            name
            for name in Filters.__dataclass_fields__
            if name != "labels" and getattr(self, name) not in ((), None)
        ]


EVERYONE = Filters()
