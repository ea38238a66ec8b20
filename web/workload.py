"""The work one request may make the server do: a search's budget, its slow-lane
slot, and its weight in the rate limit.

- Every search, and every figures comparison (it walks every report), runs under a
  `search.budget.Budget` of ``SEARCH_CPU_SECONDS`` of CPU: spent, it answers with what
  it has (``partial``) or 503 with Retry-After.
- Past ``SLOW_SEARCH_SECONDS`` of CPU a search needs one of ``SLOW_SEARCHES`` slots
  of its worker process to go on; without one within ``SLOW_LANE_WAIT`` it is shed
  there (503 with Retry-After: the client is told to come back, no more CPU is spent). Cheap searches never
  reach that point, so however many clients loop on a slow query, the worker's other
  threads stay free for them. The slot is held until the request ends.
- `request_cost` weighs a request for flask-limiter: a page or a plain search costs
  1, a search with excluded terms (never cheap: each is matched to be removed) or
  with many filter values costs more, up to `MAX_COST`; a comparison costs
  `COMPARISON_COST`, one of more rows than a page (a download) `DOWNLOAD_COST`. It weighs the request as
  parsed once (`web.parsing.asked`): the very search or comparison the view then runs.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

from flask import Flask, current_app

from search.budget import Budget
from search.query import parse
from search.comparison import ComparisonRequest
from search.request import BadRequest, SearchRequest
from web import parsing
from web.config import search_settings

EXTENSION = "slow_lane"
MAX_COST = 10
# A comparison walks every report: at 10,000 reports a page of it takes the CPU of
# ~3 cheap searches (50-55 ms against 20 ms), a 5,000-row download ~4 and 4 times
# the bytes (RELIABILITY.md).
COMPARISON_COST = 3
DOWNLOAD_COST = 5


def init_app(app: Flask) -> None:
    """The worker's slow-lane slots (made before gunicorn forks: each worker gets its own);
    ``SLOW_SEARCHES = 0`` turns the lane off (only the budget bounds a search)."""
    slots = app.config["SLOW_SEARCHES"]
    app.extensions[EXTENSION] = threading.BoundedSemaphore(slots) if slots > 0 else None


@contextmanager
def search_budget():
    """The budget for this request's search; its slow-lane slot released on the way out."""
    lane = current_app.extensions.get(EXTENSION)
    held = []

    def gate() -> bool:
        # A short wait (no CPU) lets a search through when a slot frees at once.
        if not lane.acquire(timeout=current_app.config["SLOW_LANE_WAIT"]):
            return False
        held.append(lane)
        return True

    config = current_app.config
    budget = Budget(config["SEARCH_CPU_SECONDS"] or None, gate=gate if lane is not None else None,
                    gate_after=config["SLOW_SEARCH_SECONDS"])
    try:
        yield budget
    finally:
        for slot in held:
            slot.release()


def request_cost() -> int:
    """How many requests of the client's rate limit this one counts as."""
    try:
        asked = parsing.asked()
    except BadRequest:
        return 1            # answered 400 at once
    if isinstance(asked, SearchRequest):
        return min(MAX_COST, search_cost(asked))
    if isinstance(asked, ComparisonRequest):
        return min(MAX_COST, comparison_cost(asked))
    return 1


def search_cost(asked: SearchRequest) -> int:
    """1, and 2 per excluded term, and 1 per 10 filter values (figure conditions included)."""
    excluded = len(parse(asked.query, search_settings(current_app.config)).excluded)
    values = sum(len(values) for values in asked.filters.values()) + len(asked.figure_filters)
    return 1 + 2 * excluded + values // 10


def comparison_cost(asked: ComparisonRequest) -> int:
    """`COMPARISON_COST` for a page of rows, `DOWNLOAD_COST` for more (a download)."""
    return DOWNLOAD_COST if asked.page_size > current_app.config["COMPARISON_ROWS"] else COMPARISON_COST
