"""A `Report` as the documents an OpenSearch generation holds.

The documents are `index.documents`' — one per section, one for the report, with the
same fields as whoosh's — plus what OpenSearch cannot make itself (the minimal
distribution has no CJK analysis, so the text is cut here, in Python):

* the jieba words of the prose, title, tables and agency name, cut with the
  generation's own dictionary and joined by spaces (``*_words``; the ``whitespace``
  analyzer splits them back), so a word is exactly the word whoosh indexes;
* the searchable text's character bigrams (``grams``, `index.folding.bigram_text`),
  for the verbatim match;
* the agency's id, the section's place in the template, the finding kinds as a list,
  the change class (``change``: how much the report's prose changed from its
  predecessor, `index.changes`) when it has one, and every figure of the report on
  each of its sections too (figure filters and sorts then run on the sections in one
  query).

An original file is a document of its own (``kind: original``: its name and its
bytes), never fetched by a search; the generation document holds the jieba
dictionary and when the generation was built and last changed. Every document is
routed by its agency (`routing`), so an agency's documents share a shard.

API: `report_sources(report, words, …) -> list[dict]` (sections, then the report),
`original_source(report_id, agency, name, content)`, `generation_source(words,
built_at, changed_at)`, `routing(source)`, `doc_id(source)`.
"""
from __future__ import annotations

import base64
import json
from typing import Callable

from corpus.report import Report
from index import documents
from index.folding import bigram_text
from index.ids import agency_id
from index.opensearch import mapping as m

Words = Callable[[str], list[str]]    # text -> its jieba words (JiebaTokenizer.terms_of)


def _findings(document: dict) -> list[str]:
    return document.get(m.FINDING, "").split()


def _common(document: dict, figures: dict) -> dict:
    """What a report's every document carries: its facets, finding kinds, change class
    and figures."""
    common = {key: document[key] for key in (m.REPORT_ID, m.AGENCY, m.REGION, m.YEAR, m.TEMPLATE, m.FAILING)}
    common[m.AGENCY_ID] = agency_id(document[m.AGENCY])
    for key in (m.PUBLISHED, m.CHANGE):
        if document.get(key):
            common[key] = document[key]
    common[m.FINDING] = _findings(document)
    return {**common, **figures}


def _spaced(words: Words, text: str) -> str:
    return " ".join(words(text)) if text else ""


def section_source(document: dict, figures: dict, words: Words) -> dict:
    """A section document of `index.documents` as OpenSearch indexes it."""
    text, title = document[m.TEXT], document[m.TITLE]
    tables = json.loads(document[m.TABLES_JSON])
    return {
        **_common(document, figures), m.KIND: m.KIND_SECTION, m.DOC_ID: document[m.DOC_ID],
        m.SECTION: document[m.SECTION], m.SECTION_ORDER_FIELD: m.SECTION_ORDER.get(document[m.SECTION], 99),
        m.TITLE: title, m.TEXT: text, m.TABLES_JSON: document[m.TABLES_JSON],
        m.TEXT_WORDS: _spaced(words, text), m.TITLE_WORDS: _spaced(words, title),
        m.TABLES_WORDS: _spaced(words, documents.table_text(tables)),
        m.AGENCY_WORDS: _spaced(words, document[m.AGENCY]),
        m.GRAMS: bigram_text(documents.searchable_text(text, tables)),
    }


def _report_source(document: dict, figures: dict) -> dict:
    source = {**_common(document, figures), m.KIND: m.KIND_REPORT, m.DOC_ID: document[m.DOC_ID],
              m.SOURCE: document[m.SOURCE], m.REPORT_JSON: document[m.REPORT_JSON],
              m.FINDINGS_JSON: document[m.FINDINGS_JSON]}
    for key in (m.ORIGINAL, m.SOURCE_URL, m.CHANGES_JSON):
        if document.get(key):
            source[key] = document[key]
    return source


def report_sources(report: Report, words: Words, original: str | None = None, source: str | None = None,
                   url: str | None = None, findings: list[dict] | None = None,
                   changes: dict | None = None) -> list[dict]:
    """Every document of one report: its sections, then the report itself (the
    arguments are `index.documents.documents`')."""
    made = documents.documents(report, original=original, source=source, url=url, findings=findings,
                               changes=changes)
    report_document = made[-1]
    # Figures the mapping names (every key of the templates); a figure outside them
    # stays in the report's JSON.
    figures = {field: report_document[field] for field in m.FIGURE_FIELDS.values() if field in report_document}
    return [section_source(document, figures, words) for document in made[:-1]] + \
        [_report_source(report_document, figures)]


def original_source(report_id: str, agency: str, name: str, content: bytes) -> dict:
    """The document holding a report's original file."""
    return {m.KIND: m.KIND_ORIGINAL, m.DOC_ID: f"{report_id}#{m.KIND_ORIGINAL}", m.REPORT_ID: report_id,
            m.AGENCY: agency, m.ORIGINAL: name, m.CONTENT: base64.b64encode(content).decode("ascii")}


def generation_source(words: tuple[str, ...], built_at: float, changed_at: float) -> dict:
    """The generation's own document: its jieba dictionary (`index.analysis.domain_words`),
    when it was built and when ``add`` or ``remove`` last changed it."""
    return {m.KIND: m.KIND_GENERATION, m.DOC_ID: m.GENERATION_ID,
            m.GENERATION: {"words": list(words), "built_at": built_at, "changed_at": changed_at}}


def routing(source: dict) -> str:
    """Where a document goes: its agency's shard (the generation document: its own)."""
    return source.get(m.AGENCY) or m.GENERATION_ID


def doc_id(source: dict) -> str:
    return source[m.DOC_ID]
