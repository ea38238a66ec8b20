"""The whoosh schema: every field name in one place, and the two kinds of document.

One index holds two kinds of document, told apart by ``kind``:

* ``kind="section"`` — one per section of a report: what full-text search finds.
  Its prose is ``text`` (jieba words that rank, their counts only, stored for
  snippets); its tables are ``tables_text`` (jieba words, ranked far below prose: the
  template's labels are printed by every report) and ``tables_json`` (the rows of
  cells, stored for table snippets). Prose and tables together are also indexed as
  whitespace-blind character bigrams (any verbatim string, even across a line break or
  a table cell) — not by whoosh: beside it, as flat arrays (`index.bigrams`).
* both kinds carry ``finding``: the kinds of the report's audit findings
  (`index.audit`), so searches filter and count sections by them.
* both kinds carry ``change`` when the agency has an earlier report: how much the
  report's prose changed from it (identical, similar, revised, rewritten:
  `index.changes`), so searches filter and count sections by it.
* ``kind="report"`` — one per report: its facets, its findings as JSON in
  ``findings_json``, its change record (predecessor, similarity, class, each
  section's state) as JSON in ``changes_json``, the whole `Report` as JSON in
  ``report_json``, the name of its original file, the web address it was fetched
  from (``source_url``, when ``corpus fetch`` saved it), and every figure of its tables as
  a sortable number in ``figure_field(key)``, so reports can be filtered and sorted
  by any figure (``requests.new.total > 0``, sort by ``appeals.review.total``).

Facet fields (agency, region, year, section) are sortable: whoosh keeps them in
columns, which makes facet counts and sorting fast.
"""
from __future__ import annotations

from whoosh import columns
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.util.numeric import to_sortable

from corpus.report import ALL_FIGURE_KEYS
from index.analysis import CountsFormat, domain_words, jieba_analyzer

# Field names (the contract with search/ and web/).
KIND = "kind"
DOC_ID = "doc_id"
REPORT_ID = "report_id"
AGENCY = "agency"
REGION = "region"
YEAR = "year"
PUBLISHED = "published"
TEMPLATE = "template"
SECTION = "section"
TITLE = "title"
TEXT_FIELD = "text"
TABLES_TEXT = "tables_text"
TABLES_JSON = "tables_json"
AGENCY_TEXT = "agency_text"
FAILING = "failing"
SOURCE = "source"
ORIGINAL = "original"
SOURCE_URL = "source_url"
REPORT_JSON = "report_json"
FINDING = "finding"              # the audit's finding kinds of the report (index.audit), space-separated
FINDINGS_JSON = "findings_json"  # the report's findings as a JSON list (report document only)
CHANGE = "change"                # how much its prose changed from its predecessor (index.changes.classes)
CHANGES_JSON = "changes_json"    # the report's change record as JSON (report document only)

KIND_SECTION = "section"
KIND_REPORT = "report"

FIGURE_PREFIX = "fig_"
MISSING_FIGURE = float("nan")  # a figure's column value in documents that lack it
FACET_FIELDS = (AGENCY, REGION, YEAR, SECTION)


def figure_field(key: str) -> str:
    """The field holding a figure: "requests.new.total" -> "fig_requests__new__total"."""
    return FIGURE_PREFIX + key.replace(".", "__")


def figure_key(field: str) -> str:
    """The figure key of a figure field (inverse of `figure_field`)."""
    return field[len(FIGURE_PREFIX):].replace("__", ".")


class FigureField(NUMERIC):
    """A figure: a float (counts, 万元 amounts, signed 增/减), sortable, stored.

    A document without the figure reads ``MISSING_FIGURE`` (NaN: missing, never 0)
    from the column, and its stored fields lack the key. NaN does not order, so sort
    reports by a figure in Python over the column values with the NaNs left out (as
    search/ does), not with whoosh's ``sortedby``. whoosh's own float column cannot
    hold its NaN default (it packs the float, not its sortable integer), hence this
    small subclass.
    """

    def __init__(self):
        # shift_step=0: one term per value; range queries over a few thousand
        # reports stay quick and the build writes an eighth of the terms.
        super().__init__(numtype=float, stored=True, sortable=True, shift_step=0,
                         default=MISSING_FIGURE)

    def default_column(self):
        missing = to_sortable(float, 64, True, self.default)
        return columns.NumericColumn(self.sortable_typecode, default=missing)


def _figure_type() -> FigureField:
    return FigureField()


def _text(analyzer, stored: bool) -> TEXT:
    """A full-text field of jieba words, their counts only (`analysis.CountsFormat`)."""
    field = TEXT(analyzer=analyzer, stored=stored, phrase=False)
    field.format = CountsFormat(field_boost=field.format.field_boost)
    return field


def make_schema(names=()) -> Schema:
    """The schema, its jieba analyzer carrying the domain dictionary made from `names`.

    `names` are the agency and region names of the corpus (see
    `analysis.domain_words`); the analyzer, and with it the dictionary, is pickled
    into the index, so queries are cut with exactly the dictionary the build used.
    """
    words = jieba_analyzer(domain_words(names))
    schema = Schema(
        kind=ID(stored=True),
        doc_id=ID(stored=True, unique=True),
        report_id=ID(stored=True),
        agency=ID(stored=True, sortable=True),
        region=ID(stored=True, sortable=True),
        year=NUMERIC(int, stored=True, sortable=True),
        published=ID(stored=True),
        template=NUMERIC(int, stored=True),
        section=ID(stored=True, sortable=True),
        title=_text(words, stored=True),
        text=_text(words, stored=True),
        tables_text=_text(words, stored=False),
        tables_json=STORED(),
        agency_text=_text(words, stored=False),
        failing=BOOLEAN(stored=True),
        source=ID(stored=True),
        original=STORED(),
        source_url=STORED(),
        report_json=STORED(),
        finding=KEYWORD(),
        findings_json=STORED(),
        change=ID(),
        changes_json=STORED(),
    )
    for key in ALL_FIGURE_KEYS:
        schema.add(figure_field(key), _figure_type())
    # A figure key a later parser adds still gets a field of the same type.
    schema.add(FIGURE_PREFIX + "*", _figure_type(), glob=True)
    return schema


def jieba_of(schema: Schema):
    """The jieba analyzer an index was built with (for cutting queries identically)."""
    return schema[TEXT_FIELD].analyzer
