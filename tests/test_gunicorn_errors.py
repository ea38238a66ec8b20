"""Our answer for every error: requests gunicorn refuses before Flask sees them (a raw
UTF-8 URL, a malformed request line, an oversized line or header) get the site's
envelope or page and its security headers, through web/worker.py and web/refusals.py,
with gunicorn's status; and the worker's own reading of request heads (in pieces,
pipelined, kept alive) serves every well-formed request."""
from __future__ import annotations

import json
import socket
import time

import pytest

from reliability.server import Gunicorn
from tests.web_support import site_index
from web.security import HEADERS
from web.refusals import RAW_URL, SENTENCES


HEAD_SECONDS = 3

pytestmark = pytest.mark.slow


def exchange(port: int, data: bytes) -> tuple[int, dict, bytes]:
    """Send raw bytes, read the whole answer: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn-errors")
    root = site_index(folder / "index")
    with Gunicorn(root, folder / "gunicorn.log", workers=1, RATELIMIT_ENABLED="0",
                  REQUEST_HEAD_SECONDS=HEAD_SECONDS) as running:
        running.wait_ready(workers=1)
        yield running


def assert_ours(headers: dict) -> None:
    for name, value in HEADERS.items():
        assert headers.get(name) == value, name


def test_a_raw_utf8_api_url_gets_the_json_envelope(server):
    status, headers, body = exchange(server.port, "GET /api/search?q=公开 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert status == 400
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"ok": False, "error": RAW_URL, "status": 400}
    assert_ours(headers)


def test_a_raw_utf8_page_url_gets_a_chinese_page(server):
    status, headers, body = exchange(server.port, "GET /search?q=公开 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert status == 400 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert RAW_URL in body.decode("utf-8") and "Bad Request" not in body.decode("utf-8")
    assert_ours(headers)


@pytest.mark.parametrize("data, expected", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /api/agencies HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 400),
    (b"GET /api/agencies HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n", 400),
    (b"GET /api/search?q=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414),
    (b"GET /api/agencies HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: " + b"a" * 20_000 + b"\r\n\r\n", 431),
])
def test_what_gunicorn_refuses_comes_in_our_words_and_headers(server, data, expected):
    status, headers, body = exchange(server.port, data)
    assert status == expected
    assert_ours(headers)
    text = body.decode("utf-8")
    assert "Invalid" not in text and "GARBAGE" not in text   # nothing echoed back
    if headers["Content-Type"] == "application/json":
        assert json.loads(text)["status"] == expected
    else:
        assert "<!doctype html>" in text and "。" in text
    assert server.get("/api/agencies")[0] == 200


LONG_LINE = b"a" * 20_000
BIG_HEADER = b"X-Junk: " + b"a" * 20_000 + b"\r\n"
MANY_HEADERS = b"".join(b"X-Junk-%d: a\r\n" % n for n in range(200))
# Under the 8190-byte limit each, over the worker's 64 KiB for a whole head.
HUGE_HEAD = b"".join(b"X-Part-%d: " % n + b"b" * 8000 + b"\r\n" for n in range(10))


@pytest.mark.parametrize("path, extra, expected", [
    (b"/api/search?q=" + LONG_LINE, b"", 414),
    (b"/api/agencies", BIG_HEADER, 431),
    (b"/api/agencies", MANY_HEADERS, 431),
    (b"/api/agencies", HUGE_HEAD, 431),
    (b"/api", BIG_HEADER, 431),
])
def test_refusals_under_api_are_the_json_envelope(server, path, extra, expected):
    status, headers, body = exchange(server.port, b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + b"\r\n")
    assert status == expected
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"ok": False, "error": SENTENCES[expected], "status": expected}
    assert_ours(headers)


@pytest.mark.parametrize("path, extra, expected", [
    (b"/search?q=" + LONG_LINE, b"", 414),
    (b"/search", BIG_HEADER, 431),
    (b"/", HUGE_HEAD, 431),
    (b"/apidoc", BIG_HEADER, 431),
])
def test_refusals_elsewhere_are_a_chinese_page(server, path, extra, expected):
    status, headers, body = exchange(server.port, b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + b"\r\n")
    assert status == expected and headers["Content-Type"] == "text/html; charset=utf-8"
    assert SENTENCES[expected] in body.decode("utf-8")
    assert_ours(headers)


def test_a_head_arriving_in_pieces_is_answered(server):
    request = b"GET /api/agencies HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as connection:
        for start in range(0, len(request), 7):
            connection.sendall(request[start:start + 7])
            time.sleep(0.05)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["ok"] is True


def test_pipelined_and_kept_alive_requests_are_all_answered(server):
    one = b"GET /api/agencies HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as connection:
        connection.sendall(one + one[:20])          # a whole request and the start of the next
        time.sleep(0.3)
        connection.sendall(one[20:])
        time.sleep(0.3)
        connection.sendall(one.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.count(b"HTTP/1.1 200 ") == 3


def test_a_head_that_never_ends_is_closed_after_the_head_deadline(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(b"GET /api/agencies HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        assert connection.recv(65536) == b""          # closed, nothing written
        waited = time.monotonic() - started
    assert HEAD_SECONDS - 0.5 <= waited <= HEAD_SECONDS + 5, waited


def test_refused_heads_leave_the_same_worker_serving(server):
    workers = server.workers()
    for _ in range(5):
        assert exchange(server.port, b"GET /api/agencies HTTP/1.1\r\nHost: 127.0.0.1\r\n" + HUGE_HEAD + b"\r\n")[0] == 431
        assert server.get("/api/agencies")[0] == 200
    assert server.workers() == workers          # no worker died and was replaced
