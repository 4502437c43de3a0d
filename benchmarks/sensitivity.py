"""Prototype, benchmarks only: does a learned price-sensitivity band fix the response model's
mixing bias? (issue #7's next step; nothing in the pipeline uses this yet.)

The response model prices every customer of a cell (segment × plan × tenure band × risk band)
alike, so a segment's loyal customers who share cells with a minority of steep-sloped ones are
over-predicted. Here an L2 logistic regression of "churned or threatened to" on delivered price
notices learns, from customer features × the price delta, how steeply each customer reacts; each
customer is banded by the tercile of that fitted slope, and the band is crossed with the risk
band. The model is then refitted on a copy of the twin both ways and each archetype's churn at a
price notice is compared with the generator's hidden truth.

    CDT_BENCH_HOME=/path/to/built/twin python benchmarks/sensitivity.py [TERCILES]

The twin must be built at scale >= 0.1 with its generated data (truth) under <home>/data.
Caveat: the scorer sees every campaign, so this is not a backtest (the built version must fit
it on training campaigns only).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from run import churn_by_archetype  # benchmarks/run.py, beside this script
from sklearn.linear_model import LogisticRegression

import cdt.calibrate as C
from cdt import api
from cdt.calibrate import fit_model, read_cells
from cdt.calibrate import model as M
from cdt.config import load_settings
from cdt.generate import archetypes as A
from cdt.sqlfiles import read_sql

FEATURES = (
    "age", "tenure_months", "plan_price", "lines_on_account", "monthly_arpu",
    "avg_data_usage_gb", "avg_voice_minutes", "support_contacts_12m", "avg_sentiment_score",
    "complaint_rate", "app_engagement_score", "population_density", "churn_risk_score",
    "nps_score", "complaint_count_12m", "lifetime_value",
)  # fmt: skip


def slope_bands(con: duckdb.DuckDBPyConnection, terciles: int) -> pa.Table:
    """Each customer's band by the fitted slope of churn-or-threat log-odds per $5."""
    columns = ", ".join(f"CAST(f.{c} AS DOUBLE) AS {c}" for c in FEATURES)
    people = con.execute(
        f"SELECT f.customer_id, s.segment_id, {columns} "  # noqa: S608
        "FROM ANALYTICS.CUSTOMER_FEATURES_ENRICHED f "
        "JOIN ANALYTICS.CUSTOMER_SEGMENTS s USING (customer_id) ORDER BY f.customer_id"
    ).fetchnumpy()
    notices = con.execute(
        "SELECT customer_id, CAST(offer_value AS DOUBLE) AS delta, "
        "offer_type LIKE '%Value Add%' AS value_add, "
        "response_type IN ('churned', 'threatened_churn') AS adverse "
        "FROM RAW.CAMPAIGN_RESPONSES WHERE delivered AND campaign_type = 'Price Change Notice'"
    ).fetchnumpy()
    x = np.column_stack([np.nan_to_num(np.asarray(people[c], float)) for c in FEATURES])
    for skewed in ("population_density", "lifetime_value"):
        i = FEATURES.index(skewed)
        x[:, i] = np.log1p(np.maximum(x[:, i], 0))
    z = (x - x.mean(0)) / (x.std(0) + 1e-9)
    segments = np.unique(people["segment_id"])
    s = (people["segment_id"][:, None] == segments[None]).astype(float)

    def design(rows: np.ndarray, delta: np.ndarray, value_add: np.ndarray) -> np.ndarray:
        d = delta[:, None] / M.DELTA_SCALE
        va = value_add[:, None].astype(float)
        return np.hstack(
            [z[rows], s[rows], z[rows] * d, s[rows] * d, va * s[rows], np.maximum(-d, 0)]
        )

    rows = np.searchsorted(people["customer_id"], notices["customer_id"])
    started = time.perf_counter()
    scorer = LogisticRegression(C=1.0, max_iter=500).fit(
        design(rows, notices["delta"], notices["value_add"]), notices["adverse"]
    )
    everyone, n = np.arange(len(z)), len(z)
    slope = scorer.decision_function(
        design(everyone, np.full(n, 5.0), np.zeros(n))
    ) - scorer.decision_function(design(everyone, np.zeros(n), np.zeros(n)))
    cuts = np.quantile(slope, np.linspace(0, 1, terciles + 1)[1:-1])
    print(f"scorer: {len(rows):,} notices, fitted in {time.perf_counter() - started:.1f} s")
    return pa.table({"customer_id": people["customer_id"], "band": np.searchsorted(cuts, slope)})


def truth_check(settings: object, home: Path, bands_sql: str, risk_bands: int, label: str) -> None:
    """Refit the point model with ``bands_sql`` as the customer bands; print model/truth."""
    original = C.read_sql
    C.read_sql = lambda name, dialect: (
        bands_sql if name == "response_bands" else original(name, dialect)
    )  # type: ignore[assignment]
    M.RISK_BANDS = risk_bands
    try:
        with api.connect(settings, read_only=True) as backend:  # type: ignore[arg-type]
            cells = read_cells(backend)
            rows = backend.query(
                f"SELECT b.*, f.tenure_months FROM ({bands_sql}) b "  # noqa: S608
                "JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f USING (customer_id)"
            ).to_pydict()
        started = time.perf_counter()
        fitted = fit_model(cells, replicates=0).fitted
        seconds = time.perf_counter() - started
    finally:
        C.read_sql = original
    names = list(A.ARCHETYPE_NAMES)
    print(f"{label}: {len(cells['segment_id']):,} cells, point fit {seconds:.1f} s")
    for delta in (5.0, 10.0, -5.0):
        ratios = [m / t for m, t in churn_by_archetype(fitted, rows, home, delta)]
        inside = sum(abs(r - 1) <= 0.25 for r in ratios)
        shown = " ".join(
            f"{name.split()[0][:7]} {r:.2f}" for name, r in zip(names, ratios, strict=True)
        )
        print(f"  ${delta:+.0f}: {shown}  ({inside}/{len(names)} within 25%)")


def main() -> int:
    home = Path(os.environ["CDT_BENCH_HOME"])
    terciles = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory(prefix="cdt-sens-") as folder:
        copy = Path(folder)
        shutil.copy(home / "cdt.duckdb", copy / "cdt.duckdb")
        con = duckdb.connect(str(copy / "cdt.duckdb"))
        con.register("slope_bands", slope_bands(con, terciles))
        con.execute("CREATE TABLE ANALYTICS.EXP_SLOPE_BANDS AS SELECT * FROM slope_bands")
        con.close()
        settings = load_settings({"home": str(copy), "data_dir": str(home / "data")})
        current = read_sql("response_bands", "duckdb")
        truth_check(settings, home, current, M.RISK_BANDS, "risk bands (the model today)")
        crossed = current.replace(
            "END\n        AS risk_band", f"END + {M.RISK_BANDS} * e.band\n        AS risk_band"
        ).replace(
            "JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id",
            "JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id\n"
            "JOIN ANALYTICS.EXP_SLOPE_BANDS e ON e.customer_id = s.customer_id",
        )
        assert crossed != current and "e.band" in crossed, "response_bands.sql changed shape"
        truth_check(
            settings, home, crossed, M.RISK_BANDS * terciles, f"risk × {terciles} slope bands"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
