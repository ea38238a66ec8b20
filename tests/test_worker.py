"""When the worker (web/worker.py) hands a request head on: whole, to the parser that
refuses it at once, refused as too large, or kept waiting for more bytes."""
from __future__ import annotations

import pytest

from web.worker import MAX_HEAD_BYTES, PARSE, REFUSE, WAIT, WHOLE, head_state

LINE = 4094


@pytest.mark.parametrize("data, expected", [
    (b"", WAIT),
    (b"GET / HTTP/1.1\r\n", WAIT),
    (b"GET / HTTP/1.1\r\nHost: x\r\n", WAIT),
    (b"GET / HTTP/1.1\r\nHost: x\r\n\r", WAIT),
    (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", WHOLE),
    (b"GET / HTTP/1.1\r\n\r\n", WHOLE),
    (b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next", WHOLE),       # pipelined: the first is whole
    (b"\r\nGET / HTTP/1.1\r\n", WAIT),                           # one empty line may lead
    (b"GET / HTTP/1.1\nHost: x\n\n", PARSE),                     # bare LF: the parser says 400
    (b"GET /" + b"a" * LINE + b" HTTP/1.1\r\n", PARSE),          # request line too long: 414
    (b"GET /" + b"a" * LINE, PARSE),                             # … even before its end arrives
    (b"GET /" + b"a" * (LINE - 20), WAIT),
    (b"GET / HTTP/1.1\r\n" + b"X: " + b"b" * MAX_HEAD_BYTES + b"\r\n", REFUSE),
])
def test_head_state(data, expected):
    assert head_state(data, LINE) == expected


def test_only_the_head_counts_towards_its_limit():
    whole = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    assert head_state(whole * 5000, LINE) == WHOLE                 # pipelined requests after it
    assert head_state(whole[:-2] + b"X: " + b"b" * MAX_HEAD_BYTES + b"\r\n\r\n", LINE) == REFUSE
