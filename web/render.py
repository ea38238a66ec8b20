"""One resource's plain data, printed as the URL asks: a page, the API's JSON, a feed, a file.

Datasette's way. A view (web/views.py) asks the search library once and its presenter
(``web.present.<resource>.resource``) wraps the plain data it got in a `Resource`,
saying how each format prints that same data; the URL the request came by
(web/routes.py gives each view its ``fmt``) picks one:

- ``html``: the template, with the variables `Resource.page` makes of the data;
- ``json``: the API's envelope, ``{"ok": true, …}`` with `Resource.payload`'s keys
  beside ``ok`` (failures are made by security.py: ``{"ok": false, "error", "status"}``);
- ``atom``: the Atom template ``feed.xml`` with `Resource.feed`'s entries, with an
  ETag (a hash of the feed) and ``Cache-Control: public, max-age=FEED_MAX_AGE``: a
  reader asking again with ``If-None-Match`` gets 304 and no body until it changes.

Only the asked printing is built: the API never pays for a page's ~900 search links.
A figures table is also offered as CSV and JSON files (`csv_file`, `json_file`).
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from typing import Any, Callable

from flask import Response, current_app, jsonify, render_template, request

from corpus.clean import printable

HTML, JSON, ATOM = "html", "json", "atom"


@dataclass(frozen=True)
class Resource:
    """Plain data (a `search.results` object, or a presenter's table) and its printings."""

    data: Any
    template: str = ""                                  # the page (html)
    page: Callable[[Any], dict] | None = None           # data -> the template's variables
    payload: Callable[[Any], dict] | None = None        # data -> the envelope's keys (json)
    feed: Callable[[Any], Any] | None = None            # data -> the feed.xml `feed` (atom)


def render(fmt: str, resource: Resource) -> Response | str:
    """`resource` printed as `fmt` (one of HTML, JSON, ATOM)."""
    if fmt == JSON:
        return envelope(**resource.payload(resource.data))
    if fmt == ATOM:
        # XML 1.0 cannot hold a control character: one left in a report's text would
        # make the whole feed unreadable.
        body = printable(render_template("feed.xml", feed=resource.feed(resource.data)))
        return conditional(current_app.response_class(body, mimetype="application/atom+xml"),
                           current_app.config["FEED_MAX_AGE"])
    return render_template(resource.template, **resource.page(resource.data))


def conditional(response: Response, max_age: int) -> Response:
    """`response` with an ETag of its body and a public Cache-Control of `max_age`
    seconds; 304 (no body) when the request's If-None-Match names that ETag."""
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response.make_conditional(request)


def envelope(**payload) -> Response:
    """The API's success body: ``{"ok": true}`` and the payload's keys beside it."""
    return jsonify({"ok": True, **payload})


def _csv_cell(value):
    # A spreadsheet runs a cell starting with = + - @ as a formula: keep names text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def csv_file(header: list[str], rows: list[list], filename: str) -> Response:
    """A table as a CSV download, each cell safe from spreadsheet formulas."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[_csv_cell(v) for v in row] for row in rows])
    # A BOM, so that Excel (still the journalist's tool) reads the Chinese as UTF-8.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={filename}"})


def json_file(payload: dict, filename: str) -> Response:
    """A payload as a JSON download (no envelope: the file is the data), written by the
    site's JSON provider (web/__init__.py: strict numbers, no control characters)."""
    body = current_app.json.dumps(payload, indent=1)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename={filename}"})
