"""gunicorn's worker for the site: gthread, but no thread waits for a slow client.

gunicorn's gthread worker hands each connection to a thread as soon as it is
accepted (or as soon as a kept-alive one shows a byte); the thread then reads the
request head with blocking reads, for as long as the client takes. A client that
sends one header line and stops — or one line every few seconds — holds that thread
for ever, and a dozen such connections hold every thread of every worker: the site
stops answering and nothing is logged. (gunicorn lets a thread wait 5 s for a first
byte; a silent connection still holds one for those 5 s.)

This worker reads every request head in the worker's event loop instead, without a
thread, as nginx does:

- a connection (new, or kept alive and showing a byte) is watched by the poller;
  what arrives is kept, until the head is whole (its blank line) — only then does a
  thread get it, already buffered, so parsing it never waits on the client;
- the whole head must arrive within ``REQUEST_HEAD_SECONDS`` (10 s) of the
  connection's first wait, however it trickles; after that the connection is closed
  (the log says how many were, once per ten seconds);
- a head longer than `MAX_HEAD_BYTES` gets a 431; a request line beyond
  gunicorn's ``limit_request_line`` goes to gunicorn's parser, which answers 414
  without waiting for more; a bare LF goes there too (400);
- a request body the app did not read (the site answers GET only) is drained for at
  most `BODY_DRAIN_SECONDS` before the connection is kept alive, else it is closed;
- an answer must be taken by the client within ``RESPONSE_WRITE_SECONDS``, or the
  connection is closed: a client that reads nothing holds a thread no longer.

Slow connections then cost a file descriptor and their bytes, up to gunicorn's
``worker_connections`` per worker. The refusals gunicorn writes itself (400, 414,
431 …) come in the site's words (web/refusals.py), the head read so far telling
whether it was an /api/ request. ``web/gunicorn.conf.py`` selects this worker
(``worker_class``). TLS is not read this way (the site speaks plain HTTP on
loopback; nginx in front ends TLS): with ``certfile`` set, heads are read by
gunicorn's threads as before.
"""
from __future__ import annotations

import selectors
import threading
import time
from collections import deque
from functools import partial

from gunicorn import http, util
from gunicorn.http.errors import LimitRequestHeaders
from gunicorn.workers.gthread import ThreadWorker

from web import refusals
from web.config import env_value

# Largest request head read (a browser's is under 8 KB; nginx's default limit is 32 KB).
MAX_HEAD_BYTES = 64 * 1024
# A body the app did not read is drained this long at most before keeping the connection.
BODY_DRAIN_SECONDS = 1.0
# How often the log says how many connections were closed for a slow head.
REPORT_EVERY = 10.0

WHOLE, REFUSE, PARSE, WAIT = "whole", "refuse", "parse", "wait"

_received = threading.local()    # the head of the request a thread (or the loop) is refusing


def head_state(data: bytes, line_limit: int, max_bytes: int = MAX_HEAD_BYTES) -> str:
    """What to do with the bytes received so far on a connection, a request head first:

    - ``REFUSE``: the head is longer than `max_bytes` (ended or not): 431;
    - ``WHOLE``: the head ends (a blank line): parse it;
    - ``PARSE``: gunicorn's parser refuses it without reading more (a request line
      beyond `line_limit`: 414; a bare LF: 400): let it;
    - ``WAIT``: wait for more.
    """
    end = data.find(b"\r\n\r\n")
    head = data if end < 0 else data[:end + 4]        # what follows is a body or the next request
    line = head[2:] if head.startswith(b"\r\n") else head      # one empty line may lead (RFC 9112)
    line_end = line.find(b"\r\n")
    if (line_end if line_end >= 0 else len(line) - 2) > line_limit > 0:
        return PARSE
    if len(head) > max_bytes:
        return REFUSE
    if end >= 0:
        return WHOLE
    return PARSE if head.count(b"\n") != head.count(b"\r\n") else WAIT


class Worker(ThreadWorker):
    """gunicorn's gthread worker, reading request heads in its event loop (see the module docstring)."""

    def init_process(self):
        util.write_error = refusals.write_error      # in this worker process only
        self.head_seconds = float(env_value("REQUEST_HEAD_SECONDS"))
        self.write_seconds = float(env_value("RESPONSE_WRITE_SECONDS"))
        self.reads_heads = not self.cfg.is_ssl
        self.heads = deque()        # connections whose head is arriving, oldest deadline first
        self.slow_heads = 0         # closed for a slow head since the last report
        self.reported = time.monotonic()
        super().init_process()

    # --- heads, read in the event loop (main thread) -----------------------------------

    def enqueue_req(self, conn):
        """Give a connection a thread only once its request head is whole."""
        if not self.reads_heads or getattr(conn, "head_whole", False):
            conn.head_whole = False
            super().enqueue_req(conn)
            return
        conn.sock.setblocking(False)
        # A kept-alive connection may hold the start of its next request already.
        buffered = conn.parser.unreader.take_buffered() if conn.parser is not None else b""
        conn.head = bytearray(buffered)
        conn.head_deadline = time.monotonic() + self.head_seconds
        if buffered and self._whole_or_refused(conn):
            self._hand_on(conn)
            return
        self.heads.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_head_bytes, conn))

    def _on_head_bytes(self, conn, sock):
        try:
            data = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:                              # the client went away
            self._forget(conn)
            self._drop(conn)
            return
        conn.head += data
        if self._whole_or_refused(conn):
            self._forget(conn)          # out of the poller before a thread (or the close) has it
            self._hand_on(conn)

    def _whole_or_refused(self, conn) -> bool:
        return head_state(bytes(conn.head), self.cfg.limit_request_line) != WAIT

    def _hand_on(self, conn) -> None:
        """A 431 for a head too long; else the head, buffered, to a thread and the parser."""
        if head_state(bytes(conn.head), self.cfg.limit_request_line) == REFUSE:
            self._refuse_large(conn)
            return
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
        conn.parser.unreader.unread(bytes(conn.head))
        conn.data_ready = True          # gthread's own 5 s wait for a first byte is not needed
        conn.head_whole = True
        super().enqueue_req(conn)

    def _forget(self, conn) -> None:
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        try:
            self.heads.remove(conn)
        except ValueError:
            pass

    def _drop(self, conn) -> None:
        self.nr_conns -= 1
        conn.close()

    def _refuse_large(self, conn) -> None:
        """431 for a head over MAX_HEAD_BYTES, written at once (the socket's buffer takes it)."""
        _received.head = bytes(conn.head[:4096])
        try:
            self.handle_error(None, conn.sock, conn.client,
                              LimitRequestHeaders(f"request head over {MAX_HEAD_BYTES} bytes"))
        finally:
            _received.head = b""
        self._drop(conn)

    def murder_pending(self):
        """gthread's sweep of idle connections, and of heads past their deadline."""
        super().murder_pending()
        now = time.monotonic()
        while self.heads and self.heads[0].head_deadline <= now:
            conn = self.heads.popleft()
            try:
                self.poller.unregister(conn.sock)
            except (KeyError, ValueError, OSError):
                pass
            self._drop(conn)
            self.slow_heads += 1
        if self.slow_heads and now - self.reported >= REPORT_EVERY:
            self.log.warning("closed %d connection(s) that sent no whole request head within %g s",
                             self.slow_heads, self.head_seconds)
            self.slow_heads, self.reported = 0, now

    # --- a request, in its thread --------------------------------------------------------

    def handle(self, conn):
        # The head as received tells a refused request's path (414 and 431 have no other).
        _received.head = bytes(getattr(conn, "head", b"")[:4096])
        conn.head = bytearray()
        try:
            return super().handle(conn)
        finally:
            _received.head = b""

    def handle_error(self, req, client, addr, exc):
        with refusals.Refusing(req, exc, getattr(_received, "head", b"")):
            super().handle_error(req, client, addr, exc)

    def handle_request(self, req, conn):
        conn.sock.settimeout(self.write_seconds or None)
        try:
            return super().handle_request(req, conn)
        except TimeoutError:
            self.log.info("closed a connection from %s that did not take its answer within %g s",
                          conn.client[0] if conn.client else "?", self.write_seconds)
            return False

    def _keepalive_after(self, conn, keepalive):
        if not keepalive:
            return False
        return bool(conn.parser.finish_body(deadline=time.monotonic() + BODY_DRAIN_SECONDS))
