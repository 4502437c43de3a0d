"""LLM and embedding providers (see DESIGN.md: words come from the LLM, numbers from data)."""
