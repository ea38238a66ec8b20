"""The index's facet columns as plain Python lists, read once per index version.

Facet counts, multi-select filtering, "newest first" and figure sorts all need, for
many documents, their agency, region, year, section and report. whoosh keeps those
in columns (the fields are sortable); reading a column value per document per query
is slow in Python, so a `Catalog` reads each column once into a list indexed by
document number, kept by the index handle for that index version (a new generation,
or documents added or deleted, is a new version: `index.store.IndexHandle.derived`,
`search.whoosh.context.snapshot`).
Figures are read per key, on first use, into ``{report_id: value}``.

Built inside a searcher block from that searcher, it holds only plain data.

API: `Catalog(searcher)` with ``sections`` (docnums of section documents),
``reports`` (docnums of report documents), per-docnum lists ``agency``, ``region``,
``year``, ``section``, ``report_id``, ``year_section`` (a code into ``pairs``: (year, section)), sets ``failing`` and ``template[2019|2021]``,
``section_set``, ``findings`` (audit kind -> docnums of the sections of reports having it),
``report_findings`` (audit kind -> report ids), ``changes`` (change class -> docnums of the
sections of reports in it), ``report_changes`` (change class -> report ids), ``agency_region``,
``one_region_per_agency``,
``sections_by_agency``, ``sections_with(facet, values)``, ``agencies()`` (sorted names), ``figure(searcher, key) ->
{report_id: float}``, ``reports_passing(searcher, filters) -> {report_id}``, ``lengths(searcher, field)`` and ``date_rank(oldest, key)``.
What queries compute is kept apart, in `search.querycache`.
"""
from __future__ import annotations

import math
import threading
from array import array

from whoosh.util.numeric import byte_to_length

from index import schema as f
from index.audit.kinds import KINDS as AUDIT_KINDS
from index.changes.classes import CLASSES as CHANGE_CLASSES
from index.ids import report_id as make_report_id
from index import whoosh_adapter

_LENGTH_TABLE = [byte_to_length(b) if b else 1 for b in range(256)]


def _docs_with(searcher, field: str, value) -> list[int]:
    """Sorted docnums of the live documents whose `field` holds `value` (an exact term),
    read a posting block at a time (whoosh's ``docs_for_query`` steps one id at a time)."""
    term = searcher.schema[field].to_bytes(value)
    found: list[int] = []
    for leaf, base in searcher.reader().leaf_readers():
        if (field, term) in leaf:
            found += [base + docnum for docnum in whoosh_adapter.block_ids(leaf.postings(field, term))]
    return found


def _column(reader, field: str, size: int) -> list:
    """A sortable field's values for every docnum, each distinct value one shared object."""
    if not reader.has_column(field):
        return [None] * size
    field_type = reader.schema[field]
    raw: list = []
    for leaf, _ in reader.leaf_readers():
        count = leaf.doc_count_all()
        if leaf.has_column(field):
            raw += whoosh_adapter.column_values(leaf.column_reader(field, translate=False), count)
        else:   # what whoosh's stand-in column gives: the column type's default
            raw += [field_type.column_type.default_value()] * count
    distinct = {value: field_type.from_column_value(value) for value in set(raw)}
    return list(map(distinct.__getitem__, raw))


class Catalog:
    """Plain lists of the facet columns of one version of the index (see module doc)."""

    def __init__(self, searcher):
        reader = searcher.reader()
        size = reader.doc_count_all()
        # Through the searcher: it adds each segment's offset to its document numbers.
        self.sections = _docs_with(searcher, f.KIND, f.KIND_SECTION)
        self.reports = _docs_with(searcher, f.KIND, f.KIND_REPORT)
        self.agency = _column(reader, f.AGENCY, size)
        self.region = _column(reader, f.REGION, size)
        self.year = [int(y) if y is not None else 0 for y in _column(reader, f.YEAR, size)]
        self.section = _column(reader, f.SECTION, size)
        # Each docnum's (year, section) as one small code: both facets in one counting pass.
        codes: dict[tuple, int] = {}
        self.year_section = [codes.setdefault(pair, len(codes)) for pair in zip(self.year, self.section)]
        self.pairs = list(codes)
        ids: dict[tuple, str] = {}
        self.report_id = [None] * size
        for docnum in (*self.sections, *self.reports):
            pair = (self.agency[docnum], self.year[docnum])
            rid = ids.get(pair)
            if rid is None:
                rid = ids[pair] = make_report_id(*pair)
            self.report_id[docnum] = rid
        self.failing = frozenset(_docs_with(searcher, f.FAILING, True))
        self.template = {
            template: frozenset(_docs_with(searcher, f.TEMPLATE, template))
            for template in (2019, 2021)
        }
        self._agencies = sorted({self.agency[d] for d in self.reports})
        self.section_set = frozenset(self.sections)
        # The audit's finding kinds (index.audit): sections and report ids having each.
        self.findings: dict[str, frozenset[int]] = {}
        self.report_findings: dict[str, frozenset[str]] = {}
        for kind in AUDIT_KINDS:
            docs = _docs_with(searcher, f.FINDING, kind) if f.FINDING in searcher.schema else []
            self.findings[kind] = frozenset(d for d in docs if d in self.section_set)
            self.report_findings[kind] = frozenset(self.report_id[d] for d in docs if d not in self.section_set)
        # How much each report's prose changed from its predecessor (index.changes).
        self.changes: dict[str, frozenset[int]] = {}
        self.report_changes: dict[str, frozenset[str]] = {}
        for change in CHANGE_CLASSES:
            docs = _docs_with(searcher, f.CHANGE, change) if f.CHANGE in searcher.schema else []
            self.changes[change] = frozenset(d for d in docs if d in self.section_set)
            self.report_changes[change] = frozenset(self.report_id[d] for d in docs if d not in self.section_set)
        # For the agencies summary: an agency's region.
        self.agency_region: dict[str, str] = {}
        pairs = set(zip(map(self.agency.__getitem__, self.sections), map(self.region.__getitem__, self.sections)))
        for name, region in sorted(pairs, key=lambda pair: tuple(map(str, pair))):
            self.agency_region.setdefault(name, region)
        # Region counts can be summed from agency counts only if this holds.
        self.one_region_per_agency = len(pairs) == len(self.agency_region)
        self.sections_by_agency: dict[str, list[int]] = {}
        for docnum in self.sections:
            self.sections_by_agency.setdefault(self.agency[docnum], []).append(docnum)
        self._figures: dict[str, dict[str, float]] = {}
        self._lengths: dict[str, bytes] = {}
        self._by_value: dict[str, dict] = {"agency": self.sections_by_agency}
        self._orders: dict[str, array] = {}
        self._lock = threading.Lock()

    def sections_with(self, facet: str, values) -> set[int]:
        """Docnums of the sections whose `facet` ("agency", "region", "year", "section")
        is one of `values`; each facet's value → sections index is made on first use."""
        index = self._value_index(facet)
        found: set[int] = set()
        for value in values:
            found.update(index.get(value, ()))
        return found

    def _value_index(self, facet: str) -> dict:
        index = self._by_value.get(facet)
        if index is None:
            column = getattr(self, facet)
            index = {}
            for docnum in self.sections:
                index.setdefault(column[docnum], []).append(docnum)
            with self._lock:
                index = self._by_value.setdefault(facet, index)
        return index

    def values(self, facet: str):
        """Every value `facet` takes in the index (the keys of its value → sections index)."""
        return self._value_index(facet).keys()

    def agencies(self) -> list[str]:
        """Every agency name in the index, sorted."""
        return self._agencies

    def lengths(self, searcher, field: str) -> tuple[bytes, list[int]]:
        """Field lengths as whoosh stores them: one byte per docnum and its decoding table.

        ``table[raw[docnum]]`` is what ``searcher.doc_field_length(docnum, field, 1)``
        returns, without a column lookup per document (`search.ranking`).
        """
        raw = self._lengths.get(field)
        if raw is None:
            raw = b"".join(whoosh_adapter.length_bytes(leaf, field) for leaf, _ in searcher.reader().leaf_readers())
            with self._lock:
                self._lengths[field] = raw
        return raw, _LENGTH_TABLE

    def date_rank(self, oldest: bool, key) -> array:
        """Each section's place in the index's newest-first (or oldest-first) order.

        Ties within a year are ordered by ``key(docnum)`` (agency, section in template
        order, docnum). Computed once per index version; ``rank[docnum]`` is an int,
        so a search orders its hits by a C-level lookup (`search.whoosh.engine`).
        """
        name = "oldest" if oldest else "newest"
        rank = self._orders.get(name)
        if rank is None:
            sign = 1 if oldest else -1
            order = sorted(self.sections, key=lambda d: (sign * self.year[d], *key(d)))
            rank = array("l", bytes(array("l").itemsize * len(self.year)))
            for place, docnum in enumerate(order):
                rank[docnum] = place
            with self._lock:
                self._orders[name] = rank
        return rank

    def reports_passing(self, searcher, filters) -> set[str]:
        """Ids of the reports passing every figure filter (`search.request.FigureFilter`);
        every report when there is none."""
        passing: set[str] | None = None
        for item in filters:
            values = self.figure(searcher, item.key)
            ok = {rid for rid, value in values.items() if item.test(value)}
            passing = ok if passing is None else passing & ok
        if passing is None:
            return {self.report_id[d] for d in self.reports}
        return passing

    def figure(self, searcher, key: str) -> dict[str, float]:
        """``{report_id: value}`` for the reports that have figure `key` (missing: absent)."""
        values = self._figures.get(key)
        if values is not None:
            return values
        reader = searcher.reader()
        field = f.figure_field(key)
        values = {}
        if reader.has_column(field):
            column = reader.column_reader(field, translate=True)
            for docnum in self.reports:
                value = column[docnum]
                if value is not None and math.isfinite(value):   # inf: an index from before figures were bounded
                    values[self.report_id[docnum]] = float(value)
        with self._lock:
            self._figures[key] = values
        return values

