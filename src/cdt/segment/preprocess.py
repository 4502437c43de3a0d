"""Turn feature columns into a numeric matrix: impute, log skewed numbers, scale, one-hot.

The choices (which columns, log or not, weights, categories, means and scales) are fitted once
and recorded with the segmentation run, so a run can be reproduced and compared.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import polars as pl

from cdt.errors import ConfigError

#: The default clustering features and weights: behaviour first, plus one EXTERNAL feature
#: (ZIP population density). Benchmarks compare this with and without the EXTERNAL part.
DEFAULT_FEATURES = (
    "age:1.5,tenure_months,plan_price,lines_on_account,monthly_arpu,avg_data_usage_gb:1.5,"
    "avg_voice_minutes,support_contacts_12m,avg_sentiment_score,complaint_rate,"
    "app_engagement_score,device_tier,population_density"
)
#: Columns of CUSTOMER_FEATURES_ENRICHED that come from EXTERNAL tables.
EXTERNAL_COLUMNS = frozenset(
    {
        "total_population",
        "population_density",
        "urban_rural_class",
        "median_household_income",
        "zip_median_age",
        "zip_education",
        "pct_family_households",
        "cost_of_living_index",
        "unemployment_rate",
        "zip_credit_score",
        "poverty_rate",
        "local_market_share",
        "price_war_intensity",
        "competitor_avg_price",
        "primary_lifestyle",
        "tech_adoption_score",
        "price_sensitivity_index",
        "brand_loyalty_index",
        "early_adopter_index",
        "zip_switch_propensity",
        "deal_seeker_index",
    }
)
#: Columns never used for clustering (identifiers and geography codes).
NOT_FEATURES = frozenset({"customer_id", "zip_code", "state_code", "dma_code"})
SKEW_FOR_LOG = 1.0


@dataclass(frozen=True)
class FeatureSpec:
    """One requested feature and its weight."""

    name: str
    weight: float = 1.0


def parse_features(text: str) -> tuple[FeatureSpec, ...]:
    """Parse ``"age:1.5,tenure_months,device_tier"`` into feature specs.

    Raises:
        ConfigError: empty list, a bad weight or a repeated name.
    """
    specs = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, _, weight_text = item.partition(":")
        try:
            weight = float(weight_text) if weight_text else 1.0
        except ValueError:
            raise ConfigError(
                f"feature weight {weight_text!r} of {name} is not a number",
                fix="write features as name or name:weight, e.g. age:1.5",
            ) from None
        if not np.isfinite(weight) or weight <= 0:
            raise ConfigError(f"feature weight of {name} must be positive", fix="use a weight > 0")
        specs.append(FeatureSpec(name.strip().lower(), weight))
    names = [spec.name for spec in specs]
    if not specs:
        raise ConfigError("no features given", fix=f"e.g. --features {DEFAULT_FEATURES[:40]}…")
    if len(set(names)) != len(names):
        raise ConfigError("a feature is listed twice", fix="list each feature once")
    return tuple(specs)


def check_available(specs: tuple[FeatureSpec, ...], schema: dict[str, pl.DataType]) -> None:
    """Raise ConfigError naming any feature the features table does not have."""
    available = sorted(name for name in schema if name not in NOT_FEATURES)
    unknown = [spec.name for spec in specs if spec.name not in available]
    if unknown:
        raise ConfigError(
            f"unknown feature(s): {', '.join(unknown)}",
            fix=f"choose from the columns of ANALYTICS.CUSTOMER_FEATURES_ENRICHED: "
            f"{', '.join(available)}",
        )


@dataclass
class ColumnTransform:
    """How one feature becomes one or more matrix columns."""

    name: str
    weight: float
    kind: str  # "numeric" or "categorical"
    log: bool = False
    fill: float = 0.0
    mean: float = 0.0
    scale: float = 1.0
    categories: list[str] = field(default_factory=list)
    category_means: list[float] = field(default_factory=list)
    category_scales: list[float] = field(default_factory=list)


@dataclass
class Preprocessor:
    """Fitted transforms for a list of features."""

    columns: list[ColumnTransform]

    @classmethod
    def fit(cls, frame: pl.DataFrame, specs: tuple[FeatureSpec, ...]) -> Preprocessor:
        columns = []
        for spec in specs:
            series = frame[spec.name]
            if series.dtype in (pl.String, pl.Categorical, pl.Enum, pl.Boolean):
                labels = series.cast(pl.String).fill_null("(missing)").to_numpy()
                categories = sorted(set(labels.tolist()))
                shares = [float(np.mean(labels == c)) for c in categories]
                columns.append(
                    ColumnTransform(
                        spec.name,
                        spec.weight,
                        "categorical",
                        categories=categories,
                        category_means=shares,
                        category_scales=[max(float(np.sqrt(s * (1 - s))), 1e-9) for s in shares],
                    )
                )
                continue
            raw = series.cast(pl.Float64).to_numpy()
            fill = float(np.nanmedian(raw)) if np.isfinite(raw).any() else 0.0
            filled = np.where(np.isfinite(raw), raw, fill)
            log = bool(filled.min() >= 0 and _skew(filled) > SKEW_FOR_LOG)
            numbers = np.log1p(filled) if log else filled
            columns.append(
                ColumnTransform(
                    spec.name,
                    spec.weight,
                    "numeric",
                    log=log,
                    fill=fill,
                    mean=float(numbers.mean()),
                    scale=float(numbers.std()) or 1.0,
                )
            )
        return cls(columns)

    def transform(self, frame: pl.DataFrame) -> np.ndarray:
        """The weighted, scaled matrix (rows × matrix columns), float64."""
        parts: list[np.ndarray] = []
        for column in self.columns:
            series = frame[column.name]
            if column.kind == "categorical":
                values = series.cast(pl.String).fill_null("(missing)").to_numpy()
                # Each one-hot block is scaled so a categorical feature weighs like one number.
                block = 1.0 / np.sqrt(len(column.categories))
                for category, mean, scale in zip(
                    column.categories, column.category_means, column.category_scales, strict=True
                ):
                    parts.append(column.weight * block * ((values == category) - mean) / scale)
                continue
            raw = series.cast(pl.Float64).to_numpy()
            filled = np.where(np.isfinite(raw), raw, column.fill)
            values = np.log1p(np.maximum(filled, 0)) if column.log else filled
            parts.append(column.weight * (values - column.mean) / column.scale)
        # The stacked parts are float64 already: no second, converted copy.
        return np.column_stack(parts).astype(np.float64, copy=False)

    def to_dict(self) -> dict[str, object]:
        return {"columns": [asdict(column) for column in self.columns]}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Preprocessor:
        raw = data["columns"]
        assert isinstance(raw, list)
        return cls([ColumnTransform(**column) for column in raw])


def _skew(values: np.ndarray) -> float:
    """Sample skewness (0 for a constant column), on an evenly spaced subsample of ≤ 50,000."""
    values = values[:: max(1, len(values) // 50_000)]
    std = values.std()
    return 0.0 if std == 0 else float(np.mean(((values - values.mean()) / std) ** 3))
