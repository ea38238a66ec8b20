"""The audit's findings on the site: on a report, an agency's history, and the audit
resource (the /audit page and its JSON).

A finding (`index.audit`) is a plain dict with a Chinese sentence (``detail``); here it
gets its kind's Chinese name and a link to the other report involved (last year's
report for ``cross_year``, the twin for ``duplicate``). The /audit page counts the
reports having each kind in all, by region and by year, and links every number to
the search listing those reports' sections (``/search?audit=…``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from flask import url_for

from search.vocabulary import AUDIT_KINDS as KINDS, AUDIT_LABELS as LABELS, CLEAN_LABEL
from search.results import AuditOverview
from web.present.common import agency_url, report_url
from web.render import Resource

MAX_REGIONS = 30            # regions listed on /audit, most findings first


@dataclass
class FindingView:
    kind: str
    label: str
    detail: str
    other_url: str | None = None
    other_label: str | None = None


def _other_label(finding: dict) -> str:
    """How a link to the other report reads: 甲市测试局 2022 年度报告."""
    agency, _, year = str(finding["other"]).rpartition("-")
    return f"{agency} {year} 年度报告" if agency and year.isdigit() else str(finding["other"])


def finding_view(finding: dict) -> FindingView:
    kind = finding.get("kind", "")
    other = finding.get("other")
    return FindingView(kind=kind, label=LABELS.get(kind, kind), detail=finding.get("detail", ""),
                       other_url=report_url(other) if other else None,
                       other_label=_other_label(finding) if other else None)


def finding_json(finding: dict) -> dict:
    """The API's finding: the stored dict, its Chinese name and the other report's links."""
    data = {**finding, "label": LABELS.get(finding.get("kind"), finding.get("kind"))}
    if finding.get("other"):
        data["other_url"] = report_url(finding["other"])
        data["other_api_url"] = url_for("api.report", report_id=finding["other"])
    return data


@dataclass
class AuditYear:
    """One year of an agency's audit history."""

    year: int
    url: str
    findings: list[FindingView] = field(default_factory=list)


def audit_history(reports) -> list[AuditYear]:
    """An agency's findings year by year, newest first (`reports`: its ReportSummary list)."""
    return [AuditYear(r.year, report_url(r.report_id, section="audit"), [finding_view(x) for x in r.findings])
            for r in sorted(reports, key=lambda r: -r.year)]


# --- the /audit page --------------------------------------------------------------------

@dataclass
class CountLink:
    count: int
    url: str | None           # None for a zero: nothing to list


@dataclass
class CountRow:
    label: str
    url: str                  # every kind at once
    total: CountLink
    cells: list[CountLink]


@dataclass
class AuditAgencyView:
    name: str
    url: str
    region: str
    findings: CountLink
    reports: int
    kinds: str


@dataclass
class AuditPage:
    summary: str
    kinds: list[str]          # column headings, in KINDS order
    totals: list[CountRow]    # one row per kind
    regions: list[CountRow]
    regions_more: int
    years: list[CountRow]
    agencies: list[AuditAgencyView]
    api_url: str


def _search(**params) -> str:
    return url_for("pages.search", **{k: v for k, v in params.items() if v not in (None, "", [])})


def _count(count: int, **params) -> CountLink:
    return CountLink(count, _search(**params) if count else None)


def _row(label: str, counts: dict[str, int], **params) -> CountRow:
    present = [k for k in KINDS if counts.get(k)]
    return CountRow(label, _search(audit=present, **params),
                    _count(sum(counts.values()), audit=present, **params),
                    [_count(counts.get(k, 0), audit=k, **params) for k in KINDS])


def audit_page(overview: AuditOverview) -> AuditPage:
    regions = list(overview.by_region.items())
    return AuditPage(
        summary=(f"共 {overview.reports} 份报告，其中 {overview.flagged} 份有体检发现，"
                 f"{overview.reports - overview.flagged} 份{CLEAN_LABEL}。"),
        kinds=[LABELS[k] for k in KINDS],
        totals=[CountRow(LABELS[k], _search(audit=k), _count(overview.totals.get(k, 0), audit=k), [])
                for k in KINDS],
        regions=[_row(region, counts, region=region) for region, counts in regions[:MAX_REGIONS]],
        regions_more=max(0, len(regions) - MAX_REGIONS),
        years=[_row(f"{year} 年度", counts, year=year) for year, counts in overview.by_year.items()],
        agencies=[AuditAgencyView(a.agency, agency_url(a.agency_id), a.region,
                                  _count(a.findings, agency=a.agency, audit=[k for k in KINDS if k in a.kinds]),
                                  a.reports,
                                  "、".join(f"{LABELS[k]} {a.kinds[k]}" for k in KINDS if k in a.kinds))
                  for a in overview.agencies],
        api_url=url_for("api.audit"),
    )


def audit_json(overview: AuditOverview) -> dict:
    """The API's audit: the overview as it is, years as the string keys JSON objects have."""
    data = asdict(overview)
    data["by_year"] = {str(year): counts for year, counts in data["by_year"].items()}
    return data


def resource(overview: AuditOverview) -> Resource:
    """The audit across the corpus as a page or as JSON."""
    return Resource(overview, "audit.html", page=lambda o: {"page": audit_page(o)},
                    payload=lambda o: {"audit": audit_json(o)})
