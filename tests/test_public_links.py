"""Links from configuration: absolute URLs (Atom feed, OpenAPI servers, canonical links)
start with the configured PUBLIC_URL, never with the request's Host header, and a Host
the site does not know is refused (Flask's TRUSTED_HOSTS)."""
from __future__ import annotations

import re

import pytest

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


def _links(client, headers=None) -> list[str]:
    """Every absolute link the site writes: feed ids and hrefs, OpenAPI servers, canonical links."""
    feed = client.get("/search.atom?q=依申请公开", headers=headers).get_data(as_text=True)
    urls = re.findall(r"<id>([^<]+)</id>", feed) + re.findall(r'href="([^"]+)"', feed)
    urls += [server["url"] + "/" for server in client.get("/api/openapi.json", headers=headers).get_json()["servers"]]
    for page in ("/", "/search?q=依申请公开", "/reports/青柳市交通运输局-2023"):
        urls.append(BeautifulSoup(client.get(page, headers=headers).data, "html.parser")
                    .find("link", rel="canonical")["href"])
    return urls


def test_without_a_public_url_links_follow_the_address_the_site_was_reached_by(index_root):
    client = make_app(index_root, BIND="127.0.0.1:9000").test_client()
    for host in ("127.0.0.1:9000", "localhost:9000"):
        urls = _links(client, {"Host": host})
        assert len(urls) > 6 and all(url.startswith(f"http://{host}/") for url in urls), urls
    assert client.get("/search.atom?q=公开", headers={"Host": "evil.example"}).status_code == 400


def test_without_a_public_url_the_bound_host_is_trusted_and_no_other(index_root):
    client = make_app(index_root, BIND="10.0.0.5:8000").test_client()
    assert all(url.startswith("http://10.0.0.5:8000/") for url in _links(client, {"Host": "10.0.0.5:8000"}))
    assert client.get("/", headers={"Host": "10.0.0.6:8000"}).status_code == 400
    wildcard = make_app(index_root, BIND="0.0.0.0:8000").test_client()
    assert wildcard.get("/", headers={"Host": "0.0.0.0:8000"}).status_code == 400


def test_behind_the_proxy_links_take_its_scheme(index_root):
    client = make_app(index_root, PROXY_COUNT=1).test_client()
    headers = {"Host": "localhost:8080", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    assert all(url.startswith("https://localhost:8080/") for url in _links(client, headers))


@pytest.mark.parametrize("asked, canonical", [
    ("/search?q=依申请公开&utm_source=feed&junk=1&page=1&size=10&sort=relevance",
     "/search?q=%E4%BE%9D%E7%94%B3%E8%AF%B7%E5%85%AC%E5%BC%80"),
    ("/search?year=2023&q=公开&page=2&fbclid=x", "/search?q=%E5%85%AC%E5%BC%80&year=2023&page=2"),
    ("/reports/青柳市交通运输局-2023?q=公开&from=mail",
     "/reports/%E9%9D%92%E6%9F%B3%E5%B8%82%E4%BA%A4%E9%80%9A%E8%BF%90%E8%BE%93%E5%B1%80-2023"),
    ("/figures?figure=requests.new.total&sort=agency&order=asc&page=1&x=1", "/figures?figure=requests.new.total"),
    ("/figures?figure=requests.new.total&sort=requests.new.total&size=20",
     "/figures?figure=requests.new.total&sort=requests.new.total&order=desc&size=20"),
    ("/audit?utm_campaign=x", "/audit"),
    ("/?ref=home", "/"),
])
def test_canonical_links_keep_only_the_parameters_that_make_the_page(index_root, asked, canonical):
    client = make_app(index_root, PUBLIC_URL=PUBLIC).test_client()
    page = BeautifulSoup(client.get(asked).data, "html.parser")
    assert page.find("link", rel="canonical")["href"] == PUBLIC + canonical
