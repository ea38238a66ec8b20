"""Our query language and filters as OpenSearch query clauses.

What a term means is written once, in `search.query.QueryTerm`; here it becomes a
clause: a section matches a term when its ``grams`` hold the term's bigrams at
consecutive positions (a ``match_phrase``: the positions make it exact, whitespace
and case already folded away on both sides, `index.analysis.bigram_terms`) — a
one-character term is a ``prefix`` of the bigrams (every character starts the token
of its position: the bigram it begins, or itself when last) — or its agency is one
of the agencies the term names. The
groups of a `search.query.ResolvedQuery` are ANDed, the terms of a group ORed, the
excluded terms ``must_not``; an empty query matches every section.

What ranks the hits is `search.query`'s recipe: each positive term's jieba words
(`rank_words`, cut with the generation's dictionary) as ``term`` queries on the
prose, title, agency name and tables fields with their boosts, the words of a
multi-word term as a ``match_phrase`` in the prose, and — as whoosh does — a hit
whose prose holds none of the words while its title or tables do is scaled down by
`search.query.LABELS_ONLY_FACTOR` (a ``function_score``).

The filters: the facet filters (`facet_clauses`: agency, region with the regions
within it, year, section, audit kinds, change classes) and the report-level ones (`report_clauses`:
template, failing, figure conditions — a report lacking the figure never passes).

API: `matching(resolved)`, `ranked(matching, terms, analyzer)`, `facet_clauses(request,
regions)`, `report_clauses(request)`, `figure_clause(filter)`, `kind(kind)`.
"""
from __future__ import annotations

from index.analysis import bigram_terms, jieba_terms
from index.opensearch import mapping as m
from search.query import (
    AGENCY_BOOST, LABELS_ONLY_FACTOR, PHRASE_BOOST, TABLES_BOOST, TITLE_BOOST, QueryTerm, ResolvedQuery, rank_words,
)
from search.regions import expand
from search.request import FigureFilter, SearchRequest
FACET_FIELDS = {"agency": m.AGENCY, "region": m.REGION, "year": m.YEAR, "section": m.SECTION,
                "audit": m.FINDING, "change": m.CHANGE}
NOTHING = {"bool": {"must_not": [{"match_all": {}}]}}


def kind(value: str) -> dict:
    return {"term": {m.KIND: value}}


def verbatim(text: str) -> dict:
    """Sections whose searchable text holds `text` verbatim (see the module docstring)."""
    grams = bigram_terms(text)
    if not grams:
        return NOTHING
    if len(grams) == 1 and len(grams[0]) == 1:
        return {"prefix": {m.GRAMS: grams[0]}}
    return {"match_phrase": {m.GRAMS: " ".join(grams)}}


def term_clause(term: QueryTerm) -> dict:
    """Sections matching one term: its text verbatim, or its agencies' sections."""
    either = [verbatim(term.text)]
    if term.agencies:
        either.append({"terms": {m.AGENCY: sorted(term.agencies)}})
    return either[0] if len(either) == 1 else {"bool": {"should": either, "minimum_should_match": 1}}


def matching(resolved: ResolvedQuery) -> dict:
    """The sections the query matches, before any filter (unscored)."""
    groups = []
    for group in resolved.groups:
        clauses = [term_clause(term) for term in group]
        groups.append(clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}})
    query = {"bool": {"filter": [kind(m.KIND_SECTION), *groups]}}
    if resolved.excluded:
        query["bool"]["must_not"] = [term_clause(term) for term in resolved.excluded]
    return query


def _word(field: str, word: str, boost: float = 1.0) -> dict:
    return {"term": {field: {"value": word, "boost": boost}}}


def ranked(query: dict, terms: list[str], analyzer) -> dict | None:
    """`query` scored by the rank recipe of the positive `terms` (see the module
    docstring; as whoosh sums its parts, a word two terms share counts twice); None when
    no term has a word to rank by."""
    parts, prose, labels = [], [], []
    for term in terms:
        words = rank_words(term, analyzer)
        for word in words:
            prose.append(_word(m.TEXT_WORDS, word))
            labels += [_word(m.TITLE_WORDS, word, TITLE_BOOST), _word(m.TABLES_WORDS, word, TABLES_BOOST)]
            parts += [prose[-1], labels[-2], _word(m.AGENCY_WORDS, word, AGENCY_BOOST), labels[-1]]
        if len(words) > 1:
            parts.append({"match_phrase": {m.TEXT_WORDS: {"query": " ".join(jieba_terms(term, analyzer)),
                                                          "boost": PHRASE_BOOST}}})
    if not parts:
        return None
    scored = {"bool": {**query["bool"], "should": parts}}
    labels_only = {"bool": {"must_not": prose, "should": labels, "minimum_should_match": 1}}
    return {"function_score": {"query": scored, "functions": [{"filter": labels_only, "weight": LABELS_ONLY_FACTOR}],
                               "score_mode": "multiply", "boost_mode": "multiply"}}


def values_clause(facet: str, values) -> dict:
    return {"terms": {FACET_FIELDS[facet]: sorted(values, key=str)}}


def facet_clauses(request: SearchRequest, regions) -> dict[str, dict]:
    """The chosen facet filters by facet name; a region takes in the regions within it
    (`regions`: every region the index holds)."""
    found = {}
    for facet, chosen in request.filters.items():
        if not chosen:
            continue
        values = expand(chosen, regions) if facet == "region" else chosen
        found[facet] = values_clause(facet, values)
    return found


def figure_clause(item: FigureFilter) -> dict:
    """Reports having the figure with the comparison holding (missing: never passes)."""
    field = m.FIGURE_FIELDS[item.key]
    ranges = {">=": "gte", "<=": "lte", ">": "gt", "<": "lt"}
    if item.op in ranges:
        return {"range": {field: {ranges[item.op]: item.value}}}
    if item.op == "==":
        return {"term": {field: item.value}}
    return {"bool": {"filter": [{"exists": {"field": field}}],
                     "must_not": [{"term": {field: item.value}}]}}


def report_clauses(template=None, failing=None, figure_filters=()) -> list[dict]:
    """The report-level filters: template, "fails a check", figure conditions (they hold
    on a report's sections as on the report: each carries its report's figures)."""
    clauses = []
    if template is not None:
        clauses.append({"term": {m.TEMPLATE: template}})
    if failing is not None:
        clauses.append({"term": {m.FAILING: failing}})
    clauses += [figure_clause(item) for item in figure_filters]
    return clauses
