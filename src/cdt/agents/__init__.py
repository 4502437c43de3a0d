"""Simulations and their parts: the plan (audience, grounding, numbers: ``plan``), the
simulation itself (``simulation``), who speaks (``segments``), aggregation, sweeps and campaign
tests; HISTORY is ``cdt.history``. Nothing is imported here, so a numbers-only caller (a sweep,
the Snowflake handler) does not load the words' stack."""
