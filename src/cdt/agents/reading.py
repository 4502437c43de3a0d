"""A scenario read by the LLM as well as by the rules: one step for `cdt simulate` (through
``api.understand``) and for SIMULATE_SCENARIO inside Snowflake, so that the same text gets the
same reading on both."""

from __future__ import annotations

from cdt.backends.base import Backend
from cdt.scenario.extract import Asks
from cdt.scenario.model import Scenario


def read(backend: Backend, client: Asks, scenario: Scenario) -> Scenario:
    """``scenario`` (the rules' reading) read by ``client``'s LLM too and reconciled with it:
    every disagreement is a warning; an audience field that only the LLM read and that would
    leave nobody is held back with a warning; a failed LLM call leaves the rules' reading with
    a warning."""
    from cdt.agents.targeting import hold_back_empty
    from cdt.errors import LLMError
    from cdt.scenario.extract import extract, reconcile, reject

    try:
        reading = extract(client, scenario)
    except LLMError as exc:
        return reject(scenario, exc)
    return hold_back_empty(backend, scenario, reconcile(scenario, reading))
