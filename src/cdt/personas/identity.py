"""A persona's identity from data, never from the LLM: a name drawn from common US given names
of the segment's birth decade and gender and from common surnames (both kept in
``personas/data``), the segment's median age, a real place among its customers' most common
ZIPs, and its plan and bill. Draws are seeded by segment, so the same data gives the same
personas, and no two segments share a name."""

from __future__ import annotations

import csv
import hashlib
import random
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from cdt.backends.base import Backend
from cdt.sqlfiles import read_sql

AS_OF_YEAR = 2026


@dataclass(frozen=True)
class Identity:
    """Who a segment's persona is."""

    name: str
    age: int
    gender: str
    location: str

    @property
    def persona_name(self) -> str:
        return f"{self.name}, {self.age}"


@cache
def _given() -> dict[tuple[int, str], tuple[str, ...]]:
    table: dict[tuple[int, str], list[str]] = {}
    text = files("cdt.personas").joinpath("data", "given_names.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        table.setdefault((int(row["decade"]), row["gender"]), []).append(row["name"])
    return {key: tuple(names) for key, names in table.items()}


@cache
def _surnames() -> tuple[str, ...]:
    text = files("cdt.personas").joinpath("data", "surnames.csv").read_text(encoding="utf-8")
    return tuple(row["surname"] for row in csv.DictReader(text.splitlines()))


def _rng(seed: int, segment_id: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{segment_id}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def draw(
    segment_id: str,
    median_age: float,
    female_share: float,
    places: list[str],
    *,
    taken: set[str],
    seed: int = 42,
) -> Identity:
    """The identity of ``segment_id``'s persona; ``taken`` holds names already drawn for
    other segments (the drawn one is added)."""
    rng = _rng(seed, segment_id)
    age = round(median_age)
    gender = "Female" if rng.random() < female_share else "Male"
    decades = sorted({d for d, _ in _given()})
    decade = min(max((AS_OF_YEAR - age) // 10 * 10, decades[0]), decades[-1])
    given = list(_given()[(decade, gender)])
    surnames = list(_surnames())
    rng.shuffle(given)
    rng.shuffle(surnames)
    name = next(
        (f"{g} {s}" for g in given for s in surnames if f"{g} {s}" not in taken),
        f"{given[0]} {surnames[0]}",
    )
    taken.add(name)
    location = places[rng.randrange(min(len(places), 3))] if places else "United States"
    return Identity(name, age, gender, location)


def read(backend: Backend) -> dict[str, dict[str, Any]]:
    """Per segment: median age, share of women and most common places ("Name, ST")."""
    out: dict[str, dict[str, Any]] = {}
    for row in backend.query(read_sql("persona_identity", backend.dialect)).to_pylist():
        entry = out.setdefault(
            str(row["segment_id"]), {"median_age": 40.0, "female_share": 0.5, "places": []}
        )
        if row["zip_name"] is None:
            entry["median_age"] = float(row["median_age"] or 40.0)
            entry["female_share"] = float(row["female_share"] or 0.5)
        else:
            entry["places"].append(f"{row['zip_name']}, {row['state_code']}")
    return out


def identities(backend: Backend, segment_ids: list[str], *, seed: int = 42) -> dict[str, Identity]:
    """Each segment's persona identity, drawn in segment order so that names stay distinct."""
    facts = read(backend)
    taken: set[str] = set()
    out = {}
    for segment_id in sorted(facts):
        fact = facts[segment_id]
        drawn = draw(
            segment_id,
            fact["median_age"],
            fact["female_share"],
            fact["places"],
            taken=taken,
            seed=seed,
        )
        if segment_id in segment_ids:
            out[segment_id] = drawn
    return out


def speaker(segment_id: str, label: str, age: int, *, taken: set[str], seed: int = 42) -> str:
    """Another customer of ``segment_id`` (for the voice ``label``): a name of the same birth
    decade as ``age``, within a few years of it, distinct from ``taken`` ("Name, 38")."""
    rng = _rng(seed, f"{segment_id}:{label}")
    years = max(18, min(90, age + rng.randint(-6, 6)))
    gender = "Female" if rng.random() < 0.5 else "Male"
    decades = sorted({d for d, _ in _given()})
    decade = min(max((AS_OF_YEAR - years) // 10 * 10, decades[0]), decades[-1])
    given, surnames = list(_given()[(decade, gender)]), list(_surnames())
    rng.shuffle(given)
    rng.shuffle(surnames)
    name = next(
        (f"{g} {s}" for g in given[:40] for s in surnames[:40] if f"{g} {s}" not in taken),
        f"{given[0]} {surnames[0]}",
    )
    taken.add(name)
    return f"{name}, {years}"
