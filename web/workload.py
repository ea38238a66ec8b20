"""The work one request may make the server do: a search's budget, its slow-lane
slot, and its weight in the rate limit.

- Every search runs under a `search.budget.Budget` of ``SEARCH_CPU_SECONDS`` of CPU:
  spent, it answers with what it has (``partial``) or 503 with Retry-After.
- Past ``SLOW_SEARCH_SECONDS`` of CPU a search needs one of ``SLOW_SEARCHES`` slots
  of its worker process to go on; without one within ``SLOW_LANE_WAIT`` it is shed
  there (503 with Retry-After: the client is told to come back, no more CPU is spent). Cheap searches never
  reach that point, so however many clients loop on a slow query, the worker's other
  threads stay free for them. The slot is held until the request ends.
- `request_cost` weighs a request for flask-limiter: a page or a plain search costs
  1, a search with excluded terms (never cheap: each is matched to be removed) or
  with many filter values costs more, up to `MAX_COST`.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

from flask import Flask, current_app, request

from search.budget import Budget
from search.query import parse
from search.vocabulary import FACETS
from web.config import search_settings

EXTENSION = "slow_lane"
SEARCH_ENDPOINTS = {"pages.search", "api.search", "feeds.search_feed"}
FILTER_PARAMETERS = (*FACETS, "fig")     # each value a filter the search must apply
MAX_COST = 10


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
    if request.endpoint not in SEARCH_ENDPOINTS:
        return 1
    settings = search_settings(current_app.config)
    excluded = len(parse(request.args.get("q", ""), settings).excluded)
    values = sum(len(request.args.getlist(name)) for name in FILTER_PARAMETERS)
    return min(MAX_COST, 1 + 2 * excluded + values // 10)
