"""The JSON API: the same data as the pages, in one envelope.

Success is ``{"ok": true, …}`` with the payload's keys beside ``ok``; failure is
``{"ok": false, "error": "<中文说明>", "status": <HTTP status>}`` with that status
(security.py makes the error responses for everything under /api/). Parameters are
those of the matching page. ``/api/openapi.json`` describes every route (openapi.py);
the tests validate real responses against it.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, current_app, jsonify, request

from search import engine, reports
from web import openapi
from web.config import public_url
from web.handle import get_handle
from web.parsing import search_request
from web.present import agency as agency_view
from web.present import figures as figures_view
from web.present import report as report_view
from web.workload import search_budget

blueprint = Blueprint("api", __name__, url_prefix="/api")


def envelope(**payload):
    return jsonify({"ok": True, **payload})


@blueprint.get("/search")
def search():
    """Search hits, facets and agencies for the parameters of /search."""
    parsed = search_request(request.args)
    with search_budget() as budget:
        results = engine.search(get_handle(), parsed, budget)
    return envelope(**asdict(results))


@blueprint.get("/reports/<report_id>")
def report(report_id: str):
    """One whole report: sections, figures, checks, links.

    :raise 404: when there is no report with this id.
    """
    found = reports.get_report(get_handle(), report_id)
    if found is None:
        abort(404)
    return envelope(report=report_view.report_json(found))


@blueprint.get("/agencies")
def agencies():
    """Every agency with its region and its reports' years."""
    return envelope(agencies=agency_view.agencies_json(reports.list_agencies(get_handle())))


@blueprint.get("/agencies/<agency_id>")
def agency(agency_id: str):
    """One agency: its reports by year with key figures and checks.

    :raise 404: when no report of this agency is indexed.
    """
    found = reports.get_agency(get_handle(), agency_id)
    if found is None:
        abort(404)
    return envelope(agency=agency_view.agency_json(found))


@blueprint.get("/audit")
def audit():
    """The audit across the corpus: reports with each kind of finding, in all, by region
    and by year, and the agencies with the most findings."""
    overview = reports.audit_overview(get_handle())
    data = asdict(overview)
    data["by_year"] = {str(year): counts for year, counts in data["by_year"].items()}
    return envelope(audit=data)


@blueprint.get("/figures")
def figures():
    """The comparison table of /figures: the same columns and rows as its downloads."""
    return envelope(**figures_view.figures_json(figures_view.load(get_handle(), request.args)))


@blueprint.get("/openapi.json", endpoint="openapi")
def openapi_document():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.document(server_url=public_url(current_app.config, "")))

