"""Incremental refresh (spec §10.1): merge a day's delta files into the twin, then refresh only
what they touched."""

from cdt.refresh.load import DeltaResult, find_delta_sources, load_delta

__all__ = ["DeltaResult", "find_delta_sources", "load_delta"]
