"""One page of a sorted search, however deep.

``from``/``size`` reaches `index.opensearch.mapping.MAX_RESULT_WINDOW` rows (the site's
last search page is within it); a deeper page (a comparison's, up to
``max_page × max_comparison_rows``) is reached with ``search_after``, skipping
`STEP` rows a request without their fields, then reading the page. Every sort ends
with the unique ``doc_id``, so ``search_after`` lands on exactly the next row.

API: `page(search, body, offset, size) -> list[dict]` (`search(body) -> answer`).
"""
from __future__ import annotations

from typing import Callable

from index.opensearch.mapping import MAX_RESULT_WINDOW

STEP = 10_000


def page(search: Callable[[dict], dict], body: dict, offset: int, size: int) -> tuple[list[dict], dict]:
    """The `size` hits after the first `offset` in `body`'s sort, and the answer of the
    first request made (it carries the aggregations and the total)."""
    if offset + size <= MAX_RESULT_WINDOW:
        answer = search({**body, "from": offset, "size": size})
        return answer["hits"]["hits"], answer
    first = search({**body, "from": 0, "size": 0})
    plain = {key: value for key, value in body.items() if key not in ("aggs", "track_total_hits")}
    after, skipped = None, 0
    while skipped < offset:
        step = min(STEP, offset - skipped)
        request = {**plain, "size": step, "_source": False, "track_total_hits": False}
        if after is not None:
            request["search_after"] = after
        hits = search(request)["hits"]["hits"]
        if len(hits) < step:
            return [], first
        skipped += step
        after = hits[-1]["sort"]
    request = {**plain, "size": size, "track_total_hits": False}
    if after is not None:
        request["search_after"] = after
    return search(request)["hits"]["hits"], first
