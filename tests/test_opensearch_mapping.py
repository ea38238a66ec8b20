"""The OpenSearch mapping kept in the repository names every field the documents carry,
with the type the engine counts on, and the documents are whoosh's with the words and
bigrams cut in Python."""
from __future__ import annotations

import json

from corpus.report import ALL_FIGURE_KEYS
from index.analysis import domain_words, jieba_analyzer
from index.folding import bigram_text
from index.documents import searchable_text, table_text
from index.opensearch import mapping as m
from index.opensearch.documents import generation_source, original_source, report_sources
from index.opensearch.ledger import MAPPING as LEDGER
from tests.searchdata import CORPUS

PROPERTIES = m.mapping()["properties"]


def test_the_mapping_is_strict_routed_and_names_every_figure():
    whole = m.mapping()
    assert whole["dynamic"] == "strict" and whole["_routing"] == {"required": True}
    figures = {name for name, field in PROPERTIES.items() if name.startswith("fig_")}
    assert figures == {m.figure_field(key) for key in ALL_FIGURE_KEYS}
    assert all(PROPERTIES[name] == {"type": "double"} for name in figures)


def test_the_fields_have_the_types_searches_count_on():
    keyword = {m.KIND, m.DOC_ID, m.REPORT_ID, m.AGENCY, m.AGENCY_ID, m.REGION, m.SECTION, m.PUBLISHED, m.FINDING,
               m.CHANGE}
    assert {name for name in keyword if PROPERTIES[name] == {"type": "keyword"}} == keyword
    assert {PROPERTIES[name]["type"] for name in (m.YEAR, m.TEMPLATE, m.SECTION_ORDER_FIELD)} <= {"short", "byte"}
    assert PROPERTIES[m.FAILING] == {"type": "boolean"}
    for name in (m.TEXT_WORDS, m.TITLE_WORDS, m.TABLES_WORDS, m.AGENCY_WORDS, m.GRAMS):
        assert PROPERTIES[name]["type"] == "text" and PROPERTIES[name]["analyzer"] == "whitespace", name
    assert "index_options" not in PROPERTIES[m.TEXT_WORDS]          # positions: phrases of words
    assert PROPERTIES[m.GRAMS]["index_options"] == "positions"      # positions: the verbatim match
    for name in (m.TEXT, m.TITLE, m.TABLES_JSON, m.REPORT_JSON, m.FINDINGS_JSON, m.CHANGES_JSON, m.SOURCE):
        assert PROPERTIES[name] == {"type": "keyword", "index": False, "doc_values": False}, name
    # What is cut in Python is indexed, never kept twice in _source.
    assert set(m.mapping()["_source"]["excludes"]) == {m.TEXT_WORDS, m.TITLE_WORDS, m.TABLES_WORDS,
                                                       m.AGENCY_WORDS, m.GRAMS, "fig_*"}
    assert json.loads(LEDGER.read_text(encoding="utf-8"))["dynamic"] == "strict"


def test_every_document_holds_mapped_fields_only_and_its_words_and_bigrams():
    names = {name for report in CORPUS for name in (report.agency, report.region)}
    analyzer = jieba_analyzer(domain_words(names))
    # A record against a predecessor, and one without (every field a record may have).
    compared = {"previous": "甲局-2022", "previous_year": 2022, "similarity": 0.5, "text": "revised",
                "sections": {"overview": "revised", "other": "new"}}
    for n, report in enumerate(CORPUS):
        record = compared if n % 2 else {"previous": None}
        sources = report_sources(report, analyzer.terms_of, changes=record)
        *sections, whole = sources
        assert json.loads(whole[m.CHANGES_JSON]) == record
        assert {source.get(m.CHANGE) for source in sources} == {record.get("text")}
        assert len(sections) == len(report.sections) and whole[m.KIND] == m.KIND_REPORT
        for source, section in zip(sections, report.sections):
            assert set(source) <= set(PROPERTIES)
            assert source[m.GRAMS] == bigram_text(searchable_text(section.text, section.tables))
            assert source[m.TEXT_WORDS].split() == analyzer.terms_of(section.text)
            assert source[m.TABLES_WORDS].split() == analyzer.terms_of(table_text(section.tables))
            assert source[m.SECTION_ORDER_FIELD] == m.SECTION_ORDER[section.key]
            # Each section carries its report's figures, for figure filters and sorts.
            assert {k: v for k, v in source.items() if k.startswith("fig_")} == \
                {m.figure_field(k): float(v) for k, v in report.figures.items()}
        assert set(whole) <= set(PROPERTIES)
    assert set(original_source("a-2023", "a", "a-2023.pdf", b"%PDF")) <= set(PROPERTIES)
    assert set(generation_source(("公开",), 1.0, 2.0)) <= set(PROPERTIES)
