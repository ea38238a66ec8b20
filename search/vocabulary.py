"""The words of the query language and its filters, each defined here once.

Every module that names a facet, a filter, a sort or an audit kind imports it from
here: the request parser (`search.request`), the engines' facet counts, the site's
links and rate limit (web/), the command line (``python -m search``) and the API's
description (web/openapi.py).

- `FACETS`: the multi-select facet filters, in the order the site shows them; each is
  a request parameter that may repeat (``agency=…&agency=…``). `COLUMN_FACETS` are the
  four that are a column of every section (agency, region, year, section); ``audit``
  (体检) selects the sections of reports having any of the chosen finding kinds;
  ``change`` (与上年相比) the sections of reports whose prose changed as much as any
  chosen class says against their agency's previous report (`index.changes.classes`).
- `OTHER_FILTERS`: filters without a facet column: ``template`` (2019 or 2021),
  ``failing`` (fails a check or not), ``fig`` (a figure condition, repeatable).
- `SORTS`: the orders a search may ask besides a figure key (``requests.new.total``,
  largest first; ``…:asc`` smallest first).
- `AUDIT_KINDS`, `AUDIT_LABELS`, `CLEAN_LABEL`: the audit's finding kinds and their
  Chinese names (`index.audit.kinds` defines them with the rules that make them).
- `CHANGE_CLASSES`, `CHANGE_LABELS`: how much a report's prose changed from its
  predecessor, and their Chinese names (`index.changes.classes`).
- `TEMPLATES`: the report templates (格式) a report may follow.
- `is_report_year`, `FIRST_YEAR`, `LAST_YEAR`: what a year is (`corpus.years`).
"""
from __future__ import annotations

from corpus.report import ALL_FIGURE_KEYS, SECTION_KEYS
from corpus.years import FIRST_YEAR, LAST_YEAR, is_report_year
from index.audit.kinds import CLEAN_LABEL, KINDS as AUDIT_KINDS, LABELS as AUDIT_LABELS
from index.changes.classes import CLASSES as CHANGE_CLASSES, LABELS as CHANGE_LABELS

FACETS = ("agency", "region", "year", "section", "audit", "change")
COLUMN_FACETS = FACETS[:4]
AUDIT = FACETS.index("audit")      # the 体检 facet's place among the facet counts
CHANGE = FACETS.index("change")    # the 与上年相比 facet's
OTHER_FILTERS = ("template", "failing", "fig")
FILTERS = FACETS + OTHER_FILTERS
SORTS = ("relevance", "newest", "oldest")
TEMPLATES = (2019, 2021)
FIGURE_KEYS = frozenset(ALL_FIGURE_KEYS)

__all__ = ["FACETS", "COLUMN_FACETS", "AUDIT", "CHANGE", "CHANGE_CLASSES", "CHANGE_LABELS", "OTHER_FILTERS", "FILTERS", "SORTS", "TEMPLATES",
           "FIGURE_KEYS", "SECTION_KEYS", "AUDIT_KINDS", "AUDIT_LABELS", "CLEAN_LABEL",
           "FIRST_YEAR", "LAST_YEAR", "is_report_year"]
