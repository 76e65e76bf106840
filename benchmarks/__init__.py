"""Benchmarks on the real corpora of ../shared/data; run from the repository root as `python -m benchmarks.NAME`."""
