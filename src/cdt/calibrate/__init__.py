"""`cdt calibrate`: fit the response model on CAMPAIGN_RESPONSES and store it.

Numbers from data: a simulation's action shares, churners and revenue at risk come from this
model, read at the scenario's parameters for each segment's customers, with 90% intervals from
bootstrap replicates (campaigns and customers resampled). The stage's parts: ``cells`` (the
data the model is fitted on and scores), ``logit`` (the multinomial logit fit), ``response``
(the stored response model), ``predict`` (a scenario's numbers and intervals) and
``backtest`` (how well it predicts campaigns it has not seen).
"""

from cdt.calibrate.backtest import backtest_cells
from cdt.calibrate.cells import bands_sql, facts, read_cells
from cdt.calibrate.predict import Inputs, Prediction, interval, population, predict
from cdt.calibrate.response import (
    NO_HISTORY,
    REPLICATES,
    ResponseModel,
    fit_model,
    has_history,
    latest_model,
    latest_model_id,
    model_or_none,
    scorer_of,
)
from cdt.calibrate.stage import CalibrateResult, calibrate, fingerprint

__all__ = [
    "NO_HISTORY",
    "REPLICATES",
    "CalibrateResult",
    "Inputs",
    "Prediction",
    "ResponseModel",
    "backtest_cells",
    "bands_sql",
    "calibrate",
    "facts",
    "fingerprint",
    "fit_model",
    "has_history",
    "interval",
    "latest_model",
    "latest_model_id",
    "model_or_none",
    "population",
    "predict",
    "read_cells",
    "scorer_of",
]
