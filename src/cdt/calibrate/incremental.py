"""A refresh's refit reads only what changed since the last fit.

Every fit writes, with the model, the cells it was fitted on (ANALYTICS.RESPONSE_FIT_CELLS)
and each customer's bands (ANALYTICS.RESPONSE_FIT_BANDS). Since then, a refresh has
re-featured and re-assigned some customers (RAW.PENDING_CELLS) and loaded some responses
(RAW.PENDING_RESPONSES). A customer's bands depend on their own rows only (segment, plan,
tenure, churn risk, and the fixed scorer's price sensitivity), so the cells now are:

    the fit's cells
    - those customers' responses that the fit counted, under their bands at the fit
    + all of those customers' responses, under their bands now

The result is response_cells.sql's read, row for row and count for count. The one
exception is a cell's ``sent_at`` (its earliest send, used only to choose a backtest's
holdout): a minimum cannot be taken back, so it may be earlier than a full read's. A
replaced response (``--replace-changed``), an EXTERNAL change (everyone's features), or a
twin fitted before these tables existed mean a full read.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdt.backends.base import Backend
from cdt.calibrate.cells import CAMPAIGN_MINIMA, CELL_KEYS, COUNTS, bands_sql, prepared
from cdt.calibrate.sensitivity import Scorer, arrays
from cdt.sqlfiles import read_sql

FIT_CELLS = "ANALYTICS.RESPONSE_FIT_CELLS"
FIT_BANDS = "ANALYTICS.RESPONSE_FIT_BANDS"
KEYS = (*CELL_KEYS, "sensitivity_band")
STORED = (*KEYS, *CAMPAIGN_MINIMA, *COUNTS)
_BAND_COLUMNS = "customer_id, segment_id, plan_name, tenure_band, risk_band, sensitivity_band"
_PENDING = "x.customer_id IN (SELECT customer_id FROM RAW.PENDING_CELLS)"


def updated_cells(backend: Backend, scorer: Scorer | None) -> dict[str, np.ndarray] | None:
    """The cells the last fit's cells become with what changed since (see the module), or
    None when they must be read whole."""
    if not backend.scalar(f"SELECT count(*) FROM {FIT_CELLS}"):  # noqa: S608 (constant)
        return None
    unknown = backend.scalar(read_sql("pending_unknown", backend.dialect))
    if unknown:
        return None
    cells = read_sql("response_cells", backend.dialect)
    fitted = backend.query(f"SELECT {', '.join(STORED)} FROM {FIT_CELLS}")  # noqa: S608
    # Only the pending customers' bands are computed (the rest cannot be counted).
    then = backend.query(
        f"WITH bands AS (SELECT * FROM {FIT_BANDS} x WHERE {_PENDING})\n{cells}",  # noqa: S608
        [False, False],
    )
    now = backend.query(
        f"WITH bands AS (SELECT * FROM ({bands_sql(backend, scorer)}) x "  # noqa: S608
        f"WHERE {_PENDING})\n{cells}",
        [False, True],
    )
    merged = _merge(fitted, [_signed(then, -1.0), _signed(now, 1.0)])
    if any(pc.min(merged.column(name)).as_py() < 0 for name in COUNTS if merged.num_rows):
        return None  # the stored fit does not match the responses: read them whole
    return prepared(arrays(merged))


def store_fit(
    backend: Backend, cells: Mapping[str, np.ndarray], scorer: Scorer | None, *, everyone: bool
) -> None:
    """Write the cells a fit used and the bands it counted customers by (every customer's,
    or only those that changed since the last fit), and start the pending lists afresh.
    Call inside the transaction that stores the model."""
    table = pa.table({name: np.asarray(cells[name]) for name in STORED})
    backend.execute(f"DELETE FROM {FIT_CELLS}")  # noqa: S608 (constant)
    backend.load(FIT_CELLS, table)
    scope = "" if everyone else (
        " WHERE customer_id IN (SELECT customer_id FROM RAW.PENDING_CELLS)"
    )  # fmt: skip
    backend.execute(f"DELETE FROM {FIT_BANDS}{scope}")  # noqa: S608 (constants)
    backend.execute(
        f"INSERT INTO {FIT_BANDS} ({_BAND_COLUMNS}) SELECT {_BAND_COLUMNS} "  # noqa: S608
        f"FROM ({bands_sql(backend, scorer)}) b{scope}"
    )
    backend.execute_script(read_sql("pending_fit_forget", backend.dialect))


def _signed(table: pa.Table, sign: float) -> pa.Table:
    """``table``'s cells (response_cells.sql's columns) with counts as signed doubles."""
    columns = {name: table.column(name) for name in (*KEYS, *CAMPAIGN_MINIMA)}
    columns["offer_value"] = pc.cast(table.column("offer_value"), pa.float64())
    for name in COUNTS:
        columns[name] = pc.multiply(pc.cast(table.column(name), pa.float64()), sign)
    return pa.table(columns)


def _merge(fitted: pa.Table, changes: list[pa.Table]) -> pa.Table:
    """The fit's cells plus the signed changes, summed by cell; empty cells dropped; in
    response_cells.sql's order."""
    parts = [_signed(fitted, 1.0), *changes]
    schema = parts[0].schema
    both = pa.concat_tables([p.select(schema.names).cast(schema) for p in parts])
    grouped = both.group_by(list(KEYS), use_threads=False).aggregate(
        [(name, "sum") for name in COUNTS] + [(name, "min") for name in CAMPAIGN_MINIMA]
    )
    grouped = grouped.rename_columns(
        [name.removesuffix("_sum").removesuffix("_min") for name in grouped.column_names]
    )
    grouped = grouped.filter(pc.greater(grouped.column("delivered"), 0.0))
    return grouped.sort_by([(key, "ascending") for key in KEYS]).select(list(STORED))
