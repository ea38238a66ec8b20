"""The search resource: the page (hits, facets with toggle links, selected filters, sort,
pages), the API's JSON and the Atom feed, all from one `SearchResults`.

`resource(results, request)` wraps the engine's `SearchResults` (which carry, for an
empty result, how many hits dropping each selected filter would give) with the URL's
parameters parsed once (`SearchRequest`: all state lives in the URL): the page is
`search_page`'s `SearchPage`, the JSON the results as they are, the feed `feed.feed`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from flask import current_app
from markupsafe import Markup

from search.query import literal_query
from search.request import SearchRequest
from search.results import SearchResults
from web.present.common import FACET_LABELS, Link, Pager, agency_url, marked, pager, report_url, value_label
from web.present.feed import feed
from web.present.regions import RegionLink, region_links
from web.render import Resource
from web.state import FACETS, SearchLinks

SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}


def other_filter_label(name: str, value: str) -> str:
    """How a filter without a facet reads in its chip."""
    if name == "failing":
        return "核对未通过" if value.lower() in ("1", "true", "yes", "on", "是") else "核对全部通过"
    if name == "template":
        return f"{value} 年版模板"
    return f"数字：{value}"


def _chips(links: SearchLinks) -> list[Link]:
    """Every filter in force, each a link that drops it."""
    return ([Link(f"{FACET_LABELS[f]}：{value_label(f, v)}", links.toggle(f, v))
             for f, v in links.selected]
            + [Link(other_filter_label(n, v), links.remove(n, v)) for n, v in links.other_filters])
MAX_EXPANDED = 3            # agencies named when an abbreviation expanded


@dataclass
class Expansion:
    term: str             # 工信局
    agencies: str         # 海东市工业和信息化局、… 等 5 个机关
    literal_url: str      # the same search with the term quoted: its text only


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
    values: list[FacetValueView]
    tree: list[RegionLink] = field(default_factory=list)     # the region facet, nested
    more: int = 0         # top-level regions not listed (fewest hits)


@dataclass
class HitView:
    title: str
    url: str
    agency: str
    agency_url: str
    region: str
    year: int
    published: str | None
    snippet: Markup
    findings: list[str]       # its report's audit findings, by their Chinese names


@dataclass
class AgencyLink:
    name: str
    url: str
    region: str
    reports: int
    sections: int


@dataclass
class SearchPage:
    title: str
    query: str
    summary: str
    max_query_length: int
    hits: list[HitView]
    facets: list[FacetView]
    selected: list[Link]
    clear_url: str
    sorts: list[Link]
    pager: Pager | None
    agencies: list[AgencyLink]
    agencies_more: int
    empty_message: str
    suggestions: list[Link]
    expansions: list["Expansion"]
    feed_url: str
    api_url: str


def _facets(results: SearchResults, links: SearchLinks) -> list[FacetView]:
    views = []
    for name in FACETS:
        values = results.facets.get(name, [])
        if name == "region" and values:
            # Province › city › district › town: choosing a city takes in all within it.
            tree, more = region_links({v.value: v.count for v in values}, lambda r: links.toggle("region", r),
                                      [v.value for v in values if v.selected])
            views.append(FacetView(name, FACET_LABELS[name], [], tree, more))
        elif values:
            views.append(FacetView(name, FACET_LABELS[name], [
                FacetValueView(value_label(name, v.value), v.count, v.selected,
                               links.toggle(name, str(v.value)))
                for v in values]))
    return views


def _hit(hit, query: str) -> HitView:
    return HitView(
        title=f"{hit.agency} {hit.year} 年度报告 · {hit.title}",
        url=report_url(hit.report_id, query, hit.section),
        agency=hit.agency, agency_url=agency_url(hit.agency_id), region=hit.region,
        year=hit.year, published=hit.published, snippet=marked(hit.snippet),
        findings=[value_label("audit", kind) for kind in hit.findings])


def _empty_state(results, links) -> tuple[str, list[Link]]:
    """What to say when the page is empty, and which filter to drop (with its hits).

    The counts come with the results (`SearchResults.without_filter`, read by the engine
    off its facet counts): the hits without each selected value, and without any filter.
    """
    without = {(f, v): results.without_filter.get(f"{f}:{v}") for f, v in links.selected}
    without["all"] = results.without_filter.get("all", results.unfiltered)
    if results.hits:
        return "", []
    if results.total:
        return (f"第 {results.page} 页已经没有结果了，共 {results.total} 个章节。",
                [Link("回到第 1 页", links.to_page(1))])
    suggestions = [Link(f"去掉「{FACET_LABELS[f]}：{value_label(f, v)}」", links.toggle(f, v),
                        count=without.get((f, v)))
                   for f, v in links.selected]
    suggestions += [Link(f"去掉「{other_filter_label(n, v)}」", links.remove(n, v))
                    for n, v in links.other_filters]
    suggestions.sort(key=lambda link: -(link.count or 0))
    if len(links.selected) + len(links.other_filters) > 1:
        suggestions.append(Link("清除全部筛选", links.clear(), count=without.get("all")))
    message = "没有找到符合条件的报告章节。"
    if not suggestions and results.query:
        message += "换一个说法试试，或者少用几个词。"
    return message, suggestions


def _expansions(results: SearchResults, links: SearchLinks) -> list[Expansion]:
    """Each abbreviation the query expanded, the agencies it stood for, the literal search."""
    out = []
    for term, names in results.expansions.items():
        shown = names[:MAX_EXPANDED]
        out.append(Expansion(term, "、".join(shown) + (f" 等 {len(names)} 个机关" if len(names) > len(shown) else ""),
                             links.url(q=literal_query(results.query, term))))
    return out


def search_page(results: SearchResults, request: SearchRequest) -> SearchPage:
    """Everything the search page shows for these results and this (parsed) request."""
    links = SearchLinks(request, current_app.config["PAGE_SIZE"])
    sort = links.sort_key
    sorts = [Link(label, links.sort(key), current=(key == sort)) for key, label in SORT_LABELS.items()]
    if results.query:
        summary = f"“{results.query}”：共 {results.total} 个章节"
        title = f"{results.query} · 检索"
    else:
        summary = f"共 {results.total} 个章节"
        title = "检索"
    empty, suggestions = _empty_state(results, links)
    agencies = [AgencyLink(a.agency, agency_url(a.agency_id), a.region, a.reports, a.sections)
                for a in results.agencies] if results.query else []
    return SearchPage(
        title=title, query=results.query, summary=summary,
        max_query_length=current_app.config["MAX_QUERY_LENGTH"],
        hits=[_hit(h, results.query) for h in results.hits],
        facets=_facets(results, links),
        selected=_chips(links),
        clear_url=links.clear(), sorts=sorts,
        pager=pager(results.page, results.total, results.page_size, links.to_page),
        agencies=agencies,
        agencies_more=max(0, results.agencies_total - len(agencies)) if agencies else 0,
        empty_message=empty, suggestions=suggestions,
        expansions=_expansions(results, links),
        feed_url=links.feed(), api_url=links.api(),
    )


def resource(results: SearchResults, request: SearchRequest, built_at: float | None = None) -> Resource:
    """The search as a page, as JSON (the results themselves) or as a feed; `request` is
    the search as its URL gives it, which the links keep (a feed runs another: the first
    hits, newest first, `web.parsing.feed_request`); `built_at`: when the index was built
    (an empty feed's time)."""
    return Resource(results, "search.html",
                    page=lambda r: {"page": search_page(r, request), "notice": r.notice},
                    payload=asdict, feed=lambda r: feed(r, request, built_at))
