"""The HTML site: home, search, report, agency and figures pages.

Each view parses its parameters once (web.parsing / present.figures.figure_args),
asks the search library for plain data, hands it to its presenter (web.present),
and renders a template that only prints. A bad parameter raises `BadRequest` and
becomes a 400 page; an unknown id is a 404 (security.py).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file, url_for

from index.ids import report_id as report_id_of
from search import engine, reports
from web.handle import get_handle
from web.parsing import search_request
from web.present import agency as agency_view
from web.present import apidoc
from web.present import audit as audit_view
from web.present import figures as figures_view
from web.present import home as home_view
from web.present import report as report_view
from web.present import search as search_view
from web.workload import search_budget

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
def home():
    """What the corpus holds, and ways into it by region, agency and year."""
    handle = get_handle()
    return render_template("home.html", home=home_view.home_page(
        reports.corpus_stats(handle), reports.list_agencies(handle)))


@blueprint.get("/search")
def search():
    """Hits with highlighted snippets, facets, sort, pages; all state in the URL."""
    handle = get_handle()
    parsed = search_request(request.args)
    with search_budget() as budget:
        results = engine.search(handle, parsed, budget)
    return render_template("search.html", page=search_view.search_page(results, parsed),
                           notice=results.notice)


@blueprint.get("/api")
def api_doc():
    """The JSON API explained for people, from the same description as /api/openapi.json."""
    listed = reports.list_agencies(get_handle())
    examples = {"report_id": report_id_of(listed[0].agency, max(listed[0].years)),
                "agency_id": listed[0].agency_id} if listed else {}
    config = current_app.config
    limit = apidoc.rate_limit_text(config.get("RATELIMIT_APPLICATION", ""), config.get("RATELIMIT_ENABLED", True))
    return render_template("api.html", page=apidoc.api_page(examples, limit, url_for("api.openapi")))


@blueprint.get("/reports/<report_id>")
def report(report_id: str):
    """A whole report; the terms of ``?q=`` marked when coming from a search.

    :raise 404: when there is no report with this id.
    """
    found = reports.get_report(get_handle(), report_id)
    if found is None:
        abort(404)
    query, terms = report_view.query_terms(request.args)
    return render_template("report.html", report=report_view.report_page(found, query, terms))


@blueprint.get("/reports/<report_id>/original")
def original(report_id: str):
    """The original file the report was read from, as a download.

    :raise 404: when there is no such report or its original was not kept.
    """
    path = get_handle().original_path(report_id)
    if path is None:
        abort(404)
    response = send_file(path, as_attachment=True, download_name=report_view.ascii_name(report_id, path))
    # An ASCII name for every browser, the report's own name where filename* is understood.
    response.headers["Content-Disposition"] = report_view.content_disposition(report_id, path)
    return response


@blueprint.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the site's icon (SVG)."""
    return send_file(Path(current_app.static_folder) / "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@blueprint.get("/agencies/<agency_id>")
def agency(agency_id: str):
    """An agency's reports by year, its key figures as a chart, its check history.

    :raise 404: when no report of this agency is indexed.
    """
    found = reports.get_agency(get_handle(), agency_id)
    if found is None:
        abort(404)
    return render_template("agency.html", agency=agency_view.agency_page(found))


@blueprint.get("/audit")
def audit():
    """The audit (年报体检) across the corpus: by kind, year and region, and the agencies
    with the most findings; every number links to the search listing them."""
    page = audit_view.audit_page(reports.audit_overview(get_handle()))
    return render_template("audit.html", page=page)


@blueprint.get("/figures")
def figures():
    """Agencies side by side on chosen figures; CSV or JSON of exactly that table."""
    page = figures_view.load(get_handle(), request.args, page=True)
    if page.args.format == "csv":
        return _csv_download(page)
    if page.args.format == "json":
        return _json_download(page)
    return render_template("figures.html", page=page)


def _csv_cell(value):
    # A spreadsheet runs a cell starting with = + - @ as a formula: keep names text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def _csv_download(page) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(page.download_header)
    writer.writerows([[_csv_cell(v) for v in row] for row in page.download_rows])
    # A BOM, so that Excel (still the journalist's tool) reads the Chinese as UTF-8.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=figures.csv"})


def _json_download(page) -> Response:
    body = json.dumps(figures_view.figures_json(page), ensure_ascii=False, indent=1, allow_nan=False)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=figures.json"})
