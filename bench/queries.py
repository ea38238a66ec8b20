"""The fixed query mix every engine in the benchmark answers, in this order.

One, two, three and four characters and longer; words every report has (公开, 申请)
and words only a few have (madeup.wording's `RARE_TOPICS`); phrases in quotes; two
words that must both occur; a word with no match; and the same kinds of queries
under filters (year, section, agency, region). Every query asks for the top 10 and
the facet counts, as the search page does.

Filters that name an agency or region take the corpus's most frequent one (ties by
name), so the mix stays meaningful at any size and is the same for a given corpus.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from corpus.report import Report
from search.request import SearchRequest

PAGE_SIZE = 10
TOP_AGENCY, TOP_REGION = "{top agency}", "{top region}"


@dataclass(frozen=True)
class BenchQuery:
    """One query of the mix: a label for the table, the text, and its filters."""

    label: str
    q: str
    agencies: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    sections: tuple[str, ...] = ()
    kind: str = field(default="", compare=False)   # 1-char, 2-char, … for grouping

    def request(self) -> SearchRequest:
        """The search library's request for this query (first page of 10)."""
        return SearchRequest(query=self.q, agencies=self.agencies, regions=self.regions,
                             years=self.years, sections=self.sections, page_size=PAGE_SIZE)

    def url(self) -> str:
        """The path and query string of the search page for this query."""
        params = [("q", self.q)] + [("agency", a) for a in self.agencies] \
            + [("region", r) for r in self.regions] + [("year", str(y)) for y in self.years] \
            + [("section", s) for s in self.sections] + [("size", str(PAGE_SIZE))]
        return "/search?" + urlencode(params)

    def baseline_args(self) -> dict:
        return {"agencies": self.agencies, "regions": self.regions, "years": self.years,
                "sections": self.sections}


MIX = (
    BenchQuery("1 char, common", "公", kind="1"),
    BenchQuery("1 char, rare", "碳", kind="1"),
    BenchQuery("2 chars, common", "申请", kind="2"),
    BenchQuery("2 chars, rare", "冷链", kind="2"),
    BenchQuery("3 chars, common", "依申请", kind="3"),
    BenchQuery("3 chars, rare", "蜂产业", kind="3"),
    BenchQuery("4 chars, common", "政务公开", kind="4"),
    BenchQuery("4 chars, rare", "古树名木", kind="4"),
    BenchQuery("long, common", "政府信息公开申请", kind="long"),
    BenchQuery("long, rare", "老旧小区加装电梯", kind="long"),
    BenchQuery("phrase", '"依申请公开"', kind="phrase"),
    BenchQuery("phrase, rare", '"湿地保护修复"', kind="phrase"),
    BenchQuery("two words", "食品安全 培训", kind="words"),
    BenchQuery("no match", "量子计算", kind="4"),
    BenchQuery("year filter", "政策解读", years=(2023,), kind="filter"),
    BenchQuery("section filter", "问题", sections=("problems",), kind="filter"),
    BenchQuery("agency filter", "公开", agencies=(TOP_AGENCY,), kind="filter"),
    BenchQuery("region+years", "行政复议", regions=(TOP_REGION,), years=(2022, 2023), kind="filter"),
    BenchQuery("1 char + year", "费", years=(2021,), kind="filter"),
    BenchQuery("agency name", TOP_AGENCY, kind="agency"),
)


def most_common(values) -> str:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else ""


def mix(reports: list[Report]) -> list[BenchQuery]:
    """The query mix with the corpus's top agency and region filled in."""
    agency = most_common(r.agency for r in reports)
    region = most_common(r.region for r in reports)

    def fill(values):
        return tuple(agency if v == TOP_AGENCY else region if v == TOP_REGION else v for v in values)

    return [replace(query, q=fill([query.q])[0], agencies=fill(query.agencies), regions=fill(query.regions))
            for query in MIX]
