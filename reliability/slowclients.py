"""Slow clients: connections that hold a server's attention without finishing a request.

`SlowClients(port, rate, limit, seconds)` opens one connection every ``1 / rate``
seconds (at most `limit`, for at most `seconds`) from its own loopback address, each
of one kind, in turn:

- ``silent``: connects and sends nothing;
- ``one_line``: sends a request line and one header line (no blank line ending the
  head), then nothing more;
- ``trickle``: sends the request line, then one more header line every
  `trickle_every` seconds, never the blank line — each read of the server gets a
  byte soon enough, so a timeout per read never fires (the classic slowloris).

None of them ever completes a request. A server that serves each connection with a
thread until its head is read gives them every thread; one that reads heads without
a thread, with a deadline for the whole head, closes them and goes on serving.

While running, a thread notices every connection the server closes (or resets) and
how long it had lived; `stop()` closes the rest and returns `Figures`.
"""
from __future__ import annotations

import select
import socket
import threading
import time
from dataclasses import dataclass, field

KINDS = ("silent", "one_line", "trickle")
SOURCE = "127.0.0.2"        # the attack's address: the measuring clients use 127.0.0.1
REQUEST_LINE = b"GET /search?q=%E5%85%AC%E5%BC%80 HTTP/1.1\r\n"


@dataclass
class Figures:
    opened: int = 0                         # connections established
    refused: int = 0                        # connects that failed or timed out
    closed_by_server: int = 0               # connections the server closed or reset
    open_at_end: int = 0                    # still open when the attack stopped
    lived_s: list[float] = field(default_factory=list)   # lifetime of each one the server closed
    answers: dict[int, int] = field(default_factory=dict)   # statuses the server wrote before closing

    def as_dict(self) -> dict:
        lived = sorted(self.lived_s)
        return {"opened": self.opened, "refused": self.refused, "closed_by_server": self.closed_by_server,
                "open_at_end": self.open_at_end,
                "closed_after_s_median": round(lived[len(lived) // 2], 1) if lived else None,
                "closed_after_s_max": round(lived[-1], 1) if lived else None,
                "answers": dict(sorted(self.answers.items()))}


@dataclass
class _Connection:
    sock: socket.socket
    kind: str
    opened: float
    next_line: float


class SlowClients:
    """Opens slow connections to 127.0.0.1:`port` (see the module docstring)."""

    def __init__(self, port: int, rate: float = 2.0, limit: int = 200, seconds: float = 60.0,
                 trickle_every: float = 4.0, source: str = SOURCE, kinds: tuple[str, ...] = KINDS):
        self.port, self.rate, self.limit, self.seconds = port, rate, limit, seconds
        self.trickle_every, self.source, self.kinds = trickle_every, source, kinds
        self.figures = Figures()
        self._open: list[_Connection] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "SlowClients":
        self._thread.start()
        return self

    def stop(self) -> Figures:
        """Stop opening, close every connection still open, return what was seen."""
        self._stop.set()
        self._thread.join(timeout=30)
        self.figures.open_at_end = len(self._open)
        for connection in self._open:
            connection.sock.close()
        self._open.clear()
        return self.figures

    def _connect(self, n: int) -> None:
        kind = self.kinds[n % len(self.kinds)]
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5, source_address=(self.source, 0))
            if kind != "silent":
                sock.sendall(REQUEST_LINE + b"Host: 127.0.0.1\r\n")
        except OSError:
            self.figures.refused += 1
            return
        sock.setblocking(False)
        now = time.monotonic()
        self._open.append(_Connection(sock, kind, now, now + self.trickle_every))
        self.figures.opened += 1

    def _closed(self, connection: _Connection, data: bytes) -> None:
        self.figures.closed_by_server += 1
        self.figures.lived_s.append(time.monotonic() - connection.opened)
        if data.startswith(b"HTTP/"):
            status = int(data.split(b" ", 2)[1])
            self.figures.answers[status] = self.figures.answers.get(status, 0) + 1
        connection.sock.close()
        self._open.remove(connection)

    def _watch(self, wait: float) -> None:
        """Wait up to `wait` s for the server to close (or answer on) any connection."""
        if not self._open:
            time.sleep(wait)
            return
        readable, _, _ = select.select([c.sock for c in self._open], [], [], wait)
        for sock in readable:
            connection = next(c for c in self._open if c.sock is sock)
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            # An answer (a 408, say) is followed by the close; read until it comes.
            self._closed(connection, data)

    def _trickle(self, now: float) -> None:
        for connection in list(self._open):
            if connection.kind == "trickle" and now >= connection.next_line:
                connection.next_line = now + self.trickle_every
                try:
                    connection.sock.send(b"X-Wait: %d\r\n" % int(now))
                except OSError:
                    self._closed(connection, b"")

    def _run(self) -> None:
        started = time.monotonic()
        n = 0
        while not self._stop.is_set() and time.monotonic() - started < self.seconds:
            due = started + n / self.rate
            now = time.monotonic()
            if n < self.limit and now >= due:
                self._connect(n)
                n += 1
                continue
            self._trickle(now)
            self._watch(max(0.0, min(0.2, due - now)) if n < self.limit else 0.2)
