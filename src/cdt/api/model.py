"""The facade's response model: fit it, backtest it, read the latest backtest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cdt.config import Settings
from cdt.errors import ConfigError, NotBuiltError
from cdt.progress import Progress

if TYPE_CHECKING:
    pass

from cdt.api.session import connect, init, llm_client, read_connection


def calibrate(
    settings: Settings,
    *,
    replicates: int = 20,
    seed: int = 42,
    progress: Progress | None = None,
) -> Any:
    """Fit the response model on campaign outcomes, backtest it, and store both.

    Raises:
        NotBuiltError: no segments or campaign responses yet.
    """
    from cdt.calibrate import calibrate as _calibrate

    if not 0 <= replicates <= 200:
        raise ConfigError(f"replicates must be 0-200, got {replicates}", fix="use --replicates 20")
    init(settings)
    with connect(settings) as backend:
        return _calibrate(backend, replicates=replicates, seed=seed, progress=progress)


def backtest(
    settings: Settings,
    *,
    holdout: float = 0.15,
    replicates: int = 20,
    llm_units: int = 0,
    seed: int = 42,
    progress: Progress | None = None,
) -> Any:
    """Hold out the most recent campaigns, refit, and score the model against the overall
    mean, the per-segment mean and (on ``llm_units`` held-out units) the LLM. Stored.

    Raises:
        NotBuiltError: no segments or campaign responses (or, with ``llm_units``, personas).
        ConfigError: a bad holdout share.
    """
    from cdt.agents.rates import guess_rates
    from cdt.agents.segments import speakers
    from cdt.calibrate import backtest_cells, latest_model, latest_model_id
    from cdt.calibrate.backtest import backtest as _backtest
    from cdt.calibrate.backtest import store_backtest
    from cdt.calibrate.cells import read_controls

    if llm_units < 0:
        raise ConfigError("--llm-units must be 0 or more", fix="use --llm-units 8")
    init(settings)
    with connect(settings) as backend:
        cells, scorer = backtest_cells(backend, share=holdout, progress=progress)
        controls = read_controls(backend, scorer)
        try:
            warm = latest_model(backend)  # a start for the refit: fewer Newton steps
        except NotBuiltError:
            warm = None
        llm = None
        if llm_units:
            found = speakers(backend, None)
            if not found.personas:
                raise NotBuiltError(
                    "--llm-units asks each segment's persona, and there are no personas yet",
                    fix="run `cdt personas generate` first, or leave out --llm-units",
                )
            personas = {str(p["segment_id"]): p for p in found.rows}
            client = llm_client(settings, backend)

            def llm(unit: dict[str, Any]) -> dict[str, float]:
                return guess_rates(client, personas[unit["segment_id"]], unit, seed)

        result = _backtest(
            cells,
            scorer=scorer,
            share=holdout,
            replicates=replicates,
            seed=seed,
            llm=llm,
            llm_units=llm_units,
            progress=progress,
            warm=warm,
            controls=controls,
        )
        with backend.work("ml"), backend.transaction():
            store_backtest(backend, result, latest_model_id(backend))
        return result


def latest_backtest(settings: Settings) -> dict[str, Any] | None:
    """The most recent stored backtest (without per-unit rows), or None."""
    from cdt.calibrate.backtest import latest

    with read_connection(settings) as backend:
        found = latest(backend)
    return None if found is None else found.to_dict(units=False)
