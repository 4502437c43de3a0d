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
    REPLICATES,
    ResponseModel,
    fit_model,
    latest_model,
    latest_model_id,
    scorer_of,
)
from cdt.calibrate.stage import CalibrateResult, calibrate, fingerprint

__all__ = [
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
    "interval",
    "latest_model",
    "latest_model_id",
    "population",
    "predict",
    "read_cells",
    "scorer_of",
]
