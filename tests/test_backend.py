"""The engine asks an index only what `search.backend.Session` offers: a backend that
exposes nothing else serves the same SearchRequest -> SearchResults contract."""
from contextlib import contextmanager

import pytest

from search.backend import WhooshBackend, backend_of
from search.engine import search
from search.request import SearchRequest

pytestmark = pytest.mark.engine


class NarrowSession:
    """The protocol's members and nothing more (no searcher): counts what is asked."""

    def __init__(self, inner, asked):
        self._inner, self.asked = inner, asked
        self.catalog, self.cache, self.budget = inner.catalog, inner.cache, inner.budget

    def __getattr__(self, name):
        if name not in ("analyzer", "verbatim", "score", "stored", "figure", "reports_passing"):
            raise AttributeError(name)
        self.asked.add(name)
        return getattr(self._inner, name)


class NarrowBackend:
    def __init__(self, handle):
        self.inner, self.asked = WhooshBackend(handle), set()

    @contextmanager
    def session(self, budget=None):
        with self.inner.session(budget) as inner:
            yield NarrowSession(inner, self.asked)


@pytest.fixture(scope="module")
def handle(search_index):
    return search_index.open()


@pytest.mark.parametrize("request_", [
    SearchRequest(query="公开 -工信局"), SearchRequest(query="申请", sort="newest", page_size=3),
    SearchRequest(query="", regions=("青山市",)), SearchRequest(query="行政复议 OR 诉讼", years=(2023,)),
])
def test_a_backend_with_only_the_sessions_members_gives_the_same_results(handle, request_):
    narrow = NarrowBackend(handle)
    assert search(narrow, request_) == search(handle, request_)
    assert {"analyzer", "stored"} <= narrow.asked


def test_a_handle_gets_the_whoosh_backend_and_a_backend_is_kept(handle):
    assert isinstance(backend_of(handle), WhooshBackend)
    narrow = NarrowBackend(handle)
    assert backend_of(narrow) is narrow
