"""``python -m cdt.scenario.refit [CORPUS] [OUT]`` (``make kinds``): refit the learned kind
reader (``cdt.scenario.learned``) on the labelled corpus and write its weights."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from cdt.scenario.learned import MODEL, fit, labelled


def main(argv: list[str]) -> int:
    """Refit on ``CORPUS`` (the test corpus by default) and write the weights to ``OUT``."""
    corpus = Path(argv[0] if argv else "tests/data/scenario_corpus.jsonl")
    out = Path(argv[1] if len(argv) > 1 else Path(__file__).parent / "data" / MODEL)
    pairs = labelled(corpus)
    arrays = fit(pairs)
    np.savez_compressed(out, **arrays)
    size = out.stat().st_size
    print(f"fitted on {len(pairs)} phrasings of {corpus}: {len(arrays['terms'])} terms, "
          f"{len(arrays['runs'])} letter runs, "
          f"{len(arrays['kinds'])} kinds -> {out} ({size / 1024:.0f} KiB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
