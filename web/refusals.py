"""The requests gunicorn refuses before Flask sees them, answered in the site's own words.

gunicorn parses the request line and the headers itself and answers what it cannot
parse on its own: 400 (a malformed request line, a raw unencoded UTF-8 URL — RFC 9112
allows only printable ASCII there, and no gunicorn setting relaxes that —, a bad
header, an unknown HTTP version), 414 (request line over ``limit_request_line``),
431 (headers over ``limit_request_fields`` / ``limit_request_field_size``, or a head
over the worker's own bound), 403, 417, 501. Its own page is English HTML without our
security headers. `write_error` replaces gunicorn's: it keeps gunicorn's status and
its logging but writes our answer — under ``/api/`` the JSON envelope ``{"ok": false,
"error": …, "status": …}``, elsewhere a short Chinese HTML page, both with the site's
security headers.

Whether a refused request was under ``/api/`` is read off what was received: the
parsed request when there is one, the request line an error carries, or else the
first bytes of the request head (web/worker.py reads every head before gunicorn
parses it and keeps them, `Refusing`): a request line too long (414) or headers too
large (431) leave gunicorn with no request at all.

API: `write_error`, `Refusing` (what the refusal being written is about),
`request_target`, `SENTENCES`, `RAW_URL`.
"""
from __future__ import annotations

import json
import threading

from gunicorn import util
from gunicorn.http import errors
from markupsafe import escape

from web.security import HEADERS, MESSAGES, PLAIN_ERROR

SENTENCES = {
    400: "请求无法解析：请求行或请求头的格式有误。",
    403: "这个请求被拒绝。",
    414: "请求的网址过长。",
    417: "不支持请求中的 Expect 要求。",
    431: "请求头过大或过多。",
    501: "不支持请求使用的传输编码。",
}
RAW_URL = "网址中含有未经编码的字符（如汉字）：请先按百分号编码（浏览器会自动这样做）再请求。"

_current = threading.local()   # what the request being refused was, for write_error


def request_target(req, exc, head: bytes = b"") -> str:
    """The path asked for: from the parsed request, a refused request line, or the
    first bytes of the head as received."""
    for source in (req, getattr(exc, "req", None)):   # a bad header's error holds its request
        path = getattr(source, "path", None)
        if isinstance(path, str) and path:
            return path
    line = getattr(exc, "req", None)
    if isinstance(line, str):
        parts = line.split(" ")
        if len(parts) >= 2:
            # gunicorn decoded the bytes as Latin-1: get the UTF-8 text back.
            return parts[1].encode("latin-1", "replace").decode("utf-8", "replace")
    parts = head.lstrip(b"\r\n").split(b"\r\n", 1)[0].split(b" ")
    if len(parts) >= 2:
        return parts[1].decode("utf-8", "replace")
    return ""


class Refusing:
    """While gunicorn answers one refused request (``with Refusing(req, exc, head):``),
    what `write_error` needs to know of it: whether it was under /api/ and which
    sentence to say."""

    def __init__(self, req, exc, head: bytes = b""):
        target = request_target(req, exc, head)
        self.api = target.startswith("/api/") or target == "/api"
        self.sentence = RAW_URL if isinstance(exc, errors.InvalidRequestLine) and not target.isascii() else None

    def __enter__(self) -> "Refusing":
        _current.api, _current.sentence = self.api, self.sentence
        return self

    def __exit__(self, *exc) -> None:
        _current.api, _current.sentence = False, None


def write_error(sock, status_int, reason, mesg) -> None:
    """gunicorn's `util.write_error`, writing our envelope or page instead of its own."""
    sentence = getattr(_current, "sentence", None) or SENTENCES.get(status_int) or MESSAGES.get(
        status_int, MESSAGES[500] if status_int >= 500 else MESSAGES[400])
    if getattr(_current, "api", False):
        body = json.dumps({"ok": False, "error": sentence, "status": status_int}, ensure_ascii=False)
        kind = "application/json"
    else:
        body = PLAIN_ERROR.format(status=status_int, message=escape(sentence))
        kind = "text/html; charset=utf-8"
    data = body.encode("utf-8")
    head = [f"HTTP/1.1 {status_int} {reason}", "Connection: close", f"Content-Type: {kind}",
            f"Content-Length: {len(data)}", *(f"{name}: {value}" for name, value in HEADERS.items())]
    util.write_nonblock(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)
