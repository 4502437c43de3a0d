"""EXTERNAL tables (spec §3.2): census, economic, competitive and lifestyle data.

Columns move together through the ZIP's latent affluence and urban class: richer ZIPs have
higher incomes, costs, credit scores and home values and lower poverty; denser ZIPs adopt
technology faster and switch carriers more readily.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from cdt.generate.archetypes import URBAN_CLASSES
from cdt.generate.gazetteer import COMPETITOR_PROMOS, LIFESTYLES, STATES, place_name


def _shares(rng: np.random.Generator, alpha: np.ndarray) -> np.ndarray:
    """Rows of percentages (two decimals) that sum to ~100, one row per ZIP."""
    gamma = rng.gamma(np.maximum(alpha, 0.05))
    return np.round(100 * gamma / gamma.sum(axis=1, keepdims=True), 2)


def _pct(x: np.ndarray) -> np.ndarray:
    return np.round(np.clip(x, 0, 100), 2)


def tables(
    rng: np.random.Generator,
    geo: dict[str, Any],
    dma_code: np.ndarray,
    dma_name: np.ndarray,
    dma_state: np.ndarray,
) -> dict[str, pl.DataFrame]:
    """Build ZIP_DEMOGRAPHICS, ECONOMIC_INDICATORS, LIFESTYLE_SEGMENTS, COMPETITIVE_LANDSCAPE."""
    n = len(geo["zip_code"])
    urban, aff = geo["urban"], geo["affluence"]
    state_index, dma_index = geo["state_index"], geo["dma_index"]
    is_urban = (urban == 0).astype(float)
    rural_ness = np.array([0.0, 0.3, 0.8, 1.0])[urban]

    median_age = np.round(
        np.clip(38 + 6 * rural_ness - 3 * is_urban + rng.normal(0, 4, n), 22, 70), 1
    )
    young = np.clip(1 - (median_age - 22) / 48, 0.05, 1)
    ages = _shares(
        rng,
        np.stack(
            [
                8 * young,
                10 * young,
                8 + 0 * young,
                7 + 0 * young,
                6 * (1.2 - young),
                6 * (1.3 - young),
            ],
            axis=1,
        ),
    )
    income = np.round(np.exp(11.05 + 0.32 * aff + rng.normal(0, 0.12, n))).astype(np.int64)
    income_bands = _shares(
        rng,
        np.stack(
            [
                np.exp(-0.9 * aff) * 4,
                np.exp(-0.5 * aff) * 5,
                5 + 0 * aff,
                4 + 0 * aff,
                np.exp(0.5 * aff) * 4,
                np.exp(1.0 * aff) * 3,
            ],
            axis=1,
        ),
    )
    education = _shares(
        rng,
        np.stack(
            [
                np.exp(-0.4 * aff) * 6,
                6 + 0 * aff,
                np.exp(0.5 * aff) * 4,
                np.exp(0.8 * aff) * 2,
                np.exp(-0.6 * aff) * 3,
            ],
            axis=1,
        ),
    )[:, :4]
    owner = _pct(55 + 10 * aff + 15 * rural_ness - 15 * is_urban + rng.normal(0, 6, n))
    home_value = np.round(np.exp(12.3 + 0.55 * aff + 0.4 * is_urban + rng.normal(0, 0.15, n)))
    family = _pct(62 + 8 * (1 - young) - 10 * is_urban + rng.normal(0, 6, n))
    race = _shares(
        rng,
        np.stack(
            [6 + 4 * rural_ness, 1.2 + 0 * aff, 1.5 + is_urban, 0.5 + is_urban, 0.4 + 0 * aff],
            axis=1,
        ),
    )
    collar = _shares(rng, np.stack([4 + 2 * aff, 3 + 2 * rural_ness, 3 + 0 * aff], axis=1))
    state_name = np.array([s[1] for s in STATES])[state_index]

    zip_demo = pl.DataFrame(
        {
            "zip_code": geo["zip_code"],
            "zip_name": place_name(rng, n),
            "state_code": np.array([s[0] for s in STATES])[state_index],
            "state_name": state_name,
            "region": np.array([s[2] for s in STATES])[state_index],
            "dma_code": dma_code[dma_index],
            "dma_name": dma_name[dma_index],
            "total_population": geo["population"],
            "population_density": np.round(geo["density"], 2),
            "land_area_sq_miles": np.round(geo["land_area"], 2),
            "urban_rural_class": np.array(URBAN_CLASSES)[urban],
            "pct_age_18_24": ages[:, 0],
            "pct_age_25_34": ages[:, 1],
            "pct_age_35_44": ages[:, 2],
            "pct_age_45_54": ages[:, 3],
            "pct_age_55_64": ages[:, 4],
            "pct_age_65_plus": ages[:, 5],
            "median_age": median_age,
            "median_household_income": income,
            "mean_household_income": np.round(income * rng.uniform(1.15, 1.35, n)).astype(np.int64),
            "per_capita_income": np.round(income * rng.uniform(0.38, 0.5, n)).astype(np.int64),
            "pct_income_under_25k": income_bands[:, 0],
            "pct_income_25k_50k": income_bands[:, 1],
            "pct_income_50k_75k": income_bands[:, 2],
            "pct_income_75k_100k": income_bands[:, 3],
            "pct_income_100k_150k": income_bands[:, 4],
            "pct_income_150k_plus": income_bands[:, 5],
            "pct_high_school": education[:, 0],
            "pct_some_college": education[:, 1],
            "pct_bachelors": education[:, 2],
            "pct_graduate_degree": education[:, 3],
            "pct_owner_occupied": owner,
            "pct_renter_occupied": _pct(100 - owner),
            "median_home_value": home_value.astype(np.int64),
            "median_rent": np.round(home_value * 0.0045 + rng.normal(0, 60, n)).astype(np.int64),
            "avg_household_size": np.round(
                np.clip(2.5 + 0.5 * family / 100 + rng.normal(0, 0.2, n), 1.5, 4.5), 1
            ),
            "pct_family_households": family,
            "pct_married_couples": _pct(family * rng.uniform(0.65, 0.8, n)),
            "pct_single_parent": _pct(family * rng.uniform(0.12, 0.25, n)),
            "pct_living_alone": _pct(100 - family - rng.uniform(3, 10, n)),
            "labor_force_participation": _pct(63 + 4 * aff - 5 * (1 - young) + rng.normal(0, 3, n)),
            "pct_white_collar": collar[:, 0],
            "pct_blue_collar": collar[:, 1],
            "pct_service_industry": collar[:, 2],
            "pct_white": race[:, 0],
            "pct_black": race[:, 1],
            "pct_hispanic": race[:, 2],
            "pct_asian": race[:, 3],
            "pct_other_race": race[:, 4],
        }
    )

    col = 100 + 18 * aff + 20 * is_urban + rng.normal(0, 5, n)
    credit = np.round(np.clip(705 + 28 * aff + rng.normal(0, 10, n), 560, 820)).astype(np.int64)
    poverty = _pct(13 - 5 * aff + 3 * rural_ness + rng.normal(0, 2, n))
    economic = pl.DataFrame(
        {
            "zip_code": geo["zip_code"],
            "cost_of_living_index": np.round(col, 1),
            # an index is positive: the steep slope took the cheapest ZIPs below zero
            "housing_cost_index": np.round(
                np.maximum(100 + 2.2 * (col - 100) + rng.normal(0, 8, n), 20.0), 1
            ),
            "utilities_cost_index": np.round(100 + 0.3 * (col - 100) + rng.normal(0, 5, n), 1),
            "transportation_index": np.round(100 + 0.5 * (col - 100) + rng.normal(0, 5, n), 1),
            "groceries_index": np.round(100 + 0.4 * (col - 100) + rng.normal(0, 3, n), 1),
            "healthcare_index": np.round(100 + 0.4 * (col - 100) + rng.normal(0, 4, n), 1),
            "unemployment_rate": np.round(
                np.clip(4.2 - 1.0 * aff + rng.normal(0, 0.8, n), 1.5, 15), 2
            ),
            "job_growth_rate_yoy": np.round(1.5 + 0.6 * aff + rng.normal(0, 1, n), 2),
            "poverty_rate": poverty,
            "food_insecurity_rate": _pct(poverty * 0.85 + rng.normal(0, 1.5, n)),
            "uninsured_rate": _pct(8 - 2 * aff + rng.normal(0, 1.5, n)),
            "home_price_growth_yoy": np.round(4 + aff + rng.normal(0, 2, n), 2),
            "rent_growth_yoy": np.round(3.5 + 0.5 * aff + rng.normal(0, 1.5, n), 2),
            "vacancy_rate": _pct(7 + 3 * rural_ness - aff + rng.normal(0, 1.5, n)),
            "avg_credit_score": credit,
            "pct_prime_credit": _pct(60 + 0.35 * (credit - 705) + rng.normal(0, 3, n)),
            "pct_subprime_credit": _pct(18 - 0.2 * (credit - 705) + rng.normal(0, 2, n)),
            "avg_debt_to_income": _pct(36 - 3 * aff + rng.normal(0, 3, n)),
            "retail_sales_per_capita": np.round(
                14_000 * np.exp(0.2 * aff) + rng.normal(0, 1500, n)
            ).astype(np.int64),
            "ecommerce_penetration": _pct(22 + 4 * aff + 5 * is_urban + rng.normal(0, 3, n)),
            "data_as_of_date": np.full(n, np.datetime64("2024-10-01")),
        }
    )

    tech = np.round(
        np.clip(
            55
            + 8 * aff
            + 15 * is_urban
            - 20 * rural_ness
            + 25 * (young - 0.5)
            + rng.normal(0, 7, n),
            5,
            99,
        )
    ).astype(np.int64)
    switching = _pct(14 + 6 * is_urban - 4 * rural_ness + 8 * (young - 0.5) + rng.normal(0, 3, n))
    lifestyle_logits = np.stack(
        [
            2 * is_urban + aff,
            2 * is_urban + 2 * young,
            2 * (urban == 1) + 0.5 * aff,
            (urban == 1) + (1 - young),
            3 * rural_ness - aff,
            3 * rural_ness - 0.5 * aff,
            2 * young,
            2 * aff,
            -1.5 * aff,
            2 * (1 - young),
        ],
        axis=1,
    ) + rng.gumbel(size=(n, len(LIFESTYLES)))
    ranked = np.argsort(-lifestyle_logits, axis=1)
    iphone = _pct(48 + 8 * aff + 6 * is_urban - 6 * rural_ness + rng.normal(0, 4, n))
    channels = _shares(
        rng,
        np.stack([4 + 3 * young, 3 + 2 * rural_ness, 2 + 2 * rural_ness, 2 + 2 * young], axis=1),
    )
    lifestyle = pl.DataFrame(
        {
            "zip_code": geo["zip_code"],
            "primary_lifestyle": np.array(LIFESTYLES)[ranked[:, 0]],
            "secondary_lifestyle": np.array(LIFESTYLES)[ranked[:, 1]],
            "lifestyle_diversity": np.round(rng.beta(4, 3, n), 2),
            "tech_adoption_score": tech,
            "smartphone_penetration": _pct(86 + 0.1 * tech + rng.normal(0, 2, n)),
            "pct_iphone": iphone,
            "pct_android": _pct(100 - iphone - rng.uniform(0, 2, n)),
            "smart_home_adoption": _pct(0.45 * tech + rng.normal(0, 4, n)),
            "streaming_penetration": _pct(60 + 0.3 * tech + rng.normal(0, 4, n)),
            "cord_cutter_rate": _pct(20 + 0.3 * tech + 10 * (young - 0.5) + rng.normal(0, 4, n)),
            "avg_daily_screen_time": np.round(
                np.clip(4.5 + 2.5 * young + rng.normal(0, 0.5, n), 2, 11), 1
            ),
            "social_media_heavy_pct": _pct(25 + 30 * (young - 0.3) + rng.normal(0, 4, n)),
            "online_shopping_pct": _pct(50 + 0.3 * tech + rng.normal(0, 5, n)),
            "mobile_banking_pct": _pct(45 + 0.4 * tech + rng.normal(0, 5, n)),
            "streaming_hours_week": np.round(
                np.clip(14 + 8 * young + rng.normal(0, 3, n), 2, 60), 1
            ),
            "gaming_hours_week": np.round(np.clip(4 + 10 * young + rng.normal(0, 2, n), 0, 40), 1),
            "news_consumption": np.array(["Low", "Medium", "High"])[
                np.clip(np.round(1 + (1 - young) + rng.normal(0, 0.6, n)), 0, 2).astype(int)
            ],
            "primary_news_source": np.array(
                ["Social Media", "Streaming/Online", "Local TV", "Cable News", "Radio", "Print"]
            )[
                np.clip(
                    np.round(2.5 - 3 * (young - 0.5) + 1.2 * rural_ness + rng.normal(0, 1, n)), 0, 5
                ).astype(int)
            ],
            "price_sensitivity_index": np.round(
                np.clip(50 - 12 * aff + rng.normal(0, 8, n), 1, 100)
            ).astype(np.int64),
            "brand_loyalty_index": np.round(
                np.clip(50 + 10 * rural_ness - 8 * young + rng.normal(0, 8, n), 1, 100)
            ).astype(np.int64),
            "eco_consciousness": np.round(
                np.clip(50 + 6 * aff + 8 * is_urban + rng.normal(0, 8, n), 1, 100)
            ).astype(np.int64),
            "early_adopter_index": np.round(
                np.clip(0.8 * tech + rng.normal(0, 6, n), 1, 100)
            ).astype(np.int64),
            "pref_channel_digital": channels[:, 0],
            "pref_channel_phone": channels[:, 1],
            "pref_channel_store": channels[:, 2],
            "pref_channel_chat": channels[:, 3],
            "avg_data_usage_gb": np.round(
                np.clip(10 + 0.15 * tech + 8 * young + rng.normal(0, 2, n), 2, 80), 1
            ),
            "avg_lines_per_account": np.round(
                np.clip(1.6 + family / 100 + rng.normal(0, 0.2, n), 1, 5), 1
            ),
            "family_plan_propensity": _pct(family * 0.55 + rng.normal(0, 4, n)),
            "premium_plan_propensity": _pct(20 + 8 * aff + 5 * is_urban + rng.normal(0, 4, n)),
            "prepaid_propensity": _pct(18 - 6 * aff + rng.normal(0, 4, n)),
            "deal_seeker_index": np.round(
                np.clip(50 - 10 * aff + 8 * young + rng.normal(0, 8, n), 1, 100)
            ).astype(np.int64),
            "switching_propensity": switching,
            "competitor_awareness": _pct(55 + 10 * is_urban + rng.normal(0, 8, n)),
        }
    )

    competitive = _competitive(rng, zip_demo, dma_code, dma_name)
    return {
        "zip_demographics": zip_demo,
        "economic_indicators": economic,
        "competitive_landscape": competitive,
        "lifestyle_segments": lifestyle,
    }


def _competitive(
    rng: np.random.Generator, zip_demo: pl.DataFrame, dma_code: np.ndarray, dma_name: np.ndarray
) -> pl.DataFrame:
    m = len(dma_code)
    population = (
        zip_demo.group_by("dma_code")
        .agg(pl.col("total_population").sum())
        .join(pl.DataFrame({"dma_code": dma_code}), on="dma_code", how="right")
        .select(pl.col("total_population").fill_null(0))
        .to_series()
        .to_numpy()
    )
    shares = _shares(rng, np.tile([2.0, 6.0, 5.0, 4.5, 1.2], (m, 1)) * 4)
    subs = np.round(population * rng.uniform(1.05, 1.25, m)).astype(np.int64)
    war = rng.choice(3, size=m, p=[0.35, 0.45, 0.20])
    base_price = 68 + 4 * war
    return pl.DataFrame(
        {
            "dma_code": dma_code,
            "dma_name": dma_name,
            "total_wireless_subs": subs,
            "market_size_revenue": np.round(subs * rng.uniform(50, 60, m), 2),  # monthly, $
            "yoy_market_growth": np.round(rng.normal(1.8, 1.0, m), 2),
            "snowmobile_subs": np.round(subs * shares[:, 0] / 100).astype(np.int64),
            "snowmobile_market_share": shares[:, 0],
            "snowmobile_nps": np.round(rng.normal(28, 8, m)).astype(np.int64),
            "snowmobile_coverage_pct": _pct(rng.normal(93, 4, m)),
            "snowmobile_5g_pct": _pct(rng.normal(70, 12, m)),
            "vz_market_share": shares[:, 1],
            "vz_avg_price": np.round(base_price + 8 + rng.normal(0, 3, m), 2),
            "vz_nps": np.round(rng.normal(32, 6, m)).astype(np.int64),
            "vz_coverage_pct": _pct(rng.normal(97, 2, m)),
            "att_market_share": shares[:, 2],
            "att_avg_price": np.round(base_price + 4 + rng.normal(0, 3, m), 2),
            "att_nps": np.round(rng.normal(26, 6, m)).astype(np.int64),
            "att_coverage_pct": _pct(rng.normal(95, 3, m)),
            "tmo_market_share": shares[:, 3],
            "tmo_avg_price": np.round(base_price + rng.normal(0, 3, m), 2),
            "tmo_nps": np.round(rng.normal(34, 6, m)).astype(np.int64),
            "tmo_coverage_pct": _pct(rng.normal(94, 3, m)),
            "regional_market_share": shares[:, 4],
            "regional_avg_price": np.round(base_price - 12 + rng.normal(0, 4, m), 2),
            "market_concentration": np.round((shares**2).sum(axis=1) / 100, 2),
            "price_war_intensity": np.array(["Low", "Medium", "High"])[war],
            "recent_competitor_promo": np.array(COMPETITOR_PROMOS)[rng.integers(0, 6, m)],
            "promo_end_date": np.datetime64("2024-12-31")
            + rng.integers(0, 120, m).astype("timedelta64[D]"),
        }
    )
