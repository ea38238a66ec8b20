"""An Atom feed of any search: ``/search.atom?q=…&region=…`` (the parameters of /search).

A journalist subscribes to a search and learns of new matching reports. Entries are
the first ``FEED_SIZE`` hits, newest report first unless the URL asks for another
order; each links to the report page at the matching section, and its summary is
the marked snippet as ``type="html"`` text. The template is XML, so Jinja escapes
everything, the snippet included (as Atom's html type wants).
"""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from search import engine
from web.handle import get_handle
from web.parsing import search_request
from web.present.feed import feed
from web.state import SearchLinks
from web.workload import search_budget

blueprint = Blueprint("feeds", __name__)


@blueprint.get("/search.atom")
def search_feed():
    """The search's first hits as an Atom 1.0 feed."""
    args = MultiDict(request.args)
    args.pop("page", None)     # a feed is always the first hits
    parsed = search_request(args)
    links = SearchLinks(parsed, current_app.config["PAGE_SIZE"])
    # The feed is the search's first hits, newest first unless the URL sorts otherwise.
    newest = {} if "sort" in request.args else {"sort": "newest", "ascending": False}
    entries = replace(parsed, page=1, page_size=current_app.config["FEED_SIZE"], **newest)
    with search_budget() as budget:
        results = engine.search(get_handle(), entries, budget)
    body = render_template("feed.xml", feed=feed(results, links))
    return current_app.response_class(body, mimetype="application/atom+xml")
