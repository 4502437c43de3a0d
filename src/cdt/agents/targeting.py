"""Who a scenario reaches: its targeting filters resolved against the twin.

Regions, DMA names and place names are matched against EXTERNAL.ZIP_DEMOGRAPHICS, and
segment names against the current segments. A name that matches nothing is said, and its
filter then matches nobody: a scenario for "customers in Austin" on a twin with no Austin
reaches no one rather than everyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cdt.backends.base import Backend
from cdt.errors import BackendError, NotBuiltError
from cdt.scenario import Scenario
from cdt.scenario.filters import FILTER_WORDS, NOBODY, Filters
from cdt.scenario.places import states_of
from cdt.sqlfiles import read_sql


@dataclass
class Reach:
    """A scenario's resolved filters, what each name matched, and the warnings."""

    filters: Filters
    warnings: list[str] = field(default_factory=list)
    matched: dict[str, list[str]] = field(default_factory=dict)


def with_audience(backend: Backend, name: str) -> str:
    """``name``'s SQL with the CTE ``audience`` in front (its binds come first)."""
    return f"WITH audience AS ({read_sql('audience', backend.dialect)})\n" + read_sql(
        name, backend.dialect
    )


def resolve(backend: Backend, scenario: Scenario) -> Reach:
    """The filters of ``scenario`` in the customer tables' codes.

    Raises:
        NotBuiltError: the twin has no segments or external data to match against.
    """
    warnings: list[str] = []
    matched: dict[str, list[str]] = {}
    geo = _geography(backend) if (scenario.regions or scenario.dmas or scenario.places) else []
    region_states: tuple[str, ...] = ()
    if scenario.regions:
        known = {str(r["region"]).lower(): str(r["region"]) for r in geo if r["region"]}
        found = [known[r.lower()] for r in scenario.regions if r.lower() in known]
        for missing in [r for r in scenario.regions if r.lower() not in known]:
            warnings.append(
                f"region '{missing}' is not in EXTERNAL.ZIP_DEMOGRAPHICS (it has "
                f"{', '.join(sorted(set(known.values())))}): no customer matches it"
            )
        region_states = tuple(sorted({str(r["state_code"]) for r in geo if r["region"] in found}))
        region_states = region_states or (NOBODY,)
        matched["regions"] = found
    dmas: tuple[str, ...] = ()
    if scenario.dmas:
        codes: set[str] = set()
        for name in scenario.dmas:
            found_codes = {str(r["dma_code"]) for r in geo if _dma_matches(name, r)}
            if not found_codes:
                warnings.append(
                    f"DMA '{name}' matches no DMA code or name in EXTERNAL.ZIP_DEMOGRAPHICS: "
                    "no customer matches it"
                )
            codes |= found_codes
        dmas = tuple(sorted(codes)) or (NOBODY,)
        matched["dmas"] = sorted({str(r["dma_name"]) for r in geo if str(r["dma_code"]) in codes})
    place_zips: tuple[str, ...] = ()
    if scenario.places:
        zips: set[str] = set()
        names: set[str] = set()
        for place in scenario.places:
            hits = [r for r in geo if _place_matches(place, r)]
            if not hits:
                warnings.append(_no_place(place, geo))
            zips |= {str(r["zip_code"]) for r in hits}
            names |= {f"{r['zip_name']}, {r['state_code']}" for r in hits}
        place_zips = tuple(sorted(zips)) or (NOBODY,)
        matched["places"] = sorted(names)[:20]
    segments: tuple[str, ...] = ()
    if scenario.segments:
        segments = _segments(backend, scenario.segments, warnings, matched)
    filters = Filters(
        plans=tuple(scenario.plans),
        tenure_min=scenario.tenure_min_months,
        tenure_max=scenario.tenure_max_months,
        states=tuple(scenario.states),
        region_states=region_states,
        dmas=dmas,
        zips=tuple(scenario.zips),
        place_zips=place_zips,
        segments=segments,
        contract_types=tuple(scenario.contract_types),
        device_tiers=tuple(scenario.device_tiers),
        age_min=scenario.age_min,
        age_max=scenario.age_max,
    )
    return Reach(filters, warnings, matched)


def _geography(backend: Backend) -> list[dict[str, Any]]:
    try:
        return backend.query(read_sql("audience_geography", backend.dialect)).to_pylist()
    except BackendError as exc:
        raise NotBuiltError(
            "the twin has no EXTERNAL.ZIP_DEMOGRAPHICS to match places against",
            fix="run `cdt load` (or `cdt build`) first",
        ) from exc


def _dma_matches(name: str, row: dict[str, Any]) -> bool:
    wanted = name.strip().lower()
    dma = str(row["dma_name"] or "").lower()
    return wanted == str(row["dma_code"]) or wanted == dma or dma.startswith(wanted + ",")


def _place_matches(place: str, row: dict[str, Any]) -> bool:
    name, _, state = place.partition(",")
    name, state = name.strip().lower(), state.strip().upper()
    if state and state != str(row["state_code"]):
        return False
    return name == str(row["zip_name"] or "").lower() or _dma_matches(name, row)


def _segments(
    backend: Backend, wanted: list[str], warnings: list[str], matched: dict[str, list[str]]
) -> tuple[str, ...]:
    try:
        rows = backend.query(read_sql("audience_segments", backend.dialect)).to_pylist()
    except BackendError as exc:
        raise NotBuiltError("the twin has no segments yet", fix="run `cdt segment`") from exc
    ids: list[str] = []
    for item in wanted:
        key = re.sub(r"\s+", " ", item.strip().lower())
        hits = [
            str(r["segment_id"])
            for r in rows
            if key in (str(r["segment_id"]).lower(), str(r["segment_name"]).lower())
        ]
        if not hits:
            warnings.append(
                f"segment '{item}' is not a segment id or name of this twin (see `cdt segments`):"
                " no customer matches it"
            )
        ids += [h for h in hits if h not in ids]
    matched["segments"] = ids
    return tuple(ids) or (NOBODY,)


def _no_place(place: str, geo: list[dict[str, Any]]) -> str:
    """Why ``place`` reaches nobody, and the ``--set`` that aims the scenario where it can."""
    said = (
        f"place '{place}' is not a city or DMA name in this twin's ZIP data "
        "(EXTERNAL.ZIP_DEMOGRAPHICS), so no customer there is reached"
    )
    states = states_of(place)
    if len(states) == 1:
        return f"{said}; to reach its state instead: --set places=none --set states={states[0]}"
    if states:
        return (
            f"{said}; to reach its state instead: --set places=none --set states=XX, where XX "
            f"is the one you mean of {', '.join(states)} (each has a place named {place})"
        )
    towns = sorted({str(r["dma_name"]).split(",")[0] for r in geo})[:3]
    example = f" (this twin has e.g. {', '.join(towns)})" if towns else ""
    return f"{said}; name a place this twin has with --set places=NAME{example}"


def counts(backend: Backend, reach: Reach) -> list[dict[str, Any]]:
    """Each segment's size and how many of its customers ``reach`` affects."""
    try:
        table = backend.query(with_audience(backend, "audience_counts"), reach.filters.binds())
    except BackendError as exc:
        raise NotBuiltError(
            "the twin has no segments or features yet", fix="run `cdt build` first"
        ) from exc
    return [
        {
            "segment_id": str(r["segment_id"]),
            "segment_name": str(r["segment_name"]),
            "customers": int(r["customers"]),
            "affected": int(r["affected"]),
        }
        for r in table.to_pylist()
    ]


def explain_nobody(backend: Backend, reach: Reach) -> list[str]:
    """Why an audience is empty: the filters that alone match no customer."""
    lonely = []
    for name in reach.filters.set_names():
        alone = Reach(reach.filters.only(name))
        if sum(r["affected"] for r in counts(backend, alone)) == 0:
            lonely.append(name)
    if lonely:
        said = " and ".join(dict.fromkeys(FILTER_WORDS.get(n, n) for n in lonely))
        return [f"the {said} alone match no customer"]
    return ["each filter matches some customers, but no customer matches all of them"]


def reached(backend: Backend, scenario: Scenario) -> int:
    """How many customers ``scenario``'s audience holds."""
    return sum(int(r["affected"]) for r in counts(backend, resolve(backend, scenario)))


def hold_back_empty(backend: Backend, rules: Scenario, read: Scenario) -> Scenario:
    """``read`` (the rules' reading with the LLM's laid beside it) without each audience field
    that only the LLM read and that alone would leave nobody in the audience: each such field
    is kept at the rules' value and named in a warning with the ``--set`` that applies it."""
    from cdt.scenario.extract import llm_only, set_hint, shown
    from cdt.scenario.model import TARGETING

    added = [n for n in TARGETING if getattr(read, n) != getattr(rules, n)
             and n not in rules.overrides]  # fmt: skip
    if not added or reached(backend, rules) == 0:
        return read
    kept = read
    for name in added:
        alone = rules.model_copy(update={name: getattr(read, name)})
        if reached(backend, alone) > 0:
            continue
        value = getattr(read, name)
        kept = kept.model_copy(
            update={
                name: getattr(rules, name),
                "warnings": [
                    *(w for w in kept.warnings if w != llm_only(name, value)),
                    f"the LLM read {name} as {shown(value)}, which would reach no customer: not "
                    f"applied ({set_hint(name, value)} applies it)",
                ],
            }
        )
    return kept
