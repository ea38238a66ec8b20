"""/healthz for load balancers: the engine, the generation served, its report count,
when it was built and its age; 503 (JSON, Retry-After) while there is no index; never
counted by the rate limit, never cached."""
from __future__ import annotations

import time

from index import store
from index.store import IndexHandle
from tests.web_support import index_root, made_up_reports, make_app, site_index  # noqa: F401


def test_health_names_the_engine_generation_count_and_age(index_root):
    client = make_app(index_root).test_client()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    built = IndexHandle(index_root).built_at()
    assert data == {"ok": True, "engine": "whoosh", "generation": store.current_generation(index_root),
                    "reports": len(made_up_reports()),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(built)),
                    "age_seconds": data["age_seconds"]}
    assert abs(data["age_seconds"] - (time.time() - built)) <= 5


def test_health_is_503_until_an_index_appears(tmp_path):
    root = tmp_path / "index"
    client = make_app(root, BUSY_RETRY_AFTER=4).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "4"
    assert response.get_json() == {"ok": False, "error": "检索索引尚未建立，请稍后再试。", "status": 503,
                                   "engine": "whoosh"}
    site_index(root, made_up_reports()[:2])
    data = client.get("/healthz").get_json()
    assert data["ok"] is True and data["reports"] == 2


def test_health_checks_are_not_counted_by_the_rate_limit(index_root):
    client = make_app(index_root, RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="3 per minute").test_client()
    assert [client.get("/healthz").status_code for _ in range(20)] == [200] * 20
    assert [client.get("/api/agencies").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/healthz").status_code == 200
