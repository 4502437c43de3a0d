"""The words a user reads, and the rule behind them: the data decides, the LLM only writes.

- ``stance``: a segment's likely action, its probability and its sentiment, from the response
  model's shares.
- ``speak``: voices per outcome (a small focus group per segment), written by the LLM.
- ``form`` and ``meaning``: the gate every LLM text passes (form: placeholders, statistics,
  copies, cut-offs; meaning: about this scenario and outcome, in a fitting tone, as the
  customer), fitted on a labelled corpus by ``fit``.
- ``verbatims`` and ``composed``: what replaces a text that fails twice, a real customer's
  words or a sentence composed from data, each labelled with its source.
- ``persona``: persona prose through the same gate.
"""
