"""ZIPs, states, regions and DMAs, and the four EXTERNAL tables built on them.

ZIP codes follow the real three-digit prefix ranges of each state, so a ZIP's first digits say
where it is. A latent affluence score per ZIP drives income, cost of living, credit and home
values together; the urban/suburban/rural/remote class drives density and population.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from cdt.generate import external
from cdt.generate.gazetteer import STATES, place_name

N_ZIPS = 42_000
N_DMAS = 210
ZIP_CLASS_SHARES = np.array([0.16, 0.38, 0.36, 0.10])  # of ZIPs; customers follow population
CLASS_POPULATION_MEDIAN = np.array([28_000.0, 16_000.0, 3_500.0, 600.0])
CLASS_DENSITY_MEDIAN = np.array([7_000.0, 1_800.0, 90.0, 6.0])  # people per square mile


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
