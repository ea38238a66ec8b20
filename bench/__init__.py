"""Benchmarks: a scale corpus, build and search timings, and a side-by-side baseline.

``python -m bench.generate`` writes N made-up reports (`madeup.scale`, with who
reports for which year in madeup/agencies.py and their sentences in
madeup/wording.py); ``python -m bench`` generates, parses, builds, and times search
in the library, over HTTP through
gunicorn and in an SQLite FTS5 trigram baseline (baseline.py) on one fixed query
mix (queries.py), printing a table (run.py). Nothing here runs in CI.
"""
