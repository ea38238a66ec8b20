"""Slow clients against the site as shipped: connections that send nothing, one header
line, or a header line every few seconds, opened two a second (at most 40 here, 200 in
RELIABILITY.md's run), while a client on another address asks a cheap search on a new
connection each time. Against bare gunicorn (web/worker.py reads heads without a
thread) and through the shipped nginx (deploy/nginx.conf), the cheap search keeps
answering and the slow connections are closed once their head is late. A client that
reads nothing of its answer holds a thread only until the write deadline."""
from __future__ import annotations

import dataclasses
import http.client
import socket
import time
from urllib.parse import quote

import pytest

from reliability import scenarios
from reliability.server import Gunicorn
from tests.web_support import made_up_reports, site_index

pytestmark = pytest.mark.reliability

SECONDS, LIMIT = 24.0, 40


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return site_index(tmp_path_factory.mktemp("slowclients") / "index")


@pytest.mark.parametrize("proxy", [False, True], ids=["gunicorn", "nginx in front"])
def test_slow_clients_do_not_stop_cheap_searches(index, tmp_path, proxy):
    figures = scenarios.slow_clients(index, tmp_path, seconds=SECONDS, limit=LIMIT, proxy=proxy)
    print(figures)
    cheap, alone, slow = figures["cheap_under_attack"], figures["cheap_alone"], figures["slow_connections"]
    assert slow["opened"] == LIMIT and slow["refused"] == 0, figures
    # Before: every thread held by a slow head, the one cheap search timed out (30 s).
    assert cheap["failures"] == 0 and cheap["requests"] >= 50, figures
    assert cheap["p95_ms"] <= max(2000.0, 5 * alone["p95_ms"] + 500), figures
    # The server closed those whose head was late (10 s here and at nginx), at about 10 s.
    assert slow["closed_by_server"] >= LIMIT // 3, figures
    assert 9.0 <= slow["closed_after_s_median"] <= 13.0, figures
    assert figures["cheap_after"]["failures"] == 0, figures


def test_a_client_that_reads_nothing_holds_its_thread_only_until_the_write_deadline(tmp_path):
    """A 2.9 MB report asked for by a client that never reads: the answer fills the socket's
    buffers and the thread writing it waits. With one thread, a cheap request waits
    behind it until RESPONSE_WRITE_SECONDS close the slow one (before: for ever)."""
    reports = made_up_reports()
    big = reports[0]
    reports[0] = dataclasses.replace(big, sections=[dataclasses.replace(big.sections[0],
                                                                        text="依申请公开工作。" * 120_000),
                                                    *big.sections[1:]])
    root = site_index(tmp_path / "index", reports)
    with Gunicorn(root, tmp_path / "gunicorn.log", workers=1, THREADS=1, RATELIMIT_ENABLED="0",
                  RESPONSE_WRITE_SECONDS=3) as server:
        server.wait_ready(workers=1)
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.connect(("127.0.0.1", server.port))
        path = "/api/reports/" + quote("青柳市交通运输局-2022")
        slow.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("ascii"))
        time.sleep(0.5)                     # its thread is writing now
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", "/api/agencies")
        assert connection.getresponse().status == 200
        waited = time.monotonic() - started
        connection.close()
        received = b""
        slow.settimeout(10)
        try:
            while chunk := slow.recv(1 << 20):
                received += chunk
        except ConnectionResetError:
            pass
        slow.close()
    assert waited < 3 + 10, waited
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    assert length > 2_500_000 and len(body) < length         # cut off, not sent whole
