"""The public site and its JSON API: ``create_app()`` builds a fresh Flask app.

There is no module-level app: gunicorn calls ``web:create_app()``, tests call
``create_app({"TESTING": True, "INDEX_PATH": tmp})``. The factory loads the settings
(config.py), registers the engine's service (service.py: the one thing views ask), installs the security layer
(security.py: headers, rate limits, error pages) and the routes (routes.py): one view
per resource (views.py) at its page's URL, its JSON API's (/api/…) and the search's
Atom feed's, printed by render.py.
"""
from __future__ import annotations

import re

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from corpus.clean import is_printable, printable

# A control character json.dumps wrote as an escape (\u0001, \b, \f); a false alarm
# (an escaped backslash before a b) only costs the slow path below.
_ESCAPED_CONTROL = re.compile(r"\\(?:u00[01][0-9a-fA-F]|u007[fF]|[bf])")


def _printable_data(value):
    """`value` with every string in it `printable` (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_printable_data(k): _printable_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable_data(v) for v in value]
    return value


class StrictJSON(DefaultJSONProvider):
    """Flask's JSON, but never NaN or Infinity, nor a control character: NaN and Infinity
    are not JSON, and strict parsers (browsers' ``JSON.parse`` accepts them no more than
    Go or Rust do) reject the body — a non-finite number reaching a response is a bug:
    it raises, and the client gets the 500 envelope rather than a body it cannot read.
    Control characters and noncharacters (a report indexed before its text was cleaned,
    `corpus.clean.printable`) are dropped: the text is checked once as written, and only
    a body holding one is written again from cleaned data."""

    ensure_ascii = False    # Chinese stays readable in the API
    sort_keys = False

    def dumps(self, obj, **kwargs) -> str:
        kwargs.setdefault("allow_nan", False)
        text = super().dumps(obj, **kwargs)
        if is_printable(text) and not _ESCAPED_CONTROL.search(text):
            return text
        return super().dumps(_printable_data(obj), **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, then the engine's service, security, routes."""
    from web import config, links, routes, security, service, workload

    app = Flask(__name__)
    config.load(app, test_config)
    app.json = StrictJSON(app)
    app.jinja_env.globals["canonical_url"] = links.canonical_url
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    workload.init_app(app)
    security.init_app(app)
    service.init_app(app)
    routes.init_app(app)
    return app
