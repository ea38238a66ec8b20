"""An OpenSearch the site cannot use answers 503 pages with a Chinese sentence and
Retry-After — never a 500, never a hang: a closed port, an alias never built, a node
stopped while the site runs (and the site answering again when it is back, without
a restart), a node that stops answering (each call bounded by the settings' timeout)."""
from __future__ import annotations

import os
import signal
import socket
import time

import pytest

from search.service import NO_INDEX, UNAVAILABLE
from tests.engines import alias_for, built_opensearch, forget_lock
from tests.opensearch_nodes import discard, new_cluster
from tests.web_support import Site, made_up_reports, make_app, site_files

pytestmark = pytest.mark.opensearch

TIMEOUT = 2.0          # the site's OPENSEARCH_TIMEOUT in these tests: seconds one call may take
# Every page and API route that asks the engine.
ROUTES = ["/", "/search?q=公开", "/search.atom?q=公开", "/api/search?q=公开", "/reports/青柳市交通运输局-2023",
          "/api/reports/青柳市交通运输局-2023", "/reports/青柳市交通运输局-2023/original",
          "/agencies/青柳市交通运输局", "/api/agencies", "/audit", "/api/audit", "/figures", "/api/figures",
          "/reports/青柳市交通运输局-2023/changes", "/api/reports/青柳市交通运输局-2023/changes",
          "/compare?a=青柳市交通运输局-2022&b=青柳市交通运输局-2023",
          "/api/compare?a=青柳市交通运输局-2022&b=青柳市交通运输局-2023", "/changes", "/api/changes"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_on(url: str, alias: str = "reports"):
    site = Site("opensearch", {"ENGINE": "opensearch", "OPENSEARCH_URL": url, "OPENSEARCH_INDEX": alias})
    return make_app(site, OPENSEARCH_TIMEOUT=TIMEOUT)


def answers(client, route: str, message: str) -> float:
    """Ask `route`; check it is a 503 saying `message` with Retry-After; the seconds it took."""
    started = time.monotonic()
    response = client.get(route)
    took = time.monotonic() - started
    assert response.status_code == 503, (route, response.status_code)
    assert int(response.headers["Retry-After"]) > 0, route
    if route.startswith("/api/"):
        assert response.get_json() == {"ok": False, "error": message, "status": 503}, route
    else:
        assert message in response.get_data(as_text=True), route
    return took


def test_a_closed_port_is_a_503_at_once_on_every_route():
    client = app_on(f"http://127.0.0.1:{closed_port()}").test_client()
    took = [answers(client, route, UNAVAILABLE) for route in ROUTES]
    # Refused connections: nothing to wait for, far within one call's time limit.
    assert max(took) < TIMEOUT, dict(zip(ROUTES, took))


def test_an_alias_never_built_is_a_503_until_a_build_then_served_without_restart(opensearch_url, tmp_path):
    alias = alias_for(tmp_path)
    client = app_on(opensearch_url, alias).test_client()
    for route in ROUTES:
        answers(client, route, NO_INDEX)
    built_opensearch(made_up_reports(), tmp_path, alias=alias)
    assert client.get("/api/search?q=依申请公开").get_json()["total"] == 8     # as on whoosh (test_web_site)


@pytest.fixture(scope="module")
def own_node(tmp_path_factory):
    """A node of this module's own, to stop and start, serving the made-up reports."""
    cluster = new_cluster("unavailable")
    try:
        cluster.start(die_with_parent=True)
    except Exception as error:   # noqa: BLE001
        discard(cluster)
        pytest.fail(f"this module's OpenSearch node did not start: {error}", pytrace=False)
    from index.opensearch.build import Target, build_from

    folder = tmp_path_factory.mktemp("own")
    alias = alias_for(folder)
    build_from(site_files(folder, made_up_reports()), Target(cluster.url, alias))
    yield cluster, alias
    discard(cluster)
    forget_lock(cluster.url, alias)


def test_a_node_stopped_while_the_site_runs_is_a_503_and_the_site_answers_again_once_it_is_back(own_node):
    cluster, alias = own_node
    client = app_on(cluster.url, alias).test_client()
    assert client.get("/api/search?q=公开").status_code == 200
    cluster.stop()
    took = [answers(client, route, UNAVAILABLE) for route in ROUTES]
    assert max(took) < TIMEOUT, dict(zip(ROUTES, took))
    cluster.restart("node-0")
    cluster.wait_for("green")
    assert client.get("/api/search?q=公开").status_code == 200
    assert client.get("/reports/青柳市交通运输局-2023/original").status_code == 200


def test_a_node_that_stops_answering_is_a_503_after_one_calls_time_limit(own_node):
    cluster, alias = own_node
    client = app_on(cluster.url, alias).test_client()
    assert client.get("/api/search?q=公开").status_code == 200
    pid = cluster.node("node-0").pid()
    os.kill(pid, signal.SIGSTOP)         # the JVM frozen: connections open, nothing answers
    try:
        took = [answers(client, route, UNAVAILABLE) for route in ("/search?q=公开", "/api/reports/青柳市交通运输局-2023")]
    finally:
        os.kill(pid, signal.SIGCONT)
    # Each answer waited for one call's time limit (no retry after a timeout), not more.
    assert all(TIMEOUT <= seconds < 3 * TIMEOUT for seconds in took), took
    cluster.wait_for("green")
    assert client.get("/api/search?q=公开").status_code == 200
