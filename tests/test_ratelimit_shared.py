"""One client, one count: the rate limit is shared by all workers through Redis when
REPORTS_RATELIMIT_STORAGE_URI points at one, and in memory each worker allows the
limit divided by the worker count, so a client never gets more than the setting."""
from __future__ import annotations

import pytest

from reliability.redisserver import RedisServer
from tests.web_support import index_root, make_app  # noqa: F401
from web.security import per_worker_limits

pytestmark = pytest.mark.slow


def test_per_worker_limits_divide_every_amount():
    assert per_worker_limits("120 per minute;2000 per hour", 2) == "60 per 1 minute;1000 per 1 hour"
    assert per_worker_limits("3 per minute", 4) == "1 per 1 minute"
    assert per_worker_limits("120 per minute", 1) == "120 per minute"


def test_in_memory_each_of_two_workers_allows_half(index_root):
    client = make_app(index_root, RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="20 per minute",
                      WORKERS=2).test_client()
    statuses = [client.get("/api/agencies").status_code for _ in range(12)]
    assert statuses == [200] * 10 + [429] * 2


@pytest.fixture(scope="module")
def redis_url():
    with RedisServer() as server:
        yield server.url


def test_with_redis_two_workers_share_one_count(index_root, redis_url):
    # Two apps stand for two gunicorn workers: separate processes' memory, one Redis.
    settings = dict(RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="20 per minute",
                    RATELIMIT_STORAGE_URI=redis_url, WORKERS=2)
    workers = [make_app(index_root, **settings).test_client() for _ in range(2)]
    statuses = [workers[n % 2].get("/api/agencies", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code
                for n in range(30)]
    assert statuses == [200] * 20 + [429] * 10
    other = workers[1].get("/api/agencies", environ_base={"REMOTE_ADDR": "192.0.2.8"})
    assert other.status_code == 200


def test_without_redis_reachable_requests_still_answer(index_root):
    client = make_app(index_root, RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="20 per minute",
                      RATELIMIT_STORAGE_URI="redis://127.0.0.1:1", WORKERS=2).test_client()
    assert client.get("/api/agencies").status_code == 200
