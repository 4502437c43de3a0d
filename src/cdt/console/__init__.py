"""Rendering for people: everything the CLI prints (Rich markup), one renderer per result.

Commands parse arguments, call ``cdt.api`` and hand the result here; nothing here computes a
figure. Part of the UI side of the import contracts, like ``cli`` and ``app``.
"""

from cdt.console.backtest import backtest_sentence, show_backtest
from cdt.console.progress import JsonlProgress, RichProgress, progress_bars
from cdt.console.simulation import (
    scenario_fields,
    segment_line,
    show_campaign_test,
    show_history,
    show_overall,
    show_plan,
    show_replay,
    show_scenario,
    show_sweep,
    show_sweeps,
)
from cdt.console.twin import (
    doctor_failure,
    show_build,
    show_bundle,
    show_calibrated,
    show_delta,
    show_delta_written,
    show_deployed,
    show_doctor,
    show_init,
    show_load,
    show_persona,
    show_personas,
    show_personas_written,
    show_rows,
    show_segmented,
    show_segments,
    show_templates,
)
from cdt.console.voices import WordsStream, numbers_table, segment_words, show_ask, voice_line

__all__ = [
    "JsonlProgress",
    "RichProgress",
    "WordsStream",
    "backtest_sentence",
    "doctor_failure",
    "numbers_table",
    "progress_bars",
    "scenario_fields",
    "segment_line",
    "segment_words",
    "show_ask",
    "show_backtest",
    "show_build",
    "show_bundle",
    "show_calibrated",
    "show_campaign_test",
    "show_delta",
    "show_delta_written",
    "show_deployed",
    "show_doctor",
    "show_history",
    "show_init",
    "show_load",
    "show_overall",
    "show_persona",
    "show_personas",
    "show_personas_written",
    "show_plan",
    "show_replay",
    "show_rows",
    "show_scenario",
    "show_segmented",
    "show_segments",
    "show_sweep",
    "show_sweeps",
    "show_templates",
    "voice_line",
]
