"""`cdt generate`: synthetic Snowmobile Wireless data with a hidden ground truth.

The drawing and writing live in `cdt.generate.world`; the archetypes, tables and texts in their
own modules. See docs/generator.md for the layout and the hidden truth.
"""

from cdt.generate.world import (
    CUSTOMERS_AT_SCALE_1,
    GENERATOR_VERSION,
    MAX_SCALE,
    GenerateResult,
    generate,
    matches,
)

__all__ = [
    "CUSTOMERS_AT_SCALE_1",
    "GENERATOR_VERSION",
    "MAX_SCALE",
    "GenerateResult",
    "generate",
    "matches",
]
