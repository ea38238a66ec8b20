"""gunicorn serving the site on loopback, and HTTP clients that time its answers.

`Server` starts gunicorn with web/gunicorn.conf.py on a free 127.0.0.1 port (rate limit
off: the clients are the benchmark; the whoosh index given, or the engine its
``engine`` variables choose), `stop()` always ends it; `http_clients` runs
keep-alive clients over a list of queries, bounded by a count and a time budget.
"""
from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.measure import PROJECT_ROOT, Latency, children, rss_kb

START_TIMEOUT = 120               # seconds for gunicorn to answer its first request
REQUEST_TIMEOUT = 60              # seconds for one HTTP request


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


class Server:
    """gunicorn serving the site on 127.0.0.1:<free port>; `stop()` always ends it."""

    def __init__(self, index_dir: Path, log: Path, workers: int | None, engine: dict[str, str] | None = None):
        """`engine`: environment variables choosing another engine (``REPORTS_ENGINE``…)."""
        self.port = free_port()
        env = dict(os.environ, REPORTS_BIND=f"127.0.0.1:{self.port}", REPORTS_INDEX_PATH=str(index_dir),
                   REPORTS_SECRET_KEY=secrets.token_hex(32), REPORTS_RATELIMIT_ENABLED="0", **(engine or {}))
        if workers:
            env["REPORTS_WORKERS"] = str(workers)
        self.log = log.open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "web/gunicorn.conf.py", "--access-logfile", "/dev/null",
             "web:create_app()"], cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_first_answer(self, path: str) -> float:
        """Seconds from launch to the first 200 answer to `path`."""
        deadline = self.started + START_TIMEOUT
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
                try:
                    if _get(connection, path) == 200:
                        return time.perf_counter() - self.started
                finally:
                    connection.close()
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s; see {self.log.name}")

    def worker_rss_mb(self) -> list[float]:
        return [rss_kb(pid) / 1024 for pid in children(self.process.pid)]

    def master_rss_mb(self) -> float:
        return rss_kb(self.process.pid) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self.log.close()


def http_clients(port: int, mix, clients: int, passes: int, seconds: float) -> Latency:
    """`clients` threads, each going through the mix `passes` times (from its own
    starting point), on keep-alive connections; all stop when `seconds` run out."""
    latency = Latency()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        mine, errors = [], 0
        try:
            for n in range(passes * len(mix)):
                if time.perf_counter() > deadline:
                    break
                query = mix[(offset + n) % len(mix)]
                t = time.perf_counter()
                try:
                    ok = _get(connection, query.url()) == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                elapsed = time.perf_counter() - t
                if ok:
                    mine.append(elapsed)
                else:
                    errors += 1
        finally:
            connection.close()
        with lock:
            latency.samples.extend(mine)
            latency.errors += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k * 7,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * REQUEST_TIMEOUT)
    latency.wall = time.perf_counter() - started
    return latency

