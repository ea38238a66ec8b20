"""What a public site needs around every view: headers, limits, error pages, secret.

- Every response carries a Content-Security-Policy (our own styles only, no scripts,
  no frames), ``X-Content-Type-Options: nosniff``, a Referrer-Policy and
  ``X-Frame-Options``. Charts are inline SVG styled by classes from site.css, so the
  policy needs no ``unsafe-inline``; the site runs no script at all.
- Each client (its address; behind ``PROXY_COUNT`` trusted proxies, the forwarded
  one) gets ``RATELIMIT_APPLICATION`` requests over all routes together, counted
  once for all workers in a shared store (``RATELIMIT_STORAGE_URI=redis://…``) or,
  in memory, per worker with the limit divided by ``WORKERS`` (`per_worker_limits`),
  so a client never gets more than the setting; beyond
  that flask-limiter answers 429, and its headers tell the client when to retry
  (``Retry-After``). Static files and the health check (a load balancer asks it every
  few seconds) are not counted; an expensive search counts as several requests
  (`web.workload.request_cost`).
- Errors never leak a traceback: a bad parameter is a 400 with a Chinese sentence,
  an unknown page a 404, a missing index or an engine that cannot be reached a 503
  with Retry-After, a search over its work budget with nothing to show a 503 with
  Retry-After, anything unexpected a 500 page; under
  ``/api/`` the same errors come as the JSON envelope
  ``{"ok": false, "error": …, "status": …}``.
- The app refuses to start with the placeholder secret unless it runs in debug or
  testing mode.
"""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask.globals import request_ctx
from markupsafe import escape
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from search.budget import BudgetSpent
from search.request import BadRequest
from search.service import EngineUnavailable
from web import workload
from config.settings import DEFAULT_SECRET

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

# What each status says to a reader; a 400 says its own sentence when it has one.
MESSAGES = {
    400: "请求参数有误。",
    404: "找不到这个页面。",
    405: "不支持这种请求方式。",
    429: "请求过于频繁，请稍后再试。",
    500: "服务器内部出错，请稍后再试。",
    503: "检索索引尚未建立，请稍后再试。",
}

PLAIN_ERROR = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{status}</title>'
               '<p>{message}</p></html>')


class ParameterError(Exception):
    """A request parameter the views cannot use; becomes a 400 with this message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_secret(app: Flask) -> None:
    """Refuse the placeholder secret outside debug and testing."""
    secret = app.config.get("SECRET_KEY")
    if (not secret or secret == DEFAULT_SECRET) and not (app.debug or app.testing):
        raise RuntimeError(
            "refusing to start with the default secret: set REPORTS_SECRET_KEY "
            "(scripts/serve creates one in instance/secret_key)")


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    # flask-limiter sends Retry-After with every response; it only means something on a
    # 429. A 503 (a search over its budget, no index yet, an unreachable cluster) asks
    # for a short wait.
    if response.status_code == 503:
        response.headers["Retry-After"] = str(current_app.config["BUSY_RETRY_AFTER"])
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str):
    """The error page, or under /api/ the JSON envelope, for a status and sentence."""
    if _wants_json():
        response = jsonify({"ok": False, "error": message, "status": status})
        response.status_code = status
        return response
    if request_ctx.url_adapter is None:
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no site chrome.
        return PLAIN_ERROR.format(status=status, message=escape(message)), status
    return render_template("error.html", status=status, message=message), status


def _http_error(error: HTTPException):
    status = error.code or 500
    message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    response = error_response(status, message)
    if status == 405 and error.valid_methods:
        if isinstance(response, tuple):
            return response[0], status, {"Allow": ", ".join(error.valid_methods)}
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _bad_parameter(error):
    return error_response(400, getattr(error, "message", None) or str(error) or MESSAGES[400])


def _unavailable(error: EngineUnavailable):
    # The operator gets the engine's reason in the log; the reader one sentence.
    current_app.logger.warning("engine unavailable on %s: %s", request.path, error.reason)
    return error_response(503, error.message)   # Retry-After: add_headers


def _budget_spent(error: BudgetSpent):
    return error_response(503, error.message)   # Retry-After: add_headers


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    # The operator gets the traceback in the log; the reader gets one sentence.
    current_app.logger.exception("unexpected error on %s", request.path)
    return error_response(500, MESSAGES[500])


def per_worker_limits(limits_text: str, workers: int) -> str:
    """``"120 per minute;2000 per hour"`` for one of `workers` processes that each count
    apart: every amount divided (rounded down, at least 1)."""
    from limits import parse_many

    if workers <= 1:
        return limits_text
    return ";".join(f"{max(1, item.amount // workers)} per {item.multiples} {item.GRANULARITY.name}"
                    for item in parse_many(limits_text))


UNCOUNTED = frozenset({"static", "pages.health"})


def _uncounted() -> bool:
    return request.endpoint in UNCOUNTED


def init_app(app: Flask) -> Limiter:
    """Install headers, rate limits and error handlers; check the secret."""
    check_secret(app)
    if app.config["PROXY_COUNT"]:
        # The client's address, and the scheme it used (absolute links, web/links.py).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])
    app.after_request(add_headers)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        app.config["RATELIMIT_APPLICATION"] = per_worker_limits(app.config["RATELIMIT_APPLICATION"],
                                                                app.config["WORKERS"])
    limiter = Limiter(get_remote_address, app=app, application_limits_exempt_when=_uncounted,
                      application_limits_cost=workload.request_cost)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(BadRequest, _bad_parameter)
    app.register_error_handler(ParameterError, _bad_parameter)
    app.register_error_handler(EngineUnavailable, _unavailable)
    app.register_error_handler(BudgetSpent, _budget_spent)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
    return limiter
