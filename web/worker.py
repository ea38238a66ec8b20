"""gunicorn's worker for the site: gthread, answering in our own words the requests
gunicorn refuses before Flask sees them.

gunicorn parses the request line and the headers itself and answers what it cannot
parse on its own: 400 (a malformed request line, a raw unencoded UTF-8 URL — RFC 9112
allows only printable ASCII there, and no gunicorn setting relaxes that —, a bad
header, an unknown HTTP version), 414 (request line over ``limit_request_line``),
431 (headers over ``limit_request_fields`` / ``limit_request_field_size``), 403, 417,
501. Its own page is English HTML without our security headers. This worker keeps
gunicorn's status and its logging but writes our answer: under ``/api/`` (read off
the request line when it can be) the JSON envelope ``{"ok": false, "error": …,
"status": …}``, elsewhere a short Chinese HTML page, both with the site's security
headers. ``web/gunicorn.conf.py`` selects it (``worker_class``).
"""
from __future__ import annotations

import json
import threading

from gunicorn import util
from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker
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


def _request_target(req, exc) -> str:
    """The path asked for: from the parsed request, or read off a refused request line."""
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
    return ""


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


class Worker(ThreadWorker):
    """gunicorn's gthread worker; its refusals written by `write_error`."""

    def init_process(self):
        util.write_error = write_error      # in this worker process only
        super().init_process()

    def handle_error(self, req, client, addr, exc):
        target = _request_target(req, exc)
        _current.api = target.startswith("/api/") or target == "/api"
        _current.sentence = RAW_URL if isinstance(exc, errors.InvalidRequestLine) and not target.isascii() else None
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            _current.api, _current.sentence = False, None
