"""Concurrent HTTP clients for a bounded time, and what they saw.

`Load(port, paths, clients, seconds)` runs `clients` threads, each on its own
keep-alive connection, going round `paths` from its own starting point until
`seconds` pass or `max_requests` are sent (both bounds always hold). Every request is
recorded as a `Sample`: when it started, how long it took, and its status (0 when no
answer came: refused, reset, timed out). `start()` returns at once, so a scenario can
rebuild the index or kill a worker meanwhile; `stop()` joins the threads and returns
the `Result`.

A request fails when no answer came, when the answer is a 5xx, or when its status is
not one the path may give (200 by default).
"""
from __future__ import annotations

import http.client
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Sample:
    started: float      # time.monotonic() when sent
    seconds: float
    status: int         # 0: no answer
    retry_after: str | None = None   # the Retry-After header of a 429


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


@dataclass
class Result:
    samples: list[Sample] = field(default_factory=list)
    allowed: frozenset[int] = frozenset({200})
    wall: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.samples)

    def failed(self, sample: Sample) -> bool:
        return sample.status == 0 or sample.status >= 500 or sample.status not in self.allowed

    @property
    def failures(self) -> int:
        return sum(1 for s in self.samples if self.failed(s))

    @property
    def server_errors(self) -> int:
        return sum(1 for s in self.samples if s.status >= 500)

    @property
    def statuses(self) -> dict[int, int]:
        return dict(sorted(Counter(s.status for s in self.samples).items()))

    def p(self, pct: float, part: slice = slice(None)) -> float:
        """Latency percentile in ms of answered requests (of a slice of them, in order)."""
        answered = [s.seconds for s in sorted(self.samples, key=lambda s: s.started) if s.status][part]
        return percentile(answered, pct) * 1000

    def p95_by_thirds(self) -> list[float]:
        """p95 in ms over the first, middle and last third of the answered requests."""
        n = sum(1 for s in self.samples if s.status)
        cuts = [0, n // 3, 2 * n // 3, n]
        return [self.p(95, slice(cuts[k], cuts[k + 1])) for k in range(3)]

    @property
    def rate(self) -> float:
        return self.requests / self.wall if self.wall else 0.0

    def figures(self) -> dict:
        return {"requests": self.requests, "failures": self.failures, "5xx": self.server_errors,
                "statuses": self.statuses, "p50_ms": round(self.p(50), 1), "p95_ms": round(self.p(95), 1),
                "p95_by_thirds_ms": [round(v, 1) for v in self.p95_by_thirds()],
                "req_per_s": round(self.rate, 1), "seconds": round(self.wall, 1)}


class Load:
    """`clients` threads sending GET `paths` round-robin to 127.0.0.1:`port`."""

    def __init__(self, port: int, paths: list[str], clients: int = 4, seconds: float = 30.0,
                 max_requests: int = 200_000, allowed=frozenset({200}), source: str | None = None,
                 headers: dict | None = None):
        self.port, self.paths, self.clients = port, list(paths), clients
        self.seconds, self.max_requests = seconds, max_requests
        self.source, self.headers = source, dict(headers or {})
        self.result = Result(allowed=frozenset(allowed))
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sent = 0
        self.started = 0.0

    def _connection(self) -> http.client.HTTPConnection:
        source = (self.source, 0) if self.source else None
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT,
                                          source_address=source)

    def _take(self) -> bool:
        with self._lock:
            if self._sent >= self.max_requests:
                return False
            self._sent += 1
            return True

    def _client(self, offset: int) -> None:
        connection = self._connection()
        mine: list[Sample] = []
        deadline = self.started + self.seconds
        n = offset
        try:
            while not self._stop.is_set() and time.monotonic() < deadline and self._take():
                path = self.paths[n % len(self.paths)]
                n += 1
                started = time.monotonic()
                try:
                    try:
                        connection.request("GET", path, headers=self.headers)
                        response = connection.getresponse()
                    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                        # A kept-alive connection the server closed as idle just as this
                        # request went out (a loaded machine can stall a client past
                        # gunicorn's keep-alive): a GET is sent again on a new connection,
                        # as any HTTP client's pool does. A failure there counts.
                        connection.close()
                        connection = self._connection()
                        connection.request("GET", path, headers=self.headers)
                        response = connection.getresponse()
                    response.read()
                    status = response.status
                    retry_after = response.getheader("Retry-After") if status == 429 else None
                    if response.will_close:
                        connection.close()
                        connection = self._connection()
                except (OSError, http.client.HTTPException):
                    status, retry_after = 0, None
                    connection.close()
                    connection = self._connection()
                mine.append(Sample(started, time.monotonic() - started, status, retry_after))
        finally:
            connection.close()
            with self._lock:
                self.result.samples.extend(mine)

    def start(self) -> "Load":
        self.started = time.monotonic()
        step = max(1, len(self.paths) // max(1, self.clients))
        self._threads = [threading.Thread(target=self._client, args=(k * step,), daemon=True)
                         for k in range(self.clients)]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> Result:
        """Stop the clients (each finishes its request in flight) and return what they saw."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        self.result.wall = time.monotonic() - self.started
        return self.result

    def run(self) -> Result:
        """Run for the whole time budget (or request budget) and return the result."""
        self.start()
        for thread in self._threads:
            thread.join(timeout=self.seconds + REQUEST_TIMEOUT + 5)
        return self.stop()
