"""One view per resource, serving every URL the resource has (web/routes.py).

Each view parses its parameters once (web.parsing), asks the engine's service once
(`search.service.ReportsService`, web/service.py: the only thing a view asks),
hands the plain data it gets to its resource's presenter (``web.present.<name>.resource``)
and prints the result in the format its URL asks (``fmt``: web.render — the page, the
API's JSON envelope, the Atom feed). So /search and /api/search, /reports/<id> and
/api/reports/<id>, … are the same code down to the last step and cannot disagree.

A bad parameter raises `BadRequest` and an unknown id aborts with 404; security.py
turns both into a page or, under /api/, the error envelope.
"""
from __future__ import annotations

import io
import time
from pathlib import Path

from flask import abort, current_app, jsonify, request, send_file, url_for

from web.config import search_settings
from web.links import base_url
from web.openapi import document
from web.parsing import (
    against, changes_request, comparison_request, feed_request, marked_terms, report_pair, search_request,
)
from web.present import agency as agency_view
from web.present import apidoc
from web.present.feed import atom_time
from web.present import audit as audit_view
from web.present import changes as changes_view
from web.present import compare as compare_view
from web.present import figures as figures_view
from web.present import home as home_view
from web.present import report as report_view
from web.present import search as search_view
from web.render import ATOM, HTML, csv_file, json_file, render
from search.budget import BudgetSpent
from search.diff import check_pair, predecessor, report_diff
from search.service import EngineUnavailable
from web.service import get_service
from web.workload import search_budget


def _found(value):
    """`value`, or a 404 when the library found nothing (None)."""
    if value is None:
        abort(404)
    return value


def search(fmt: str):
    """Hits (highlighted snippets), facets, agencies for a query and filters; all state in
    the URL. As a feed: the first hits, newest first (web.parsing.feed_request)."""
    if fmt == ATOM:
        shown, run = feed_request()
    else:
        shown = run = search_request()
    service = get_service()
    with search_budget() as budget:
        results = service.search(run, budget)
    # A feed without entries is as new as the index it searched.
    built_at = service.health().built_at if fmt == ATOM and not results.hits else None
    return render(fmt, search_view.resource(results, shown, built_at))


def report(fmt: str, report_id: str):
    """One whole report: sections, figures, checks, findings, links; on the page, the
    terms of ``?q=`` marked when coming from a search, and the report against its
    predecessor (与上年相比: a second report read, no more).

    :raise 404: when there is no report with this id.
    """
    service = get_service()
    found = _found(service.report(report_id))
    query, terms = marked_terms() if fmt == HTML else ("", [])
    diff = None
    if fmt == HTML and predecessor(found):
        earlier = service.report(predecessor(found))
        diff = report_diff(earlier, found) if earlier else None
    return render(fmt, report_view.resource(found, query, terms, diff))


def report_changes(fmt: str, report_id: str):
    """A report against its predecessor (the year before, else the latest earlier one), or
    against ``?against=`` another report of its agency: figures and sentences side by side.

    :raise 404: when either report does not exist. :raise BadRequest: when ``against`` is
        another agency's report or the same one.
    """
    service = get_service()
    later = _found(service.report(report_id))
    other = against()
    earlier = _found(service.report(other)) if other else None
    if other is None and predecessor(later):
        earlier = service.report(predecessor(later))
    if earlier is not None:
        earlier, later = check_pair(earlier, later)
    diff = report_diff(earlier, later) if earlier is not None else None
    agency = service.agency(later.agency_id) if fmt == HTML else None
    return render(fmt, compare_view.resource(diff, later, agency))


def compare(fmt: str):
    """Any two reports of one agency side by side (``?a=…&b=…``, in either order).

    :raise 404: when either report does not exist. :raise BadRequest: when one is
        missing, or they are of two agencies, or the same report.
    """
    first, second = report_pair()
    service = get_service()
    earlier, later = check_pair(_found(service.report(first)), _found(service.report(second)))
    agency = service.agency(later.agency_id) if fmt == HTML else None
    return render(fmt, compare_view.resource(report_diff(earlier, later), later, agency))


def changes(fmt: str):
    """The agencies whose figure rose and fell most between two years; on the page also as
    CSV or JSON of every agency compared under the same filters (``format=csv|json``)."""
    asked, download = changes_request()
    with search_budget() as budget:
        listing = get_service().changes(asked, budget)
    if fmt == HTML and download == "csv":
        header, rows = changes_view.download_table(listing)
        return csv_file(header, rows, "changes.csv")
    if fmt == HTML and download == "json":
        return json_file(changes_view.download_json(listing, asked), "changes.json")
    return render(fmt, changes_view.resource(listing, asked))


def agency(fmt: str, agency_id: str):
    """One agency: its reports by year with key figures (a chart on the page) and checks.

    :raise 404: when no report of this agency is indexed.
    """
    return render(fmt, agency_view.resource(_found(get_service().agency(agency_id))))


def agencies(fmt: str):
    """Every agency with its region and its reports' years."""
    return render(fmt, agency_view.listing(get_service().agencies()))


def audit(fmt: str):
    """The audit (年报体检) across the corpus: reports with each kind of finding, in all, by
    region and by year, and the agencies with the most findings; on the page every
    number links to the search listing them."""
    return render(fmt, audit_view.resource(get_service().audit()))


def figures(fmt: str):
    """Agencies side by side on chosen figures, a page of rows at a time; on the page also
    as CSV or JSON of exactly that table (``format=csv|json``). Under the search budget
    and its slow lane (web/workload.py): a table cut short by the budget says so (page,
    JSON); a CSV cut short is not sent (503)."""
    asked, download = comparison_request(page=fmt == HTML)
    service = get_service()
    stats = service.stats()
    with search_budget() as budget:
        comparison = service.compare(asked, budget)
    if download == "csv" and comparison.partial:
        raise BudgetSpent()      # a file has no place to say it is incomplete
    table = figures_view.figures_page(comparison, asked, stats.region_list, stats.year_list,
                                      shown=fmt == HTML and download == "html")
    if fmt == HTML and download == "csv":
        return csv_file(table.download_header, table.download_rows, "figures.csv")
    if fmt == HTML and download == "json":
        return json_file(figures_view.figures_json(table), "figures.json")
    return render(fmt, figures_view.resource(table))


def home(fmt: str):
    """What the corpus holds, and ways into it by region, agency and year."""
    service = get_service()
    return render(fmt, home_view.resource(service.stats(), service.agencies()))


def api_doc(fmt: str):
    """The JSON API explained for people, from the same description as /api/openapi.json."""
    listed = get_service().agencies()
    examples = {"report_id": listed[0].latest_report, "agency_id": listed[0].agency_id} if listed else {}
    # Two reports of one agency, for /api/compare's sample request.
    several = next((item for item in listed if len(item.years) > 1), None)
    if several is not None:
        earlier = several.latest_report.removesuffix(str(several.years[-1])) + str(several.years[-2])
        examples.update(report_id=several.latest_report, a=earlier, b=several.latest_report)
    config = current_app.config
    limit = apidoc.rate_limit_text(config.get("RATELIMIT_APPLICATION", ""), config.get("RATELIMIT_ENABLED", True))
    return render(fmt, apidoc.resource(examples, limit, url_for("api.openapi")))


def openapi(fmt: str):
    """The OpenAPI 3.1 description of the API (the document itself, no envelope)."""
    return jsonify(document(server_url=base_url(), settings=search_settings(current_app.config)))


def original(fmt: str, report_id: str):
    """The original file the report was read from, as a download (a web page as
    ``application/octet-stream``: `web.present.report.download_type`).

    :raise 404: when there is no such report or its original was not kept.
    """
    found = _found(get_service().original(report_id))
    response = send_file(io.BytesIO(found.content), mimetype=report_view.download_type(found.media_type),
                         as_attachment=True, download_name=report_view.ascii_name(report_id, Path(found.name)))
    # An ASCII name for every browser, the report's own name where filename* is understood.
    response.headers["Content-Disposition"] = report_view.content_disposition(report_id, Path(found.name))
    return response


def health(fmt: str):
    """For load balancers and operators: the engine, the index generation served, its
    report count, when it was built and how long ago (seconds); 503 while there is no
    index or the engine cannot answer. Always JSON, never cached, not rate-limited
    (web/security.py), and cheap: the count comes from what the engine keeps in memory."""
    service = get_service()
    try:
        found = service.health()
    except EngineUnavailable as error:
        response = jsonify({"ok": False, "error": error.message, "status": 503, "engine": service.engine})
        response.status_code = 503
    else:
        age = None if found.built_at is None else max(0, round(time.time() - found.built_at))
        response = jsonify({"ok": True, "engine": found.engine, "generation": found.generation,
                            "reports": found.reports, "built_at": found.built_at and atom_time(found.built_at),
                            "age_seconds": age})
    response.headers["Cache-Control"] = "no-store"
    return response


def favicon(fmt: str):
    """Browsers ask for /favicon.ico whatever the page says: the site's icon (SVG)."""
    return send_file(Path(current_app.static_folder) / "favicon.svg", mimetype="image/svg+xml", max_age=86400)
