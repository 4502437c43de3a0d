"""Timings and figures, printed (never asserted). Run each as a module from the repository
root, e.g. ``python -m benchmarks.run report``; ``evals/`` holds the checks that assert."""
