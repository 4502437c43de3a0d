"""Words a user reads: the quality gate every LLM text passes, and what replaces a text that
fails it twice (a real customer's verbatim, or a sentence composed from the data), each
labelled with its source: ``llm``, ``verbatim`` or ``composed``."""
