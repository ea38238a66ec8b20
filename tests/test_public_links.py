"""Links from configuration: absolute URLs (Atom feed, OpenAPI servers, canonical links)
start with the configured PUBLIC_URL, never with the request's Host header, and a Host
the site does not know is refused (Flask's TRUSTED_HOSTS)."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from tests.web_support import index_root, make_app, site  # noqa: F401

PUBLIC = "https://nianbao.example.gov.cn"


def test_an_unknown_host_is_refused_with_our_error(site):
    client = make_app(site, PUBLIC_URL=PUBLIC).test_client()
    for url in ("/search.atom?q=依申请公开", "/api/search?q=依申请公开", "/"):
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 400, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "evil.example" not in response.get_data(as_text=True)
    assert client.get("/api/agencies", headers={"Host": "evil.example"}).get_json()["ok"] is False
    for host in ("nianbao.example.gov.cn", "localhost", "127.0.0.1:8000"):
        assert client.get("/api/agencies", headers={"Host": host}).status_code == 200, host


def test_feed_links_come_from_the_public_url_whatever_the_host(site):
    # Even a host the operator trusts (an alias) does not make the links.
    client = make_app(site, PUBLIC_URL=PUBLIC, TRUSTED_HOSTS="alias.example, localhost").test_client()
    body = client.get("/search.atom?q=依申请公开", headers={"Host": "alias.example"}).get_data(as_text=True)
    urls = re.findall(r"<id>([^<]+)</id>", body) + re.findall(r'href="([^"]+)"', body)
    assert len(urls) > 3
    assert all(url.startswith(PUBLIC + "/") for url in urls), urls
    assert "alias.example" not in body


def test_openapi_servers_and_canonical_links_are_the_public_url(site):
    client = make_app(site, PUBLIC_URL=PUBLIC + "/").test_client()
    assert client.get("/api/openapi.json").get_json()["servers"] == [{"url": PUBLIC}]
    page = BeautifulSoup(client.get("/search?q=依申请公开&year=2023").data, "html.parser")
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical.startswith(PUBLIC + "/search?q=")
    assert BeautifulSoup(client.get("/").data, "html.parser").find("link", rel="canonical")["href"] == PUBLIC + "/"
