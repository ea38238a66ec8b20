"""Reliability scenarios for the public site: load, reindex under load, faults, abuse.

`reliability.server` runs gunicorn on loopback, `reliability.load` runs bounded
concurrent clients, `reliability.scenarios` puts them together and returns figures.
tests/test_reliability_*.py run them at CI size; ``python -m reliability`` runs them
at any size and prints the figures RELIABILITY.md records.
"""
