"""Our answer for every error: requests gunicorn refuses before Flask sees them (a raw
UTF-8 URL, a malformed request line, an oversized line or header) get the site's
envelope or page and its security headers, through web/worker.py, with gunicorn's
status."""
from __future__ import annotations

import json
import socket

import pytest

from reliability.server import Gunicorn
from tests.web_support import site_index
from web.security import HEADERS
from web.worker import RAW_URL

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
    with Gunicorn(root, folder / "gunicorn.log", workers=1, RATELIMIT_ENABLED="0") as running:
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
