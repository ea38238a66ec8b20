"""The changes across agencies (/changes): the page, the API's JSON and the downloads,
from one `search.results.ChangeListing`.

The page: a form (figure, the two years, by change or by percentage), the four usual
figures one click away, what was compared (rose, fell, stayed, reported in one year
only), a chart of the largest rises and falls, their two tables (each row linking
the agency, both reports and the two side by side), and beside them the filters with
their counts — regions as a tree, agency kinds, audit findings — each a link that
adds or drops it (multi-select, as the search's facets). The CSV and JSON downloads
hold every agency compared under the same filters (at most ``MAX_CHANGE_ROWS``), the
API the two lists and the counts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, url_for

from corpus.agency_kind import KINDS, LABELS as KIND_LABELS
from search.changes import DEFAULT_FIGURES, MEASURES, ChangesRequest
from search.results import ChangeListing, ChangeRow
from search.vocabulary import AUDIT_KINDS, AUDIT_LABELS
from web import labels
from web.charts import ChangeChart, change_chart
from web.present.common import Link, agency_url, report_url
from web.present.diff import compare_url, percent, signed
from web.present.figures import FIGURE_CHOICES, Option
from web.present.regions import RegionLink, region_links
from web.render import Resource
from web.tables import number

MEASURE_LABELS = {"absolute": "按变化量", "relative": "按变化幅度"}
FACET_LABELS = {"region": "地区", "kind": "机关类型", "audit": "体检"}
CHART_ROWS = 8            # rises (and falls) drawn in the chart
# The usual figures by the short names the quick links give them.
QUICK_LABELS = {"requests.new.total": "本年新收申请", "appeals.review.total": "行政复议",
                "appeals.suits.total": "行政诉讼", "requests.granted.total": "予以公开"}


@dataclass
class ChangeRowView:
    agency: str
    agency_url: str
    region: str
    kind: str
    earlier: str
    earlier_url: str
    later: str
    later_url: str
    change: str
    percent: str
    compare_url: str
    findings: list[str]


@dataclass
class FacetValueView:
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetView:
    name: str
    label: str
    values: list[FacetValueView] = field(default_factory=list)
    tree: list[RegionLink] = field(default_factory=list)


@dataclass
class ChangesPage:
    title: str
    figure_label: str
    earlier_year: int
    later_year: int
    measure_label: str
    figure_options: list[Option]
    quick: list[Link]
    earlier_options: list[Option]
    later_options: list[Option]
    measure_options: list[Option]
    kept: list[tuple[str, str]]          # the chosen filters, kept by the form as hidden fields
    summary: str
    selected: list[Link]                 # each chosen filter, a link that drops it
    clear_url: str
    chart: ChangeChart | None
    chart_note: str
    rises: list[ChangeRowView]
    falls: list[ChangeRowView]
    facets: list[FacetView]
    csv_url: str
    json_url: str
    api_url: str


def chosen(request: ChangesRequest) -> dict[str, tuple[str, ...]]:
    """The filters the request chose, by parameter name."""
    return {"region": request.regions, "kind": request.kinds, "audit": request.audits}


class ChangesLinks:
    """The URLs of one listing with one thing changed (all its state is in the URL)."""

    def __init__(self, request: ChangesRequest):
        self.params = request.to_params()

    def url(self, endpoint: str = "pages.changes", **changes) -> str:
        params = {**self.params, **changes}
        return url_for(endpoint, **{name: value for name, value in params.items() if value})

    def toggle(self, name: str, value: str) -> str:
        values = self.params.get(name, [])
        return self.url(**{name: [v for v in values if v != value] if value in values else [*values, value]})


def _row(row: ChangeRow) -> ChangeRowView:
    return ChangeRowView(
        agency=row.agency, agency_url=agency_url(row.agency_id), region=row.region, kind=KIND_LABELS[row.kind],
        earlier=number(row.earlier), earlier_url=report_url(row.earlier_id),
        later=number(row.later), later_url=report_url(row.later_id),
        change=signed(row.change), percent=percent(row.percent),
        compare_url=compare_url(row.earlier_id, row.later_id),
        findings=[AUDIT_LABELS[kind] for kind in row.findings])


def _chart(listing: ChangeListing) -> tuple[ChangeChart | None, str]:
    relative = listing.measure == "relative"
    rows = listing.rises[:CHART_ROWS] + listing.falls[:CHART_ROWS]
    if relative:
        drawn = [(row.agency, row.percent, percent(row.percent)) for row in rows if row.percent is not None]
        note = "条形长度为变化幅度。"
        if len(drawn) < len(rows):
            note = ("条形长度为变化幅度；" if drawn else "") + "上一年为 0 的机关没有幅度，未画出。"
    else:
        drawn = [(row.agency, row.change, signed(row.change)) for row in rows]
        note = "条形长度为变化量。"
    return change_chart(drawn), note


def _facets(listing: ChangeListing, request: ChangesRequest, links: ChangesLinks) -> list[FacetView]:
    regions = dict(listing.facets.get("region", {}))
    for region in request.regions:
        regions.setdefault(region, 0)
    tree, _ = region_links(regions, lambda value: links.toggle("region", value), request.regions)
    views = [FacetView("region", FACET_LABELS["region"], tree=tree)]
    for name, values, names in (("kind", KINDS, KIND_LABELS), ("audit", AUDIT_KINDS, AUDIT_LABELS)):
        counts, picked = listing.facets.get(name, {}), set(chosen(request)[name])
        views.append(FacetView(name, FACET_LABELS[name], [
            FacetValueView(names[value], counts.get(value, 0), value in picked, links.toggle(name, value))
            for value in values if counts.get(value) or value in picked]))
    return [view for view in views if view.values or view.tree]


def _summary(listing: ChangeListing, figure: str) -> str:
    text = (f"比较 {listing.earlier_year} 与 {listing.later_year} 年度的“{figure}”：共 {listing.compared} 个机关"
            f"两年都有这个数字，其中上升 {listing.rose} 个、下降 {listing.fell} 个、持平 {listing.same} 个。")
    one_year = [f"{count} 个机关只有 {year} 年度的数字" for count, year in
                ((listing.only_earlier, listing.earlier_year), (listing.only_later, listing.later_year)) if count]
    if one_year:
        text += "另有 " + "、".join(one_year) + "，未参与比较。"
    return text


def changes_page(listing: ChangeListing, request: ChangesRequest) -> ChangesPage:
    """Everything /changes shows for this listing and this (parsed) request."""
    links = ChangesLinks(request)
    figure = labels.figure_label(listing.figure)
    chart, note = _chart(listing)
    choices = dict.fromkeys([listing.figure, *DEFAULT_FIGURES, *FIGURE_CHOICES])
    names = {"region": {}, "kind": KIND_LABELS, "audit": AUDIT_LABELS}
    selected = [Link(f"{FACET_LABELS[name]}：{names[name].get(value, value)}", links.toggle(name, value))
                for name, values in chosen(request).items() for value in values]
    return ChangesPage(
        title=f"年度变化：{figure}", figure_label=figure,
        earlier_year=listing.earlier_year, later_year=listing.later_year,
        measure_label=MEASURE_LABELS[listing.measure],
        figure_options=[Option(key, labels.figure_label(key), key == listing.figure) for key in choices],
        quick=[Link(QUICK_LABELS.get(key, labels.figure_label(key)), links.url(figure=[key]),
                    current=key == listing.figure) for key in DEFAULT_FIGURES],
        earlier_options=[Option(str(y), f"{y} 年度", y == listing.earlier_year) for y in listing.years],
        later_options=[Option(str(y), f"{y} 年度", y == listing.later_year) for y in listing.years],
        measure_options=[Option(m, MEASURE_LABELS[m], m == listing.measure) for m in MEASURES],
        kept=[(name, value) for name, values in chosen(request).items() for value in values],
        summary=_summary(listing, figure), selected=selected,
        clear_url=links.url(region=[], kind=[], audit=[]),
        chart=chart, chart_note=note,
        rises=[_row(row) for row in listing.rises], falls=[_row(row) for row in listing.falls],
        facets=_facets(listing, request, links),
        csv_url=links.url(format=["csv"]), json_url=links.url(format=["json"]),
        api_url=links.url("api.changes"))


def _row_json(row: ChangeRow) -> dict:
    return {"agency": row.agency, "agency_id": row.agency_id, "region": row.region, "kind": row.kind,
            "kind_label": KIND_LABELS[row.kind], "earlier": row.earlier, "later": row.later,
            "change": row.change, "percent": row.percent, "findings": row.findings,
            "earlier_id": row.earlier_id, "later_id": row.later_id,
            "earlier_url": report_url(row.earlier_id), "later_url": report_url(row.later_id),
            "compare_url": compare_url(row.earlier_id, row.later_id)}


def _head(listing: ChangeListing, request: ChangesRequest) -> dict:
    return {"figure": listing.figure, "label": labels.figure_label(listing.figure),
            "from": listing.earlier_year, "to": listing.later_year, "measure": listing.measure,
            "region": list(request.regions), "kind": list(request.kinds), "audit": list(request.audits),
            "counts": {"compared": listing.compared, "rose": listing.rose, "fell": listing.fell,
                       "same": listing.same, "only_earlier": listing.only_earlier,
                       "only_later": listing.only_later}}


def changes_json(listing: ChangeListing, request: ChangesRequest) -> dict:
    """The API's listing: the figure, the years, the counts, the rises and falls, the facets."""
    return {**_head(listing, request), "rises": [_row_json(row) for row in listing.rises],
            "falls": [_row_json(row) for row in listing.falls], "facets": listing.facets}


def download_json(listing: ChangeListing, request: ChangesRequest) -> dict:
    """Every agency compared (at most ``MAX_CHANGE_ROWS``), largest rise to largest fall."""
    rows = listing.rows[:current_app.config["MAX_CHANGE_ROWS"]]
    return {**_head(listing, request), "rows": [_row_json(row) for row in rows]}


def download_table(listing: ChangeListing) -> tuple[list[str], list[list]]:
    """The CSV's header and rows: the same agencies as `download_json`."""
    header = ["机关", "地区", "机关类型", f"{listing.earlier_year} 年度", f"{listing.later_year} 年度",
              "变化", "变化幅度（%）", "体检", "上年报告", "本年报告"]
    rows = [[row.agency, row.region, KIND_LABELS[row.kind], row.earlier, row.later, row.change, row.percent,
             "、".join(AUDIT_LABELS[kind] for kind in row.findings), row.earlier_id, row.later_id]
            for row in listing.rows[:current_app.config["MAX_CHANGE_ROWS"]]]
    return header, rows


def resource(listing: ChangeListing, request: ChangesRequest) -> Resource:
    """The listing as a page or as JSON (the downloads: `download_table`, `download_json`)."""
    return Resource(listing, "changes.html", page=lambda found: {"page": changes_page(found, request)},
                    payload=lambda found: changes_json(found, request))
