"""The polite HTTP client (corpus.fetch.client) against a local server on 127.0.0.1:
delay per host, retries and their end, the size cap, robots.txt rules and failures,
redirects that leave the host or loop, conditional GETs."""
from __future__ import annotations

import time

import pytest

from corpus.fetch.client import Client
from tests import portal

pytestmark = pytest.mark.slow


@pytest.fixture()
def site():
    site = portal.Site().start()
    site.resources["/robots.txt"] = portal.Resource(
        b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0\n", "text/plain", etag=False)
    site.resources["/a.html"] = portal.Resource("<p>甲</p>".encode())
    site.resources["/b.html"] = portal.Resource("<p>乙</p>".encode(), last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    yield site
    site.stop()


def test_requests_to_a_host_are_spaced_by_the_delay(site):
    with Client(delay=0.3) as client:
        started = time.monotonic()
        for path in ("/a.html", "/b.html", "/a.html"):
            assert client.get(site.url(path)).ok
        elapsed = time.monotonic() - started
    # robots.txt, then three pages: three gaps of at least 0.3 s
    assert site.requested() == ["/robots.txt", "/a.html", "/b.html", "/a.html"]
    assert elapsed >= 0.9


def test_crawl_delay_in_robots_txt_is_obeyed_when_longer(site):
    # (urllib.robotparser takes whole seconds only)
    site.resources["/robots.txt"] = portal.Resource(b"User-agent: *\nCrawl-delay: 1\n", "text/plain")
    with Client(delay=0.1) as client:
        started = time.monotonic()
        client.get(site.url("/a.html"))    # robots.txt, a second, the page
        client.get(site.url("/b.html"))    # a second, the page
        assert time.monotonic() - started >= 2.0


def test_a_5xx_is_retried_then_recorded_with_a_sentence(site):
    site.failures["/a.html"] = 2
    with Client(delay=0, retries=3, backoff=0) as client:
        assert client.get(site.url("/a.html")).ok
        site.failures["/b.html"] = 99
        answer = client.get(site.url("/b.html"))
    assert [s for p, s, _ in site.log if p == "/a.html"] == [500, 500, 200]
    assert [s for p, s, _ in site.log if p == "/b.html"] == [500] * 4      # first try and 3 retries
    assert answer.status == 500
    assert answer.error == "the server answered HTTP 500 Internal Server Error, also after 3 retries."


def test_a_file_over_the_cap_is_not_kept(site):
    site.resources["/big.pdf"] = portal.Resource(b"%PDF-1.7\n" + bytes(3 * 1024 * 1024), "application/pdf")
    with Client(delay=0, max_bytes=1024 * 1024) as client:
        answer = client.get(site.url("/big.pdf"))
    assert (answer.status, answer.content, answer.error) == ("too-large", b"", "the file is larger than 1 MB.")


def test_robots_txt_disallow_means_no_request(site):
    site.resources["/private/x.html"] = portal.Resource(b"<p>x</p>")
    with Client(delay=0) as client:
        answer = client.get(site.url("/private/x.html"))
    assert (answer.status, answer.error) == ("robots", "robots.txt disallows it.")
    assert "/private/x.html" not in site.requested()


def test_an_unreadable_robots_txt_keeps_the_crawler_off_the_host(site):
    site.failures["/robots.txt"] = 99     # a 503-style outage: RFC 9309 says assume full disallow
    with Client(delay=0, retries=1, backoff=0) as client:
        answer = client.get(site.url("/a.html"))
    assert answer.status == "robots" and "robots.txt could not be read (HTTP 500)" in answer.error
    assert "/a.html" not in site.requested()


def test_a_missing_robots_txt_allows_everything(site):
    del site.resources["/robots.txt"]
    with Client(delay=0) as client:
        assert client.get(site.url("/a.html")).ok


def test_redirects_are_followed_on_the_host_only(site):
    site.redirects["/old.html"] = "/a.html"
    site.redirects["/away.html"] = "http://localhost:9/elsewhere.html"
    site.redirects["/hidden.html"] = "/private/x.html"
    site.redirects["/loop1.html"], site.redirects["/loop2.html"] = "/loop2.html", "/loop1.html"
    with Client(delay=0) as client:
        moved = client.get(site.url("/old.html"))
        away = client.get(site.url("/away.html"))
        hidden = client.get(site.url("/hidden.html"))
        loop = client.get(site.url("/loop1.html"))
    assert moved.ok and moved.final_url == site.url("/a.html") and moved.redirects == [site.url("/old.html")]
    assert moved.content == "<p>甲</p>".encode()
    assert (away.status, away.error) == ("off-host", "it redirects to another host (localhost:9).")
    assert hidden.status == "robots" and "/private/x.html" not in site.requested()
    assert loop.status == "redirect-loop"


def test_validators_give_a_304(site):
    tag = site.resources["/a.html"].tag
    with Client(delay=0) as client:
        assert client.get(site.url("/a.html"), {"If-None-Match": tag}).not_modified
        assert client.get(site.url("/b.html"), {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}).status == 304
        assert client.get(site.url("/a.html"), {"If-None-Match": '"other"'}).ok
