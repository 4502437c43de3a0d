"""The `cdt` command line: parse arguments, call cdt.api, hand the result to a renderer in
cdt.console. Each module registers its commands on the one app; they are imported in the
order `cdt --help` lists them."""

from cdt.cli import twin  # noqa: F401  (registers init, doctor and the build stages)

# isort: split
from cdt.cli import personas  # noqa: F401  (registers `cdt personas ...`)

# isort: split
from cdt.cli import simulation  # noqa: F401  (registers simulate, ask, history, ...)

# isort: split
from cdt.agents.result import WORDS_MISSING
from cdt.cli.base import app, main

__all__ = ["WORDS_MISSING", "app", "main"]
