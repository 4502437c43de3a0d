"""Scenarios: one typed object between the user's words and the engine (see DESIGN.md).

``parse`` reads free text by rules, ``from_template`` fills a template, ``overrides`` applies
``--set`` values and scenario files, ``extract`` adds an LLM's reading where a capable model
is configured, and ``targeting`` finds the customers a scenario reaches.
"""

from cdt.scenario.model import FIELDS, Kind, Scenario, build
from cdt.scenario.rules import parse
from cdt.scenario.templates import TEMPLATES, from_template
from cdt.scenario.text import MAX_SCENARIO, clean

__all__ = [
    "FIELDS",
    "MAX_SCENARIO",
    "TEMPLATES",
    "Kind",
    "Scenario",
    "build",
    "clean",
    "from_template",
    "parse",
]
