"""`cdt personas generate`: one persona per segment, plus the segment's historical reactions.

Numbers and composites come from data (SEGMENT_STATISTICS, campaign outcomes, support
contacts); the LLM writes only the words (name, location, background, personality, style,
triggers, quotes), grounded by the statistics and real verbatims. Regeneration adds a new
version and keeps the old rows.
"""

from cdt.personas.stage import PersonasResult, fingerprint, generate_personas, latest_personas

__all__ = ["PersonasResult", "fingerprint", "generate_personas", "latest_personas"]
