"""The site served from OpenSearch by gunicorn as ``REPORTS_ENGINE=opensearch scripts/serve``
runs it: the app preloaded in the master and forked into workers (each worker talks to
the cluster with a client of its own), and no start at all without an index behind the
alias, the refusal saying the build command."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from reliability.server import Gunicorn
from tests.engines import alias_for
from tests.web_support import site_alias

pytestmark = pytest.mark.opensearch


def test_gunicorn_workers_serve_the_alias(opensearch_url, tmp_path):
    site = site_alias(tmp_path / "site")
    settings = {"ENGINE": "opensearch", "OPENSEARCH_URL": opensearch_url,
                "OPENSEARCH_INDEX": site.config["OPENSEARCH_INDEX"], "RATELIMIT_ENABLED": "0"}
    with Gunicorn(tmp_path / "no-whoosh-index", tmp_path / "gunicorn.log", workers=2, **settings) as server:
        server.wait_ready(workers=2)
        answers = [server.get("/api/search?q=" + quote("依申请公开")) for _ in range(20)]
        assert {status for status, _ in answers} == {200}
        assert {json.loads(body)["total"] for _, body in answers} == {8}
        status, body = server.get(quote("/reports/青柳市交通运输局-2023/original"))
        assert status == 200 and body.decode("utf-8") == "青柳市交通运输局 2023 原文"
        assert server.get("/")[0] == 200


def test_gunicorn_refuses_to_start_without_an_index_behind_the_alias(opensearch_url, tmp_path):
    alias = alias_for(tmp_path)
    settings = {"ENGINE": "opensearch", "OPENSEARCH_URL": opensearch_url, "OPENSEARCH_INDEX": alias}
    with Gunicorn(tmp_path / "no-whoosh-index", tmp_path / "gunicorn.log", workers=1, **settings) as server:
        assert server.process.wait(timeout=120) == 1
        log = server.log_tail()
    assert f"has no index '{alias}'" in log and "python -m index build --engine opensearch" in log
    assert "The site was not started." in log and "Traceback" not in log
