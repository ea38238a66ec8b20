"""The home page: what the corpus holds, and ways in by region, year and agency."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import current_app, url_for

from search.results import AgencyListing, CorpusStats
from web.present.common import Link, agency_url
from web.present.regions import RegionLink, region_links
from web.render import Resource

MAX_AGENCY_LINKS = 120      # beyond this the home page links to the search's agency facet


@dataclass
class Stat:
    label: str
    value: int
    url: str | None = None


@dataclass
class Group:
    label: str
    links: list[Link]


@dataclass
class HomePage:
    stats: list[Stat]
    groups: list[Group]
    max_query_length: int
    regions: list[RegionLink]
    regions_more: int


def home_page(stats: CorpusStats, agencies: list[AgencyListing]) -> HomePage:
    per_region = Counter()
    for a in agencies:
        per_region[a.region] += a.reports
    per_year = Counter(year for a in agencies for year in a.years)
    # Province › city › district › town, each with the reports within it.
    regions, regions_more = region_links({r: per_region[r] for r in stats.region_list if r},
                                         lambda r: url_for("pages.search", region=r))
    groups = [
        Group("按年度", [Link(f"{y} 年度", url_for("pages.search", year=y), per_year[y])
                      for y in stats.year_list]),
        Group("按机关", [Link(a.agency, agency_url(a.agency_id), a.reports)
                      for a in agencies[:MAX_AGENCY_LINKS]]),
    ]
    return HomePage(
        stats=[
            Stat("份年度报告", stats.reports),
            Stat("个机关", stats.agencies),
            Stat("个地区", stats.regions),
            Stat("个年度", stats.years),
            Stat("份报告的表格数字未通过核对", stats.failing,
                 url_for("pages.search", failing=1) if stats.failing else None),
        ],
        groups=[g for g in groups if g.links],
        regions=regions, regions_more=regions_more,
        max_query_length=current_app.config["MAX_QUERY_LENGTH"],
    )


def resource(stats: CorpusStats, agencies: list[AgencyListing]) -> Resource:
    """The home page (a page only: /api/agencies lists the agencies for programs)."""
    return Resource((stats, agencies), "home.html", page=lambda data: {"home": home_page(*data)})
