"""Every URL of the site: which view answers it, in which format.

A resource has one view (web/views.py), mounted at each of its URLs with the format that
URL prints (``fmt``, web/render.py): its page under the ``pages`` blueprint, its JSON
under ``api`` (/api/…), the search's Atom feed under ``feeds``; the health check for
load balancers (``/healthz``, JSON) under ``pages``. Endpoints are named
after the blueprint and the view (``pages.search``, ``api.search``,
``feeds.search_feed``); links (url_for) and the templates use those names.

An API route takes the parameters of the matching page. ``/api/openapi.json``
(web/openapi.py) describes every API route; the tests validate real responses against it.
"""
from __future__ import annotations

from flask import Blueprint, Flask

from web import views
from web.render import ATOM, HTML, JSON

pages = Blueprint("pages", __name__)
api = Blueprint("api", __name__, url_prefix="/api")
feeds = Blueprint("feeds", __name__)

# view                its page (HTML)                    its JSON, under /api
RESOURCES = (
    (views.search,    "/search",                         "/search"),
    (views.report,    "/reports/<report_id>",            "/reports/<report_id>"),
    (views.report_changes, "/reports/<report_id>/changes", "/reports/<report_id>/changes"),
    (views.compare,   "/compare",                        "/compare"),
    (views.changes,   "/changes",                        "/changes"),
    (views.agency,    "/agencies/<agency_id>",           "/agencies/<agency_id>"),
    (views.agencies,  None,                              "/agencies"),
    (views.audit,     "/audit",                          "/audit"),
    (views.figures,   "/figures",                        "/figures"),
    (views.home,      "/",                               None),
    (views.api_doc,   "/api",                            None),
    (views.original,  "/reports/<report_id>/original",   None),
    (views.favicon,   "/favicon.ico",                    None),
    (views.openapi,   None,                              "/openapi.json"),
)


for _view, _page, _data in RESOURCES:
    if _page:
        pages.add_url_rule(_page, view_func=_view, defaults={"fmt": HTML})
    if _data:
        api.add_url_rule(_data, view_func=_view, defaults={"fmt": JSON})
feeds.add_url_rule("/search.atom", endpoint="search_feed", view_func=views.search, defaults={"fmt": ATOM})
pages.add_url_rule("/healthz", endpoint="health", view_func=views.health, defaults={"fmt": JSON})


def init_app(app: Flask) -> None:
    """Register the blueprints (the rules are mounted once, when this module is imported)."""
    for blueprint in (pages, feeds, api):
        app.register_blueprint(blueprint)
