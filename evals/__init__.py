"""Evaluations against the generator's hidden truth: thresholds that fail (``make eval``)."""
