"""ZIPs, states, regions and DMAs, and the four EXTERNAL tables built on them.

ZIP codes follow the real three-digit prefix ranges of each state, so a ZIP's first digits say
where it is. A latent affluence score per ZIP drives income, cost of living, credit and home
values together; the urban/suburban/rural/remote class drives density and population.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from cdt.generate.archetypes import URBAN_CLASSES

# (code, name, region, [(first three-digit prefix, last prefix), ...])
STATES: tuple[tuple[str, str, str, tuple[tuple[int, int], ...]], ...] = (
    ("MA", "Massachusetts", "Northeast", ((10, 27),)),
    ("RI", "Rhode Island", "Northeast", ((28, 29),)),
    ("NH", "New Hampshire", "Northeast", ((30, 38),)),
    ("ME", "Maine", "Northeast", ((39, 49),)),
    ("VT", "Vermont", "Northeast", ((50, 59),)),
    ("CT", "Connecticut", "Northeast", ((60, 69),)),
    ("NJ", "New Jersey", "Northeast", ((70, 89),)),
    ("NY", "New York", "Northeast", ((100, 149),)),
    ("PA", "Pennsylvania", "Northeast", ((150, 196),)),
    ("DE", "Delaware", "South", ((197, 199),)),
    ("DC", "District of Columbia", "South", ((200, 205),)),
    ("MD", "Maryland", "South", ((206, 219),)),
    ("VA", "Virginia", "South", ((220, 246),)),
    ("WV", "West Virginia", "South", ((247, 268),)),
    ("NC", "North Carolina", "South", ((270, 289),)),
    ("SC", "South Carolina", "South", ((290, 299),)),
    ("GA", "Georgia", "South", ((300, 319),)),
    ("FL", "Florida", "South", ((320, 349),)),
    ("AL", "Alabama", "South", ((350, 369),)),
    ("TN", "Tennessee", "South", ((370, 385),)),
    ("MS", "Mississippi", "South", ((386, 397),)),
    ("KY", "Kentucky", "South", ((400, 427),)),
    ("OH", "Ohio", "Midwest", ((430, 458),)),
    ("IN", "Indiana", "Midwest", ((460, 479),)),
    ("MI", "Michigan", "Midwest", ((480, 499),)),
    ("IA", "Iowa", "Midwest", ((500, 528),)),
    ("WI", "Wisconsin", "Midwest", ((530, 549),)),
    ("MN", "Minnesota", "Midwest", ((550, 567),)),
    ("SD", "South Dakota", "Midwest", ((570, 577),)),
    ("ND", "North Dakota", "Midwest", ((580, 588),)),
    ("MT", "Montana", "West", ((590, 599),)),
    ("IL", "Illinois", "Midwest", ((600, 629),)),
    ("MO", "Missouri", "Midwest", ((630, 658),)),
    ("KS", "Kansas", "Midwest", ((660, 679),)),
    ("NE", "Nebraska", "Midwest", ((680, 693),)),
    ("LA", "Louisiana", "South", ((700, 714),)),
    ("AR", "Arkansas", "South", ((716, 729),)),
    ("OK", "Oklahoma", "South", ((730, 749),)),
    ("TX", "Texas", "South", ((750, 799),)),
    ("CO", "Colorado", "West", ((800, 816),)),
    ("WY", "Wyoming", "West", ((820, 831),)),
    ("ID", "Idaho", "West", ((832, 838),)),
    ("UT", "Utah", "West", ((840, 847),)),
    ("AZ", "Arizona", "West", ((850, 865),)),
    ("NM", "New Mexico", "West", ((870, 884),)),
    ("NV", "Nevada", "West", ((889, 898),)),
    ("CA", "California", "West", ((900, 961),)),
    ("HI", "Hawaii", "West", ((967, 968),)),
    ("OR", "Oregon", "West", ((970, 979),)),
    ("WA", "Washington", "West", ((980, 994),)),
    ("AK", "Alaska", "West", ((995, 999),)),
)
N_ZIPS = 42_000
N_DMAS = 210
ZIP_CLASS_SHARES = np.array([0.16, 0.38, 0.36, 0.10])  # of ZIPs; customers follow population
CLASS_POPULATION_MEDIAN = np.array([28_000.0, 16_000.0, 3_500.0, 600.0])
CLASS_DENSITY_MEDIAN = np.array([7_000.0, 1_800.0, 90.0, 6.0])  # people per square mile
_NAME_HEADS = (
    "Spring",
    "River",
    "Lake",
    "Fair",
    "Green",
    "Oak",
    "Maple",
    "Cedar",
    "Pine",
    "Clear",
    "Rock",
    "Sun",
    "West",
    "North",
    "East",
    "South",
    "Mill",
    "Glen",
    "Bay",
    "Port",
    "Ash",
    "Elm",
    "Stone",
    "Wolf",
    "Eagle",
    "Silver",
    "Red",
    "White",
    "Black",
    "Brook",
)
_NAME_TAILS = (
    "field",
    "ton",
    "ville",
    "dale",
    "wood",
    "view",
    "port",
    "ford",
    "burg",
    "haven",
    "crest",
    "ridge",
    "mont",
    "wick",
    "stead",
)
LIFESTYLES = (
    "Urban Achievers",
    "Young City Strivers",
    "Suburban Families",
    "Comfortable Empty Nesters",
    "Country Traditionalists",
    "Rural Working Class",
    "College Town Renters",
    "Affluent Professionals",
    "Budget Households",
    "Retired Communities",
)
COMPETITOR_PROMOS = (
    "Switch and get $200 per line",
    "Free streaming bundle for a year",
    "3 months free service",
    "Buy one get one flagship phone",
    "$25/month unlimited for new lines",
    "No promo running",
)


@dataclass(frozen=True)
class Geography:
    """Everything customers need from geography, as arrays indexed by ZIP position."""

    zip_code: np.ndarray  # str
    state_index: np.ndarray
    dma_index: np.ndarray
    urban_class: np.ndarray  # 0..3, URBAN_CLASSES order
    population: np.ndarray
    affluence: np.ndarray  # latent, N(0,1)-ish
    dma_code: np.ndarray  # per DMA, str
    tables: dict[str, pl.DataFrame]

    @property
    def state_code(self) -> np.ndarray:
        """State codes indexed by state position."""
        return np.array([state[0] for state in STATES])


def place_name(rng: np.random.Generator, n: int) -> np.ndarray:
    heads = rng.integers(0, len(_NAME_HEADS), n)
    tails = rng.integers(0, len(_NAME_TAILS), n)
    return np.char.add(np.array(_NAME_HEADS)[heads], np.array(_NAME_TAILS)[tails])


def build(seed: int) -> Geography:
    """Draw ZIPs, DMAs and the EXTERNAL tables. Independent of scale."""
    rng = np.random.default_rng([seed, 1])
    prefixes: list[int] = []
    prefix_state: list[int] = []
    for index, (_, _, _, ranges) in enumerate(STATES):
        for first, last in ranges:
            prefixes.extend(range(first, last + 1))
            prefix_state.extend([index] * (last - first + 1))
    prefix_arr, prefix_state_arr = np.array(prefixes), np.array(prefix_state)
    codes = rng.choice(len(prefix_arr) * 100, size=N_ZIPS, replace=False)
    codes.sort()
    zip_int = prefix_arr[codes // 100] * 100 + codes % 100
    state_index = prefix_state_arr[codes // 100]
    zip_code = np.char.zfill(zip_int.astype(str), 5)

    urban = rng.choice(4, size=N_ZIPS, p=ZIP_CLASS_SHARES)
    population = (
        np.round(CLASS_POPULATION_MEDIAN[urban] * rng.lognormal(0, 0.6, N_ZIPS)).astype(np.int64)
        + 50
    )
    density = CLASS_DENSITY_MEDIAN[urban] * rng.lognormal(0, 0.5, N_ZIPS)
    land_area = np.maximum(population / density, 0.05)
    state_effect = rng.normal(0, 0.35, len(STATES))
    affluence = (
        state_effect[state_index]
        + np.array([0.25, 0.45, -0.35, -0.6])[urban]
        + rng.normal(0, 0.8, N_ZIPS)
    )

    dma_index, dma_state = _assign_dmas(rng, state_index, population)
    dma_code = np.array([str(500 + i * 381 // (N_DMAS - 1)) for i in range(N_DMAS)])
    dma_name = np.char.add(
        np.char.add(place_name(rng, N_DMAS), ", "), np.array([STATES[s][0] for s in dma_state])
    )

    geo_cols = {
        "zip_code": zip_code,
        "state_index": state_index,
        "dma_index": dma_index,
        "urban": urban,
        "population": population,
        "density": density,
        "land_area": land_area,
        "affluence": affluence,
    }
    from cdt.generate import external

    tables = external.tables(rng, geo_cols, dma_code, dma_name, dma_state)
    return Geography(
        zip_code, state_index, dma_index, urban, population, affluence, dma_code, tables
    )


def _assign_dmas(
    rng: np.random.Generator, state_index: np.ndarray, population: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every state gets at least one DMA; the rest go by population. ZIPs join a DMA of their
    state, weighted so that DMAs differ in size."""
    n_states = len(STATES)
    state_pop = np.bincount(state_index, weights=population, minlength=n_states)
    extra = np.floor((N_DMAS - n_states) * state_pop / state_pop.sum()).astype(int)
    order = np.argsort(-(N_DMAS - n_states) * state_pop / state_pop.sum() % 1)
    extra[order[: N_DMAS - n_states - extra.sum()]] += 1
    per_state = 1 + extra
    dma_state = np.repeat(np.arange(n_states), per_state)
    first_dma = np.concatenate([[0], np.cumsum(per_state)[:-1]])
    weights = rng.dirichlet(np.ones(per_state.max()) * 0.8, size=n_states)
    u = rng.random(len(state_index))
    dma_index = np.empty(len(state_index), dtype=np.int64)
    for s in range(n_states):  # 51 states, vectorised within each
        members = state_index == s
        w = weights[s, : per_state[s]]
        cumulative = np.cumsum(w / w.sum())
        local = np.minimum(np.searchsorted(cumulative, u[members]), per_state[s] - 1)
        dma_index[members] = first_dma[s] + local
    return dma_index, dma_state


def class_names(urban: np.ndarray) -> np.ndarray:
    return np.array(URBAN_CLASSES)[urban]
